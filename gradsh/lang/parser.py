"""The gradsh parser: one LALR parser per process, from grammar/gradsh.lark.

Lark analyses the grammar once (tables.py caches the result on disk, so start-up loads plain
data instead of importing Lark and building the table); lexer.py tokenizes, the indentation
postlexer below adds _INDENT/_DEDENT, and lalr.py drives the table. The compiler is the callbacks' transformer,
so a program becomes a Python `ast.Module` while it is parsed: no tree is walked afterwards
(and nothing recurses on deeply nested input). Every failure leaves this module as a
GradshSyntaxError in plain words.
"""

import gc

from . import compiler
from .compiler import CompileError
from .errors import GradshSyntaxError
from .lalr import Driver, Unexpected
from .lexer import Lexer, LexError, Token
from .source import decode, split_lines
from .tables import load_tables

__all__ = ["parse", "parse_source", "parse_fexpr", "check_complete", "get_parser"]

MAX_BRACKETS = 200  # as Python's tokenizer
MAX_INDENT = 100  # as Python's tokenizer

_OPEN = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_CLOSE = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}

# Python keywords that are not part of gradsh: the lexer sees them as names.
_UNSUPPORTED_KEYWORDS = {
    "class": "classes", "try": "'try' statements", "except": "exception handling",
    "finally": "'try' statements", "raise": "'raise' statements", "yield": "generators",
    "global": "'global' declarations", "nonlocal": "'nonlocal' declarations",
    "async": "async code", "await": "async code",
}


# ---------------------------------------------------------------- indentation postlexer

def _indent(stream, opened):
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
            if tok.column > 1 and kind != "_NEWLINE":
                raise CompileError("unexpected indent", tok.line, tok.column,
                                   kind="IndentationError")
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
        elif kind == "NAME" and tok.value in _UNSUPPORTED_KEYWORDS:
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
        yield _token("_INDENT", indent, nl, line, col)
        return
    while wide < levels[-1][0]:
        levels.pop()
        yield _token("_DEDENT", indent, nl, line, col)
    if levels[-1] != (wide, narrow):
        if wide == levels[-1][0]:
            raise _tab_error(line)
        raise CompileError("unindent does not match any outer indentation level", line, col,
                           kind="IndentationError")


def _tab_error(line):
    return CompileError("inconsistent use of tabs and spaces in indentation", line, 1,
                        kind="TabError")


def _token(kind, value, near, line=None, col=None):
    if near is None:
        return Token(kind, value, 0, 1, 1, 1, 1, 0)
    if line is None:
        line, col = near.end_line, near.end_column
    return Token(kind, value, near.end_pos, line, col, line, col, near.end_pos)


def _unclosed_at_end(tokens):
    """Lex on to the end: the "'(' was never closed" error if a bracket stays open, else None."""
    try:
        for _ in tokens:
            pass
    except CompileError as e:
        if e.message.endswith("was never closed"):
            return e
    except LexError:
        pass
    return None


# ---------------------------------------------------------------- building the parser once

class Parser:
    """The process's parser: the analysed grammar, our lexer and LALR driver, the compiler."""

    def __init__(self, tables):
        self.lexer = Lexer(tables["terminals"], tables["ignore"])
        self.driver = Driver(tables, compiler.Compiler())
        self._literals = {name: pattern for name, kind, pattern in tables["terminals"]
                          if kind == "str"}

    def parse(self, text, start="file_input"):
        """The compiled result of `text` (an ast.Module for file_input); CompileError if invalid."""
        opened = []
        tokens = _indent(self.lexer.tokens(text), opened)
        try:
            return self.driver.parse(tokens, start)
        except LexError as e:
            raise _describe_char(e, text) from None
        except Unexpected as e:
            found = describe(e.token, e.expected, text)
            if opened and e.token.type != "$END":
                never_closed = _unclosed_at_end(tokens)
                if never_closed is not None:
                    # Python's rule: a bracket that is never closed is the likely mistake
                    never_closed.hint = "the parser stopped at line %d, column %d: %s" % (
                        found.line, found.col, found.message)
                    never_closed.incomplete = False
                    raise never_closed from None
            raise found from None

    def terminal_words(self, name):
        """How an error message names a terminal: its text ("')'", "'else'") or its name."""
        if name in self._literals:
            return "'%s'" % self._literals[name]
        return name.lower()


_parser = None


def get_parser():
    """The process's parser, built once (from the cached grammar tables when possible)."""
    global _parser
    if _parser is None:
        _parser = Parser(load_tables())
    return _parser


# ---------------------------------------------------------------- entry points

def parse_source(source, filename="<stdin>"):
    """Decode and parse a whole program; return (text, lines, ast.Module)."""
    text = decode(source, filename)
    lines = split_lines(text)
    return text, lines, parse(text, filename, lines)


def parse(text, filename="<stdin>", lines=None):
    """Parse decoded program text into a checked Python ast.Module located in the .grad source."""
    if lines is None:
        lines = split_lines(text)
    collecting = gc.isenabled()
    gc.disable()  # a parse allocates many AST nodes and no cycles; collections only cost time
    try:
        module = get_parser().parse(text, start="file_input")
        compiler.check_module(module)
        return module
    except CompileError as e:
        raise _syntax_error(e, filename, lines) from None
    finally:
        if collecting:
            gc.enable()


def parse_fexpr(text):
    """Parse the expression of an f-string field (positions relative to "(" + text)."""
    return get_parser().parse("(" + text + ")", start="fexpr")


def _syntax_error(e, filename, lines):
    line = e.line
    source_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    end_col = e.end_col if (e.end_line is None or e.end_line == line) else None
    return GradshSyntaxError(e.message, filename, line, e.col, end_col, source_line, e.kind,
                             e.hint, e.incomplete)


