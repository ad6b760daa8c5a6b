"""The containers, pooling and normalization modules, the Transformer layers and attention
against PyTorch, in more situations than the learner programs (PyTorch is the oracle; skipped
without it): container reprs, keys, indexing, slicing, insert/extend/pop and their errors;
pooling with ceil_mode, padding, dilation and return_indices; the Transformer layers' outputs
and gradients in float64."""

import warnings
from collections import OrderedDict

import numpy as np

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these modules")


def _outcome(act):
    """What act() gives: its repr, or the exception's class name and message."""
    try:
        return repr(act())
    except Exception as e:  # noqa: BLE001 - the error is the fact compared
        return f"{type(e).__name__}: {e}"


def _both(story):
    """story(lib) in gradsh and in PyTorch, warnings silenced."""
    out = []
    for lib in (gradsh, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(story(lib))
    return out


# ----- containers -----

def _named(nn):
    return nn.Sequential(OrderedDict(a=nn.ReLU(), b=nn.Tanh()))


def _sequential_story(lib):
    nn, seen = lib.nn, []
    note = seen.append
    for index in (1, -1, 2):
        s = _named(nn)
        note(_outcome(lambda: s.insert(index, nn.Sigmoid())))
        note(list(s._modules))
    s = nn.Sequential(nn.ReLU(), nn.Tanh())
    note(s.insert(2, nn.ReLU()) is s)
    for index in (5, -4, -3):
        note(_outcome(lambda: s.insert(index, nn.ELU())))
    note(repr(s))
    note(_outcome(lambda: s.insert(1, 3)))
    s = _named(nn)
    s += nn.Sequential(nn.ReLU())
    note(list(s._modules))
    s = _named(nn)
    s.append(nn.ReLU())
    del s[0]
    note(list(s._modules))
    s = _named(nn)
    note([repr(s[0:1]), list((s * 2)._modules), list((2 * s)._modules), list((s + s)._modules)])
    note(_outcome(lambda: s.__imul__(2)))
    note([_outcome(lambda: s[i]) for i in (-1, 1, 2, -3)])
    s[-1] = nn.ELU()
    note(repr(s))
    note([repr(s.pop(0)), repr(s), list(s._modules)])
    s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.ReLU(), nn.ELU())
    del s[::2]
    note([repr(s), list(s._modules)])
    s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.ReLU())
    note([repr(s + s), repr(s[::-1]), repr(s[1:]), repr(list(s)), len(s)])
    note([_outcome(lambda: s + nn.ModuleList()), _outcome(lambda: s * 0),
          _outcome(lambda: s * 1.5), _outcome(lambda: s.__iadd__(s))])
    s = nn.Sequential(nn.ReLU())
    s.extend([nn.ELU(), nn.ELU()])
    s *= 2
    note(repr(s))
    return seen


def _module_list_story(lib):
    nn, seen = lib.nn, []
    note = seen.append
    m = nn.ModuleList([nn.ReLU()])
    note([m.insert(7, nn.Tanh()), repr(m), list(m._modules)])
    for index in (-9, -1, -2, -3, 0, 1, 2):
        m = nn.ModuleList([nn.ReLU(), nn.Tanh()])
        note([_outcome(lambda: m.insert(index, nn.Sigmoid())), repr(m), list(m._modules)])
    lib.manual_seed(0)
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU()])
    note([repr(ml), repr(ml[1:3]), repr(ml[-1]), _outcome(lambda: ml[4]),
          _outcome(lambda: ml[-5])])
    del ml[1]
    note([repr(ml), repr(ml.pop(-1)), repr(ml)])
    ml += [nn.Tanh()]
    note(repr(ml + [nn.ReLU()]))
    ml[0] = nn.Identity()
    note([repr(ml), list(ml._modules)])
    del ml[1:]
    note([repr(ml), len(ml), repr(nn.ModuleList())])
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.ELU()])
    note(_outcome(lambda: ml.__iadd__(ml)))
    md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
    note([repr(md), list(md), "a" in md, list(md.keys())])
    md.update([("c", nn.ELU())])
    md["d"] = nn.ReLU()
    note([repr(md.pop("b")), repr(md), len(md)])
    del md["c"]
    note(repr(md))
    md.clear()
    note(repr(md))
    return seen


