"""Writes and reads through bool masks and bool scalars, against PyTorch itself: every tensor
shape with every mask shape, as `x[m] = v`, `index_put_` (with and without accumulate) and
`x[m]`; and every kind of key on a 0-d tensor. Values, or the error's class and message."""

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these sweeps")

SHAPES = [(), (2,), (2, 2), (2, 3)]
MASKS = [(), (1,), (2,), (3,), (2, 2), (2, 3), (2, 2, 2)]


def _mask_case(mod, shape, mask, how):
    x = mod.zeros(shape)
    m = mod.ones(mask, dtype=mod.bool)
    try:
        if how == "set":
            x[m] = 3.0
        elif how == "put":
            x.index_put_((m,), mod.tensor(3.0))
        elif how == "putacc":
            x.index_put_((m,), mod.tensor(3.0), accumulate=True)
        else:
            x = x[m]
        return x.tolist()
    except Exception as e:  # noqa: BLE001 - the error is the result compared
        return type(e).__name__, str(e)


# (an accumulated 0-d mask on a tensor of dims: PyTorch 2.13 fails an internal assert, and
# gradsh gives the same error)
CASES = [(s, m, how) for s in SHAPES for m in MASKS for how in ("set", "put", "putacc", "get")]


@pytest.mark.parametrize("shape,mask,how", CASES)
def test_a_mask_write_or_read_is_pytorchs(shape, mask, how):
    assert _mask_case(gradsh, shape, mask, how) == _mask_case(torch, shape, mask, how)


KEYS = {"tensor(False)": lambda t: t.tensor(False), "tensor(True)": lambda t: t.tensor(True),
        "True": lambda t: True, "False": lambda t: False, "None": lambda t: None,
        "...": lambda t: Ellipsis, "tensor(0)": lambda t: t.tensor(0), "0": lambda t: 0,
        ":": lambda t: slice(None), "[0]": lambda t: [0], "[True]": lambda t: [True],
        "tensor([True])": lambda t: t.tensor([True]), "(None, ...)": lambda t: (None, Ellipsis),
        "(True, None)": lambda t: (True, None), "(False, ...)": lambda t: (False, Ellipsis)}


def _zero_dim_case(mod, key, how):
    x = mod.tensor(1.5)
    try:
        if how == "get":
            return x[KEYS[key](mod)].tolist()
        x[KEYS[key](mod)] = 7.0
        return x.tolist()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)


@pytest.mark.parametrize("how", ["get", "set"])
@pytest.mark.parametrize("key", KEYS)
def test_a_key_on_a_0d_tensor_is_pytorchs(key, how):
    assert _zero_dim_case(gradsh, key, how) == _zero_dim_case(torch, key, how)
