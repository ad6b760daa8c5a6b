"""What every op shares: making result tensors, recording nodes, saving values, dtype promotion."""

import os
import sys
import traceback

import numbers

import numpy as np

from .. import dtypes, errors, grad_mode
from ..dtypes import default_float_np, half_rounded
from ..dtypes import promote_pair  # noqa: F401 - the ops import it from here
from ..layout import contiguous, in_format_of, iterated, like
from ..memory import check_alloc, check_numel, limits  # noqa: F401 - check_alloc for the ops
from ..node import (HookedSavedTensor, Node, SavedScalar, SavedTensor, accumulator,
                    complex_variant, pack_pending, pending_outputs, saved_tensor, sequence)
from ..node import rule  # noqa: F401 - the ops import it from here
from ..tensor import TENSOR_TYPES, Tensor, _dim, list_item
from ..meta import MetaArray as _Meta, meta_like  # (a meta tensor's array: core/meta.py)

state = grad_mode.state
make = Tensor._make
_ndarray = np.ndarray
NO_EDGE = (None, 0)
_f32 = np.dtype(np.float32)
_f64 = np.dtype(np.float64)
_i64 = np.dtype(np.int64)
_bool = np.dtype(np.bool_)


# Where frames are not the user's: gradsh's own package, and the interpreter's and its
# environments' files (the standard library, site-packages, the `gradsh` command itself).
_NOT_THE_USERS = tuple(sorted({os.path.join(os.path.realpath(d), "") for d in (
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}))


def _python_users_frame(frame):
    """(file, line, function, None) of a frame of the user's Python code, or None."""
    filename = frame.f_code.co_filename
    if filename.startswith("<frozen ") or (
            os.path.isabs(filename) and os.path.realpath(filename).startswith(_NOT_THE_USERS)):
        return None
    return filename, frame.f_lineno, frame.f_code.co_name, None


_users_frame = _python_users_frame


def show_frames(users_frame):
    """Set what anomaly mode's forward trace shows of a frame: users_frame(frame) gives (file,
    line, function, source line or None to read the file) for a frame of the user's code, or
    None for another (a language running programs shows its programs' lines only); None
    restores the default (the user's Python files). Returns the previous setting."""
    global _users_frame
    previous, _users_frame = _users_frame, users_frame or _python_users_frame
    return previous


def forward_trace():
    """The user's stack where a node is recorded (anomaly mode), as PyTorch shows it: the
    user's own frames (file, line, source line), none of gradsh's or the interpreter's."""
    shown = []
    frame = sys._getframe(1)
    while frame is not None:
        where = _users_frame(frame)
        if where is not None:
            filename, line, name, source = where
            shown.append(traceback.FrameSummary(filename, line, name, line=source))
        frame = frame.f_back
    return "".join(traceback.format_list(shown[::-1]))


def save(t, name=""):
    """What an op saves of an input for its rule: a SavedTensor, or a SavedScalar for a number."""
    if (type(t) is Tensor or type(t) in TENSOR_TYPES):
        return saved_tensor(t, False, name)
    s = _new(SavedScalar)
    s.value = t
    return s


def save_index(index, name=""):
    """An index or mask a node keeps beside its values (an index tensor, a mask, sort's
    indices): a SavedTensor, as PyTorch saves it, so a saved-tensor pack hook sees it and
    `grad_fn._saved_<name>` is the integer tensor; a computed array is made a tensor first.
    Rules read it through P.data (an array in the engine's array lane, a tensor under
    create_graph)."""
    return saved_tensor(index if isinstance(index, Tensor) else make(index), False, name)


def save_key(key):
    """An advanced-indexing key (slices, Nones, index and mask arrays) with each array saved as
    a tensor (save_index): PyTorch's IndexBackward0 and IndexPutBackward0 save their indices,
    so a pack hook sees each one. `key_arrays` gives the key back to the rule."""
    return tuple(save_index(k) if type(k) is _ndarray or type(k) is _Meta else k for k in key)


def key_arrays(key):
    """A key from save_key with its saved tensors read back as arrays (unpack hooks called)."""
    return tuple(k.live_data() if type(k) is SavedTensor else
                 k.value(None, False) if type(k) is HookedSavedTensor else k for k in key)


def save_both(self, other, self_name="", other_name=""):
    """(saved self, saved other) for a binary op whose gradients each need the other input:
    PyTorch saves (and so calls a pack hook on) other before self, as its formula for self's
    gradient names other first."""
    o = save(other, other_name)
    return save(self, self_name), o


def save_out(out, name="result"):
    """What an op saves of its own output."""
    return saved_tensor(out, True, name)


_new = object.__new__
_next_seq = sequence.__next__


def needs_grad(*ts):
    if not state.enabled:
        return False
    for t in ts:
        if (type(t) is Tensor or type(t) in TENSOR_TYPES) and t._requires_grad:
            return True
    return False


_NEED1 = (True,)
_NEED2 = (True, True)
_NEED_FIRST = (True, False)
_NEED_SECOND = (False, True)
_NEED_NONE = (False, False)


def record(out, cls, inputs, saved=()):
    """Attach a new node of class `cls` to `out`: edges to each input that requires grad.

    (The edges and the node itself are written out here rather than through helper calls
    and node.new_node: every recorded op runs this, and each call counts.)"""
    n = len(inputs)
    if n == 1 and (type(inputs[0]) is Tensor or type(inputs[0]) in TENSOR_TYPES) and inputs[0]._requires_grad:
        t = inputs[0]
        fn = t._grad_fn
        edges = ((fn, t._output_nr) if fn is not None else (accumulator(t), 0),)
        d = t._data
        meta = ((d.shape, d.dtype),)
        need = _NEED1
    elif n == 2:
        # unrolled for the two-input ops (a loop costs 3% of a small graph's step); one input
        # needing grad (x * 0.5, x + b with a constant b) builds no tuples but the edge's
        a, b = inputs
        if (type(a) is Tensor or type(a) in TENSOR_TYPES) and a._requires_grad:
            fn = a._grad_fn
            ea = (fn, a._output_nr) if fn is not None else (accumulator(a), 0)
            d = a._data
            if (type(b) is Tensor or type(b) in TENSOR_TYPES) and b._requires_grad:
                fn = b._grad_fn
                eb = (fn, b._output_nr) if fn is not None else (accumulator(b), 0)
                db = b._data
                edges, meta, need = (ea, eb), ((d.shape, d.dtype), (db.shape, db.dtype)), _NEED2
            else:
                edges, meta, need = (ea, NO_EDGE), ((d.shape, d.dtype), None), _NEED_FIRST
        elif (type(b) is Tensor or type(b) in TENSOR_TYPES) and b._requires_grad:
            fn = b._grad_fn
            eb = (fn, b._output_nr) if fn is not None else (accumulator(b), 0)
            d = b._data
            edges, meta, need = (NO_EDGE, eb), (None, (d.shape, d.dtype)), _NEED_SECOND
        else:
            edges, meta, need = (NO_EDGE, NO_EDGE), (None, None), _NEED_NONE
    else:
        edges = []
        meta = []
        need = []
        for t in inputs:
            if (type(t) is Tensor or type(t) in TENSOR_TYPES) and t._requires_grad:
                fn = t._grad_fn
                edges.append((fn, t._output_nr) if fn is not None else (accumulator(t), 0))
                meta.append((t._data.shape, t._data.dtype))
                need.append(True)
            else:
                edges.append(NO_EDGE)
                meta.append(None)
                need.append(False)
        edges, meta, need = tuple(edges), tuple(meta), tuple(need)
    # node.new_node, inlined (its defaults: node.NODE_DEFAULTS)
    dt = out._data.dtype
    # (float32 and float64 by identity: a `kind` read costs more than the dtype's; an equal
    # dtype that is not numpy's own object falls through to the test)
    if dt is not _f32 and dt is not _f64 and dt.kind == "c":
        cls = complex_variant(cls)  # PyTorch's conjugate Wirtinger gradients
    same_layout = cls._same_layout
    node = _new(Node if same_layout else cls)
    node.next_functions = edges
    node._saved = saved
    node._meta = meta
    node._seq = _next_seq()
    node._hooks = None
    node._pre_hooks = None
    node._tensor_hooks = None
    node._retained = None
    node._released = False
    node._trace = None
    node._need = need
    if same_layout:
        node.__class__ = cls
    if state.anomaly:
        node._trace = forward_trace()
    out._grad_fn = node
    out._requires_grad = True
    if pending_outputs:
        pack_pending()  # saved-tensor hooks: the op's saved output, now with its grad_fn
    return node


def record_first(out, cls, t, dt, saved, need):
    """record(out, cls, inputs, saved) for the float lanes whose one input needing grad is the
    first, tensor t, whose dtype dt (float32 or float64) is also the result's: a unary op
    (need _NEED1: inputs (t,)) or add, sub and mul of t with a Python number (_NEED_FIRST:
    inputs (t, number)). The same node as record's, without its reads of both dtypes, its
    complex test and its tests of the inputs' types (tests/core/test_record_first.py compares
    the two)."""
    fn = t._grad_fn
    edge = (fn, t._output_nr) if fn is not None else (accumulator(t), 0)
    if need is _NEED1:
        edges, meta = (edge,), ((t._data.shape, dt),)
    else:
        edges, meta = (edge, NO_EDGE), ((t._data.shape, dt), None)
    # (record's node, written out as there)
    same_layout = cls._same_layout
    node = _new(Node if same_layout else cls)
    node.next_functions = edges
    node._saved = saved
    node._meta = meta
    node._seq = _next_seq()
    node._hooks = None
    node._pre_hooks = None
    node._tensor_hooks = None
    node._retained = None
    node._released = False
    node._trace = None
    node._need = need
    if same_layout:
        node.__class__ = cls
    if state.anomaly:
        node._trace = forward_trace()
    out._grad_fn = node
    out._requires_grad = True
    if pending_outputs:
        pack_pending()
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


def backward_op(node, value, g, saved, extra=()):
    """A first-order gradient that PyTorch computes with a backward op of its own (tanh_backward,
    _softmax_backward_data, mse_loss_backward): `value(g, *saved, *extra)` on arrays, recorded
    under create_graph as an op of (g, *saved) whose node `node` (TanhBackwardBackward0, ...) is
    PyTorch's backward-of-backward, with the tensors and `extra` as its saved values. Without a
    tensor g (the engine's array lane) it is just the value."""
    if (type(g) is not Tensor and type(g) not in TENSOR_TYPES):
        return value(g, *[s._data if (type(s) is Tensor or type(s) in TENSOR_TYPES) else s for s in saved], *extra)
    out = iter_result(value(g._data, *[s._data for s in saved], *extra), g, *saved)
    if needs_grad(g, *saved):
        record(out, node, (g,) + tuple(saved), (g,) + tuple(saved) + tuple(extra))
    return out


def arrays_unless(gg, *values):
    """A backward-of-backward rule's saved tensors as arrays when its gradient gg is an array
    (no graph recorded), else as they are."""
    if (type(gg) is Tensor or type(gg) in TENSOR_TYPES):
        return values
    return tuple(v._data if (type(v) is Tensor or type(v) in TENSOR_TYPES) else v for v in values)


def result(data):
    """A result tensor from a numpy result (numpy returns scalars for 0-d: make them arrays)."""
    if type(data) is not _ndarray and type(data) is not _Meta:
        data = np.asarray(data)
    return make(data)


def contiguous_result(data):
    """result(data), contiguous with PyTorch's strides: the layout of nearly every op that is
    neither a view nor pointwise (reductions, scans, cat, advanced indexing...)."""
    if type(data) is not _ndarray and type(data) is not _Meta:
        data = np.asarray(data)
    return make(contiguous(data))


def format_result(data, *like_arrays, volumes=False):
    """contiguous_result(data), or channels-last when one of like_arrays (the inputs of an nn
    op over images; with volumes, 5-d ones too) suggests that memory format, as PyTorch's
    kernels choose their output."""
    if type(data) is not _ndarray and type(data) is not _Meta:
        data = np.asarray(data)
    for a in like_arrays:
        if type(a) is _Meta:  # (an image op over a meta input: no data, no format)
            return make(meta_like(data))
    return make(in_format_of(contiguous(data), *like_arrays, volumes=volumes))


def grad_in_format(g, like):
    """A first-order rule's gradient array for a 4-d input `like` in the memory format that
    input suggests, as PyTorch's image kernels write grad_input (seen in the strides of a
    leaf's size-1 dims); a tensor (create_graph) or None as it is."""
    if type(g) is not _ndarray:
        return g
    if type(like) is _Meta or type(getattr(like, "_data", None)) is _Meta:
        return g  # (a meta input: no layout; the engine makes its gradient meta)
    return in_format_of(g, like if type(like) is _ndarray else like._data)


def preserving_result(data, like_array):
    """result(data) in the layout of PyTorch's empty_like(input): flip, sort, index_put."""
    return make(like(like_array, data if isinstance(data, _ndarray) else np.asarray(data)))


def iter_result(data, *operands):
    """result(data) for a pointwise op over `operands` (tensors or numbers), in the layout
    PyTorch's TensorIterator gives it (layout.iterated); contiguous operands cost a flag test."""
    if type(data) is not _ndarray and type(data) is not _Meta:
        data = np.asarray(data)
    if data.flags.c_contiguous:
        for t in operands:
            if (type(t) is Tensor or type(t) in TENSOR_TYPES) and not t._data.flags.c_contiguous:
                break
        else:
            return make(data)  # (no call, no list: pow and the comparisons are on hot paths)
    return make(iterated(data, [t._data for t in operands if (type(t) is Tensor or type(t) in TENSOR_TYPES)]))


# ----- dtype promotion, PyTorch's rules ------------------------------------------------------
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "V": 2, "c": 3}


