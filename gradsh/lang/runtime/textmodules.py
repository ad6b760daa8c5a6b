"""json, textwrap and pprint (branch adv12c): Python's, with their output held within the string
limit (docs/language.md "Modules", docs/security.md).

json.dumps walks the value as repr() does first (limits.check_text_size: a value holding the
same list over and over fails at once), then encodes it piece by piece with Python's pure-Python
encoder (`JSONEncoder.iterencode`), stopping once the text passes MAX_STR: a `default=`
function making ever more data cannot fill memory. Its indent and separators are written at
every item and every level, so each is at most MAX_PIECE characters. json.loads is Python's
(the values it makes are no larger than its text; a text nested past the recursion limit is
Python's RecursionError). textwrap's results and pprint's text are measured before they are
built where their size follows from the input (indents are written once a line).
"""

import json
import pprint as _pprint
import textwrap as _textwrap

from .limits import MAX_ITEMS, MAX_STR, LimitError, check_text_size
from .namespaces import Namespace
from .sandbox import PYTHON_ALLOWED

MAX_PIECE = 10_000  # characters of json's indent or a separator, of textwrap's indents


def _piece(value, what):
    n = value if isinstance(value, int) and not isinstance(value, bool) else \
        len(value) if isinstance(value, str) else 0
    if n > MAX_PIECE:
        raise LimitError("%s of %d characters (gradsh's limit is %d)" % (what, n, MAX_PIECE))


def _too_long(what):
    return LimitError("%s would make a text of more than %d characters (gradsh's limit)"
                      % (what, MAX_STR))


# ------------------------------------------------------------------ json
def _encoder(what, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
             cls=None, indent=None, separators=None, default=None, sort_keys=False, **unknown):
    if cls is not None:
        raise TypeError("%s(cls=...) is not supported in gradsh: pass default=, a function "
                        "turning what json cannot write into what it can" % what)
    if unknown:
        raise TypeError("JSONEncoder.__init__() got an unexpected keyword argument '%s'"
                        % next(iter(unknown)))
    _piece(indent, "%s indent" % what)
    for sep in separators or ():
        _piece(sep, "%s separator" % what)
    return json.JSONEncoder(skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                            check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                            separators=separators, default=default, sort_keys=sort_keys)


def _pieces(obj, encoder, what):
    check_text_size(obj, what, ascii if encoder.ensure_ascii else repr)
    size = 0
    try:
        for chunk in encoder.iterencode(obj):  # (not one-shot: Python's encoder, in pieces)
            size += len(chunk)
            if size > MAX_STR:
                raise _too_long(what)
            yield chunk
    except ValueError as e:
        # Python's dumps without an indent encodes in C, whose words name no value
        text = str(e)
        if encoder.indent is None and text.startswith(_NOT_COMPLIANT):
            raise ValueError(_NOT_COMPLIANT) from None
        raise


_NOT_COMPLIANT = "Out of range float values are not JSON compliant"


def dumps(obj, **options):
    """Serialize obj to a JSON formatted str (Python's json.dumps)."""
    return "".join(_pieces(obj, _encoder("json.dumps", **options), "json.dumps()"))


def dump(obj, fp, **options):
    """Serialize obj as a JSON formatted stream to fp (a file-like object with .write())."""
    for chunk in _pieces(obj, _encoder("json.dump", **options), "json.dump()"):
        fp.write(chunk)


def loads(s, **options):
    """Deserialize s (a str, bytes or bytearray holding a JSON document) to a Python object."""
    if options.get("cls") is not None:
        raise TypeError("json.loads(cls=...) is not supported in gradsh: pass object_hook=")
    value = json.loads(s, **options)
    if isinstance(s, (str, bytes, bytearray)) and len(s) > 2 * MAX_ITEMS:
        _check_loaded(value)
    return value