def _parameter_containers_story(lib):
    nn, seen = lib.nn, []
    note = seen.append
    pl = nn.ParameterList([nn.Parameter(lib.ones(2)), lib.zeros(2, 3, dtype=lib.float64)])
    note([repr(pl), len(pl), tuple(pl[1].shape)])
    pl.append(lib.ones(1))
    pl.extend([lib.ones(3)])
    note([repr(pl), repr(pl[-1]), repr(pl[1:]), type(pl[1]).__name__])
    pl[0] = lib.zeros(4)
    note([repr(pl[0]), _outcome(lambda: pl[9])])
    pl.append("x")
    note(repr(pl))
    pd = nn.ParameterDict({"b": lib.ones(2), "a": nn.Parameter(lib.zeros(1))})
    note([repr(pd), list(pd), list(pd.keys())])
    pd["c"] = lib.ones(3)
    pd.update(OrderedDict(z=lib.ones(1), y=lib.ones(1)))
    note(list(pd))
    note([repr(pd.get("a")), pd.get("q", 5), repr(pd.setdefault("e", lib.ones(2))),
          repr(pd.pop("b")), pd.popitem()[0], len(pd), "a" in pd, list(reversed(pd))])
    note([_outcome(lambda: pd.update(5)), _outcome(lambda: pd[3])])
    pd.update([("k", lib.ones(1))])
    note([list(pd), [k for k, _ in pd.items()], len(list(pd.values()))])
    pd.clear()
    note([repr(pd), len(pd), _outcome(lambda: pd.popitem())])
    return seen


@pytest.mark.parametrize("story", [_sequential_story, _module_list_story,
                                   _parameter_containers_story])
def test_containers_keys_reprs_and_errors_are_pytorchs(story):
    ours, theirs = _both(story)
    assert ours == theirs


def test_module_list_insert_refuses_a_non_module_where_pytorch_stores_it():
    """The one documented difference (docs/nn.md): a non-module never enters _modules."""
    m = gradsh.nn.ModuleList([gradsh.nn.ReLU(), gradsh.nn.Tanh()])
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        m.insert(1, 5)
    assert list(m._modules) == ["0", "1"]


# ----- pooling -----

_POOLS = [  # (class, constructor arguments, input shape)
    ("MaxPool1d", dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True), (2, 3, 11)),
    ("MaxPool1d", dict(kernel_size=2, return_indices=True), (1, 2, 7)),
    ("MaxPool2d", dict(kernel_size=(3, 2), stride=(2, 1), padding=1, ceil_mode=True,
                       return_indices=True), (2, 2, 7, 6)),
    ("MaxPool2d", dict(kernel_size=2, dilation=(2, 1), padding=(1, 0)), (1, 3, 8, 5)),
    ("MaxPool3d", dict(kernel_size=2, stride=2, ceil_mode=True, return_indices=True),
     (1, 2, 5, 5, 3)),
    ("AvgPool1d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                       count_include_pad=False), (2, 3, 10)),
    ("AvgPool2d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True), (1, 2, 7, 8)),
    ("AvgPool2d", dict(kernel_size=2, divisor_override=3, count_include_pad=False), (1, 1, 5, 4)),
    ("AvgPool3d", dict(kernel_size=(2, 3, 2), stride=1, padding=(1, 1, 0), ceil_mode=True),
     (1, 2, 4, 5, 3)),
    ("AdaptiveAvgPool1d", dict(output_size=4), (2, 3, 9)),
    ("AdaptiveAvgPool2d", dict(output_size=(3, None)), (1, 2, 7, 5)),
    ("AdaptiveMaxPool2d", dict(output_size=3, return_indices=True), (1, 2, 7, 5)),
    ("AdaptiveMaxPool3d", dict(output_size=(2, 1, 2)), (1, 1, 5, 4, 3)),
]


def _pool_story(lib, name, kwargs, shape):
    lib.manual_seed(0)
    x = lib.randn(*shape, dtype=lib.float64, requires_grad=True)
    m = getattr(lib.nn, name)(**kwargs)
    out = m(x)
    values, indices = (out if isinstance(out, tuple) else (out, None))
    values.pow(2).sum().backward()
    return (repr(m), values.tolist(), None if indices is None else indices.tolist(),
            x.grad.tolist(), values.grad_fn.name())


@pytest.mark.parametrize("name, kwargs, shape", _POOLS)
def test_pooling_modules_match_pytorch_in_repr_values_indices_and_grads(name, kwargs, shape):
    ours, theirs = _both(lambda lib: _pool_story(lib, name, kwargs, shape))
    assert ours[0] == theirs[0] and ours[2] == theirs[2] and ours[4] == theirs[4]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-12)


