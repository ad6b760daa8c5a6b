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
  - forward, binary ops: the same for the left operand of `+ - *` (`(t * 3) + x`: the product
    takes the sum), when the right one leaves its shape and dtype as they are. Called through a
    Python operator, the operand is held once more (by the stack of the caller's BINARY_OP
    instruction), so the count a temporary has there is measured apart, and the op tells the
    two ways in by the instruction its caller is at.
  - backward: the engine lends a rule the incoming gradient when the engine's own variable is
    its only reference (not a gradient another edge still has, not a user's tensor, not what a
    hook kept), and the node has no post hook (which would see the gradient after the rule).
Users, hooks, saved values and views never see a written-over array: each of them holds a
reference, and a reference is what stops the write.

The counts below are measured once at import with probes shaped as the real call sites, so
they hold on the running interpreter; an interpreter whose counts cannot tell a temporary from
a held object (one that passes borrowed references) turns the whole scheme off.
"""

import dis
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

# The codes of the functions that call an op with their own `self` passed on as
# `fn(self, *args, **kwargs)`: core/overrides.py's dispatching method wrapper, which becomes a
# plain tensor's public methods once a program makes a Tensor subclass with a handler. Its frame
# holds the temporary once more (its local and the call's argument tuple): measured below with
# a probe of its shape, and taken only where that frame is really the op's caller. (Before round
# 19 of issue 16, the first such subclass turned the spare buffers off for the process's methods.)
# Kept as (file, first line): library_errors gives each wrapper a copy of the code.
WRAPPER_CODES = set()


def add_wrapper(code):
    """Register a wrapper's code (see WRAPPER_CODES)."""
    WRAPPER_CODES.add((code.co_filename, code.co_firstlineno))


def _is_wrapper(code):
    return (code.co_filename, code.co_firstlineno) in WRAPPER_CODES


def _probe_wrapper(self, *args, **kwargs):
    """Shaped as overrides' method wrapper on its plain path."""
    return _probe_op(self, *args, **kwargs)


def _probe_operand_wrapper(self, *args, **kwargs):
    """The same, around a binary op."""
    return _OperandProbe.__add__(self, *args, **kwargs)


def _calibrate_wrapped():
    """The tensor count of a temporary called through a wrapper, or None if a held one cannot
    be told from it."""
    if _TEMP_TENSOR is None:
        return None

    def fresh():
        p = _Probe()
        p._data = _Probe()
        return p
    temp = _probe_wrapper(fresh())[0]
    held = fresh()
    if _probe_wrapper(held)[0] <= temp:
        return None
    return temp


def _called_by_wrapper():
    """True if the op that called spare_input (or spare_operand's count) was called by a
    registered wrapper: frames _called_by_wrapper, spare_input, the op, its caller."""
    return _is_wrapper(sys._getframe(3).f_code)

_BINARY_OP = dis.opmap.get("BINARY_OP")  # (Python 3.11 on: the instruction of `a + b`)


def _operand_counts(t, d):
    """(count of t, count of d, whether the op was called by an operator): called from
    spare_operand (or its probe), called from the op."""
    caller = sys._getframe(2).f_back  # (2: the op; None when C called it with no frame below)
    if caller is None:
        way = False
    elif _is_wrapper(caller.f_code):
        way = 2  # (through a wrapper: counted apart)
    else:
        way = caller.f_code.co_code[caller.f_lasti] == _BINARY_OP
    return _rc(t), _rc(d), way


def _probe_operand(t, d):
    """Shaped as spare_operand."""
    return _operand_counts(t, d)


class _OperandProbe:
    """Shaped as a binary op called with a temporary left operand, directly or as `a + b`."""
    __slots__ = ("_data",)

    def __add__(self, other):
        d = self._data
        return _probe_operand(self, d)


def _calibrate_operands():
    """The accepted (tensor count, array count, by operator) of a temporary left operand of a
    binary op called directly and called by an operator; empty if either way cannot tell a
    held operand from a temporary or the operator's instruction is not recognised."""
    if _BINARY_OP is None or _TEMP_TENSOR is None:
        return frozenset()

    def fresh():
        p = _OperandProbe()
        p._data = _Probe()
        return p
    held = fresh()
    direct, direct_held = _OperandProbe.__add__(fresh(), 1), _OperandProbe.__add__(held, 1)
    by_op, by_op_held = fresh() + 1, held + 1
    if (direct[2] or not by_op[2] or direct_held[0] <= direct[0] or by_op_held[0] <= by_op[0]
            or direct[1] != by_op[1]):
        return frozenset()
    return frozenset((direct, by_op))


_TEMP_OPERANDS = _calibrate_operands()
_TEMP_WRAPPED = _calibrate_wrapped()
add_wrapper(_probe_wrapper.__code__)
add_wrapper(_probe_operand_wrapper.__code__)


def _calibrate_wrapped_operand():
    """The accepted (tensor count, array count, 2) of a temporary left operand of a binary op
    called through a wrapper; None if a held one cannot be told from it."""
    if not _TEMP_OPERANDS:
        return None

    def fresh():
        p = _OperandProbe()
        p._data = _Probe()
        return p
    temp = _probe_operand_wrapper(fresh(), 1)
    held = fresh()
    if temp[2] != 2 or _probe_operand_wrapper(held, 1)[0] <= temp[0]:
        return None
    return temp


_TEMP_WRAPPED_OPERAND = _calibrate_wrapped_operand()
if _TEMP_WRAPPED_OPERAND is not None:
    _TEMP_OPERANDS = _TEMP_OPERANDS | {_TEMP_WRAPPED_OPERAND}


def _writable(d):
    if d.base is not None:
        return False
    flags = d.flags  # (each read of ndarray.flags makes a new flags object)
    return flags.writeable and flags.c_contiguous and flags.aligned


def _kept_leaf(t):
    """A leaf that requires grad lives on in the graph the op records (its AccumulateGrad
    holds it: `y.grad_fn.next_functions[0][0].variable`), though it is a temporary now."""
    return t._requires_grad and t._grad_fn is None


def spare_input(t, d):
    """True if an op called with tensor t, whose array d (t._data) the op holds in a local,
    may write its result into d: t dies when the op returns and nothing else refers to d.
    (Call as `spare_input(self, d)` straight from the op: the counts assume that shape.)"""
    n = _rc(t)
    return ((n == _TEMP_TENSOR or n == _TEMP_WRAPPED and d.size >= MIN_SIZE
             and _called_by_wrapper())
            and _rc(d) == _LONE_ARRAY and d.size >= MIN_SIZE and _writable(d)
            and not _kept_leaf(t))


def spare_operand(t, d, other):
    """True if a binary op called with left operand t (a tensor whose array is d, held in a
    local) and right operand other (an array or 0-d array) may write its result into d: as
    spare_input, and other has d's dtype and d's shape or none (so the result has d's). Call as
    `spare_operand(self, ad, bd)` straight from the op: the counts assume that shape."""
    return (type(other) is _ndarray and other.dtype == d.dtype
            and (other.shape == d.shape or not other.ndim) and d.dtype.kind in "fV"
            and d.size >= MIN_SIZE and _writable(d) and not _kept_leaf(t)
            and _operand_counts(t, d) in _TEMP_OPERANDS)


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
