"""The one tree-to-code module: grammar rules become a Python `ast.Module` located in the source.

`Compiler` has one method per grammar alias, called with the rule's children as each rule is
reduced during the LALR parse (see lalr.py); a rule it has no method for stops the parser from
being built ("Unknown rule"), never a silent pass-through. The generated
code never touches an attribute directly: loads, stores and augmented assignments call the
runtime's gate, and the operators that can build huge Python values (`+ * ** % <<` on numbers and
sequences) call checked helpers. Helper names start with "." so no program can name them.
Every node carries the line and column of the .grad text it came from, so Python's own
traceback positions (co_positions) locate runtime errors in the program.
"""

import ast
import keyword
import re
import warnings

from ..importable import MODULES, PRIVATE_BASES, PRIVATE_FUNCTIONS, SUBMODULES
from .lexer import Token
from .mangling import is_private

__all__ = ["Compiler", "CompileError", "check_module", "is_block", "HELPERS", "MAX_NESTING"]

# an integer literal in any base, at most about MAX_INT_BITS (runtime/limits.py) bits
_MAX_LITERAL_CHARS = 1_000_000 // 4 + 2
MAX_NESTING = 300  # expression nesting; deeper ASTs would hit Python's compiler recursion limits

# Names of the runtime helpers used by generated code (see runtime.py).
GA, GM, SA, AUG_ATTR, AUG_ITEM = ".ga", ".gm", ".sa", ".auga", ".augi"
# `del obj.name` is `del .da(obj)["name"]`: the gate decides the deletion as an assignment
DA = ".da"
ADD, MUL, POW, MOD, LSHIFT, OR, AND = ".add", ".mul", ".pow", ".mod", ".lshift", ".or", ".and"
XOR, IXOR = ".xor", ".ixor"  # set ^ set: within the item limit (round 8)
IADD, IMUL, IPOW, IMOD, ILSHIFT, IOR, IAND = (".iadd", ".imul", ".ipow", ".imod", ".ilshift",
                                              ".ior", ".iand")
FMT, IMPORT, IMPORT_FROM, ENTER, LEAVE, LAMBDA, ECHO = (
    ".fmt", ".imp", ".impfrom", ".enter", ".leave", ".lam", ".echo")
LIST_COMP, DICT_COMP, SET_COMP = ".lc", ".dc", ".sc"
# every generator expression passes through `.ge`, which records how deep generators are
# nested in one another (runtime/nesting.py: a deep chain would crash CPython's C code)
GENEXP = ".ge"
# every tuple display `(a, b)` passes through `.tup`, which refuses tuples nested past the limit
# (runtime/nesting.py: hashing a chain of tuples millions deep crashes CPython's C code)
TUPLE = ".tup"
# every `*iterable` a program unpacks (displays, calls, assignments) passes through `.star`,
# which reads it within the item limit (runtime/limits.py)
STAR = ".star"
# and every `**mapping` (calls, dict displays) through `.dstar`, which reads a mapping that is
# not a dict (its keys()) within the item limit (runtime/limits.py)
DSTAR = ".dstar"
# and every f-string with fields through `.fstr`, which checks its total length
FSTRING = ".fstr"
# exceptions: `.guard()` opens every except block (gradsh's limits are re-raised, never caught),
# `.fin()` every finally block and `.tick()` every loop inside either (after a limit fired, a
# program cannot keep running there)
GUARD, FIN, TICK = ".guard", ".fin", ".tick"
# a try body with except blocks runs inside an inner `try: ... except: .retype(); raise`:
# `.retype()` puts PyTorch's TypeError in place of gradsh's exception for a torch call whose
# arguments PyTorch's signatures refuse (runtime/callsite.py), before the program's handlers
RETYPE = ".retype"
# the list in `x[a:b] = value` passes through `.slices`, which makes the store size-checked
# (a slice assignment grows a list: `x[:0] = x`, `x[:] = range(10**9)`)
SLICES = ".slices"
# `a is b` between two expressions (not a literal such as None) passes through `.is`: what
# `type(x)` gives a program for a torch class is a view of the class, and `type(m) is
# nn.Linear` must hold as in Python
IS = ".is"
# comparisons that are not identities pass through `.cmp==`, `.cmp<`, `.cmpin`...: comparing
# containers that share themselves exponentially is refused (runtime/comparing.py). A chained
# comparison `a < b < c` becomes `.cmp<(a, (.c1 := b)) and .cmp<(.c1, c)` (a name no program
# can write holds b), except where Python refuses `:=` (comprehensions in a class body, the
# iterable of a comprehension): there it is `.chain(('<', '<'), a, b, lambda: c)`, the same
# checked links with each later operand evaluated when reached; only in the first iterable of
# a comprehension directly in a class body (evaluated in the class's scope, which a lambda
# cannot see) does it stay Python's unchecked chain
COMPARE_HELPERS = {op: ".cmp" + op for op in ("==", "!=", "<", "<=", ">", ">=", "in", "not in")}
CHAIN = ".chain"
# match/case: a sequence, mapping or class pattern asks `.mseq`, `.mmap`, `.mcls` for the items,
# values or attributes its sub-patterns match (None: no match); the class pattern's attributes
# are read through the gate (runtime/patterns.py)
MATCH_SEQUENCE, MATCH_MAPPING, MATCH_CLASS = ".mseq", ".mmap", ".mcls"
# the exception of every `raise` passes through `.raise`, which refuses an exception group
# Python could not split in time (runtime/nesting.py)
RAISE = ".raise"
# a class body's `__slots__ = names` passes through `.slots`, which reads the names within
# gradsh's limits before Python makes one member per name (runtime/classhooks.py)
SLOTS = ".slots"
HELPERS = (RAISE, SLOTS, MATCH_SEQUENCE, MATCH_MAPPING, MATCH_CLASS, *COMPARE_HELPERS.values(), GA, GM, SA, DA, AUG_ATTR, AUG_ITEM, ADD, MUL, POW, MOD, LSHIFT,
           OR, AND, XOR, IXOR, IADD, IMUL, IPOW, IMOD, ILSHIFT, IOR, IAND, FMT, IMPORT, IMPORT_FROM, ENTER,
           LEAVE, LAMBDA, ECHO, LIST_COMP, DICT_COMP, SET_COMP, GUARD, RETYPE, FIN, TICK, GENEXP,
           TUPLE, STAR, DSTAR, FSTRING, IS, SLICES, CHAIN)

# The special methods a program's class may define (and call: `super().__init__()`). Those that
# reach into Python's class machinery (__getattribute__, __new__, __del__, __reduce__...) are
# not among them. The descriptor protocol (__get__, __set__, __delete__, __set_name__) and
# __init_subclass__ are, kept to the program's own classes and instances (runtime/classhooks.py).
ALLOWED_DUNDERS = frozenset("""__init__ __call__ __repr__ __str__ __format__ __len__
    __getitem__ __setitem__ __delitem__ __iter__ __next__ __reversed__ __contains__ __bool__
    __hash__ __eq__ __ne__ __lt__ __le__ __gt__ __ge__ __add__ __radd__ __iadd__ __sub__
    __rsub__ __isub__ __mul__ __rmul__ __imul__ __truediv__ __rtruediv__ __itruediv__
    __floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ __rmatmul__
    __neg__ __pos__ __abs__ __invert__ __and__ __or__ __xor__ __float__ __int__ __index__
    __enter__ __exit__ __getattr__ __post_init__ __setattr__ __delattr__
    __match_args__ __class_getitem__ __get__ __set__ __delete__ __set_name__
    __init_subclass__ __missing__ __rand__ __ror__ __rxor__ __lshift__ __rlshift__
    __rshift__ __rrshift__ __torch_function__ __round__ __trunc__ __floor__ __ceil__
    __divmod__ __rdivmod__ __complex__ __ifloordiv__ __imod__ __ipow__ __imatmul__ __iand__
    __ior__ __ixor__ __ilshift__ __irshift__""".split())
# ... of which the class machinery (branch lang19b): a program's own classes only, never read on
# torch's objects by name
CLASS_MACHINERY = frozenset(("__get__", "__set__", "__delete__", "__set_name__",
                             "__init_subclass__", "__missing__"))
# object's attribute protocol: `object.__setattr__(self, name, value)` in a program's own
# `__setattr__`. The gate hands out checked versions only (the program's own rules for the
# name), never Python's slot wrappers, which would skip the gate (runtime/sandbox.py)
OBJECT_PROTOCOL = frozenset(("__setattr__", "__delattr__", "__getattribute__"))
# ... and the other special attributes a program may read: the name of a class or function, and
# an exception's chain (`raise E from e`: e.__cause__; on exceptions only, the gate decides)
# (`__suppress_context__` is a bool: `raise ... from None` sets it)
# (and `e.__notes__`, the list of strings `e.add_note(text)` made: Python 3.11)
EXCEPTION_CHAIN = frozenset(("__cause__", "__context__", "__suppress_context__", "__notes__"))
# (and `e.__traceback__`, the program's frames: runtime/tracebacks.py, branch lang22)
READABLE_DUNDERS = ALLOWED_DUNDERS | {"__name__", "__traceback__"} | EXCEPTION_CHAIN
# ... and, read as an attribute only (never a name a program defines), a class's MRO, bases and
# first base (`__base__`, a class or None):
# the gate gives them as `type()` gives classes, so `object` is there but offers nothing
CLASS_TUPLES = frozenset(("__mro__", "__bases__", "__base__"))
# ... and Python's data of a function that decorators read: the gate gives them on the
# program's own functions only (`fn.__doc__`, `fn.__defaults__`, functools.wraps's `__wrapped__`)
FUNCTION_DATA = frozenset(("__doc__", "__defaults__", "__kwdefaults__", "__wrapped__",
                           "__qualname__", "__module__", "__annotations__",
                           # abc.abstractmethod's mark (a bool; branch adv14c)
                           "__isabstractmethod__"))
# ... and a bound method's `__self__` and `__func__`, a classmethod's or staticmethod's
# `__func__`, a function's `__closure__` (its cells' `cell_contents`): on the program's own
# functions and objects only (the gate decides: runtime/sandbox.py, branch lang20)
METHOD_DATA = frozenset(("__self__", "__func__", "__closure__"))
# ... and `x.__class__`, which the gate gives as `type(x)` gives it, and `x.__dict__`, which it
# gives on instances of the program's classes only, as a view (runtime/instancedict.py)
# ... and `torch.__version__` (torch's namespace alone gives it: runtime/namespaces.py)
# ... and a program class's `__slots__` and `__abstractmethods__` (the gate: program classes
# only; a frozenset of names, branch lang21), and the harmless data
# of typing's objects (`T.__bound__`, `T.__constraints__`: the gate, runtime/stdlib.py)
TYPING_DATA = frozenset(("__bound__", "__constraints__", "__covariant__", "__contravariant__",
                         "__origin__", "__args__", "__parameters__"))
READABLE_ATTRIBUTES = (READABLE_DUNDERS | CLASS_TUPLES | OBJECT_PROTOCOL | FUNCTION_DATA
                       | METHOD_DATA
                       | TYPING_DATA | {"__class__", "__dict__", "__version__", "__slots__"}
                       # an enum class's members, an ABC's abstract names (the gate: program
                       # classes only; branch adv12c)
                       | {"__members__", "__abstractmethods__", "__subclasses__"}
                       # `bool.__new__(x)`, on Python's value types only (the gate:
                       # runtime/classes.view_new, branch lang22)
                       | {"__new__"})