def _default_for(category):
    if category == 3:
        return dtypes.default_complex_np()
    return _bool if category == 0 else (_i64 if category == 1 else default_float_np())


def _complex_over(res, c):
    """PyTorch's combine_categories when a lower-priority operand (a 0-d tensor, a Python
    number) is complex (`c`) and the deciding dtype `res` is not: a float `res` becomes its
    complex counterpart (float16: complex32, which gradsh refuses; bfloat16: complex64),
    else `c`."""
    if res.kind in "fV":
        if res == _F16:
            dtypes.complex32.np  # noqa: B018 - raises gradsh's refusal of complex32 tensors
        return dtypes.COMPLEX_OF.get(res, _C64)
    return c


_C64 = np.dtype(np.complex64)
_F16 = np.dtype(np.float16)


def promote(*operands):
    """The result dtype of an op over tensors and Python numbers, as PyTorch computes it.

    Dimensioned tensors decide; 0-d tensors only raise the category (then their own type is
    used); Python numbers only raise the category (then the default dtype of it is used).
    """
    dim_t = None
    zero_t = None
    py_cat = -1
    for x in operands:
        if (type(x) is Tensor or type(x) in TENSOR_TYPES):
            d = x._data.dtype
            if x._data.ndim:
                dim_t = d if dim_t is None else promote_pair(dim_t, d)
            else:
                zero_t = d if zero_t is None else promote_pair(zero_t, d)
        elif isinstance(x, bool):
            py_cat = max(py_cat, 0)
        elif isinstance(x, int):
            py_cat = max(py_cat, 1)
        elif isinstance(x, float):
            py_cat = max(py_cat, 2)
        elif isinstance(x, complex):
            py_cat = 3
        elif isinstance(x, (np.ndarray, np.generic)):
            d = np.asarray(x).dtype
            dim_t = d if dim_t is None else promote_pair(dim_t, d)
        else:
            raise errors.operand_error(x)
    res = dim_t
    if zero_t is not None:
        if res is None:
            res = zero_t
        elif _CATEGORY[zero_t.kind] > _CATEGORY[res.kind]:
            res = _complex_over(res, zero_t) if zero_t.kind == "c" else zero_t
    if py_cat >= 0:
        if res is None:
            res = _default_for(py_cat)
        elif py_cat > _CATEGORY[res.kind]:
            res = _complex_over(res, _default_for(3)) if py_cat == 3 else _default_for(py_cat)
    return _fix_numpy_promotion(res, operands)


