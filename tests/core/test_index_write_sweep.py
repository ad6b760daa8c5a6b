"""A random sweep of index WRITES against PyTorch itself, the companion of test_index_sweep.py's
reads: the same keys (ints in and out of range, slices, None, `...`, bool scalars, lists, int64
and bool tensors) on tensors of 0-3 dims, written as `x[key] = v`, `x[key] += v` and
`index_put_` (accumulate or not), with values of many shapes and dtypes (Python numbers, 0-d
tensors, the read's shape, broadcastable and wrong shapes; ints into floats, floats into ints,
bools, complex). Some writes go through views of a leaf requiring grad or into a non-leaf, then
backward: the gradients of the base and of the value, and the node names. The written values
and dtype, or the refusal's class and message, are PyTorch's for every key
(GRADSH_INDEX_SWEEP=N runs N keys per seed instead of the default)."""

import json
import math
import os
import pathlib
import random
import warnings

import pytest

import gradsh

from test_index_sweep import _cases

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for this sweep")

N = int(os.environ.get("GRADSH_INDEX_SWEEP", "1500"))
DATA = pathlib.Path(__file__).resolve().parent.parent / "data"

HOWS = ["set", "set", "set", "iadd", "put", "putacc", "grad", "view", "version", "leaf",
        "nograd"]
VALUES = ["float", "int", "bool", "complex", "t0", "match", "lead1", "shape", "shape"]
DTYPES = ["float32", "float32", "float64", "int64", "bool", "complex64"]
SHAPES = [(1,), (2,), (3,), (0,), (1, 1), (2, 1), (1, 2), (2, 2), (3, 2), (1, 3), (2, 3)]


def write_cases(seed, n):
    """(shape, key, single, how, x's dtype, value kind, value dtype, value shape) drawn from a
    seed: the read sweep's tensors and keys, each with one way of writing."""
    rng = random.Random(seed * 7919)
    for shape, key, single in _cases(seed, n):
        how = rng.choice(HOWS)
        xdtype = rng.choice(["float32"] * 4 + ["int64", "float64"]) if how in (
            "set", "iadd", "put", "putacc") else "float32"
        yield (shape, key, single, how, xdtype, rng.choice(VALUES), rng.choice(DTYPES),
               rng.choice(SHAPES))


def _key(mod, key, single, tensors_only=False):
    def make(k):
        kind = k[0]
        if kind == "slice":
            return slice(*k[1:])
        if kind in ("long", "mask"):
            return mod.tensor(k[1], dtype=mod.long if kind == "long" else mod.bool)
        if tensors_only:  # index_put_ takes a tuple of tensors: other items as PyTorch's would be
            if kind == "list":
                return mod.tensor(k[1], dtype=mod.long)
            if kind in ("int", "bool"):
                return mod.tensor(k[1])
            return None
        return {"none": None, "ellipsis": Ellipsis}.get(kind, k[-1] if len(k) > 1 else None)

    made = [make(k) for k in key]
    return made[0] if single and not tensors_only else tuple(made)


def _value(mod, x, key, kind, dtype, shape, requires_grad=False):
    if kind == "float":
        return 2.5
    if kind == "int":
        return 7
    if kind == "bool":
        return True
    if kind == "complex":
        return 1 + 2j
    dt = getattr(mod, dtype)
    if kind in ("match", "lead1"):
        try:
            shape = tuple(x[key].shape)
        except Exception:  # noqa: BLE001 - the write's own refusal is what is compared
            shape = (1,)
        shape = (1,) + shape if kind == "lead1" else shape
    elif kind == "t0":
        shape = ()
    v = (mod.arange(math.prod(shape)) + 10).reshape(shape).to(dt)
    if requires_grad and v.dtype.is_floating_point:
        v.requires_grad_()
    return v


def _grads(*ts):
    return [None if t is None or t.grad is None else t.grad.tolist() for t in ts]


