"""index_add / index_copy / index_fill / index_reduce / index_select and scatter / scatter_add /
scatter_reduce / gather over dtypes and ranks (branch fid22): each op's valid call, then one
thing changed at a time (self's dtype, the source's, the index's dtype, the index's rank, a 0-d
self, dim or an index out of range), run under PyTorch (tools/record_fid22.py, into
fid22_index_ops.json) and gradsh (tests/core/test_fid22.py): the result's shape, dtype and
values, or the exception's class and first line."""

import linecache

# each op: its call with {x} (self), {i} (index), {s} (source) and {d} (dim)
CALLS = {
    "index_add": "{x}.index_add({d}, {i}, {s})",
    "index_copy": "{x}.index_copy({d}, {i}, {s})",
    "index_fill": "{x}.index_fill({d}, {i}, -1)",
    "index_fill_t": "{x}.index_fill({d}, {i}, torch.tensor(-1))",
    "index_reduce": "{x}.index_reduce({d}, {i}, {s}, 'prod')",
    "index_reduce_mean": "{x}.index_reduce({d}, {i}, {s}, 'mean', include_self=False)",
    "index_select": "{x}.index_select({d}, {i})",
    "index_add_": "{x}.clone().index_add_({d}, {i}, {s})",
    "index_copy_": "{x}.clone().index_copy_({d}, {i}, {s})",
    "scatter": "{x}.scatter({d}, {i}, {s})",
    "scatter_value": "{x}.scatter({d}, {i}, 5)",
    "scatter_add": "{x}.scatter_add({d}, {i}, {s})",
    "scatter_reduce": "{x}.scatter_reduce({d}, {i}, {s}, 'amax')",
    "scatter_reduce_sum": "{x}.scatter_reduce({d}, {i}, {s}, 'sum', include_self=False)",
    "scatter_add_": "{x}.clone().scatter_add_({d}, {i}, {s})",
    "gather": "{x}.gather({d}, {i})",
    "torch_index_add": "torch.index_add({x}, {d}, {i}, {s})",
    "torch_scatter": "torch.scatter({x}, {d}, {i}, {s})",
}
# index_* take a 1-d index of positions along dim; scatter/gather an index of self's rank
_INDEX_STYLE = {name: "scatter" if name.startswith(("scatter", "gather", "torch_scatter"))
                else "index" for name in CALLS}
_X = "torch.arange(12.).reshape(3, 4)"
_BASE = {"index": {"x": _X, "d": "0", "i": "torch.tensor([0, 2])",
                   "s": "torch.ones(2, 4)"},
         "scatter": {"x": _X, "d": "1", "i": "torch.tensor([[0, 1], [2, 3], [1, 0]])",
                     "s": "torch.ones(3, 2)"}}
