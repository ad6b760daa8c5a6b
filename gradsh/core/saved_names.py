"""PyTorch's names for the values a node saved (`grad_fn._saved_<name>`), from the names of the
rule's parameters. Rules keep short math names (`x`, `r`, `shape`); a program reading
`grad_fn._saved_self` or `_saved_self_sym_sizes` sees PyTorch's names. A value PyTorch's node
does not save (a count, a layout flag gradsh keeps for speed) is not shown (None).
Names and the renaming were read off PyTorch 2.13's nodes (dir(grad_fn)); tested by
tests/core/test_saved_names.py against tests/data/saved_names.json."""

# the same renaming in every rule
COMMON = {
    "x": "self", "r": "result", "a": "self", "b": "other", "y": "target",
    "shape": "self_sym_sizes", "dims": "dim", "lo": "min", "hi": "max",
    "d0": "dim0", "d1": "dim1", "d2": "dim2", "k": "diagonal", "cond": "condition",
    "slope": "negative_slope", "reps": "repeats", "key": "indices", "stop": "end",
    "c": "correction",
    # gradsh's own: not saved by PyTorch's node
    "n": None, "sizes_": None, "column_major": None, "vec_sizes": None,
    "tensor_sizes": None,
}
# where a node's names differ from the common renaming
BY_NODE = {
    "HardtanhBackward0": {"lo": "min_val", "hi": "max_val"},
    "ClampMinBackward0": {"bound": "min"}, "ClampMinBackward1": {"bound": "min"},
    "ClampMaxBackward0": {"bound": "max"}, "ClampMaxBackward1": {"bound": "max"},
    "MeanBackward0": {"n": "self_sym_numel"},
    "PermuteBackward0": {"dims": "dims"}, "FlipBackward0": {"dims": "dims"},
    "RollBackward0": {"dims": "dims"}, "Rot90Backward0": {"k": "k", "dims": "dims"},
    "NativeLayerNormBackward0": {"dims": None, "eps": None},
    "PolygammaBackward0": {"n": "n"},
    "LinalgVectorNormBackward0": {"p": "ord"},
    "MmBackward0": {"self_sizes": "self_sym_sizes", "mat2_sizes": "mat2_sym_sizes"},
    "BmmBackward0": {"self_sizes": None, "mat2_sizes": None},
    "MvBackward0": {"self_sizes": None}, "DotBackward0": {"self_sizes": None},
    "AddmmBackward0": {"shape": None},
    "GatherBackward0": {},
    "EmbeddingBackward0": {"shape": None},
    "UnbindBackward0": {"shape": None},
    "CopysignBackward0": {"out": "result"}, "CopysignBackward1": {"out": "result"},
}


# values PyTorch's node saves that gradsh's rule does not need: computed from what it saved when
# a program reads them (name -> fn({rule parameter name: value as shown}); an array is shown as
# a tensor). PyTorch's nodes list them in dir() like the others.
def _strides(t):
    return None if t is None else t.stride()


def _moments(v):
    """layer_norm's mean and 1 / sqrt(var + eps) over the normalized dims (keepdim), computed in
    float64 and rounded to the input's dtype."""
    import numpy as np
    x = v["input"]._data
    dims = tuple(v["dims"])
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=dims, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=dims, keepdims=True)
    return mean.astype(x.dtype), (1 / np.sqrt(var + v["eps"])).astype(x.dtype)


DERIVED = {
    "MeanBackward1": {"self_sym_numel": lambda v: _numel(v["shape"])},
    "EluBackward0": {"input_scale": lambda v: 1},
    "MmBackward0": {"self_sym_strides": lambda v: _strides(v["self"]),
                    "mat2_sym_strides": lambda v: _strides(v["mat2"])},
    "NativeLayerNormBackward0": {"result1": lambda v: _moments(v)[0],
                                 "result2": lambda v: _moments(v)[1]},
}


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def shown(node_name, names):
    """PyTorch's name (or None) for each of the rule's saved-value names, in order."""
    own = BY_NODE.get(node_name, {})
    return tuple(own[n] if n in own else COMMON.get(n, n) for n in names)
