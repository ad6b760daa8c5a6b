"""Python's line structure: _NEWLINE, _INDENT and _DEDENT tokens, brackets, the final $END.

The lexer calls a Layout at each newline, bracket and reserved word, and at the end of the
text (calling it only there, not once per token, is what keeps a filter stage out of the
tokenizer's inner loop). It also refuses the Python keywords gradsh leaves out (the lexer sees
`class` as a name).
"""

from .compiler import CompileError
from .lexer import Token

__all__ = ["Layout", "MAX_BRACKETS", "MAX_INDENT"]

MAX_BRACKETS = 200  # as Python's tokenizer
MAX_INDENT = 100  # as Python's tokenizer

_OPEN = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_CLOSE = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}

# Python keywords that are not part of gradsh: the lexer sees them as names.
_UNSUPPORTED_KEYWORDS = {"async": "async code", "await": "async code"}


class Layout:
    """The line structure of one text being lexed.

    `opened` (the open bracket tokens) is read by the parser after a parse error. One Layout
    per text, not a shared one: the parser is re-entered to parse f-string fields while a
    program is being parsed.
    """

    brackets = frozenset(_OPEN) | frozenset(_CLOSE)  # the token kinds to pass to bracket()
    reserved = frozenset(_UNSUPPORTED_KEYWORDS)  # the names to pass to reserved()

    def __init__(self):
        self.opened = []
        self._levels = [(0, 0)]  # indentation widths with tabs as 8 columns and as 1 column

    def first(self, tok):
        """The first token of the text: it may not be indented."""
        if tok.col_offset > 0 and tok.type != "_NEWLINE":
            raise CompileError("unexpected indent", tok.line, tok.column,
                               kind="IndentationError")

    def bracket(self, tok):
        opened = self.opened
        kind = tok.type
        if kind in _OPEN:
            opened.append(tok)
            if len(opened) > MAX_BRACKETS:
                raise CompileError("too many nested brackets (more than %d)" % MAX_BRACKETS,
                                   tok.line, tok.column)
            return
        if not opened:
            raise CompileError("unmatched '%s'" % tok.value, tok.line, tok.column)
        top = opened.pop()
        if _OPEN[top.type] != kind:
            raise CompileError(
                "closing '%s' does not match '%s' opened at line %d, column %d"
                % (tok.value, top.value, top.line, top.column), tok.line, tok.column)

    def reserved_word(self, tok):
        raise CompileError(
            "'%s' is a Python keyword; %s are not part of gradsh"
            % (tok.value, _UNSUPPORTED_KEYWORDS[tok.value]), tok.line, tok.column,
            end_col=tok.end_column)

    def newline(self, nl):
        """The tokens a _NEWLINE token stands for: none inside brackets, else itself and the
        _INDENT or _DEDENT tokens of the next line."""
        if self.opened:
            return ()
        levels = self._levels
        indent = nl.value[nl.value.rfind("\n") + 1:]
        narrow = len(indent)
        wide = len(indent.expandtabs(8)) if "\t" in indent else narrow
        top_wide, top_narrow = levels[-1]
        if wide == top_wide and narrow == top_narrow:
            return (nl,)  # the same level: most lines
        line, col = nl.end_lineno, len(indent) + 1
        if wide == top_wide:
            raise _tab_error(line)
        if wide > top_wide:
            if narrow <= top_narrow:
                raise _tab_error(line)
            if len(levels) > MAX_INDENT:
                raise CompileError("too many levels of indentation (more than %d)" % MAX_INDENT,
                                   line, col, kind="IndentationError")
            levels.append((wide, narrow))
            return nl, _token("_INDENT", indent, nl, line, col - 1)
        out = [nl]
        while wide < levels[-1][0]:
            levels.pop()
            out.append(_token("_DEDENT", indent, nl, line, col - 1))
        if levels[-1] != (wide, narrow):
            if wide == levels[-1][0]:
                raise _tab_error(line)
            raise CompileError("unindent does not match any outer indentation level", line, col,
                               kind="IndentationError")
        return out

    def end(self, last):
        """The tokens that end the text after `last` (None for an empty text): the _DEDENT
        tokens of the open blocks and $END; or the error of a bracket never closed."""
        if self.opened:
            top = self.opened[-1]
            raise CompileError("'%s' was never closed" % top.value, top.line, top.column,
                               incomplete=True)
        out = [_token("_DEDENT", "", last) for _ in self._levels[1:]]
        out.append(_token("$END", "", last))
        return out


def _tab_error(line):
    return CompileError("inconsistent use of tabs and spaces in indentation", line, 1,
                        kind="TabError")


def _token(kind, value, near, line=None, col_offset=None):
    if near is None:
        return Token(kind, value, 1, 0, 1, 0)
    if line is None:
        line, col_offset = near.end_lineno, near.end_col_offset
    return Token(kind, value, line, col_offset, line, col_offset)
