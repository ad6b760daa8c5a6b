"""Memory layout as PyTorch decides it: which strides an op's result and a gradient get.

numpy computes every result; these functions only choose (and, where numpy chose otherwise,
copy into) the layout PyTorch gives, so that stride(), is_contiguous() and view() behave as
PyTorch's. Three rules cover the ops (docs/autograd.md, "Memory layout"):

- `contiguous(a)`: most ops (reductions, scans, softmax, cat, indexing) make a contiguous result;
- `like(a)`: clone(), the conversions, flip and sort keep their input's strides when it is
  non-overlapping and dense (PyTorch's empty_like with preserve_format), else are dense in the
  order of its strides;
- `iterated(r, operands)`: a pointwise op's result follows TensorIterator: the operands'
  common strides, or else the dimension order the first decisive operand gives, densely.

Every function returns its argument itself when the layout is already right, and callers on the
hot paths test contiguity flags first: contiguous operands need no call at all. The gradient
layout contract (AccumulateGrad's) is at the end.
"""

from .torchclass import TorchClass

import numpy as np

from .meta import MetaArray, empty_meta

_ndarray = np.ndarray
_Meta = MetaArray


def strides(a):
    """a's strides in elements (PyTorch's stride())."""
    n = a.itemsize
    return tuple(s // n for s in a.strides)


def contiguous_strides(shape):
    """The strides of a contiguous tensor of this shape (a size-0 or 1 dim counts as 1)."""
    out = []
    step = 1
    for size in reversed(shape):
        out.append(step)
        step *= size if size > 1 else 1
    return tuple(reversed(out))


def is_dense(a):
    """Non-overlapping and dense: the elements fill a block of memory exactly, in some order."""
    if a.flags.c_contiguous:
        return True
    st = strides(a)
    dims = sorted((i for i in range(a.ndim) if a.shape[i] > 1), key=lambda i: st[i])
    need = 1
    for i in dims:
        if st[i] != need:
            return False
        need *= a.shape[i]
    return True


def contiguous(a):
    """a as a contiguous array with PyTorch's strides (a itself when it is one)."""
    if type(a) is not _ndarray:
        return a if type(a) is _Meta else np.asarray(a)
    if a.flags.c_contiguous and (1 not in a.shape or strides(a) == contiguous_strides(a.shape)):
        return a  # (numpy's strides of a size-1 dim may differ from PyTorch's)
    out = np.empty(a.shape, a.dtype)
    out[...] = a
    return out


def empty_permuted(shape, order, dtype):
    """An empty array of `shape` laid out densely with dims `order` (slowest first)."""
    base = np.empty([shape[d] for d in order], dtype)
    return base.transpose(np.argsort(order))


def like(a, r=None):
    """r (default: a copy of a) in the layout of PyTorch's empty_like(a) (preserve_format): a's
    own strides when a is non-overlapping and dense, else dense in the order of a's strides."""
    if type(a) is _Meta or type(r) is _Meta:  # (no data, no layout; a meta input's result is
        return a if r is None else r if type(r) is _Meta else empty_meta(r.shape, r.dtype)
    if r is None:
        return _copy_into(empty(a.shape, preserved_strides(a), a.dtype), a)
    want = preserved_strides(a)
    if want is None:
        return contiguous(r)
    if strides(r) == want:
        return r
    return _copy_into(empty_strided(r.shape, want, r.dtype), r)


def preserved_strides(a):
    """The strides preserve_format gives a copy of a, or None for contiguous."""
    if a.flags.c_contiguous:
        return None
    if is_dense(a):
        return strides(a)
    return iterator_strides(a.shape, [a])


def made_like(a, values, fmt=None):
    """values(shape, contiguous) laid out as empty_like(a, memory_format=fmt): values made for the
    dims in memory order, then transposed back, so that values drawn in sequence (rand_like)
    land in memory order, as PyTorch fills a tensor."""
    if fmt is channels_last and a.ndim == 4:
        st = _channels_last_strides(a.shape)
    else:
        st = None if fmt is contiguous_format else preserved_strides(a)
    if st is None:
        return values(a.shape, True)
    order = sorted(range(a.ndim), key=lambda i: (-st[i], i))
    return values(tuple(a.shape[i] for i in order), False).transpose(np.argsort(order))


def empty(shape, st, dtype):
    """An empty array with strides st (None: contiguous)."""
    return np.empty(shape, dtype) if st is None else empty_strided(shape, st, dtype)


def empty_strided(shape, st, dtype):
    """An empty array with these (dense) strides."""
    order = sorted(range(len(shape)), key=lambda i: (-st[i], i))
    out = empty_permuted(shape, order, dtype)
    if strides(out) != tuple(st):  # size-1 dims: PyTorch keeps the strides it was given
        item = np.dtype(dtype).itemsize
        out = np.lib.stride_tricks.as_strided(out, shape, [s * item for s in st])
    return out


def _copy_into(out, r):
    out[...] = r
    return out


def unsqueezed(a, k):
    """np.expand_dims(a, k) with PyTorch's stride for the new dim: the size times the stride of
    the dim it goes before, or 1 at the end (numpy repeats the last dim's there)."""
    v = np.expand_dims(a, k)
    st = list(a.strides)  # (numpy's view may also rewrite the strides of a's size-1 dims)
    st.insert(k, a.strides[k] * a.shape[k] if k < a.ndim else a.itemsize)
    if v.strides == tuple(st):
        return v
    return np.lib.stride_tricks.as_strided(v, v.shape, st, subok=True)  # (a meta array stays one)


def squeezed(a, drop):
    """a without its size-1 dims in `drop`, the other dims' strides kept as PyTorch's squeeze
    keeps them (numpy's reshape may rewrite a remaining size-1 dim's stride)."""
    shape = [s for k, s in enumerate(a.shape) if k not in drop]
    v = a.reshape(shape)
    if 1 not in shape or v.size == 0:  # numpy keeps the strides of dims larger than 1
        return v
    st = tuple(s for k, s in enumerate(a.strides) if k not in drop)
    if v.strides == st:
        return v
    return np.lib.stride_tricks.as_strided(v, shape, st)


# ----- TensorIterator ------------------------------------------------------------------------
def iterated(r, operands):
    """r (a pointwise op's numpy result) in the layout PyTorch's TensorIterator gives it for these
    operands (arrays, or numbers, which never decide), in the op's argument order."""
    if r.ndim == 0 or type(r) is _Meta:  # (a reduced result has one layout, whatever its
        return r  # operands'; a meta result has none)
    for a in operands:  # (a meta operand's strides are all 0: it is never contiguous, so here)
        if type(a) is _Meta:
            return empty_meta(r.shape, r.dtype)
    want = iterator_strides(r.shape, [a for a in operands if type(a) is _ndarray])
    if want is None:
        return contiguous(r)
    if strides(r) == want:
        return r
    return _copy_into(empty_strided(r.shape, want, r.dtype), r)


def pointwise_layout(r, *operands):
    """r, a pointwise formula's array result in a backward rule (numpy's np.where is always in C
    order; numpy's own choice on a conflict is C order too), in the layout TensorIterator gives
    it for the formula's operands in their order; a flag test per operand when each is
    contiguous or a value broadcast everywhere (all strides 0, as sum's gradient: it tells
    nothing)."""
    for a in operands:
        if type(a) is _ndarray and not a.flags.c_contiguous and any(a.strides):
            return iterated(r if isinstance(r, _ndarray) else np.asarray(r), operands)
    return r


def iterator_strides(shape, arrays):
    """The strides (in elements) TensorIterator gives the output, or None for contiguous."""
    if all(a.shape == shape for a in arrays):
        if all(a.flags.c_contiguous for a in arrays):
            return None
        if len(shape) == 4 and all(is_channels_last(a) for a in arrays):
            return _channels_last_strides(shape)
        if all(is_dense(a) for a in arrays):
            first = strides(arrays[0])
            if all(strides(a) == first for a in arrays[1:]):
                return first
    perm = _iteration_order(shape, [_broadcast_strides(a, shape) for a in arrays])
    if perm == list(range(len(shape) - 1, -1, -1)):
        return None
    out = [0] * len(shape)
    step = 1
    for d in perm:  # fastest first
        out[d] = step
        step *= shape[d]
    return tuple(out)


def _broadcast_strides(a, shape):
    """a's strides against the broadcast shape: 0 where a is broadcast (as TensorIterator)."""
    st = strides(a)
    lead = len(shape) - a.ndim
    return [0] * lead + [0 if a.shape[i] == 1 and shape[lead + i] != 1 else st[i]
                         for i in range(a.ndim)]


def _iteration_order(shape, operand_strides):
    """TensorIterator's reorder_dimensions: dims fastest first, by an insertion sort in which the
    first operand that tells two dims apart decides (a broadcast dim tells nothing)."""
    perm = list(range(len(shape) - 1, -1, -1))

    def should_swap(d0, d1):
        for st in operand_strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:  # equal strides: the smaller dim goes first
                return 1
        return 0

    return reorder(perm, should_swap)


def fill_order(a):
    """The dims of a, outermost first, in the order a kernel that writes a (a random fill)
    visits its elements: memory order (TensorIterator's order for one operand)."""
    return _iteration_order(a.shape, [strides(a)])[::-1]


def reorder(items, should_swap):
    """TensorIterator's insertion sort, in place: should_swap(a, b) for a now before b is 1 to
    swap, -1 to stop, 0 (ambiguous) to look further back. Returns items."""
    for i in range(1, len(items)):
        j = i
        for k in range(i - 1, -1, -1):
            c = should_swap(items[k], items[j])
            if c > 0:
                items[k], items[j] = items[j], items[k]
                j = k
            elif c < 0:
                break
    return items


def is_channels_last(a):
    """PyTorch's is_contiguous(memory_format=torch.channels_last): a 4-d tensor laid out as
    (n, h, w, c), sizes of 1 aside."""
    return a.ndim == 4 and dense_channels_last(a)


_LAST_ORDER = {4: (1, 3, 2, 0), 5: (1, 4, 3, 2, 0)}


def dense_channels_last(a):
    """a is laid out (n, [d,] h, w, c), sizes of 1 aside (is_contiguous(channels_last) for a
    4-d array, channels_last_3d for a 5-d one)."""
    order = _LAST_ORDER.get(a.ndim)
    if order is None:
        return False
    st = strides(a)
    need = 1
    for d in order:
        if a.shape[d] != 1:
            if st[d] != need:
                return False
            need *= a.shape[d]
    return True


def suggests_channels_last(a):
    """PyTorch's a.suggest_memory_format() is channels_last (channels_last_3d for a 5-d a): the
    strides are (n, [d,] h, w, c)-like (c10's is_channels_last_strides_2d/3d, which call a
    contiguous array and the ambiguous N111 and 1C1W cases NCHW)."""
    order = _LAST_ORDER.get(a.ndim)
    if order is None:
        return False
    st, sh = strides(a), a.shape
    if st[1] == 0:
        return False
    low = 0
    for d in order:
        if sh[d] == 0 or st[d] < low or (d == 0 and low == st[1]):
            return False
        low = st[d] * sh[d] if sh[d] > 1 else st[d]
    return True


def in_format_of(out, *arrays, volumes=False):
    """out (a contiguous array) in the layout PyTorch's nn kernels over images give their
    results: channels-last when one of `arrays` suggests it (conv, pools, interpolate, pad,
    batch/group norm, pixel and channel shuffles), else out itself; with volumes, 5-d arrays
    too (channels_last_3d: the kernels that have a 3-d channels-last path)."""
    if (out.ndim == 4 or (volumes and out.ndim == 5)) and any(
            suggests_channels_last(a) for a in arrays):
        want = _channels_last_strides(out.shape)
        if strides(out) != want:
            return _copy_into(empty_strided(out.shape, want, out.dtype), out)
    return out


def in_channels_last(out):
    """out copied into the channels-last layout of its rank (4 or 5 dims)."""
    return _copy_into(empty_strided(out.shape, _channels_last_strides(out.shape), out.dtype), out)


def _channels_last_strides(shape):
    """(n, c, [d,] h, w) laid out as (n, [d,] h, w, c), with PyTorch's strides for sizes of 1."""
    st = [0] * len(shape)
    st[1] = step = 1
    step *= shape[1]
    for d in range(len(shape) - 1, 1, -1):
        st[d] = step
        step *= shape[d]
    st[0] = step
    return tuple(st)


# ----- memory formats -----------------------------------------------------------------------
class _NamedConstant(metaclass=TorchClass):
    """A torch constant that prints as its name (`torch.channels_last`, `torch.strided`)."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name


class memory_format(_NamedConstant):
    """torch.contiguous_format, torch.preserve_format, torch.channels_last."""

    __slots__ = ()


class layout(_NamedConstant):
    """torch.strided and torch.sparse_coo, the layouts gradsh's tensors have (Tensor.layout)."""

    __slots__ = ()

    def __reduce__(self):  # (pickled by name, as PyTorch's; torch.load allows it)
        return self._name


strided = layout("strided")
sparse_coo = layout("sparse_coo")  # (a sparse tensor's: gradsh/core/sparse.py)


def check_layout(value, name):
    """A factory's layout: torch.strided (a torch.layout else PyTorch's TypeError;
    torch.sparse_coo refused: sparse tensors come from torch.sparse_coo_tensor)."""
    if not isinstance(value, layout):
        raise TypeError(f"{name}(): argument 'layout' must be torch.layout, not "
                        f"{type(value).__name__}")
    if value is sparse_coo:
        raise NotImplementedError(f"{name}(layout=torch.sparse_coo): gradsh makes sparse tensors "
                                  "with torch.sparse_coo_tensor and Tensor.to_sparse() only")


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")


def check_format(fmt, op):
    """PyTorch's TypeError for a memory_format argument that is none."""
    if fmt is not None and type(fmt) is not memory_format:
        raise TypeError(f"{op}(): argument 'memory_format' must be torch.memory_format, not "
                        f"{type(fmt).__name__}")


def in_format(a, fmt):
    """Is a laid out as memory format fmt asks (is_contiguous(memory_format=fmt))? A
    channels_last request of another rank than 4 is PyTorch's RuntimeError."""
    if fmt is channels_last:
        if a.ndim != 4:
            raise RuntimeError("required rank 4 tensor to use channels_last format")
        return is_channels_last(a)
    return a.flags.c_contiguous and contiguous(a) is a


def copy_in_format(a, fmt):
    """A copy of a in memory format fmt (None: preserve_format), as clone(memory_format=fmt)."""
    check_format(fmt, "clone")
    if type(a) is _Meta:
        return a.copy()
    if fmt is None or fmt is preserve_format:
        return like(a)
    if fmt is contiguous_format:
        return np.array(a, order="C")
    rank = 5 if fmt is channels_last_3d else 4
    if a.ndim == rank:
        return _copy_into(empty_strided(a.shape, _channels_last_strides(a.shape), a.dtype), a)
    raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")


# ----- gradients ------------------------------------------------------------------------------
def obeys_grad_contract(g, var):
    """PyTorch's gradient layout contract: a dense variable's grad has its strides (size-1 dims
    aside, unless stride 0); any other variable's grad is contiguous."""
    if g.flags.c_contiguous and var.flags.c_contiguous:
        return True
    if not is_dense(var):
        return g.flags.c_contiguous
    gs, vs = strides(g), strides(var)
    for size, a, b in zip(g.shape, gs, vs):
        if size != 1:
            if a != b:
                return False
        elif a == 0:
            return False
    return True


def grad_like(g, var, dtype):
    """A new array holding g, laid out as the contract asks for var's .grad (PyTorch's
    clone_obey_contract)."""
    if type(g) is _Meta or type(var) is _Meta:
        return empty_meta(g.shape, dtype)
    return _copy_into(contract_empty(var, dtype), g)


def stolen_copy(g, var, dtype):
    """A copy of g laid out as PyTorch's AccumulateGrad would store g in var's .grad: g's own
    strides when g obeys the contract (PyTorch steals it; its size-1 dims' strides are g's),
    else the contract's (clone_obey_contract)."""
    if type(g) is _Meta or type(var) is _Meta:
        return empty_meta(g.shape, dtype)
    if is_dense(g) and obeys_grad_contract(g, var):
        # (the same strides in one numpy call where numpy's own layout gives them)
        if g.flags.c_contiguous and strides(g) == contiguous_strides(g.shape):
            return g.astype(dtype, order="C")
        if 1 not in g.shape and g.flags.f_contiguous:
            return g.astype(dtype, order="F")
        return _copy_into(empty_strided(g.shape, strides(g), dtype), g)
    return grad_like(g, var, dtype)


def contract_empty(var, dtype):
    """An empty array laid out as the gradient layout contract asks for var's .grad."""
    if not is_dense(var):
        return np.empty(var.shape, dtype)
    st = strides(var)  # (a contiguous var may have other strides for its size-1 dims: kept)
    if var.flags.c_contiguous and (1 not in var.shape or st == contiguous_strides(var.shape)):
        return np.empty(var.shape, dtype)
    return empty_strided(var.shape, st, dtype)
