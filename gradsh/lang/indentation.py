"""Python's indentation rules as a token filter: _NEWLINE, _INDENT and _DEDENT tokens, brackets.

Between the lexer and the LALR driver. It also refuses the Python keywords gradsh leaves out
(the lexer sees `class` as a name) and ends the stream with the "$END" token.
"""

from .compiler import CompileError
from .lexer import Token

__all__ = ["indentation", "MAX_BRACKETS", "MAX_INDENT"]

MAX_BRACKETS = 200  # as Python's tokenizer
MAX_INDENT = 100  # as Python's tokenizer

_OPEN = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_CLOSE = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}
_WATCHED = frozenset(["_NEWLINE", "NAME", *_OPEN, *_CLOSE])  # the others pass unexamined

# Python keywords that are not part of gradsh: the lexer sees them as names.
_UNSUPPORTED_KEYWORDS = {
    "class": "classes", "try": "'try' statements", "except": "exception handling",
    "finally": "'try' statements", "raise": "'raise' statements", "yield": "generators",
    "global": "'global' declarations", "nonlocal": "'nonlocal' declarations",
    "async": "async code", "await": "async code",
}


def indentation(stream, opened):
    """Python's indentation rules on the token stream: _INDENT/_DEDENT, brackets, bad keywords,
    and the final $END token.

    `opened` (the open bracket tokens) belongs to the caller, which reads it after a parse
    error. State lives in this generator, not in a shared object, because the parser is
    re-entered to parse f-string fields while a program is being parsed.
    """
    levels = [(0, 0)]  # indentation widths with tabs as 8 columns and as 1 column
    tok = None
    first = True
    for tok in stream:
        kind = tok.type
        if first:
            first = False
            if tok.col_offset > 0 and kind != "_NEWLINE":
                raise CompileError("unexpected indent", tok.line, tok.column,
                                   kind="IndentationError")
        if kind not in _WATCHED:
            yield tok
            continue
        if kind == "_NEWLINE":
            if opened:
                continue
            yield tok
            yield from _indent_tokens(tok, levels)
            continue
        if kind in _OPEN:
            opened.append(tok)
            if len(opened) > MAX_BRACKETS:
                raise CompileError("too many nested brackets (more than %d)" % MAX_BRACKETS,
                                   tok.line, tok.column)
        elif kind in _CLOSE:
            if not opened:
                raise CompileError("unmatched '%s'" % tok.value, tok.line, tok.column)
            top = opened.pop()
            if _OPEN[top.type] != kind:
                raise CompileError(
                    "closing '%s' does not match '%s' opened at line %d, column %d"
                    % (tok.value, top.value, top.line, top.column), tok.line, tok.column)
        elif tok.value in _UNSUPPORTED_KEYWORDS:
            raise CompileError(
                "'%s' is a Python keyword; %s are not part of gradsh"
                % (tok.value, _UNSUPPORTED_KEYWORDS[tok.value]), tok.line, tok.column,
                end_col=tok.end_column)
        yield tok
    if opened:
        top = opened[-1]
        raise CompileError("'%s' was never closed" % top.value, top.line, top.column,
                           incomplete=True)
    while len(levels) > 1:
        levels.pop()
        yield _token("_DEDENT", "", tok)
    yield _token("$END", "", tok)


def _indent_tokens(nl, levels):
    indent = nl.value[nl.value.rfind("\n") + 1:]
    wide = len(indent.expandtabs(8))
    narrow = len(indent)
    line, col = nl.end_line, len(indent) + 1
    top_wide, top_narrow = levels[-1]
    if wide == top_wide:
        if narrow != top_narrow:
            raise _tab_error(line)
        return
    if wide > top_wide:
        if narrow <= top_narrow:
            raise _tab_error(line)
        if len(levels) > MAX_INDENT:
            raise CompileError("too many levels of indentation (more than %d)" % MAX_INDENT,
                               line, col, kind="IndentationError")
        levels.append((wide, narrow))
        yield _token("_INDENT", indent, nl, line, col - 1)
        return
    while wide < levels[-1][0]:
        levels.pop()
        yield _token("_DEDENT", indent, nl, line, col - 1)
    if levels[-1] != (wide, narrow):
        if wide == levels[-1][0]:
            raise _tab_error(line)
        raise CompileError("unindent does not match any outer indentation level", line, col,
                           kind="IndentationError")


def _tab_error(line):
    return CompileError("inconsistent use of tabs and spaces in indentation", line, 1,
                        kind="TabError")


def _token(kind, value, near, line=None, col_offset=None):
    if near is None:
        return Token(kind, value, 1, 0, 1, 0)
    if line is None:
        line, col_offset = near.end_lineno, near.end_col_offset
    return Token(kind, value, line, col_offset, line, col_offset)