def _fix_numpy_promotion(res, operands):
    # numpy promotes int64 with float32 to float64; PyTorch keeps float32.
    if res == _f64:
        floats = [x._data.dtype for x in operands if (type(x) is Tensor or type(x) in TENSOR_TYPES) and x._data.dtype.kind in "fV"]
        if floats and all(f == _f32 for f in floats):
            return _f32
    return res


def operand(x):
    """The numpy-level value of an operand: a tensor's array or a Python number."""
    if (type(x) is Tensor or type(x) in TENSOR_TYPES):
        return x._data
    if isinstance(x, (bool, int, float)):
        if type(x) is int and not -0x8000000000000000 <= x <= 0xFFFFFFFFFFFFFFFF:
            # PyTorch's words for a Python int no tensor can hold; numpy would make an object
            # array of it (`tensor(3) ** 10**30` computing a huge power for ever)
            raise OverflowError("can't convert negative int to unsigned" if x < 0 else
                                "int too big to convert")
        return x.item() if isinstance(x, np.generic) else x  # np.float64: a Python number
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, np.generic):
        return x.item()  # a numpy number: PyTorch reads it as the Python number
    if isinstance(x, np.ndarray):
        return np.asarray(x)
    if isinstance(x, complex):
        return x
    if hasattr(type(x), "__array__"):  # a program's numpy value (lang/runtime/numpymodule.py)
        data = np.asarray(x)
        return data.item() if isinstance(x, numbers.Number) else data
    raise errors.operand_error(x)


