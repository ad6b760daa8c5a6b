"""A differential fuzzer: the same random call made in gradsh (`import gradsh`, as a library) and
in PyTorch 2.13, what each gives compared, the differences counted in buckets (function, kind).

    python tools/diff_fuzz.py --calls 50000 --seed 1 --report /tmp/diff_fuzz.md
    python tools/diff_fuzz.py --calls 2000 --seed 0 --show 'torch.add'   # calls of one bucket

The targets are the functions and methods gradsh and PyTorch both offer on torch.*,
torch.nn.functional.*, torch.linalg.*, torch.special.*, torch.fft.*, the Tensor methods (in-place
ones too), the operators (`t + x`, `t += x`, `-t`, `t @ x`...) and indexing (`t[i]`,
`t[i] = v`). A call's arguments are drawn from the target's signature (PyTorch's parser strings,
gradsh/core/signatures.txt; fft's from its docstrings): tensors of the twelve dtypes and of shapes
0-d, empty and 1 to 4 dimensions, contiguous or as transposed, strided or expanded views, some
requiring grad; Python bools, ints, floats and complex numbers (negative, huge); None; lists and
tuples; dims in and out of range; dtype= and out= keywords. Each call is a plain description
(`Call`) built into each library's values by `build`, so the two calls take equal arguments.

What is compared (`differences`): the exception's class and the first line of its message, or
the result's type, dtype, shape, strides, values (bitwise for bool and integers; for floating
and complex dtypes within the dtype's tolerance, the elements differing at all counted as
"last-bit" differences, a figure and not a difference), requires_grad and grad_fn's name, then
the first input tensor and out= after the call (in-place ops), then the gradients when the
result is a float tensor with a grad_fn (`result.sum().backward()`). Random ops are compared
without their values.

tests/core/test_diff_fuzz.py replays a small sample with a fixed seed and fails on a bucket not
in tests/data/diff_fuzz_known.json (each with the reason it differs).
"""

import argparse
import collections
import contextlib
import functools
import io
import math
import operator
import pathlib
import random
import re
import signal
import sys
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import gradsh  # noqa: E402
from gradsh.core import argcheck  # noqa: E402 - PyTorch's recorded parser signatures

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64", "complex64", "complex128")
FLOATS = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")
SHAPES = [(), (0,), (1,), (3,), (2, 3), (3, 3), (2, 0), (1, 3), (2, 3, 2), (2, 1, 3, 2)]
SECONDS_PER_CALL = 5
# element tolerance by dtype (rtol = atol): what separates a value difference from rounding
TOLERANCE = {"float16": 1e-2, "bfloat16": 5e-2, "float32": 1e-4, "float64": 1e-9,
             "complex64": 1e-4, "complex128": 1e-9}

# names not called: process-wide state, printing, waiting, or a documented non-API
SKIP = {"set_default_dtype", "set_printoptions", "manual_seed", "seed", "set_rng_state",
        "set_grad_enabled", "use_deterministic_algorithms", "set_default_device",
        "set_default_tensor_type", "set_flush_denormal", "set_num_threads",
        "set_num_interop_threads", "initial_seed", "set_warn_always", "get_rng_state",
        "backward", "register_hook", "retain_grad", "data_ptr", "storage", "untyped_storage",
        "share_memory_", "pin_memory", "numpy", "tolist", "item", "new", "record_stream",
        "set_", "storage_offset", "is_shared", "element_size", "__reduce_ex__", "apply_",
        "map_", "map2_", "cuda", "ipu", "xpu", "mps", "to_sparse", "dim_order", "module_load",
        "stft", "istft", "save", "load", "compile"}
# random ops: dtype, shape and errors compared, their values not
RANDOM = re.compile(r"(rand|normal|bernoulli|dropout|multinomial|poisson|exponential|"
                    r"geometric|cauchy|log_normal|uniform|random_|rrelu|empty|gumbel)")