def _check_loaded(value):
    """The lists and dicts json.loads made are within the item limit: an item takes at least
    two characters of JSON (`0,`), so only a text past twice the limit is walked."""
    todo = [value]
    while todo:
        item = todo.pop()
        if type(item) in (list, dict):
            if len(item) > MAX_ITEMS:
                raise LimitError("json.loads() made a %s of %d items (gradsh's limit is %d)"
                                 % (type(item).__name__, len(item), MAX_ITEMS))
            todo.extend(item.values() if type(item) is dict else item)


def load(fp, **options):
    """Deserialize fp (a file-like object with .read()) holding a JSON document."""
    return loads(fp.read(), **options)


def json_namespace():
    from .stdlib import _Module
    return Namespace("json", _Module(dumps=dumps, dump=dump, loads=loads, load=load,
                                     JSONDecodeError=json.JSONDecodeError))


PYTHON_ALLOWED[json.JSONDecodeError] = frozenset(("msg", "doc", "pos", "lineno", "colno",
                                                  "args", "with_traceback", "add_note"))


# ------------------------------------------------------------------ textwrap
def _check_wrap(text, what, options):
    if not isinstance(text, str):
        return
    widest = 0
    for name in ("initial_indent", "subsequent_indent", "placeholder"):
        value = options.get(name, "")
        _piece(value, "%s %s" % (what, name))
        widest = max(widest, len(value) if isinstance(value, str) else 0)
    length = len(text)
    tabsize = options.get("tabsize", 8)
    if options.get("expand_tabs", True) and isinstance(tabsize, int) and tabsize > 1:
        # the text is first expanded: a tab becomes up to tabsize spaces
        length += text.count("\t") * (tabsize - 1)
        if length > MAX_STR:
            raise _too_long(what)
    # every line holds at least one character of the text (or is the one empty line)
    if length + (length + 1) * (widest + 1) > MAX_STR:
        raise _too_long(what)


class TextWrapper(_textwrap.TextWrapper):
    """Python's TextWrapper, its indents and placeholder within the limits."""

    def __init__(self, width=70, **options):
        for name in ("initial_indent", "subsequent_indent", "placeholder"):
            if name in options:
                _piece(options[name], "TextWrapper %s" % name)
        super().__init__(width, **options)

    def _options(self):
        return {"initial_indent": self.initial_indent,
                "subsequent_indent": self.subsequent_indent, "placeholder": self.placeholder,
                "tabsize": self.tabsize, "expand_tabs": self.expand_tabs}

    def wrap(self, text):
        _check_wrap(text, "TextWrapper.wrap()", self._options())
        return super().wrap(text)

    def fill(self, text):
        _check_wrap(text, "TextWrapper.fill()", self._options())
        return super().fill(text)


PYTHON_ALLOWED[TextWrapper] = frozenset((
    "wrap", "fill", "width", "initial_indent", "subsequent_indent", "expand_tabs",
    "replace_whitespace", "fix_sentence_endings", "break_long_words", "drop_whitespace",
    "break_on_hyphens", "tabsize", "max_lines", "placeholder"))


def wrap(text, width=70, **options):
    """Wrap a single paragraph of text, returning a list of wrapped lines."""
    return TextWrapper(width=width, **options).wrap(text)


def fill(text, width=70, **options):
    """Fill a single paragraph of text, returning a new string."""
    return TextWrapper(width=width, **options).fill(text)


def shorten(text, width, **options):
    """Collapse and truncate the given text to fit in the given width."""
    _check_wrap(text, "textwrap.shorten()", options)
    return _textwrap.shorten(text, width, **options)


def indent(text, prefix, predicate=None):
    """Add prefix to the beginning of selected lines in text."""
    if isinstance(text, str) and isinstance(prefix, str):
        if len(text) + len(prefix) * (text.count("\n") + 1) > MAX_STR:
            raise _too_long("textwrap.indent()")
    return _textwrap.indent(text, prefix, predicate)