def check_complete(text):
    """For the REPL: "complete", "incomplete" (more lines needed) or "invalid".

    A block statement (if/for/while/with/def) at the end stays incomplete until the input
    ends with an empty line, as in Python's REPL.
    """
    try:
        decoded = decode(text, "<input>")
        module = parse(decoded, "<input>")
    except GradshSyntaxError as e:
        return "incomplete" if e.incomplete else "invalid"
    if module.body and compiler.is_block(module.body[-1]):
        last_line = text.replace("\r\n", "\n").split("\n")[-1]
        if "\n" not in text or last_line.strip():
            return "incomplete"
    return "complete"


# ---------------------------------------------------------------- Lark errors in plain words

_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a string", "FSTRING": "a string",
    "_NEWLINE": "end of line", "_INDENT": "an indented block", "_DEDENT": "end of the block",
    "$END": "end of file", "AUGASSIGN": "an augmented assignment ('+=', ...)",
}
_EXPR_START = {"NAME", "NUMBER", "STRING", "FSTRING", "LPAR", "LSQB", "LBRACE", "MINUS", "PLUS",
               "TILDE", "NOT", "LAMBDA", "NONE", "TRUE", "FALSE", "ELLIPSIS"}
_OPERATORS = {"'%s'" % op for op in (
    "+ - * / // % @ | ^ & << >> ** < > == >= <= != in is and or not if".split())}


def describe(tok, expected, text):
    """A CompileError in plain words for a token the parser cannot accept here."""
    line, col = _token_pos(tok, text)
    if tok.type == "$END":
        if "_INDENT" in expected:
            return CompileError("expected an indented block", line, col,
                                kind="IndentationError", incomplete=True)
        return CompileError("found end of file, expected %s" % _expected_words(expected),
                            line, col, incomplete=True)
    if tok.type == "_INDENT":
        return CompileError("unexpected indent", line, col, kind="IndentationError")
    if "_INDENT" in expected:
        header = _previous_code_line(text, line)
        return CompileError("expected an indented block after line %d" % header, line, col,
                            kind="IndentationError")
    found = _found_words(tok)
    end_col = tok.end_column if tok.type not in ("_NEWLINE", "_DEDENT") else None
    hint = _keyword_hint(text, tok) if tok.value == "=" else None
    return CompileError("found %s, expected %s" % (found, _expected_words(expected)),
                        line, col, end_col=end_col, hint=hint)


def _token_pos(tok, text):
    if tok.type == "$END" or getattr(tok, "line", None) is None:
        lines = text.split("\n")
        # the last line is the empty one after the final newline: point after the last code
        for number in range(len(lines) - 1, 0, -1):
            if lines[number - 1].strip():
                return number, len(lines[number - 1].rstrip()) + 1
        return 1, 1
    return tok.line, tok.column


def _found_words(tok):
    if tok.type == "NAME":
        return "name '%s'" % tok.value
    if tok.type == "NUMBER":
        return "number %s" % tok.value
    if tok.type in ("STRING", "FSTRING"):
        return "a string"
    if tok.type in ("_NEWLINE", "_DEDENT", "$END"):
        return _WORDS[tok.type]
    if tok.value.isalpha():
        return "keyword '%s'" % tok.value
    return "'%s'" % tok.value


def _expected_words(expected):
    expected = set(expected)
    words = []
    if len(expected & _EXPR_START) >= 8:
        words.append("an expression")
        expected -= _EXPR_START
    elif "NAME" in expected:
        words.append("a name")
        expected.discard("NAME")
    newline = expected & {"_NEWLINE", "$END", "_DEDENT"}
    expected -= newline
    others = {get_parser().terminal_words(name) for name in expected}
    operators = others & _OPERATORS
    if len(operators) >= 6:
        others -= _OPERATORS
    else:
        operators = set()
    words += sorted(others)
    if operators:
        words.append("an operator")
    if newline:
        words.append("end of line")
    if len(words) > 6:
        words = words[:5] + ["..."]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _describe_char(e, text):
    line, col = e.line, e.column
    pos = e.pos
    char = text[pos]
    # the lexer reads the first two quotes of an unterminated '"""' as an empty string
    for start in (pos, pos - 2):
        if start >= 0 and text[start:start + 3] in ('"""', "'''"):
            col -= pos - start
            return CompileError("unterminated triple-quoted string", line, col, incomplete=True)
    if char in "\"'":
        return CompileError("unterminated string", line, col)
    if char == "\\":
        return CompileError("found '\\' outside a string: a line continuation must end its line",
                            line, col)
    if not char.isascii():
        what = "letter" if char.isalpha() else "character"
        hint = ("names are ASCII letters, digits and '_'; look-alike letters from other "
                "alphabets are not allowed") if char.isalpha() else None
        if char in "\u201c\u201d\u2018\u2019":
            hint = "use straight quotes (\" or ') for strings"
        return CompileError("found non-ASCII %s %r (U+%04X)" % (what, char, ord(char)),
                            line, col, hint=hint)
    if char == "\t" or char == " ":
        return CompileError("unexpected whitespace", line, col)
    return CompileError("found unexpected character %r" % char, line, col)


def _previous_code_line(text, line):
    lines = text.split("\n")
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return max(line - 1, 1)


def _keyword_hint(text, tok):
    """`lambda = 1`: say that the word before '=' is a keyword."""
    before = text.split("\n")[tok.line - 1][:tok.column - 1].rstrip()
    word = before.split()[-1] if before.split() else ""
    import keyword
    if keyword.iskeyword(word):
        return "'%s' is a keyword and cannot be used as a name" % word
    return None
