"""The `warnings` module a program may import: Python's filters, within the sandbox.

`warnings.filterwarnings("ignore")` at the top of a script, `simplefilter`, `resetwarnings`,
`warn` and `catch_warnings()` (which restores the filters on leaving) act on the filters of
the run, as in Python; the session's own reporting (gradsh's located, once-per-place warning
lines) stays below them. What differs, and why (docs/language.md, Modules):

- a `message` or `module` pattern is a regular expression as in Python, but one that could
  backtrack for ever (a repeated group, more than a few repeats) is refused with a ValueError,
  and a pattern is tried on a warning's first MAX_MATCHED characters only: a filter is matched
  inside every warning the core gives, where a program's time limit cannot stop it;
- `catch_warnings(record=True)` gives records whose `filename` and `lineno` are the
  program's line that led to the warning (never the core's file), at most MAX_RECORDS of them.
"""

import os
import re
import sys
import warnings

try:
    import re._parser as _sre_parse  # Python 3.11 on
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre_parse

from .classes import ProgramClasses
from ...core.errors import TorchAssertionError
from .limits import MAX_STR, LimitError, shown_as_kind
from .namespaces import Namespace

_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_STDLIB = os.path.dirname(os.path.abspath(warnings.__file__))

ACTIONS = ("default", "error", "ignore", "always", "all", "module", "once")
MAX_PATTERN = 200       # characters of a message or module pattern
MAX_REPEATS = 4         # *, +, ? and {m,n} in a pattern
MAX_MATCHED = 1000      # characters of a warning's text a pattern is tried on
MAX_STEPS = 2 * 10 ** 7  # a pattern's estimated backtracking steps on the text it is tried on
_SHORTER = (500, 200, 100, 50)  # the texts a costlier pattern is tried on instead
MAX_FILTERS = 1000      # filters a program may add
MAX_RECORDS = 10_000    # warnings one catch_warnings(record=True) block keeps


class _Pattern:
    """A filter's pattern: Python's regular expression, tried on a bounded text."""
    __slots__ = ("regex", "pattern", "limit")

    def __init__(self, pattern, what):
        if not isinstance(pattern, str):
            raise TypeError("%s must be a str" % what)
        if len(pattern) > MAX_PATTERN:
            raise ValueError("a warnings filter's %s pattern is limited to %d characters in "
                             "gradsh" % (what, MAX_PATTERN))
        repeats = len(re.findall(r"(?<!\\)(?:[*+?]|\{\d*,?\d*\})", pattern))
        if repeats > MAX_REPEATS or re.search(r"\)(?:[*+]|\{)", pattern):
            raise ValueError("a warnings filter's %s pattern may hold at most %d repeats and "
                             "no repeated group in gradsh (it is matched inside every warning)"
                             % (what, MAX_REPEATS))
        try:
            self.regex = re.compile(pattern, re.I if what == "message" else 0)
        except re.error as e:
            raise re.error(str(e)) from None
        self.pattern = pattern
        self.limit = _text_limit(pattern, what)

    def match(self, text):
        if not isinstance(text, str):  # warnings.warn(None): the session's own filters pass it
            return None
        return self.regex.match(text[:self.limit])


def _text_limit(pattern, what):
    """The longest text (MAX_MATCHED or one of _SHORTER) on which the pattern's estimated
    backtracking stays within MAX_STEPS; a ValueError when none is short enough."""
    try:
        tree = _sre_parse.parse(pattern, re.I if what == "message" else 0)
    except Exception:  # noqa: B902 - compiled above: the estimate alone failing keeps the least
        return _SHORTER[-1]
    for n in (MAX_MATCHED,) + _SHORTER:
        if _steps(tree, n) <= MAX_STEPS:
            return n
    raise ValueError("a warnings filter's %s pattern could backtrack too long in gradsh (its "
                     "alternatives and repeats multiply; it is matched inside every warning)"
                     % what)


def _steps(items, n, limit=MAX_STEPS):
    """Worst-case ways a sequence of parsed items can split a text of n characters: items in
    sequence multiply, alternatives add, a repeat tries each count it may take (the count so far
    once it passes `limit`)."""
    total = 1
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            counts = min(high, n)
            cost = (max(counts - low, 0) + 1) * _steps(sub, n, limit) ** max(min(counts, 64), 1)
        elif name == "BRANCH":
            cost = sum(_steps(alt, n, limit) for alt in arg[1])
        elif name == "SUBPATTERN":
            cost = _steps(arg[-1], n, limit)
        elif name in ("ASSERT", "ASSERT_NOT"):
            cost = _steps(arg[1], n, limit)
        elif name == "GROUPREF_EXISTS":
            cost = _steps(arg[1], n, limit) + (_steps(arg[2], n, limit) if arg[2] else 1)
        else:
            cost = 1
        total *= cost
        if total > limit:
            return total
    return total


def _category(category):
    """A filter's category, checked as Python's filterwarnings asserts it."""
    if not isinstance(category, type):
        raise TorchAssertionError("category must be a class")
    if not issubclass(category, Warning):
        raise TorchAssertionError("category must be a Warning subclass")
    return category


def _action(action):
    if action not in ACTIONS:
        raise TorchAssertionError("invalid action: %r" % (action,))
    return "always" if action == "all" else action


def _lineno(lineno):
    if not isinstance(lineno, int) or lineno < 0:
        raise TorchAssertionError("lineno must be an int >= 0")
    return lineno


