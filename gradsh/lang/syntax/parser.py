"""The gradsh parser: one LALR parser per process, from grammar/gradsh.lark.

Lark analyses the grammar once (tables.py caches the result on disk, so start-up loads plain
data instead of importing Lark and building the table); lexer.py tokenizes, with the line
structure (_NEWLINE/_INDENT/_DEDENT, brackets) from indentation.py, and lalr.py drives the
table, calling the compiler as each rule is reduced, so
a program becomes a Python `ast.Module` while it is parsed: no tree is walked afterwards (and
nothing recurses on deeply nested input). Every failure leaves this module as a
GradshSyntaxError in plain words (syntax_errors.py).
"""

import gc
import re

from . import compiler
from .compiler import CompileError
from ..errors import GradshSyntaxError
from .indentation import Layout
from .lalr import Driver, TooDeep, Unexpected
from .mangling import mangled
from .lexer import CHARGED, FIELD_CHARGE, Lexer, LexError, TooManyTokens
from .source import decode, split_lines
from .syntax_errors import describe_char, describe_token
from .tables import load_tables

__all__ = ["parse", "parse_source", "parse_fexpr", "check_complete", "get_parser", "MAX_TOKENS"]

# Tokens in one program (its f-string fields included; lexer.CHARGED: what a def, lambda...
# costs). Parsing and compiling cost a few microseconds per token in Python: this bounds a
# program's parse to a few seconds, where the 16 MiB text limit alone allowed millions of
# tokens (minutes). About 30,000 lines of ordinary code (W8's 10,000 dense lines fit), or a
# list literal of 150,000 numbers.
MAX_TOKENS = 300_000


def _unclosed_at_end(tokens):
    """Lex on to the end: the "'(' was never closed" error if a bracket stays open, else None."""
    try:
        for _ in tokens:
            pass
    except CompileError as e:
        if e.message.endswith("was never closed"):
            return e
    except (LexError, TooManyTokens):
        pass
    return None


# ---------------------------------------------------------------- building the parser once

class Parser:
    """The process's parser: the analysed grammar, our lexer and LALR driver, the compiler."""

    def __init__(self, tables):
        self.lexer = Lexer(tables["terminals"], tables["ignore"], Layout.reserved)
        self.driver = Driver(tables, compiler.Compiler())
        self._budget = None  # the tokens left to the program being parsed
        self._literals = {name: pattern for name, kind, pattern in tables["terminals"]
                          if kind == "str"}

    def parse(self, text, start="file_input", line=1, col=0, prefix=None):
        """The compiled result of `text` (an ast.Module for file_input); CompileError if invalid.

        `line` and `col` place the text in its source (for an f-string field). Error messages
        take their positions from the text alone: they are only right for a text at (1, 0).
        A program's texts (its own and its f-string fields', parsed while it is) share one
        budget of MAX_TOKENS tokens."""
        layout = Layout()
        outer = self._budget
        if outer is None:
            self._budget = [MAX_TOKENS]
        tokens = self.lexer.tokens(text, layout, line, col, self._budget)
        if prefix or _HAS_PRIVATE(text):  # (most texts have no private name to mangle)
            tokens = mangled(tokens, prefix)
        try:
            return self.driver.parse(tokens, start)
        except LexError as e:
            raise describe_char(e, text) from None
        except TooManyTokens as e:
            raise CompileError(
                "the program is larger than gradsh's limit of %s tokens (a def, lambda, "
                "class or for counts as %d, an f-string field as %d), which bounds the time "
                "to compile it" % (format(MAX_TOKENS, ","), CHARGED["DEF"], FIELD_CHARGE),
                e.line, e.column,
                kind="LimitError",
                hint="split it into smaller programs, or build large data with code (a loop, "
                     "range, torch.arange) instead of writing it out") from None
        except TooDeep as e:
            raise CompileError("expression too deeply nested (more than %d levels)"
                               % compiler.MAX_NESTING, e.token.line, e.token.column) from None
        except Unexpected as e:
            found = describe_token(e.token, e.expected, text, self.terminal_words)
            if layout.opened and e.token.type != "$END":
                never_closed = _unclosed_at_end(tokens)
                if never_closed is not None:
                    # Python's rule: a bracket that is never closed is the likely mistake
                    never_closed.hint = "the parser stopped at line %d, column %d: %s" % (
                        found.line, found.col, found.message)
                    never_closed.incomplete = False
                    raise never_closed from None
            raise found from None
        finally:
            self._budget = outer

    def terminal_words(self, name):
        """How an error message names a terminal: its text ("')'", "'else'") or its name."""
        if name in self._literals:
            return "'%s'" % self._literals[name]
        return name.lower()