STRINGS = {"reduction": ["mean", "sum", "none", "bad"], "norm": ["ortho", "forward", "backward",
           None, "bad"], "rounding_mode": ["trunc", "floor", None, "bad"],
           "approximate": ["none", "tanh", "bad"], "side": ["left", "right", "bad"],
           "interpolation": ["linear", "lower", "higher", "midpoint", "nearest", "bad"],
           "mode": ["reduced", "complete", "r", "bad"], "UPLO": ["L", "U", "bad"],
           "ord": ["fro", "nuc", "bad"], "driver": [None, "gelsd", "bad"],
           "indexing": ["ij", "xy", "bad"], "padding": ["same", "valid", "bad"],
           "equation": ["i,i->", "ij,jk->ik", "ii", "bad"], "reduce": ["sum", "prod", "mean",
           "amax", "amin", "bad"]}
OPERATORS = {"__add__": operator.add, "__sub__": operator.sub, "__mul__": operator.mul,
             "__truediv__": operator.truediv, "__floordiv__": operator.floordiv,
             "__mod__": operator.mod, "__pow__": operator.pow, "__matmul__": operator.matmul,
             "__and__": operator.and_, "__or__": operator.or_, "__xor__": operator.xor,
             "__lshift__": operator.lshift, "__rshift__": operator.rshift,
             "__lt__": operator.lt, "__le__": operator.le, "__gt__": operator.gt,
             "__ge__": operator.ge, "__eq__": operator.eq, "__ne__": operator.ne,
             "__iadd__": operator.iadd, "__isub__": operator.isub, "__imul__": operator.imul,
             "__itruediv__": operator.itruediv, "__ifloordiv__": operator.ifloordiv,
             "__imod__": operator.imod, "__ipow__": operator.ipow, "__iand__": operator.iand,
             "__ior__": operator.ior, "__ixor__": operator.ixor}
UNARY = {"__neg__": operator.neg, "__abs__": operator.abs, "__invert__": operator.invert,
         "__pos__": operator.pos}
REFLECTED = {"__radd__": operator.add, "__rsub__": operator.sub, "__rmul__": operator.mul,
             "__rtruediv__": operator.truediv, "__rpow__": operator.pow,
             "__rfloordiv__": operator.floordiv, "__rmod__": operator.mod}


# ---------------------------------------------------------------- targets

def _fft_signature(name):
    """torch.fft's functions are Python-level with a docstring first line; typed by name."""
    import torch
    first = next((ln for ln in (getattr(torch.fft, name).__doc__ or "").splitlines()
                  if ln.strip().startswith(name + "(")), None)
    if first is None:
        return None
    body = first.strip()[len(name) + 1:].rsplit(")", 1)[0]
    typed = {"input": "Tensor", "n": "int64_t?", "s": "IntArrayRef?", "dim": "int64_t",
             "norm": "c10::string_view?", "out": "Tensor?", "d": "double", "dtype": "ScalarType?"}
    parts = []
    for part in body.split(", "):
        if part in ("*", "") or "=" not in part and part not in typed:
            parts.append(part) if part == "*" else None
            continue
        pname, eq, default = part.partition("=")
        kind = typed.get(pname, "PyObject")
        if pname == "dim" and "(" in default or pname == "dim" and default == "None":
            kind = "IntArrayRef?"
        parts.append("%s %s%s" % (kind, pname, "=" + default if eq else ""))
    try:
        return argcheck.Signature("%s(%s)" % (name, ", ".join(p for p in parts if p)))
    except (KeyError, ValueError):
        return None


@functools.lru_cache(maxsize=None)
def targets():
    """{target name: [Signature...]}: what both libraries offer; operators and indexing too."""
    import torch
    surfaces = {"torch": (torch, gradsh), "F": (torch.nn.functional, gradsh.nn.functional),
                "linalg": (torch.linalg, gradsh.linalg), "special": (torch.special, gradsh.special),
                "Tensor": (torch.Tensor, gradsh.Tensor)}
    table = argcheck._table()
    out = {}
    for key in sorted(table):
        surface, name = key.split(".", 1)
        if surface not in surfaces or name.startswith("_") and not name.startswith("__") \
                or name in SKIP:
            continue
        t_mod, g_mod = surfaces[surface]
        if not hasattr(t_mod, name) or not hasattr(g_mod, name):
            continue
        sigs = [s for s in argcheck.signatures(surface, name)
                if isinstance(s, argcheck.Signature) and not s.hidden]
        if sigs:
            out[surface + "." + name] = sigs
    for name in dir(torch.fft):
        if not name.startswith("_") and hasattr(gradsh.fft, name) and callable(
                getattr(torch.fft, name)):
            sig = _fft_signature(name)
            if sig is not None:
                out["fft." + name] = [sig]
    for name in list(OPERATORS) + list(UNARY) + list(REFLECTED):
        out["op." + name] = []
    out["op.__getitem__"] = []
    out["op.__setitem__"] = []
    return out


