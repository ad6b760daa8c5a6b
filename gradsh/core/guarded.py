"""A handler for every exception leaving a function, added to its code at no cost on success.

CPython 3.11 compiles `try:` to an exception table beside the code: nothing runs on entry to a
try body, and the handler runs only when an exception is raised. `guard(fn, handler)` gives
fn's code object such a table entry for every instruction the function's own handlers leave
uncovered, pointing to a few added instructions that call `handler()` (with the exception
being handled, as in an `except:` block) and re-raise; fn stays the same object, its
instructions and their cost unchanged. `import gradsh as torch` uses it for PyTorch's argument
errors (core/library_errors.py). Only CPython 3.11's bytecode is written; elsewhere `guard`
leaves fn as it is.

`returning(fn, handler)` makes a copy of fn whose handler's result is returned (unless it is
RERAISE): the Tensor operators give way to an operand's class that way (core/overrides.py).
"""

import dis
import sys
import types

_OP = dis.opmap
_CACHES = dis._inline_cache_entries if hasattr(dis, "_inline_cache_entries") else {}
ENABLED = sys.version_info[:2] == (3, 11) and sys.implementation.name == "cpython"
_SKIPPED_FLAGS = 0x20 | 0x80 | 0x100 | 0x200  # generators, coroutines, async generators


def _instruction(name, arg=0):
    return bytes([_OP[name], arg]) + bytes(2 * _CACHES[_OP[name]])


def _handler_code(const_index):
    """`except: handler(); raise` as the compiler writes it: the handler's body, then the
    cleanup that restores the exception state when the handler itself raises."""
    return _BEFORE + bytes([_OP["LOAD_CONST"], const_index]) + _AFTER, _CLEANUP


def _resume_index(co_code):
    """The code unit after RESUME (the prologue before it makes cells: nothing to guard)."""
    for unit in range(0, len(co_code), 2):
        if co_code[unit] == _RESUME:
            return unit // 2 + 1
    return 0


if ENABLED:
    _RESUME = _OP["RESUME"]
    _BEFORE = _instruction("PUSH_EXC_INFO") + _instruction("PUSH_NULL")
    _AFTER = _instruction("PRECALL", 0) + _instruction("CALL", 0) + _instruction("POP_TOP") + \
        _instruction("RERAISE", 0)
    _CLEANUP = _instruction("COPY", 3) + _instruction("POP_EXCEPT") + _instruction("RERAISE", 1)


def _table_item(value, first):
    """One number of an exception table entry (most significant 6 bits first)."""
    if value < 64:
        return _SMALL[first][value]
    chunks = [value & 63]
    value >>= 6
    while value:
        chunks.append(value & 63)
        value >>= 6
    chunks.reverse()
    out = bytearray(c | 64 for c in chunks[:-1]) + bytes([chunks[-1]])
    if first:
        out[0] |= 128
    return bytes(out)


_SMALL = {False: [bytes([v]) for v in range(64)], True: [bytes([v | 128]) for v in range(64)]}


def _entry(start, end, target, depth, lasti):
    return (_table_item(start, True) + _table_item(end - start, False) +
            _table_item(target, False) + _table_item(depth << 1 | lasti, False))


def _gaps(entries, start, end):
    """The ranges of [start, end) no entry covers (entries: (start, end) sorted)."""
    out, at = [], start
    for s, e in entries:
        if s > at:
            out.append((at, s))
        at = max(at, e)
    if at < end:
        out.append((at, end))
    return out


def _location(delta, units):
    """Line-table entries giving `units` code units the line co_firstlineno (no columns)."""
    out = b""
    while units:
        n = min(units, 8)
        value = (-delta << 1 | 1) if delta < 0 else delta << 1
        varint = bytearray()
        while value >= 64:
            varint.append(64 | (value & 63))
            value >>= 6
        varint.append(value)
        out += bytes([0x80 | 13 << 3 | (n - 1)]) + bytes(varint)
        units, delta = units - n, 0
    return out


# what a `returning` handler gives to let the exception go on
RERAISE = object()