_NUMBERS = (bool, int, float)


def _with_numpy_array(a, b, ad, bd):
    """`tensor OP array` with a program's numpy array (lang/runtime/numpymodule.py; numpy's
    own arrays are the core's working values, left to `promote`): PyTorch hands the tensor to
    numpy (refused for a tensor that requires grad, in its words), so numpy's promotion
    decides the dtype."""
    if any(isinstance(x, Tensor) and x._requires_grad for x in (a, b)):
        raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
    return np.result_type(ad, bd)


_F16 = np.dtype(np.float16)  # a Python float beside a float16 tensor: dtypes.half_rounded


def same_dtype_arrays(a, b):
    """Both operands as arrays/scalars of PyTorch's result dtype, ready for a numpy ufunc."""
    ad = a._data if (type(a) is Tensor or type(a) in TENSOR_TYPES) else operand(a)
    bd = b._data if (type(b) is Tensor or type(b) in TENSOR_TYPES) else operand(b)
    if (type(a) is Tensor or type(a) in TENSOR_TYPES) and (type(b) is Tensor or type(b) in TENSOR_TYPES):
        # the product of the sizes bounds the broadcast result: one multiply on the hot path
        if ad.size * bd.size > limits.quick:
            check_broadcast_alloc(ad, bd)
        if ad.dtype == bd.dtype:
            return ad, bd, ad.dtype
    elif (type(a) is Tensor or type(a) in TENSOR_TYPES) and type(b) is int and ad.dtype.kind != "b":
        if ad.dtype.kind in "iu":  # a Python int never changes a non-bool tensor's dtype
            bd = fit_int(bd, ad.dtype)
        return ad, bd, ad.dtype
    elif (type(a) is Tensor or type(a) in TENSOR_TYPES) and type(b) is float and ad.dtype.kind in "fV":
        return ad, (half_rounded(bd) if ad.dtype is _F16 else bd), ad.dtype
    elif (type(b) is Tensor or type(b) in TENSOR_TYPES) and type(a) is float and bd.dtype.kind in "fV":
        return (half_rounded(ad) if bd.dtype is _F16 else ad), bd, bd.dtype
    if type(bd) in _NUMBERS and type(b) not in _NUMBERS:
        b = bd  # a program's numpy number, read as the Python number PyTorch reads
    if type(ad) in _NUMBERS and type(a) not in _NUMBERS:
        a = ad
    if (type(ad) is _ndarray and not isinstance(a, (Tensor, _ndarray))) or (
            type(bd) is _ndarray and not isinstance(b, (Tensor, _ndarray))):
        rt = _with_numpy_array(a, b, ad, bd)
    else:
        rt = promote(a, b)
    if isinstance(ad, _ndarray) and ad.dtype != rt:  # (a meta array too)
        ad = ad.astype(rt)
    elif type(ad) is int and rt.kind in "iu":
        ad = fit_int(ad, rt)
    if isinstance(bd, _ndarray) and bd.dtype != rt:  # (a meta array too)
        bd = bd.astype(rt)
    elif type(bd) is int and rt.kind in "iu":
        bd = fit_int(bd, rt)
    return ad, bd, rt


