"""Parse errors in plain words: what was found, what was expected ("an expression", "')'"),
never the grammar's token names.
"""

import re
import keyword

from .compiler import CompileError

__all__ = ["describe_token", "describe_char"]

_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a string", "FSTRING": "a string",
    "_NEWLINE": "end of line", "_INDENT": "an indented block", "_DEDENT": "end of the block",
    "$END": "end of file", "AUGASSIGN": "an augmented assignment ('+=', ...)",
}
_EXPR_START = {"NAME", "NUMBER", "STRING", "FSTRING", "LPAR", "LSQB", "LBRACE", "MINUS", "PLUS",
               "TILDE", "NOT", "LAMBDA", "NONE", "TRUE", "FALSE", "ELLIPSIS"}
# statements start with these (besides expressions)
_STATEMENTS = {"ASSERT", "BREAK", "CONTINUE", "DEF", "DEL", "FOR", "FROM", "IF", "IMPORT", "PASS",
               "RETURN", "WHILE", "WITH", "GLOBAL", "NONLOCAL", "RAISE", "TRY", "CLASS"}
# a clause keyword and the blocks it continues
_CLAUSE_HEADERS = {"ELSE": "'if', 'for', 'while' or 'try'", "ELIF": "'if'",
                   "EXCEPT": "'try'", "FINALLY": "'try'"}
# what Python calls the block a header opens, in "expected an indented block after ..."
_BYTES_PREFIX = re.compile(r"(?<![\w])(?:[bB][rR]?|[rR][bB])$")  # b"...", rb'...' just before
_HEADER_NAMES = {"def": "function definition", "class": "class definition"}
_OPERATORS = {"'%s'" % op for op in (
    "+ - * / // % @ | ^ & << >> ** < > == >= <= != in is and or not if".split())}


def describe_token(tok, expected, text, terminal_words):
    """A CompileError in plain words for a token the parser cannot accept here."""
    line, col = _token_pos(tok, text)
    if tok.type == "$END":
        if "_INDENT" in expected:
            header = _previous_code_line(text, line + 1)
            return CompileError("expected an indented block after %s"
                                % _header_words(text, header), line, col,
                                kind="IndentationError", incomplete=True)
        expected_words = _expected_words(expected, terminal_words)
        return CompileError("found end of file, expected %s" % expected_words, line, col,
                            incomplete=True)
    if tok.type == "_INDENT":
        return CompileError("unexpected indent", line, col, kind="IndentationError")
    if "_INDENT" in expected:
        header = _previous_code_line(text, line)
        return CompileError("expected an indented block after %s" % _header_words(text, header),
                            line, col, kind="IndentationError")
    found = _found_words(tok)
    if tok.type in _CLAUSE_HEADERS and _STATEMENTS & set(expected):
        return CompileError("'%s' without a matching %s block above it at the same indentation"
                            % (tok.value, _CLAUSE_HEADERS[tok.type]), line, col,
                            end_col=tok.end_column)
    if tok.type == "STRING" and _BYTES_PREFIX.search(text.split("\n")[line - 1][:col - 1]):
        prefix = _BYTES_PREFIX.search(text.split("\n")[line - 1][:col - 1])
        return CompileError("bytes literals are not part of gradsh", line, prefix.start() + 1,
                            end_col=tok.end_column, hint="write a str (drop the %r prefix)"
                            % prefix.group(0))
    if tok.type in _EXPR_START and len(_OPERATORS & {terminal_words(e) for e in expected}) >= 6:
        return CompileError("found %s right after an expression" % found, line, col,
                            end_col=tok.end_column,
                            hint="perhaps you forgot a comma or an operator between them?")
    end_col = tok.end_column if tok.type not in ("_NEWLINE", "_DEDENT") else None
    hint = _keyword_hint(text, tok) if tok.value == "=" else None
    expected_words = _expected_words(expected, terminal_words)
    return CompileError("found %s, expected %s" % (found, expected_words), line, col,
                        end_col=end_col, hint=hint)


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


def _expected_words(expected, terminal_words):
    expected = set(expected)
    words = []
    if len(expected & _STATEMENTS) >= 4:
        # a statement: expressions are statements too; no keyword list
        words.append("a statement")
        expected -= _STATEMENTS | _EXPR_START | {"STAR"}
    elif len(expected & _EXPR_START) >= 8:
        words.append("an expression")
        expected -= _EXPR_START
        expected.discard("STAR")  # a starred expression: still an expression
    elif "NAME" in expected:
        words.append("a name")
        expected.discard("NAME")
    newline = expected & {"_NEWLINE", "$END", "_DEDENT"}
    expected -= newline
    others = {terminal_words(name) for name in expected}
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


def describe_char(e, text):
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


def _header_words(text, number):
    """"'for' statement on line 1", "function definition on line 3": Python's words for the
    block header on line `number`."""
    lines = text.split("\n")
    code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    word = code.split(None, 1)[0].rstrip(":") if code else ""
    if word in _HEADER_NAMES:
        return "%s on line %d" % (_HEADER_NAMES[word], number)
    if keyword.iskeyword(word):
        return "'%s' statement on line %d" % (word, number)
    return "line %d" % number


def _keyword_hint(text, tok):
    """`lambda = 1`: say that the word before '=' is a keyword."""
    before = text.split("\n")[tok.line - 1][:tok.column - 1].rstrip()
    word = before.split()[-1] if before.split() else ""
    if keyword.iskeyword(word):
        return "'%s' is a keyword and cannot be used as a name" % word
    return None
