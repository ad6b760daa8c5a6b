"""Spare buffers: when a large result may be written into an array that is about to die.

numpy's `out=` lets a pointwise op write into an existing array instead of a new one; on
arrays of a million elements that keeps fewer buffers live (the cache holds them) and asks
malloc for less. gradsh does it only where nothing else can ever read the array again, proved
by reference counts, never guessed:
  - forward: an op called on a temporary tensor (`(x * x).exp()`: the product is referred to
    by the op's own parameter only) whose array is referred to by that tensor only (no view,
    no saved tensor, no other tensor on the same array) and owns its memory, when the op's
    rule does not need its input. The tensor dies when the op returns; its array lives on as
    the result's.
  - backward: the engine lends a rule the incoming gradient when the engine's own variable is
    its only reference (not a gradient another edge still has, not a user's tensor, not what a
    hook kept), and the node has no post hook (which would see the gradient after the rule).
Users, hooks, saved values and views never see a written-over array: each of them holds a
reference, and a reference is what stops the write.

The counts below are measured once at import with probes shaped as the real call sites, so
they hold on the running interpreter; an interpreter whose counts cannot tell a temporary from
a held object (one that passes borrowed references) turns the whole scheme off.
"""

import sys

import numpy as np

_rc = getattr(sys, "getrefcount", lambda obj: 0)  # (no counts: the scheme is off)
_ndarray = np.ndarray

MIN_SIZE = 1 << 16  # elements: below this a new array is cheap and the check is not worth it


class _Probe:
    __slots__ = ("_data",)


def _input_counts(t, d):
    return _rc(t), _rc(d)


def _probe_op(t):
    """Shaped as an op that calls spare_input(self, d) with d = self._data."""
    d = t._data
    return _input_counts(t, d)


def _probe_engine(g):
    """Shaped as the engine's test of its local gradient."""
    return _rc(g)


def _calibrate():
    """(tensor count, array count) of a temporary input, and the engine's count of an array
    only it holds; (None, None, None) if a held object cannot be told from a temporary (or
    the interpreter counts no references)."""
    def fresh():
        p = _Probe()
        p._data = _Probe()
        return p
    temp_t, temp_d = _probe_op(fresh())
    held = fresh()
    held_t, _ = _probe_op(held)
    alias = held._data  # noqa: F841 - a second reference to the array
    _, held_d = _probe_op(held)
    g = _Probe()
    alone = _probe_engine(g)
    g2 = g  # noqa: F841 - a second reference
    if held_t <= temp_t or held_d <= temp_d or _probe_engine(g) <= alone:
        return None, None, None
    return temp_t, temp_d, alone


_TEMP_TENSOR, _LONE_ARRAY, _LONE_GRAD = _calibrate()


def _writable(d):
    return (d.base is None and d.flags.writeable and d.flags.c_contiguous
            and d.flags.aligned)


def spare_input(t, d):
    """True if an op called with tensor t, whose array d (t._data) the op holds in a local,
    may write its result into d: t dies when the op returns and nothing else refers to d.
    (Call as `spare_input(self, d)` straight from the op: the counts assume that shape.)"""
    return (_rc(t) == _TEMP_TENSOR and _rc(d) == _LONE_ARRAY and d.size >= MIN_SIZE
            and _writable(d))


def lone_gradient(g):
    """True if the engine's gradient g (an ndarray held by the engine's local variable only:
    call as `lone_gradient(g)` from the engine's loop) may be written over by a rule."""
    return _rc(g) == _LONE_GRAD and _writable(g)


def product_into(g, v):
    """g * v written into g's array when v is an array of g's dtype and of g's shape or 0-d
    (so the product is what `g * v` would make), else a new g * v. For rules the engine lent g
    to (node.spare)."""
    if type(v) is _ndarray and v.dtype == g.dtype and (v.shape == g.shape or not v.ndim):
        return np.multiply(g, v, out=g)
    return g * v