def textwrap_namespace():
    from .stdlib import _Module
    return Namespace("textwrap", _Module(
        wrap=wrap, fill=fill, shorten=shorten, indent=indent, dedent=_textwrap.dedent,
        TextWrapper=TextWrapper))


# ------------------------------------------------------------------ pprint
MAX_PPRINT_INDENT = 100


def _formatted(obj, what, indent=1, width=80, depth=None, *, compact=False, sort_dicts=True,
               underscore_numbers=False):
    if isinstance(indent, int) and indent > MAX_PPRINT_INDENT:
        raise LimitError("%s indent of %d (gradsh's limit is %d)"
                         % (what, indent, MAX_PPRINT_INDENT))
    check_text_size(obj, what, repr)
    # the text is more than the repr: every line is indented by its depth (width=1 puts each
    # item on a line of its own), so it is measured as the printer writes it
    out = _Measured(what)
    _pprint.PrettyPrinter(indent=indent, width=width, depth=depth, stream=out, compact=compact,
                          sort_dicts=sort_dicts, underscore_numbers=underscore_numbers
                          ).pprint(obj)
    return "".join(out.parts)[:-1]  # (pprint ends with a newline, pformat does not)


class _Measured:
    """A stream for Python's PrettyPrinter that stops it once its text passes MAX_STR."""

    __slots__ = ("parts", "size", "what")

    def __init__(self, what):
        self.parts, self.size, self.what = [], 0, what

    def write(self, text):
        self.size += len(text)
        if self.size > MAX_STR:
            raise _too_long(self.what)
        self.parts.append(text)


def pprint_namespace(runtime):
    from .stdlib import _Module

    def pformat(obj, indent=1, width=80, depth=None, **options):
        """Format a Python object into a pretty-printed representation."""
        return _formatted(obj, "pprint.pformat()", indent, width, depth, **options)

    def pprint(obj, stream=None, indent=1, width=80, depth=None, **options):
        """Pretty-print a Python object to the output."""
        if stream is not None:
            raise TypeError("pprint(stream=...) is not supported in gradsh: output goes to "
                            "stdout")
        runtime.write(_formatted(obj, "pprint.pprint()", indent, width, depth, **options)
                      + "\n")

    def pp(obj, *args, sort_dicts=False, **options):
        """Pretty-print a Python object (dicts in their order)."""
        pprint(obj, *args, sort_dicts=sort_dicts, **options)

    return Namespace("pprint", _Module(pprint=pprint, pformat=pformat, pp=pp))


pprint_namespace.needs_runtime = True


# ------------------------------------------------------------------ string.Template
import string as _string


class Template(_string.Template):
    """string.Template (branch adv12c): `$name` and `${name}` replaced from a mapping, the
    text it makes measured as it is built (within the string limit). Its pattern is Python's
    (a program cannot subclass it, so cannot give another)."""

    def _substituted(self, mapping, kws, safe, what):
        if mapping is None:
            mapping = kws
        elif kws:
            mapping = {**mapping, **kws}
        size = [len(self.template)]

        def convert(match):
            name = match.group("named") or match.group("braced")
            if name is not None:
                try:
                    text = str(mapping[name])
                except KeyError:
                    if not safe:
                        raise
                    return match.group()
            elif match.group("escaped") is not None:
                text = self.delimiter
            elif safe:
                return match.group()
            else:
                self._invalid(match)
            size[0] += len(text)
            if size[0] > MAX_STR:
                raise _too_long(what)
            return text
        return self.pattern.sub(convert, self.template)

    def substitute(self, mapping=None, /, **kws):
        return self._substituted(mapping, kws, False, "Template.substitute()")

    def safe_substitute(self, mapping=None, /, **kws):
        return self._substituted(mapping, kws, True, "Template.safe_substitute()")


PYTHON_ALLOWED[Template] = frozenset(("substitute", "safe_substitute", "template",
                                      "get_identifiers", "is_valid", "delimiter"))