# ... and the special methods of Python's own values that a program may call by name (each
# what an operator or builtin calls: `x.__repr__()`, `(3).__add__(4)`; the gate offers them on
# Python's value types only, after the operator's check: runtime/specialmethods.py)
PYTHON_SPECIAL_METHODS = frozenset("""__repr__ __str__ __format__ __round__ __len__ __bool__
    __hash__ __iter__ __next__ __reversed__ __neg__ __pos__ __abs__ __invert__ __float__
    __int__ __index__ __trunc__ __floor__ __ceil__ __eq__ __ne__ __lt__ __le__ __gt__ __ge__
    __getitem__ __setitem__ __delitem__ __contains__ __add__ __radd__ __sub__ __rsub__ __mul__
    __rmul__ __truediv__ __rtruediv__ __floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__
    __rpow__ __divmod__ __rdivmod__ __lshift__ __rlshift__ __rshift__ __rrshift__ __and__
    __rand__ __or__ __ror__ __xor__ __rxor__""".split())
READABLE_ATTRIBUTES |= PYTHON_SPECIAL_METHODS
# read only: refused before the program runs
STORE_REFUSED = CLASS_TUPLES | TYPING_DATA | {"__class__", "__dict__", "__version__", "__traceback__", "__new__",
                                              "__slots__", "__annotations__", "__members__",
                                              "__abstractmethods__", "__subclasses__"}
# PyTorch's documented names that start with '_' (a tensor's version counter and the base a view
# shares memory with, the values an autograd node saved, a named tuple's field names): readable, on those objects only (the
# attribute gate decides the type)
DOCUMENTED_PRIVATE = re.compile(r"_version|_base|_is_view|_fields|_saved_[a-z0-9_]+|_raw_saved_[a-z0-9_]+"
                                r"|_nnz|_indices|_values")  # (the last three: sparse tensors')

_CHECKED_BINOPS = {"+": ADD, "*": MUL, "**": POW, "%": MOD, "<<": LSHIFT, "|": OR, "&": AND,
                   "^": XOR}
_PLAIN_BINOPS = {"-": ast.Sub, "/": ast.Div, "//": ast.FloorDiv, "@": ast.MatMult,
                 "^": ast.BitXor, ">>": ast.RShift}
_CHECKED_AUG = {"+=": IADD, "*=": IMUL, "**=": IPOW, "%=": IMOD, "<<=": ILSHIFT, "|=": IOR,
                "&=": IAND, "^=": IXOR}
_PLAIN_AUG = {op + "=": cls for op, cls in _PLAIN_BINOPS.items()}
_UNARY = {"-": ast.USub, "+": ast.UAdd, "~": ast.Invert}
_COMPARE = {"<": ast.Lt, ">": ast.Gt, "==": ast.Eq, ">=": ast.GtE, "<=": ast.LtE,
            "!=": ast.NotEq, "in": ast.In, "not in": ast.NotIn, "is": ast.Is,
            "is not": ast.IsNot}
# The modules a program may import: torch and the registry in lang/importable.py (the compiler
# refuses others before anything runs).
IMPORTABLE = ("torch",) + tuple(MODULES)
_IMPORT_HELP = ("only torch (and its submodules, e.g. torch.nn.functional), %s and %s can be "
                "imported" % (", ".join(IMPORTABLE[1:-1]), IMPORTABLE[-1]))
# `from __future__ import ...`: Python's features, each already gradsh's behaviour (annotations
# are never evaluated) or Python 3's
_FUTURE_FEATURES = frozenset(("annotations", "absolute_import", "division", "generators",
                              "generator_stop", "nested_scopes", "print_function",
                              "unicode_literals", "with_statement"))
_HAS_TYPE_PARAMS = "type_params" in ast.FunctionDef._fields
_NAME = re.compile("[A-Za-z_][A-Za-z0-9_]*")  # as the grammar's NAME


class CompileError(Exception):
    """A problem found while parsing or compiling; the parser adds the file and source line."""

    def __init__(self, message, line=None, col=None, end_line=None, end_col=None,
                 kind="SyntaxError", hint=None, incomplete=False):
        super().__init__(message)
        self.message = message
        self.line, self.col = line, col  # 1-based
        self.end_line, self.end_col = end_line, end_col
        self.kind = kind
        self.hint = hint
        self.incomplete = incomplete


# ---------------------------------------------------------------- positions
# Tokens carry their position under the names ast nodes use (see lexer.Token), so a node takes
# its position from a token or from another node alike.

def _at(node, first, last=None):
    if last is None:
        last = first
    node.lineno = first.lineno
    node.col_offset = first.col_offset
    node.end_lineno = last.end_lineno
    node.end_col_offset = last.end_col_offset
    return node


_like = _at


def _check_future_imports(body):
    """Python's rule: `from __future__` imports come first in the file (after its docstring)."""
    start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(
        body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else 0
    while start < len(body) and getattr(body[start], "gradsh_future", False):
        start += 1
    for statement in body[start:]:
        for node in ast.walk(statement):
            if getattr(node, "gradsh_future", False):
                raise error_at("from __future__ imports must occur at the beginning of the file",
                               node)


def error_at(message, first, last=None, kind="SyntaxError", hint=None):
    if last is None:
        last = first
    return CompileError(message, first.lineno, first.col_offset + 1, last.end_lineno,
                        last.end_col_offset + 1, kind, hint)


# Context and operator nodes carry no position: one instance of each serves every use, as in
# Python's own parser.
_LOAD, _STORE, _DEL = ast.Load(), ast.Store(), ast.Del()
_new = ast.AST.__new__



def _annotated(stmt):
    """A class body's `name: T` or `name: T = v` as Python compiles it (an AnnAssign, which
    records the annotation in the class's `__annotations__`)."""
    found = getattr(stmt, "gradsh_annotation", None)
    if found is None:
        return stmt
    name, annotation, value = found
    if value is not None:
        value = getattr(stmt, "value", None)
        if value is None:  # not a plain assignment: the annotation is dropped
            return stmt
    target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), stmt)
    return ast.copy_location(ast.AnnAssign(target=target, annotation=annotation, value=value,
                                           simple=1), stmt)

def _located(cls, fields, first, last):
    """A `cls` node with `fields` (all of them), spanning `first` to `last`.

    An ast node keeps its fields in its __dict__; handing it a finished dict costs half as much
    as the constructor and four position attributes (most of the nodes of a program are built
    here)."""
    fields["lineno"] = first.lineno
    fields["col_offset"] = first.col_offset
    fields["end_lineno"] = last.end_lineno
    fields["end_col_offset"] = last.end_col_offset
    node = _new(cls)
    node.__dict__ = fields
    return node


def _depth(a, b, first, last):
    """The nesting depth of an expression with children `a` and `b` (see _nest)."""
    d = getattr(a, "_gd", 0)
    e = getattr(b, "_gd", 0)
    if e > d:
        d = e
    if d >= MAX_NESTING:
        raise error_at("expression too deeply nested (more than %d levels)" % MAX_NESTING,
                       first, last)
    return d + 1


def _nest(node, *kids):
    """Record an expression's nesting depth; refuse programs nested deeper than Python compiles."""
    depth = 0
    for kid in kids:
        d = getattr(kid, "_gd", 0)
        if d > depth:
            depth = d
    node._gd = depth + 1
    if depth >= MAX_NESTING:
        raise error_at("expression too deeply nested (more than %d levels)" % MAX_NESTING, node)
    return node


def _call_helper(name, args, first, last=None):
    if last is None:
        last = first
    func = _located(ast.Name, {"id": name, "ctx": _LOAD}, first, last)
    call = _located(ast.Call, {"func": func, "args": list(args), "keywords": []}, first, last)
    return _nest(call, *args)


def _call_helper2(name, a, b, first, last):
    """_call_helper with two arguments (operators, attribute reads): the most frequent call."""
    func = _located(ast.Name, {"id": name, "ctx": _LOAD}, first, last)
    depth = _depth(a, b, first, last)
    return _located(ast.Call, {"func": func, "args": [a, b], "keywords": [], "_gd": depth},
                    first, last)


def _const(value, like):
    node = _new(ast.Constant)
    node.__dict__ = {"value": value, "kind": None, "lineno": like.lineno,
                     "col_offset": like.col_offset, "end_lineno": like.end_lineno,
                     "end_col_offset": like.end_col_offset, "_gd": 1}
    return node


def _passes_child(method):
    """Mark a method whose result is its one argument: the parser skips calling it."""
    method.passes_child = True
    return method


class _AttrTarget:
    """`obj.name` on the left of `=`: compiled to a gate call, not a Python store."""

    def __init__(self, obj, name, node):
        self.obj, self.name, self.node = obj, name, node


def _describe(node):
    if getattr(node, "_comp", False):
        return "a comprehension"
    if getattr(node, "_operator", False):
        return "an expression"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == LAMBDA:
        return "a lambda"
    if isinstance(node, ast.Call):
        return "a function call"
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return "a literal"
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.BoolOp)):
        return "an expression"
    if isinstance(node, ast.Compare):
        return "a comparison"
    if isinstance(node, ast.Lambda):
        return "a lambda"
    if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.DictComp)):
        return "a comprehension"
    if isinstance(node, ast.Dict):
        return "a dict display"
    if isinstance(node, ast.IfExp):
        return "a conditional expression"
    return "this expression"


# ---------------------------------------------------------------- the transformer

_CHAIN_NAMES = iter(range(1, 1 << 62))


def _checked_chain(native, ops):
    """`a < b < c` as single checked comparisons joined by `and`, each middle operand evaluated
    once into a hidden name; `native` (Python's chain) is kept for where `:=` is refused."""
    values = [native.left] + list(native.comparators)
    links = []
    left = values[0]
    for i, op in enumerate(ops):
        right = values[i + 1]
        later = right
        if i + 1 < len(ops):
            name = ".c%d" % next(_CHAIN_NAMES)
            target = _located(ast.Name, {"id": name, "ctx": _STORE}, right, right)
            right = _located(ast.NamedExpr, {"target": target, "value": right}, right, right)
            later = _located(ast.Name, {"id": name, "ctx": _LOAD}, right, right)
        if op in COMPARE_HELPERS:
            link = _call_helper2(COMPARE_HELPERS[op], left, right, left, right)
        else:
            link = _located(ast.Compare, {"left": left, "ops": [_COMPARE[op]()],
                                          "comparators": [right]}, left, right)
        links.append(link)
        left = later
    node = _nest(_located(ast.BoolOp, {"op": ast.And(), "values": links}, native, native),
                 *links)
    node._native = native
    return node


_SYMBOLS = {cls: symbol for symbol, cls in _COMPARE.items()}
_NO_ARGUMENTS = dict(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                     kwarg=None, defaults=[])
_SUSPENDING = (ast.Yield, ast.YieldFrom, ast.Await)


