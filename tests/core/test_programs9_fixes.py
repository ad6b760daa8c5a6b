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


# ----- the dtypes an op's kernel is not built for (core/ops/dtype_refusals.py) ---------------
DTYPE_NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
               "float64"]


def dtype_sweep(torch):
    """Each op of the refusal table (and the reductions beside them) over every dtype: PyTorch's
    refusals, and the results' dtypes where it computes."""
    ops = [lambda t: t.abs(), lambda t: torch.abs(t), lambda t: abs(t), lambda t: t.clone().abs_(),
           lambda t: t.floor(), lambda t: t.ceil(), lambda t: t.trunc(), lambda t: t.fix(),
           lambda t: t.round(), lambda t: t.round(decimals=1), lambda t: t.clone().round_(),
           lambda t: torch.hypot(t, t), lambda t: torch.lerp(t, t, 0.5),
           lambda t: torch.lerp(t, t, t), lambda t: torch.addcmul(t, t, t),
           lambda t: torch.dot(t, t), lambda t: torch.inner(t, t), lambda t: torch.vdot(t, t),
           lambda t: torch.linalg.cross(t, t), lambda t: torch.cross(t, t, dim=0),
           lambda t: t.reshape(1, 3).mm(t.reshape(3, 1)), lambda t: torch.mv(t.reshape(1, 3), t),
           lambda t: torch.stack([t, t, t]).trace(), lambda t: t.kthvalue(2),
           lambda t: t.kthvalue(1, 0), lambda t: t.median(), lambda t: t.median(0),
           lambda t: t.bincount(), lambda t: t.histc(4), lambda t: torch.searchsorted(t, t),
           lambda t: t.argmax(), lambda t: t.argmin(0), lambda t: t.topk(2),
           lambda t: torch.isin(t, t), lambda t: torch.isin(t.long(), t),
           lambda t: t.logsumexp(0), lambda t: t.all(), lambda t: t.any(0),
           lambda t: t.clamp(0, 1), lambda t: t.clamp(min=True), lambda t: t.clamp(True, True),
           lambda t: t.clamp(max=True), lambda t: t.clamp_min(1), lambda t: t.clamp_max(True),
           lambda t: torch.std_mean(t), lambda t: torch.var_mean(t, 0), lambda t: t.std(),
           lambda t: torch.dist(t, t), lambda t: torch.sinc(t)]
    out = []
    for name in DTYPE_NAMES:
        t = torch.tensor([1, 0, 1], dtype=getattr(torch, name))
        out += [lambda f=f, t=t: f(t) for f in ops]
    return out


def test_ops_refuse_the_dtypes_pytorchs_kernels_are_not_built_for():
    same_as_pytorch(dtype_sweep)


def float16_sinc(torch):
    x = torch.tensor([1.0, 0.5, 2.5, -3.0, 1e-3, 7.0, 0.0, 1000.5], dtype=torch.float16)
    return [lambda: torch.sinc(x).tolist(), lambda: [str(v) for v in torch.sinc(x).tolist()]]


def test_float16_sinc_is_computed_in_float32_as_pytorch():
    same_as_pytorch(float16_sinc)


def unflatten_sizes(torch):
    x = torch.arange(12.0).reshape(2, 6)
    sizes = [(2, 2), (-1, 4), (), (5, -1), (0, -1), (2, 3), (-1, 3), (3, 2), (6,), (7,), (1, 6, 1)]
    return ([lambda s=s: x.unflatten(1, s).shape for s in sizes]
            + [lambda: x.unflatten(0, (2, 1)).shape, lambda: torch.nn.Unflatten(1, (4, 2))(x),
               lambda: torch.unflatten(x, -1, (7,)), lambda: torch.zeros(2, 0).unflatten(1, (0, 5))])


def test_unflatten_sizes_that_do_not_multiply_up_are_pytorchs_error():
    same_as_pytorch(unflatten_sizes)


# ----- type promotion: a float dtype beats every integer one; numbers wrap into integers -----
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def tensor_pairs(torch):
    """int64 with float16 is float16 in PyTorch (numpy says float64): every pair, every op."""
    ops = [torch.add, torch.mul, torch.div, torch.maximum, torch.atan2, torch.eq, torch.where,
           torch.floor_divide, torch.remainder, torch.fmod, torch.pow]
    out = []
    for a in DTYPES:
        for b in DTYPES:
            x = torch.tensor([2, 1], dtype=getattr(torch, a))
            y = torch.tensor([1, 1], dtype=getattr(torch, b))
            out += [lambda f=f, x=x, y=y: f(x > 1, x, y) if f is torch.where else f(x, y)
                    for f in ops]
            out += [lambda x=x, y=y: torch.promote_types(x.dtype, y.dtype),
                    lambda x=x, y=y: torch.result_type(x, y[0]), lambda x=x, y=y: x + y[0],
                    lambda x=x, y=y: torch.cat([x, y])]
    return out


