"""Forward-mode AD over the op sweep's samples, shared by tools/record_forward_ad_sweep.py
(PyTorch) and tests/core/test_forward_ad_sweep.py (gradsh).

Every op of the registry, through its first out-of-place surface, on the op sweep's samples
(tests/data/op_sweep_cases.py) in float64: each float input that the sweep differentiates is
made a dual tensor (`fwAD.make_dual(x, tangent)`, a fixed tangent without zeros) and the facts
are the tangent of each output (`fwAD.unpack_dual(out).tangent`: values, or None) or the
exception PyTorch raises (class and message); then the same tangents through
`torch.func.jvp`, and `torch.func.jacfwd` with respect to the first dual input.
"""

import math

import op_sweep_cases as sweep

RANDOM = {"dropout", "multinomial",  # the ops that draw: each call runs after manual_seed(0)
          "rrelu", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
          "gumbel_softmax", "feature_dropout", "bernoulli", "poisson", "binomial"}
SURFACE_ORDER = ("function", "method", "nn", "property")
# F's ops that branch aliases also gave a torch.name (ATen's arguments, which F's samples do not
# fit): still swept through F, as before
NN_FIRST = {"conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
            "conv_transpose3d", "bilinear", "embedding", "layer_norm", "batch_norm",
            "instance_norm", "kl_div", "binary_cross_entropy_with_logits", "selu", "dropout",
            "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
            "triplet_margin_loss", "poisson_nll_loss"}


def surface(op):
    """The out-of-place surface the forward sweep calls op through (None for in-place ops)."""
    found = sweep.surfaces(op)
    if op.name in NN_FIRST:
        return "nn"
    for s in SURFACE_ORDER:
        if s in found:
            return s
    plain = [s for s in found if s.startswith("__") and not s.startswith("__i")
             and s not in sweep.IN_PLACE_OPERATORS]
    return plain[0] if plain else None


def cases(ops):
    """(op name, surface, sample index, "float64") for every swept op with float inputs."""
    out = []
    for op in ops:
        s = surface(op)
        if op.name in sweep.NOT_SWEPT or s is None or op.name.endswith("_"):
            continue
        if sweep.SAMPLES.get(f"{op.name}|{s}") == []:  # that surface is not swept (its
            continue  # namesake's samples do not fit it: torch.embedding_bag)
        for k, sample in enumerate(sweep.samples(op.name)):
            if sweep.is_float_sample(sample):
                out.append((op.name, s, k, "float64"))
    return out


key = sweep.key


def _tangent(lib, x, k):
    """A fixed tangent shaped as x, no zeros, different for each input k."""
    n = x.numel()
    vals = [((j + k) % 5 - 2) * 0.5 + 0.25 for j in range(n)]
    return lib.tensor(vals, dtype=x.dtype).reshape(x.shape)


class _Plain(sweep._Inputs):
    """The sweep's inputs without requires_grad: the leaves get tangents instead."""

    def leaf(self, values):
        t = self.lib.tensor(values, dtype=self.dtype)
        self.leaves.append(t)
        return t

    def make(self, a):
        if isinstance(a, sweep.In) and a.kind == "nc":
            return self.leaf(sweep._transposed(a.values)).t()
        return super().make(a)


def _error(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def _values(lib, o):
    if o is None:
        return None
    if not isinstance(o, lib.Tensor):
        return ["py", type(o).__name__]
    if getattr(o, "_is_zerotensor", lambda: False)():  # PyTorch's zero tangent (slogdet's
        return sweep.clean(lib.zeros(o.shape, dtype=o.dtype).tolist())  # sign): no storage
    return sweep.clean(o.tolist())


def _inputs(lib, case):
    name, _, k, dtype = case
    sample = sweep.samples(name)[k]
    ins = _Plain(lib, dtype)
    args = [ins.make(a) for a in sample.args]
    kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
    return ins, args, kwargs


def _substitute(value, swap):
    """value with every input tensor replaced by swap[id(tensor)] (inside tuples too)."""
    if isinstance(value, tuple):
        return tuple(_substitute(v, swap) for v in value)
    return swap.get(id(value), value)


def _primal(x):
    """The leaf behind an input (the transposed inputs are views of their leaf)."""
    return x._base if x._base is not None else x


def _apply(lib, case, args, kwargs, new):
    """Call the op with each input tensor x replaced by new(x)."""
    swap = {}
    for a in list(args) + list(kwargs.values()):
        for x in (a if isinstance(a, tuple) else (a,)):
            if isinstance(x, lib.Tensor) and x.is_floating_point():
                swap[id(x)] = new(x)
    call_args = [_substitute(a, swap) for a in args]
    call_kwargs = {n: _substitute(v, swap) for n, v in kwargs.items()}
    if case[0] in RANDOM:
        lib.manual_seed(0)
    return sweep._call(lib, case[0], case[1], call_args, call_kwargs)[0]


def _dual_facts(lib, case):
    fwAD = lib.autograd.forward_ad
    ins, args, kwargs = _inputs(lib, case)
    leaves = {id(x): n for n, x in enumerate(ins.leaves)}
    with fwAD.dual_level():
        def dual(x):
            base = _primal(x)
            if id(base) not in leaves:
                return x
            d = fwAD.make_dual(base, _tangent(lib, base, leaves[id(base)]))
            return d.t() if x is not base else d
        try:
            out = _apply(lib, case, args, kwargs, dual)
        except Exception as e:  # noqa: BLE001 - the exception is the fact compared
            return {"error": _error(e)}
        outs = sweep._flat(out)
        return {"tangent": [_values(lib, fwAD.unpack_dual(o).tangent)
                            if isinstance(o, lib.Tensor) else None for o in outs]}


def _func_facts(lib, case, jacfwd):
    """torch.func.jvp's tangents and (when `jacfwd`) jacfwd's Jacobian (first input) of the op
    as a function of its differentiated inputs."""
    ins, args, kwargs = _inputs(lib, case)
    leaves = ins.leaves
    if not leaves:
        return {}

    def f(*xs):
        by_id = {id(x): v for x, v in zip(leaves, xs)}

        def new(x):
            base = _primal(x)
            if id(base) not in by_id:
                return x
            v = by_id[id(base)]
            return v.t() if x is not base else v
        out = _apply(lib, case, args, kwargs, new)
        outs = tuple(o for o in sweep._flat(out) if isinstance(o, lib.Tensor)
                     and o.is_floating_point())
        return outs

    tangents = tuple(_tangent(lib, x, n) for n, x in enumerate(leaves))
    facts = {}
    try:
        _, jvps = lib.func.jvp(f, tuple(leaves), tangents)
        facts["jvp"] = [_values(lib, t) for t in jvps]
    except Exception as e:  # noqa: BLE001
        facts["jvp"] = _error(e)
    if not jacfwd:
        return facts
    try:
        jac = lib.func.jacfwd(f)(*leaves)
        facts["jacfwd"] = [_values(lib, j) for j in jac]
    except Exception as e:  # noqa: BLE001
        facts["jacfwd"] = _error(e)
    return facts


def run(lib, case, jacfwd=True):
    """The facts of one case, JSON-safe: "tangent" (or "error"), "jvp" and, when `jacfwd`,
    "jacfwd"."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        facts = _dual_facts(lib, case)
        if "error" not in facts:
            facts.update(_func_facts(lib, case, jacfwd))
    return facts


def close(a, b, tol=1e-10):
    """Values equal within tol (relative and absolute); strings and None exactly."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    return a == b