# ---------------------------------------------------------------- calls (plain descriptions)

class T:
    """A tensor to build: dtype, shape, layout ('c' contiguous, 't' transposed, 's' strided,
    'e' expanded), the seed of its values, whether its base requires grad."""

    def __init__(self, dtype, shape, layout, seed, grad):
        self.dtype, self.shape, self.layout, self.seed, self.grad = dtype, shape, layout, seed, grad

    def __repr__(self):
        return "T(%s,%s,%s,%d%s)" % (self.dtype, self.shape, self.layout, self.seed,
                                     ",grad" if self.grad else "")


class D:
    """A dtype by name."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


class Call:
    def __init__(self, target, args, kwargs):
        self.target, self.args, self.kwargs = target, args, kwargs

    def __repr__(self):
        items = [repr(a) for a in self.args] + ["%s=%r" % kv for kv in self.kwargs.items()]
        return "%s(%s)" % (self.target, ", ".join(items))


def _tensor(r, shape=None, dtype=None, grad=None):
    # every dtype, the usual ones more often (most calls should get past the argument checks)
    dtype = dtype or (r.choice(DTYPES) if r.random() < 0.4 else r.choice(
        ("float32", "float32", "float64", "int64", "bool")))
    shape = r.choice(SHAPES) if shape is None else shape
    layout = r.choice("cccts e") if len(shape) >= 1 else "c"
    layout = "c" if layout == " " else layout
    if grad is None:
        grad = dtype in FLOATS and r.random() < 0.3
    return T(dtype, tuple(shape), layout, r.randrange(10 ** 6), grad)


SCALARS = [0, 1, -1, 2, 3, -2, 0.5, -1.5, 2.0, True, False, 1j, 1 + 2j, float("nan"),
           float("inf"), 10 ** 20, -(2 ** 63), 2 ** 64, 1e300, -0.0]


def _scalar(r):
    return r.choice(SCALARS[:10]) if r.random() < 0.7 else r.choice(SCALARS)


def _int(r, ndim):
    if r.random() < 0.85:
        return r.randint(-ndim - 1, ndim) if ndim else r.randint(-1, 2)
    return r.choice([5, -7, 2 ** 40, -(2 ** 63)])


def _value(r, p, shape, ndim):
    """A value for parameter p (an argcheck.Param) of a call whose tensors mostly have `shape`."""
    kind = p.kind
    if p.allow_none and r.random() < 0.2:
        return None
    if r.random() < 0.02:  # any kind of value where it does not belong
        return r.choice([None, "x", 1.5, [1, 2], _tensor(r)])
    if kind == "Tensor":
        if r.random() < 0.12:
            return _scalar(r)
        s = shape if r.random() < 0.7 else r.choice(SHAPES)
        return _tensor(r, s)
    if kind == "Scalar":
        return _scalar(r) if r.random() < 0.85 else _tensor(r, ())
    if kind in ("int64_t", "SymInt"):
        if p.name in ("n", "k", "num_classes", "groups", "upscale_factor", "downscale_factor",
                      "diagonal", "offset", "steps", "repeats", "chunks", "sections"):
            return r.choice([0, 1, 2, 3, -1])
        return _int(r, ndim)
    if kind in ("IntArrayRef", "SymIntArrayRef", "DimnameList", "OptionalIntArrayRef"):
        if p.name in ("size", "shape", "sizes", "stride", "output_size", "kernel_size"):
            n = r.randrange(0, 4)
            return r.choice([list, tuple])(r.choice([0, 1, 2, 3, 3, -1]) for _ in range(n))
        n = r.randrange(0, 3)
        vals = [_int(r, ndim) for _ in range(n)]
        return vals[0] if n == 1 and r.random() < 0.5 else r.choice([list, tuple])(vals)
    if kind == "double":
        return r.choice([0.0, 0.5, 1.0, 2.0, -1.0, 1e-6, 3, float("inf")])
    if kind == "bool":
        return r.choice([True, False, True, False, 0, 1.0])
    if kind == "ScalarType":
        return D(r.choice(DTYPES))
    if kind in ("TensorList", "ITensorListRef", "c10::List<::std::optional<Tensor>>"):
        return [_tensor(r, shape if r.random() < 0.8 else r.choice(SHAPES))
                for _ in range(r.randrange(0, 4))]
    if kind in ("c10::string_view", "std::string_view", "std::string"):
        return r.choice(STRINGS.get(p.name, ["mean", "bad"]))
    if kind == "ArrayRef<double>":
        return [r.choice([0.5, 1.0, 2.0]) for _ in range(r.randrange(1, 3))]
    if kind == "PyObject":
        return r.choice([None, _tensor(r, shape), _int(r, ndim), 2.0, [0, 1]])
    return None  # generators, layouts, devices, memory formats: their defaults


def _index(r, ndim):
    def one():
        k = r.randrange(8)
        if k == 0:
            return r.randint(-3, 3)
        if k == 1:
            return slice(r.choice([None, 0, 1, -1]), r.choice([None, 2, -1, 5]),
                         r.choice([None, None, 1, 2, -1, 0]))
        if k == 2:
            return None
        if k == 3:
            return Ellipsis
        if k == 4:
            return r.choice([True, False])
        if k == 5:
            return _tensor(r, r.choice([(), (2,), (3,), (2, 2)]), dtype=r.choice(
                ["int64", "int64", "bool", "int32", "uint8", "float32"]), grad=False)
        if k == 6:
            return [r.randint(-3, 2) for _ in range(r.randrange(0, 3))]
        return r.randint(0, 2)
    n = r.randrange(1, max(ndim, 1) + 2)
    return one() if n == 1 else tuple(one() for _ in range(n))


def draw(r, target):
    """One random Call of `target`."""
    surface, name = target.split(".", 1)
    shape = r.choice(SHAPES)
    ndim = len(shape)
    if surface == "op":
        me = _tensor(r, shape)
        if name == "__getitem__":
            return Call(target, [me, _index(r, ndim)], {})
        if name == "__setitem__":
            v = _scalar(r) if r.random() < 0.4 else _tensor(r, r.choice([(), shape[-1:], shape]))
            return Call(target, [me, _index(r, ndim), v], {})
        if name in UNARY:
            return Call(target, [me], {})
        other = _scalar(r) if r.random() < 0.3 else _tensor(
            r, shape if r.random() < 0.7 else r.choice(SHAPES))
        return Call(target, [me, other], {})
    sig = r.choice(targets()[target])
    args, kwargs = [], {}
    if surface == "Tensor":
        args.append(_tensor(r, shape))
    keyword_from = r.randrange(len(sig.params) + 1)
    for i, p in enumerate(sig.params):
        if p.optional and r.random() < 0.6:
            continue
        if p.name == "out":
            if r.random() < 0.6:
                continue
            kwargs["out"] = _tensor(r, r.choice([shape, (0,), ()]), grad=False)
            continue
        v = _value(r, p, shape, ndim)
        if p.keyword_only or i >= keyword_from and p.name not in ("input", "self"):
            kwargs[p.name] = v
        else:
            args.append(v)
    if r.random() < 0.02:  # an argument too many, a keyword no signature has
        kwargs["bogus"] = 1
    return Call(target, args, kwargs)


# ---------------------------------------------------------------- building in one library

def _data(t):
    g = np.random.RandomState(t.seed)
    if t.layout == "t":
        shape = t.shape[::-1]
    elif t.layout == "s":
        shape = t.shape[:-1] + (t.shape[-1] * 2,)
    elif t.layout == "e":
        shape = (1,) + t.shape[1:]
    else:
        shape = t.shape
    if t.dtype == "bool":
        a = g.randint(0, 2, shape).astype(bool)
    elif t.dtype == "uint8":
        a = g.randint(0, 12, shape)
    elif t.dtype.startswith("int"):
        a = g.randint(-6, 7, shape)
    else:
        a = np.round(g.standard_normal(shape) * 2, 3)
        if a.size and g.random_sample() < 0.1:
            a.flat[g.randint(a.size)] = g.choice([np.nan, np.inf, -np.inf, 0.0])
        if t.dtype.startswith("complex"):
            a = a + 1j * np.round(g.standard_normal(shape), 3)
    return a, shape


def build(lib, value, leaves):
    """The library's value for a description; tensors requiring grad go to `leaves`."""
    if isinstance(value, T):
        a, _ = _data(value)
        dt = getattr(lib, value.dtype)
        if value.dtype == "bfloat16":
            base = lib.tensor(a.tolist(), dtype=lib.float32).to(dt)
        else:
            base = lib.tensor(a.tolist(), dtype=dt)
        if value.grad:
            base.requires_grad_(True)
            leaves.append(base)
        if value.layout == "t":
            return base.permute(*reversed(range(base.dim())))
        if value.layout == "s":
            return base[..., ::2]
        if value.layout == "e":
            return base.expand(*value.shape)
        return base
    if isinstance(value, D):
        return getattr(lib, value.name)
    if isinstance(value, list):
        return [build(lib, v, leaves) for v in value]
    if isinstance(value, tuple):
        return tuple(build(lib, v, leaves) for v in value)
    if isinstance(value, slice):
        return value
    return value


