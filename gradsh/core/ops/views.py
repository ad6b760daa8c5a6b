"""Views and their base: shared storage, and the history an in-place op gives both (PyTorch's rules).

A view remembers how it derives from its base as a replayable chain of numpy view steps (reshape,
basic index, permute, expand). Replaying the chain on an array of the base's positions says which
base element each view element aliases; that is all the two nodes of in-place autograd need:

- `CopySlices`, the base's new node after an in-place op on a view: the gradient of the view's
  region goes through the op's own node, the rest of the base's gradient passes unchanged;
- `AsStridedBackward0`, a view's node once its base's history changed: the view's gradient is
  put back at its region of the base.

After an in-place op on a base or any of its views, every live view of a base that requires grad
is given such a node at once (PyTorch regenerates them lazily; eager costs nothing to ops that
never meet an in-place op). A view made in no_grad mode cannot be regenerated: it is marked stale
and using it raises PyTorch's error.
"""

import weakref

import numpy as np

from .. import errors
from ..dtypes import COMPLEX_OF, REAL_OF
from ..node import Node, accumulator, new_node
from . import prim as P
from .base import NO_EDGE, rule, state
from ..tensor import CONJ_BIT, Tensor, set_conj_bit


class ViewInfo:
    """How a view derives from its base: numpy view steps, whether it was made in no_grad, and
    whether it is (a view of) one of several views an op returns (split, unbind; multi True) or
    an output of a custom Function (multi "custom"): PyTorch's "creation meta", which views of
    views inherit. `stale` is the error to raise once the view
    can no longer be used (None while it can). `version`: the shared version counter's value
    when the view's node was last set (None: not followed). `empty`: an empty slice's
    (storage_offset(), stride()) as PyTorch keeps them (numpy's empty result points at its
    base's start, and a fresh empty tensor's strides are contiguous)."""

    __slots__ = ("steps", "no_grad", "multi", "stale", "version", "empty")

    def __init__(self, steps, no_grad, multi, version=None):
        self.empty = None
        self.steps = steps
        self.no_grad = no_grad
        self.multi = multi
        self.stale = None
        self.version = version

    def refresh(self, view):
        """The view's storage was written since its node was set, through an alias autograd
        does not follow (a detach() of it or of its base): as PyTorch when grad_fn is read, an
        AsStridedBackward0 onto its base's current history."""
        self.version = view._vc[0]
        root = view._base
        if self.stale or self.no_grad or self.multi or not root._requires_grad:
            return
        cls, saved = view_node(root, self.steps)
        view._grad_fn = new_node(cls, (_edge(root),), saved,
                                 ((root._data.shape, root._data.dtype),))
        view._output_nr = 0


_MULTI = ("This view is the output of a function that returns multiple views. Such functions do "
          "not allow the output views to be modified inplace. You should replace the inplace "
          "operation by an out-of-place one.")


_CUSTOM = ("This view was created inside a custom Function (or because an input was returned "
           "as-is) and the autograd logic to handle view+inplace would override the custom "
           "backward associated with the custom Function, leading to incorrect gradients. This "
           "behavior is forbidden. You can fix this by cloning the output of the custom Function.")


def multi_output_error(view, what):
    """PyTorch's refusal for the views of split/unbind and of custom Functions; `what` says what
    happened to the view."""
    fn = view._grad_fn
    name = errors.op_name(type(fn).name(fn)) if fn is not None else "a view"
    why = _CUSTOM if view._view.multi == "custom" else _MULTI
    return f"Output {view._output_nr} of {name} is a view and {what}. {why}"


def mark_custom_output(view):
    """A view a custom Function returns cannot be written in place (PyTorch's rule): the
    Function's backward would stand for the in-place op's."""
    view._view.no_grad = False
    view._view.multi = "custom"


def mark_multi_output(outs):
    """The views split/unbind return cannot be written in place (PyTorch's rule)."""
    if state.enabled:
        for o in outs:
            o._view.multi = True


class _Live(list):
    """A base's views as weak references, pruned when dead ones pile up."""

    __slots__ = ("limit",)


class _Made:
    """Whether a view was ever made in this process: until then an in-place write does not look
    for its base's views (reading the unset `_views` slot raises and catches an AttributeError,
    several times the cost of a read)."""

    __slots__ = ("any",)


made = _Made()
made.any = False


