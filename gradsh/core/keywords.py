"""PyTorch's keyword names for every function and method whose Python parameters differ.

PyTorch's parser takes each argument by the name its signature gives it (`x.view(size=(6,))`,
`torch.clamp(input=x, min=0)`, `x.transpose(dim0=0, dim1=1)`) and by numpy's names for four of
them (argcheck.NUMPY_NAMES: `axis` for dim, `keepdims` for keepdim, `x`/`a`/`x1` for input, `x2`
for other). gradsh's ops name their parameters for their own code (`self`, `*shape`), so
`guard` gives each public function whose recorded signatures (signatures.txt) use a name the
function does not take an adapter: a call without such a keyword goes straight through; one
with it is matched against PyTorch's signatures and passed on as the op's own parameters
(positionally while PyTorch's positions are filled in order, then by the op's own names).
A call no signature takes is passed on as given: the op's refusal then becomes PyTorch's
TypeError as for any other call (library_errors, lang/runtime/callsite.py).

A factory option PyTorch's signature has and the op does not take (`layout=`, `device=`,
`pin_memory=`, `generator=`, `requires_grad=False`; `expand`'s `implicit=`, `gather`'s
`sparse_grad=False`) is dropped when its value is the one the op has anyway (`_NEUTRAL`);
`pin_memory=True` is PyTorch's refusal on a machine without an accelerator, made where PyTorch
makes it: before the op (its allocation comes first), or after it for the few ops that check
their arguments before allocating (`_PINNED_AFTER`). Another value is passed on and refused as
before.
"""

import builtins
import functools
import inspect
import os
import types
import zlib

from . import argcheck, keyword_templates, user_cache
from . import device as _device
from . import factories as _factories
from . import layout as _layout

# PyTorch's names for what signatures.txt lacks: its Python functions (Python binds them, without
# numpy's aliases) and C functions read from their docstrings (tools/record_python_signatures.py)
_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_signatures.txt")



def _own(code):
    """(names a function of this code takes by keyword, its positional parameters, does it
    take more positionally)."""
    count, varnames = code.co_argcount, code.co_varnames  # (co_varnames: a new tuple a read)
    return (set(varnames[code.co_posonlyargcount:count + code.co_kwonlyargcount]),
            list(varnames[:count]), bool(code.co_flags & inspect.CO_VARARGS))


def _parameters(fn):
    """(names fn takes by keyword, its positional parameters' names in order, does it take
    more positionally) of the op under any wrappers (functools.wraps keeps the op's signature;
    its code is read, not inspect.signature: 20 us a function at import). A wrapper
    `call(input, *args, **kwargs)` passes its first arguments on by position: the op's own
    names for those are not taken by keyword (and the wrapper's are not the op's)."""
    # (each attribute read once a level: a function's __code__ is a descriptor, and this runs
    # for some 1,300 functions at start-up)
    forwarded, keyword_only, level, theirs = 0, set(), fn, set()
    inner = getattr(level, "__wrapped__", _ABSENT)
    code = getattr(level, "__code__", None)
    while inner is not _ABSENT and code is not None:
        count, varnames = code.co_argcount, code.co_varnames
        if count > forwarded:
            forwarded = count
        theirs.update(varnames[:count])
        keyword_only.update(varnames[count:count + code.co_kwonlyargcount])
        level = inner
        inner = getattr(level, "__wrapped__", _ABSENT)
        code = getattr(level, "__code__", None)
    if code is None or hasattr(level, "__signature__"):
        return None
    names, positional, more = _own(code)
    if level is not fn:
        names = (names - set(positional[:forwarded]) - theirs) | keyword_only
    return names, positional, more


def _cpu(value):
    if value is None or isinstance(value, str) and value in ("cpu", "cpu:0"):
        return True
    return isinstance(value, _device.device) and value.type == "cpu" and value.index in (None, 0)


# the options an op not taking them has anyway, by name: is this value that one?
_NEUTRAL = {
    "layout": lambda v: v is None or v is _layout.strided,
    "device": _cpu,
    "pin_memory": lambda v: v is None or v is False or v is True,  # True: refused after the op
    "generator": lambda v: v is None,
    "requires_grad": lambda v: v is None or v is False,
    "implicit": lambda v: v is True or v is False,
    "sparse_grad": lambda v: v is False,
}


