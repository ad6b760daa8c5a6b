"""Splitting an f-string token into literal text and `{expression!conversion:spec}` fields.

The expressions are parsed later by the gradsh parser itself (never by Python's), so they go
through the same sandboxed compiler as the rest of the program.
"""

import re
import sys
import unicodedata
from typing import List, NamedTuple, Optional, Union


class Field(NamedTuple):
    expr: str  # the expression's source text
    offset: int  # where it starts in the token text
    conversion: Optional[str]  # "r", "s", "a" or None
    spec: Optional[list]  # the format spec as parts (str | Field), or None
    debug: Optional[str]  # for f"{x=}": the literal "x=" that precedes the value


class FStringError(Exception):
    def __init__(self, message, offset):
        super().__init__(message)
        self.message = message
        self.offset = offset


Part = Union[str, Field]


def scan(text) -> List[Part]:
    """The parts of the f-string token `text` (prefix and quotes included)."""
    i = 0
    while text[i] in "rRfFuU":
        i += 1
    raw = "r" in text[:i].lower()
    quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else text[i]
    parts, _ = _body(text, i + len(quote), len(text) - len(quote), raw, in_spec=False)
    return parts


_MOST_NESTED = 2  # a field in the spec of a field in a spec: Python 3.11's "nested too deeply"


# a run of literal text, escapes included (all but `\N{...}`, whose braces _body reads itself);
# possessive where Python has it, so a long run costs no backtracking stack
_PLUS = "++" if sys.version_info >= (3, 11) else "+"
_LITERAL_RUN = re.compile(r"(?:[^{}\\]%s|\\[^N]|\\N(?!\{))%s" % (_PLUS, _PLUS))
_RAW_LITERAL_RUN = re.compile(r"[^{}]+")


def _body(text, pos, end, raw, in_spec, level=0):
    parts, literal = [], []

    def flush():
        if literal:
            chunk = "".join(literal)
            parts.append(chunk if raw else unescape(chunk))
            literal.clear()

    run = _RAW_LITERAL_RUN if raw else _LITERAL_RUN
    while pos < end:
        plain = run.match(text, pos, end)  # literal text and escapes are taken in one piece
        if plain is not None:
            literal.append(plain.group())
            pos = plain.end()
            if pos >= end:
                break
        c = text[pos]
        if c == "\\" and not raw:
            if text.startswith("N{", pos + 1):
                close = text.find("}", pos)
                close = end - 1 if close < 0 or close >= end else close
                literal.append(text[pos:close + 1])
                pos = close + 1
            else:
                literal.append(text[pos:pos + 2])
                pos += 2
            continue
        if c == "{":
            if not in_spec and text.startswith("{", pos + 1):
                literal.append("{")
                pos += 2
                continue
            flush()
            if level >= _MOST_NESTED:
                raise FStringError("f-string: expressions nested too deeply", pos)
            field, pos = _field(text, pos + 1, end, raw, level)
            parts.append(field)
            continue
        if c == "}":
            if in_spec:
                break
            if text.startswith("}", pos + 1):
                literal.append("}")
                pos += 2
                continue
            raise FStringError("f-string: single '}' is not allowed", pos)
        literal.append(c)
        pos += 1
    flush()
    return parts, pos


_FIELD_STOP = re.compile(r"""['"()\[\]{}#\\!:=]""")  # the characters _field looks at


def _field(text, pos, end, raw, level=0):
    start, depth, quote = pos, 0, None
    while pos < end:
        if quote:  # inside a string only its closing quote counts
            pos = text.find(quote, pos, end)
            if pos < 0:
                pos = end
                break
            quote = None
            pos += 1
            continue
        stop = _FIELD_STOP.search(text, pos, end)
        if stop is None:
            pos = end
            break
        pos = stop.start()
        c = text[pos]
        if c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                if c == "}":
                    break
                raise FStringError("f-string: unmatched '%s'" % c, pos)
            depth -= 1
        elif c == "#":
            raise FStringError("f-string expression part cannot include '#'", pos)
        elif c == "\\":
            raise FStringError("f-string expression part cannot include a backslash", pos)
        elif depth == 0:
            nxt = text[pos + 1:pos + 2]
            if c == "!" and nxt != "=":
                break
            if c == ":":
                break
            if c == "=" and nxt != "=" and text[pos - 1] not in "=!<>":
                break
        pos += 1
    expr = text[start:pos]
    if pos >= end:
        raise FStringError("f-string: expecting '}'", start - 1)
    if not expr.strip():
        raise FStringError("f-string: empty expression not allowed", start)
    debug = conversion = spec = None
    if text[pos] == "=":
        # Python keeps the spaces after the '=' too: f"{x = :.2f}" prints "x = 1.50"
        after = pos + 1
        while after < end and text[after] in " \t":
            after += 1
        debug = text[start:after]
        pos = after
    if text[pos:pos + 1] == "!":
        conversion = text[pos + 1:pos + 2]
        if conversion not in ("r", "s", "a") or not conversion:
            raise FStringError("f-string: invalid conversion character: expected 's', 'r', or 'a'",
                               pos + 1)
        pos += 2
    if text[pos:pos + 1] == ":":
        spec, pos = _body(text, pos + 1, end, raw, in_spec=True, level=level + 1)
    if pos >= end or text[pos] != "}":
        raise FStringError("f-string: expecting '}'", min(pos, end - 1))
    if debug is not None and conversion is None and spec is None:
        conversion = "r"
    return Field(expr, start, conversion, spec, debug), pos + 1


_ESCAPE = re.compile(
    r"\\(N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\n|.)", re.S)
_SIMPLE = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n",
           "r": "\r", "t": "\t", "v": "\v", "\n": ""}


def unescape(s):
    """Python's backslash escapes in a non-raw string literal."""
    if "\\" not in s:
        return s
    pieces = _ESCAPE.split(s)  # text, escape, text, escape, ..., text
    pieces[1::2] = [_SIMPLE[e] if e in _SIMPLE else _one_escape(e) for e in pieces[1::2]]
    return "".join(pieces)


def _one_escape(e):
    head = e[0]
    if head == "N" and len(e) > 1:
        try:
            return unicodedata.lookup(e[2:-1])
        except KeyError:
            raise ValueError("unknown Unicode character name %r" % e[2:-1]) from None
    if head in "xuU" and len(e) > 1:
        code = int(e[1:], 16)
        if code > 0x10FFFF:
            raise ValueError("illegal Unicode character \\%s" % e)
        return chr(code)
    if head in "01234567":
        return chr(int(e, 8))
    return "\\" + e