def _returning_code(handler_index, sentinel_index):
    """`except: r = handler(); if r is RERAISE: raise; return r`, as the compiler writes a
    `return` inside an except block (the exception popped, then POP_EXCEPT), and its cleanup."""
    head = _BEFORE + bytes([_OP["LOAD_CONST"], handler_index]) + \
        _instruction("PRECALL", 0) + _instruction("CALL", 0) + _instruction("COPY", 1) + \
        bytes([_OP["LOAD_CONST"], sentinel_index]) + _instruction("IS_OP", 0)
    give = _instruction("SWAP", 2) + _instruction("POP_TOP") + _instruction("SWAP", 2) + \
        _instruction("POP_EXCEPT") + _instruction("RETURN_VALUE")
    jump = _instruction("POP_JUMP_FORWARD_IF_TRUE", len(give) // 2)
    reraise = _instruction("POP_TOP") + _instruction("RERAISE", 0)
    return head + jump + give + reraise, _CLEANUP


def returning(fn, handler):
    """A copy of fn whose exceptions call `handler()` (in an except block: sys.exc_info() is
    the exception, sys._getframe(1) fn's frame); fn returns what it returns, or the exception
    goes on when it returns RERAISE. Nothing runs on success. None where `guard` would leave
    fn as it is (not CPython 3.11): the caller wraps fn instead."""
    code = getattr(fn, "__code__", None)
    if not ENABLED or code is None or code.co_flags & _SKIPPED_FLAGS or \
            len(code.co_consts) > 254:
        return None
    units = len(code.co_code) // 2
    resume = _resume_index(code.co_code)
    parsed = dis._parse_exception_table(code)
    covered = [(e.start // 2, e.end // 2) for e in parsed]
    consts = code.co_consts + (handler, RERAISE)
    body, cleanup = _returning_code(len(consts) - 2, len(consts) - 1)
    cleanup_at = units + len(body) // 2
    entries = [(e.start // 2, e.end // 2, e.target // 2, e.depth, int(e.lasti)) for e in parsed]
    entries += [(start, end, units, 0, 0) for start, end in _gaps(covered, resume, units)]
    pieces = [_entry(*e) for e in sorted(entries)]
    pieces.append(_entry(units, cleanup_at, cleanup_at, 1, 1))
    last_line = next((line for _, _, line in reversed(list(code.co_lines()))
                      if line is not None), code.co_firstlineno)
    added = (len(body) + len(cleanup)) // 2
    new = code.replace(
        co_code=code.co_code + body + cleanup, co_consts=consts,
        co_exceptiontable=b"".join(pieces), co_stacksize=max(code.co_stacksize, 5),
        co_linetable=code.co_linetable + _location(code.co_firstlineno - last_line, added))
    copy = types.FunctionType(new, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__, copy.__doc__, copy.__qualname__ = (fn.__kwdefaults__, fn.__doc__,
                                                            fn.__qualname__)
    copy.__module__ = fn.__module__
    copy.__wrapped__ = fn
    return copy


def guard(fn, handler):
    """Give fn a handler for every exception that leaves it (see the module docstring)."""
    code = getattr(fn, "__code__", None)
    if not ENABLED or code is None or code.co_flags & _SKIPPED_FLAGS or \
            handler in code.co_consts or len(code.co_consts) > 255:
        return fn  # (a constant index above 255 would need EXTENDED_ARG)
    units = len(code.co_code) // 2
    resume = _resume_index(code.co_code)
    parsed = dis._parse_exception_table(code)
    covered = [(e.start // 2, e.end // 2) for e in parsed]
    consts = code.co_consts + (handler,)
    body, cleanup = _handler_code(len(consts) - 1)
    cleanup_at = units + len(body) // 2
    entries = [(e.start // 2, e.end // 2, e.target // 2, e.depth, int(e.lasti)) for e in parsed]
    entries += [(start, end, units, 0, 0) for start, end in _gaps(covered, resume, units)]
    pieces = [_entry(*e) for e in sorted(entries)]
    pieces.append(_entry(units, cleanup_at, cleanup_at, 1, 1))
    last_line = next((line for _, _, line in reversed(list(code.co_lines()))
                      if line is not None), code.co_firstlineno)
    added = (len(body) + len(cleanup)) // 2
    fn.__code__ = code.replace(
        co_code=code.co_code + body + cleanup, co_consts=consts,
        co_exceptiontable=b"".join(pieces), co_stacksize=max(code.co_stacksize, 4),
        co_linetable=code.co_linetable + _location(code.co_firstlineno - last_line, added))
    return fn
