"""Attention and Transformer cases, shared by tools/record_attention.py (PyTorch) and
tests/nn/test_attention.py (gradsh).

Each module case builds the module under manual_seed(0) (so its initial parameters are drawn
as PyTorch draws them), runs it on drawn inputs (training mode unless said otherwise, so the
dropout masks are drawn too), takes the gradient of a fixed weighting of the outputs and
records text-safe facts: the repr, the state_dict's names and shapes, the initial parameters,
the warnings, the outputs' values and backward graphs (node names, breadth first), the
gradients of the inputs and of every parameter. FUNCTIONAL cases call
F.scaled_dot_product_attention; ERRORS are misuses (exception class and message).
"""

import warnings

from op_sweep_cases import graph

DTYPES = ("float32", "float64")

# (label, module, constructor keywords, inputs, forward keywords, training)
# inputs: a tuple of shapes drawn with randn (requiring grad), or "self" (one drawn input
# passed as query, key and value); forward keywords may name masks made by _mask
MODULES = [
    ("mha", "MultiheadAttention", dict(embed_dim=4, num_heads=2), "self", {}, True),
    ("mha no weights", "MultiheadAttention", dict(embed_dim=4, num_heads=2), "self",
     dict(need_weights=False), True),
    ("mha per head", "MultiheadAttention", dict(embed_dim=4, num_heads=2), ((3, 2, 4),
                                                                          (5, 2, 4), (5, 2, 4)),
     dict(average_attn_weights=False), True),
    ("mha padding", "MultiheadAttention", dict(embed_dim=4, num_heads=2), "self",
     dict(key_padding_mask="pad"), True),
    ("mha padding no weights", "MultiheadAttention", dict(embed_dim=4, num_heads=2), "self",
     dict(key_padding_mask="pad", need_weights=False), True),
    ("mha causal", "MultiheadAttention", dict(embed_dim=4, num_heads=2), "self",
     dict(attn_mask="causal", is_causal=True, need_weights=False), True),
    ("mha bool mask", "MultiheadAttention", dict(embed_dim=4, num_heads=1), "self",
     dict(attn_mask="bool"), True),
    ("mha batch_first", "MultiheadAttention", dict(embed_dim=4, num_heads=2, batch_first=True),
     "self", {}, True),
    ("mha batch_first no weights", "MultiheadAttention",
     dict(embed_dim=4, num_heads=2, batch_first=True), "self", dict(need_weights=False), True),
    ("mha kdim vdim", "MultiheadAttention", dict(embed_dim=4, num_heads=2, kdim=3, vdim=5),
     ((3, 2, 4), (6, 2, 3), (6, 2, 5)), {}, True),
    ("mha bias_kv zero_attn", "MultiheadAttention",
     dict(embed_dim=4, num_heads=2, add_bias_kv=True, add_zero_attn=True), "self", {}, True),
    ("mha no bias", "MultiheadAttention", dict(embed_dim=4, num_heads=2, bias=False), "self",
     dict(need_weights=False), True),
    ("mha dropout", "MultiheadAttention", dict(embed_dim=4, num_heads=2, dropout=0.5), "self",
     {}, True),
    ("mha dropout no weights", "MultiheadAttention",
     dict(embed_dim=4, num_heads=2, dropout=0.5), "self", dict(need_weights=False), True),
    ("mha unbatched", "MultiheadAttention", dict(embed_dim=4, num_heads=2), ((3, 4),) * 3, {},
     True),
    ("mha eval", "MultiheadAttention", dict(embed_dim=4, num_heads=2, dropout=0.5), "self", {},
     False),
    ("encoder layer", "TransformerEncoderLayer", dict(d_model=4, nhead=2, dim_feedforward=6),
     ((3, 2, 4),), {}, True),
    ("encoder layer batch_first", "TransformerEncoderLayer",
     dict(d_model=4, nhead=2, dim_feedforward=6, batch_first=True), ((2, 3, 4),), {}, True),
    ("encoder layer norm_first gelu", "TransformerEncoderLayer",
     dict(d_model=4, nhead=2, dim_feedforward=6, norm_first=True, activation="gelu"),
     ((3, 2, 4),), dict(src_mask="causal", is_causal=True), True),
    ("encoder layer padding", "TransformerEncoderLayer",
     dict(d_model=4, nhead=2, dim_feedforward=6, dropout=0.0), ((3, 2, 4),),
     dict(src_key_padding_mask="pad"), True),
    ("encoder", "TransformerEncoder", dict(d_model=4, nhead=2, dim_feedforward=6,
                                           num_layers=2), ((3, 2, 4),), dict(mask="causal"),
     True),
    ("encoder eval", "TransformerEncoder", dict(d_model=4, nhead=2, dim_feedforward=6,
                                                num_layers=2, batch_first=True),
     ((2, 3, 4),), {}, False),
    ("decoder layer", "TransformerDecoderLayer", dict(d_model=4, nhead=2, dim_feedforward=6),
     ((3, 2, 4), (5, 2, 4)), dict(tgt_mask="causal", tgt_is_causal=True), True),
    ("decoder", "TransformerDecoder", dict(d_model=4, nhead=2, dim_feedforward=6, num_layers=2,
                                           norm_first=True),
     ((3, 2, 4), (5, 2, 4)), dict(memory_key_padding_mask="pad5"), True),
    ("transformer", "Transformer", dict(d_model=4, nhead=2, num_encoder_layers=1,
                                        num_decoder_layers=2, dim_feedforward=8),
     ((5, 2, 4), (3, 2, 4)), dict(tgt_mask="causal"), True),
    # the transformer tutorials' other layers
    ("rms norm", "RMSNorm", dict(normalized_shape=(3, 4)), ((2, 3, 4),), {}, True),
    ("rms norm eps", "RMSNorm", dict(normalized_shape=4, eps=1e-2, elementwise_affine=False),
     ((2, 3, 4),), {}, True),
    ("pixel shuffle", "PixelShuffle", dict(upscale_factor=2), ((2, 8, 2, 3),), {}, True),
    ("pixel unshuffle", "PixelUnshuffle", dict(downscale_factor=2), ((3, 4, 6),), {}, True),
    ("channel shuffle", "ChannelShuffle", dict(groups=3), ((2, 6, 2),), {}, True),
    ("lp pool 1d", "LPPool1d", dict(norm_type=2, kernel_size=3), ((2, 3, 7),), {}, True),
    ("lp pool 2d", "LPPool2d", dict(norm_type=3, kernel_size=(2, 3), stride=(1, 2),
                                    ceil_mode=True), ((2, 5, 7),), {}, True),
    ("lp pool 3d", "LPPool3d", dict(norm_type=2, kernel_size=2), ((1, 1, 4, 4, 4),), {}, True),
    ("lp pool inf", "LPPool2d", dict(norm_type=float("inf"), kernel_size=2), ((1, 2, 4, 4),),
     {}, True),
]