def _lazy_chain(native):
    """`a < b < c` where `:=` is refused: `.chain(('<', '<'), a, b, lambda: c)`, each link a
    checked comparison, each operand after the second a lambda called when its link is reached
    (Python's short circuit). A later operand that yields stays in Python's chain."""
    later = native.comparators[1:]
    if any(isinstance(n, _SUSPENDING) for c in later for n in ast.walk(c)):
        return native
    symbols = _const(tuple(_SYMBOLS[type(op)] for op in native.ops), native)
    thunks = [_located(ast.Lambda, {"args": ast.arguments(**_NO_ARGUMENTS), "body": c}, c, c)
              for c in later]
    node = _call_helper(CHAIN, [symbols, native.left, native.comparators[0], *thunks], native)
    node._native = native
    return node


class _Unchain(ast.NodeTransformer):
    """Checked chains where Python refuses their `:=`: lazy (`.chain`), or Python's own
    (`native`) where even a lambda would not see the names (a class's scope)."""

    def __init__(self, native=False):
        self.native = native

    def visit_BoolOp(self, node):
        native = getattr(node, "_native", None)
        if native is None:
            return self.generic_visit(node)
        native = self.visit(native)
        return native if self.native else _lazy_chain(native)

    def visit_Call(self, node):
        native = getattr(node, "_native", None)
        if native is not None and self.native:
            return self.visit(native)
        return self.generic_visit(node)


class _ClassComprehensions(ast.NodeVisitor):
    """Unchain the comprehensions directly in a class body (not inside its functions): lazily,
    but the first iterable (run in the class's scope) as Python's chain."""

    def visit_FunctionDef(self, node):
        pass

    visit_Lambda = visit_ClassDef = visit_FunctionDef

    def visit_GeneratorExp(self, node):
        _Unchain().visit(node)
        first = node.generators[0]
        first.iter = _Unchain(native=True).visit(first.iter)


def _unchain_iterables(clauses):
    for clause in clauses:
        clause.iter = _Unchain().visit(clause.iter)


def _only_slots_assignment(stmt):
    """A class body sets `__slots__` only by `__slots__ = names` (read through `.slots`): any
    other binding (a walrus, a loop or `with` target, a match capture, a def) would hand
    Python names that were never checked."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            bound = node.id if not isinstance(node.ctx, ast.Load) \
                and not getattr(node, "_slots", False) else None
        else:
            bound = getattr(node, "name", None) or getattr(node, "rest", None) \
                or getattr(node, "asname", None)
        if bound == "__slots__":
            raise error_at("__slots__ is set by `__slots__ = names` in a class body in gradsh",
                           node if hasattr(node, "lineno") else stmt)


class _AnnotatedName(Token):
    """A parameter's name token carrying its annotation (an expression)."""

    __slots__ = ("annotation",)

    def __init__(self, name, annotation):
        super().__init__(name.type, name.value, name.lineno, name.col_offset, name.end_lineno,
                         name.end_col_offset)
        self.annotation = annotation


def _drop_function_annotations(module):
    """Under `from __future__ import annotations` Python keeps a function's annotations as
    strings, unevaluated (forward references are fine): gradsh leaves them out
    (f.__annotations__ is empty there; docs/language.md)."""
    for node in ast.walk(module):
        if isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.returns = None