_VARIANTS = {
    "index": {
        "base": {},
        "self float64": {"x": _X + ".double()", "s": "torch.ones(2, 4, dtype=torch.float64)"},
        "self int64": {"x": _X + ".long()", "s": "torch.ones(2, 4, dtype=torch.int64)"},
        "self bool": {"x": "(torch.arange(12).reshape(3, 4) % 2 == 0)",
                      "s": "torch.ones(2, 4, dtype=torch.bool)"},
        "self int32": {"x": _X + ".int()", "s": "torch.ones(2, 4, dtype=torch.int32)"},
        "source float64": {"s": "torch.ones(2, 4, dtype=torch.float64)"},
        "source int64": {"s": "torch.ones(2, 4, dtype=torch.int64)"},
        "source bool": {"s": "torch.ones(2, 4, dtype=torch.bool)"},
        "index int32": {"i": "torch.tensor([0, 2], dtype=torch.int32)"},
        "index int16": {"i": "torch.tensor([0, 2], dtype=torch.int16)"},
        "index uint8": {"i": "torch.tensor([0, 2], dtype=torch.uint8)"},
        "index float32": {"i": "torch.tensor([0.0, 2.0])"},
        "index bool": {"i": "torch.tensor([True, False])"},
        "index 0-d": {"i": "torch.tensor(1)", "s": "torch.ones(1, 4)"},
        "index 0-d, source 1-d": {"i": "torch.tensor(1)", "s": "torch.ones(4)"},
        "index 2-d": {"i": "torch.tensor([[0, 2]])"},
        "index empty": {"i": "torch.tensor([], dtype=torch.int64)",
                        "s": "torch.ones(0, 4)"},
        "self 0-d": {"x": "torch.tensor(3.0)", "i": "torch.tensor([0])", "s": "torch.tensor([2.0])"},
        "self 0-d, all 0-d": {"x": "torch.tensor(3.0)", "i": "torch.tensor(0)",
                              "s": "torch.tensor(2.0)"},
        "self 1-d": {"x": "torch.arange(5.)", "s": "torch.ones(2)"},
        "dim 1": {"d": "1", "s": "torch.ones(3, 2)"},
        "dim -1": {"d": "-1", "s": "torch.ones(3, 2)"},
        "dim 2": {"d": "2"},
        "index out of range": {"i": "torch.tensor([0, 3])"},
        "index negative": {"i": "torch.tensor([0, -1])"},
        "source wrong shape": {"s": "torch.ones(3, 4)"},
    },
    "scatter": {
        "base": {},
        "self float64": {"x": _X + ".double()", "s": "torch.ones(3, 2, dtype=torch.float64)"},
        "self int64": {"x": _X + ".long()", "s": "torch.ones(3, 2, dtype=torch.int64)"},
        "self bool": {"x": "(torch.arange(12).reshape(3, 4) % 2 == 0)",
                      "s": "torch.ones(3, 2, dtype=torch.bool)"},
        "source float64": {"s": "torch.ones(3, 2, dtype=torch.float64)"},
        "source int64": {"s": "torch.ones(3, 2, dtype=torch.int64)"},
        "index int32": {"i": "torch.tensor([[0, 1], [2, 3], [1, 0]], dtype=torch.int32)"},
        "index int16": {"i": "torch.tensor([[0, 1], [2, 3], [1, 0]], dtype=torch.int16)"},
        "index float32": {"i": "torch.tensor([[0.0, 1.0], [2.0, 3.0], [1.0, 0.0]])"},
        "index bool": {"i": "torch.tensor([[True, False], [False, True], [True, True]])"},
        "index 0-d": {"i": "torch.tensor(1)", "s": "torch.tensor(2.0)"},
        "index 1-d": {"i": "torch.tensor([0, 1])"},
        "index larger than source": {"i": "torch.tensor([[0, 1, 2], [2, 3, 0], [1, 0, 3]])"},
        "index empty": {"i": "torch.zeros(3, 0, dtype=torch.int64)"},
        "self 0-d": {"x": "torch.tensor(3.0)", "d": "0", "i": "torch.tensor(0)",
                     "s": "torch.tensor(2.0)"},
        "self 1-d": {"x": "torch.arange(5.)", "d": "0", "i": "torch.tensor([4, 0])",
                     "s": "torch.ones(2)"},
        "dim 0": {"d": "0", "i": "torch.tensor([[0, 1], [2, 0]])", "s": "torch.ones(2, 2)"},
        "dim -1": {"d": "-1"},
        "dim 2": {"d": "2"},
        "index out of range": {"i": "torch.tensor([[0, 1], [2, 4], [1, 0]])"},
        "index negative": {"i": "torch.tensor([[0, 1], [2, -1], [1, 0]])"},
        "source 0-d": {"s": "torch.tensor(2.0)"},
    },
}
CASES = [f"{name} | {variant}" for name in CALLS for variant in _VARIANTS[_INDEX_STYLE[name]]]


def expression(case):
    name, variant = case.split(" | ")
    style = _INDEX_STYLE[name]
    parts = dict(_BASE[style], **_VARIANTS[style][variant])
    return CALLS[name].format(**parts)


def _summary(torch, r):
    if isinstance(r, torch.Tensor):
        return ["tensor", list(r.shape), str(r.dtype), r.tolist()]
    return ["value", repr(r)]


def run(torch, case):
    """What the case gives, run as a line of a program (its source in linecache, where gradsh's
    library errors read a call back to word PyTorch's TypeError)."""
    expr = expression(case)
    name = f"<fid22 index ops: {expr}>"
    linecache.cache[name] = (len(expr) + 1, None, [expr + "\n"], name)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = eval(compile(expr, name, "eval"), {"torch": torch})
        except Exception as e:  # noqa: BLE001 - every error is a fact to compare
            return ["error", type(e).__name__, str(e).split("\n")[0]]
    return _summary(torch, r)