# (label, q shape, k/v shape, keywords): F.scaled_dot_product_attention
FUNCTIONAL = [
    ("fused", (2, 3, 4, 5), (2, 3, 6, 5), {}),
    ("fused causal", (2, 3, 4, 5), (2, 3, 6, 5), dict(is_causal=True)),
    ("fused bool mask", (2, 3, 4, 5), (2, 3, 6, 5), dict(attn_mask="bool46")),
    ("fused scale", (1, 2, 4, 3), (1, 2, 4, 3), dict(scale=0.3)),
    ("fused gqa", (2, 6, 4, 5), (2, 3, 6, 5), dict(enable_gqa=True)),
    ("math mask with grad", (2, 3, 4, 5), (2, 3, 6, 5), dict(attn_mask="grad46")),
    ("math dropout", (2, 3, 4, 5), (2, 3, 6, 5), dict(dropout_p=0.3)),
    ("math 3d", (3, 4, 5), (3, 6, 5), {}),
    ("math 3d causal", (3, 4, 5), (3, 6, 5), dict(is_causal=True)),
    ("math 2d float mask", (4, 5), (6, 5), dict(attn_mask="float46")),
    ("math negative scale", (3, 4, 5), (3, 6, 5), dict(scale=-0.5)),
    ("math gqa dropout", (2, 6, 4, 5), (2, 3, 6, 5), dict(enable_gqa=True, dropout_p=0.2)),
]

# (name, positional arguments, keywords): the in-place activations of torch.nn.functional on a
# non-leaf (x * 1.5), with first and second derivatives
INPLACE = [("elu_", (), {}), ("elu_", (0.5,), {}), ("selu_", (), {}), ("celu_", (), {"alpha": 0.7}),
           ("leaky_relu_", (0.2,), {}), ("hardtanh_", (-0.5, 0.8), {}),
           ("threshold_", (0.1, 2.0), {}), ("threshold_", (), {"threshold": -0.2, "value": 0.5}),
           ("relu_", (), {}), ("rrelu_", (), {}), ("rrelu_", (0.1, 0.3, True), {}),
           ("rrelu", (0.1, 0.3, True, True), {})]

