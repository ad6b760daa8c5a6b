"""The str methods a program gets in place of Python's: str.format whose attribute fields pass
the attribute gate ("{0.__class__}" would otherwise reach anything), and the methods that build
strings, size-checked.
"""


from .builtinfns import builtin_method, python_refusal
from .limits import (MAX_ITEMS, MAX_STR, check_items, check_length, check_spec, check_text_size, collect,
                     int_like, shown_as_kind)

__all__ = ["STR_WRAPPERS", "safe_format_value", "format_method"]


@shown_as_kind
class FieldError(AttributeError):
    """A format field that would read an attribute or an item."""

    gradsh_kind = "AttributeError"


def _width_method(name):
    method = getattr(str, name)

    def checked(s, width, *fill):
        width = int_like(width)  # read once, so the width checked is the one used
        if isinstance(width, int):
            check_length(width, "str.%s()" % name)
        return method(s, width, *fill)

    checked.__name__ = name
    checked.__doc__ = method.__doc__
    return checked


def _join(sep, iterable):
    kind = type(iterable)
    if not (hasattr(kind, "__iter__") or hasattr(kind, "__getitem__")):
        raise TypeError("can only join an iterable")  # Python's words (`",".join(None)`)
    items = collect(iterable, "str.join()")
    total = len(sep) * max(len(items) - 1, 0)
    for item in items:
        if isinstance(item, str):
            total += len(item)
    check_length(total, "str.join()")
    return sep.join(items)


def _replace(s, old, new, count=-1):
    count = int_like(count)
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        n = s.count(old) if old else len(s) + 1
        if isinstance(count, int) and count >= 0:
            n = min(n, count)
        check_length(len(s) + n * (len(new) - len(old)), "str.replace()")
    return s.replace(old, new, count)


_FORMATTERS = {}


def _formatter(load):
    """str.format whose fields read attributes through the gate (`load(obj, name)`, as
    `obj.name` in the program's text: "{0.__class__.__mro__}" is what the code would be) and
    items as `obj[key]` does; every field is size-checked before and after it is formatted."""
    formatter = _FORMATTERS.get(load)
    if formatter is not None:
        return formatter()
    import string  # only programs that call str.format pay for it
    from _string import formatter_field_name_split  # what str.format reads a field name with

    class SafeFormatter(string.Formatter):
        # one per call: the text made so far is counted as each field is formatted, so that
        # '{0}' * 10 ** 5 of a long text stops at the limit rather than after joining it
        total = 0
        # `{.real}`, `{[0]}`: an automatically numbered field with attributes or items, which
        # string.Formatter takes for a keyword '' (str.format numbers it). parse hands on the
        # bare field (numbered as `{}` is) and keeps the rest for the get_field that follows
        suffix = ""
        # "auto" or "manual" once a field is numbered: string.Formatter words a switch from
        # automatic to manual numbering as the other way round, so parse says it first
        numbering = None
        positional = True  # False for format_map, which has no positional arguments

        def parse(self, format_string):
            for literal, field_name, spec, conversion in super().parse(format_string):
                if field_name is not None:
                    if field_name[:1] in ("", ".", "["):
                        self.suffix, field_name = field_name, ""
                        self._numbered("auto", "manual field specification",
                                       "automatic field numbering")
                    elif type(formatter_field_name_split(field_name)[0]) is int:
                        self._numbered("manual", "automatic field numbering",
                                       "manual field specification")
                yield literal, field_name, spec, conversion

        def _numbered(self, how, before, after):
            if not self.positional:
                raise ValueError("Format string contains positional fields")
            if self.numbering not in (None, how):
                raise ValueError("cannot switch from %s to %s" % (before, after))
            self.numbering = how

        def get_field(self, field_name, args, kwargs):
            field_name, self.suffix = field_name + self.suffix, ""
            first, rest = formatter_field_name_split(field_name)
            obj = self.get_value(first, args, kwargs)
            for is_attribute, key in rest:
                obj = load(obj, key) if is_attribute else obj[key]
            return obj, first

        def get_value(self, key, args, kwargs):
            if type(key) is int and key >= len(args):  # str.format's own words
                raise IndexError("Replacement index %d out of range for positional args "
                                 "tuple" % key)
            return super().get_value(key, args, kwargs)

        def convert_field(self, value, conversion):
            if conversion is not None:  # '{!r}': the text made before format_field
                check_text_size(value, "str.format()", {"r": repr, "a": ascii}.get(conversion))
            return super().convert_field(value, conversion)

        def format_field(self, value, format_spec):
            check_spec(format_spec)
            check_text_size(value, "str.format()")
            text = _checked_length(format(value, format_spec), "str.format()")
            self.total += len(text)
            check_length(self.total, "str.format()")
            return text

    if len(_FORMATTERS) > 100:  # one per session's gate: sessions come and go in one process
        _FORMATTERS.clear()
    _FORMATTERS[load] = SafeFormatter
    return SafeFormatter()


def format_method(load):
    """`text.format` as the gate hands it out: fields read attributes with `load`."""
    def bind(s, name):
        def format(*args, **kwargs):
            return _checked_length(_formatter(load).vformat(s, args, kwargs), "str.format()")

        def format_map(mapping):
            formatter = _formatter(load)
            formatter.positional = False
            return _checked_length(formatter.vformat(s, (), mapping), "str.format_map()")

        method = format if name == "format" else format_map
        method.__doc__ = getattr(str, name).__doc__
        method.__qualname__, method.__module__ = "str." + name, "builtins"  # (in Python's errors)
        return builtin_method(method, name, s)  # (adv13c) as Python shows its method
    return bind