class Compiler:
    """One method per grammar alias, each returning Python AST located in the source."""

    # ------------------------------------------------------------ program structure
    def file_input(self, *items):
        body = _flatten(items)
        _check_future_imports(body)
        module = ast.Module(body=body, type_ignores=[])
        if any("annotations" in getattr(stmt, "gradsh_future", ()) for stmt in body):
            _drop_function_annotations(module)
        return module

    @_passes_child
    def fexpr(self, expr):
        return expr

    def simple_stmt(self, *stmts):
        if len(stmts) == 1 and not isinstance(stmts[0], list):
            return list(stmts)
        return _flatten(stmts)

    def suite(self, *items):
        return _flatten(items)

    # ------------------------------------------------------------ simple statements
    def expr_stmt(self, value):
        _no_bare_walrus(value)
        return _located(ast.Expr, {"value": value}, value, value)

    def yield_stmt(self, value):
        return _located(ast.Expr, {"value": value}, value, value)

    def annassign_stmt(self, target, annotation, value=None):
        """`x: float = 1.0` is `x = 1.0`; a bare `x: float` does nothing. Annotations are
        accepted and ignored, except those of names in a class body, which Python records in
        the class's `__annotations__` (what `@dataclass` reads): the statement carries its
        annotation for `classdef`."""
        if value is None:
            store = self._store(target)
            if isinstance(store, _AttrTarget) or not isinstance(store, (ast.Name, ast.Subscript)):
                raise error_at("only single target (not tuple) can be annotated", target)
            node = _located(ast.Pass, {}, target, annotation)
        else:
            if isinstance(target, ast.Tuple):
                raise error_at("only single target (not tuple) can be annotated", target)
            node = self.assign_stmt(target, value)
        if isinstance(target, ast.Name):
            node.gradsh_annotation = (target.id, annotation, value)
        return node

    def raise_stmt(self, kw, exc, cause):
        last = cause if cause is not None else (exc if exc is not None else kw)
        if exc is not None:
            exc = _call_helper(RAISE, [exc], kw, exc)
        return _located(ast.Raise, {"exc": exc, "cause": cause}, kw, last)

    def global_stmt(self, kw, *names):
        return _at(ast.Global(names=[self._check_name(n.value, n) for n in names]), kw, names[-1])

    def nonlocal_stmt(self, kw, *names):
        return _at(ast.Nonlocal(names=[self._check_name(n.value, n) for n in names]), kw,
                   names[-1])

    def assign_stmt(self, *parts):
        if len(parts) == 2 and isinstance(parts[0], ast.Name):  # `x = ...`: most statements
            target, value = parts
            if value.__class__ is ast.NamedExpr:
                _no_bare_walrus(value)
            store = _located(ast.Name, {"id": target.id, "ctx": _STORE}, target, target)
            return _located(ast.Assign, {"targets": [store], "value": value, "type_comment": None},
                            target, value)
        *targets, value = parts
        _no_bare_walrus(value)
        stores = [self._store(t) for t in targets]
        first, last = targets[0], value
        if not any(_has_attr_target(s) for s in stores):
            return _located(ast.Assign, {"targets": stores, "value": value, "type_comment": None},
                            first, last)
        if len(stores) == 1 and isinstance(stores[0], _AttrTarget):
            return self._set_attr(stores[0], value, first, last)
        return self._assign_via_temps(stores, value, first, last)

    def _set_attr(self, target, value, first, last):
        call = _call_helper(SA, [target.obj, _const(target.name, target.node), value], first, last)
        return _at(ast.Expr(value=call), first, last)

    def _assign_via_temps(self, stores, value, first, last):
        """Chained or tuple targets with attributes: unpack into temporaries, then set each."""
        temps = [".v"]
        out = [_at(ast.Assign(targets=[_at(ast.Name(id=".v", ctx=_STORE), first, last)],
                              value=value, type_comment=None), first, last)]
        for store in stores:
            out += self._assign_from(store, ".v", temps, first, last)
        out.append(_at(ast.Delete(targets=[_at(ast.Name(id=t, ctx=_DEL), first, last)
                                           for t in temps]), first, last))
        return out

    def _assign_from(self, store, source, temps, first, last):
        src = _at(ast.Name(id=source, ctx=_LOAD), first, last)
        if isinstance(store, _AttrTarget):
            return [self._set_attr(store, src, first, last)]
        later = []

        def replace(t):
            if isinstance(t, _AttrTarget):
                name = ".a%d" % len(temps)
                temps.append(name)
                later.extend(self._assign_from(t, name, temps, first, last))
                return _like(ast.Name(id=name, ctx=_STORE), t.node)
            if isinstance(t, (ast.Tuple, ast.List)):
                t.elts = [replace(e) for e in t.elts]
            elif isinstance(t, ast.Starred):
                t.value = replace(t.value)
            return t

        store = replace(store)
        return [_at(ast.Assign(targets=[store], value=src, type_comment=None), first, last)] + later

    def augassign_stmt(self, target, op, value):
        opname = op.value
        store = self._store(target, what="augmented assignment")
        if isinstance(store, ast.Name):
            if opname in _CHECKED_AUG:
                load = _located(ast.Name, {"id": store.id, "ctx": _LOAD}, store, store)
                call = _call_helper2(_CHECKED_AUG[opname], load, value, target, value)
                return _located(ast.Assign, {"targets": [store], "value": call,
                                             "type_comment": None}, target, value)
            return _located(ast.AugAssign, {"target": store, "op": _PLAIN_AUG[opname](),
                                            "value": value}, target, value)
        if isinstance(store, _AttrTarget):
            args = [store.obj, _const(store.name, store.node), _const(opname, op), value]
            call = _call_helper(AUG_ATTR, args, target, value)
            return _located(ast.Expr, {"value": call}, target, value)
        if isinstance(store, ast.Subscript):
            args = [store.value, store.slice, _const(opname, op), value]
            call = _call_helper(AUG_ITEM, args, target, value)
            return _located(ast.Expr, {"value": call}, target, value)
        raise error_at("'%s' cannot be the target of an augmented assignment" % _describe(target),
                       target)

    def pass_stmt(self, kw):
        return _located(ast.Pass, {}, kw, kw)

    def break_stmt(self, kw):
        return _located(ast.Break, {}, kw, kw)

    def continue_stmt(self, kw):
        return _located(ast.Continue, {}, kw, kw)

    def return_stmt(self, kw, value):
        return _located(ast.Return, {"value": value}, kw, value if value is not None else kw)

    def del_stmt(self, kw, targets):
        items = targets.elts if isinstance(targets, ast.Tuple) and not hasattr(targets, "_paren") \
            else [targets]
        dels = [self._delete_target(t) for t in items]
        return _at(ast.Delete(targets=dels), kw, targets)

    def _delete_target(self, t):
        if isinstance(t, ast.Name):
            return _like(ast.Name(id=t.id, ctx=_DEL), t)
        if isinstance(t, ast.Subscript):
            return _like(ast.Subscript(value=t.value, slice=t.slice, ctx=_DEL), t)
        if getattr(t, "_gattr", None):
            obj, name = t.args
            # (`del cls.__repr__`: a special method a class decorator set; the gate decides)
            if name.value in STORE_REFUSED or (name.value.startswith("__")
                                               and name.value not in ALLOWED_DUNDERS):
                raise error_at("'%s' is not accessible: gradsh never gives access to names "
                               "starting with '_'" % name.value, name, kind="AttributeError")
            deleter = _call_helper(DA, [obj], t)
            return _like(ast.Subscript(value=deleter, slice=_const(name.value, name), ctx=_DEL), t)
        if isinstance(t, (ast.Tuple, ast.List)):
            node = type(t)(elts=[self._delete_target(e) for e in t.elts], ctx=_DEL)
            return _like(node, t)
        raise error_at("cannot delete %s" % _describe(t), t)

    def assert_stmt(self, kw, test, msg):
        return _at(ast.Assert(test=test, msg=msg), kw, msg if msg is not None else test)

    # ------------------------------------------------------------ imports
    def dotted_name(self, *names):
        return list(names)

    def dotted_as_name(self, dotted, alias):
        return dotted, alias

    def import_as_name(self, name, alias):
        return name, alias

    @_passes_child
    def import_star(self, star):
        return star

    def import_stmt(self, kw, *names):
        out = []
        for dotted, alias in names:
            path = self._module_path(dotted)
            last = alias if alias is not None else dotted[-1]
            if alias is not None:
                bound, value = alias.value, _call_helper(IMPORT, [_const(path, dotted[0])],
                                                         dotted[0], dotted[-1])
            else:
                # `import torch.nn.functional` binds `torch`, as in Python
                bound = dotted[0].value
                args = [_const(dotted[0].value, dotted[0]), _const(path, dotted[0])]
                value = _call_helper(IMPORT, args, dotted[0], dotted[-1])
            target = _at(ast.Name(id=self._check_name(bound, last), ctx=_STORE), last)
            out.append(_at(ast.Assign(targets=[target], value=value, type_comment=None), kw, last))
        return out

    def from_import_stmt(self, kw, dotted, *targets):
        if [t.value for t in dotted] == ["__future__"]:
            return self._future_import(kw, targets)
        path = self._module_path(dotted)
        if len(targets) == 1 and isinstance(targets[0], Token):
            raise error_at("'from %s import *' is not supported: the torch names are already "
                           "available without a prefix" % path, kw, targets[0])
        out = []
        for name, alias in targets:
            last = alias if alias is not None else name
            bound = self._check_name((alias or name).value, last)
            if name.value.startswith("_") and not (
                    name.value in PRIVATE_BASES and path.startswith("torch.")
                    or name.value in PRIVATE_FUNCTIONS.get(path, ())):
                raise error_at("cannot import %r: names starting with '_' are private" % name.value,
                               name, kind="ImportError")
            value = _call_helper(IMPORT_FROM, [_const(path, dotted[0]), _const(name.value, name)],
                                 name, last)
            target = _at(ast.Name(id=bound, ctx=_STORE), last)
            out.append(_at(ast.Assign(targets=[target], value=value, type_comment=None), kw, last))
        return out

    def _future_import(self, kw, targets):
        """`from __future__ import annotations` (modern code's first line): the functions'
        annotations are not evaluated (file_input; Python keeps them as strings); Python's
        other features are its behaviour already.
        A feature Python does not know is its SyntaxError; file_input checks the place."""
        if len(targets) == 1 and isinstance(targets[0], Token):
            raise error_at("future feature * is not defined", targets[0], targets[0])
        for name, _alias in targets:
            if name.value not in _FUTURE_FEATURES:
                raise error_at("future feature %s is not defined" % name.value, name, name)
        last = targets[-1][1] or targets[-1][0]
        marker = _at(ast.Pass(), kw, last)
        marker.gradsh_future = frozenset(name.value for name, _alias in targets)
        return [marker]

    def _module_path(self, dotted):
        path = ".".join(t.value for t in dotted)
        root = dotted[0].value
        if root not in IMPORTABLE or (root != "torch" and len(dotted) > 1
                                      and path not in SUBMODULES) \
                or any(t.value.startswith("_") for t in dotted):
            raise error_at("cannot import %r: %s" % (path, _IMPORT_HELP), dotted[0], dotted[-1],
                           kind="ImportError")
        return path

    # ------------------------------------------------------------ compound statements
    # A block statement is located at its test or iterable, not at its keyword: Python puts the
    # statement's position on the jump that calls bool() (or on the loop's iter()), so a
    # runtime error there ("Boolean value of Tensor ... is ambiguous") points at the expression.
    def if_stmt(self, kw, test, body, elifs, orelse):
        tail = orelse or []
        for ekw, etest, ebody in reversed(elifs):
            tail = [_located(ast.If, {"test": etest, "body": ebody, "orelse": tail}, etest, etest)]
        return _located(ast.If, {"test": test, "body": body, "orelse": tail}, test, test)

    def elifs(self, *clauses):
        return list(clauses)

    def elif_clause(self, kw, test, body):
        return kw, test, body

    @_passes_child
    def else_clause(self, body):
        return body

    def while_stmt(self, kw, test, body, orelse):
        return _located(ast.While, {"test": test, "body": body, "orelse": orelse or []}, test,
                        test)

    def for_stmt(self, kw, target, iterable, body, orelse):
        store = self._store(target, what="for loop")
        return _located(ast.For, {"target": store, "iter": iterable, "body": body,
                                  "orelse": orelse or [], "type_comment": None}, iterable,
                        iterable)

    # `try`: every except block starts with `.guard()` and every finally block with `.fin()`,
    # and loops inside them call `.tick()` (see the runtime's helpers): a program cannot catch
    # gradsh's limits, nor keep running in a finally block after one fired.
    def try_except(self, kw, body, *rest):
        *handlers, orelse, finalbody = rest
        for i, handler in enumerate(handlers[:-1]):
            if handler.type is None:
                raise error_at("default 'except:' must be last", handler)
        return _at(ast.Try(body=_retyping(body, kw), handlers=list(handlers),
                           orelse=orelse or [],
                           finalbody=self._finally(finalbody) if finalbody else []), kw, kw)

    def try_finally(self, kw, body, finalbody):
        return _at(ast.Try(body=body, handlers=[], orelse=[],
                           finalbody=self._finally(finalbody)), kw, kw)

    def except_clause(self, kw, test, name, body):
        guard = _located(ast.Expr, {"value": _call_helper(GUARD, [], kw)}, kw, kw)
        _ticking(body)
        if name is not None:
            self._check_name(name.value, name)
        return _at(ast.ExceptHandler(type=test, name=None if name is None else name.value,
                                     body=[guard] + body), kw, test if test is not None else kw)

    def finally_clause(self, kw, body):
        return kw, body

    def _finally(self, clause):
        kw, body = clause
        _ticking(body)
        return [_located(ast.Expr, {"value": _call_helper(FIN, [], kw)}, kw, kw)] + body

    def with_stmt(self, kw, items, body):
        return _located(ast.With, {"items": items, "body": body, "type_comment": None}, kw,
                        items[-1].context_expr)

    def with_paren(self, kw, lpar, *rest):
        # `with (A() as a, B() as b):` (Python 3.10): the items in brackets, the first with
        # its `as` (`with (a, b):` stays a tuple, as the grammar reads it)
        *items, rpar, body = [r for r in rest if r is not None]
        return self.with_stmt(kw, items, body)

    def with_items(self, *items):
        return list(items)

    def with_item(self, expr, target):
        store = None if target is None else self._store(target, what="with ... as")
        return ast.withitem(context_expr=expr, optional_vars=store)

    def funcdef(self, kw, name, params, returns, body):
        # a class's special methods (`def __init__`) are the only names with '__' a program
        # writes; defining one outside a class makes an ordinary function
        if name.value not in ALLOWED_DUNDERS:
            self._check_name(name.value, name, what="a method name")
        generator = _is_generator(body)
        # a generator's frame outlives its calls: it is not counted as a nested call
        node = ast.FunctionDef(name=name.value, args=self._arguments(params, name),
                               body=body if generator else _counted(body, name),
                               decorator_list=[], returns=returns, type_comment=None)
        if _HAS_TYPE_PARAMS:
            node.type_params = []
        return _at(node, kw, body[-1])

    def classdef(self, kw, name, lpar, arguments, rpar, body):
        self._check_name(name.value, name)
        bases, keywords = [], []
        for arg in arguments or []:
            if arg.__class__ is tuple and arg[0] == "kw" and arg[2].id != "metaclass":
                # `class MLP(Model, name="mlp")`: the keywords go to __init_subclass__
                if any(k.arg == arg[2].id for k in keywords):
                    raise error_at("keyword argument repeated: %s" % arg[2].id, arg[2])
                keywords.append(_located(ast.keyword, {"arg": arg[2].id, "value": arg[1]},
                                         arg[2], arg[1]))
                continue
            if arg.__class__ is tuple:
                what = {"kw": "a metaclass (metaclass=...) in a class statement is",
                        "dstar": "unpacked keywords (**) in a class statement are"}.get(
                            arg[0], "unpacked bases in a class statement are")
                raise error_at("%s not supported in gradsh" % what,
                               arg[1], hint="name the base classes: class Net(torch.nn.Module):")
            if keywords:
                raise error_at("positional argument follows keyword argument", arg)
            bases.append(arg)
        body = [self._slots(_annotated(stmt)) for stmt in body]
        for stmt in body:
            for target in getattr(stmt, "targets", [getattr(stmt, "target", None)]):
                for n in ast.walk(target) if target is not None else ():
                    if isinstance(n, ast.Name) and n.id.startswith("__") and \
                            n.id not in ALLOWED_DUNDERS and not getattr(n, "_slots", False):
                        raise error_at("names starting with '__' are reserved in gradsh", n)
        for stmt in body:
            _only_slots_assignment(stmt)
        for stmt in body:
            _ClassComprehensions().visit(stmt)
        node = ast.ClassDef(name=name.value, bases=bases, keywords=keywords, body=body,
                            decorator_list=[])
        if _HAS_TYPE_PARAMS:
            node.type_params = []
        return _at(node, kw, body[-1])

    @staticmethod
    def _slots(stmt):
        """`__slots__ = names` in a class body, its names read through `.slots` (the only
        assignment of `__slots__`: no augmented or annotated form)."""
        targets = getattr(stmt, "targets", None)
        if isinstance(stmt, ast.Assign) and len(targets) == 1 and isinstance(
                targets[0], ast.Name) and targets[0].id == "__slots__":
            targets[0]._slots = True
            stmt.value = _call_helper(SLOTS, [stmt.value], stmt.value)
        return stmt

    # ------------------------------------------------------------ try/except*
    def try_star(self, kw, body, *rest):
        *handlers, orelse, finalbody = rest
        return _at(ast.TryStar(body=_retyping(body, kw), handlers=list(handlers),
                               orelse=orelse or [],
                               finalbody=self._finally(finalbody) if finalbody else []), kw, kw)

    def except_star_clause(self, kw, star, test, name, body):
        handler = self.except_clause(kw, test, name, body)
        for node in _walk_statements(body):
            if isinstance(node, (ast.Break, ast.Continue, ast.Return)):
                raise error_at("'break', 'continue' and 'return' cannot appear in an except* "
                               "block", node)
        return handler

    # ------------------------------------------------------------ match/case
    def match_stmt(self, kw, subject, *cases):
        """`match subject:` becomes `.mN = subject` and one `if` per case: the pattern's test
        binds what it captures to hidden names, which are assigned to the program's names once
        the whole pattern matched (as Python does), then the guard. The ifs follow one another
        (an elif chain would nest as deep as there are cases): a case that ran sets `.dN`,
        which the next ones test first."""
        number = self._matches = getattr(self, "_matches", 0) + 1
        hidden, done = ".m%d" % number, ".d%d" % number
        for i, (case_kw, pattern, guard, body) in enumerate(cases[:-1]):
            if guard is None and pattern.irrefutable():
                raise error_at(pattern.unreachable(), pattern.first, pattern.last)
        out = [_assign(hidden, subject, kw, subject)]
        if len(cases) > 1:
            out.append(_assign(done, _const(False, kw), kw, kw))
        for i, (case_kw, pattern, guard, body) in enumerate(cases):
            test = _MatchTest(number, case_kw).case(pattern, guard, hidden)
            if i:
                skip = _located(ast.UnaryOp, {"op": ast.Not(), "operand": _located(
                    ast.Name, {"id": done, "ctx": _LOAD}, case_kw, case_kw)}, case_kw, case_kw)
                test = _located(ast.BoolOp, {"op": ast.And(), "values": [skip, test]}, case_kw,
                                case_kw)
            if i < len(cases) - 1:
                body = [_assign(done, _const(True, case_kw), case_kw, case_kw)] + body
            out.append(_located(ast.If, {"test": test, "body": body, "orelse": []}, case_kw,
                                case_kw))
        return out

    def case_block(self, kw, pattern, if_kw, guard, body):
        return kw, pattern, guard, body

    def pattern_open(self, items):
        return _Pattern("sequence", items[0].first, items[-1].last, items=items)

    def pattern_as(self, pattern, name):
        if name.value == "_":
            raise error_at("cannot use '_' as a target", name)
        self._check_name(name.value, name)
        return _Pattern("as", pattern.first, name, pattern=pattern, name=name.value)

    def pattern_or(self, *items):
        patterns = [p for p in items if isinstance(p, _Pattern)]
        for p in patterns[:-1]:
            if p.irrefutable():
                raise error_at(p.unreachable(), p.first, p.last)
        names = set(patterns[0].names())
        for p in patterns[1:]:
            if set(p.names()) != names:
                raise error_at("alternative patterns bind different names", patterns[0].first,
                               patterns[-1].last)
        return _Pattern("or", patterns[0].first, patterns[-1].last, items=patterns)

    def name_or_attr(self, *names):
        return list(names)

    def pattern_name(self, names):
        if len(names) == 1:
            name = names[0]
            if name.value == "_":
                return _Pattern("wildcard", name, name)
            self._check_name(name.value, name)
            return _Pattern("capture", name, name, name=name.value)
        return _Pattern("value", names[0], names[-1], value=self._dotted(names))

    def _dotted(self, names):
        value = self.name(names[0])
        for name in names[1:]:
            value = self.getattr(value, name)
        return value

    def pattern_class(self, names, lpar, arguments, rpar):
        positional, keywords, seen = [], [], set()
        for kind, item in arguments or []:
            if kind == "keyword":
                name, pattern = item
                if name.value in seen:
                    raise error_at("attribute name repeated in class pattern: %s" % name.value,
                                   name)
                self.getattr(_const(None, name), name)  # the names code may read, no other
                seen.add(name.value)
                keywords.append((name.value, pattern))
            elif keywords:
                raise error_at("positional patterns follow keyword patterns", item.first,
                               item.last)
            else:
                positional.append(item)
        return _Pattern("class", names[0], rpar, cls=self._dotted(names), positional=positional,
                        keywords=keywords)

    def pattern_arguments(self, *items):
        return list(items)

    def pattern_positional(self, pattern):
        return "positional", pattern

    def pattern_keyword(self, name, pattern):
        return "keyword", (name, pattern)

    def pattern_group(self, lpar, pattern, rpar):
        return pattern

    def pattern_sequence(self, open_, items, close):
        items = items or []
        stars = [p for p in items if p.kind == "star"]
        if len(stars) > 1:
            raise error_at("multiple starred names in sequence pattern", open_, close)
        return _Pattern("sequence", open_, close, items=items)

    def pattern_tuple_items(self, *items):
        return list(items)

    pattern_list_items = pattern_tuple_items

    def star_pattern(self, star, name):
        if name.value != "_":
            self._check_name(name.value, name)
        return _Pattern("star", star, name, name=None if name.value == "_" else name.value)

    def pattern_mapping(self, lbrace, items, rbrace):
        items = items or []
        rest = None
        keys, seen = [], set()
        for i, item in enumerate(items):
            if item[0] == "rest":
                if i != len(items) - 1:
                    raise error_at("invalid syntax", item[1])
                if item[1].value == "_":
                    raise error_at("invalid syntax", item[1])
                self._check_name(item[1].value, item[1])
                rest = item[1].value
                continue
            key = item[1]
            if isinstance(key, _Pattern):  # a literal
                key = key.value
                if isinstance(key, ast.Constant):
                    if key.value in seen:
                        raise error_at("mapping pattern checks duplicate key (%r)" % key.value,
                                       lbrace, rbrace)
                    seen.add(key.value)
            elif isinstance(key, list):  # a name or dotted name
                if len(key) == 1:
                    raise error_at("mapping pattern keys may only match literals and attribute "
                                   "lookups", key[0])
                key = self._dotted(key)
            keys.append((key, item[2]))
        return _Pattern("mapping", lbrace, rbrace, keys=keys, rest=rest)

    def pattern_mapping_items(self, *items):
        return list(items)

    def pattern_key(self, key, pattern):
        return "key", key, pattern

    def pattern_rest(self, dstar, name):
        return "rest", name

    def pattern_number(self, *tokens):
        number = self.number(tokens[-1])
        if len(tokens) == 2:
            number = _const(-number.value, tokens[0])
            number.end_col_offset = tokens[-1].end_col_offset
        return _Pattern("literal", tokens[0], tokens[-1], value=number)

    def pattern_complex(self, *tokens):
        real, op, imag = tokens[-3:]
        real_value = self.number(real).value
        if len(tokens) == 4:
            real_value = -real_value
        imag_value = self.number(imag).value
        if not isinstance(imag_value, complex) or isinstance(real_value, complex):
            raise error_at("imaginary number required in complex literal" if not isinstance(
                imag_value, complex) else "real number required in complex literal",
                imag if not isinstance(imag_value, complex) else real)
        value = real_value + imag_value if op.value == "+" else real_value - imag_value
        return _Pattern("literal", tokens[0], tokens[-1], value=_const(value, tokens[0]))

    def pattern_strings(self, *tokens):
        value = self.strings(*tokens)
        if not isinstance(value, ast.Constant):
            raise error_at("patterns may only match literals and attribute lookups", tokens[0],
                           tokens[-1])
        return _Pattern("literal", tokens[0], tokens[-1], value=value)

    def pattern_const(self, tok):
        return _Pattern("identity", tok, tok, value=self.const(tok))

    def decorated(self, *items):
        *decorators, definition = items
        definition.decorator_list = list(decorators)
        return definition

    def decorator(self, at, expr):
        return expr

    def tname(self, name, annotation):
        # a parameter's annotation, evaluated when the def runs as in Python (branch lang20:
        # `f.__annotations__`, singledispatch's `register` on an annotated function)
        return _AnnotatedName(name, annotation)

    # ------------------------------------------------------------ parameters
    def params(self, *params):
        return list(params)

    def param_plain(self, name):
        return "plain", name, None

    def param_default(self, name, default):
        return "default", name, default

    def param_star(self, star, name):
        return "star", name, None

    def param_bare_star(self, star):
        return "bare_star", star, None

    def param_dstar(self, dstar, name):
        return "dstar", name, None

    def param_slash(self, slash):
        return "slash", slash, None

    def _arguments(self, params, where):
        """Python's parameter rules, with Python's messages."""
        args, defaults, kwonly, kw_defaults = [], [], [], []
        vararg = kwarg = None
        star_seen = False
        posonly = None  # the parameters before a '/'
        seen = set()
        for kind, tok, default in params or []:
            if kwarg is not None:
                raise error_at("arguments cannot follow var-keyword argument", tok)
            if kind == "slash":
                if posonly is not None:
                    raise error_at("/ may appear only once", tok)
                if star_seen:
                    raise error_at("/ must be ahead of *", tok)
                if not args:
                    raise error_at("invalid syntax", tok)  # Python 3.11 says no more for `(/)`
                posonly, args = args, []
                continue
            if kind in ("plain", "default", "star", "dstar"):
                self._check_name(tok.value, tok)
                if tok.value in seen:
                    raise error_at("duplicate argument '%s' in function definition" % tok.value,
                                   tok)
                seen.add(tok.value)
            arg = None if kind == "bare_star" else _located(
                ast.arg, {"arg": tok.value, "annotation": getattr(tok, "annotation", None),
                          "type_comment": None}, tok, tok)
            if kind in ("star", "bare_star"):
                if star_seen:
                    raise error_at("* argument may appear only once", tok)
                star_seen = True
                vararg = arg
            elif kind == "dstar":
                kwarg = arg
            elif star_seen:
                kwonly.append(arg)
                kw_defaults.append(default)
            else:
                if default is None and defaults:
                    raise error_at("non-default argument follows default argument", tok)
                args.append(arg)
                if default is not None:
                    defaults.append(default)
        if star_seen and vararg is None and not kwonly:
            raise error_at("named arguments must follow bare *", where)
        return ast.arguments(posonlyargs=posonly or [], args=args, vararg=vararg,
                             kwonlyargs=kwonly, kw_defaults=kw_defaults, kwarg=kwarg,
                             defaults=defaults)

    # ------------------------------------------------------------ expressions
    def tuple_expr(self, *elts):
        node = _located(ast.Tuple, {"elts": list(elts), "ctx": _LOAD}, elts[0], elts[-1])
        return _nest(node, *elts)

    def star_expr(self, star, value):
        return _nest(_located(ast.Starred, {"value": value, "ctx": _LOAD}, star, value), value)

    def ifexp(self, body, test, orelse):
        node = _located(ast.IfExp, {"test": test, "body": body, "orelse": orelse}, body, orelse)
        return _nest(node, body, test, orelse)

    def walrus(self, name, op, value):
        self._check_name(name.value, name)
        target = _located(ast.Name, {"id": name.value, "ctx": _STORE}, name, name)
        node = _located(ast.NamedExpr, {"target": target, "value": value}, name, value)
        return _nest(node, value)

    def yield_value(self, kw, value):
        return _nest(_located(ast.Yield, {"value": value}, kw, value if value is not None else kw),
                     *([value] if value is not None else []))

    def yield_from(self, kw, value):
        return _nest(_located(ast.YieldFrom, {"value": value}, kw, value), value)

    def lambdef(self, kw, params, body):
        fn = _nest(_at(ast.Lambda(args=self._arguments(params, kw), body=body), kw, body), body)
        return _call_helper(LAMBDA, [fn], kw, body)

    def or_test(self, *values):
        node = _located(ast.BoolOp, {"op": ast.Or(), "values": list(values)}, values[0],
                        values[-1])
        return _nest(node, *values)

    def and_test(self, *values):
        node = _located(ast.BoolOp, {"op": ast.And(), "values": list(values)}, values[0],
                        values[-1])
        return _nest(node, *values)

    def not_test(self, kw, operand):
        node = _located(ast.UnaryOp, {"op": ast.Not(), "operand": operand}, kw, operand)
        return _nest(node, operand)

    def compare(self, left, *tails):
        if len(tails) == 1:  # `a < b`: most comparisons
            op, right = tails[0]
            if op in ("is", "is not") and not isinstance(left, ast.Constant) \
                    and not isinstance(right, ast.Constant):
                same = _call_helper2(IS, left, right, left, right)
                if op == "is":
                    return same
                return _located(ast.UnaryOp, {"op": ast.Not(), "operand": same}, left, right)
            if op in COMPARE_HELPERS:
                return _call_helper2(COMPARE_HELPERS[op], left, right, left, right)
            return _located(ast.Compare, {"left": left, "ops": [_COMPARE[op]()],
                                          "comparators": [right],
                                          "_gd": _depth(left, right, left, right)}, left, right)
        ops = [_COMPARE[op]() for op, _ in tails]
        rights = [right for _, right in tails]
        node = _located(ast.Compare, {"left": left, "ops": ops, "comparators": rights}, left,
                        rights[-1])
        node = _nest(node, left, *rights)
        return _checked_chain(node, [op for op, _ in tails]) if any(
            op in COMPARE_HELPERS for op, _ in tails) else node

    def comp_tail(self, op, right):
        return op, right

    def comp_op(self, *tokens):
        return " ".join(t.value for t in tokens)

    def binop(self, left, op, right):
        name = _CHECKED_BINOPS.get(op.value)
        if name is not None:
            call = _call_helper2(name, left, right, left, right)
            call._operator = True
            return call
        return _located(ast.BinOp, {"left": left, "op": _PLAIN_BINOPS[op.value](), "right": right,
                                    "_gd": _depth(left, right, left, right)}, left, right)

    def unary(self, op, operand):
        node = _located(ast.UnaryOp, {"op": _UNARY[op.value](), "operand": operand}, op, operand)
        return _nest(node, operand)

    # ------------------------------------------------------------ primaries
    def getattr(self, obj, name):
        # a name with one leading underscore (`self._cache`) is the gate's to decide: a
        # program's own objects have them; every other object refuses them
        # (a private `obj.__x` outside a class body is not mangled: the gate decides it as
        # any '_' name, and a program's own object then has no such attribute, as in Python)
        if name.value.startswith("__") and name.value not in READABLE_ATTRIBUTES \
                and not DOCUMENTED_PRIVATE.fullmatch(name.value) and not is_private(name.value):
            raise error_at("'%s' is not accessible: gradsh never gives access to names starting "
                           "with '_'" % name.value, name, kind="AttributeError")
        call = _call_helper2(GA, obj, _const(name.value, name), obj, name)
        call._gattr = True
        return call

    def call(self, func, lpar, arguments, rpar):
        args, keywords, names = [], [], set()
        seen_keyword = seen_dstar = False
        arguments = arguments or []
        for arg in arguments:
            if arg.__class__ is tuple:
                kind, node, name = arg
            else:
                kind, node = "pos", arg
            if kind == "genexp" and len(arguments) > 1:
                raise error_at("generator expression must be parenthesized", node)
            if kind in ("pos", "genexp", "star"):
                if seen_dstar and kind != "star":
                    raise error_at("positional argument follows keyword argument unpacking", node)
                if seen_keyword and kind != "star":
                    raise error_at("positional argument follows keyword argument", node)
                args.append(node)
            elif kind == "kw":
                if name.id in names:
                    raise error_at("keyword argument repeated: %s" % name.id, name)
                names.add(name.id)
                seen_keyword = True
                keywords.append(_located(ast.keyword, {"arg": name.id, "value": node}, name, node))
            else:
                seen_dstar = True
                keywords.append(_located(ast.keyword, {"arg": None, "value": node}, node, node))
        if getattr(func, "_gattr", False):  # `t.sum(...)`: the method itself, not shown
            func.func.id = GM
        call = _located(ast.Call, {"func": func, "args": args, "keywords": keywords}, func, rpar)
        return _nest(call, func, *args, *[k.value for k in keywords])

    def arguments(self, *args):
        return list(args)

    @_passes_child
    def arg_pos(self, value):
        return value  # call() tells it from the other arguments: they are (kind, ...) tuples

    def arg_keyword(self, name, value):
        if not isinstance(name, ast.Name):
            raise error_at('expression cannot contain assignment, perhaps you meant "=="?', name)
        return "kw", value, name

    def arg_star(self, star, value):
        starred = _at(ast.Starred(value=value, ctx=_LOAD), star, value)
        return "star", _nest(starred, value), None

    def arg_dstar(self, dstar, value):
        return "dstar", value, None

    def arg_genexp(self, elt, clauses):
        node = ast.GeneratorExp(elt=elt, generators=clauses)
        node = _nest(_at(node, elt, _last_of(clauses)), elt, *_comp_kids(clauses))
        return "genexp", _call_helper(GENEXP, [node], node), None

    def getitem(self, value, lsqb, index, rsqb):
        return _located(ast.Subscript, {"value": value, "slice": index, "ctx": _LOAD,
                                        "_gd": _depth(value, index, value, rsqb)}, value, rsqb)

    @_passes_child
    def subscripts(self, index):
        return index

    def subscript_tuple(self, *items):
        node = _located(ast.Tuple, {"elts": list(items), "ctx": _LOAD}, items[0], items[-1])
        return _nest(node, *items)

    def slice2(self, lower, colon, upper):
        return self._slice(lower, upper, None, colon)

    def slice3(self, lower, colon, upper, colon2, step):
        return self._slice(lower, upper, step, colon, colon2)

    def _slice(self, lower, upper, step, *colons):
        in_order = [lower, colons[0], upper] + ([colons[1], step] if len(colons) > 1 else [])
        present = [p for p in in_order if p is not None]
        node = _located(ast.Slice, {"lower": lower, "upper": upper, "step": step}, present[0],
                        present[-1])
        return _nest(node, *[p for p in (lower, upper, step) if p is not None])

    # ------------------------------------------------------------ atoms
    def name(self, tok):
        name = tok.value
        if name[:2] == "__":
            self._check_name(name, tok)
        node = _new(ast.Name)  # see _located: the most frequent node, built in place
        node.__dict__ = {"id": name, "ctx": _LOAD, "lineno": tok.lineno,
                         "col_offset": tok.col_offset, "end_lineno": tok.end_lineno,
                         "end_col_offset": tok.end_col_offset, "_gd": 1}
        return node

    def number(self, tok):
        text = tok.value
        try:
            if text.isdigit() and (text[0] != "0" or len(text) == 1):
                value = int(text)  # the common case, without int()'s prefix parsing
            elif text[-1] in "jJ":  # an imaginary literal: leading zeros allowed, as in Python
                value = complex(0, float(text[:-1]))
            elif text[:2].lower() in ("0x", "0o", "0b") \
                    or not ("." in text or "e" in text or "E" in text):
                if len(text) > _MAX_LITERAL_CHARS:  # 0x... has no digit limit of Python's own
                    raise error_at("integer literal too large", tok)
                value = int(text, 0)
            else:
                value = float(text)
        except ValueError:
            if text.lstrip("0_").isdigit() and len(text) > 4000:
                raise error_at("integer literal too large", tok) from None
            raise error_at("invalid number %s (leading zeros are not allowed in decimal numbers)"
                           % text, tok) from None
        return _const(value, tok)

    def const(self, tok):
        return _const({"None": None, "True": True, "False": False}[tok.value], tok)

    def ellipsis(self, tok):
        return _const(Ellipsis, tok)

    def strings(self, *tokens):
        if len(tokens) == 1 and tokens[0].type == "STRING":
            return _const(_string_value(tokens[0]), tokens[0])
        kinds = {_is_bytes(t) for t in tokens}
        if len(kinds) > 1:
            raise error_at("cannot mix bytes and nonbytes literals", tokens[0], tokens[-1])
        if True in kinds:
            return _located(ast.Constant, {"value": b"".join(_string_value(t) for t in tokens),
                                           "kind": None, "_gd": 1}, tokens[0], tokens[-1])
        if all(t.type == "STRING" for t in tokens):
            return _located(ast.Constant, {"value": "".join(_string_value(t) for t in tokens),
                                           "kind": None, "_gd": 1}, tokens[0], tokens[-1])
        values, kids = [], []
        for tok in tokens:
            if tok.type == "STRING":
                _append_text(values, _string_value(tok), tok)
            else:
                _fstring_values(tok, values, kids)
        node = _located(ast.JoinedStr, {"values": [_finish_text(v) for v in values]}, tokens[0],
                        tokens[-1])
        return _nest(node, *kids)

    def paren(self, lpar, value, rpar):
        if isinstance(value, (ast.Tuple, ast.NamedExpr)):
            value._paren = True
        return value

    def tuple_display(self, lpar, items, rpar):
        items = items or []
        node = _located(ast.Tuple, {"elts": items, "ctx": _LOAD, "_paren": True}, lpar, rpar)
        return _nest(node, *items)

    def tuple_items(self, *items):
        return list(items)

    def list_display(self, lsqb, items, rsqb):
        items = items or []
        return _nest(_located(ast.List, {"elts": items, "ctx": _LOAD}, lsqb, rsqb), *items)

    def list_items(self, *items):
        return list(items)

    def dict_display(self, lbrace, items, rbrace):
        items = items or []
        keys = [k for k, _ in items]
        values = [v for _, v in items]
        node = _located(ast.Dict, {"keys": keys, "values": values}, lbrace, rbrace)
        return _nest(node, *[k for k in keys if k is not None], *values)

    def dict_items(self, *items):
        return list(items)

    def set_display(self, lbrace, items, rbrace):
        return _nest(_located(ast.Set, {"elts": items}, lbrace, rbrace), *items)

    def set_items(self, *items):
        return list(items)

    def dict_pair(self, key, value):
        return key, value

    def dict_unpack(self, dstar, value):
        return None, value

    def genexp(self, lpar, elt, clauses, rpar):
        node = ast.GeneratorExp(elt=elt, generators=clauses)
        node = _nest(_at(node, lpar, rpar), elt, *_comp_kids(clauses))
        return _call_helper(GENEXP, [node], lpar, rpar)

    # List and dict comprehensions are built by a helper from a generator, which stops at
    # gradsh's item limit: [0 for i in range(10**10)] is a LimitError, not minutes of filling
    # memory.
    def listcomp(self, lsqb, elt, clauses, rsqb):
        gen = _at(ast.GeneratorExp(elt=elt, generators=clauses), lsqb, rsqb)
        node = _call_helper(LIST_COMP, [gen], lsqb, rsqb)
        node._comp = True
        return _nest(node, elt, *_comp_kids(clauses))

    def dictcomp(self, lbrace, key, value, clauses, rbrace):
        pair = _like(ast.Tuple(elts=[key, value], ctx=ast.Load()), key)
        gen = _at(ast.GeneratorExp(elt=pair, generators=clauses), lbrace, rbrace)
        node = _call_helper(DICT_COMP, [gen], lbrace, rbrace)
        node._comp = True
        return _nest(node, key, value, *_comp_kids(clauses))

    def setcomp(self, lbrace, elt, clauses, rbrace):
        gen = _at(ast.GeneratorExp(elt=elt, generators=clauses), lbrace, rbrace)
        node = _call_helper(SET_COMP, [gen], lbrace, rbrace)
        node._comp = True
        return _nest(node, elt, *_comp_kids(clauses))

    def comp_clauses(self, *clauses):
        out = []
        for clause in clauses:
            if isinstance(clause, ast.comprehension):
                out.append(clause)
            else:
                out[-1].ifs.append(clause)
        _unchain_iterables(out)
        return out

    def comp_for(self, kw, target, iterable):
        node = ast.comprehension(target=self._store(target, what="comprehension"),
                                 iter=iterable, ifs=[], is_async=0)
        node._kw = kw
        return node

    @_passes_child
    def comp_if(self, cond):
        return cond

    # ------------------------------------------------------------ helpers
    def _check_name(self, name, where, what=None):
        # `if __name__ == "__main__":` works, and a class body may name its special methods
        # (`__rmul__ = __mul__`)
        # (a private name outside a class body, `class __Hidden:`, is the program's as in
        # Python; inside one it arrives mangled: syntax/mangling.py)
        if name[:2] == "__" and name not in READABLE_DUNDERS and name != "__slots__" and not (
                is_private(name) and not name.startswith("__gradsh")):
            if what:
                raise error_at("%s starting with '__' must be one of the special methods a "
                               "class may define in gradsh (__init__, __call__, __repr__, "
                               "__len__, __getitem__, __iter__, ...)" % what, where)
            raise error_at("names starting with '__' are reserved in gradsh", where)
        return name

    def _store(self, expr, what="assignment"):
        """The store target for an expression on the left of `=` (or of a for loop, ...)."""
        if isinstance(expr, ast.Name):
            return _located(ast.Name, {"id": expr.id, "ctx": _STORE}, expr, expr)
        if isinstance(expr, ast.Subscript):
            value = expr.value
            if isinstance(expr.slice, ast.Slice) and what != "augmented assignment":
                value = _call_helper(SLICES, [value], value)  # (`.augi` checks its own)
            return _like(ast.Subscript(value=value, slice=expr.slice, ctx=_STORE), expr)
        if getattr(expr, "_gattr", False):
            if what not in ("assignment", "augmented assignment"):
                raise error_at("an attribute cannot be the target of a %s" % what, expr)
            obj, name = expr.args
            if name.value in STORE_REFUSED:
                raise error_at("'%s' is not accessible: gradsh never gives access to names "
                               "starting with '_'" % name.value, name, kind="AttributeError")
            return _AttrTarget(obj, name.value, expr)
        if isinstance(expr, (ast.Tuple, ast.List)) and what != "augmented assignment":
            starred = [e for e in expr.elts if isinstance(e, ast.Starred)]
            if len(starred) > 1:
                raise error_at("multiple starred expressions in assignment", starred[1])
            elts = [self._store(e, what) for e in expr.elts]
            return _like(type(expr)(elts=elts, ctx=_STORE), expr)
        if isinstance(expr, ast.Starred) and what != "augmented assignment":
            return _like(ast.Starred(value=self._store(expr.value, what), ctx=_STORE), expr)
        if what == "augmented assignment":
            raise error_at("%s cannot be the target of an augmented assignment"
                           % _describe(expr).capitalize(), expr)
        raise error_at("cannot assign to %s" % _describe(expr), expr,
                       hint='to compare, use "=="' if isinstance(expr, ast.Compare) else None)


