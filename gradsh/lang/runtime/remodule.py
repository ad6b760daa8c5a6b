"""re (branch adv12c): Python's regular expressions, each search bounded before it starts.

Python matches a pattern in C, where neither Ctrl-C nor a time limit stops it, and a pattern
can backtrack for ever (`(a+)+b` on a line of a's). So before a pattern is tried on a text,
the backtracking its parse could make on a text that long is estimated as the warnings filters
estimate it (warnfilters._steps: items in sequence multiply, alternatives add, a repeat tries
each count it may take), times the positions a search starts from; past MAX_STEPS the call is
a LimitError naming the pattern's repeats and the text's length. A log line, a parameter name
or a word list are far below it; a pattern whose repeats nest is refused on all but short texts.

A compiled pattern is gradsh's Pattern (its methods are the module's, checked the same way);
matches are Python's re.Match (group, groups, groupdict, span, start, end, string, pos, endpos,
lastindex, lastgroup, `m[1]`), never the compiled pattern inside them. A replacement text is
measured before re.sub builds the result (within the string limit).
"""

import itertools
import operator
import re

from .limits import MAX_ITEMS, MAX_STR, LimitError
from .namespaces import Namespace
from .sandbox import PYTHON_ALLOWED
from .warnfilters import _sre_parse, _steps

MAX_STEPS = 10 ** 8   # estimated backtracking steps of one call (about a second of C at worst)
MAX_PATTERN = 10_000  # characters of a pattern


class Pattern:
    """A compiled regular expression (re.compile), its searches checked as the module's."""

    __slots__ = ("_regex", "_tree", "pattern", "flags", "groups", "groupindex")

    def __init__(self, pattern, flags=0):
        if isinstance(pattern, Pattern):
            if flags:
                raise ValueError("cannot process flags argument with a compiled pattern")
            pattern, flags = pattern.pattern, pattern.flags
        if isinstance(pattern, (str, bytes)) and len(pattern) > MAX_PATTERN:
            raise LimitError("a regular expression of %d characters (gradsh's limit is %d)"
                             % (len(pattern), MAX_PATTERN))
        self._regex = re.compile(pattern, flags)
        text = pattern if isinstance(pattern, str) else bytes(pattern).decode("latin-1")
        self._tree = _sre_parse.parse(text, self._regex.flags & ~re.LOCALE)
        self.pattern, self.flags = self._regex.pattern, self._regex.flags
        self.groups, self.groupindex = self._regex.groups, dict(self._regex.groupindex)

    def _check(self, string, what, scans=True):
        if not isinstance(string, (str, bytes, bytearray)):
            return  # Python's TypeError, from the real call
        n = len(string)
        steps = _steps(self._tree, n, MAX_STEPS) * ((n + 1) if scans else 1)
        if steps > MAX_STEPS:
            raise LimitError(
                "re.%s() of %r on a text of %d characters could backtrack more than %d steps "
                "(gradsh's limit: the pattern's repeats and alternatives multiply); try it on "
                "shorter texts (a line at a time) or with fewer repeats" % (
                    what, self.pattern if len(self.pattern) <= 60 else self.pattern[:57] + "...",
                    n, MAX_STEPS))

    def match(self, string, pos=0, endpos=MAX_STR + 1):
        self._check(string, "match", scans=False)
        return self._regex.match(string, pos, endpos)

    def fullmatch(self, string, pos=0, endpos=MAX_STR + 1):
        self._check(string, "fullmatch", scans=False)
        return self._regex.fullmatch(string, pos, endpos)

    def search(self, string, pos=0, endpos=MAX_STR + 1):
        self._check(string, "search")
        return self._regex.search(string, pos, endpos)

    def findall(self, string, pos=0, endpos=MAX_STR + 1):
        self._check(string, "findall")
        if isinstance(string, (str, bytes, bytearray)) and len(string) >= MAX_ITEMS:
            # a text this long may hold more matches than a list may have items (an empty
            # pattern matches at every place): counted, in C, before the list is made
            found = operator.countOf(map(bool, itertools.islice(
                self._regex.finditer(string, pos, endpos), MAX_ITEMS + 1)), True)
            if found > MAX_ITEMS:
                raise LimitError("re.findall() found more than %d matches (gradsh's limit of "
                                 "%d items in a list)" % (MAX_ITEMS, MAX_ITEMS))
        return self._regex.findall(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=MAX_STR + 1):
        self._check(string, "finditer")
        return self._regex.finditer(string, pos, endpos)

    def split(self, string, maxsplit=0):
        self._check(string, "split")
        if isinstance(string, (str, bytes, bytearray)) and isinstance(maxsplit, int) and \
                len(string) * (self.groups + 1) >= MAX_ITEMS:
            # each split adds a piece and one item per group: at most as many splits as keep
            # the list within MAX_ITEMS, and past them the rest of the text must not match
            most = (MAX_ITEMS - 1) // (self.groups + 1)
            if maxsplit <= 0 or maxsplit > most:
                parts = self._regex.split(string, most)
                if len(parts) == most * (self.groups + 1) + 1 and \
                        self._regex.search(parts[-1]) is not None:
                    raise LimitError("re.split() would make more than %d pieces (gradsh's "
                                     "limit of %d items)" % (MAX_ITEMS, MAX_ITEMS))
                return parts
        return self._regex.split(string, maxsplit)

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count, "sub")[0]

    def subn(self, repl, string, count=0, what="subn"):
        self._check(string, what)
        if callable(repl) and isinstance(string, (str, bytes)):
            repl = _measured(repl, string, what)
        if isinstance(repl, (str, bytes)) and isinstance(string, (str, bytes)):
            # each match is replaced by the template; a group reference copies a part of its
            # match, and matches do not overlap: all copies of one reference make at most the
            # text's length
            refs = len(re.findall(r"\\(?:g<[^>]*>|\d)", repl if isinstance(repl, str)
                                  else repl.decode("latin-1")))
            if len(string) * (1 + refs) + (len(string) + 1) * len(repl) > MAX_STR:
                raise LimitError("re.%s() could make a text of more than %d characters "
                                 "(gradsh's limit)" % (what, MAX_STR))
        return self._regex.subn(repl, string, count)

    def __eq__(self, other):
        return isinstance(other, Pattern) and self._regex == other._regex

    def __hash__(self):
        return hash(self._regex)

    def __repr__(self):
        return repr(self._regex)


