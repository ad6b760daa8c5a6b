"""How long the worst program shapes take to parse and compile just under the token limit
(docs/security.md, "Source text"): for each shape, the program of about MAX_TOKENS tokens
it makes, the seconds gradsh's parser (lexing, LALR driver, compiler to a Python AST) and
Python's compile() take, and the microseconds per token.

    python benchmarks/parse_shapes.py [shape ...]
"""

import sys
import time

from gradsh.lang.syntax import parser
from gradsh.lang.syntax.lexer import CHARGED, FIELD_CHARGE
from gradsh.lang.syntax.parser import MAX_TOKENS

# shape -> (text of one unit, tokens the budget counts for it)
SHAPES = {
    "list items": ("1,", 2),
    "names": ("x\n", 2),
    "assignments": ("a=1\n", 4),
    "attribute reads": ("a.b\n", 4),
    "attribute chains": ("a.b.c.d.e.f.g.h\n", 16),
    "imports": ("import math\n", 3),
    "with blocks": ("with x: pass\n", 5),
    "tuple displays": ("(x,x)\n", 6),
    "star calls": ("f(*x)\n", 6),
    "augmented assignments": ("x+=1\n", 4),
    "f-string fields": ('f"{x}{y}"\n', 2 + 2 * (FIELD_CHARGE + 1)),
    "lambdas": ("lambda:0\n", 4 + CHARGED["LAMBDA"]),
    "comprehensions": ("[x for x in y]\n", 8 + CHARGED["FOR"]),
}


def program(unit, tokens):
    count = int(MAX_TOKENS * 0.98) // tokens
    if unit.endswith(","):
        return "a = [" + unit * count + "]\n"
    return unit * count


def main(names):
    parser.get_parser()
    print("%-22s %9s %8s %8s %9s" % ("shape", "tokens", "parse s", "compile", "us/token"))
    for name in names or SHAPES:
        unit, tokens = SHAPES[name]
        text = program(unit, tokens)
        t0 = time.perf_counter()
        _, _, module = parser.parse_source(text)
        t1 = time.perf_counter()
        compile(module, "<shape>", "exec")
        t2 = time.perf_counter()
        n = int(MAX_TOKENS * 0.98)
        print("%-22s %9d %8.2f %8.2f %9.1f" % (name, n, t1 - t0, t2 - t1, (t2 - t0) / n * 1e6))


if __name__ == "__main__":
    main(sys.argv[1:])