# ---------------------------------------------------------------- module-level helpers

def _flatten(items):
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        elif item is not None:
            out.append(item)
    return out


def _has_attr_target(store):
    if isinstance(store, _AttrTarget):
        return True
    if isinstance(store, (ast.Tuple, ast.List)):
        return any(_has_attr_target(e) for e in store.elts)
    if isinstance(store, ast.Starred):
        return _has_attr_target(store.value)
    return False


def _no_bare_walrus(value):
    """`x := 1` and `y = x := 1` need parentheses, as in Python."""
    if isinstance(value, ast.NamedExpr) and not getattr(value, "_paren", False):
        raise error_at("invalid syntax: an assignment expression (:=) needs parentheses here",
                       value, hint="write x = 1, or (x := 1)")


def _is_generator(body):
    """Does a function body yield (not counting the functions and classes nested in it)?"""
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _retyping(body, kw):
    """The body of a try with except blocks, inside `try: body except: .retype(); raise`."""
    retype = _located(ast.Expr, {"value": _call_helper(RETYPE, [], kw)}, kw, kw)
    reraise = _located(ast.Raise, {"exc": None, "cause": None}, kw, kw)
    handler = _at(ast.ExceptHandler(type=None, name=None, body=[retype, reraise]), kw, kw)
    return [_at(ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[]), kw, kw)]


