"""The tokenizer: one regular expression built from the grammar's own terminal definitions.

Lark's general-purpose lexer spends several microseconds of Python per token; this one lets
`re` do the work. The terminals and their patterns still come from grammar/gradsh.lark, but the
punctuation terminals share one alternative and are named by a dict lookup afterwards (and
keywords are lexed as names, then renamed): Python's `re` tries alternatives one after another,
so fifty literal alternatives cost more than the rest of the tokenizer together.
"""

import re
import sys

__all__ = ["Token", "Lexer", "LexError", "TooManyTokens"]


class Token:
    """A token. Its position is held as Python's ast nodes hold theirs (line 1-based, columns
    0-based, end exclusive), so the compiler copies it onto nodes as it is; `line`, `column`,
    `end_line` and `end_column` give it with 1-based columns, for messages."""

    __slots__ = ("type", "value", "lineno", "col_offset", "end_lineno", "end_col_offset")

    def __init__(self, type, value, lineno, col_offset, end_lineno, end_col_offset):
        self.type = type
        self.value = value
        self.lineno = lineno
        self.col_offset = col_offset
        self.end_lineno = end_lineno
        self.end_col_offset = end_col_offset

    @property
    def line(self):
        return self.lineno

    @property
    def column(self):
        return self.col_offset + 1

    @property
    def end_line(self):
        return self.end_lineno

    @property
    def end_column(self):
        return self.end_col_offset + 1

    def __repr__(self):
        return "Token(%s, %r, %d:%d)" % (self.type, self.value, self.lineno, self.col_offset + 1)


class LexError(Exception):
    """No terminal matches at `pos` (line, column 1-based)."""

    def __init__(self, pos, line, column):
        super().__init__("no token at line %d, column %d" % (line, column))
        self.pos, self.line, self.column = pos, line, column


# What a token costs the program's budget beyond itself (parser.MAX_TOKENS), where compiling
# costs much more than the token: each def, lambda, class and for (a comprehension is a
# function too) makes a code object, and Python's compiler takes time quadratic in the number
# of alike functions in one program (10,000 copies of `lambda: 0` on their own lines take
# 20 s to compile on a busy machine, 7,500 about 2 s on a quiet one); an f-string field is
# parsed on its own.
CHARGED = {"DEF": 40, "LAMBDA": 40, "CLASS": 40, "FOR": 40}
FIELD_CHARGE = 10


class TooManyTokens(Exception):
    """The program's token budget ran out at line, column (1-based)."""

    def __init__(self, line, column):
        super().__init__("too many tokens at line %d, column %d" % (line, column))
        self.line, self.column = line, column


# Which terminal wins where several could match (Python's re takes the first alternative that
# matches, not the longest): string prefixes before names, numbers before '.', augmented
# assignments before operators, longer operators before their prefixes. Terminals that overlap
# with none of these come anywhere. A regex terminal missing here is a bug.
REGEX_ORDER = ("NUMBER", "AUGASSIGN", "<punctuation>", "FSTRING", "STRING", "NAME")
UNORDERED = ("_NEWLINE",)

# Most names are matched before the string terminals by a pattern that excludes the letters
# that can start a string prefix (u"", r"", f"", ...): Python's re then skips the string
# alternatives for them without trying.
_NAME = "[A-Za-z_][A-Za-z0-9_]*"
_PLAIN_NAME = "[AC-EG-QS-TV-Zac-eg-qs-tv-z_][A-Za-z0-9_]*"
# group names in lower case: no terminal has one
_NAMES = frozenset(["NAME", "name"])  # "name" is a NAME matched by _PLAIN_NAME
_PUNCTUATION = "punctuation"  # the literal terminals that are not words
_NOTHING = "nothing"  # one character where no terminal matches
_RESERVED = "$RESERVED"
_SOFT = "$SOFT"
# Python's soft keywords: names, except where they start a statement (see _soft_keyword)
SOFT_KEYWORDS = {"match": "MATCH", "case": "CASE"}
# what may follow a soft keyword that is a name after all (`match = 1`, `case.x: int`)
_AFTER_A_NAME = frozenset(("=", ":", ".", ",", ")", "]", "}", ";"))
_new_token = object.__new__
_STATEMENT_START = frozenset(("_NEWLINE", "_INDENT", "_DEDENT"))