def _measured(repl, string, what):
    """A replacement function whose results are added up as re.sub joins them: the text kept
    between matches and every result together stay within the string limit (each result is
    within it, but a thousand of them were not)."""
    size = [len(string)]

    def replace(match):
        text = repl(match)
        if isinstance(text, (str, bytes)):
            size[0] += len(text)
            if size[0] > MAX_STR:
                raise LimitError("re.%s() would make a text of more than %d characters "
                                 "(gradsh's limit)" % (what, MAX_STR))
        return text
    return replace


PYTHON_ALLOWED[Pattern] = frozenset((
    "match", "fullmatch", "search", "findall", "finditer", "split", "sub", "subn", "pattern",
    "flags", "groups", "groupindex"))
PYTHON_ALLOWED[re.Match] = frozenset((
    "group", "groups", "groupdict", "span", "start", "end", "string", "pos", "endpos",
    "lastindex", "lastgroup"))


def _module_function(name):
    def call(pattern, string, flags=0):
        return getattr(compile(pattern, flags), name)(string)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = getattr(re, name).__doc__
    return call


def compile(pattern, flags=0):
    """Compile a regular expression pattern, returning a Pattern object."""
    return pattern if isinstance(pattern, Pattern) and not flags else Pattern(pattern, flags)


def sub(pattern, repl, string, count=0, flags=0):
    """Return the string obtained by replacing the leftmost non-overlapping occurrences of the
    pattern in string by the replacement repl."""
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    """Return a 2-tuple containing (new_string, number): re.sub's and its count."""
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    """Split the source string by the occurrences of the pattern."""
    return compile(pattern, flags).split(string, maxsplit)


def escape(pattern):
    """Escape special characters in a string."""
    return re.escape(pattern)  # (at most twice as long as the pattern)


def re_namespace():
    from .stdlib import _Module
    members = {name: _module_function(name) for name in (
        "match", "fullmatch", "search", "findall", "finditer")}
    members.update(compile=compile, sub=sub, subn=subn, split=split, escape=escape,
                   error=re.error, Pattern=Pattern, Match=re.Match)
    members.update({name: getattr(re, name) for name in (
        "A", "ASCII", "I", "IGNORECASE", "L", "LOCALE", "M", "MULTILINE", "S", "DOTALL",
        "X", "VERBOSE", "U", "UNICODE", "NOFLAG", "RegexFlag")})
    return Namespace("re", _Module(**members))