def _unpool_story(lib):
    lib.manual_seed(1)
    x = lib.randn(1, 2, 6, 6, dtype=lib.float64)
    values, indices = lib.nn.MaxPool2d(2, return_indices=True)(x)
    unpool = lib.nn.MaxUnpool2d(2)
    ones = lib.nn.MaxUnpool1d(3, stride=2, padding=1)
    return (repr(unpool), repr(ones), repr(lib.nn.MaxUnpool3d((1, 2, 2))),
            unpool(values, indices).tolist(), unpool(values, indices, output_size=(7, 7)).shape)


def test_max_unpool_reprs_and_values_match_pytorch():
    ours, theirs = _both(_unpool_story)
    assert ours == theirs


@pytest.mark.parametrize("call", [
    "nn.FractionalMaxPool2d(2)", "nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)",
    "nn.FractionalMaxPool2d(2, output_ratio=(0.5, 1.0))", "nn.FractionalMaxPool3d(0, output_size=2)",
    "nn.FractionalMaxPool3d((2, -1, 2), output_size=2)", "nn.FractionalMaxPool3d(2)",
    "nn.FractionalMaxPool2d(3, output_ratio=0.5).output_ratio",
    "nn.FractionalMaxPool3d(2, output_size=(2, 3, 2), return_indices=True).kernel_size",
    "nn.FractionalMaxPool2d((2, 3), output_size=4).output_size",
])
def test_fractional_max_pool_settings_and_errors_match_pytorch(call):
    ours, theirs = _both(lambda lib: _outcome(lambda: eval(call, {"nn": lib.nn})))
    assert ours == theirs


# ----- normalization -----

_NORMS = [  # (class, constructor arguments, input shape)
    ("BatchNorm1d", dict(num_features=3, momentum=None), (4, 3)),
    ("BatchNorm1d", dict(num_features=3, track_running_stats=False), (4, 3, 5)),
    ("BatchNorm2d", dict(num_features=2, affine=False, momentum=0.3), (3, 2, 4, 4)),
    ("BatchNorm3d", dict(num_features=2, bias=False), (2, 2, 3, 2, 2)),
    ("InstanceNorm1d", dict(num_features=3, track_running_stats=True, momentum=None), (2, 3, 6)),
    ("InstanceNorm2d", dict(num_features=2, affine=True), (2, 2, 4, 3)),
    ("InstanceNorm3d", dict(num_features=2, track_running_stats=True), (2, 3, 3, 2)),
    ("GroupNorm", dict(num_groups=2, num_channels=4), (3, 4, 5)),
    ("LayerNorm", dict(normalized_shape=(3, 4), bias=False), (2, 3, 4)),
    ("LocalResponseNorm", dict(size=3), (2, 5, 4)),
    ("RMSNorm", dict(normalized_shape=4, eps=1e-3), (3, 4)),
]


def _norm_story(lib, name, kwargs, shape):
    lib.manual_seed(0)
    m = getattr(lib.nn, name)(**kwargs).double()
    seen = [repr(m), sorted(m.state_dict())]
    for training in (True, True, False):
        m.train(training)
        x = lib.randn(*shape, dtype=lib.float64, requires_grad=True)
        out = m(x)
        (out * lib.arange(out.numel(), dtype=lib.float64).view(out.shape)).sum().backward()
        seen.append([out.tolist(), x.grad.tolist()])
        seen.append({k: v.tolist() for k, v in m.state_dict().items()})
    return seen


@pytest.mark.parametrize("name, kwargs, shape", _NORMS)
def test_normalization_modules_match_pytorch_over_training_and_eval_steps(name, kwargs, shape):
    ours, theirs = _both(lambda lib: _norm_story(lib, name, kwargs, shape))
    assert ours[:2] == theirs[:2]
    for a, b in zip(ours[2:], theirs[2:]):
        if isinstance(a, dict):
            assert a.keys() == b.keys()
            a, b = list(a.values()), list(b.values())
        for x, y in zip(a, b):
            np.testing.assert_allclose(np.array(x, float), np.array(y, float), rtol=1e-10,
                                       atol=1e-12)


