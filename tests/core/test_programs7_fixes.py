"""Differences the seventh round of learner programs found (tests/data/learner_programs, adv7_* and
doc7_*; issue 15), each class checked against PyTorch on more than the program's one case:
remainder's sign of zero, torch.broadcast_tensors, a custom Function's ctx.name, dict.fromkeys
and a functools.partial's func/args/keywords in .grad programs."""

import io

import pytest
from test_learner_fixes import same_as_pytorch

import gradsh
from gradsh.lang import GradshError, Session


def run(source):
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO()).run(source, "t.grad")
    return out.getvalue()


def remainder_attempts(torch):
    a = torch.tensor([-3.0, -2.0, -1.5, -0.0, 0.0, 2.0, 7.0, float("inf"), float("nan")])
    d = torch.tensor([2.0, -2.0, 2.0, -2.0, 2.0, -2.0, -3.0, 2.0, 1.0])
    signs = lambda t: [str(v) for v in t.tolist()]  # noqa: E731 - "-0.0" vs "0.0" compared
    i = torch.tensor([7, -7, 6, -6])
    return [lambda: signs(a % 2), lambda: signs(a % -2), lambda: signs(torch.remainder(a, d)),
            lambda: signs(a.double() % -2.5), lambda: signs(torch.remainder(a, float("inf"))),
            lambda: signs(5.0 % torch.tensor([-5.0, 5.0, -2.0])), lambda: i % -3, lambda: i % 3,
            lambda: signs(torch.tensor(4.0) % -2), lambda: a.half() % -2,
            lambda: signs(torch.fmod(a, -2))]


def test_remainder_gives_a_zero_the_dividends_sign_as_pytorch():
    same_as_pytorch(remainder_attempts)


def broadcast_tensors_attempts(torch):
    a = torch.ones(2, requires_grad=True)

    def grads():
        x, y = torch.broadcast_tensors(a, torch.arange(3.0).view(3, 1))
        (x * y).sum().backward()
        return a.grad
    return [lambda: torch.broadcast_tensors(a, torch.ones(3, 1)), lambda: torch.broadcast_tensors(a),
            lambda: torch.broadcast_tensors(), lambda: torch.broadcast_tensors(a, torch.ones(2)),
            lambda: torch.broadcast_tensors(torch.ones(2), torch.ones(3)),
            lambda: torch.broadcast_tensors(torch.ones(2), torch.ones(2, 3), torch.ones(4)),
            lambda: torch.broadcast_tensors([torch.ones(2)]),
            lambda: torch.broadcast_tensors(torch.ones(2), 3),
            lambda: [t.shape for t in torch.broadcast_tensors(torch.ones(1, 3), torch.ones(2, 1),
                                                              torch.ones(4, 1, 1))],
            grads]


def test_broadcast_tensors_expands_to_the_common_shape_as_pytorch():
    same_as_pytorch(broadcast_tensors_attempts)


CTX_NAME = """
class Tagged(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, name):
        ctx.name = name
        return x * 2

    @staticmethod
    def backward(ctx, g):
        print(ctx.name)
        return g * 2, None

x = torch.ones(2, requires_grad=True)
y = Tagged.apply(x, "tag")
print(y, y.grad_fn.name)
y.sum().backward()
print(x.grad)
"""


def test_a_custom_functions_ctx_name_can_be_assigned_as_in_pytorch():
    assert run(CTX_NAME) == ("tensor([2., 2.], grad_fn=<TaggedBackward>) tag\ntag\n"
                             "tensor([2., 2.])\n")


def test_other_node_names_of_a_ctx_stay_refused():
    for name in ("next_functions", "metadata", "saved_tensors", "register_hook"):
        source = CTX_NAME.replace("ctx.name = name", "ctx.%s = name" % name)
        with pytest.raises(GradshError):
            run(source)


def test_dict_fromkeys_in_a_grad_program():
    assert run('print(dict.fromkeys(["w", "b"], 0), dict.fromkeys("ab"), dict.fromkeys([]))\n'
               "try:\n    dict.fromkeys(5)\nexcept TypeError as e:\n    print(e)\n") == \
        "{'w': 0, 'b': 0} {'a': None, 'b': None} {}\n'int' object is not iterable\n"
    with pytest.raises(GradshError, match="LimitError|dict.fromkeys"):
        run("dict.fromkeys(x for x in range(10 ** 9))\n")