def write(mod, *case):
    """The case run in `mod` (gradsh or torch): what it wrote and its gradients, or its
    refusal; and the warnings it gave."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = _write(mod, *case)
    # (PyTorch casts complex to real with a warning once per process: test_complex_to_real_warns_once)
    return out, sorted({(w.category.__name__, str(w.message)) for w in seen
                        if not str(w.message).startswith("Casting complex values to real")})


def _write(mod, shape, key, single, how, xdtype, vkind, vdtype, vshape):
    n = math.prod(shape)
    try:
        if how in ("set", "iadd", "put", "putacc"):
            x = mod.arange(float(n)).reshape(shape).to(getattr(mod, xdtype))
            k = _key(mod, key, single, tensors_only=how.startswith("put"))
            v = _value(mod, x, k, vkind, vdtype, vshape)
            if how == "set":
                x[k] = v
            elif how == "iadd":
                x[k] += v
            else:
                if not isinstance(v, mod.Tensor):
                    v = mod.tensor(v)
                x.index_put_(k, v, accumulate=how == "putacc")
            return str(x.dtype), x.tolist()
        a = mod.arange(float(n)).reshape(shape).requires_grad_()
        k = _key(mod, key, single)
        if how == "grad":  # into a non-leaf, then backward through it
            x = a * 2
            v = _value(mod, x, k, vkind, "float32" if vdtype == "bool" else vdtype, vshape, True)
            x[k] = v
            weights = mod.arange(float(n)).reshape(shape) + 1
            (x * weights).sum().backward()
            return x.grad_fn.name(), x.tolist(), _grads(a, v)
        if how == "view":  # through a view of a non-leaf: the base changes, its history too
            base = a.clone()
            y = base[..., :] if shape else base[...]
            v = _value(mod, y, k, vkind, "float32" if vdtype == "bool" else vdtype, vshape, True)
            y[k] = v
            (base * (mod.arange(float(n)).reshape(shape) + 1)).sum().backward()
            return (base.grad_fn.name(), y.grad_fn.name(), base.tolist(), y._version,
                    base._version, _grads(a, v))
        if how == "leaf":  # a leaf requiring grad, or a view of one: refused, once the key is read
            y = a[..., :] if shape and k != () else a
            y[k] = _value(mod, y, k, vkind, "float32", vshape)
            return a.tolist()
        if how == "nograd":  # the same under no_grad: written, the leaf's history unchanged
            with mod.no_grad():
                a[k] = _value(mod, a, k, vkind, vdtype, vshape)
            return a.tolist(), a.grad_fn, a.requires_grad, a._version
        # version: a value saved for backward, then written over
        y = a.sigmoid()
        v = _value(mod, y, k, vkind, "float32", vshape)
        y[k] = v
        y.sum().backward()
        return y.grad_fn.name(), y._version, _grads(a)
    except Exception as e:  # noqa: BLE001 - the refusal's class and message are compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("seed", [1, 2])
def test_writes_are_pytorchs(seed):
    differ = []
    for case in write_cases(seed, N):
        ours, theirs = write(gradsh, *case), write(torch, *case)
        if ours != theirs:
            differ.append((case, ours, theirs))
    assert differ == []


COMPLEX_INTO_REAL = """
x = torch.zeros(3)
x[0] = torch.tensor(1 + 2j)
x[1:] = torch.tensor([1j, 2j])
x.copy_(torch.tensor([1j, 2j, 3j]))
torch.tensor(1 + 2j).to(torch.float32)
"""


def test_complex_to_real_warns_once(monkeypatch):
    # PyTorch warns once per process (its TORCH_WARN_ONCE), at the first write's line, as
    # recorded from a fresh process (tools/record_write_warnings.py); gradsh's once-state is
    # made fresh here, as a new process's
    recorded = json.loads((DATA / "write_warnings.json").read_text())
    assert recorded["program"] == COMPLEX_INTO_REAL, "run: python tools/record_write_warnings.py"
    monkeypatch.setattr(gradsh.core.errors, "WARNED_ONCE", set())
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        exec(compile("import gradsh as torch\n" + COMPLEX_INTO_REAL, "<string>", "exec"), {})
    ours = [f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}" for w in seen]
    assert ours == recorded["warnings"]