_parser = None
# a private name (`__x`, not `__x__`) somewhere in a text: only then is it mangled (mangling.py)
_HAS_PRIVATE = re.compile(r"\b__(?!\w*__\b)\w+").search


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
        compiler.wrap_tuple_displays(module)
        return module
    except CompileError as e:
        raise _syntax_error(e, filename, lines) from None
    finally:
        if collecting:
            gc.enable()


def parse_fexpr(text, line=1, col=1, prefix=None):
    """Parse the expression of an f-string field that starts at `line`, 0-based column `col` of
    its source (the default: positions relative to "(" + text); `prefix` mangles its private
    names as in the class body it sits in (mangling.py)."""
    return get_parser().parse("(" + text + ")", start="fexpr", line=line, col=col - 1,
                              prefix=prefix)


def _syntax_error(e, filename, lines):
    line = e.line
    source_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    end_col = e.end_col if (e.end_line is None or e.end_line == line) else None
    return GradshSyntaxError(e.message, filename, line, e.col, end_col, source_line, e.kind,
                             e.hint, e.incomplete)


def check_complete(text):
    """For the REPL: "complete", "incomplete" (more lines needed) or "invalid".

    A block statement (if/for/while/with/def) at the end stays incomplete until the input
    ends with an empty line, as in Python's REPL. A last line ending in a backslash (outside a
    comment) continues on the next, as in Python's REPL (`return a + \\` in the Bi-LSTM CRF
    tutorial).
    """
    last = text.replace("\r\n", "\n").rsplit("\n", 1)[-1]
    if last.endswith("\\") and "#" not in last:
        return "incomplete"
    try:
        decoded = decode(text, "<input>")
        module = parse(decoded, "<input>")
    except GradshSyntaxError as e:
        if e.incomplete or _stopped_past_the_end(e, text) or (
                e.kind not in _SYNTAX_KINDS and _open_block(text)):
            return "incomplete"
        return "invalid"
    if module.body and compiler.is_block(module.body[-1]):
        last_line = text.replace("\r\n", "\n").split("\n")[-1]
        if "\n" not in text or last_line.strip():
            return "incomplete"
    return "complete"


# what the parser itself reports; other kinds are the compiler's refusals inside a correct
# statement (an import gradsh does not offer, a private name): ImportError, AttributeError
_SYNTAX_KINDS = {"SyntaxError", "IndentationError", "TabError", "LimitError"}


def _open_block(text):
    """A block header (or a decorator) begins the input and its last line is not empty: more
    lines may follow, as in a block the compiler accepts. A refusal inside `try:` must wait for
    the `except` typed next (ending the input there ran the `try` alone, and the `except` line
    was then a syntax error of its own)."""
    lines = text.replace("\r\n", "\n").split("\n")
    code = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not code or not lines[-1].strip():
        return False
    first = code[0].split("#", 1)[0].rstrip()
    return first.endswith(":") or first.lstrip().startswith("@")


def _stopped_past_the_end(error, text):
    """The parser wanted more after the last line, which is not empty: blocks closing at the end
    of input before what they need (`class A:` / `    @staticmethod`, a `try:` body before its
    `except`). The next line may complete it, as in Python's REPL; after an empty line it is an
    error."""
    lines = text.replace("\r\n", "\n").split("\n")
    return error.line is not None and error.line > len(lines) and lines[-1].strip() != ""
