"""Tab completion: variables, torch names and keywords; attributes after `.`; keyword arguments
inside a call; meta-commands, their topics, and file names for :load/:save."""

import itertools
import re
from collections import OrderedDict

from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from .lexer import BUILTINS, CONSTANTS, KEYWORDS, TORCH_NAMES
from .scan import scan

_DOTTED = re.compile(r"((?:[A-Za-z_]\w*\.)*)([A-Za-z_]\w*)?$")
_CALLEE = re.compile(r"((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*$")
# names, attributes and items with a literal key: `opt.param_groups[0]['params']`; then
# `...['w` (a dict's key being typed) and `...].` (an item's attributes)
_KEY = r"\[\s*(?:'[^'\\]*'|\"[^\"\\]*\"|-?\d+)\s*\]"
_CHAIN = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|%s)*" % _KEY
_KEY_AT = re.compile(r"(?<![\w.\])\]])(%s)\[\s*(?:(['\"])([^'\"\\]*))?$" % _CHAIN)
_ITEM = re.compile(r"(?<![\w.\])\]])(%s%s)$" % (_CHAIN, _KEY))
_PART = re.compile(r"\.?([A-Za-z_]\w*)|%s" % _KEY.replace(r"(?:", "(", 1))
_PATH_COMMANDS = ("load", "save")
_FILE_OPTION = re.compile(r"^--(?:dot|svg|png) (\S*)$")  # :graph --svg FILE, while typing FILE
# Completing while typing reads the whole input before the cursor (is it in a string?): on
# every key, so a line typed (not pasted) into a long input would cost its length squared.
# Past this many characters the menu waits for Tab; the dotted name is found in the tail only.
MAX_TYPING_CONTEXT = 2000
MAX_NAME_CHAIN = 200


