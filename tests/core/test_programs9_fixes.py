"""Differences the ninth round of learner programs found (tests/data/learner_programs, p9_*;
issue 15), each class checked against PyTorch on more than the program's one case."""

import io

from test_learner_fixes import same_as_pytorch

from gradsh.lang import Session


def run(source):
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO()).run(source, "t.grad")
    return out.getvalue()


# ----- a Python number written into an integral tensor: PyTorch's checked conversion ---------
def number_conversions(torch):
    """Every way a number becomes an element (the data of torch.tensor, the scalar fills), over
    values in and out of each dtype's range: refused with PyTorch's message, or wrapped."""
    values = [300, -1, 128, -129, -255, -256, 2 ** 31, 2 ** 63 - 1, 2 ** 63, 1e5, -1.0, 2.7,
              float("nan"), float("inf"), -float("inf"), 2 ** 64, -2 ** 63 - 1, 65504.0, 65520.0,
              70000, 3.4028235e38, -1e39, 1e300]
    dtypes = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
              torch.float32]
    mask = torch.tensor([True, False])

    def setitem(v, dt):
        x = torch.zeros(2, dtype=dt)
        x[0] = v
        x[:] = v
        return x

    def setitem_advanced(v, dt):
        x = torch.zeros(2, dtype=dt)
        x[torch.tensor([1])] = v
        return x
    makers = [lambda v, dt: torch.tensor([v], dtype=dt), lambda v, dt: torch.tensor(v, dtype=dt),
              lambda v, dt: torch.tensor([[1], [v]], dtype=dt),
              lambda v, dt: torch.as_tensor([v], dtype=dt),
              lambda v, dt: torch.zeros(1, dtype=dt).new_tensor([v]),
              lambda v, dt: torch.full((2,), v, dtype=dt),
              lambda v, dt: torch.full_like(torch.zeros(2, dtype=dt), v),
              lambda v, dt: torch.zeros(2, dtype=dt).new_full((2,), v),
              lambda v, dt: torch.zeros(2, dtype=dt).fill_(v), setitem, setitem_advanced,
              lambda v, dt: torch.zeros(2, dtype=dt).masked_fill(mask, v),
              lambda v, dt: torch.zeros(2, dtype=dt).index_fill(0, torch.tensor([0]), v),
              lambda v, dt: torch.where(mask, torch.zeros(2, dtype=dt), v),
              lambda v, dt: torch.where(mask, v, torch.zeros(2, dtype=dt))]
    shapes = [(), (1,), (2, 3), (0,)]
    return ([lambda m=m, v=v, dt=dt: m(v, dt) for m in makers for dt in dtypes for v in values]
            + [lambda v=v, dt=dt, s=s: torch.full(s, v, dtype=dt)
               for s in shapes for dt in dtypes for v in values]
            + [lambda v=v, dt=dt, s=s: torch.zeros(s, dtype=dt).fill_(v)
               for s in shapes for dt in dtypes for v in values]
            + [lambda v=v, dt=dt: torch.zeros(3, dtype=dt).clamp(max=v)
               for dt in dtypes for v in values if v == v])


def test_numbers_out_of_an_integer_dtypes_range_are_refused_as_pytorch_refuses():
    same_as_pytorch(number_conversions)


def clamp_bounds(torch):
    u = torch.tensor([0, 5, 200], dtype=torch.uint8)
    i = torch.tensor([-100, 0, 100], dtype=torch.int8)
    return [lambda: u.clamp(min=-1), lambda: u.clamp(max=-56), lambda: u.clamp(max=300),
            lambda: u.clamp(min=-256), lambda: i.clamp(min=-300), lambda: i.clamp(max=127),
            lambda: i.clamp(min=-300.5), lambda: i.clamp(-1, 1), lambda: u.clamp_(max=256)]


def test_integer_clamp_bounds_are_converted_as_pytorch_converts_them():
    same_as_pytorch(clamp_bounds)


def test_a_grad_program_catches_the_overflow_as_a_runtime_error():
    out = run(b"import torch\ntry:\n    torch.tensor([300], dtype=torch.uint8)\n"
              b"except RuntimeError as e:\n    print(e)\n")
    assert out == "value cannot be converted to type uint8 without overflow\n"