def test_tensors_of_two_dtypes_promote_as_pytorchs():
    same_as_pytorch(tensor_pairs)


def scalar_operands(torch):
    """Each dtype with Python numbers on both sides of every operator: an integer wraps into
    the tensor's integer dtype (uint8 < -1 compares with 255), true division and atan2 read it
    as itself, a negative or too large power exponent is refused, bool has no division kernels."""
    numbers = [0, 1, -1, 2, 300, -300, 2 ** 40, 2.5, True, False, float("inf")]
    ops = [lambda t, s: t + s, lambda t, s: s - t, lambda t, s: t * s, lambda t, s: t / s,
           lambda t, s: s / t, lambda t, s: t // s, lambda t, s: s // t, lambda t, s: t % s,
           lambda t, s: s % t, lambda t, s: t ** s, lambda t, s: s ** t, lambda t, s: t < s,
           lambda t, s: t == s, lambda t, s: s > t, lambda t, s: t & s,
           lambda t, s: torch.where(t > 0, t, s), lambda t, s: torch.fmod(t, s),
           lambda t, s: torch.div(t, s, rounding_mode="trunc"),
           lambda t, s: torch.atan2(t, torch.tensor(s))]
    out = []
    for name in DTYPES[:-3]:
        t = torch.tensor([3, 0, 1], dtype=getattr(torch, name))
        out += [lambda f=f, t=t, s=s: f(t, s) for s in numbers for f in ops]
    return out


def test_numbers_beside_integer_and_bool_tensors_are_converted_as_pytorch_converts_them():
    same_as_pytorch(scalar_operands)


def aux_outputs(torch):
    grad, jacrev, vjp = torch.func.grad, torch.func.jacrev, torch.func.vjp
    w = torch.tensor([1.0, 2.0])
    auxes = [{"n": 2}, [torch.tensor(1.0), 2.5], (torch.tensor(1.0),), "s", None,
             {"a": [torch.ones(1)]}]
    return ([lambda a=a: grad(lambda t: ((t ** 2).sum(), a), has_aux=True)(w) for a in auxes]
            + [lambda a=a: vjp(lambda t: (t ** 2, a), w, has_aux=True)[2] for a in auxes]
            + [lambda a=a: jacrev(lambda t: (t ** 2, a), has_aux=True)(w)[1] for a in auxes])


def test_func_transforms_take_only_tensors_as_aux():
    same_as_pytorch(aux_outputs)


def factory_and_expand_messages(torch):
    """torch.tensor of strings inside lists, full's size argument, expand's message per dtype."""
    out = [lambda: torch.tensor("a"), lambda: torch.tensor([["a"]]), lambda: torch.tensor(["a", "b"]),
           lambda: torch.tensor([1, "a"]), lambda: torch.tensor([[1], ["a"]]),
           lambda: torch.full(3, 1.0), lambda: torch.full([2], 1.0), lambda: torch.full((2.0,), 1.0),
           lambda: torch.full(torch.Size([2]), 1.0), lambda: torch.full(None, 1.0),
           lambda: torch.full((2, 3.5), 1.0)]
    for name in DTYPES:
        out.append(lambda name=name: torch.zeros(2, 3, dtype=getattr(torch, name)).expand(3))
    return out


def test_factory_and_expand_messages_are_pytorchs():
    same_as_pytorch(factory_and_expand_messages)


def clamp_in_place_casts(torch):
    i = torch.tensor([0, 1])
    return [lambda: i.clone().clamp_(min=0.5), lambda: i.clone().clamp_max_(0.5),
            lambda: i.clone().clamp_min_(0.5), lambda: i.clone().clamp_(min=torch.tensor(0.5)),
            lambda: i.clone().clip_(0.5), lambda: torch.tensor([True]).clamp_(min=0),
            lambda: i.clone().clamp_(0, 0), lambda: i.clone().add_(0.5)]


def test_clamp_in_place_cast_errors_name_the_dtype_as_pytorchs_kernels():
    same_as_pytorch(clamp_in_place_casts)