def view_of(out, base, kind, arg):
    """Mark `out` (sharing storage with `base`) as a view of base's base.

    kind/arg is the numpy step from base's array to out's: "reshape" (shape), "index" (a basic
    index tuple ending in Ellipsis), "permute" (axes), "diagonal" ((offset, dim1, dim2)) or
    "expand" (shape).
    """
    root = base._base
    no_grad = not state.enabled
    if root is None:
        root = base
        steps = ((kind, arg),)
        multi = False
    else:
        inherited = base._view
        steps = extend_steps(root, inherited.steps, (kind, arg))
        no_grad = no_grad or inherited.no_grad
        multi = inherited.multi and not no_grad
    out._vc = base._vc
    out._base = root
    info = out._view = ViewInfo(steps, no_grad, multi, out._vc[0])
    if CONJ_BIT and id(base) in CONJ_BIT and out._data.dtype.kind == "c":
        set_conj_bit(out)  # a view of a lazy conjugate is one too
    if info.no_grad and root._requires_grad:
        out._requires_grad = True  # as in PyTorch: it requires grad, with no history to follow
    views = getattr(root, "_views", None)
    if views is None:
        views = root._views = _Live()
        views.limit = 8
        made.any = True
    views.append(weakref.ref(out))
    if len(views) > views.limit:
        views[:] = [r for r in views if r() is not None]
        views.limit = max(8, 2 * len(views))
    return out


def unfold_array(array, dim, size, step):
    """Tensor.unfold's view of an array: dim's windows of `size` every `step` elements, the
    windows' elements along a new last dim (a 0-d array is a 1-d one of one window)."""
    if array.ndim == 0:
        return array.reshape(1)
    windows = np.lib.stride_tricks.sliding_window_view(array, size, axis=dim,
                                                        writeable=array.flags.writeable)
    index = [slice(None)] * array.ndim
    index[dim] = slice(None, None, step)
    return windows[tuple(index)]


# a view of a view of ... keeps at most this many steps from its root: past it they fold
# into one "take" step (a view made in a loop, `x = x.t()` 10^5 times, made each view copy the
# whole chain: quadratic time)
MAX_STEPS = 32


_INVERSE = {"as_real": "as_complex", "as_complex": "as_real"}


def extend_steps(root, steps, step):
    """`steps` then `step`, folded into the positions of the root's elements they read when the
    chain grows past MAX_STEPS. A chain of complex views cannot fold so (by_value): once it is
    that long, a conj() cancels the last conj() before it (conj commutes with the positional
    steps), and view_as_complex right after view_as_real (or the reverse) cancels it, so
    `z = z.conj()` in a loop stays short, where each view copying the whole chain made it
    quadratic in memory (a short chain keeps every step: the regenerated node is its last's)."""
    kind = step[0]
    if len(steps) < MAX_STEPS:
        pass
    elif kind == "conj":
        for i in range(len(steps) - 1, -1, -1):
            if steps[i][0] == "conj":
                return steps[:i] + steps[i + 1:]
            if steps[i][0] in _INVERSE:
                break
    elif kind in _INVERSE and steps and steps[-1][0] == _INVERSE[kind]:
        return steps[:-1]
    steps = steps + (step,)
    if len(steps) > MAX_STEPS and not by_value(steps):
        d = root._data
        steps = (("take", replay(np.arange(d.size).reshape(d.shape), steps)),)
    elif len(steps) > MAX_STEPS:
        steps = _fold_by_value(root, steps) or steps
    return steps