_INT_RANGES = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
               for t in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.uint16, np.uint32,
                         np.uint64)}


def fit_int(v, dt):
    """A Python int beside an integer tensor of dtype dt, as PyTorch converts it to dt: wrapped
    into its range (uint8: -1 is 255, 300 is 44), so `u8 < -1` compares with 255."""
    lo, hi = _INT_RANGES[dt]
    if lo <= v <= hi:
        return v
    if v >= 1 << 64:
        raise OverflowError("int too big to convert")
    if v < -(1 << 63):
        raise OverflowError("can't convert negative int to unsigned")
    bits = dt.itemsize * 8
    v &= (1 << bits) - 1
    return v - (1 << bits) if lo and v > hi else v


class _AllDims:
    """The default of a dim PyTorch's signatures leave out (`t.max()`, `t.prod()`): a None
    given for it is PyTorch's TypeError, not a whole-tensor reduction."""
    __slots__ = ()

    def __repr__(self):
        return "<all dims>"


ALL_DIMS = _AllDims()


class _KeepdimUnset:
    """The default of keepdim beside ALL_DIMS: PyTorch's signatures take keepdim only after a
    dim, so `t.sum(keepdim=False)` is its TypeError as `keepdim=True` is (branch fid22)."""
    __slots__ = ()

    def __repr__(self):
        return "False"

    def __bool__(self):
        return False


KEEPDIM_UNSET = _KeepdimUnset()


def dim_arg(dim, ndim):
    return _dim(dim, ndim)


def dims_arg(dim, ndim):
    """Normalize dim (int, tuple or list) to a sorted tuple of non-negative dims."""
    if isinstance(dim, (tuple, list)):
        out = []
        for i, d in enumerate(dim):
            d = _dim(d if type(d) is int else list_item(d, i), ndim)
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