def _assign(name, value, first, last):
    store = _located(ast.Name, {"id": name, "ctx": _STORE}, first, first)
    return _located(ast.Assign, {"targets": [store], "value": value, "type_comment": None},
                    first, last)


def _walk_statements(body):
    """The statements of a block and of the blocks inside it, not of functions or classes."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, ()))


class _Pattern:
    """A pattern of a case clause, as parsed (turned into a test by _MatchTest)."""

    def __init__(self, kind, first, last, **fields):
        self.kind, self.first, self.last = kind, first, last
        self.__dict__.update(fields)

    def irrefutable(self):
        if self.kind in ("wildcard", "capture"):
            return True
        if self.kind == "as":
            return self.pattern.irrefutable()
        if self.kind == "or":
            return any(p.irrefutable() for p in self.items)
        return False

    def unreachable(self):
        """Python's message for this irrefutable pattern before others."""
        p = self
        while p.kind in ("as", "or"):
            p = p.pattern if p.kind == "as" else next(q for q in p.items if q.irrefutable())
        if p.kind == "capture":
            return "name capture '%s' makes remaining patterns unreachable" % p.name
        return "wildcard makes remaining patterns unreachable"

    def names(self):
        """The names it captures, in order."""
        kind = self.kind
        if kind in ("capture", "star"):
            return [self.name] if self.name else []
        if kind == "as":
            return self.pattern.names() + [self.name]
        if kind == "or":
            return self.items[0].names()
        out = []
        if kind == "sequence":
            for p in self.items:
                out += p.names()
        elif kind == "mapping":
            for _, p in self.keys:
                out += p.names()
            if self.rest:
                out.append(self.rest)
        elif kind == "class":
            for p in self.positional:
                out += p.names()
            for _, p in self.keywords:
                out += p.names()
        return out