class GradshCompleter(Completer):
    def __init__(self, state):
        self.state = state
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        if text.lstrip().startswith(":"):
            yield from self._meta(text.lstrip(), complete_event)
            return
        yield from self._code(text, complete_event.completion_requested)

    # ------------------------------------------------------------ meta-commands
    def _meta(self, text, event):
        from .meta import COMMANDS, HELP_TOPICS
        name, space, rest = text[1:].partition(" ")
        if not space:
            for cmd in sorted(COMMANDS):
                if cmd.startswith(name):
                    yield Completion(cmd, -len(name), display_meta=COMMANDS[cmd].summary)
            return
        rest = rest.lstrip()
        option = _FILE_OPTION.search(rest)
        if name in _PATH_COMMANDS or (name == "graph" and option):
            path = option.group(1) if option else rest
            yield from self._path(path.lstrip("\"'"), event)
        elif name == "help":
            for topic in sorted(HELP_TOPICS):
                if topic.startswith(rest):
                    yield Completion(topic, -len(rest))
        elif name in ("graph", "trace", "plot"):
            yield from self._code(rest, event.completion_requested)

    def _path(self, partial, event):
        yield from self._paths.get_completions(Document(partial, len(partial)), event)

    # ------------------------------------------------------------ program text
    def _code(self, text, requested=True):
        if len(text) > MAX_TYPING_CONTEXT and not requested:
            return
        where, brackets = scan(text)
        tail = len(text) - min(len(text), MAX_NAME_CHAIN)
        keys = list(self._keys(text[tail:]))
        if keys or where != "code":
            yield from keys
            return
        m = _DOTTED.search(text, tail)
        chain, word = m.group(1), m.group(2) or ""
        item = _ITEM.search(text, tail, m.start() - 1) if text[m.start() - 1:m.start()] == "." \
            else None
        if chain or item:
            obj = self._value(item.group(1) + "." + chain[:-1] if chain else item.group(1)) \
                if item else self.resolve(chain[:-1])
            if obj is not MISSING:
                for attr in attribute_names(self._session(), obj):
                    if attr.startswith(word):
                        yield Completion(attr, -len(word))
            return
        before = text[m.start() - 1] if m.start() > 0 else ""
        if before.isdigit() or before in (".", ")", "]", "'", '"'):
            return  # a number, or an attribute of an expression gradsh will not evaluate
        if not word and not requested:  # a menu of everything on every space is noise
            return
        seen = set()
        if brackets and brackets[-1][0] == "(":
            callee = _CALLEE.search(text[:brackets[-1][1]])
            if callee:
                for param in self._keywords(callee.group(1)):
                    if param.startswith(word) and (word or requested):
                        seen.add(param)
                        yield Completion(param + "=", -len(word), display_meta="keyword argument")
        for name, meta in self._names():
            if name.startswith(word) and name not in seen and (word or meta != "keyword"):
                seen.add(name)
                yield Completion(name, -len(word), display_meta=meta)

    def _names(self):
        """(name, kind) of everything a program can name here: its variables first."""
        session = self._session()
        if session is not None:
            variables = session.variables() if hasattr(session, "variables") else {}
            for name in sorted(variables):
                yield name, describe(variables[name])
            builtins = session.globals.get("__builtins__", {})
            first_use = session.first_use_names() if hasattr(session, "first_use_names") else ()
            for name in sorted({n for n in builtins if n[:1].isalpha()} | set(first_use)):
                yield name, "builtin" if name in BUILTINS else "torch"
        else:
            for name in sorted(BUILTINS + TORCH_NAMES):
                yield name, "builtin" if name in BUILTINS else "torch"
        for name in KEYWORDS + CONSTANTS:
            yield name, "keyword"

    def _session(self):
        loader = self.state.loader
        return self.state.session if loader.ready else None

    def resolve(self, dotted):
        """The value `dotted` names, read without running the program's code; MISSING if it
        cannot be (unknown, private, or behind a program's property or __getattr__)."""
        session = self._session()
        if session is None:
            return MISSING
        first, *rest = dotted.split(".")
        scope = session.globals
        if first in scope:
            obj = scope[first]
        else:
            obj = session.builtin(first, MISSING) if hasattr(session, "builtin") else \
                scope.get("__builtins__", {}).get(first, MISSING)
        for part in rest:
            if obj is MISSING:
                break
            obj = attribute(session, obj, part)
        return obj

    def _keys(self, text):
        """The keys of a dict after `d[` (as their repr: `'weight'`, `1`) or after `d['w` (the
        rest of the string keys, quote left open), as IPython offers them."""
        m = _KEY_AT.search(text)
        obj = self._value(m.group(1)) if m else MISSING
        if not _plain(obj, (dict, OrderedDict)):
            return
        quote, typed = m.group(2), m.group(3) or ""
        for key in itertools.islice(obj, MAX_KEYS):
            if quote is None and type(key) in (str, int, float, bool) and _short(key):
                yield Completion(repr(key), 0, display_meta="key")
            elif quote is not None and type(key) is str and key.startswith(typed) and \
                    quote not in key and "\\" not in key and _short(key):
                yield Completion(key, -len(typed), display_meta="key")

    def _value(self, chain):
        """What `name.attr[key]...` holds, read as resolve() reads names and attributes, and
        items of Python's own dicts, lists and tuples only (no program code runs); MISSING if
        it cannot be."""
        import ast
        obj, first = MISSING, True
        for part in _PART.finditer(chain):
            name, key = part.group(1), part.group(2)
            if first:
                obj, first = self.resolve(name), False
            elif name is not None:
                obj = attribute(self._session(), obj, name)
            elif _plain(obj, (dict, OrderedDict, list, tuple)):
                try:
                    obj = obj[ast.literal_eval(key)]
                except (LookupError, TypeError, ValueError):
                    return MISSING
            else:
                return MISSING
            if obj is MISSING:
                return MISSING
        return obj

    def _keywords(self, dotted):
        obj = self.resolve(dotted)
        if obj is MISSING or not callable(obj):
            return []
        import inspect
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):
            return []
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        return [p.name for p in sig.parameters.values()
                if p.kind in kinds and not p.name.startswith("_") and p.name != "self"]


MISSING = object()
MAX_KEYS = 1000  # a dict's keys offered after `d[`
MAX_KEY_CHARS = 200


def _short(key):
    """A key short enough to offer (a program's dict may hold a 10**7-character string, or an
    int too long for repr)."""
    return len(key) <= MAX_KEY_CHARS if type(key) is str else \
        type(key) is not int or -10 ** MAX_KEY_CHARS < key < 10 ** MAX_KEY_CHARS


def _plain(obj, types):
    """Is obj exactly one of Python's own containers `types`, whose items are read without
    running any of the program's code (a program's subclass may define __getitem__)?"""
    return type(obj) in types


def attribute_names(session, obj):
    """The attributes a program may use on `obj`: the language gate's own answer."""
    return session.attribute_names(obj)


def attribute(session, obj, name):
    """obj.name as a program would get it, or MISSING (completion never raises, and never runs
    the program's code: a property or __getattr__ of its class is not completed through)."""
    from gradsh.lang.runtime.namespaces import Namespace
    try:
        if name.startswith("_") or name not in attribute_names(session, obj):
            return MISSING
        return obj.get(name) if isinstance(obj, Namespace) else session.peek(obj, name)
    except Exception:  # a property of gradsh's that fails is simply not completed through
        return MISSING


def describe(value):
    """A short kind for the completion menu: `tensor (2, 2)`, `function`, `int`..."""
    if type(value).__name__ == "Tensor":
        return "tensor %s" % (tuple(value.shape),)
    if callable(value):
        return "function"
    return type(value).__name__
