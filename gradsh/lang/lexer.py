"""The tokenizer: one regular expression built from the grammar's own terminal definitions.

Lark's general-purpose lexer spends several microseconds of Python per token; this one lets
`re` do the work (one alternation, `lastgroup` names the terminal), which keeps parsing above
10,000 lines a second. The terminals and their patterns still come from grammar/gradsh.lark.
"""

import re

__all__ = ["Token", "Lexer", "LexError"]


class Token:
    """A token with its position: line/column 1-based, end_column exclusive (Lark's convention)."""

    __slots__ = ("type", "value", "start_pos", "line", "column", "end_line", "end_column",
                 "end_pos")

    def __init__(self, type, value, start_pos, line, column, end_line, end_column, end_pos):
        self.type = type
        self.value = value
        self.start_pos = start_pos
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.end_pos = end_pos

    def __repr__(self):
        return "Token(%s, %r, %d:%d)" % (self.type, self.value, self.line, self.column)


class LexError(Exception):
    """No terminal matches at `pos` (line, column 1-based)."""

    def __init__(self, pos, line, column):
        super().__init__("no token at line %d, column %d" % (line, column))
        self.pos, self.line, self.column = pos, line, column


# Which regex terminal wins where several could match (Python's re takes the first alternative
# that matches, not the longest): string prefixes before names, augmented assignments before
# operators. Literal terminals follow, longest first. A regex terminal missing here is a bug.
REGEX_ORDER = ("_NEWLINE", "FSTRING", "STRING", "NUMBER", "NAME", "AUGASSIGN")


class Lexer:
    def __init__(self, terminals, ignore):
        """terminals: (name, "re" or "str", pattern) triples; ignore: the terminals to skip."""
        regexps, literals, keywords = {}, [], {}
        name_pattern = None
        for name, kind, pattern in terminals:
            if kind == "re":
                regexps[name] = pattern
                if name == "NAME":
                    name_pattern = re.compile(pattern)
            else:
                literals.append((name, pattern))
        for name, value in list(literals):
            if name_pattern is not None and name_pattern.fullmatch(value):
                keywords[value] = name  # lexed as NAME, then renamed
                literals.remove((name, value))
        unknown = set(regexps) - set(REGEX_ORDER) - set(ignore)
        if unknown:
            raise ValueError("lexer.REGEX_ORDER does not place the terminals %s" % sorted(unknown))
        order = [name for name in ignore if name in regexps]
        order += [name for name in REGEX_ORDER if name in regexps]
        alternatives = ["(?P<%s>%s)" % (name, regexps[name]) for name in order]
        literals.sort(key=lambda literal: -len(literal[1]))
        alternatives += ["(?P<%s>%s)" % (name, re.escape(value)) for name, value in literals]
        # blanks between tokens are skipped by the same match that finds the next token
        self._match = re.compile("[ \\t\\f]*(?:%s)" % "|".join(alternatives)).match
        self._ignore = frozenset(ignore)
        self._keywords = keywords
        # the terminals whose text can hold a newline (line counting is needed only for them)
        self._multiline = frozenset(
            name for name in order
            if "\\n" in regexps[name] or "\n" in regexps[name] or "(?s" in regexps[name])

    def tokens(self, text):
        """Yield the tokens of `text`; raise LexError where nothing matches."""
        match, ignore, keywords = self._match, self._ignore, self._keywords
        multiline = self._multiline
        pos, line, line_start, end = 0, 1, 0, len(text)
        while pos < end:
            m = match(text, pos)
            if m is None:
                while pos < end and text[pos] in " \t\f":
                    pos += 1
                raise LexError(pos, line, pos - line_start + 1)
            kind = m.lastgroup
            start = m.start(kind)
            stop = m.end()
            if kind in multiline:
                value = m.group(kind)
                newlines = value.count("\n")
                if newlines:
                    if kind in ignore:
                        line += newlines
                        line_start = start + value.rfind("\n") + 1
                        pos = stop
                        continue
                    start_line, column = line, start - line_start + 1
                    line += newlines
                    line_start = start + value.rfind("\n") + 1
                    yield Token(kind, value, start, start_line, column, line, stop - line_start + 1,
                                stop)
                    pos = stop
                    continue
            if kind in ignore:
                pos = stop
                continue
            value = m.group(kind)
            if kind == "NAME":
                kind = keywords.get(value, "NAME")
            column = start - line_start + 1
            yield Token(kind, value, start, line, column, line, column + stop - start, stop)
            pos = stop