ERRORS = {
    "heads do not divide embed_dim": "lib.nn.MultiheadAttention(5, 2)",
    "zero heads": "lib.nn.MultiheadAttention(4, 0)",
    "4-d query": "lib.nn.MultiheadAttention(4, 2)(*[lib.zeros(1, 3, 2, 4)] * 3)",
    "key of another rank": "lib.nn.MultiheadAttention(4, 2)(lib.zeros(3, 2, 4), "
                           "lib.zeros(3, 4), lib.zeros(3, 4))",
    "wrong embedding": "lib.nn.MultiheadAttention(4, 2)(*[lib.zeros(3, 2, 5)] * 3)",
    "2-d mask of the wrong size": "lib.nn.MultiheadAttention(4, 2)(*[lib.zeros(3, 2, 4)] * 3, "
                                  "attn_mask=lib.zeros(3, 4))",
    "integer mask": "lib.nn.MultiheadAttention(4, 2)(*[lib.zeros(3, 2, 4)] * 3, "
                    "attn_mask=lib.zeros(3, 3, dtype=lib.int64))",
    "is_causal without a mask": "lib.nn.MultiheadAttention(4, 2)(*[lib.zeros(3, 2, 4)] * 3, "
                                "is_causal=True)",
    "activation name": "lib.nn.TransformerEncoderLayer(4, 2, activation='tanh')",
    "transformer batch mismatch": "lib.nn.Transformer(4, 2, 1, 1, 8)(lib.zeros(3, 2, 4), "
                                  "lib.zeros(3, 3, 4))",
    "baddbmm sizes": "lib.baddbmm(lib.zeros(2, 3, 5), lib.zeros(2, 3, 4), lib.zeros(2, 3, 5))",
    "baddbmm dtypes": "lib.baddbmm(lib.zeros(2, 3, 5, dtype=lib.float64), lib.zeros(2, 3, 4), "
                      "lib.zeros(2, 4, 5))",
    "baddbmm 2-d": "lib.baddbmm(lib.zeros(3, 5), lib.zeros(3, 4), lib.zeros(4, 5))",
    "baddbmm input": "lib.baddbmm(lib.zeros(3, 3), lib.zeros(2, 3, 4), lib.zeros(2, 4, 5))",
    "pixel_shuffle rank": "lib.nn.functional.pixel_shuffle(lib.zeros(3, 4), 2)",
    "pixel_shuffle channels": "lib.nn.functional.pixel_shuffle(lib.zeros(1, 3, 4, 4), 2)",
    "pixel_shuffle factor": "lib.pixel_shuffle(lib.zeros(1, 4, 4, 4), 0)",
    "pixel_unshuffle height": "lib.nn.functional.pixel_unshuffle(lib.zeros(1, 3, 5, 4), 2)",
    "pixel_unshuffle width": "lib.nn.PixelUnshuffle(2)(lib.zeros(1, 3, 4, 5))",
    "pixel_unshuffle factor": "lib.pixel_unshuffle(lib.zeros(1, 4, 4, 4), -1)",
    "channel_shuffle groups": "lib.nn.functional.channel_shuffle(lib.zeros(1, 5, 2), 2)",
    "channel_shuffle rank": "lib.channel_shuffle(lib.zeros(5), 1)",
    "channel_shuffle zero": "lib.nn.ChannelShuffle(0)(lib.zeros(1, 4, 2))",
    "rms_norm shape": "lib.nn.functional.rms_norm(lib.zeros(2, 3), (2,))",
    "rms_norm weight": "lib.nn.functional.rms_norm(lib.zeros(2, 3), (3,), lib.zeros(2))",
}


def _mask(lib, name, dtype):
    if name == "causal":
        return lib.nn.Transformer.generate_square_subsequent_mask(3, dtype=dtype)
    if name == "pad":
        return lib.tensor([[False, False, True], [False, True, False]])
    if name == "pad5":
        return lib.tensor([[False, False, True, False, True], [False, True, False, False, False]])
    if name == "bool":
        return lib.tensor([[True, False, False], [True, True, False], [False, True, True]])
    if name == "bool46":
        return lib.rand(4, 6) > 0.3
    if name == "float46":
        return lib.randn(4, 6, dtype=dtype)
    if name == "grad46":
        return lib.randn(4, 6, dtype=dtype, requires_grad=True)
    return name


def _values(t):
    return None if t is None else t.detach().tolist()


def _facts_of(lib, outs, leaves, params):
    outs = [o for o in outs if isinstance(o, lib.Tensor)]
    facts = {"out": [_values(o) for o in outs], "dtype": [str(o.dtype)[-7:] for o in outs],
             "graph": [graph(o) for o in outs]}
    diff = [o for o in outs if o.requires_grad]
    if diff:
        weights = [lib.linspace(-1, 1, o.numel(), dtype=o.dtype).reshape(o.shape) for o in diff]
        grads = lib.autograd.grad(diff, leaves + params, weights, allow_unused=True)
        facts["grad"] = [_values(g) for g in grads]
    return facts