def _add(entry, append):
    if len(warnings.filters) >= MAX_FILTERS:
        raise ValueError("a program may add at most %d warnings filters in gradsh" % MAX_FILTERS)
    if entry in warnings.filters:
        warnings.filters.remove(entry)
    if append:
        warnings.filters.append(entry)
    else:
        warnings.filters.insert(0, entry)
    warnings._filters_mutated()


def filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False):
    """Insert a filter: action for warnings whose text starts with (the regular expression)
    message, of category, raised in module (as Python's warnings.filterwarnings)."""
    action = _action(action)
    for what, text in (("message", message), ("module", module)):
        if not isinstance(text, str):
            raise TorchAssertionError("%s must be a string" % what)
    category = _category(category)
    lineno = _lineno(lineno)
    _add((action, _Pattern(message, "message") if message else None, category,
          _Pattern(module + r"\Z", "module") if module else None, lineno), append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Insert a filter for every warning of category (Python's warnings.simplefilter)."""
    action = _action(action)
    category = _category(category)
    lineno = _lineno(lineno)
    _add((action, None, category, None, lineno), append)


def resetwarnings():
    """Drop the program's filters (the session's own reporting stays)."""
    from .session import _session_filters  # (the session imports this module on demand)
    warnings.filters[:] = []
    _session_filters()


def warn(message, category=None, stacklevel=1, source=None):
    """Give a warning: reported as gradsh reports the core's, at the program's line."""
    if isinstance(message, Warning):
        category = type(message)
    elif category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError("category must be a Warning subclass, not '%s'"  # Python's words
                        % type(category).__name__)
    if not isinstance(stacklevel, int):
        raise TypeError("'%s' object cannot be interpreted as an integer"
                        % type(stacklevel).__name__)
    warnings.warn(message, category, stacklevel=2)


@shown_as_kind
class _NoName(AttributeError):
    """Python's AttributeError for a category without a name (`formatwarning('m', 5, ...)`)."""

    gradsh_kind = "AttributeError"


def formatwarning(message, category, filename, lineno, line=None):
    """Python's text of a warning (`file:line: Category: message`, then the source line
    indented). Python reads the line from the named file when none is given: gradsh never reads
    a file, so the text then has no second line."""
    name = getattr(category, "__name__", None)
    if not isinstance(category, type) or not isinstance(name, str):
        raise _NoName("'%s' object has no attribute '__name__'" % type(category).__name__)
    parts = [str(filename), str(lineno), name, str(message)]
    if line:
        parts.append(str(line).strip())
    if sum(map(len, parts)) > MAX_STR:
        raise LimitError("warnings.formatwarning() would make a string of more than %d "
                         "characters (gradsh's limit)" % MAX_STR)
    text = "%s:%s: %s: %s\n" % tuple(parts[:4])
    return text + "  %s\n" % parts[4] if len(parts) > 4 else text


class WarningMessage:
    """One warning a `catch_warnings(record=True)` block caught (Python's record's fields)."""

    def __init__(self, message, category, filename, lineno, file=None, line=None, source=None):
        self.message, self.category = message, category
        self.filename, self.lineno = filename, lineno
        self.file, self.line, self.source = file, line, source
        self._category_name = category.__name__ if category else None

    def __str__(self):
        return ("{message : %r, category : %r, filename : %r, lineno : %s, line : %r}"
                % (self.message, self._category_name, self.filename, self.lineno, self.line))


ProgramClasses().add(WarningMessage)


def _program_place():
    """The innermost frame of the program (not gradsh's, not Python's library): its file name
    and line, where a record says the warning happened."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not (name.startswith(_PACKAGE) or name.startswith(_STDLIB) or name.startswith("<frozen")):
            return name, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


class catch_warnings:
    """`with warnings.catch_warnings():` the filters set inside last until the block ends;
    with record=True, the block's warnings are kept in the list `as` names, not shown."""

    def __init__(self, *, record=False, action=None, category=Warning, lineno=0, append=False):
        self._record = bool(record)
        self._action = None if action is None else (_action(action), _category(category),
                                                    lineno, append)
        self._saved = None

    def __enter__(self):
        if self._saved is not None:
            raise RuntimeError("Cannot enter %r twice" % self)
        self._saved = (list(warnings.filters), warnings.showwarning)
        if self._action is not None:
            simplefilter(self._action[0], self._action[1], self._action[2], self._action[3])
        if not self._record:
            return None
        log = []

        def keep(message, category, filename, lineno, file=None, line=None):
            if len(log) >= MAX_RECORDS:
                raise LimitError("catch_warnings(record=True) keeps at most %d warnings in "
                                 "gradsh" % MAX_RECORDS)
            log.append(WarningMessage(message, category, *_program_place()))

        warnings.showwarning = keep
        return log

    def __exit__(self, *exc_info):
        warnings.filters[:], warnings.showwarning = self._saved
        warnings._filters_mutated()
        self._saved = None
        return False

    def __repr__(self):
        return "catch_warnings(record=%r)" % self._record


def warnings_namespace():
    from .stdlib import _Module  # (the stdlib namespaces are made on a first import only)
    return Namespace("warnings", _Module(
        filterwarnings=filterwarnings, simplefilter=simplefilter, resetwarnings=resetwarnings,
        warn=warn, catch_warnings=catch_warnings, formatwarning=formatwarning))