class _MatchTest:
    """The test of one case: a pattern against the subject, as one `and` of conditions; what
    it captures goes to hidden names `.pN_name` while it is tested."""

    def __init__(self, number, where):
        self.number, self.where = number, where
        self.temps = 0

    def _name(self, id_, ctx=_LOAD):
        return _located(ast.Name, {"id": id_, "ctx": ctx}, self.where, self.where)

    def _assigned_is_itself(self, target, value):
        """`(target := value) is target`: always true, and it binds."""
        w = self.where
        named = _located(ast.NamedExpr, {"target": self._name(target, _STORE), "value": value},
                         w, w)
        return _located(ast.Compare, {"left": named, "ops": [ast.Is()],
                                      "comparators": [self._name(target)]}, w, w)

    def case(self, pattern, guard, subject):
        names = pattern.names()
        seen = set()
        for name in names:
            if name in seen:
                raise error_at("multiple assignments to name '%s' in pattern" % name,
                               pattern.first, pattern.last)
            seen.add(name)
        conditions = self.test(pattern, self._name(subject))
        for name in names:
            conditions.append(self._assigned_is_itself(name, self._name(self._hidden(name))))
        if guard is not None:
            conditions.append(guard)
        return self._all(conditions)

    def _all(self, conditions):
        if not conditions:
            return _const(True, self.where)
        if len(conditions) == 1:
            return conditions[0]
        return _located(ast.BoolOp, {"op": ast.And(), "values": conditions}, self.where,
                        self.where)

    def _hidden(self, name):
        return ".p%d_%s" % (self.number, name)

    def _temp(self):
        self.temps += 1
        return ".t%d_%d" % (self.number, self.temps)

    def _helper(self, name, args):
        return _call_helper(name, args, self.where)

    def test(self, p, subject):
        """The conditions (a list, all to hold) for pattern p against the expression subject
        (a name or an item of a hidden name: evaluating it twice costs nothing)."""
        kind, w = p.kind, self.where
        if kind == "wildcard":
            return []
        if kind in ("capture", "star"):
            return [self._assigned_is_itself(self._hidden(p.name), subject)] if p.name else []
        if kind == "as":
            return self.test(p.pattern, subject) + [
                self._assigned_is_itself(self._hidden(p.name), subject)]
        if kind == "identity":
            return [_located(ast.Compare, {"left": subject, "ops": [ast.Is()],
                                           "comparators": [p.value]}, w, w)]
        if kind in ("literal", "value"):
            return [self._helper(COMPARE_HELPERS["=="], [subject, p.value])]
        if kind == "or":
            return [_located(ast.BoolOp, {"op": ast.Or(), "values": [
                self._all(self.test(q, subject)) for q in p.items]}, w, w)]
        temp = self._temp()
        if kind == "sequence":
            star = next((i for i, q in enumerate(p.items) if q.kind == "star"), None)
            before = len(p.items) if star is None else star
            after = 0 if star is None else len(p.items) - star - 1
            found = self._helper(MATCH_SEQUENCE, [subject, _const(before, w), _const(after, w),
                                                  _const(star is not None, w)])
            parts = p.items
        elif kind == "mapping":
            keys = _located(ast.Tuple, {"elts": [k for k, _ in p.keys], "ctx": _LOAD}, w, w)
            found = self._helper(MATCH_MAPPING, [subject, keys, _const(p.rest is not None, w)])
            parts = [q for _, q in p.keys]
            if p.rest is not None:
                parts = parts + [_Pattern("capture", p.last, p.last, name=p.rest)]
        else:  # class
            names = _located(ast.Tuple, {"elts": [_const(n, w) for n, _ in p.keywords],
                                         "ctx": _LOAD}, w, w)
            found = self._helper(MATCH_CLASS, [subject, p.cls, _const(len(p.positional), w),
                                               names])
            parts = p.positional + [q for _, q in p.keywords]
        named = _located(ast.NamedExpr, {"target": self._name(temp, _STORE), "value": found},
                         w, w)
        out = [_located(ast.Compare, {"left": named, "ops": [ast.IsNot()],
                                      "comparators": [_const(None, w)]}, w, w)]
        for i, q in enumerate(parts):
            item = _located(ast.Subscript, {"value": self._name(temp), "slice": _const(i, w),
                                            "ctx": _LOAD}, w, w)
            out += self.test(q, item)
        return out


def _ticking(body):
    """Make every loop in an except or finally block call `.tick()` first (not the loops of
    functions defined there: their calls are counted)."""
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.While, ast.For)) and not getattr(node, "_ticks", False):
            node._ticks = True
            node.body.insert(0, _located(ast.Expr, {"value": _call_helper(TICK, [], node)},
                                         node, node))
        stack.extend(ast.iter_child_nodes(node))


def _comp_kids(clauses):
    kids = []
    for c in clauses:
        kids.append(c.iter)
        kids.extend(c.ifs)
    return kids


def _last_of(clauses):
    last = clauses[-1]
    return last.ifs[-1] if last.ifs else last.iter


def _counted(body, where):
    """Wrap a function body so the runtime counts the depth of program calls (RecursionError)."""
    doc = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        doc, body = body[:1], body[1:]
    if not body:
        body = [_located(ast.Pass, {}, where, where)]
    enter = _located(ast.Expr, {"value": _call_helper(ENTER, [], where)}, where, where)
    leave = _located(ast.Expr, {"value": _call_helper(LEAVE, [], where)}, where, where)
    guarded = _located(ast.Try, {"body": body, "handlers": [], "orelse": [], "finalbody": [leave]},
                       body[0], body[-1])
    return doc + [enter, guarded]


def _is_bytes(tok):
    """Is the token a bytes literal (b'...', rb'...')? An f-string never is."""
    return tok.type == "STRING" and tok.value[:2].lower() in ("b'", 'b"', "br", "rb")