# the ops PyTorch checks the arguments of before refusing pin_memory=True (its allocation)
_PINNED_AFTER = frozenset(("tril_indices", "triu_indices", "linspace", "logspace", "zeros"))


def _rebind(sigs, offset, own, positional, more, args, kwargs):
    """(args, kwargs, pinned) for the op from a call PyTorch's signatures take, or None: none
    takes it, or a parameter cannot be passed on (no position and no name of the op's) and is
    not a neutral option (_NEUTRAL); pinned: pin_memory=True was dropped."""
    head, given = args[:offset], args[offset:]
    for s in sigs:
        pinned, bound = False, []
        if not s.parse(given, kwargs, False, bound):
            continue
        # s.parse leaves out an explicit None where None is taken: pass it on as given
        values = {p.index: v for p, v in bound}
        for p in s.params:
            if p.index not in values:
                name = next((n for n in p.names if n in kwargs), None)
                if name is not None:
                    values[p.index] = kwargs[name]
        out_args, out_kwargs, in_order = list(head), {}, True
        for p in s.params:
            if p.index not in values:
                in_order = False
                continue
            value = values[p.index]
            at = offset + p.index
            if p.name == "out" and p.index >= len(given):
                # `out=` stays a keyword: the out= layer takes it by name, and the op's own
                # parameter at PyTorch's position of out is another (norm's dtype)
                in_order = False
                out_kwargs["out"] = value
                continue
            if not p.keyword_only and (p.index < len(given) or in_order and (
                    at < len(positional) or more)):
                out_args.append(value)
                continue
            in_order = False
            if p.name in own:
                out_kwargs[p.name] = value
            elif p.keyword_only or at >= len(positional) or positional[at] not in own:
                if p.name not in _NEUTRAL or not _NEUTRAL[p.name](value):
                    return None
                pinned = pinned or p.name == "pin_memory" and value is True
            else:
                out_kwargs[positional[at]] = value
        return tuple(out_args), out_kwargs, pinned
    return None


@functools.lru_cache(maxsize=None)
def _python_signature(key):
    """The parsed signature of a name of python_signatures.txt, as a tuple, or ()."""
    found = _raw_python_table().get(key)
    if found is None:
        return ()
    how, text = found
    sig = argcheck.Signature(text)
    if how == "python":
        for p in sig.params:
            p.names = (p.name,)
    return (sig,)


def signatures(surface, name):
    """PyTorch's signatures of a name (argcheck's, else the table of Python functions')."""
    return argcheck.signatures(surface, name) or _python_signature(surface + "." + name)


class _PythonRefusal:
    """Python's words for a keyword one of PyTorch's Python functions does not take (its
    qualified name: `Tensor.split() got an unexpected keyword argument 'axis'`)."""

    def __init__(self, sig):
        self.sig = sig

    def unexpected(self, kwargs):
        names = {p.name for p in self.sig.params}
        key = next((k for k in kwargs if k not in names), None)
        return None if key is None else \
            "%s() got an unexpected keyword argument '%s'" % (self.sig.name, key)


