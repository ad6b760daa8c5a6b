"""The world a compiled program runs in: its builtins, the helpers generated code calls, its limits.

A program's globals hold its own variables and `__builtins__`, a dict made here: the torch names
unprefixed, Python's allowed builtins over them (so `sum`, `max`, `float` stay Python's), the
`torch` and `math` namespaces, and the helpers (names starting with "." that no program can
write). Python's real builtins module is never reachable.
"""

import importlib

from ..importable import MODULES, SUBMODULES
from ..syntax import compiler as c
from .callsite import make_retype
from .classes import ProgramRecursionError, make_class_builtins, make_exception_helpers, same_object
from .classhooks import checked_slots
from .containermethods import slice_target
from .namespaces import UnavailableError
from .pybuiltins import python_builtins, union_or
from . import comparing, nesting
from .limits import collect, fstring, make_operators, unpacked, unpacked_mapping, shown_as_kind
from .patterns import make_pattern_helpers
from .sandbox import Gate
from .strmethods import safe_format_value


# torch names a program reaches as torch.NAME only: `compile` unprefixed stays Python's builtin,
# which programs do not have (NameError), not torch.compile
# torch names a program reaches only as `torch.name`: `e` (torch.e) would answer for the name an
# `except ... as e:` block deletes, where Python raises NameError
_PREFIXED_ONLY = frozenset({"compile", "e",
                            "default_generator"})  # (torch.default_generator only: made on first use)


@shown_as_kind
class RecursionLimitError(RecursionError):
    gradsh_kind = "RecursionError"


# How many times one descent from module level may meet the depth limit: the limit's
# RecursionError is the program's to catch, as Python's is, but a program that calls again from
# its handler (`except RecursionError: f()` at every level) would take 2 ** depth steps; past this
# many, the limit is final (RecursionLimitError above, which no `except` catches)
MAX_LIMIT_HITS = 50


@shown_as_kind
class ProgramImportError(ImportError):
    gradsh_kind = "ImportError"


@shown_as_kind
class ProgramModuleNotFoundError(ImportError):
    gradsh_kind = "ModuleNotFoundError"


class _Depth:
    """The depth of program calls, and the limit error once one fired (`dying`: from then on
    the program cannot call functions or loop in except/finally blocks, see compiler.try_except)."""

    __slots__ = ("depth", "limit", "dying", "retyped", "hits", "recursing")

    def __init__(self, limit):
        self.depth = 0
        self.hits = 0  # the limit errors of this descent from module level (MAX_LIMIT_HITS)
        self.limit = limit
        self.dying = None
        # the depth limit's RecursionError while it unwinds, not yet caught: a `finally` (or a
        # generator's, as it is closed) entered meanwhile makes it final (classes.fin)
        self.recursing = None
        self.retyped = None  # (PyTorch's TypeError put for an exception, that one's context)


