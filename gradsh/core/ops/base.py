"""What every op shares: making result tensors, recording nodes, saving values, dtype promotion."""

import os
import traceback

import numpy as np

from .. import dtypes, errors, grad_mode
from ..layout import contiguous, iterated, like
from ..memory import check_alloc, check_numel, limits  # noqa: F401 - check_alloc for the ops
from ..node import (SavedScalar, accumulator, new_node, pack_pending, pending_outputs,
                    saved_tensor)
from ..node import rule  # noqa: F401 - the ops import it from here
from ..tensor import Tensor, _dim

state = grad_mode.state
make = Tensor._make
_ndarray = np.ndarray
NO_EDGE = (None, 0)
_f32 = np.dtype(np.float32)
_f64 = np.dtype(np.float64)
_i64 = np.dtype(np.int64)
_bool = np.dtype(np.bool_)


_CORE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def forward_trace():
    """The user's stack where a node is recorded (anomaly mode), without gradsh's own frames."""
    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(_CORE_DIR)]
    return "".join(traceback.format_list(frames))


def save(t, name=""):
    """What an op saves of an input for its rule: a SavedTensor, or a SavedScalar for a number."""
    if type(t) is Tensor:
        return saved_tensor(t, False, name)
    s = _new(SavedScalar)
    s.value = t
    return s


def save_out(out, name="result"):
    """What an op saves of its own output."""
    return saved_tensor(out, True, name)


_new = object.__new__


def needs_grad(*ts):
    if not state.enabled:
        return False
    for t in ts:
        if type(t) is Tensor and t._requires_grad:
            return True
    return False


_NEED1 = (True,)


def _edge(t):
    fn = t._grad_fn
    return (fn, t._output_nr) if fn is not None else (accumulator(t), 0)


def record(out, cls, inputs, saved=()):
    """Attach a new node of class `cls` to `out`: edges to each input that requires grad."""
    n = len(inputs)
    if n == 1 and type(inputs[0]) is Tensor and inputs[0]._requires_grad:
        t = inputs[0]
        fn = t._grad_fn
        node = new_node(cls, ((fn, t._output_nr) if fn is not None else (accumulator(t), 0),),
                        saved, ((t._data.shape, t._data.dtype),), _NEED1)
    elif n == 2:
        a, b = inputs
        ra = type(a) is Tensor and a._requires_grad
        rb = type(b) is Tensor and b._requires_grad
        node = new_node(cls, (_edge(a) if ra else NO_EDGE, _edge(b) if rb else NO_EDGE), saved,
                        ((a._data.shape, a._data.dtype) if ra else None,
                         (b._data.shape, b._data.dtype) if rb else None), (ra, rb))
    else:
        edges = []
        meta = []
        need = []
        for t in inputs:
            if t is None or type(t) is not Tensor or not t._requires_grad:
                edges.append(NO_EDGE)
                meta.append(None)
                need.append(False)
            else:
                edges.append(_edge(t))
                meta.append((t._data.shape, t._data.dtype))
                need.append(True)
        node = new_node(cls, tuple(edges), saved, tuple(meta), tuple(need))
    if state.anomaly:
        node._trace = forward_trace()
    out._grad_fn = node
    out._requires_grad = True
    if pending_outputs:
        pack_pending()  # saved-tensor hooks: the op's saved output, now with its grad_fn
    return node


def record_multi(outs, cls, inputs, saved=()):
    """Like record, for an op with several outputs sharing one node (split, unbind, max(dim))."""
    node = record(outs[0], cls, inputs, saved)
    for i, o in enumerate(outs):
        if o is None:
            continue
        o._grad_fn = node
        o._requires_grad = True
        o._output_nr = i
    return node


def result(data):
    """A result tensor from a numpy result (numpy returns scalars for 0-d: make them arrays)."""
    if type(data) is not _ndarray:
        data = np.asarray(data)
    return make(data)


def contiguous_result(data):
    """result(data), contiguous with PyTorch's strides: the layout of nearly every op that is
    neither a view nor pointwise (reductions, scans, cat, advanced indexing...)."""
    if type(data) is not _ndarray:
        data = np.asarray(data)
    return make(contiguous(data))


def preserving_result(data, like_array):
    """result(data) in the layout of PyTorch's empty_like(input): flip, sort, index_put."""
    return make(like(like_array, data if type(data) is _ndarray else np.asarray(data)))


def iter_result(data, *operands):
    """result(data) for a pointwise op over `operands` (tensors or numbers), in the layout
    PyTorch's TensorIterator gives it (layout.iterated); contiguous operands cost a flag test."""
    if type(data) is not _ndarray:
        data = np.asarray(data)
    if data.flags.c_contiguous:
        for t in operands:
            if type(t) is Tensor and not t._data.flags.c_contiguous:
                break
        else:
            return make(data)  # (no call, no list: pow and the comparisons are on hot paths)
    return make(iterated(data, [t._data for t in operands if type(t) is Tensor]))


# ----- dtype promotion, PyTorch's rules ------------------------------------------------------
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def _default_for(category):
    return _bool if category == 0 else (_i64 if category == 1 else _f32)