@functools.lru_cache(maxsize=None)
def _raw_python_table():
    table = {}
    with open(_TABLE, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line and not line.startswith("#"):
                key, how, text = line.split("\t")
                table[key] = (how, text)
    return table


def _summary(texts, python, positional, names):
    """Add to `positional` ((name, index) of each parameter PyTorch's shown signatures take by
    position) and to `names` (every name they take) what `texts` hold; a hidden or deprecated
    signature is skipped. Read from the text without argcheck's full parse (which waits for a
    call), and without an object per signature: this runs for some 1,300 names at import."""
    aliases = {} if python else argcheck.NUMPY_NAMES
    for text in texts:
        body, _, flag = text.partition("(")[2].rpartition(")")
        if flag == "|deprecated" or flag == "|hidden" or not body:
            continue
        keyword_only = False
        for index, part in enumerate(body.split(", ")):
            if part == "*":
                keyword_only = True
                continue
            pname = part.partition(" ")[2].partition("=")[0]
            extra = aliases.get(pname, ())
            names.add(pname)
            names.update(extra)
            if not keyword_only:
                positional.append((pname, index))
                positional.extend((n, index) for n in extra)


def _light(surface, name):
    """(PyTorch's positional parameters as (name, index), all its keyword names, is it one of
    PyTorch's Python functions) for a name's shown signatures, or None: none recorded."""
    return _summaries().get(surface + "." + name)


_SUMMARY_FORMAT = 1  # bump when _summary's result changes for the same texts


@functools.lru_cache(maxsize=None)
def _summaries():
    """_light's answers for every recorded name, kept in the user's cache (core/user_cache.py)
    under the two tables' texts: reading some 1,300 names' signatures cost about a tenth of the
    pipe's start-up (issue #19), loading them back about a millisecond."""
    digest = []
    for path in (argcheck._TABLE, _TABLE):
        try:
            with open(path, "rb") as f:
                blob = f.read()
        except OSError:  # not plain files (a zip): no cache, the tables' own readers decide
            return _build_summaries()
        digest.append("%08x:%d" % (zlib.crc32(blob), len(blob)))
    key = "%d|%s|%r" % (_SUMMARY_FORMAT, "|".join(digest), sorted(argcheck.NUMPY_NAMES.items()))
    found = user_cache.load("keywords", key)
    if type(found) is dict:
        return found
    found = _build_summaries()
    user_cache.save("keywords", key, found)
    return found


def _build_summaries():
    table = {}
    for key, (how, text) in _raw_python_table().items():
        positional, names = [], set()
        _summary((text,), how == "python", positional, names)
        table[key] = (tuple(positional), frozenset(names), how == "python")
    for key, texts in argcheck._table().items():
        if not texts:
            continue
        if texts[0].startswith(argcheck.NO_ARGUMENTS):
            table.pop(key, None)
            continue
        positional, names = [], set()
        _summary(texts, False, positional, names)
        table[key] = (tuple(positional), frozenset(names), False)
    return table


_OPERAND_ALIASES = frozenset(("x", "a", "x1", "x2"))
_SPARE_METHODS = frozenset(("add",))


def adapter(fn, surface, name):
    """fn, or fn under an adapter taking PyTorch's keyword names for it (see the module
    docstring); a function with no recorded signature is returned as it is."""
    light = _light(surface, name)
    if light is None:
        return fn
    found = _parameters(fn)
    if found is None:
        return fn
    own, positional, more = found
    offset = 1 if surface == "Tensor" else 0
    # a name of the op's at another position than PyTorch's (arange's `end`, PyTorch's first
    # argument in arange(end)) is read through PyTorch's signatures, never passed on as it is
    theirs, pytorch, is_python = light
    direct = own - {n for n, index in theirs if n in own and (
        offset + index >= len(positional) or positional[offset + index] != n)}
    missing = pytorch - direct - {"out"}  # out= has its own wrapper (ops/out.py)
    if not missing or surface == "Tensor" and name in _SPARE_METHODS and \
            missing <= _OPERAND_ALIASES:
        # (add, whose only missing name is numpy's name of the operand, `x.add(x2=y)`, stays
        # unwrapped: its adapter (of *args, as add is itself a wrapper) would hold a temporary
        # left operand once more, and add would no longer give its array to the result:
        # core/spare.py; sub's and mul's adapters, of explicit parameters, do not)
        return fn
    parsed = []  # PyTorch's signatures, parsed at the first call that needs them

    def slow(args, kwargs):
        if direct.issuperset(kwargs):
            return fn(*args, **kwargs)
        if not parsed:
            sigs = signatures(surface, name)
            parsed.append(tuple(s for s in sigs if not s.hidden) +
                          tuple(s for s in sigs if s.hidden))
            parsed.append(_PythonRefusal(sigs[0]) if is_python else None)
        sigs, python = parsed
        rebound = _rebind(sigs, offset, own, positional, more, args, kwargs)
        if rebound is not None:
            args, kwargs, pinned = rebound
            if pinned:
                if name not in _PINNED_AFTER:
                    _factories.check_pin_memory(True)
                result = fn(*args, **kwargs)
                _factories.check_pin_memory(True)
                return result
        elif python and python.unexpected(kwargs):
            raise TypeError(python.unexpected(kwargs))
        return fn(*args, **kwargs)

    if direct == own and not hasattr(fn, "__wrapped__"):
        explicit = _explicit(fn, name, surface, slow)
        if explicit is not None:
            return explicit

    def call(*args, **kwargs):
        if kwargs and not direct.issuperset(kwargs):
            return slow(args, kwargs)
        return fn(*args, **kwargs)

    # a code object of its own, named as the op (the argument-error handler is added to it,
    # core/guarded.py; tracebacks and help() show the op's name)
    code = call.__code__.replace(co_name=name, co_qualname=(
        "Tensor." if surface == "Tensor" else "") + name)
    wrapper = types.FunctionType(code, call.__globals__, name, None, call.__closure__)
    for attr in ("__module__", "__doc__", "__qualname__", "__name__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except (AttributeError, TypeError):
            pass
    wrapper.__dict__.update({k: v for k, v in getattr(fn, "__dict__", {}).items()
                             if k != "__wrapped__"})
    wrapper.__wrapped__ = fn
    wrapper.pytorch_keywords = True
    return wrapper


_ABSENT = object()  # an alias's default: not given


def template_source(count):
    """The source of the factory of adapters for ops of `count` positional parameters."""
    names = ["p%d" % i for i in range(count)]
    head = ["%s=__absent" % n for n in names] + (["/"] if names else []) + ["*__more", "**__kw"]
    source = ["def __make(__fn, __slow, __absent):",
              "    def adapter(%s):" % ", ".join(head),
              "        if not __kw and not __more:"]
    for i in range(count, 0, -1):
        source.append("            if %s is not __absent:" % names[i - 1])
        source.append("                return __fn(%s)" % ", ".join(names[:i]))
    source.append("            return __fn()")
    source.append("        args = []")
    for n in names:
        source.append("        if %s is __absent: return __slow((*args, *__more), __kw)" % n)
        source.append("        args.append(%s)" % n)
    source.append("        return __slow((*args, *__more), __kw)")
    source.append("    return adapter")
    return "\n".join(source)


TEMPLATE_FILE = "<keywords adapter>"  # (the templates' file name, as their frames show it)


@functools.lru_cache(maxsize=None)
def _template(count):
    """The factory of adapters for ops of `count` positional parameters (made once for each
    count: a compile per op cost a third of a second at import). The counts gradsh's ops have
    come compiled with gradsh (core/keyword_templates.py, recorded by
    tools/record_keyword_templates.py): compiling them at each start cost about 1% of the pipe's
    start-up (docs/speed.md, the seventeenth pass); they are given the file name and first line
    a compile of template_source gives, so that the code is the same."""
    made = keyword_templates.MAKERS.get(count)
    if made is None:
        ns = {}
        exec(compile(template_source(count), TEMPLATE_FILE, "exec"), ns)  # noqa: S102
        return ns["__make"]
    code = _as_compiled(made.__code__, made.__code__.co_firstlineno - 1)
    ns = {"__builtins__": builtins.__dict__}  # (what exec gives the compiled source)
    ns["__make"] = made = types.FunctionType(code, ns, "__make")
    return made


def _as_compiled(code, shift):
    """code (and the code objects it holds) as compiling its source alone would give it."""
    consts = tuple(_as_compiled(c, shift) if type(c) is types.CodeType else c
                   for c in code.co_consts)
    return code.replace(co_filename=TEMPLATE_FILE, co_firstlineno=code.co_firstlineno - shift,
                        co_consts=consts)


def _explicit(fn, name, surface, slow):
    """The adapter as fn's positional parameters (positional-only, each _ABSENT when not
    given), then *args and **kwargs: a call without keywords goes to fn with the arguments
    given (no tuple or dict is built for it: a wrapper of *args and **kwargs alone cost about
    twice this one); one with keywords, exactly as made, to `slow`."""
    wrapper = _template(fn.__code__.co_argcount)(fn, slow, _ABSENT)
    wrapper.__code__ = wrapper.__code__.replace(co_name=name, co_qualname=(
        "Tensor." if surface == "Tensor" else "") + name)
    for attr in ("__module__", "__doc__", "__qualname__", "__name__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except (AttributeError, TypeError):
            pass
    wrapper.__dict__.update(getattr(fn, "__dict__", {}))
    wrapper.__wrapped__ = fn
    wrapper.pytorch_keywords = True
    return wrapper


def guard(namespace, surface, setter=None):
    """Give each public function of `namespace` (a module's globals, or a class's vars with
    `setter`) PyTorch's keyword names on `surface` ('torch', 'Tensor', 'F', 'linalg',
    'special') where its own parameters lack them."""
    for name, fn in list(namespace.items()):
        if name.startswith("__") or not isinstance(fn, types.FunctionType) or \
                getattr(fn, "pytorch_keywords", False):
            continue
        wrapped = adapter(fn, surface, name)
        if wrapped is fn:
            continue
        if setter is None:
            namespace[name] = wrapped
        else:
            setter(name, wrapped)