def key(case, dtype):
    return f"{case[0]} {dtype}"


def _build(lib, name, kwargs, dtype):
    kwargs = dict(kwargs)
    if name == "TransformerEncoder":
        n, bf = kwargs.pop("num_layers"), kwargs.get("batch_first", False)
        layer = lib.nn.TransformerEncoderLayer(**kwargs, dtype=dtype)
        return lib.nn.TransformerEncoder(layer, n, norm=lib.nn.LayerNorm(4, dtype=dtype),
                                         enable_nested_tensor=not bf)
    if name == "TransformerDecoder":
        n = kwargs.pop("num_layers")
        return lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(**kwargs, dtype=dtype), n)
    if "huffle" in name or "LPPool" in name:
        return getattr(lib.nn, name)(**kwargs)
    return getattr(lib.nn, name)(**kwargs, dtype=dtype)


def run(lib, case, dtype):
    """The facts of one module case (see the module docstring)."""
    label, name, kwargs, inputs, fkwargs, training = case
    dt = getattr(lib, dtype)
    lib.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = _build(lib, name, kwargs, dt)
        state = [[k, list(v.shape)] for k, v in m.state_dict().items()]
        initial = [_values(p) for p in m.parameters()]
        m.train(training)
        if inputs == "self":
            x = lib.randn(3, 2, 4, dtype=dt, requires_grad=True)
            args, leaves = (x, x, x), [x]
        else:
            leaves = [lib.randn(*s, dtype=dt, requires_grad=True) for s in inputs]
            args = leaves
        kw = {k: _mask(lib, v, dt) for k, v in fkwargs.items()}
        out = m(*args, **kw)
    facts = {"repr": repr(m), "state": state, "init": initial,
             "warnings": sorted({f"{w.category.__name__}: {w.message}" for w in caught})}
    outs = list(out) if isinstance(out, tuple) else [out]
    facts.update(_facts_of(lib, outs, leaves, list(m.parameters())))
    return facts


def run_functional(lib, case, dtype):
    label, qs, ks, fkwargs = case
    dt = getattr(lib, dtype)
    lib.manual_seed(0)
    q, k, v = (lib.randn(*s, dtype=dt, requires_grad=True) for s in (qs, ks, ks))
    kw = {n: _mask(lib, val, dt) for n, val in fkwargs.items()}
    leaves = [q, k, v] + [t for t in kw.values() if isinstance(t, lib.Tensor) and t.requires_grad]
    out = lib.nn.functional.scaled_dot_product_attention(q, k, v, **kw)
    facts = _facts_of(lib, [out], leaves, [])
    facts["strides"] = list(out.stride())
    return facts


def inplace_key(case, dtype):
    name, args, kwargs = case
    return f"F.{name}{args}{kwargs} {dtype}"


def run_inplace(lib, case, dtype):
    name, args, kwargs = case
    dt = getattr(lib, dtype)
    lib.manual_seed(0)
    x = lib.randn(3, 4, dtype=dt, requires_grad=True)
    z = x * 1.5
    r = getattr(lib.nn.functional, name)(z, *args, **kwargs)
    g, = lib.autograd.grad((r * r.detach().cos()).sum(), x, create_graph=True)
    gg, = lib.autograd.grad((g * g).sum(), x)
    return {"same": r is z, "version": z._version, "out": _values(r), "graph": graph(r),
            "grad": _values(g), "grad_graph": graph(g), "gg": _values(gg)}


def run_init(lib):
    """nn.init.dirac_ and sparse_ under manual_seed(0): the values (bit for bit) and errors."""
    init = lib.nn.init
    lib.manual_seed(0)
    made = [init.dirac_(lib.empty(4, 2, 3)), init.dirac_(lib.empty(6, 3, 3, 2), groups=2),
            init.dirac_(lib.empty(2, 2, 3, 3, 3)), init.sparse_(lib.empty(5, 4), 0.4),
            init.sparse_(lib.empty(3, 6, dtype=lib.float64), 0.9, std=2.0), lib.rand(3)]
    errors = []
    for call in (lambda: init.dirac_(lib.empty(2, 2)),
                 lambda: init.dirac_(lib.empty(3, 2, 2), groups=2),
                 lambda: init.sparse_(lib.empty(3), 0.5)):
        try:
            call()
        except Exception as e:  # noqa: BLE001 - the class and message are the facts
            errors.append([type(e).__name__, str(e)])
    return {"values": [_values(t) for t in made], "errors": errors}


def error(lib, label):
    try:
        eval(ERRORS[label], {"lib": lib})  # noqa: S307 - the case table's own expressions
    except Exception as e:  # noqa: BLE001 - the class and message are the facts
        return [type(e).__name__, str(e)]
    return None