def _function(lib, target):
    surface, name = target.split(".", 1)
    if surface == "torch":
        return getattr(lib, name)
    if surface == "F":
        return getattr(lib.nn.functional, name)
    if surface in ("linalg", "special", "fft"):
        return getattr(getattr(lib, surface), name)
    return None


# ---------------------------------------------------------------- observing

def _is_tensor(x):
    return hasattr(x, "grad_fn") and hasattr(x, "stride")


def _array(t):
    t = t.detach()
    name = str(t.dtype).replace("torch.", "")
    if name == "bfloat16" or name == "float16":
        t = t.to(t.new_zeros(()).float().dtype)
    return name, np.array(t.tolist(), dtype=None if name != "bool" else bool)


def tensor_facts(t):
    name, a = _array(t)
    fn = t.grad_fn
    return {"kind": "tensor", "dtype": name, "shape": tuple(t.shape), "stride": tuple(t.stride()),
            "values": a, "requires_grad": t.requires_grad,
            "grad_fn": None if fn is None else type(fn).__name__}


def facts(x, depth=0):
    if _is_tensor(x):
        return tensor_facts(x)
    if isinstance(x, (tuple, list)) and depth < 3:
        return {"kind": "seq", "type": "tuple" if isinstance(x, tuple) else type(x).__name__,
                "items": [facts(e, depth + 1) for e in x]}
    if isinstance(x, (bool, int, float, complex)) or x is None or isinstance(x, str):
        return {"kind": "py", "type": type(x).__name__, "value": x}
    return {"kind": "other", "type": type(x).__name__.replace("gradsh", "torch")}


class Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise Hang()


def _first_line(e):
    text = str(e)
    if isinstance(e, KeyError) and len(e.args) == 1:
        text = str(e.args[0])
    return text.strip().splitlines()[0] if text.strip() else ""


def run(lib, call):
    """What `call` gives in `lib`: {"raised": (class, first line)} or {"result": facts, "after":
    facts of the first tensor argument and out=, "grads": [...]}"""
    leaves = []
    try:
        args = [build(lib, a, leaves) for a in call.args]
        kwargs = {k: build(lib, v, leaves) for k, v in call.kwargs.items()}
    except Exception as e:  # noqa: B902 - building is compared too (bfloat16 from a list...)
        return {"raised": ("build:" + type(e).__name__, _first_line(e))}
    surface, name = call.target.split(".", 1)
    firsts = [a for a in args if _is_tensor(a)][:1]
    # the views as built (an empty one apart: gradsh keeps no strides for an empty tensor)
    observed = {"before": [(tuple(a.stride()), 0 in a.shape) for a in firsts]}
    signal.setitimer(signal.ITIMER_PROF, SECONDS_PER_CALL)
    try:
        if surface == "op":
            if name == "__getitem__":
                result = args[0][args[1]]
            elif name == "__setitem__":
                args[0][args[1]] = args[2]
                result = None
            elif name in UNARY:
                result = UNARY[name](args[0])
            elif name in REFLECTED:
                result = REFLECTED[name](args[1], args[0])
            else:
                result = OPERATORS[name](args[0], args[1])
        elif surface == "Tensor":
            result = getattr(args[0], name)(*args[1:], **kwargs)
        else:
            result = _function(lib, call.target)(*args, **kwargs)
        observed["result"] = facts(result)
        firsts = [a for a in args if _is_tensor(a)][:1] + (
            [kwargs["out"]] if _is_tensor(kwargs.get("out")) else [])
        observed["after"] = [tensor_facts(a) for a in firsts]
        if _is_tensor(result) and result.grad_fn is not None and leaves and \
                str(result.dtype) in ("torch.float32", "torch.float64"):
            try:
                result.sum().backward()
                observed["grads"] = [None if x.grad is None else tensor_facts(x.grad)
                                     for x in leaves]
            except Exception as e:  # noqa: B902 - compared
                observed["grads"] = ("raised", type(e).__name__, _first_line(e))
    except Hang:
        return {"raised": ("Hang", "")}
    except Exception as e:  # noqa: B902 - the exception is the observation
        observed = {"raised": (type(e).__name__, _first_line(e)), "before": observed["before"]}
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return observed