def _string_value(tok):
    text = tok.value
    if _is_bytes(tok):
        return _bytes_value(tok)
    if "\\" not in text:
        # without escapes a literal's value is its text between the quotes (raw or not)
        if text[0] in "rRuU":
            text = text[1:]
        quotes = 3 if len(text) >= 6 and text[:3] in ('"""', "'''") else 1
        return text[quotes:-quotes]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.literal_eval(text)
    except (SyntaxError, ValueError) as e:
        raise error_at("invalid string literal: %s" % getattr(e, "msg", e), tok) from None


def _bytes_value(tok):
    """A bytes literal's value, as Python reads it (ASCII characters and escapes only)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.literal_eval(tok.value)
    except (SyntaxError, ValueError) as e:
        message = getattr(e, "msg", None) or str(e)
        raise error_at(message, tok) from None


def _append_text(values, text, tok):
    if values and isinstance(values[-1], list):
        values[-1][0] += text
    else:
        values.append([text, tok])


def _finish_text(v):
    if isinstance(v, list):
        return _const(v[0], v[1])
    return v


def _token_offset_pos(tok, k):
    """(line, 0-based col) of character k of a token's text."""
    text = tok.value
    nl = text.rfind("\n", 0, k)
    if nl < 0:
        return tok.lineno, tok.col_offset + k
    return tok.lineno + text.count("\n", 0, k), k - nl - 1


def _fstring_values(tok, values, kids):
    """Append the literal texts ([text, token] lists) and FormattedValues of an f-string token."""
    from . import fstrings  # on the first f-string: start-up skips it (and unicodedata, typing)
    try:
        parts = fstrings.scan(tok.value)
    except fstrings.FStringError as e:
        line, col = _token_offset_pos(tok, e.offset)
        raise CompileError(e.message, line, col + 1) from None
    except ValueError as e:
        raise error_at("invalid string literal: %s" % e, tok) from None
    for part in parts:
        if isinstance(part, str):
            _append_text(values, part, tok)
            continue
        if part.debug is not None:
            _append_text(values, part.debug, tok)
        values.append(_field_node(part, tok, kids))


def _field_node(field, tok, kids):
    line, col = _token_offset_pos(tok, field.offset)
    prefix = getattr(tok, "prefix", None)  # in a class body: mangling.ClassToken
    if _is_plain_name(field.expr) and not (prefix and is_private(field.expr)):
        # the usual field, f"{x}": no need to run the parser on it
        expr = _new(ast.Name)
        expr.__dict__ = {"id": field.expr, "ctx": _LOAD, "lineno": line, "col_offset": col,
                         "end_lineno": line, "end_col_offset": col + len(field.expr), "_gd": 1}
        kids.append(expr)
        return _format_field(field, tok, kids, expr)
    from .parser import parse_fexpr  # the parser imports this module
    try:
        expr = parse_fexpr(field.expr, line, col, prefix)  # its nodes placed in the source
    except CompileError as placed:
        # the error as the parser words it for the field alone (its wording may look at the
        # field's own lines), moved to where the field is
        try:
            parse_fexpr(field.expr, prefix=prefix)
        except CompileError as e:
            if e.end_line == e.line and e.end_col is not None:
                e.end_line, e.end_col = _shift(e.end_line, e.end_col - 1, line, col)
                e.end_col += 1
            else:
                e.end_line = e.end_col = None
            e.line, e.col = _shift(e.line, e.col - 1, line, col)
            e.col += 1
            e.incomplete = False
            raise
        raise placed
    kids.append(expr)
    return _format_field(field, tok, kids, expr)


def _is_plain_name(text):
    return _NAME.fullmatch(text) is not None and not keyword.iskeyword(text) \
        and not text.startswith("__")


def _format_field(field, tok, kids, expr):
    if field.spec is None:
        spec = _const("", expr)
    else:
        spec_values = []
        for part in field.spec:
            if isinstance(part, str):
                _append_text(spec_values, part, tok)
            else:
                if part.debug is not None:
                    _append_text(spec_values, part.debug, tok)
                spec_values.append(_field_node(part, tok, kids))
        if all(isinstance(v, list) for v in spec_values):
            spec = _const("".join(v[0] for v in spec_values), expr)
        else:
            spec = _like(ast.JoinedStr(values=[_finish_text(v) for v in spec_values]), expr)
    call = _call_helper(FMT, [expr, spec, _const(field.conversion, expr)], expr)
    return _located(ast.FormattedValue, {"value": call, "conversion": -1, "format_spec": None},
                    expr, expr)


def _shift(line, col, base_line, base_col):
    """Positions from parse_fexpr's "(" + text, moved to where the text sits in the source."""
    if line == 1:
        return base_line, base_col + col - 1
    return base_line + line - 1, col


# ---------------------------------------------------------------- checks on the whole program

def check_module(module):
    """Statement-level rules that need context: return outside def, break outside a loop."""
    _check_body(module.body, in_function=False, in_loop=False)


def wrap_tuple_displays(module):
    """Pass each `*iterable` and each value unpacked by a starred assignment through `.star`,
    each f-string with fields through `.fstr`, and each tuple display through `.tup` (and
    each `*args`), except where
    the tuple is taken apart at once: `a, b = b, a`, `for x in (a, b)`, `x in (a, b)`. A
    subscript's tuple holding slices (`x[1:, 0]`) stays as it is (slices cannot be call
    arguments; in Python 3.11 they are not hashable, so the tuple cannot be hashed)."""
    # one walk over the tree (ast.walk's generic field iteration cost more than the parse):
    # each node's children are taken before the node is changed, so a helper call put in
    # is not itself visited
    stack = [module]
    pop, push, extend = stack.pop, stack.append, stack.extend
    node_type, AST = type, ast.AST
    while stack:
        node = pop()
        fields = _CHILD_FIELDS.get(node_type(node))
        if fields is None:
            fields = _child_fields(node_type(node))
        if not fields:
            continue  # a name, a constant
        for field in fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                extend([item for item in value if isinstance(item, AST)])
            elif isinstance(value, AST):
                push(value)
        if isinstance(node, ast.FunctionDef) and node.args.vararg is not None:
            node.body.insert(0, _rebind_varargs(node.args.vararg, node.body[0]))
        elif isinstance(node, ast.Starred) and isinstance(node.ctx, ast.Load):
            node.value = _helper_call(STAR, node.value)
        elif isinstance(node, ast.Assign) and _unpacks_with_star(node.targets):
            node.value = _helper_call(STAR, node.value)
        elif isinstance(node, ast.keyword) and node.arg is None:
            node.value = _helper_call(DSTAR, node.value)
        elif isinstance(node, ast.Dict) and None in node.keys:
            node.values = [_helper_call(DSTAR, v) if k is None else v
                           for k, v in zip(node.keys, node.values)]
        for field in fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for i, item in enumerate(value):
                    if item.__class__ in _WRAPPABLE:
                        value[i] = _checked(node, field, item)
            elif value.__class__ in _WRAPPABLE:
                setattr(node, field, _checked(node, field, value))


# the node classes _checked may wrap in a helper call
_WRAPPABLE = frozenset([ast.Tuple, ast.JoinedStr])
# per node class: the fields that may hold nodes worth visiting (not an expression's context
# or operator, not names or flags)
_CHILD_FIELDS = {}
_LEAF_FIELDS = frozenset(["ctx", "op", "ops", "id", "attr", "name", "names", "module", "level",
                          "kind", "conversion", "type_comment", "is_async", "simple", "arg",
                          "type_ignores"])


def _child_fields(cls):
    fields = () if cls is ast.Constant else tuple(f for f in cls._fields if f not in _LEAF_FIELDS)
    _CHILD_FIELDS[cls] = fields
    return fields


def _checked(parent, field, node):
    """node, or a helper call around it: `.tup` for a tuple display, `.fstr` for an f-string
    with fields (its total length; a format spec `{x:{w}}` is an f-string that stays one)."""
    if _is_display(node) and not _taken_apart(parent, field, node):
        return _helper_call(TUPLE, node)
    if isinstance(node, ast.JoinedStr) and not isinstance(parent, ast.FormattedValue) and any(
            isinstance(v, ast.FormattedValue) for v in node.values):
        return _helper_call(FSTRING, node)
    return node


# values that are never tuples: a display of only these needs no check
_NEVER_TUPLES = (ast.Constant, ast.JoinedStr, ast.Compare, ast.UnaryOp)


def _is_display(node):
    return (isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load) and node.elts
            and not any(isinstance(e, ast.Slice) for e in node.elts)
            and not all(isinstance(e, _NEVER_TUPLES) for e in node.elts))


def _taken_apart(parent, field, node):
    if isinstance(parent, ast.Assign) and field == "value":
        targets = parent.targets
        return len(targets) == 1 and isinstance(targets[0], (ast.Tuple, ast.List)) and not any(
            isinstance(e, ast.Starred) for e in targets[0].elts)
    if isinstance(parent, ast.For) and field == "iter":
        return True
    return isinstance(parent, ast.Compare) and field == "comparators" and all(
        isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)


def _helper_call(name, node):
    func = _like(ast.Name(id=name, ctx=_LOAD), node)
    return _like(ast.Call(func=func, args=[node], keywords=[]), node)


def _unpacks_with_star(targets):
    return any(isinstance(t, (ast.Tuple, ast.List)) and any(
        isinstance(e, ast.Starred) for e in t.elts) for t in targets)


def _rebind_varargs(arg, first):
    """`args = .tup(args)` at the top of a function taking *args."""
    load = _like(ast.Name(id=arg.arg, ctx=_LOAD), arg)
    call = _like(ast.Call(func=_like(ast.Name(id=TUPLE, ctx=_LOAD), arg), args=[load],
                          keywords=[]), arg)
    return _like(ast.Assign(targets=[_like(ast.Name(id=arg.arg, ctx=_STORE), arg)],
                            value=call, type_comment=None), arg)


def _check_body(body, in_function, in_loop):
    for stmt in body:
        if isinstance(stmt, ast.Return) and not in_function:
            raise error_at("'return' outside function", stmt)
        if isinstance(stmt, ast.Break) and not in_loop:
            raise error_at("'break' outside loop", stmt)
        if isinstance(stmt, ast.Continue) and not in_loop:
            raise error_at("'continue' not properly in loop", stmt)
        if isinstance(stmt, ast.FunctionDef):
            _check_body(stmt.body, True, False)
        elif isinstance(stmt, ast.ClassDef):
            _check_body(stmt.body, False, False)
        elif isinstance(stmt, (ast.For, ast.While)):
            _check_body(stmt.body, in_function, True)
            _check_body(stmt.orelse, in_function, in_loop)
        elif isinstance(stmt, (ast.If, ast.With, ast.Try, ast.TryStar)):
            _check_body(stmt.body, in_function, in_loop)
            _check_body(getattr(stmt, "orelse", []), in_function, in_loop)
            _check_body(getattr(stmt, "finalbody", []), in_function, in_loop)
            for handler in getattr(stmt, "handlers", []):
                _check_body(handler.body, in_function, in_loop)


def is_block(stmt):
    return isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.FunctionDef, ast.ClassDef,
                             ast.Try, ast.TryStar))