def promote(*operands):
    """The result dtype of an op over tensors and Python numbers, as PyTorch computes it.

    Dimensioned tensors decide; 0-d tensors only raise the category (then their own type is
    used); Python numbers only raise the category (then the default dtype of it is used).
    """
    dim_t = None
    zero_t = None
    py_cat = -1
    for x in operands:
        if type(x) is Tensor:
            d = x._data.dtype
            if x._data.ndim:
                dim_t = d if dim_t is None else np.promote_types(dim_t, d)
            else:
                zero_t = d if zero_t is None else np.promote_types(zero_t, d)
        elif isinstance(x, bool):
            py_cat = max(py_cat, 0)
        elif isinstance(x, int):
            py_cat = max(py_cat, 1)
        elif isinstance(x, float):
            py_cat = max(py_cat, 2)
        elif isinstance(x, (np.ndarray, np.generic)):
            d = np.asarray(x).dtype
            dim_t = d if dim_t is None else np.promote_types(dim_t, d)
        else:
            raise TypeError(f"unsupported operand type: {type(x).__name__}")
    res = dim_t
    if zero_t is not None:
        if res is None:
            res = zero_t
        elif _CATEGORY[zero_t.kind] > _CATEGORY[res.kind]:
            res = zero_t
    if py_cat >= 0:
        if res is None:
            res = _default_for(py_cat)
        elif py_cat > _CATEGORY[res.kind]:
            res = _default_for(py_cat)
    return _fix_numpy_promotion(res, operands)


def _fix_numpy_promotion(res, operands):
    # numpy promotes int64 with float32 to float64; PyTorch keeps float32.
    if res == _f64:
        floats = [x._data.dtype for x in operands if type(x) is Tensor and x._data.dtype.kind == "f"]
        if floats and all(f == _f32 for f in floats):
            return _f32
    return res


def operand(x):
    """The numpy-level value of an operand: a tensor's array or a Python number."""
    if type(x) is Tensor:
        return x._data
    if isinstance(x, (bool, int, float)):
        if type(x) is int and not -0x8000000000000000 <= x <= 0xFFFFFFFFFFFFFFFF:
            # PyTorch's words for a Python int no tensor can hold; numpy would make an object
            # array of it (`tensor(3) ** 10**30` computing a huge power for ever)
            raise OverflowError("can't convert negative int to unsigned" if x < 0 else
                                "int too big to convert")
        return x
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (np.ndarray, np.generic)):
        return np.asarray(x)
    raise TypeError(f"unsupported operand type for a tensor op: '{type(x).__name__}'")


def same_dtype_arrays(a, b):
    """Both operands as arrays/scalars of PyTorch's result dtype, ready for a numpy ufunc."""
    ad = a._data if type(a) is Tensor else operand(a)
    bd = b._data if type(b) is Tensor else operand(b)
    if type(a) is Tensor and type(b) is Tensor:
        # the product of the sizes bounds the broadcast result: one multiply on the hot path
        if ad.size * bd.size > limits.quick:
            check_broadcast_alloc(ad, bd)
        if ad.dtype == bd.dtype:
            return ad, bd, ad.dtype
    elif type(a) is Tensor and type(b) is int and ad.dtype.kind != "b":
        return ad, bd, ad.dtype  # a Python int never changes a non-bool tensor's dtype
    elif type(a) is Tensor and type(b) is float and ad.dtype.kind == "f":
        return ad, bd, ad.dtype
    elif type(b) is Tensor and type(a) is float and bd.dtype.kind == "f":
        return ad, bd, bd.dtype
    rt = promote(a, b)
    if type(ad) is _ndarray and ad.dtype != rt:
        ad = ad.astype(rt)
    if type(bd) is _ndarray and bd.dtype != rt:
        bd = bd.astype(rt)
    return ad, bd, rt


def dim_arg(dim, ndim):
    return _dim(dim, ndim)


def dims_arg(dim, ndim):
    """Normalize dim (int, tuple or list) to a sorted tuple of non-negative dims."""
    if isinstance(dim, (tuple, list)):
        out = []
        for d in dim:
            d = _dim(d, ndim)
            if d in out:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
            out.append(d)
        return tuple(out)
    return (_dim(dim, ndim),)


def check_broadcast_alloc(*arrays):
    """Refuse (TensorTooLarge) a broadcast of `arrays` whose result is above the memory limit;
    shapes that do not broadcast are left to the op and its own error."""
    bound = 1
    for x in arrays:
        bound *= x.size if type(x) is _ndarray else 1
    if bound <= limits.quick:
        return
    shapes = [np.shape(x) for x in arrays]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        return
    itemsize = max(x.dtype.itemsize for x in arrays if type(x) is _ndarray)
    n = 1
    for s in shape:
        n *= s
    check_numel(n, shape, itemsize)


def check_broadcast(a_shape, b_shape):
    try:
        return np.broadcast_shapes(a_shape, b_shape)
    except ValueError:
        raise errors.broadcast_error(a_shape, b_shape) from None


def torch_dtype(np_dtype):
    return dtypes._BY_NP[np.dtype(np_dtype)]