# ---------------------------------------------------------------- comparing

def _float_diff(a, b, dtype):
    """(close?, elements differing at all)"""
    if a.shape != b.shape:
        return False, -1
    if a.size == 0:
        return True, 0
    tol = TOLERANCE.get(dtype, 0)
    a_c, b_c = a.astype(complex), b.astype(complex)
    exact = (a_c == b_c) | (np.isnan(a_c) & np.isnan(b_c))
    close = np.isclose(a_c, b_c, rtol=tol, atol=tol, equal_nan=True)
    return bool(close.all()), int((~exact).sum())


def compare_tensors(g, t, where, random_values, out):
    for key in ("dtype", "shape", "stride", "requires_grad", "grad_fn"):
        if g[key] != t[key]:
            # gradsh reports contiguous strides for every empty tensor (numpy keeps none)
            kind = "stride-empty" if key == "stride" and 0 in t["shape"] else key
            out.append((where + kind, "%r vs %r" % (g[key], t[key])))
            if key in ("dtype", "shape"):
                return 0
    if random_values:
        return 0
    a, b = g["values"], t["values"]
    if t["dtype"] in FLOATS:
        close, bits = _float_diff(a, b, t["dtype"])
        if not close:
            out.append((where + "values", "%s vs %s" % (_short(a), _short(b))))
        return max(bits, 0)
    if a.shape != b.shape or not np.array_equal(a, b):
        out.append((where + "values", "%s vs %s" % (_short(a), _short(b))))
    return 0


def _short(a):
    return np.array2string(np.asarray(a), threshold=8, precision=4).replace("\n", "")[:120]


def compare_facts(g, t, where, random_values, out):
    if g["kind"] != t["kind"] or g.get("type") != t.get("type"):
        out.append((where + "type", "%s vs %s" % (g.get("type", g["kind"]),
                                                  t.get("type", t["kind"]))))
        return 0
    if g["kind"] == "tensor":
        return compare_tensors(g, t, where, random_values, out)
    if g["kind"] == "seq":
        if len(g["items"]) != len(t["items"]):
            out.append((where + "length", "%d vs %d" % (len(g["items"]), len(t["items"]))))
            return 0
        return sum(compare_facts(a, b, where, random_values, out)
                   for a, b in zip(g["items"], t["items"]))
    if g["kind"] == "py" and not random_values:
        a, b = g["value"], t["value"]
        same = a == b or (isinstance(a, float) and isinstance(b, float) and (
            math.isnan(a) and math.isnan(b) or math.isclose(a, b, rel_tol=1e-6)))
        if not same:
            out.append((where + "value", "%r vs %r" % (a, b)))
    return 0