class Lexer:
    def __init__(self, terminals, ignore, reserved=()):
        """terminals: (name, "re" or "str", pattern) triples; ignore: the terminals to skip;
        reserved: names that are not names (lexed with the type "$RESERVED")."""
        regexps, punctuation, keywords = {}, {}, {}
        for name, kind, pattern in terminals:
            if kind == "re":
                regexps[name] = pattern
            else:
                punctuation[pattern] = name
        name_pattern = re.compile(regexps["NAME"])
        for value, name in list(punctuation.items()):
            if name_pattern.fullmatch(value):
                keywords[value] = name  # lexed as NAME, then renamed
                del punctuation[value]
        unknown = set(regexps) - set(REGEX_ORDER) - set(UNORDERED) - set(ignore)
        if unknown:
            raise ValueError("lexer.REGEX_ORDER does not place the terminals %s" % sorted(unknown))
        alternatives = []
        if regexps["NAME"] == _NAME:  # the shortcut holds for this definition of a name only
            alternatives.append("(?P<name>%s)" % _PLAIN_NAME)
        for name in REGEX_ORDER:
            if name == "<punctuation>":
                literals = sorted(punctuation, key=len, reverse=True)
                alternatives.append("(?P<%s>%s)" % (_PUNCTUATION,
                                                     "|".join(map(re.escape, literals))))
            elif name in regexps:
                alternatives.append("(?P<%s>%s)" % (name, _possessive(name, regexps[name])))
        rest = [name for name in UNORDERED + tuple(ignore) if name in regexps]
        alternatives += ["(?P<%s>%s)" % (name, regexps[name]) for name in rest]
        alternatives.append("(?P<%s>(?s:.))" % _NOTHING)
        # blanks between tokens are skipped by the same match that finds the next token
        self._finditer = re.compile("[ \\t\\f]*(?:%s)" % "|".join(alternatives)).finditer
        self._punctuation = punctuation
        self._keywords = keywords
        keywords.update(dict.fromkeys(reserved, _RESERVED))
        keywords.update(dict.fromkeys(SOFT_KEYWORDS, _SOFT))
        self._ignore = frozenset(ignore)
        # the terminals whose text can hold a newline (line counting is needed only for them)
        self._multiline = frozenset(
            name for name in regexps
            if "\\n" in regexps[name] or "\n" in regexps[name] or "(?s" in regexps[name]
            or name in ignore)
        self._special = self._multiline | _NAMES | {_NOTHING}

    def tokens(self, text, layout, line=1, col=0, budget=None):
        """Yield the tokens of `text` in its line structure, ending with $END: `layout` (an
        indentation.Layout) turns newlines into _NEWLINE, _INDENT and _DEDENT tokens and checks
        brackets and reserved words. Raise LexError where nothing matches, TooManyTokens past
        the budget (a one-item list: the tokens still allowed, shared by the texts of one
        program). The text starts at `line` and (0-based) column `col` of its source (an
        f-string field's place)."""
        punctuation, keywords = self._punctuation, self._keywords
        ignore, multiline, special = self._ignore, self._multiline, self._special
        brackets = layout.brackets
        punctuation_group, names, new = _PUNCTUATION, _NAMES, _new_token
        if budget is None:
            budget = [float("inf")]
        self._check_first(text, layout)
        line_start = -col
        tok = None
        for m in self._finditer(text):
            kind = m.lastgroup
            start, stop = m.span(kind)
            budget[0] -= 1
            if budget[0] < 0:
                raise TooManyTokens(line, start - line_start + 1)
            value = text[start:stop]
            if kind == punctuation_group:
                kind = punctuation[value]
                if kind in brackets:
                    tok = Token(kind, value, line, start - line_start, line, stop - line_start)
                    layout.bracket(tok)
                    yield tok
                    continue
            elif kind in special:
                if kind in names:
                    kind = keywords.get(value, "NAME")
                    if kind in CHARGED:
                        budget[0] -= CHARGED[kind]
                    if kind == _RESERVED:
                        layout.reserved_word(
                            Token(kind, value, line, start - line_start, line, stop - line_start))
                    elif kind == _SOFT:
                        kind = self._soft_keyword(text, value, stop, tok, layout)
                elif kind in multiline:
                    if kind == "FSTRING":
                        budget[0] -= FIELD_CHARGE * value.count("{")
                    newlines = value.count("\n")
                    first_line, col = line, start - line_start
                    if newlines:
                        line += newlines
                        line_start = start + value.rfind("\n") + 1
                    if kind in ignore:
                        continue
                    tok = Token(kind, value, first_line, col, line, stop - line_start)
                    if kind == "_NEWLINE":
                        yield from layout.newline(tok)
                    else:
                        yield tok
                    continue
                else:
                    raise LexError(start, line, start - line_start + 1)
            # the usual token, made without running Token.__init__ (a third of the time)
            tok = new(Token)
            tok.type = kind
            tok.value = value
            tok.lineno = tok.end_lineno = line
            tok.col_offset = start - line_start
            tok.end_col_offset = stop - line_start
            yield tok
        yield from layout.end(tok)

    def _soft_keyword(self, text, value, stop, previous, layout):
        """MATCH or CASE for `match` / `case` where it starts a statement whose line ends with
        ':' (`match x:`, `case [a, *rest] if a:`) and the next token is not one a name takes
        (`match = 3`, `match.x`, `case: int`); otherwise NAME. Only a line that starts with
        `match` or `case` is looked ahead in (to its end), so other programs pay nothing."""
        if layout.opened or not (previous is None or previous.type in _STATEMENT_START):
            return "NAME"
        depth = 0
        first = last = None
        for m in self._finditer(text, stop):
            kind = m.lastgroup
            if kind in self._ignore:
                continue
            if kind == "_NEWLINE" or kind == _NOTHING:
                if depth == 0 or kind == _NOTHING:
                    break
                continue
            token = m.group(kind)
            if kind == _PUNCTUATION:
                if token in ("(", "[", "{"):
                    depth += 1
                elif token in (")", "]", "}"):
                    depth -= 1
            if first is None:
                first = token
                if kind == "AUGASSIGN" or token in _AFTER_A_NAME:
                    return "NAME"
            last = token
        return SOFT_KEYWORDS[value] if last == ":" and depth == 0 else "NAME"

    def _check_first(self, text, layout):
        """Show the layout the text's first token (the lexer's loop need not look out for it)."""
        if text[:1] not in (" ", "\t", "\f", "\\"):
            return  # the first token starts the text: it is not indented
        for m in self._finditer(text):
            kind = m.lastgroup
            if kind in self._ignore:
                continue
            if kind != _NOTHING:  # (a character no token starts with: the lexer reports it)
                start, stop = m.span(kind)
                line_start = text.rfind("\n", 0, start) + 1
                line = text.count("\n", 0, start) + 1
                layout.first(Token(kind, text[start:stop], line, start - line_start, line,
                                   stop - line_start))
            return


def _possessive(name, pattern):
    """A string literal's pattern with its repeats made possessive where Python's `re` has them
    (3.11+): the grammar writes each string body as runs of plain characters and escapes, which
    never need to backtrack, but `re` would still keep a backtracking entry per escape (a
    string of 16 million escapes took gigabytes); possessive repeats keep none. So a string
    literal costs a small constant per character to lex."""
    if name not in ("STRING", "FSTRING") or sys.version_info < (3, 11):
        return pattern
    return re.sub(r"(\]\*|\)\*)(?![+?])", r"\1+", pattern)
