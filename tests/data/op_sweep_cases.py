"""The op sweep's samples, shared by tools/record_op_sweep.py (PyTorch) and
tests/core/test_op_sweep.py (gradsh): PyTorch's OpInfo in spirit.

Every op of the registry (gradsh/core/ops/registry.py) is swept through each surface it declares
(torch.name, Tensor.name, the in-place Tensor.name_, torch.nn.functional.name, its operator), on
the samples below, in float32 and float64: an op without an entry in SAMPLES gets the unary
samples (so a new op is swept as soon as it is declared; a test fails if those do not fit it and
it has no entry). `run(lib, op, surface, sample, dtype)` returns text-safe facts: each output's
dtype, shape and values (or the exception's class), the names of the backward graph, the
gradients for the float inputs, the names of the double-backward graph (the graph of each
gradient) and the grad-of-grad. Strides are not compared here (tests/core checks layout).
"""

import math

# ----- sample values: zeros of both signs, negatives, ties ------------------------------------
X = [0.0, -1.5, 2.0, 2.0, -0.0, 0.5]
UNIT = [0.0, -0.5, 0.5, 0.5, 0.25, -0.75]  # inside (-1, 1): asin, acos, logit, atanh
POS = [0.5, 1.0, 2.0, 2.0, 0.25, 3.0]
Y = [1.0, 2.0, -2.0, 0.5, 0.0, -0.5]
M = [[0.0, -1.5, 2.0], [2.0, -0.0, 0.5]]  # 2 x 3 with a tie and both zeros
M2 = [[1.0, 2.0, -2.0], [0.5, 0.0, -0.5]]
SQ = [[2.0, -1.0], [0.5, 3.0]]
INTS = [0, -3, 2, 2, 5, -1]
NANS, NANS2 = [math.nan, 1.0, math.nan], [0.5, math.nan, math.nan]  # fmax / fmin
EMPTY = []


class In:
    """An input tensor: `kind` f (the sample's float dtype, requires grad), c (float constant),
    i (int64), i32 (int32), b (bool), nc (non-contiguous: the transpose of a float leaf that requires grad),
    z (0-d float that requires grad)."""

    def __init__(self, kind, values):
        self.kind = kind
        self.values = values


def c(v):
    return In("c", v)


def i(v):
    return In("i", v)


def b(v):
    return In("b", v)


def nc(v):
    return In("nc", v)


class py:
    """A Python list passed as is (split sizes), not made a tensor."""

    def __init__(self, value):
        self.value = value


class D:
    """A dtype of the library under test, by name (`D("float64")` is lib.float64)."""

    def __init__(self, name):
        self.name = name


class S:
    """One sample: positional arguments (lists of numbers are float tensors that require grad,
    In(...) other tensors, anything else passed as is) and keyword arguments."""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs

    def __repr__(self):
        return f"S{self.args!r}{self.kwargs!r}"


UNARY = [S(X), S(UNIT), S(nc(M)), S(EMPTY), S(i(INTS))]
BINARY = [S(X, Y), S(X, 2.5), S(nc(M), M2), S(M, [1.0, -2.0, 0.0]), S(EMPTY, EMPTY),
          S(i(INTS), i([1, 2, -2, 3, 1, 1]))]
COMPARE = [S(X, Y), S(X, 2.0), S(i(INTS), i([0, -3, 1, 2, 6, 0])), S(EMPTY, EMPTY)]
BITWISE = [S(i(INTS), i([1, 2, 3, 0, 6, 1])), S(b([True, False, True]), b([True, True, False]))]
LOGICAL = [S(X, Y), S(b([True, False, True]), b([True, True, False]))]
REDUCE = [S(X), S(M), S(M, 0), S(M, 1, keepdim=True), S(nc(M), 1), S(EMPTY)]
DIM_REDUCE = [S(X, 0), S(M, 1), S(M, 0, keepdim=True), S(nc(M), 1)]
ALONG_DIM = [S(X, 0), S(M, 1), S(M, 0), S(nc(M), 1), S(EMPTY, 0)]
SHAPE = [S(M), S(nc(M))]