class Runtime:
    """Builds the builtins of one session; `write(text)` is where print goes."""

    def __init__(self, provider, write, max_depth=1000, argv=(), echo=None, registry=None):
        self.provider = provider
        self.registry = registry  # the program's code objects (tracing.CodeRegistry)
        self.write = write
        self.counter = _Depth(max_depth)
        self.argv = list(argv)
        self.echo = echo or (lambda value: None)
        self.gate = Gate(provider)
        self.gate.registry = registry
        self._modules = {}
        self.math = self.module("math")

    def module(self, name):
        """The namespace of an importable module (lang/importable.py), made once."""
        ns = self._modules.get(name)
        if ns is None:
            path, factory = MODULES[name].split(":")
            make = getattr(importlib.import_module(path), factory)
            # operator's checked operators and gated attrgetter need the session's gate
            ns = self._modules[name] = make(self) if getattr(make, "needs_runtime", False) \
                else make()
        return ns

    def builtins(self):
        provider = self.provider
        out = {}
        first_use = getattr(provider, "first_use", ())
        # (the torch names in their order, the first-use ones too: what suggestions read)
        out[".torch_names"] = provider.public_names()
        out[".first_use"] = frozenset(n for n in provider.public_names() if n in first_use
                                      and n not in _PREFIXED_ONLY)
        for name in provider.public_names():
            if name in _PREFIXED_ONLY or name in first_use:
                continue
            try:
                out[name] = provider.torch.get(name)
            except AttributeError:
                pass
        python = python_builtins(self.write)
        out.update(python)
        out.update(make_class_builtins(self.gate, python, provider))
        out["torch"] = provider.torch
        out["math"] = self.math
        out["argv"] = list(self.argv)
        out.update(self.helpers())
        return out

    def helpers(self):
        ga = self.gate.make_load()
        ga_value = self.gate.make_value_load()
        sa = self.gate.make_store()
        ops = make_operators(self.provider.tensor_type)
        ops["or"] = union_or(ops["or"])
        in_place = ops["in_place"]
        counter = self.counter
        guard, fin, tick, dying_error = make_exception_helpers(counter, self.gate)
        retype = make_retype(counter, self.registry, self.provider.argument_types)

        def auga(obj, name, op, value):
            sa(obj, name, in_place[op](ga(obj, name), value))

        def augi(obj, key, op, value):
            slice_target(obj)[key] = in_place[op](obj[key], value)

        def enter():
            if counter.dying is not None:
                raise dying_error()
            depth = counter.depth + 1
            if depth > counter.limit:
                counter.hits += 1
                if counter.hits <= MAX_LIMIT_HITS:
                    counter.recursing = ProgramRecursionError(counter.limit)
                    raise counter.recursing
                counter.dying = RecursionLimitError(
                    "maximum recursion depth exceeded (more than %d nested calls of program "
                    "functions, and the program called again past the limit %d times)"
                    % (counter.limit, MAX_LIMIT_HITS))
                raise counter.dying
            if depth == 1:
                counter.hits = 0
                counter.recursing = None
            counter.depth = depth

        def leave():
            counter.depth -= 1


        def lam(fn):
            def counted(*args, **kwargs):
                enter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    counter.depth -= 1
            counted.__name__ = fn.__name__
            counted.__qualname__ = fn.__qualname__
            counted.__module__ = fn.__module__  # (the program's: handle_torch_function's error)
            counted.__doc__ = None
            counted.__wrapped__ = fn  # for help(): inspect.signature follows it
            return counted

        def echo(value):
            if value is not None:
                self.echo(value)

        patterns = make_pattern_helpers(self.gate)

        return {
            c.GA: ga_value, c.GM: ga, c.SA: sa, c.DA: self.gate.make_delete(), c.AUG_ATTR: auga, c.AUG_ITEM: augi,
            c.ADD: ops["add"], c.MUL: ops["mul"], c.POW: ops["pow"], c.MOD: ops["mod"],
            c.LSHIFT: ops["lshift"], c.IADD: ops["iadd"], c.IMUL: ops["imul"],
            c.IPOW: ops["ipow"], c.IMOD: ops["imod"], c.ILSHIFT: ops["ilshift"],
            c.OR: ops["or"], c.AND: ops["and"], c.IOR: ops["ior"], c.IAND: ops["iand"],
            c.XOR: ops["xor"], c.IXOR: ops["ixor"],
            c.FMT: safe_format_value, c.IMPORT: self.import_module,
            c.IMPORT_FROM: self.import_from, c.ENTER: enter, c.LEAVE: leave, c.LAMBDA: lam,
            c.ECHO: echo, c.LIST_COMP: _list_comp, c.DICT_COMP: _dict_comp, c.SET_COMP: _set_comp,
            c.GUARD: guard, c.RETYPE: retype, c.FIN: fin, c.TICK: tick, c.GENEXP: nesting.tag_genexp,
            c.TUPLE: nesting.check_tuple, c.STAR: unpacked, c.DSTAR: unpacked_mapping, c.FSTRING: fstring,
            c.IS: same_object, c.SLICES: slice_target, c.CHAIN: comparing.make_chain(same_object),
            c.MATCH_SEQUENCE: patterns["mseq"], c.MATCH_MAPPING: patterns["mmap"],
            c.MATCH_CLASS: patterns["mcls"], c.RAISE: nesting.check_group, c.SLOTS: checked_slots,
            **{name: comparing.COMPARISONS[op] for op, name in c.COMPARE_HELPERS.items()},
        }

    # ------------------------------------------------------------ imports
    def _namespace(self, path):
        if path in MODULES:
            return self.module(path)
        if path in SUBMODULES:
            root, _, member = path.partition(".")
            return self.module(root).get(member)
        parts = path.split(".")
        ns = self.provider.torch
        for i, part in enumerate(parts[1:], start=2):
            outer = ns
            try:
                ns = ns.get(part)
            except UnavailableError as e:
                raise ProgramModuleNotFoundError(str(e)) from None
            except AttributeError:
                raise ProgramModuleNotFoundError("No module named '%s'" % ".".join(parts[:i])) \
                    from None
            if type(ns) is not type(self.provider.torch):
                # a module whose name the package gives to a function (torch.autograd.gradcheck)
                ns = outer.submodule(part)
            if ns is None:
                raise ProgramModuleNotFoundError(
                    "No module named '%s' ('%s' is not a module)" % (".".join(parts[:i]), part))
        return ns

    def import_module(self, root, path=None):
        """`import torch.nn.functional` -> torch (checked); `import ... as F` -> the namespace."""
        if path is None:
            return self._namespace(root)
        self._namespace(path)
        return self._namespace(root)

    def import_from(self, path, name):
        ns = self._namespace(path)
        try:
            return ns.get(name)
        except UnavailableError as e:
            raise ProgramImportError(str(e)) from None
        except AttributeError:
            raise ProgramImportError("cannot import name '%s' from '%s'" % (name, path)) from None


def _list_comp(items):
    return _comprehension(items, "a list comprehension")


def _set_comp(items):
    return set(_comprehension(items, "a set comprehension"))


def _dict_comp(pairs):
    return dict(_comprehension(pairs, "a dict comprehension"))


def _comprehension(gen, what):
    """The items of a comprehension's generator (the compiler makes one of each list, set and
    dict comprehension). A StopIteration raised in it (`[next(it) for _ in range(n)]`) leaves
    Python's comprehension as it is; out of a generator it would become PEP 479's
    RuntimeError, which is turned back here."""
    try:
        return collect(gen, what)
    except RuntimeError as error:
        stop = _escaped_stop(error, gen)
        if stop is None:
            raise
    raise stop


def _escaped_stop(error, gen):
    """The StopIteration that PEP 479 turned into `error` as it left `gen`'s own frame (not a
    generator `gen` called, whose RuntimeError passes through unchanged)."""
    stop = error.__cause__
    if type(error) is not RuntimeError or not isinstance(stop, StopIteration):
        return None
    # the StopIteration's traceback starts at the generator frame it left, where PEP 479
    # turned it into the RuntimeError
    tb = stop.__traceback__
    if tb is None or tb.tb_frame.f_code is not getattr(gen, "gi_code", None):
        return None
    return stop