# ----- MultiheadAttention and the Transformer layers (float64, no dropout) -----

def _mha_story(lib, kwargs, batch_first, same):
    lib.manual_seed(0)
    m = lib.nn.MultiheadAttention(8, 2, dtype=lib.float64, batch_first=batch_first, **kwargs)
    q = lib.randn(3, 2, 8, dtype=lib.float64, requires_grad=True)
    kv = lib.randn(3, 2, kwargs.get("kdim", 8), dtype=lib.float64)
    key, value = (q, q) if same else (kv, lib.randn(3, 2, kwargs.get("vdim", 8),
                                                     dtype=lib.float64))
    out, weights = m(q, key, value)
    out.sum().backward()
    return (list(m.state_dict()), out.tolist(), None if weights is None else weights.tolist(),
            q.grad.tolist(), [None if p.grad is None else p.grad.tolist() for p in m.parameters()],
            out.grad_fn.name())


@pytest.mark.parametrize("kwargs, batch_first, same", [
    ({}, False, True), ({}, True, True), ({"bias": False}, True, False),
    ({"kdim": 5, "vdim": 3}, False, False), ({"add_bias_kv": True, "add_zero_attn": True},
                                             True, True)])
def test_multihead_attention_matches_pytorch_in_float64(kwargs, batch_first, same):
    ours, theirs = _both(lambda lib: _mha_story(lib, kwargs, batch_first, same))
    assert ours[0] == theirs[0] and ours[5] == theirs[5]
    for a, b in zip([*ours[1:4], *ours[4]], [*theirs[1:4], *theirs[4]]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _layer_story(lib, kind, kwargs):
    lib.manual_seed(0)
    nn = lib.nn
    common = dict(dim_feedforward=16, dropout=0.0, dtype=lib.float64, **kwargs)
    src = lib.randn(4, 2, 8, dtype=lib.float64, requires_grad=True)
    tgt = lib.randn(3, 2, 8, dtype=lib.float64, requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=lib.float64)
    if kind == "encoder":
        m = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, **common), 2,
                                  enable_nested_tensor=False)
        out = m(src, src_key_padding_mask=lib.tensor([[False] * 3 + [True], [False] * 4]))
    elif kind == "decoder":
        m = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, **common), 2,
                                  norm=nn.LayerNorm(8, dtype=lib.float64))
        out = m(tgt, src, tgt_mask=mask)
    else:
        m = nn.Transformer(8, 2, 1, 2, **common)
        out = m(src, tgt, tgt_mask=mask, tgt_is_causal=True)
    out.pow(2).sum().backward()
    grads = [src.grad, tgt.grad] + [p.grad for p in m.parameters()]
    return (repr(m), list(m.state_dict()), out.grad_fn.name(), out.tolist(),
            [None if g is None else g.tolist() for g in grads])


@pytest.mark.parametrize("kind, kwargs", [
    ("encoder", {}), ("encoder", {"norm_first": True, "activation": "gelu"}),
    ("decoder", {}), ("decoder", {"norm_first": True, "bias": False}),
    ("transformer", {}), ("transformer", {"norm_first": True, "activation": "gelu"})])
def test_transformer_layers_match_pytorch_in_float64(kind, kwargs):
    kwargs = dict(kwargs)
    if kind != "encoder":
        kwargs.setdefault("batch_first", False)
    ours, theirs = _both(lambda lib: _layer_story(lib, kind, kwargs))
    assert ours[:3] == theirs[:3]
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-9, atol=1e-12)
    for a, b in zip(ours[4], theirs[4]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-11)


def test_transformer_encoder_nested_tensor_flags_and_warning_match_pytorch():
    def story(lib):
        layer = lib.nn.TransformerEncoderLayer(8, 2, dim_feedforward=4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m = lib.nn.TransformerEncoder(layer, 1)
            n = lib.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        return (m.enable_nested_tensor, m.use_nested_tensor, n.use_nested_tensor,
                [str(w.message) for w in caught])
    ours, theirs = _both(story)
    assert ours == theirs