def _checked_length(text, what):
    """text, refused past MAX_STR: for the methods whose result's length is known only once it is
    made (the process's memory ceiling bounds the making)."""
    check_length(len(text), what)
    return text


def _growing_method(name):
    """A str method whose result can be longer than the string (upper('ß') is 'SS')."""
    method = getattr(str, name)
    what = "str.%s()" % name

    def checked(s, *args):
        if isinstance(s, str) and not s.isascii():  # (ASCII keeps its length)
            # measured a slice at a time before the whole is made: 'ß' * 10**8 would make
            # 2 * 10**8 characters first (issue 16, round 15); a title's slices may differ
            # from the whole by a character at each cut, and the result is measured again
            grown = 0
            for start in range(0, len(s), _SLICE):
                grown += len(method(s[start:start + _SLICE], *args))
                if grown > MAX_STR + len(s) // _SLICE + 1:
                    check_length(grown, what)
        return _checked_length(method(s, *args), what)

    checked.__name__ = name
    return checked


_SLICE = 1 << 16


def _splitting_method(name):
    """str.split/rsplit, asked for at most MAX_ITEMS splits: never more parts than the limit."""
    method = getattr(str, name)

    def checked(s, sep=None, maxsplit=-1):
        maxsplit = int_like(maxsplit)
        bounded = maxsplit
        if isinstance(maxsplit, int) and not 0 <= maxsplit <= MAX_ITEMS:
            bounded = MAX_ITEMS
        parts = method(s, sep, bounded)
        if len(parts) > MAX_ITEMS:
            check_items(len(parts) + 1, "str.%s()" % name)
        return parts

    checked.__name__ = name
    return checked


def _expandtabs(s, tabsize=8):
    """str.expandtabs, within MAX_STR: each tab becomes at most `tabsize` spaces, so that bound
    is checked before the text is made."""
    tabsize = int_like(tabsize)
    if isinstance(tabsize, int) and tabsize > 0:
        check_length(len(s) + s.count("\t") * tabsize, "str.expandtabs()")
    return s.expandtabs(tabsize)


def _splitlines(s, keepends=False):
    parts = s.splitlines(keepends)
    check_items(len(parts), "str.splitlines()")
    return parts




def _bound(fn, shown):
    fn.__qualname__ = "str." + shown  # as Python's argument errors name it: str.join()

    def bind(s, name):
        def method(*args, **kwargs):
            try:
                return fn(s, *args, **kwargs)
            except TypeError:  # (Python's words when fn refused the arguments themselves)
                refused = python_refusal(fn, getattr(str, name), (s, *args), kwargs,
                                         method=True)
                if refused is None:
                    raise
            raise refused
        method.__name__ = name
        method.__doc__ = getattr(str, name).__doc__
        method.__qualname__, method.__module__ = "str." + name, "builtins"  # (in Python's errors)
        return builtin_method(method, name, s)  # (adv13c) as Python shows its method
    return bind


def _translate(s, table):
    """str.translate within the string limit: a table that maps characters to longer strings
    (or a program's object answering any) is applied here, the text measured as it grows."""
    if type(table) is dict and all(v is None or type(v) is int or (type(v) is str and len(v) <= 1)
                                   for v in table.values()):
        return s.translate(table)  # never longer than s
    if type(table) is dict and len(table) <= 1000:  # measured first, then Python's (in C)
        length = len(s)
        for key, value in table.items():
            if type(key) is int and type(value) is str and len(value) > 1 and 0 <= key <= 0x10FFFF:
                length += s.count(chr(key)) * (len(value) - 1)
        check_length(length, "str.translate()")
        return s.translate(table)
    out, length = [], 0
    for ch in s:
        try:
            mapped = table[ord(ch)]
        except LookupError:
            mapped = ch
        if mapped is None:
            continue
        if isinstance(mapped, int):
            mapped = chr(mapped)
        elif not isinstance(mapped, str):
            raise TypeError("character mapping must return integer, None or str")
        length += len(mapped)
        check_length(length, "str.translate()")
        out.append(mapped)
    return "".join(out)


STR_WRAPPERS = {name: _bound(fn, name) for name, fn in {
    "join": _join, "replace": _replace, "translate": _translate,
    "center": _width_method("center"), "ljust": _width_method("ljust"),
    "rjust": _width_method("rjust"), "zfill": _width_method("zfill"),
    "split": _splitting_method("split"), "rsplit": _splitting_method("rsplit"),
    "splitlines": _splitlines, "expandtabs": _expandtabs,
}.items()}
STR_WRAPPERS.update((name, _bound(_growing_method(name), name)) for name in
                    ("upper", "lower", "casefold", "title", "capitalize", "swapcase"))


def safe_format_value(value, spec, conversion):
    """What an f-string field `{value!conversion:spec}` becomes."""
    convert = {"r": repr, "s": str, "a": ascii}[conversion] if conversion is not None else None
    check_text_size(value, "an f-string", None if convert is str else convert)
    if convert is not None:
        value = convert(value)
    if spec:
        check_spec(spec)
    return _checked_length(format(value, spec), "an f-string")
