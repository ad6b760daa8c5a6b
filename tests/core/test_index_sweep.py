"""A random sweep of `x[key]` against PyTorch itself: tensors of 0-3 dims and keys mixing ints
(in and out of range), slices (empty, past the end, stepping backwards), None, `...`, bool
scalars, lists, and int64 and bool tensors. A read PyTorch answers gives the same values,
shape and strides here; a read PyTorch refuses is refused with the same exception class
(the messages of a few refusals still differ: docs/autograd.md)."""

import math
import random

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for this sweep")


def _cases(seed, n):
    rng = random.Random(seed)

    def item():
        c = rng.random()
        if c < 0.25:
            return ("int", rng.randint(-4, 3))
        if c < 0.45:
            return ("slice", rng.choice([None, -3, -1, 0, 1, 2, 5]),
                    rng.choice([None, -1, 0, 1, 2, 5]), rng.choice([None, None, 1, 2, -1]))
        if c < 0.5:
            return ("none",)
        if c < 0.55:
            return ("ellipsis",)
        if c < 0.6:
            return ("bool", rng.random() < 0.5)
        if c < 0.7:
            return ("list", [rng.randint(-3, 2) for _ in range(rng.randint(0, 3))])
        if c < 0.8:
            return ("long", [rng.randint(-3, 2) for _ in range(rng.randint(0, 3))])
        if c < 0.9:
            return ("mask", [rng.random() < 0.5 for _ in range(rng.randint(1, 3))])
        return ("long", [[rng.randint(-2, 1) for _ in range(2)] for _ in range(rng.randint(1, 2))])

    for _ in range(n):
        shape = [rng.choice([1, 2, 3]) for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
        key = [item() for _ in range(rng.choice([1, 1, 2, 2, 3]))]
        yield shape, key, len(key) == 1 and rng.random() < 0.5


def _read(mod, shape, key, single):
    def make(k):
        kind = k[0]
        if kind == "slice":
            return slice(*k[1:])
        if kind in ("long", "mask"):
            return mod.tensor(k[1], dtype=mod.long if kind == "long" else mod.bool)
        return {"none": None, "ellipsis": Ellipsis}.get(kind, k[-1] if len(k) > 1 else None)

    x = mod.arange(float(math.prod(shape))).reshape(shape)
    key = [make(k) for k in key]
    try:
        r = x[key[0] if single else tuple(key)]
    except Exception as e:  # noqa: BLE001 - the refusal's class is compared
        return type(e).__name__, str(e)
    return list(r.shape), r.tolist(), list(r.stride()) if r.numel() else None


@pytest.mark.parametrize("seed", [1, 2])
def test_reads_are_pytorchs(seed):
    cases = list(_cases(seed, 1500))
    differ = [(s, k, single, _read(gradsh, s, k, single), _read(torch, s, k, single))
              for s, k, single in cases
              if _read(gradsh, s, k, single) != _read(torch, s, k, single)]
    assert differ == []
