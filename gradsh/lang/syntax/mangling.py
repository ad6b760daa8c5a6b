"""Private names in class bodies: Python's name mangling, done on the token stream.

Inside a class statement's body (its methods and nested functions included), Python rewrites
every identifier of the form `__spam` (two leading underscores, not ending in two) as
`_Class__spam`, with the innermost class's name stripped of its leading underscores; a class
whose name is only underscores mangles nothing. gradsh does the same before the tokens reach
the parser: the compiler, the attribute gate and error messages then only ever see
`_Class__spam`, a name with one leading underscore, which is the program's own on its own
objects (docs/language.md, "Classes"). Outside a class body `__spam` is left as it is (and stays
refused, as every other '__' name).

An f-string's fields are parsed later, from the token's text: a class body's FSTRING token is
handed on as a `ClassToken` carrying the prefix, which the compiler passes to the field's parse.
"""

from .lexer import Token

__all__ = ["mangled", "ClassToken", "is_private"]


class ClassToken(Token):
    """An FSTRING token inside a class body: its fields' names mangle with `prefix`."""

    __slots__ = ("prefix",)


def is_private(name):
    return name[:2] == "__" and name[-2:] != "__"


def _prefix(class_name):
    stripped = class_name.lstrip("_")
    return "_" + stripped if stripped else None


def mangled(tokens, prefix=None):
    """`tokens` with the private names of class bodies mangled. `prefix` is the enclosing
    class's (`_Class`), for an f-string field's text."""
    # each open class: [prefix, the indentation depth its body ends at (None: a one-line body
    # ending at the next _NEWLINE)]
    open_classes = [[prefix, -1]] if prefix else []
    depth = 0          # _INDENT minus _DEDENT so far
    heading = None     # a class statement's header: its prefix, until its ':'
    brackets = 0
    after_colon = False
    for tok in tokens:
        kind = tok.type
        if kind == "NAME":
            if heading is True:  # (a nested class's own name mangles, not its prefix)
                heading = _prefix(tok.value) or ""
            if open_classes and is_private(tok.value) and open_classes[-1][0]:
                tok.value = open_classes[-1][0] + tok.value
        elif kind == "FSTRING" and open_classes and open_classes[-1][0]:
            tok = _class_token(tok, open_classes[-1][0])
        elif kind == "CLASS":
            heading = True
        elif kind in ("LPAR", "LSQB", "LBRACE"):
            brackets += 1
        elif kind in ("RPAR", "RSQB", "RBRACE"):
            brackets -= 1
        elif kind == "COLON" and heading not in (None, True) and brackets == 0:
            open_classes.append([heading, None])
            heading, after_colon = None, True
            yield tok
            continue
        elif kind == "_NEWLINE":
            if after_colon:
                open_classes[-1][1] = depth + 1  # a block follows (the _INDENT comes next)
            elif open_classes and open_classes[-1][1] is None:
                open_classes.pop()  # `class A: x = 1` ends with its line
        elif kind == "_INDENT":
            depth += 1
        elif kind == "_DEDENT":
            depth -= 1
            while open_classes and open_classes[-1][1] is not None \
                    and depth < open_classes[-1][1]:
                open_classes.pop()
        after_colon = False
        yield tok


def _class_token(tok, prefix):
    out = ClassToken(tok.type, tok.value, tok.lineno, tok.col_offset, tok.end_lineno,
                     tok.end_col_offset)
    out.prefix = prefix
    return out