def test_a_partials_func_args_keywords_in_a_grad_program():
    assert run("from functools import partial\np = partial(torch.clamp, 1, min=0.0)\n"
               "print(p.func is torch.clamp, p.args, p.keywords)\n") == \
        "True (1,) {'min': 0.0}\n"
    with pytest.raises(GradshError):
        run("from functools import partial\np = partial(torch.clamp, min=0.0)\n"
            "p.func = print\n")


def test_gradsh_module_has_broadcast_tensors():
    assert callable(gradsh.broadcast_tensors)


def container_attempts(torch):
    nn = torch.nn
    return [lambda: nn.ModuleList([nn.ReLU()]) + nn.ModuleList([nn.Tanh()]),
            lambda: nn.ModuleList([nn.ReLU()]) + [nn.Sigmoid(), nn.ReLU()],
            lambda: nn.ModuleList() + nn.ModuleList(),
            lambda: nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh(), nn.Identity()),
            lambda: len(nn.Sequential(nn.ReLU()) + nn.Sequential()),
            lambda: str(nn.Sequential(nn.ReLU()) + nn.ModuleList([nn.Tanh()]))[:0],
            lambda: nn.ModuleList([nn.ReLU()]) + 3]


def test_modulelist_and_sequential_add_as_pytorch():
    same_as_pytorch(container_attempts)


def half_attempts(torch):
    def run():
        torch.manual_seed(0)
        m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
        m.half()
        return ([(n, t.dtype) for n, t in m.state_dict().items()],
                m[0](torch.ones(1, 2, dtype=torch.float16)))
    return [run]


def test_module_half_casts_floating_parameters_and_buffers():
    same_as_pytorch(half_attempts)


DEFAULT_REPRS = """
from torch.utils.data import TensorDataset, DataLoader, Dataset, RandomSampler, random_split
ds = TensorDataset(torch.ones(4, 1))
opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
class Mine(Dataset):
    pass
class MySched(torch.optim.lr_scheduler.StepLR):
    pass
for obj in (ds, DataLoader(ds, batch_size=2), RandomSampler(ds), random_split(ds, [2, 2])[0],
            torch.optim.lr_scheduler.StepLR(opt, 1), torch.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3),
            torch.optim.lr_scheduler.ReduceLROnPlateau(opt), Mine(), MySched(opt, 1)):
    print(repr(obj).split(" object at ")[0])
"""


def test_data_and_scheduler_objects_print_pytorchs_default_text():
    expected = ["<torch.utils.data.dataset.TensorDataset", "<torch.utils.data.dataloader.DataLoader",
                "<torch.utils.data.sampler.RandomSampler", "<torch.utils.data.dataset.Subset",
                "<torch.optim.lr_scheduler.StepLR", "<torch.optim.lr_scheduler.OneCycleLR",
                "<torch.optim.lr_scheduler.ReduceLROnPlateau", "<__main__.Mine",
                "<__main__.MySched"]
    assert run(DEFAULT_REPRS).splitlines() == expected
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    out = io.StringIO()
    import contextlib
    with contextlib.redirect_stdout(out):
        exec(DEFAULT_REPRS, {"torch": real, "__name__": "__main__"})
    assert out.getvalue().splitlines() == expected


def test_slice_is_a_grad_program_builtin():
    assert run("s = slice(1, None, 2)\nx = torch.zeros(4)\nx[slice(0, 2)] = 1\n"
               "print(s, [0, 1, 2, 3, 4][s], torch.arange(6)[s], s.step, x, isinstance(s, slice))\n") \
        == "slice(1, None, 2) [1, 3] tensor([1, 3, 5]) 2 tensor([1., 1., 0., 0.]) True\n"


def type_as_attempts(torch):
    a = torch.tensor([1.5, -2.0], requires_grad=True)

    def grad():
        y = a.type_as(torch.zeros(1, dtype=torch.float64))
        (y * y).sum().backward()
        return y.grad_fn.name(), a.grad
    return [lambda: a.type_as(torch.ones(1)) is a, lambda: a.type_as(torch.ones(1, dtype=torch.int32)),
            lambda: a.type_as(3), lambda: a.type_as(None), lambda: torch.tensor([1, 2]).type_as(a),
            grad]


def test_type_as_converts_to_the_other_tensors_dtype():
    same_as_pytorch(type_as_attempts)


def char_attempts(torch):
    return [lambda: torch.tensor([3.7, -200.0], requires_grad=True).char(),
            lambda: torch.tensor([1, 300]).char(), lambda: torch.tensor([True]).char().dtype]


def test_char_converts_to_int8():
    same_as_pytorch(char_attempts)