SAMPLES = {
    # pointwise, two operands
    "add": BINARY + [S(X, Y, alpha=2.0)],
    "sub": BINARY + [S(X, Y, alpha=0.5)],
    "rsub": [S(X, Y), S(X, 2.0)],
    "mul": BINARY,
    "div": BINARY + [S(X, Y, rounding_mode="floor"), S(X, Y, rounding_mode="trunc"),
                     S(i(INTS), i([1, 2, -2, 3, 1, 1]), rounding_mode="trunc")],
    "rdiv": [S(X, 2.0), S(Y, 3.0)],
    "floor_divide": [S(X, Y), S(X, 2.0), S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "rfloordiv": [S(Y, 3.0)],
    "remainder": [S(X, Y), S(X, 1.5), S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "rremainder": [S(Y, 3.0)],
    "fmod": [S(X, Y), S(X, 1.5), S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "pow": [S(POS, Y), S(X, 2), S(X, 3), S(X, 0.5), S(X, -2), S(POS, 1.5), S(X, X),
            S(i(INTS), 2), S(EMPTY, 2)],
    "rpow": [S(X, 2.0), S(Y, 0.5)],
    "atan2": [S(X, Y), S([0.0, 0.0, 1.0], [0.0, -1.0, 0.0]), S(nc(M), M2)],
    "hypot": [S(X, Y), S([0.0, 3.0], [0.0, 4.0])],
    "copysign": [S(X, Y), S(X, -1.0), S([0.0, -0.0, 2.0], [-0.0, 1.0, -0.0]), S(nc(M), M2),
                 S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "maximum": [S(X, Y), S(X, X), S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "fmax": [S(X, Y), S(X, X), S(NANS, NANS2), S(nc(M), M2)],
    "fmin": [S(X, Y), S(X, X), S(NANS, NANS2), S(nc(M), M2)],
    "dist": [S(X, Y), S(M, M2, 1), S(M, M2, float("inf")), S(X, X), S(M, Y[:3], 3)],
    "minimum": [S(X, Y), S(X, X), S(i(INTS), i([1, 2, -2, 3, 1, 1]))],
    "lerp": [S(X, Y, 0.25), S(X, Y, UNIT)],
    "where": [S(b([True, False, True, False, True, True]), X, Y), S(b([True, False]), 1.0, Y[:2]),
              S(b([[True], [False]]), M, M2)],
    "clamp": [S(X, -1.0, 1.0), S(X, min=0.0), S(X, max=0.5), S(X, c(Y), c(POS))],
    "clamp_min": [S(X, 0.5), S(X, 2.0)],
    "clamp_max": [S(X, 0.5), S(X, 2.0)],
    "logit": [S(UNIT), S(POS), S(UNIT, 0.1), S(X, 0.25)],
    "round": UNARY + [S([0.5, 1.5, 2.5, -0.5, 1.25, 1.35], decimals=1)],
    "eq": COMPARE, "ne": COMPARE, "lt": COMPARE, "le": COMPARE, "gt": COMPARE, "ge": COMPARE,
    "bitwise_and": BITWISE, "bitwise_or": BITWISE, "bitwise_xor": BITWISE,
    "bitwise_left_shift": [S(i(INTS[:4]), i([1, 2, 0, 3]))],
    "bitwise_right_shift": [S(i(INTS[:4]), i([1, 2, 0, 3]))],
    "rlshift": [S(i([1, 2, 3]), 5)],
    "rrshift": [S(i([1, 2, 3]), 64)],
    "bitwise_not": [S(i(INTS)), S(b([True, False]))],
    "logical_not": [S(X), S(b([True, False]))],
    "logical_and": LOGICAL, "logical_or": LOGICAL, "logical_xor": LOGICAL,
    "equal": [S(X, X), S(X, Y)],
    "allclose": [S(X, X), S(X, Y)],
    "isclose": [S(X, X), S(X, Y)],
    "isnan": UNARY + [S([math.nan, 1.0, math.inf])],
    "isinf": UNARY + [S([math.nan, 1.0, -math.inf])],
    "isfinite": UNARY + [S([math.nan, 1.0, math.inf])],
    "isposinf": UNARY + [S([math.nan, 1.0, math.inf, -math.inf])],
    "isneginf": UNARY + [S([math.nan, 1.0, math.inf, -math.inf])],
    "signbit": UNARY + [S([-0.0, 0.0, -math.inf, math.nan]), S(i(INTS))],
    # shape
    "view": [S(M, 3, 2), S(M, -1), S(X, (2, 3))],
    "reshape": [S(M, (3, 2)), S(nc(M), (-1,)), S(EMPTY, (0, 2))],
    "view_as": [S(M, c([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))],
    "reshape_as": [S(nc(M), c([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))],
    "flatten": [S(M), S(nc(M))],
    "unflatten": [S(X, 0, (2, 3)), S(M, 1, (3, 1))],
    "ravel": SHAPE,
    "contiguous": SHAPE,
    "permute": [S(M, 1, 0), S(M, (1, 0))],
    "transpose": [S(M, 0, 1), S(nc(M), 1, 0)],
    "t": [S(M), S(X)],
    "T": [S(M)],
    "mT": [S(M)],
    "movedim": [S(M, 0, 1)],
    "unsqueeze": [S(X, 0), S(M, -1)],
    "squeeze": [S([[1.0], [2.0]]), S([[1.0], [2.0]], 1), S(M, 0)],
    "expand": [S([[1.0], [-2.0]], 2, 3), S([1.0, 2.0], (3, 2))],
    "expand_as": [S([[1.0], [-2.0]], c(M))],
    "broadcast_to": [S([[1.0], [-2.0]], (2, 3))],
    "repeat": [S(X, 2), S(M, 2, 1)],
    "cat": [S((M, M2)), S((M, M2), 1), S((X, EMPTY))],
    "stack": [S((X, Y)), S((M, M2), 1)],
    "hstack": [S((X, Y)), S((M, M2))],
    "vstack": [S((X, Y)), S((M, M2))],
    "split": [S(X, 2), S(M, py([1, 2]), 1)],
    "chunk": [S(X, 3), S(M, 2, 1)],
    "tensor_split": [S(X, 4), S(M, py([1]), 1)],
    "unbind": [S(M), S(M, 1)],
    "narrow": [S(X, 0, 1, 3), S(M, 1, 1, 2)],
    "flip": [S(X, 0), S(M, (0, 1))],
    "fliplr": SHAPE, "flipud": SHAPE,
    "roll": [S(X, 2), S(M, 1, 1)],
    "repeat_interleave": [S(X, 2), S(M, 2, 1)],
    # indexing
    "select": [S(M, 0, 1), S(M, 1, -1)],
    "getitem": [S(X, 1), S(M, (slice(None), i([0, 2]))), S(M, (Ellipsis, 1)), S(X, slice(None, None, 2)),
                S(X, b([True, False, True, True, False, False]))],
    "index_put": [S(X, (i([0, 2]),), c([5.0, 6.0])), S(X, (i([1, 1]),), c([5.0, 6.0]), True)],
    "gather": [S(M, 1, i([[0, 0], [2, 1]]))],
    "take_along_dim": [S(M, i([[0, 2], [1, 1]]), 1)],
    "scatter": [S(M, 1, i([[0, 1], [2, 0]]), c([[7.0, 8.0], [9.0, 10.0]])), S(M, 1, i([[0], [2]]), 5.0)],
    "scatter_add": [S(M, 1, i([[0, 0], [2, 0]]), c([[7.0, 8.0], [9.0, 10.0]]))],
    "index_select": [S(M, 1, i([2, 0, 2])), S(X, 0, i([1, 1]))],
    "masked_fill": [S(X, b([True, False, True, False, False, True]), -1.0), S(M, b([True, False, True]), 0.5)],
    "masked_select": [S(M, b([True, False, True]))],
    "nonzero": [S(X), S(M), S(i(INTS))],
    "argwhere": [S(X), S(M)],
    # linear algebra
    "dot": [S(X, Y), S(EMPTY, EMPTY)],
    "vdot": [S(X, Y), S(EMPTY, EMPTY)],
    "inner": [S(X, Y), S(M, [1.0, -2.0, 0.5]), S(M, M), S(2.0, Y)],
    "mv": [S(M, [1.0, -2.0, 0.5])],
    "mm": [S(M, [[1.0, 0.0], [-2.0, 1.0], [0.5, 2.0]]), S(nc(SQ), SQ)],
    "bmm": [S([M, M2], [[[1.0], [0.0], [2.0]], [[-1.0], [0.5], [0.0]]])],
    "matmul": [S(M, [1.0, -2.0, 0.5]), S([1.0, 2.0], M), S(SQ, SQ), S(X, Y),
               S([M, M2], [[1.0], [0.0], [2.0]])],
    "rmatmul": [S(SQ, SQ)],
    "outer": [S([1.0, 0.0, -2.0], [2.0, 0.5])],
    "addmm": [S(SQ, SQ, SQ), S([1.0, -1.0], SQ, SQ, beta=0.5, alpha=2.0)],
    "einsum": [S("ij,jk->ik", SQ, SQ), S("ii->i", SQ), S("i,i->", X, Y), S("...j,j->...", M, [1.0, 0.0, 2.0])],
    "diag": [S(X), S(SQ), S(M, 1)],
    "diagonal": [S(SQ), S(M, 1)],
    "trace": [S(SQ), S(M)],
    "tril": [S(SQ), S(M, -1)],
    "triu": [S(SQ), S(M, 1)],
    # in-place only
    "relu_": [S(X)],
    "zero_": [S(X)],
    "fill_": [S(X, 2.5)],
    "masked_fill_": [S(X, b([True, False, True, False, False, True]), -1.0),
                     S(M, b([True, False, True]), 0.5)],
    "copy_": [S(X, c(Y))],
    "resize_": [S(X, 2, 3)],
    "setitem": [S(X, 1, 5.0), S(M, (slice(None), 0), c([1.0, 2.0]))],
    "t_": [S(M)],
    # random draws: each call runs after manual_seed(0), compared bit for bit
    "uniform_": [S(X), S(X, -1.0, 2.0)], "normal_": [S(X), S(X, 1.0, 0.5)],
    "bernoulli_": [S(X, 0.5)], "exponential_": [S(X), S(X, 2.0)],
    "random_": [S(X, 0, 10), S(i(INTS), 5)], "multinomial": [S(POS, 3), S(POS, 8, True)],
    "dropout": [S(X), S(X, 0.5, False), S(M, 0.25)],
    # reductions
    "sum": REDUCE + [S(i(INTS))],
    "nansum": REDUCE + [S([math.nan, 1.0, 2.0])],
    "mean": REDUCE,
    "prod": [S(X), S(POS), S(M, 1), S(POS, 0, keepdim=True), S(EMPTY), S(i(INTS))],
    "max": [S(X), S(M, 1), S(M, 0, keepdim=True), S(X, Y), S(i(INTS))],
    "min": [S(X), S(M, 1), S(M, 0, keepdim=True), S(X, Y), S(i(INTS))],
    "amax": [S(X), S(M, 1), S(M, (0, 1))],
    "amin": [S(X), S(M, 1), S(M, (0, 1))],
    "argmax": [S(X), S(M, 1), S(M, 0, keepdim=True)],
    "argmin": [S(X), S(M, 1), S(M, 0, keepdim=True)],
    "all": [S(X), S(M, 1), S(b([True, False]))],
    "any": [S(X), S(M, 1), S(b([False, False]))],
    "var": [S(X), S(M, 1), S(M, 0, correction=0), S(nc(M), 1, keepdim=True)],
    "std": [S(X), S(M, 1), S(M, 0, correction=0), S([1.0, 1.0])],
    "norm": [S(X), S(M, 1, 1), S(X, 2), S(M, float("inf"), 0)],
    "logsumexp": DIM_REDUCE,
    "softmax": ALONG_DIM,
    "log_softmax": ALONG_DIM,
    "softmin": ALONG_DIM,
    "bincount": [S(i([0, 1, 1, 3])), S(i([2, 0]), minlength=4), S(i([0, 1, 1]), c([0.5, 2.0, 1.0]))],
    "searchsorted": [S(c([1.0, 3.0, 5.0]), c([0.0, 3.0, 6.0])), S(c([1.0, 3.0]), c([3.0]), right=True),
                     S(c([[1.0, 2.0], [0.0, 5.0]]), c([[1.5], [6.0]]))],
    "bucketize": [S(c([0.0, 3.0, 6.0]), c([1.0, 3.0, 5.0])), S(X, c([0.0, 2.0]), right=True)],
    "cummax": ALONG_DIM[:4] + [S([1.0, 3.0, 3.0, math.nan, 2.0], 0)],
    "cummin": ALONG_DIM[:4] + [S([1.0, -3.0, -3.0, math.nan, 2.0], 0)],
    "diff": [S(X), S(M, 1, 0), S(M, 2, 1), S(M, 1, 0, c([[1.0, 0.0, 2.0]])), S(i(INTS))],
    "index_add": [S(X, 0, i([0, 2, 2]), [1.0, -2.0, 0.5]),
                  S(M, 1, i([2, 0]), [[1.0, 2.0], [3.0, -4.0]], alpha=2.0)],
    "std_mean": [S(X), S(M, 1), S(M, 0, keepdim=True), S(M, 1, correction=0)],
    "var_mean": [S(X), S(M, 1), S(M, 0, keepdim=True), S(M, 1, correction=0)],
    "cumsum": ALONG_DIM + [S(i(INTS), 0)],
    "logcumsumexp": ALONG_DIM + [S([-math.inf, 1.0, -math.inf, 2.0], 0)],
    "cumprod": ALONG_DIM + [S([2.0, 0.0, 3.0, 0.0], 0), S(POS, 0)],
    "sort": [S(X), S(M, 1, descending=True), S(X, stable=True)],
    "argsort": [S(X), S(M, 1, descending=True)],
    "topk": [S(X, 2), S(M, 1, 1, largest=False)],
    "median": [S(X), S(M, 1), S([1.0, 2.0, 2.0, 1.0])],
    "kthvalue": [S(X, 4), S(M, 1, 1), S(M, 2, 0, keepdim=True)],
    "aminmax": [S(X), S(M, dim=1), S(M, dim=0, keepdim=True), S(i(INTS)), S(EMPTY)],
    "quantile": [S(X, 0.3), S(M, 0.5, 1), S(M, c([0.25, 0.9]), 0, keepdim=True), S(EMPTY, 0.5),
                 S(M, 0.4, 1, interpolation="nearest"), S(M, 0.6, interpolation="lower"),
                 S(X, 0.5, interpolation="midpoint"), S(nc(M), 0.7, 0, interpolation="higher")],
    "nanquantile": [S([1.0, math.nan, 3.0, 2.0], 0.4), S(M, c([0.0, 1.0]), 1),
                    S([math.nan, math.nan], 0.5)],
    "unique": [S(Y), S(i(INTS), return_inverse=True, return_counts=True), S(i(INTS[:4]))],
    "count_nonzero": [S(X), S(M, 0), S(i(INTS))],
    "nan_to_num": UNARY + [S([math.nan, 1.0, math.inf, -math.inf]),
                           S([math.nan, math.inf, -math.inf], 2.0, 5.0, -5.0)],
    "acosh": UNARY + [S(POS)],
    # nn.functional
    "leaky_relu": [S(X), S(X, 0.2), S(nc(M))],
    "elu": [S(X), S(X, 0.5)],
    "gelu": [S(X), S(X, approximate="tanh")],
    "silu": [S(X)],
    "hardsigmoid": [S(X), S([-3.0, 3.0, -4.0, 2.5])],
    "hardswish": [S(X), S([-3.0, 3.0, -4.0, 2.5])],
    "mish": [S(X)],
    "selu": [S(X)],
    "softplus": [S(X), S(X, 2.0, 1.0)],
    "hardtanh": [S(X), S(X, -0.5, 1.0)],
    "logsigmoid": [S(X)],
    "linear": [S(M, [[1.0, 0.0, 2.0], [-1.0, 0.5, 0.0]]),
               S(M, [[1.0, 0.0, 2.0]], [0.5])],
    "bilinear": [S([[1.0, 2.0]], [[0.5, -1.0, 0.0]], [[[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]], [0.5])],
    "mse_loss": [S(X, Y), S(X, Y, reduction="sum"), S(X, Y, reduction="none")],
    "l1_loss": [S(X, Y), S(X, X, reduction="sum"), S(X, Y, reduction="none")],
    "smooth_l1_loss": [S(X, Y), S(X, Y, beta=0.5)],
    "huber_loss": [S(X, Y), S(X, Y, delta=0.5)],
    "nll_loss": [S(M, i([0, 2])), S(M, i([1, 1]), reduction="sum")],
    "cross_entropy": [S(M, i([0, 2])), S(M, c([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]))],
    "linear_cross_entropy": [S(M, [[1.0, 0.0, 2.0], [-1.0, 0.5, 0.0]], i([0, 1])),
                             S(M, [[1.0, 0.0, 2.0], [-1.0, 0.5, 0.0]], i([1, 1]),
                               linear_bias=[0.5, -0.5], reduction="none")],
    "binary_cross_entropy": [S([0.25, 0.5, 0.75], c([0.0, 1.0, 0.5]))],
    "binary_cross_entropy_with_logits": [S(X, c([0.0, 1.0, 0.5, 1.0, 0.0, 0.25]))],
    "kl_div": [S([-1.0, -2.0, -0.5], c([0.2, 0.3, 0.5]), reduction="batchmean")],
    "normalize": [S(M), S(M, 1.0, 0)],
    "one_hot": [S(i([0, 2, 1]), 3)],
    "embedding": [S(i([0, 2, 2]), [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])],
    "layer_norm": [S(M, (3,)), S(M, (3,), c([1.0, 2.0, 0.5]), c([0.0, 1.0, 0.0]))],
    "batch_norm": [S(M, c([0.0, 1.0, 0.0]), c([1.0, 1.0, 2.0]), training=True)],
    "conv1d": [S([[[1.0, 0.0, -2.0, 2.0]]], [[[1.0, -1.0]]], [0.5])],
    "conv2d": [S([[[[1.0, 0.0, -2.0], [2.0, 2.0, 0.5]]]], [[[[1.0, -1.0]]]])],
    "max_pool2d": [S([[[[1.0, 3.0, -2.0, 2.0], [2.0, 3.0, 0.5, 4.0], [0.0, -1.0, 2.5, 1.5]]]], 2,
                     ceil_mode=True), S([[[[1.0, 3.0, -2.0], [2.0, 2.0, 0.5]]]], (2, 2), 1, 1)],
    "avg_pool2d": [S([[[[1.0, 3.0, -2.0, 2.0], [2.0, 3.0, 0.5, 4.0], [0.0, -1.0, 2.5, 1.5]]]], 2,
                     1, 1, count_include_pad=False)],
    "pairwise_distance": [S(M, M2), S(nc(M), M2, 1.0, keepdim=True), S(M, [1.0, -2.0, 0.0], 3.0)],
    "cosine_similarity": [S(M, M2), S(nc(M), M2, 0), S(M, [1.0, -2.0, 0.0], -1, 0.5),
                          S(i([[1, 2, 0]]), M2)],
    "pad": [S(M, (1, 2)), S(nc(M), (1, 0, -1, 1), value=0.5), S(X, (-2, 1), "constant", 2.0),
            S(i(INTS), (1, 1), value=2.7)],
    "constant_pad_nd": [S(M, (0, 1, 2, 0)), S(nc(M), (-1, 1), -0.0)],
    "max_pool1d": [S([[1.0, 3.0, -2.0, 2.0, 2.0], [0.0, -0.0, 0.5, 4.0, 1.5]], 2, ceil_mode=True),
                   S([[[1.0, 3.0, -2.0, 2.0, 0.5]]], 3, 1, 1, return_indices=True)],
    "avg_pool1d": [S([[1.0, 3.0, -2.0, 2.0, 2.0], [0.0, -0.0, 0.5, 4.0, 1.5]], 2, ceil_mode=True),
                   S([[[1.0, 3.0, -2.0, 2.0, 0.5]]], 3, 1, 1, count_include_pad=False)],
    "max_pool3d": [S([[[[1.0, 3.0, -2.0], [2.0, 3.0, 0.5]], [[0.0, -1.0, 2.5], [2.0, -0.0, 1.5]]]],
                     2, 1, 1, ceil_mode=True)],
    "avg_pool3d": [S([[[[1.0, 3.0, -2.0], [2.0, 3.0, 0.5]], [[0.0, -1.0, 2.5], [2.0, -0.0, 1.5]]]],
                     2, 1, 1, count_include_pad=False)],
    **{f"adaptive_{kind}_pool{nd}d": [S(sample, size) for size in (2, 1)]
       for kind in ("avg", "max") for nd, sample in (
           (1, [[1.0, 3.0, -2.0, 2.0, 2.0], [0.0, -0.0, 0.5, 4.0, 1.5]]),
           (2, [[[1.0, 3.0, -2.0], [2.0, 3.0, 0.5], [0.0, -1.0, 2.5]]]),
           (3, [[[[1.0, 3.0, -2.0], [2.0, 3.0, 0.5]], [[0.0, -1.0, 2.5], [2.0, -0.0, 1.5]]]]))},
    # conversions and constructors from a tensor
    "to": [S(X, D("float64")), S(i(INTS), D("float32")), S(X, "cpu")],
    "type": [S(X, "torch.DoubleTensor")],
    "new_zeros": [S(X, (2,))], "new_ones": [S(X, (2,))], "new_full": [S(X, (2,), 3.0)],
    "new_tensor": [S(X, py([1.0, 2.0]))],
    "clone": SHAPE,
    "positive": [S(X)],
}

NOT_SWEPT = {
    # branch complex: real samples meet these only as errors; tests/core/test_complex.py
    # compares their complex values, nodes and gradients with PyTorch's
    "view_as_real": "takes complex tensors only (tests/core/test_complex.py)",
    "view_as_complex": "gives complex tensors (tests/core/test_complex.py)",
    **{name: "a complex op of branch complex, not recorded in the real sweep yet (tests/core/"
             "test_complex.py)" for name in ("real", "imag", "complex", "polar", "angle",
                                            "conj_physical", "conj_physical_", "cfloat", "cdouble",
                                            "chalf")},
    "new_empty": "uninitialised memory: only its shape and dtype are defined",
    "const_data_ptr": "an address: tests/core/test_aliases.py compares it with data_ptr()",
    "bfloat16": "its values are bfloat16's, outside the sweep's float32/float64 facts (tests/"
                "core/test_bfloat16.py)",
    "cuda": "no GPU: PyTorch's own error on a machine without CUDA (tests/core/test_device.py)",
}

DTYPES = ("float32", "float64")
IN_PLACE_OPERATORS = ("__setitem__",)  # and every __i*__ operator


# ----- surfaces: how a registry op is called -------------------------------------------------
def surfaces(op):
    """The surfaces of a registry Op the sweep calls it through: 'function', 'method',
    'inplace', 'nn', 'property' and each of its operators (aliases are the same object)."""
    out = []
    if op.function:
        out.append("function")
    if op.method:
        out.append("method")
    if op.inplace:
        out.append("inplace")
    if op.nn:
        out.append("nn")
    if op.prop:
        out.append("property")
    if getattr(op, "special", False):
        out.append("special")
    return out + list(op.operators)


def _call(lib, name, surface, args, kwargs):
    """Call op `name` of `lib` through `surface`; returns (result, the mutated tensor or None)."""
    if surface == "function" and not name.endswith("_"):
        return getattr(lib, name)(*args, **kwargs), None
    if surface == "nn":
        return getattr(lib.nn.functional, name)(*args, **kwargs), None
    if surface == "special":
        return getattr(lib.special, name)(*args, **kwargs), None
    if surface == "property":
        return getattr(args[0], name), None
    first, rest = args[0], args[1:]
    in_place = surface == "inplace" or surface in IN_PLACE_OPERATORS or (
        surface.startswith("__i") or name.endswith("_"))
    if in_place and isinstance(first, lib.Tensor):
        first = first.clone()
    if surface == "function":  # torch.relu_(x)
        return getattr(lib, name)(first, *rest, **kwargs), first
    attr = {"method": name, "inplace": name + "_"}.get(surface, surface)
    out = getattr(first, attr)(*rest, **kwargs)
    return out, (first if in_place else None)


# ----- inputs --------------------------------------------------------------------------------
def _is_values(a):
    return isinstance(a, list) and all(isinstance(v, (int, float, list)) for v in a)


def _transposed(rows):
    return [list(col) for col in zip(*rows)]


class _Inputs:
    """A sample's arguments made tensors of `lib` in `dtype`; `leaves` are the float tensors
    that require grad (the gradients are taken for them)."""

    def __init__(self, lib, dtype):
        self.lib = lib
        self.dtype = getattr(lib, dtype) if dtype else lib.float32
        self.leaves = []

    def leaf(self, values):
        t = self.lib.tensor(values, dtype=self.dtype, requires_grad=True)
        self.leaves.append(t)
        return t

    def make(self, a):
        lib = self.lib
        if _is_values(a):
            return self.leaf(a)
        if isinstance(a, In):
            if a.kind == "nc":
                return self.leaf(_transposed(a.values)).t()
            kinds = {"c": self.dtype, "i": lib.int64, "b": lib.bool, "i32": lib.int32}
            return lib.tensor(a.values, dtype=kinds[a.kind])
        if isinstance(a, py):
            return a.value
        if isinstance(a, D):
            return getattr(lib, a.name)
        if isinstance(a, tuple):
            return tuple(self.make(v) for v in a)
        return a


def is_float_sample(sample):
    """Whether the sample has float inputs (then it runs in float32 and float64)."""
    def has_float(a):
        if _is_values(a):
            return True
        if isinstance(a, In):
            return a.kind in ("c", "nc")
        return isinstance(a, tuple) and any(has_float(v) for v in a)
    return any(has_float(a) for a in sample.args) or any(
        has_float(v) for v in sample.kwargs.values())


def samples(name, surface=None):
    """The samples of op `name`: its entry in SAMPLES ("name|surface" first, for two ops of one
    name on different surfaces: F.unfold and Tensor.unfold), else the unary ones."""
    return SAMPLES.get(f"{name}|{surface}", SAMPLES.get(name, UNARY))


def cases(ops):
    """(op name, surface, sample index, dtype or None) for every registry op not in NOT_SWEPT."""
    out = []
    for op in ops:
        if op.name in NOT_SWEPT:
            continue
        for surface in surfaces(op):
            for k, sample in enumerate(samples(op.name, surface)):
                for dtype in (DTYPES if is_float_sample(sample) else (None,)):
                    out.append((op.name, surface, k, dtype))
    return out


def key(case):
    name, surface, k, dtype = case
    return f"{name}|{surface}|{k}|{dtype or '-'}"


# ----- facts ---------------------------------------------------------------------------------
def clean(v):
    """A value as JSON-safe data: nan and inf as strings, a complex number as [real, imag]."""
    if isinstance(v, list):
        return [clean(a) for a in v]
    if isinstance(v, complex):
        return [clean(v.real), clean(v.imag)]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return repr(v)
    return v


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    return [out]


def _describe(lib, o):
    if isinstance(o, lib.Tensor):
        return [str(o.dtype).replace("torch.", "").replace("gradsh.", ""), list(o.shape),
                clean(o.detach().tolist())]
    return ["py", type(o).__name__, clean(o) if isinstance(o, (int, float, bool)) else repr(o)]


def graph(t, name=lambda n: n.name()):
    """The names of the nodes behind t, breadth first along next_functions."""
    fn = getattr(t, "grad_fn", None)
    out, queue, seen = [], [fn] if fn is not None else [], set()
    while queue:
        n = queue.pop(0)
        if id(n) in seen:
            continue
        seen.add(id(n))
        out.append(name(n))
        queue.extend(m for m, _ in n.next_functions if m is not None)
    return out


def _weights(lib, t):
    """A fixed upstream gradient shaped as t, no zeros: -0.75, -0.25, 0.25, 0.75, ..."""
    n = t.numel()
    vals = [((k % 4) - 1.5) * 0.5 for k in range(n)]
    return lib.tensor(vals, dtype=t.dtype).reshape(t.shape)


def _grads(lib, outs, leaves, create_graph):
    pairs = [(o, _weights(lib, o)) for o in outs]
    return lib.autograd.grad([o for o, _ in pairs], leaves, [w for _, w in pairs],
                             create_graph=create_graph, allow_unused=True)


def _values(g):
    if g is None:
        return None
    if getattr(g, "_is_zerotensor", bool)():  # PyTorch's storage-less zeros (abs's grad-of-grad)
        return clean(g.new_zeros(g.shape).tolist())
    return clean(g.detach().tolist())


def run(lib, case):
    """The facts of one case (see the module docstring), as JSON-safe data."""
    import warnings
    name, surface, k, dtype = case
    sample = samples(name, surface)[k]
    ins = _Inputs(lib, dtype)
    args = [ins.make(a) for a in sample.args]
    kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out, mutated = _call(lib, name, surface, args, kwargs)
        except Exception as e:  # noqa: BLE001 - the class is the fact compared
            return {"error": type(e).__name__}
    outs = _flat(out) if mutated is None else [mutated]
    fact = {"out": [_describe(lib, o) for o in outs]}
    diff = [o for o in outs if isinstance(o, lib.Tensor) and o.requires_grad]
    if not diff:
        return fact
    fact["graph"] = [graph(o) for o in diff]
    try:
        _backward_facts(lib, fact, diff, ins.leaves)
    except Exception as e:  # noqa: BLE001 - the class is the fact compared
        fact["grad_error"] = type(e).__name__
    return fact


def _backward_facts(lib, fact, diff, leaves):
    """The gradients of the outputs `diff` for the leaves, their graphs and the grad-of-grad."""
    grads = _grads(lib, diff, leaves, True)
    fact["grad"] = [_values(g) for g in grads]
    fact["grad_graph"] = [None if g is None else graph(g) for g in grads]
    fact["grad_node"] = [None if g is None or g.grad_fn is None else g.grad_fn.name()
                         for g in grads]  # the backward-of-backward node
    second = [g for g in grads if g is not None and g.requires_grad]
    if second:
        fact["gg"] = [_values(g) for g in _grads(lib, second, leaves, False)]


# ----- transposed and 3-d convolutions (branch convt) -----------------------------------------
_C1 = [[[1.0, 0.0, -2.0], [2.0, 0.5, -1.0]]]  # (1, 2, 3)
_C2 = [[[[1.0, 0.0], [-2.0, 2.0]], [[0.5, -1.0], [3.0, 0.0]]]]  # (1, 2, 2, 2)
_C3 = [[[[[1.0, 0.0], [-2.0, 2.0]], [[0.5, -1.0], [3.0, -0.0]]]]]  # (1, 1, 2, 2, 2)
SAMPLES.update({
    "conv3d": [S(_C3, [[[[[1.0, -1.0]], [[0.5, 2.0]]]]], [0.5]),
               S(_C3, [[[[[1.0]]]], [[[[-2.0]]]]], None, 2, 1)],
    "conv_transpose1d": [S(_C1, [[[1.0, -1.0]], [[0.5, 2.0]]], [0.5], 2, 1, 1),
                         S(_C1, [[[1.0, -1.0]], [[0.0, 2.0]]], None, 1, 0, 0, 2),
                         S(_C1[0], [[[1.0]], [[2.0]]], dilation=2, stride=2, output_padding=1)],
    "conv_transpose2d": [S(_C2, [[[[1.0, -1.0]]], [[[0.5, 2.0]]]], [0.5], (2, 1), (0, 1)),
                         S(_C2, [[[[1.0, 0.0], [2.0, -1.0]]], [[[-1.0, 0.5], [0.0, 1.0]]]],
                           None, 2, 1, 1, 2)],
    "conv_transpose3d": [S(_C3, [[[[[1.0, -1.0]], [[0.5, 2.0]]]]], [0.5], 2, (1, 0, 0))],
})
_U1 = [[[1.0, -2.0, 0.5]]]  # (1, 1, 3)
_U2 = [[[[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]]]]  # (1, 1, 2, 3)
_U3 = [[[[[1.0, -2.0], [0.5, 3.0]], [[0.0, -1.0], [2.0, -0.5]]]]]  # (1, 1, 2, 2, 2)
SAMPLES["interpolate"] = [
    S(_U1, scale_factor=2), S(_U2, size=(3, 4)), S(_U2, scale_factor=1.5, mode="nearest-exact"),
    S(_U3, scale_factor=(1, 2, 1.5)), S(_U1, size=5, mode="linear"),
    S(_U1, scale_factor=1.7, mode="linear", align_corners=True),
    S(_U2, scale_factor=(1.5, 2.5), mode="bilinear"),
    S(_U2, size=(4, 5), mode="bilinear", align_corners=True),
    S(_U2, scale_factor=2.2, mode="bicubic", recompute_scale_factor=True),
    S(_U2, size=(3, 2), mode="bicubic", align_corners=True),
    S(_U3, size=(3, 3, 2), mode="trilinear"), S(_U2, size=(1, 2), mode="area"),
    S(_U2, scale_factor=0.5, mode="area"), S(_U2, size=(3, 4), mode="linear"),
    S(_U2, scale_factor=2, align_corners=True), S(i([[[1, 2, 3]]]), scale_factor=2),
]
_D1 = [[1.0, 0.0, -2.0], [2.0, 0.5, -1.0]]  # (2, 3) rows: two points
_D2 = [[0.0, 1.0, -1.0], [2.0, 0.5, -1.0], [-1.0, 3.0, 0.0]]  # the second row repeats _D1's
SAMPLES.update({
    "cdist": [S(_D1, _D2), S(_D1, _D2, 1.0), S(_D1, _D2, float("inf")), S(_D1, _D2, 3.0),
              S(_D1, _D2, 0.0), S(_D1, _D2, 0.5),
              S(_D1, _D2, compute_mode="use_mm_for_euclid_dist"),
              S([_D1, _D2[:2]], _D2, 1.5), S(_D1, [1.0, 2.0, 3.0])],
    "pdist": [S(_D2), S(_D2, 1.0), S(_D2 + _D1, float("inf")), S(_D1 + _D2, 0.5), S(_D2[:1])],
})
SAMPLES.update({
    "unfold": [S(_U2, 2), S(_U2, (1, 2), padding=1, stride=(1, 2)), S(_U2[0], 1, dilation=2),
               S(_U2, 4)],
    "fold": [S([[[1.0, -2.0], [0.5, 3.0], [0.0, -1.0], [2.0, -0.5]]], (2, 3), 2, stride=(1, 2)),
             S([[1.0, -2.0, 0.5, 3.0, 0.0, -1.0]], (2, 3), 1), S([[[1.0, 2.0, 3.0]]], (2, 2), 1)],
})


# ----- the margin, embedding and likelihood losses (gradsh/core/nn_losses.py) ----------------
SIGNS = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
SAMPLES.update({
    "margin_ranking_loss": [S(X, Y, c(SIGNS)), S(X, Y, c(SIGNS), 0.5, reduction="none")],
    "hinge_embedding_loss": [S(X, c(SIGNS)), S(X, c(SIGNS), 1.5, reduction="sum")],
    "cosine_embedding_loss": [S(M, M2, c([1.0, -1.0])),
                              S(M, M2, c([-1.0, -1.0]), -0.2, reduction="none")],
    "triplet_margin_loss": [S(M, M2, [[0.5, 1.0, 0.0], [1.0, -1.0, 2.0]]),
                            S(M, M2, [[0.5, 1.0, 0.0], [1.0, -1.0, 2.0]], swap=True, p=1,
                              reduction="none")],
    "poisson_nll_loss": [S(X, c(POS)),
                         S(POS, c([0.0, 1.0, 2.0, 3.0, 0.5, 4.0]), log_input=False, full=True,
                           reduction="none")],
    "gaussian_nll_loss": [S(X, Y, POS), S(M, M2, [1.0, 2.0], full=True, reduction="sum")],
    "soft_margin_loss": [S(X, c(SIGNS)), S(M, c(M2), reduction="none")],
    "multilabel_soft_margin_loss": [S(M, c([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])),
                                    S(M, c([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]),
                                      c([1.0, 2.0, 0.5]), reduction="none")],
    "multi_margin_loss": [S(M, i([0, 2])),
                          S(M, i([1, 1]), p=2, margin=0.5, weight=c([1.0, 2.0, 0.5]),
                            reduction="none")],
    "multilabel_margin_loss": [S(M, i([[0, 2, -1], [1, -1, 0]])),
                               S(M, i([[2, 1, 0], [-1, 0, 0]]), reduction="sum")],
})


# ----- rot90, tile and block_diag (gradsh/core/ops/arrange.py) --------------------------------
SAMPLES.update({
    "rot90": [S(M), S(M, 2), S(M, -1, (1, 0)), S(nc(M), 3), S(M, 0), S(X)],
    "tile": [S(M, 2), S(X, (2, 1)), S(nc(M), (1, 2, 1)), S(EMPTY, 3)],
    "block_diag": [S(M, X, [2.5]), S(SQ, c(M2), i([[1, 2]])), S(M, [[[1.0]]])],
})
SAMPLES.update({
    "kron": [S(M, [1.0, -2.0]), S([2.5, 0.0], SQ), S(nc(M), M2), S(X, c([2.0]))],
    "cartesian_prod": [S([1.0, -2.0, 3.5], [0.0, 2.0]), S([1.0, 2.0], X, [0.5]), S(X), S(M, X)],
    "combinations": [S(X), S([1.0, -2.0, 3.5], 3, with_replacement=True), S(Y, 1), S(X, 0),
                     S(M)],
})


# ----- recurrent cells and their gate splits (issue 15, rnn branch) --------------------------
_RX = [[0.5, -1.0, 0.25], [1.5, 0.0, -0.5]]  # 2 x 3 inputs
_RH = [[0.25, -0.5], [0.0, 1.0]]  # 2 x 2 hidden states
_RC = [[-0.75, 0.5], [1.0, -0.25]]


def _gate_weights(gates, width):
    """A (gates * 2) x width weight without ties (gates blocks of the hidden size 2)."""
    return [[((r * width + k) % 7 - 3) * 0.25 + 0.1 * r for k in range(width)]
            for r in range(2 * gates)]


def _gate_bias(gates):
    return [((r % 5) - 2) * 0.2 for r in range(2 * gates)]


def _cell_samples(gates, hidden):
    w_ih, w_hh = _gate_weights(gates, 3), _gate_weights(gates, 2)
    return [S(_RX, hidden, w_ih, w_hh, _gate_bias(gates), _gate_bias(gates)),
            S(_RX, hidden, w_ih, w_hh)]


SAMPLES.update({
    "unsafe_split": [S(X, 4), S(M, 2, 1), S(nc(M), 1, 0)],
    "unsafe_chunk": [S(X, 3), S(M, 2, 1), S(nc(M), 2, 1)],
    "transpose_": [S(M, 0, 1), S(nc(M), 1, 0), S([M, M2], 0, 2)],
    "rnn_tanh_cell": _cell_samples(1, _RH),
    "rnn_relu_cell": _cell_samples(1, _RH),
    "lstm_cell": _cell_samples(4, (_RH, _RC)),
    "gru_cell": _cell_samples(3, _RH),
})


# ----- issue 15 "norms": normalization, padding modes, more activations and dropouts ---------
# (a block of its own, so the branches adding ops at the same time merge without conflicts)
B3 = [[[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]], [[2.0, 0.0, -0.5], [1.0, -3.0, 0.25]]]  # 2 x 2 x 3
B4 = [[[[1.0, -2.0], [0.5, 3.0]], [[0.0, 1.5], [-1.0, 2.0]]],
      [[[2.0, 0.0], [-0.5, 1.0]], [[1.0, -3.0], [0.25, 0.5]]]]  # 2 x 2 x 2 x 2
C4 = [[[1.0, -2.0, 0.5], [0.0, 1.5, -1.0], [2.0, 0.0, -0.5], [1.0, -3.0, 0.25]]]  # 1 x 4 x 3
V5 = [[[[[1.0, -2.0], [0.5, 3.0]], [[0.0, 1.5], [-1.0, 2.0]]]]]  # 1 x 1 x 2 x 2 x 2
SAMPLES["batch_norm"] = SAMPLES["batch_norm"] + [
    S(B4, c([0.0, 1.0]), c([1.0, 2.0]), [1.0, 0.5], [0.0, 1.0], training=True, momentum=0.3),
    S(B3, c([0.5, -1.0]), c([2.0, 0.5]), [1.5, -1.0], [0.5, 0.0]),
    S(V5, None, None, training=True), S(B4, c([0.0]), c([1.0]))]
SAMPLES["pad"] = SAMPLES["pad"] + [
    S(B3, (1, 2), "reflect"), S(B3, (2, -1), "replicate"), S(B4, (1, 1, 0, 1), "reflect"),
    S(nc(M), (2, 1), "circular"), S(B4, (1, 0, -1, 1), "circular"), S(B3, (3, 0), "reflect"),
    S(V5, (1, 1, 1, 0, 0, 1), "replicate"), S(V5, (1, 0, 0, 1, 1, 1), "reflect"),
    S(B3, (1, 1), "replicate", 2.0), S(X, (1, 1), "circular")]
SAMPLES.update({
    "group_norm": [S(C4, 2), S(B4, 1, [1.0, 2.0], [0.5, -0.5]), S(B3, 2, eps=0.1), S(C4, 3)],
    "instance_norm": [S(B3), S(B4, None, None, [1.0, 2.0], [0.5, 0.0]),
                      S(B3, c([0.0, 1.0]), c([1.0, 2.0]), momentum=0.5),
                      S(B4, c([0.0, 1.0]), c([1.0, 2.0]), use_input_stats=False)],
    "local_response_norm": [S(C4, 2), S(B4, 3, 0.1, 0.5, 2.0)],
    "celu": [S(X), S(X, 0.5)],
    "glu": [S([[1.0, -2.0, 0.5, 3.0], [0.0, 1.5, -1.0, 2.0]]), S(B3, 0), S(M)],
    "threshold": [S(X, 0.5, 3.0), S(X, 0.0, -1.0)],
    "hardshrink": [S(X), S(X, 1.5)],
    "softshrink": [S(X), S(X, 1.5)],
    "prelu": [S(B3, [0.25, -0.5]), S(X, [0.1]), S(M, [0.2, 0.3])],
    "rrelu": [S(X), S(X, 0.1, 0.5, True), S(B3, training=True)],
    "dropout1d": [S(B3, 0.5), S(M, 0.25), S(B3, 0.5, False)],
    "dropout2d": [S(B4, 0.5), S(B4, 1.0)],
    "dropout3d": [S([[[[[1.0, 2.0]], [[3.0, -1.0]]]], [[[[0.5, 0.0]], [[-2.0, 1.5]]]]], 0.5),
                  S(B4, 0.5)],
    "alpha_dropout": [S(X, 0.5, True), S(M, 0.2, False), S(X, 1.0, True)],
    "feature_alpha_dropout": [S(B3, 0.5, True), S(B4, 0.0, True)],
})


# --- torchbreadth ---
# issue 15's most-met torch.* / Tensor.* names (gradsh/core/ops/combine.py, ...)
V3 = [1.0, -2.0, 0.5]
SAMPLES.update({
    "addcmul": [S(X, Y, POS), S(X, Y, POS, value=-0.5), S(M, M2, [1.0, -2.0, 0.0]),
                S(nc(M), M2, [[0.5], [2.0]], value=2)],
    "addcdiv": [S(X, Y, POS), S(X, Y, POS, value=-0.5), S(M, M2, [[1.0, -2.0, 0.5]]),
                S(i(INTS), c(X), c(POS))],
    "addmv": [S(V3[:2], M, V3), S([0.5], M, V3, beta=0.5, alpha=2.0), S(V3[:2], nc(M), V3),
              S(V3[:2], M, V3, beta=0)],
    "addr": [S(M, [1.0, -2.0], V3), S(SQ, [0.5, 2.0], [1.0, -1.0], beta=2.0, alpha=0.5),
             S(V3, [1.0, -2.0], V3), S(i([[1, 2], [3, 4]]), i([1, 2]), i([0, -1]), alpha=2)],
    "addbmm": [S(SQ, [M, M2], [_transposed(M2), _transposed(M)]),
               S(SQ, [M], [_transposed(M2)], beta=0.5, alpha=-1.0)],
    "logaddexp": [S(X, Y), S(M, M2), S([float("inf"), -float("inf"), 1.0], [float("inf"), -float("inf"), -float("inf")]),
                  S(i(INTS), i(INTS))],
    "logaddexp2": [S(X, Y), S(nc(M), M2)],
    "deg2rad": UNARY, "rad2deg": UNARY,
    "float_power": [S(POS, 2), S(X, Y), S(POS, c(Y)), S(i(INTS), 2), S(X, 0.5)],
    "ldexp": [S(X, i([1, 2, -1, 0, 3, 1])), S(X, Y), S(i(INTS), i([1, 2, -1, 0, 3, 1]))],
    "frexp": [S(X), S(POS), S(nc(M)), S(i(INTS))],
    "heaviside": [S(c(X), c(Y)), S(c(X), c([0.5])), S(i(INTS), i([1, 2, 3, 4, 5, 6])), S(X, Y)],
    "nextafter": [S(c(X), c(Y)), S(i(INTS), i(INTS))],
    "gcd": [S(i(INTS), i([1, 6, -4, 3, 0, 2])), S(c(X), c(Y))],
    "lcm": [S(i(INTS), i([1, 6, -4, 3, 0, 2])), S(c(X), c(Y))],
})
B3T = [[[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]], [[2.0, 0.0, -0.5], [1.0, -3.0, 0.25]]]  # 2 x 2 x 3
SAMPLES.update({
    "atleast_1d": [S([2.5]), S(X), S(M), S(X, M), S(py([]))],
    "atleast_2d": [S(X), S(M), S(B3T), S((X, M))],
    "atleast_3d": [S(X), S(M), S(B3T), S(X, M, B3T)],
    "broadcast_tensors": [S(X, [[1.0], [2.0]]), S(M, M2), S(M, [1.0, 2.0])],
    "meshgrid": [S(V3, X[:2]), S(V3, X[:2], indexing="xy"), S(V3, X[:2], indexing="ij"),
                 S(V3, X[:2], Y[:4], indexing="xy"), S(V3), S(V3, M)],
    "column_stack": [S((X, Y)), S((M2, V3[:2])), S((nc(M), V3[:2]))],
    "row_stack": [S((X, Y)), S((M, V3))],
    "dstack": [S((X, Y)), S((M, M2)), S((B3T, M))],
    "hsplit": [S(X, 2), S(M, 3), S(M, py([1])), S(M, 2), S(nc(M), (1, 2))],
    "vsplit": [S(M, 2), S(X, 2), S(B3T, py([1]))],
    "dsplit": [S(B3T, 3), S(B3T, py([1, 2])), S(M, 1)],
    "tensordot": [S(M, M2, py(([1], [1]))), S(M, _transposed(M2)), S(M, _transposed(M2), 1),
                  S(B3T, M, py(([1, 2], [0, 1]))), S(nc(M), M2, 0), S(M, M2, 1),
                  S(M, M2, ([1], [1])), S(B3T, B3T, py(([0, -1], [0, 2]))), S(X, Y, py((0, 0)))],
    "msort": [S(X), S(M), S(nc(M))],
    "adjoint": [S(M), S(B3T), S(X)],
    "mH": [S(M), S(B3T), S(X)],
    "H": [S(M), S(nc(M)), S(B3T)],
    "diag_embed": [S(X), S(M), S(M, 1), S(M, -1, 0, 2), S(nc(M), 0, 1, 0)],
    "diagflat": [S(X), S(M), S(M, 2), S(nc(M), -1), S([2.5])],
})
SAMPLES.update({
    "cov": [S(M), S(X), S(nc(M)), S(M, correction=0), S(M, fweights=i([1, 2, 1])),
            S(M, aweights=c([0.5, 1.0, 2.0])), S(i([[1, 2, 4], [0, 3, 3]])), S([[1.0, 2.0, 4.0]])],
    "corrcoef": [S(M), S(M2), S(nc(M)), S(X), S([[1.0, 2.0], [2.0, 4.5], [0.5, -1.0]])],
    "trapezoid": [S(X), S(M), S(M, dim=0), S(M, dx=0.5), S(M, V3), S(nc(M), [0.5, 1.0], dim=0),
                  S(M, M2), S(i(INTS)), S([[]])],
    "cumulative_trapezoid": [S(X), S(M), S(M, dim=0), S(M, dx=0.5), S(M, V3),
                             S(nc(M), [0.5, 1.0], dim=0), S(i(INTS))],
    "vander": [S(V3), S(V3, 2), S(V3, 4, True), S(i([1, 2, 3])), S(V3, 0), S(c(V3)),
               S(c(V3), 3, True)],
    "histc": [S(c(X)), S(c(X), 4), S(c(X), 3, -1.0, 1.0), S(c([1.0, 1.0])), S(i(INTS)),
              S(c(M), 5, 0.0, 2.0)],
    "histogram": [S(c(X), 4), S(c(X), 3, range=(-1.0, 1.0)), S(c(X), c([-2.0, 0.0, 0.5, 3.0])),
                  S(c(X), 2, weight=c(POS)), S(c(X), 4, density=True), S(c([1.0, 1.0]), 2)],
    "isin": [S(i(INTS), i([2, 5])), S(c(X), c([2.0, -0.0])), S(i(INTS), i([2, 5]), invert=True),
             S(i(INTS), 2), S(3, i(INTS))],
    "unique_consecutive": [S(i([1, 1, 2, 2, 3, 1, 1, 2])), S(c(X)),
                           S(i([1, 1, 2, 2, 3, 1]), return_inverse=True, return_counts=True),
                           S(i([[1, 1], [1, 1], [2, 3]]), dim=0, return_counts=True),
                           S(i([[1, 1, 2], [1, 1, 2]]), return_inverse=True, dim=1)],
    "tril_indices": [S(3, 3), S(4, 3, 1), S(3, 4, -1), S(0, 2), S(3, 3, dtype=D("int32"))],
    "triu_indices": [S(3, 3), S(4, 3, 1), S(3, 4, -1), S(0, 2), S(3, 3, dtype=D("int32"))],
})
_WINDOW = [S(5), S(6, False), S(1), S(0), S(7, dtype=D("float64")), S(8, True, dtype=D("float32")),
           S(4, dtype=D("int64"))]
SAMPLES.update({
    "hann_window": _WINDOW, "blackman_window": _WINDOW, "bartlett_window": _WINDOW,
    "hamming_window": _WINDOW + [S(6, True, 0.5, 0.4), S(5, False, 0.6)],
    "kaiser_window": _WINDOW + [S(6, True, 5.0), S(5, False, 0.5, dtype=D("float64"))],
})
_IDX3 = [[0, 1, 0], [1, 0, 0]]
SAMPLES.update({
    "index_copy": [S(M, 0, i([1, 0]), M2), S(M, 1, i([2, 0]), [[1.0, -1.0], [0.5, 2.0]]),
                   S(nc(M), 1, i([1]), [[4.0], [5.0]]), S(X, 0, i([5]), [3.0]),
                   S(M, 0, i([2]), [V3])],
    "index_fill": [S(M, 1, i([0, 2]), -1.0), S(nc(M), 0, i([1]), 2.5), S(X, 0, i([1, 1, 3]), 0.5),
                   S(M, 1, i([0, 2]), c(3.0)), S(i(INTS), 0, i([0]), 7)],
    "masked_scatter": [S(M, b([[True, False, True], [False, True, False]]), M2),
                       S(X, b([True, False, True, False, True, False]), [9.0, 8.0, 7.0, 6.0]),
                       S(M, b([True, False, True]), [[1.0, 2.0, 3.0, 4.0]]),
                       S(nc(M), b([[True, True, False], [False, False, True]]), [1.0, -1.0, 2.0]),
                       S(M, b([[True, True, True], [True, True, True]]), [1.0])],
    "take": [S(M, i([0, 5, 2])), S(nc(M), i([[1, 3], [0, 0]])), S(X, i([-1, 0])), S(X, i([7]))],
    "put": [S(M, i([0, 5]), [9.0, -9.0]), S(M, i([1, 1]), [1.0, 2.0], True),
            S(nc(M), i([3]), [4.0]), S(X, i([-1, 2, 2]), [1.0, 2.0, 3.0], accumulate=True)],
    "scatter_reduce": [S(M, 1, i(_IDX3), M2, "sum"), S(M, 1, i(_IDX3), M2, "mean"),
                       S(M, 1, i(_IDX3), M2, "amax"), S(M, 1, i(_IDX3), M2, "amin"),
                       S(M, 1, i(_IDX3), M2, "prod"),
                       S(M, 1, i(_IDX3), M2, "sum", include_self=False),
                       S(M, 1, i(_IDX3), M2, "mean", include_self=False),
                       S(M, 1, i(_IDX3), M2, "amax", include_self=False),
                       S(POS, 0, i([0, 0, 1, 1, 2, 2]), Y, "prod", include_self=False),
                       S(X, 0, i([0, 0, 1, 1, 2, 2]), Y, "amin"),
                       S(i(INTS), 0, i([0, 0, 1, 1, 2, 2]), i([1, 2, 3, 4, 5, 6]), "mean"),
                       S(M, 1, i(_IDX3), M2, "max")],
    "select_scatter": [S(M, V3, 0, 0), S(M, [1.0, 2.0], 1, -1), S(nc(M), V3, 0, 1),
                       S(M, [1.0, 2.0], 0, 0)],
    "slice_scatter": [S(M, [[1.0, 2.0, 3.0]], 0, 0, 1), S(M, [[1.0], [2.0]], 1, 1, 2),
                      S(M, [[1.0, 2.0], [3.0, 4.0]], 1, None, None, 2), S(X, [1.0, 2.0], 0, 4),
                      S(nc(M), [[1.0, 2.0, 3.0]], start=1)],
    "diagonal_scatter": [S(SQ, [1.0, 2.0]), S(M, [1.0, 2.0]), S(M, [5.0, 6.0], 1),
                         S(M, [5.0], -1), S(nc(M), [1.0, 2.0]), S(M, [1.0])],
})
_ALIASES = {"clip": "clamp", "negative": "neg", "arccos": "acos", "arccosh": "acosh",
            "arcsin": "asin", "arcsinh": "asinh", "arctan": "atan", "arctanh": "atanh"}
SAMPLES.update({
    name + "_": SAMPLES.get(_ALIASES.get(name, name), UNARY) for name in (
        "abs", "acos", "arccos", "acosh", "arccosh", "asin", "arcsin", "asinh", "arcsinh", "atan",
        "arctan", "atanh", "arctanh", "ceil", "clamp", "clip", "clamp_max", "clamp_min", "cos",
        "cosh", "deg2rad", "erf", "exp", "expm1", "fix", "floor", "frac", "gcd", "lcm", "ldexp",
        "log", "log10", "log1p", "log2", "logit", "neg", "negative", "rad2deg", "reciprocal",
        "round", "rsqrt", "sigmoid", "sin", "sinh", "sqrt", "square", "tan", "tanh", "trunc",
        "zero", "erfc", "exp2", "i0", "sinc", "xlogy", "nan_to_num", "addmv", "index_put")})
SAMPLES.update({
    "fill_": [S(X, 2.5), S(M, c(1.5)), S(i(INTS), 3)],
    "squeeze_": [S([[1.0], [2.0]]), S([[1.0], [2.0]], 1), S([[[1.0, 2.0]]], (0, 1)), S(M, 0),
                 S([[1.0], [2.0]], -1)],
    "unsqueeze_": [S(X, 0), S(M, -1), S(M, 1)],
    "swapaxes_": [S(M, 0, 1), S(B3T, 0, 2)],
    "fill_diagonal_": [S(SQ, 0.5), S(M, 2.0), S([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0],
                                                 [9.0, 10.0]], -1.0, True),
                       S([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], 7.0), S(nc(M), 1.0), S(X, 1.0)],
    "sum_to_size": [S(M, 1, 3), S(M, (2, 1)), S(M, 3), S(M, (1, 1)), S(M, 2, 3), S(M, 3, 2),
                    S(B3T, 2, 3)],
    "type_as": [S(X, i([1])), S(i(INTS), c([1.0])), S(X, c([2.0]))],
    "fix": UNARY,
    "conj": [S(X), S(i(INTS))], "resolve_conj": [S(X)], "resolve_neg": [S(X)],
    "is_complex": [S(X), S(i(INTS))], "is_signed": [S(X), S(i(INTS)), S(b([True]))],
    "is_conj": [S(X)], "is_neg": [S(X)], "is_same_size": [S(X, Y), S(X, M)],
    "positive": [S(X), S(i(INTS)), S(b([True, False]))],
})
SAMPLES.update({f"{name}_": COMPARE for name in (
    "eq", "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater", "ge",
    "greater_equal")})
# --- linalg ---
# ----- torch.linalg's solvers and decompositions (gradsh/core/ops/dense.py) -------------------
_LSPD = [[4.0, 1.0], [1.0, 3.0]]
_LCHOL = [[2.0, 0.0], [0.5, 1.5]]
_LBATCH = [[[2.0, -1.0], [0.5, 3.0]], [[1.0, 0.5], [0.25, 2.0]]]
_LSING = [[1.0, 2.0], [2.0, 4.0]]
_LTALL = [[1.0, 2.0], [-0.5, 1.0], [2.0, 0.25]]
SAMPLES.update({
    "inverse": [S(SQ), S(nc(SQ)), S(_LBATCH), S(c(_LSING)), S(i([[1, 2], [3, 4]])), S(M)],
    "det": [S(SQ), S(nc(SQ)), S(_LBATCH), S(_LSING), S(i([[1, 2], [3, 4]])), S(M)],
    "slogdet": [S(SQ), S(_LBATCH), S([[0.0, 1.0], [1.0, 0.0]])],
    "logdet": [S(_LSPD), S(_LBATCH), S([[0.0, 1.0], [1.0, 0.0]])],
    "cholesky": [S(_LSPD), S(_LSPD, True), S(c(_LSING)), S([[[4.0, 1.0], [1.0, 3.0]],
                                                          [[2.0, 0.5], [0.5, 1.0]]])],
    "svd": [S(SQ), S(M), S(_LTALL), S(SQ, False)],
    "qr": [S(SQ), S(_LTALL), S(nc(SQ))],
    "matrix_power": [S(SQ, 3), S(SQ, -2), S(SQ, 1), S(SQ, 0), S(i([[1, 2], [3, 4]]), 2),
                     S(_LBATCH, 5)],
    "cross": [S(M, M2, 1), S(nc([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]), M2, 0)],
    "cholesky_solve": [S([[1.0, 2.0], [0.5, -1.0]], _LCHOL), S([[1.0], [0.5]], c(_LCHOL))],
    "cholesky_inverse": [S(_LCHOL), S([[2.0, 0.5], [0.0, 1.5]], True)],
    "pinverse": [S(SQ), S(M), S(_LTALL)],
    "matrix_exp": [S(SQ), S(nc(SQ)), S(_LBATCH), S([[0.0]])],
})
# LU (branch linalg2): ties and a zero pivot, batches, wide and tall, given pivots
_LPIV = In("i32", [2, 2])
SAMPLES.update({
    "lu": [S(SQ), S(nc(SQ)), S(_LBATCH), S(_LTALL), S(M), S(c(_LSING), get_infos=True),
           S(SQ, False), S(i([[1, 2], [3, 4]]))],
    "lu_unpack": [S(SQ, _LPIV), S(M, _LPIV), S(_LTALL, _LPIV), S(SQ, _LPIV, False),
                  S(SQ, In("i32", [3, 1]))],
    "lu_solve": [S([[1.0, 2.0], [0.5, -1.0]], SQ, _LPIV), S(nc(SQ), c(SQ), _LPIV),
                 S([[1.0], [0.5]], _LBATCH, In("i32", [[2, 2], [1, 2]])),
                 S(SQ, SQ, i([2, 2]))],
})
# --- programs7 ---
SAMPLES["broadcast_tensors"] += [S([[1.0], [-2.0]], [0.5, 1.0, 2.0]), S(X, c(X)), S(M)]
SAMPLES["type_as"] = SAMPLES.get("type_as", []) + [S(X, i(INTS)), S(M, c(M)), S(i(INTS), c(X))]
# ----- torch.special and the gamma family (issue 15, branch special) -------------------------
# (polygamma and mvlgamma take an integer; xlogy, xlog1py and zeta a tensor or a number on either
# side; zeta and i1's grad-of-grad cross PyTorch's where and not-implemented paths)
_GX = [0.5, -1.5, 2.0, 3.5, -0.0, 1.25]  # no poles of digamma (0 is one: -0.0 gives +inf)
_GP = [0.5, 1.0, 2.0, 3.5, 0.25, 7.0]
SAMPLES.update({
    "polygamma": [S(0, _GX), S(1, _GX), S(2, _GP), S(3, nc(M)), S(2, EMPTY), S(1, i(INTS))],
    "mvlgamma": [S(_GP, 1), S([2.0, 3.5, 1.25], 2), S([[3.0, 4.5], [2.5, 6.0]], 3)],
    "lgamma": [S(_GX), S(_GP), S(nc(M)), S(EMPTY), S(i(INTS))],
    "digamma": [S(_GX), S(_GP), S(EMPTY), S(i([1, 2, 5]))],
    "ndtri": [S([0.5, 0.1, 0.9, 0.025, 0.999, 0.3]), S(UNIT), S(EMPTY)],
    "entr": [S(POS), S(X), S(EMPTY)],
    "xlogy": [S(X, POS), S(X, Y), S(2.0, POS), S(X, 3.0), S(nc(M), [[1.0, 2.0, 0.5]]),
              S(i(INTS), i([1, 2, 3, 1, 2, 3]))],
    "xlog1py": [S(X, POS), S(X, Y), S(2.0, POS), S(X, 3.0), S(nc(M), [[1.0, 2.0, 0.5]])],
    "zeta": [S(c([2.0, 3.0, 2.5, 4.0, 2.0, 3.0]), POS), S(2.0, POS), S(POS, 2.0),
             S([2.0, 3.0, 2.5, 4.0, 2.0, 3.0], POS), S(c([2.0, 3.5]), [[0.5, 1.0], [2.0, 3.0]])],
})

# ----- torch.special's polynomials and Bessel functions without derivatives (branch missing) ---
# (no node, the result never requires grad; degrees past the closed-form thresholds, a number on
# either side, integers)
_POLY = [S(UNIT, 3), S(X, c([0.0, 1.0, 2.0, 3.0, 9.0, -1.0])), S(2.0, c([1.0, 2.0, 3.0])),
         S(nc(M), 2), S(EMPTY, 2), S(i(INTS), i([1, 2, 3, 4, 5, 6])),
         S(c([0.5, -0.25, 0.75]), 10)]
SAMPLES.update({name: _POLY for name in (
    "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
    "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v", "shifted_chebyshev_polynomial_w", "hermite_polynomial_h",
    "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p")})
SAMPLES.update({name: UNARY + [S([9.0, -10.0, 0.001, 30.0])]
                for name in ("modified_bessel_i0", "modified_bessel_i1", "spherical_bessel_j0")})

# F.max_unpool1d/2d/3d (branch missing): batched and not, output_size, a non-contiguous input
SAMPLES.update({
    "max_unpool1d": [S([[[5.0, 8.0, 4.0]]], i([[[1, 3, 5]]]), 2),
                     S([[[5.0, 8.0, 4.0]]], i([[[1, 3, 6]]]), 2, output_size=(7,)),
                     S(nc([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), i([[0, 3], [1, 2], [0, 3]]), 2)],
    "max_unpool2d": [S([[[[5.0, 7.0], [13.0, 15.0]]]], i([[[[5, 7], [13, 15]]]]), 2),
                     S([[[5.0, -7.0], [0.0, 15.0]]], i([[[0, 3], [12, 14]]]), 2, 2,
                       output_size=(5, 5))],
    "max_unpool3d": [S([[[[[7.0]]]]], i([[[[[7]]]]]), 2),
                     S([[[[1.0, -2.0]]]], i([[[[0, 3]]]]), (1, 1, 2))],
})

# F.embedding_bag (branch missing): the three modes, offsets with an empty bag, a 2-d input,
# per_sample_weights, padding_idx, include_last_offset, ties for max
_EBW = [[1.0, 2.0], [3.0, 4.0], [5.0, -6.0], [0.5, 7.0]]
_EBI = [0, 2, 1, 3, 3]
SAMPLES["embedding_bag"] = [
    S(i(_EBI), _EBW, i([0, 2])), S(i(_EBI), _EBW, i([0, 2]), mode="sum"),
    S(i(_EBI), _EBW, i([0, 2, 2]), mode="max"), S(i([[0, 1], [2, 3]]), _EBW),
    S(i(_EBI), _EBW, i([0, 2]), mode="sum", per_sample_weights=[1.0, 2.0, 0.5, 1.0, -1.0]),
    S(i(_EBI), _EBW, i([0, 2, 2]), padding_idx=3), S(i(_EBI), _EBW, i([0, 2, 5]),
                                                    include_last_offset=True),
    S(i([1, 1, 0]), [[1.0, 2.0], [1.0, 0.0]], i([0]), mode="max"), S(i([0, 1]), nc(SQ), i([0]))]

# --- nnbreadth ---
# baddbmm and attention (gradsh/core/ops/attention.py, gradsh/core/attention.py): the fused CPU
# attention (4-d, no dropout), the math path (3-d, masks, is_causal) and multi-head attention.
_B3T = [[[0.5, -1.0], [2.0, 0.0], [-0.5, 1.5]], [[1.0, 0.25], [-2.0, 0.5], [0.0, -1.0]]]
_Q4 = [[[[0.5, -1.0], [1.0, 0.25]], [[-0.5, 2.0], [0.0, 1.0]]]]  # 1 x 2 x 2 x 2
_K4 = [[[[1.0, 0.5], [-1.0, 0.0]], [[0.25, -0.5], [1.5, 1.0]]]]
_V4 = [[[[2.0, -1.0], [0.5, 1.0]], [[-1.0, 0.0], [1.0, 3.0]]]]
_MHA_IN = [[[1.0, -0.5]], [[0.25, 2.0]], [[-1.0, 0.5]]]  # (L=3, N=1, E=2)
_MHA_W = [[0.5, -0.25], [0.75, 0.5], [-0.5, 1.0], [0.25, 0.25], [1.0, -0.75], [-0.25, 0.5]]
_MHA_B = [0.1, -0.2, 0.0, 0.3, -0.1, 0.2]
_MHA_OW, _MHA_OB = [[1.0, 0.5], [-0.5, 0.75]], [0.05, -0.05]
SAMPLES.update({
    "baddbmm": [S(B4[0], B3, _B3T), S([1.0, -0.5], B3, _B3T, beta=0.5, alpha=2.0),
                S(c(B4[1]), B3, c(_B3T), beta=0.0), S(B4[0], B3, i([[[1]]]))],
    "scaled_dot_product_attention": [
        S(_Q4, _K4, _V4), S(_Q4, _K4, _V4, is_causal=True), S(_Q4, _K4, _V4, scale=0.75),
        S(_Q4[0], _K4[0], _V4[0]), S(_Q4[0], _K4[0], _V4[0], is_causal=True),
        S(_Q4[0], _K4[0], _V4[0], b([[True, False], [True, True]])),
        S(_Q4[0], _K4[0], _V4[0], [[0.5, -1.0], [0.0, 0.25]], scale=-0.5),
        S(_Q4, _K4, _V4, c([[0.5, -1.0], [0.0, 0.25]]))],
    "multi_head_attention_forward": [
        S(_MHA_IN, _MHA_IN, _MHA_IN, 2, 2, _MHA_W, _MHA_B, None, None, False, 0.0, _MHA_OW,
          _MHA_OB),
        S(_MHA_IN, _MHA_IN, _MHA_IN, 2, 1, _MHA_W, _MHA_B, None, None, False, 0.0, _MHA_OW,
          _MHA_OB, need_weights=False),
        S(_MHA_IN, _MHA_IN, _MHA_IN, 2, 2, _MHA_W, None, [[[0.5, -0.5]]], [[[1.0, 0.0]]], True,
          0.0, _MHA_OW, None, key_padding_mask=b([[False, True, False]]),
          average_attn_weights=False),
        S(_MHA_IN, _MHA_IN, _MHA_IN, 2, 2, _MHA_W, _MHA_B, None, None, False, 0.0, _MHA_OW,
          _MHA_OB, attn_mask=c([[0.0, -1.0, 0.5], [0.0, 0.0, -2.0], [1.0, 0.0, 0.0]]),
          need_weights=False)],
})
SAMPLES.update({
    "pixel_shuffle": [S([[[[1.0, -2.0]], [[0.5, 3.0]], [[0.0, 1.5]], [[-1.0, 2.0]]]], 2),
                      S(B4, 1)],
    "pixel_unshuffle": [S(B4, 2), S(nc(SQ), 1)],
    "channel_shuffle": [S(B3, 2), S(C4, 2), S(B4, 1)],
    "native_channel_shuffle": [S(B3, 2), S(C4, 2), S(B4, 1)],
    "rms_norm": [S(B3, (3,)), S(B3, (2, 3), c([[1.0, 2.0, 0.5], [0.25, 1.0, -1.0]])),
                 S(M, (3,), [0.5, -1.0, 2.0], 0.1), S(nc(M), (2,))],
})
SAMPLES.update({  # the in-place activations of F, on constants (tests/nn/test_attention.py
    # differentiates them through a non-leaf)
    "elu_": [S(c(X)), S(c(X), 0.5)], "selu_": [S(c(X))], "celu_": [S(c(X), 0.7)],
    "leaky_relu_": [S(c(X), 0.2)], "hardtanh_": [S(c(X), -0.5, 0.8)],
    "gumbel_softmax": [S(X), S(M, 0.5), S(M, 1.0, True), S(nc(M), hard=True, dim=0), S(EMPTY)],
    "rrelu_": [S(c(X)), S(c(X), 0.1, 0.5), S(c(X), 0.1, 0.5, True)],
    "threshold_": [S(c(X), 0.1, 2.0), S(c(M), -0.2, 0.5)],
})
SAMPLES.update({  # LP pools (gradsh/core/lp_pool.py): PyTorch's composition over avg_pool
    "lp_pool1d": [S(B3, 2, 2), S(B3, 3.0, 2, 1, True)],
    "lp_pool2d": [S(B4, 2, 2), S(B4, 2, (1, 2), 1), S(B4, math.inf, 2)],
    "lp_pool3d": [S(V5, 2, 2)],
})


# ----- branch aliases: torch-level aliases, the *_copy family, Tensor methods learners meet ---
_NAN = math.nan
_PROBS = [0.0, 0.25, 0.5, 1.0, 0.75, 0.5]
_DROPS = [S(X, 0.5, True), S(M, 0.0, True), S(M, 0.5, False), S(B3, 0.25, True),
          S(X, 1.5, True)]
SAMPLES.update({
    "unfold|method": [S(X, 0, 2, 2), S(M, 1, 2, 1), S(nc(M), 0, 1, 1), S(M, -1, 3, 2),
                      S(X, 0, 7, 1), S(X, 0, 2, 0), S(EMPTY, 0, 0, 1)],
    "split_with_sizes": [S(X, py([2, 4])), S(M, py([1, 2]), 1), S(nc(M), py([1, 1])),
                         S(X, py([1, 2]))],
    "unsafe_split_with_sizes": [S(X, py([2, 4])), S(M, py([1, 2]), 1), S(X, py([1, 2]))],
    "expand_copy": [S([[0.5], [1.0]], py([2, 3])), S(X, py([2, 6])), S(M, py([3, 3]))],
    "narrow_copy": [S(M, 1, 0, 2), S(X, 0, 2, 3), S(nc(M), 0, 1, 2), S(X, 0, 5, 3)],
    "permute_copy": [S(M, py([1, 0])), S(B3, py([2, 0, 1])), S(M, py([0, 0]))],
    "select_copy": [S(M, 0, 1), S(M, 1, -1), S(nc(M), 1, 0), S(M, 0, 5)],
    "slice_copy": [S(M, 1, 0, 2), S(X, 0, 1, 5, 2), S(nc(M)), S(X, 0, -3)],
    "squeeze_copy": [S([[1.0], [2.0]]), S([[1.0], [2.0]], 1), S([[[1.0, 2.0]]], py([0, 1]))],
    "t_copy": SHAPE + [S(X), S(B3)],
    "transpose_copy": [S(M, 0, 1), S(B3, 0, 2), S(M, 0, 2)],
    "unsqueeze_copy": [S(M, 1), S(X, -1), S(M, 3)],
    "unfold_copy": [S(X, 0, 2, 2), S(M, 1, 2, 1), S(X, 0, 7, 1)],
    "view_copy": [S(M, py([3, 2])), S(M, py([-1])), S(nc(M), py([6])), S(M, py([4]))],
    "diagonal_copy": [S(M), S(SQ, 1), S(B3, 0, 0, 2), S(nc(M), -1)],
    "split_copy": [S(X, 4), S(M, 1, 1), S(nc(M), 1)],
    "split_with_sizes_copy": [S(M, py([1, 2]), 1), S(X, py([3, 3])), S(X, py([1, 1]))],
    "unbind_copy": [S(M), S(M, 1), S(nc(M), 1)],
    "alias_copy": [S(X), S(nc(M)), S(i(INTS))],
    "detach_copy": [S(X), S(nc(M)), S(i(INTS))],
    "new": [S(X), S(X, py([1.0, 2.5])), S(i(INTS), py([1.5, -2.0])), S(X, c(Y)), S(X, "a")],
    "resize": [S(X, 2, 3), S(M, 6), S(nc(M), 3, 2), S(X, 4)],
    "resize_as": [S(X, c(M)), S(M, c(X)), S(X, c(Y[:2]))],
    "resize_as_": [S(c(X), c(M)), S(c(X), c(Y[:2])), S(c(M), c(X)), S(X, c(M))],
    "apply_": [S(c(X), lambda v: v * 2 - 1), S(i(INTS), lambda v: v / 2), S(X, abs)],
    "map_": [S(c(X), c(Y), lambda a, b: a * b + 1), S(c(M), c([1.0, 2.0, 3.0]), max)],
    "map2_": [S(c(X), c(Y), c(POS), lambda a, b, c: a + b * c)],
    "is_nonzero": [S([1.5]), S([0.0]), S(X), S(EMPTY), S(i([3]))],
    "isreal": UNARY,
    "nonzero_static": [S(X, size=3), S(M, size=6, fill_value=7), S(i(INTS), size=0),
                       S(b([True, False, True]), size=4, fill_value=-5)],
    "unravel_index": [S(i([4, 1, 5]), (2, 3)), S(i([[0, 3]]), 4), S(i([-1, 7]), (2, 4)),
                      S(X, (2, 3)), S(i([1]), (2, -3))],
    "bernoulli": [S(_PROBS), S(c(_PROBS)), S(X, 0.3), S(c(M), 0.0), S(nc([[0.5, 1.0]]))],
    "cauchy_": [S(X), S(c(M), 1.0, 2.0), S(c(X), 0.0, -1.0), S(i(INTS))],
    "log_normal_": [S(X), S(c(M), 0.0, 0.5), S(c(X), 0.0, -1.0), S(i(INTS))],
    "geometric_": [S(X, 0.3), S(c(M), 0.75), S(i(INTS), 0.5), S(c(X), 1.0),
                   S(b([True]), 0.5)],
    "poisson": [S(POS), S(c([0.0, 12.0, 30.0, 1000.0])), S(c([-1.0])), S(nc(SQ))],
    "binomial": [S(c([5.0, 20.0, 100.0, 0.0]), c([0.5, 0.9, 0.3, 0.5])),
                 S([5.0, 20.0], c([0.5, 0.05])), S(c([[4.0], [40.0]]), c([0.25, 0.75]))],
    "nanmedian": [S([1.0, _NAN, 3.0, 2.0]), S(X), S(M, 1), S(M, 0, keepdim=True),
                  S(nc(M), 1), S([[_NAN, _NAN], [1.0, _NAN]], 1), S([_NAN]), S(EMPTY),
                  S(i(INTS))],
    "dropout_": _DROPS, "feature_dropout": _DROPS, "feature_dropout_": _DROPS,
    "alpha_dropout_": _DROPS, "feature_alpha_dropout_": _DROPS,
    "max_pool1d_with_indices": [S(_C1, 2), S(_C1, 2, 1, 1), S(_C1[0], 3, ceil_mode=True)],
    "pin_memory": [S(X), S(i(INTS))],  # no accelerator: PyTorch's error
})
# ----- ctc_loss (gradsh/core/ctc_loss.py) and norm_except_dim (gradsh/core/weight_norm.py) ---
_LOG_PROBS = [[[-1.2, -0.4, -2.0], [-0.3, -1.6, -2.5]], [[-0.9, -1.1, -1.4], [-2.2, -0.2, -1.9]],
              [[-1.5, -0.8, -1.0], [-0.7, -0.9, -2.1]]]
SAMPLES.update({
    "ctc_loss": [S(_LOG_PROBS, i([[1, 2], [2, 1]]), i([3, 3]), i([2, 1])),
                 S(_LOG_PROBS, i([1, 2, 2]), py((3, 2)), py((2, 1)), 2),
                 S(_LOG_PROBS, i([[1, 1], [2, 1]]), i([2, 3]), i([2, 2]))],
    "norm_except_dim": [S(M), S(M, 2, 1), S(M, 3, -1), S(nc(M), 2, 0)],
})
# igamma / igammac (branch linalg2): a constant first argument (its derivative is not
# implemented: that case records the error), edges (0, negative), broadcasting, integers
_IG = [S(c(_GP), POS), S(c([0.0, 1.0, -1.0, 2.0, 0.5, 3.0]), X), S(_GP, POS),
       S(c([[1.5], [4.0]]), [0.25, 1.0, 6.0]), S(nc(M), c([[1.0, 2.0, 0.5]])),
       S(i(INTS), i([1, 2, 3, 1, 2, 3])), S(c(_GP), i([1, 2, 3, 1, 2, 3])), S(EMPTY, c(EMPTY))]
SAMPLES.update({"igamma": _IG, "igammac": _IG})
# Bessel J, Y, K and Airy's Ai (branch linalg2): not differentiable, as in PyTorch; zeros,
# negatives, both sides of the expansions' threshold (25), infinities, integers
SAMPLES.update({name: UNARY + [S([9.0, -10.0, 0.001, 30.0, 24.5, 25.5]),
                               S(c([math.inf, -math.inf, math.nan, 1e-8]))]
                for name in ("bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
                             "modified_bessel_k0", "modified_bessel_k1",
                             "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "airy_ai")})
# names PyTorch keeps only to refuse (branch linalg2): the RuntimeError is the fact
SAMPLES.update({"solve": [S(SQ, SQ)], "lstsq": [S(SQ, SQ)], "symeig": [S(SQ), S(SQ, True)],
                "eig": [S(SQ), S(SQ, True)], "matrix_rank": [S(SQ)]})
# triangular_solve, renorm, nuclear_norm, chain_matmul (branch linalg2)
_TRI = [[2.0, 1.0], [0.5, -3.0]]
SAMPLES.update({
    "triangular_solve": [S(SQ, _TRI), S(SQ, _TRI, False), S(nc(SQ), _TRI, True, True),
                         S([[1.0], [2.0]], c(_TRI), False, True, True), S(SQ, [[0.0, 1.0],
                                                                              [0.0, 2.0]])],
    "renorm": [S(M, 2, 0, 1.5), S(M, 1, 1, 2.0), S(nc(M), 3.0, -1, 0.5), S(M, 2, 0, 100.0),
               S(M2, 0.5, 1, 0.1), S(X, 2, 0, 1.0)],
    "nuclear_norm": [S(SQ), S(M, True), S([[[1.0, 2.0], [0.0, 1.0]]], (0, 2)), S(X)],
    "chain_matmul": [S(SQ, SQ), S(M, _LTALL), S(SQ)],
})
# nn, part 2 (branch nnmore): the pools' *_with_indices names, upsample, affine_grid/grid_sample,
# the fractional pools (their random samples given, so the windows are the recorded ones)
_P2 = [[[[1.0, 3.0, -2.0, 2.0], [2.0, 3.0, 0.5, 4.0], [0.0, -1.0, 2.5, 1.5],
         [0.5, 1.5, -0.5, 3.5]]]]  # (1, 1, 4, 4)
_P3 = [[[[[1.0, 3.0, -2.0], [2.0, 3.0, 0.5], [0.0, 1.0, -1.0]],
         [[0.0, -1.0, 2.5], [2.0, -0.0, 1.5], [0.5, 2.0, 1.0]],
         [[1.5, 0.5, -0.5], [0.0, 2.0, 3.0], [-1.0, 1.0, 0.25]]]]]  # (1, 1, 3, 3, 3)
_THETA = [[[1.0, 0.2, 0.1], [-0.3, 0.9, 0.0]]]
_GRID = [[[[0.1, -0.5], [0.9, 0.3]], [[-1.2, 0.0], [0.4, 0.8]]]]  # (1, 2, 2, 2)
SAMPLES.update({
    "triplet_margin_with_distance_loss": [
        S(M, M2, [[0.5, 1.0, 0.0], [1.0, -1.0, 2.0]]),
        S(M, M2, [[0.5, 1.0, 0.0], [1.0, -1.0, 2.0]], swap=True, margin=0.5, reduction="none")],
    "max_pool2d_with_indices": SAMPLES["max_pool2d"],
    "max_pool3d_with_indices": SAMPLES["max_pool3d"],
    "adaptive_max_pool1d_with_indices": [S(_U1, 2), S(_C1, 1)],
    "adaptive_max_pool2d_with_indices": [S(_U2, (1, 2)), S(_P2, 3)],
    "adaptive_max_pool3d_with_indices": [S(_U3, (1, 2, 1))],
    "upsample": [S(_U1, scale_factor=2), S(_U2, size=(3, 4), mode="bilinear",
                                              align_corners=False)],
    "upsample_nearest": [S(_U2, scale_factor=2), S(_U1, size=5)],
    "upsample_bilinear": [S(_U2, scale_factor=2), S(_U2, size=(3, 4))],
    "affine_grid": [S(_THETA, py([1, 1, 2, 3]), False), S(_THETA, py([1, 1, 3, 2]), True)],
    "grid_sample": [S(_U2, _GRID, align_corners=False),
                    S(_U2, _GRID, mode="nearest", padding_mode="border", align_corners=True),
                    S(_U2, _GRID, mode="bicubic", padding_mode="reflection",
                      align_corners=False)],
    "fractional_max_pool2d": [S(_P2, 2, output_size=2, _random_samples=c([[[0.3, 0.7]]])),
                              S(_P2, 2, output_ratio=0.5, _random_samples=c([[[0.9, 0.1]]]))],
    "fractional_max_pool2d_with_indices": [
        S(_P2, 2, output_size=2, _random_samples=c([[[0.3, 0.7]]]))],
    "fractional_max_pool3d": [S(_P3, 2, output_size=1, _random_samples=c([[[0.3, 0.7, 0.5]]])),
                              S(_P3, 2, output_size=2,  # too large: ATen's 3-d check
                                _random_samples=c([[[0.3, 0.7, 0.5]]]))],
    "fractional_max_pool3d_with_indices": [
        S(_P3, (1, 2, 2), output_size=(2, 1, 1), _random_samples=c([[[0.2, 0.6, 0.9]]]))],
})
# as_strided and its family, gradient, index_reduce, asarray, fill (branch linalg3)
NOT_SWEPT.update({n: "uninitialised memory: only its shape, strides and dtype are defined "
                     "(tests/core/test_linalg3.py)" for n in ("empty_strided", "new_empty_strided")})
SAMPLES.update({
    "as_strided": [S(X, (2, 2), (1, 1)), S(X, (3,), (2,), 0), S(M, (2, 2), (1, 2), 1),
                   S(nc(M), (3,), (1,)), S(X, (7,), (1,))],
    "as_strided_": [S(c(X), (2, 2), (1, 1)), S(X, (2,), (1,))],
    "as_strided_copy": [S(X, (2, 2), (1, 1)), S(M, (3,), (2,), 1)],
    "as_strided_scatter": [S(X, [1.0, 2.0, 3.0, 4.0], (2, 2), (2, 1)),
                           S(M, [[1.0], [2.0]], (2, 1), (3, 1), 1),
                           S(X, [1.0, 2.0], (3,), (1,))],
    "gradient": [S(X), S(X, spacing=2.0), S(X, edge_order=2), S(M, dim=1),
                 S(M, spacing=[2.0, 0.5]), S([1.0])],
    "index_reduce": [S(X, 0, i([0, 2, 2]), [1.0, -2.0, 0.5], r, include_self=inc)
                     for r in ("prod", "mean", "amax", "amin") for inc in (True, False)] + [
                     S(M, 1, i([2, 0]), [[1.0, 2.0], [0.0, 3.0]], "prod")],
    "asarray": [S(X), S(X, copy=True), S(X, dtype=D("float64")), S(c(M))],
    "fill": [S(X, 2.5), S(M, c([1.5])), S(i(INTS), 3), S(nc(M), -1.0)],
    "frobenius_norm": [S(M, (0, 1)), S(M, (1,), True), S(nc(M), 0), S(X, (0,))],
})
SAMPLES["slice_inverse"] = [S(X, c([0.0] * 6)), S(M, c([[0.0] * 3] * 2), 1, 0, None)]

# branch apigaps's ops are checked against PyTorch by their own recorded cases (values, nodes,
# gradients, messages: tests/data/apigaps_cases.py, tests/core/test_apigaps.py); their
# arguments (a window length, bins, a buffer, a class) fit none of the sweep's samples
NOT_SWEPT.update({n: "branch apigaps: tests/core/test_apigaps.py records it against PyTorch"
                  for n in ("stft", "istft", "geqrf", "orgqr", "ormqr", "histogramdd",
                            "svd_lowrank", "pca_lowrank", "as_subclass", "frombuffer")})
SAMPLES["embedding_bag|function"] = []  # torch.embedding_bag: tests/core/test_apigaps.py
NOT_SWEPT.update({n: "a sparse COO op (branch sparse19): tests/core/test_sparse.py compares its "
                     "values, printing and gradients with PyTorch's"
                  for n in ("sparse_coo_tensor", "to_sparse", "to_dense", "indices", "values",
                            "_indices", "_values", "_nnz", "coalesce", "is_coalesced",
                            "sparse_dim", "dense_dim")})
