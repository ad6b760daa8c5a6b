"""Fixes of branch nnmods (issue 15, adv8d_* learner programs and the nn module sweep), each
against PyTorch 2.13 when it is installed (values, strides, messages) or against what PyTorch
documents: PReLU's double backward without a graph, to(memory_format=) of tensors and
modules, the padding list of convolutions, Unflatten's size checks, the update pair checks of
ModuleDict and ParameterDict, ParameterDict's copy/fromkeys/|, get_parameter of a None slot,
and UninitializedParameter's class until it is materialized."""

import pytest

import gradsh


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of these checks")


def _both(fn):
    torch = _torch()
    return fn(torch), fn(gradsh)


def _outcome(call):
    try:
        return ("ok", call())
    except Exception as e:  # noqa: BLE001 - the class and message are compared
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("n", [1, 3])
def test_prelu_grad_of_grad_without_a_graph_is_pytorchs(n):
    """The second grad (no create_graph) through PreluKernelBackwardBackward0 crashed: the
    formula got the recorded tensors and gave tensors on the array lane."""
    def run(torch):
        torch.manual_seed(0)
        m = torch.nn.PReLU(n).double()
        x = torch.randn(2, 3, 2, dtype=torch.float64, requires_grad=True)
        g, gw = torch.autograd.grad(m(x).pow(3).sum(), [x, m.weight], create_graph=True)
        names = type(g.grad_fn).__name__
        gg = torch.autograd.grad((g * g).sum() + gw.sum(), [x, m.weight])
        return names, [t.tolist() for t in gg]
    (na, a), (nb, b) = _both(run)
    assert na == nb == "PreluKernelBackwardBackward0"
    assert _close(a, b)


def _close(a, b):
    flat = []

    def walk(x, y):
        if isinstance(x, list):
            assert len(x) == len(y)
            for p, q in zip(x, y):
                walk(p, q)
        else:
            flat.append(abs(x - y) <= 1e-12 * max(1.0, abs(x)))
    walk(a, b)
    return all(flat)


@pytest.mark.parametrize("shape", [(2, 3, 4, 4), (1, 1, 2, 2), (2, 3)])
def test_tensor_to_memory_format_gives_pytorchs_strides_and_errors(shape):
    def run(torch):
        x = torch.arange(float(torch.Size(shape).numel())).reshape(shape)
        out = []
        for kw in ({"memory_format": torch.channels_last},
                   {"dtype": torch.float64, "memory_format": torch.channels_last},
                   {"memory_format": torch.contiguous_format},
                   {"memory_format": torch.preserve_format}):
            r = _outcome(lambda: x.to(**kw))
            out.append(r if r[0] != "ok" else (r[1].stride(), r[1].dtype == x.dtype,
                                              r[1] is x))
        return out
    a, b = _both(run)
    assert b == a


def test_module_to_memory_format_moves_only_4d_tensors():
    def run(torch):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 2), torch.nn.BatchNorm2d(2))
        r = net.to(memory_format=torch.channels_last)
        x = torch.randn(1, 3, 4, 4).to(memory_format=torch.channels_last)
        y = net(x)
        return (r is net, [p.stride() for p in net.parameters()], y.stride(),
                y.is_contiguous(memory_format=torch.channels_last))
    a, b = _both(run)
    assert b == a and a[1][0] == (12, 1, 6, 3)


def test_conv_reversed_padding_is_a_list():
    def run(torch):
        return [torch.nn.Conv2d(1, 1, (3, 2), padding=p)._reversed_padding_repeated_twice
                for p in ("same", (1, 0), "valid")]
    a, b = _both(run)
    assert b == a and type(b[0]) is list


@pytest.mark.parametrize("args", [(1, [3, 4.0]), (1, 5), (1, "ab"), ("x", (("a", 2),)),
                                  ("x", (2, 3)), (1, (2, True))])
def test_unflatten_checks_its_sizes_as_pytorch(args):
    a, b = _both(lambda torch: _outcome(lambda: repr(torch.nn.Unflatten(*args))))
    assert b == a


@pytest.mark.parametrize("cls", ["ModuleDict", "ParameterDict"])
@pytest.mark.parametrize("value", ["5", "[5]", "[('a',)]", "'ab'", "[('a', 1, 2)]"])
def test_dict_containers_update_checks_pairs_with_pytorchs_messages(cls, value):
    def run(torch):
        return _outcome(lambda: getattr(torch.nn, cls)().update(eval(value)))
    a, b = _both(run)
    assert b == a and a[0] != "ok"


def test_parameterdict_copy_fromkeys_and_union():
    def run(torch):
        nn = torch.nn
        a = nn.ParameterDict({"x": torch.ones(1)})
        b = nn.ParameterDict({"y": torch.zeros(1), "x": torch.zeros(2)})
        c = a.copy()
        u = a | b
        r = {"z": torch.ones(3)} | a
        a |= {"q": torch.ones(1)}
        f = a.fromkeys(["u", "v"])
        return (type(c).__name__, c["x"] is a["x"], list(u.keys()), u["x"].shape,
                type(r).__name__, list(r.keys()), list(a.keys()), repr(f),
                _outcome(lambda: nn.ParameterDict.fromkeys(["p"], nn.Parameter(torch.ones(1)))))
    a, b = _both(run)
    assert b == a


def test_get_parameter_of_a_none_slot_and_get_buffer_of_a_none_buffer():
    def run(torch):
        m = torch.nn.Linear(1, 1, bias=False)
        m.register_buffer("b", None)
        return [_outcome(lambda: m.get_parameter("bias")), _outcome(lambda: m.get_buffer("b")),
                _outcome(lambda: m.get_buffer("weight"))]
    a, b = _both(run)
    assert b == a


def test_uninitialized_parameter_keeps_its_class_until_materialized():
    def run(torch):
        m = torch.nn.LazyLinear(2)
        w = m.weight
        before = (type(w).__name__, isinstance(w, torch.nn.Parameter),
                  isinstance(w, torch.nn.parameter.UninitializedParameter), repr(w),
                  _outcome(lambda: w.sum())[1][:80])
        m(torch.ones(1, 3))
        return before, type(w).__name__, w is m.weight, isinstance(
            w, torch.nn.parameter.UninitializedParameter)
    a, b = _both(run)
    assert b == a and a[1] == "Parameter"