def differences(call, g, t):
    """([(kind, detail)], last-bit count) between gradsh's observation g and PyTorch's t."""
    out = []
    if g.get("before") != t.get("before"):  # an input view's strides differ before the call
        empty = any(e for _, e in t.get("before", ()))
        out.append(("input-view-stride" + "-empty" * empty, "%r vs %r" % (
            g.get("before"), t.get("before"))))
        g, t = dict(g, after=[]), dict(t, after=[])
    if "raised" in g or "raised" in t:
        if "raised" not in g:
            out.append(("no-exception", "torch raised %s: %s" % t["raised"]))
        elif "raised" not in t:
            out.append(("exception", "gradsh raised %s: %s" % g["raised"]))
        elif g["raised"][0] != t["raised"][0]:
            out.append(("exception-class", "%s: %s vs %s: %s" % (g["raised"] + t["raised"])))
        elif g["raised"][1] != t["raised"][1]:
            out.append(("exception-message", "%r vs %r" % (g["raised"][1], t["raised"][1])))
        return out, 0
    random_values = bool(RANDOM.search(call.target.split(".", 1)[1]))
    bits = compare_facts(g["result"], t["result"], "", random_values, out)
    if len(g["after"]) == len(t["after"]):
        for a, b in zip(g["after"], t["after"]):
            bits += compare_facts(a, b, "input-", random_values, out)
    if ("grads" in g) != ("grads" in t):
        out.append(("grad", "backward ran in %s only" % ("gradsh" if "grads" in g else "torch")))
    elif "grads" in g:
        gg, tg = g["grads"], t["grads"]
        if isinstance(gg, tuple) or isinstance(tg, tuple):
            if gg != tg:
                out.append(("grad", "%r vs %r" % (gg, tg)))
        else:
            for a, b in zip(gg, tg):
                if (a is None) != (b is None):
                    out.append(("grad", "None in one"))
                elif a is not None:
                    bits += compare_facts(a, b, "grad-", random_values, out)
    return out, bits


# ---------------------------------------------------------------- running

@contextlib.contextmanager
def quiet():
    import torch
    from gradsh.core.memory import set_max_memory
    old = signal.signal(signal.SIGPROF, _alarm)
    set_max_memory(256 << 20)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, old)
            set_max_memory(None)
            torch.set_num_threads(threads)


class Tally:
    """Buckets (target, kind) with their counts and first examples, and the run's figures."""

    def __init__(self):
        self.buckets, self.examples = collections.Counter(), {}
        self.figures = collections.Counter()

    def compare(self, call):
        import torch
        t = run(torch, call)
        g = run(gradsh, call)
        found, bits = differences(call, g, t)
        self.figures["calls"] += 1
        self.figures["torch raised"] += "raised" in t
        self.figures["last-bit elements"] += bits
        self.figures["calls differing"] += bool(found)
        for kind, detail in found:
            key = (call.target, kind)
            self.buckets[key] += 1
            self.examples.setdefault(key, "%r: %s" % (call, detail))


def fuzz(calls, seed, names=None):
    """`calls` random calls, each of a target drawn at random: a Tally."""
    r = random.Random(seed)
    names = sorted(targets()) if names is None else names
    tally = Tally()
    with quiet():
        for _ in range(calls):
            target = r.choice(names)
            tally.compare(draw(r, target))
    return tally


def replay(seed=0, per_target=2, names=None):
    """`per_target` calls of every target, each target's drawn from its own seed (a target
    added later leaves the others' calls as they were): a Tally. The suite's sample."""
    tally = Tally()
    with quiet():
        for target in sorted(targets()) if names is None else names:
            r = random.Random("%d %s" % (seed, target))
            for _ in range(per_target):
                tally.compare(draw(r, target))
    return tally