def _fold_by_value(root, steps):
    """A long chain holding complex views, folded as a positional one is (`z = z.conj().t()`
    10**6 times grew a step a view, each view copying the chain: minutes and gigabytes). The
    elements the view reads are followed as indices into the root's real scalars (a complex
    element is the pair at 2i, 2i + 1: view_as_real and view_as_complex only regroup whole
    pairs, PyTorch refusing odd offsets and strides), and the conj() steps, which commute with
    the positional ones, as their parity. The result is one take step, after view_as_real or
    before view_as_complex where the dtype changed, then one conj() when the parity is odd;
    None for a chain with as_strided (its missing elements are no index)."""
    d = root._data
    complex_root = d.dtype.kind == "c"
    at = np.arange(0, 2 * d.size if complex_root else d.size,
                   2 if complex_root else 1).reshape(d.shape)  # each element's first scalar
    is_complex, odd = complex_root, False
    for kind, arg in steps:
        if kind == "conj":
            odd = not odd
        elif kind == "as_real":
            at, is_complex = np.stack([at, at + 1], -1), False
        elif kind == "as_complex":
            at, is_complex = at[..., 0], True
        elif kind == "as_strided":
            return None
        else:
            at = replay(at, ((kind, arg),))
    if complex_root:
        folded = (("take", at // 2),) if is_complex else (("as_real", None), ("take", at))
    elif is_complex:
        folded = (("take", np.stack([at, at + 1], -1)), ("as_complex", None))
    else:
        folded = (("take", at),)
    return folded + ((("conj", None),) if odd else ())


def replay(array, steps):
    """The numpy view of `array` (shaped as the base) that a view's recorded steps make (a
    "take" step, folded from a long chain, gives a copy)."""
    for kind, arg in steps:
        if kind == "take":
            array = array.reshape(-1)[arg]
        elif kind == "reshape":
            array = array.reshape(arg)
        elif kind == "index":
            array = array[arg]
        elif kind == "permute":
            array = array.transpose(arg)
        elif kind == "diagonal":
            array = np.diagonal(array, *arg)
        elif kind == "unfold":
            array = unfold_array(array, *arg)
        elif kind == "as_strided":
            array = _as_strided_step(array, *arg)
        elif kind == "as_real":
            array = array[..., None].view(REAL_OF[array.dtype])
        elif kind == "as_complex":
            array = array.view(COMPLEX_OF[array.dtype])[..., 0]
        elif kind == "conj":
            pass  # the same elements; the values' conjugation is `conjugates(steps)`
        else:
            array = np.broadcast_to(array, arg)
    return array


def _as_strided_step(array, size, stride, offset, first):
    """as_strided's view of `array`: `first` maps each storage element to the (flat) element
    of array that holds it, -1 where none does (then -1, or 0 for a float array)."""
    flat = array.reshape(-1)
    miss = -1 if flat.dtype.kind in "iu" else 0
    storage = np.where(first >= 0, flat[np.maximum(first, 0)], miss) if flat.size else \
        np.full(first.shape, miss, flat.dtype)
    storage = np.concatenate([storage.astype(flat.dtype),
                              np.full(max(0, offset + 1 - storage.size), miss, flat.dtype)])
    item = storage.itemsize
    if 0 in size:
        return np.empty(size, storage.dtype)
    need = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if need > storage.size:
        storage = np.concatenate([storage, np.full(need - storage.size, miss, storage.dtype)])
    return np.lib.stride_tricks.as_strided(storage[offset:], size, [s * item for s in stride])


# The complex views (view_as_real, view_as_complex, real, imag, conj) change the dtype or conjugate
# the values: their steps are replayed on values (a gradient), not on an array of positions.
_VALUE_STEPS = {"as_real": "ViewAsRealBackward0", "as_complex": "ViewAsComplexBackward0",
                "conj": "ConjBackward0"}


def by_value(steps):
    """Whether the chain holds a complex view's step (then `positions` cannot follow it)."""
    return any(kind in _VALUE_STEPS for kind, _ in steps)


def conjugates(steps):
    """Whether the view's values are the conjugates of its base's (an odd number of conj()):
    then the view is its steps replayed on the conjugated base (conj() commutes with the
    other steps while the values are complex; not with view_as_complex before it)."""
    kinds = [kind for kind, _ in steps]
    if "as_complex" in kinds and "conj" in kinds[kinds.index("as_complex"):]:
        raise NotImplementedError("gradsh cannot follow an in-place write through conj() of a "
                                  "view_as_complex view")
    return kinds.count("conj") % 2 == 1


def _region(array, steps):
    """The view's elements of `array` (base-shaped values), as a writable numpy view."""
    if any(kind in ("take", "expand", "as_strided") for kind, _ in steps):
        raise NotImplementedError("gradsh cannot follow an in-place write through a complex "
                                  "view (view_as_real, view_as_complex, real, imag, conj) "
                                  "combined with expand, as_strided or a long chain of views")
    region = replay(array, steps)
    if not np.shares_memory(region, array):
        raise NotImplementedError("gradsh cannot follow an in-place write through this chain "
                                  "of views with a complex view in it (a reshape copied)")
    return region


def _by_value_rule(need, g, shape, dtype, steps):
    """A complex view's gradient put back at its elements of the base (view_as_real's real
    pairs are the base's complex values; a conj view's gradient is conjugated back)."""
    if isinstance(g, Tensor):
        raise NotImplementedError(errors.COMPLEX_BACKWARD_GRAPH)
    r = np.zeros(shape, dtype)
    _region(r, steps)[...] = g
    return (np.conj(r) if conjugates(steps) else r,)


def positions(shape, steps):
    """For each element of the view, the index (a tuple of arrays) of the base element it aliases."""
    return np.unravel_index(replay(np.arange(int(np.prod(shape))).reshape(shape), steps), shape)


@rule
def AsStridedBackward0(need, g, shape, steps, counts=None, geometry=None):
    """The view's gradient put back at its elements of the base (summed where the view reads
    one element several times); for torch.as_strided, PyTorch's as_strided_backward: nothing
    for storage the input does not hold, divided by `counts` where the input overlaps. Under
    create_graph, torch.as_strided's is written as PyTorch's (as_strided_graph)."""
    if geometry is not None and counts is None and isinstance(g, Tensor):
        return (as_strided_graph(g, steps[0][1][:3], *geometry),)
    flat = replay(np.arange(int(np.prod(shape))).reshape(shape), steps)
    if flat.size and flat.min() < 0:
        keep = flat >= 0
        g = g[Tensor._make(keep)] if isinstance(g, Tensor) else g[keep]
        flat = flat[keep]
    r = P.scatter_into(shape, np.unravel_index(flat, shape), g)
    if counts is not None:  # the sum at each storage element, shared by the elements on it
        owner, counts = counts
        if isinstance(r, Tensor):
            r = r.reshape(-1)[Tensor._make(owner)] / Tensor._make(counts.astype(r._data.dtype))
        else:
            r = r.reshape(-1)[owner] / counts.astype(r.dtype)
    return (r,)


def as_strided_graph(g, out_geometry, in_size, in_stride, in_offset, extent):
    """torch.as_strided's gradient as PyTorch's as_strided_backward builds it, so that its
    graph under create_graph is PyTorch's: a zero storage, the output's geometry on it
    written with g (CopySlices; an output reading a storage element twice adds with index_add
    instead), and the input's geometry read back from it (AsStridedBackward0), in the input's
    own strides. (An input that overlaps itself takes the general rule.)"""
    size, stride, offset = out_geometry
    storage = g.new_zeros(extent)
    pos = offset + sum((np.arange(n, dtype=np.int64) * st).reshape(
        [n if j == k else 1 for j in range(len(size))]) for k, (n, st) in enumerate(
        zip(size, stride))) if size else np.full((), offset, np.int64)
    pos = np.broadcast_to(pos, size).reshape(-1)
    if pos.size and np.bincount(pos).max() > 1:
        storage = storage.index_add(0, Tensor._make(pos), g.reshape(-1))
    elif pos.size:
        storage.as_strided(size, stride, offset).copy_(g)
    return storage.as_strided(in_size, in_stride, in_offset)


# PyTorch names a regenerated view's node after its last view op when that op is a complex
# view (ViewAsRealBackward0, ...), AsStridedBackward0 otherwise (real, imag, a slice of one):
# AsStridedBackward0's kind with the by-value rule (not declared: the names are the complex ops')
_BY_VALUE = {name: type(name, (AsStridedBackward0,), {
    "__slots__": (), "rule": staticmethod(_by_value_rule), "fast": staticmethod(_by_value_rule),
    "complex_rule": True, "__module__": "builtins"})
    for name in ("AsStridedBackward0",) + tuple(_VALUE_STEPS.values())}


def view_node(root, steps):
    """The node (its class and saved values) of a view of `root` regenerated after an in-place
    write."""
    shape = root._data.shape
    if not by_value(steps):
        return AsStridedBackward0, (shape, steps)
    return _BY_VALUE[_VALUE_STEPS.get(steps[-1][0], "AsStridedBackward0")], \
        (shape, root._data.dtype, steps)


class CopySlices(Node):
    """The base's node after an in-place op on one of its views (PyTorch's CopySlices).

    Edge 0 is the base's previous history; the others are the op's own inputs after self.
    """

    __slots__ = ("fn", "shape", "steps")

    def name(self):
        return "torch::autograd::CopySlices"

    def apply(self, g, as_tensors):
        if by_value(self.steps):
            return self._apply_by_value(g, as_tensors)
        shape = self.shape
        if not shape:  # a 0-d base: the view's elements are its one element, as a 1-d one's
            shape = (1,)
            key = (replay(np.zeros((), np.intp), self.steps),)
            g = g.reshape(shape)
        else:
            key = positions(shape, self.steps)
        out = self._apply(g, as_tensors, shape, key)
        return (out[0].reshape(self.shape),) + out[1:] if not self.shape else out

    def _apply(self, g, as_tensors, shape, key):
        fn = self.fn
        res = fn.apply(g[key], as_tensors)
        r0 = res[0]
        if r0 is not None:
            vshape, dt = fn._meta[0]
            r0 = P.fit(r0, vshape, dt)
        if as_tensors:
            keep = np.ones(shape, bool)
            keep[key] = False
            out = g * keep
            if r0 is not None:
                out = out + P.scatter_into(shape, key, r0)
        else:
            out = np.array(g, copy=True)
            out[key] = 0 if r0 is None else r0
        return (out,) + tuple(res[1:])

    def _apply_by_value(self, g, as_tensors):
        """Through a complex view: the view's part of the base's gradient read and written as
        the view's values (PyTorch's CopySlices replays the view on the gradient)."""
        if as_tensors or isinstance(g, Tensor):
            raise NotImplementedError(errors.COMPLEX_BACKWARD_GRAPH)
        fn = self.fn
        conj = conjugates(self.steps)
        out = np.conj(g) if conj else np.array(g, copy=True)
        region = _region(out, self.steps)
        res = fn.apply(np.array(region, copy=True), False)
        r0 = res[0]
        if r0 is None:
            region[...] = 0
        else:
            vshape, dt = fn._meta[0]
            region[...] = P.fit(r0, vshape, dt)
        return (np.conj(out) if conj else out,) + tuple(res[1:])

    def release(self):
        self.fn.release()


def _edge(t):
    if not t._requires_grad:
        return NO_EDGE
    if t._grad_fn is not None:
        return (t._grad_fn, t._output_nr)
    return (accumulator(t), 0)


def _keep_retained(t, new_fn):
    """retain_grad() follows a tensor to its new history: .grad is for its final value."""
    old_fn = t._grad_fn
    if old_fn is not None and old_fn._retained:
        old_fn._retained.pop(t._output_nr, None)
    if new_fn._retained is None:
        new_fn._retained = {}
    new_fn._retained[0] = weakref.ref(t)


def rebase(t, node):
    """Make `node` (recorded by the out-of-place op an in-place op ran) the history of t."""
    root = t._base
    if root is None:
        if t._retains_grad:
            _keep_retained(t, node)
        t._grad_fn = node
        t._requires_grad = True
        t._output_nr = 0
        return
    cs = new_node(CopySlices, (_edge(root),) + node.next_functions[1:], (),
                  ((root._data.shape, root._data.dtype),) + node._meta[1:])
    cs.fn = node
    cs.shape = root._data.shape
    cs.steps = t._view.steps
    if root._retains_grad:
        _keep_retained(root, cs)
    root._grad_fn = cs
    root._requires_grad = True
    root._output_nr = 0


def refresh_views(root):
    """After root's storage changed in place: new nodes for its views, as PyTorch's would get.

    (Called after every in-place write; a base without views returns at once.)"""
    if not root._requires_grad or not made.any:
        return
    views = getattr(root, "_views", None)
    if not views:
        return
    edge = _edge(root)
    meta = ((root._data.shape, root._data.dtype),)
    for ref in views:
        v = ref()
        if v is None:
            continue
        info = v._view
        info.version = v._vc[0]
        if info.stale:
            continue
        if info.no_grad:
            info.stale = errors.VIEW_NO_GRAD_REBASED
            continue
        if info.multi:
            # PyTorch refuses such a view when it is next used: without a node, the next op
            # that records it asks node.accumulator for an edge, which raises the refusal.
            info.stale = multi_output_error(
                v, "its base or another view of its base has been modified inplace")
            v._grad_fn = None
            continue
        cls, saved = view_node(root, info.steps)
        node = new_node(cls, (edge,), saved, meta)
        v._grad_fn = node
        v._requires_grad = True
        v._output_nr = 0
