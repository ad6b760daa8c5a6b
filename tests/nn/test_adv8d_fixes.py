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


def _printed(fn, torch):
    import contextlib
    import io
    import warnings
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(torch)
        except Exception as e:  # noqa: BLE001 - the class and message are compared
            print("!!", type(e).__name__, e)
    return out.getvalue(), [(w.category.__name__, str(w.message)) for w in caught]


def _state_dict_hooks(torch):
    nn = torch.nn
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1)))
    for name, m in net.named_modules():
        m.register_state_dict_pre_hook(lambda mod, p, kv, name=name: print("pre", name, p, kv))
        m.register_state_dict_post_hook(
            lambda mod, sd, p, md, name=name: print("post", name, p, list(sd), dict(md)))
        m.register_load_state_dict_pre_hook(
            lambda mod, sd, p, md, strict, mk, uk, em, name=name:
            print("lpre", name, p, dict(md), strict, list(mk), list(uk), list(em)))
        m.register_load_state_dict_post_hook(
            lambda mod, ik, name=name: print("lpost", name, type(mod).__name__, ik))
    sd = net.state_dict(prefix="p.")
    print(list(sd))
    sd = net.state_dict()
    bad = dict(sd)
    del bad["0.bias"]
    bad["zz"] = torch.ones(1)
    bad["1.q"] = torch.ones(1)
    bad["1.0.weight.x"] = torch.ones(1)
    print(net.load_state_dict(bad, strict=False))
    net.load_state_dict(bad)


def test_state_dict_and_load_state_dict_hooks_run_as_pytorchs():
    a, b = _both(lambda torch: _printed(_state_dict_hooks, torch))
    assert b == a and "lpost" in a[0]


def _legacy_backward_hooks(torch):
    nn = torch.nn
    torch.manual_seed(0)
    for m in (nn.Linear(3, 2), nn.Sequential(nn.Linear(3, 2), nn.ReLU()), nn.Tanh(),
              nn.Conv1d(3, 1, 1)):
        m.register_backward_hook(
            lambda mod, gi, go: print(type(mod).__name__, [None if g is None else tuple(g.shape)
                                                           for g in gi],
                                      [tuple(g.shape) for g in go]))
        x = torch.randn(4, 3, 1, requires_grad=True)
        y = m(x if isinstance(m, nn.Conv1d) else x[..., 0])
        y.sum().backward()
    lin = nn.Linear(2, 1)
    lin.register_backward_hook(lambda mod, gi, go: (gi[0], gi[1] * 0, gi[2]))
    x = torch.ones(2, 2, requires_grad=True)
    lin(x).sum().backward()
    print(x.grad, lin.weight.grad, lin.bias.grad)
    lin.register_full_backward_hook(lambda *a: None)


def test_legacy_backward_hooks_see_the_last_node_and_warn_as_pytorch():
    a, b = _both(lambda torch: _printed(_legacy_backward_hooks, torch))
    assert b == a and "FutureWarning" in str(a[1]) and "Cannot use both" in a[0]


def test_node_hook_grad_inputs_are_shaped_as_the_inputs():
    def run(torch):
        shapes = []
        a = torch.ones(3, requires_grad=True)
        b = torch.ones(2, 1, requires_grad=True)
        z = a * b + torch.ones(1, requires_grad=True)
        z.grad_fn.register_hook(lambda gi, go: shapes.append([tuple(g.shape) for g in gi]))
        z.grad_fn.next_functions[0][0].register_hook(
            lambda gi, go: shapes.append([tuple(g.shape) for g in gi]))
        z.sum().backward()
        return shapes
    a, b = _both(run)
    assert b == a == [[(2, 3), (1,)], [(3,), (2, 1)]]


def test_share_memory_and_to_empty():
    def run(torch):
        net = torch.nn.Sequential(torch.nn.Linear(2, 3))
        r = net.share_memory()
        e = torch.nn.Sequential(torch.nn.Linear(1, 2)).to_empty(device="cpu", recurse=False)
        f = torch.nn.Linear(2, 2, dtype=torch.float64).to_empty(device="cpu")
        return (r is net, net[0].weight.is_shared(), e[0].weight.shape,
                f.weight.dtype == torch.float64, type(f.weight).__name__,
                f.weight.requires_grad)
    a, b = _both(run)
    assert b == a