def by_kind(buckets):
    kinds = collections.Counter()
    for (_, kind), n in buckets.items():
        kinds[kind] += n
    return kinds


def report(tally, seed, top=400):
    buckets, examples, figures = tally.buckets, tally.examples, tally.figures
    lines = ["# Differential fuzz: gradsh vs PyTorch %s" % __import__("torch").__version__, "",
             "seed %d; %s" % (seed, ", ".join("%s %d" % kv for kv in figures.items())),
             "%d buckets (function, kind)" % len(buckets), "", "## By kind", ""]
    for kind, n in by_kind(buckets).most_common():
        lines.append("- %s: %d" % (kind, n))
    lines += ["", "## Buckets, biggest first", ""]
    for (target, kind), n in buckets.most_common(top):
        lines.append("- %d %s %s: %s" % (n, target, kind, examples[(target, kind)][:300]))
    return "\n".join(lines) + "\n"


KNOWN = ROOT / "tests" / "data" / "diff_fuzz_known.json"
SUITE_SEED, SUITE_PER_TARGET = 0, 2
# why a kind of difference is let be (docs/autograd.md, "The differential fuzzer")
REASONS = {
    "exception-message": "both raise the same class; a bad call fails another of the op's "
                         "checks first, or the refusal is worded otherwise",
    "exception-class": "both refuse the call; another check fails first (often gradsh's "
                       "dtype-support refusal before PyTorch's shape or cast check), with its "
                       "own class",
    "exception": "gradsh refuses a call PyTorch runs",
    "no-exception": "gradsh runs a call PyTorch refuses (a check gradsh lacks)",
    "stride-empty": "gradsh reports contiguous strides for every empty tensor: numpy keeps "
                    "none for an empty array",
    "input-view-stride-empty": "an empty view's strides as built (numpy keeps none)",
    "input-stride-empty": "an empty input's strides after the call (numpy keeps none)",
}
_DEFAULT_REASON = "a difference in the result seen by the sample, to be fixed"


def write_known():
    """The suite sample's buckets, each with the reason its kind is let be and an example."""
    import json
    import torch
    tally = replay(SUITE_SEED, SUITE_PER_TARGET)
    old = json.loads(KNOWN.read_text(encoding="utf-8"))["known"] if KNOWN.exists() else {}
    kept = {k: v["reason"] for k, v in old.items() if v["reason"] not in REASONS.values()
            and v["reason"] != _DEFAULT_REASON}  # reasons written by hand stay
    known = {"note": "Differences between gradsh and PyTorch %s found by the suite's sample of "
                     "tools/diff_fuzz.py (seed %d, %d calls per target), recorded by `python "
                     "tools/diff_fuzz.py --known`; tests/core/test_diff_fuzz.py fails on a "
                     "bucket (target, kind) not listed here. Figures: %s." % (
                         torch.__version__, SUITE_SEED, SUITE_PER_TARGET, ", ".join(
                             "%s %d" % kv for kv in sorted(tally.figures.items()))),
             "targets": sorted(targets()),
             "known": {"%s %s" % key: {"reason": kept.get("%s %s" % key) or REASONS.get(
                 key[1], _DEFAULT_REASON),
                                       "example": tally.examples[key][:300]}
                       for key in sorted(tally.buckets)}}
    KNOWN.write_text(json.dumps(known, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print("%d buckets written to %s" % (len(tally.buckets), KNOWN))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--report", default=None, help="write the report here (default: stdout)")
    ap.add_argument("--only", default=None, help="a regular expression of target names")
    ap.add_argument("--known", action="store_true",
                    help="re-record tests/data/diff_fuzz_known.json from the suite's sample")
    args = ap.parse_args()
    names = None
    if args.only:
        names = [n for n in sorted(targets()) if re.search(args.only, n)]
    if args.known:
        write_known()
        return
    text = report(fuzz(args.calls, args.seed, names), args.seed)
    if args.report:
        pathlib.Path(args.report).write_text(text, encoding="utf-8")
        print("\n".join(text.splitlines()[:40]))
    else:
        print(text)


if __name__ == "__main__":
    main()
