"""Record what PyTorch does for every Python binary operator (and augmented assignment) between
a tensor and operands of each kind (a number, a list, a tuple, None, a str, an object whose class has the reflected
method, an object without): the result's text or the exception's class and message.

    python tools/record_operator_deferral.py        # writes tests/data/operator_deferral.json

tests/core/test_torch_function.py runs the same table (SWEEP below) on gradsh and compares.
Run it where torch is installed (torch 2.13.0, CPU).
"""

import json
import os
import sys

OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>",
             "<", "<=", ">", ">=", "==", "!="]
REFLECTED = {"+": "radd", "-": "rsub", "*": "rmul", "/": "rtruediv", "//": "rfloordiv",
             "%": "rmod", "**": "rpow", "@": "rmatmul", "&": "rand", "|": "ror", "^": "rxor",
             "<<": "rlshift", ">>": "rrshift", "<": "gt", "<=": "ge", ">": "lt", ">=": "le",
             "==": "eq", "!=": "ne"}
AUGMENTED = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", "<<=", ">>="]
# operand kinds: name -> source of the operand (`T` is the tensor module, `Reflecting` and
# `Plain` the classes below)
OPERANDS = {"int": "3", "float": "2.5", "bool": "True", "list": "[1, 2]", "tuple": "(1, 2)",
            "None": "None", "str": "'ab'", "reflecting": "Reflecting()", "plain": "Plain()"}
TENSORS = {"float": "T.tensor([1.5, 2.0])", "int": "T.tensor([3, 4])"}


class Reflecting:
    """Defines every reflected method: each returns a string naming itself."""


for _name in set(REFLECTED.values()):
    setattr(Reflecting, "__%s__" % _name, (lambda n: lambda self, other: "Reflecting.__%s__" % n)(_name))


class Plain:
    pass


def describe(thunk):
    try:
        out = thunk()
    except Exception as e:  # noqa: BLE001 - the class and message are the record
        return "%s: %s" % (type(e).__name__, e)
    return repr(out)


def sweep(T):
    """{case: text} for every tensor kind, operator, operand kind and side."""
    scope = {"T": T, "Reflecting": Reflecting, "Plain": Plain}
    rows = {}
    for tname, tsrc in TENSORS.items():
        for op in OPERATORS:
            for oname, osrc in OPERANDS.items():
                for left in (True, False):
                    expr = ("t %s o" if left else "o %s t") % op
                    code = compile(expr, "<sweep>", "eval")
                    env = dict(scope, t=eval(tsrc, scope), o=eval(osrc, scope))
                    rows["%s tensor: %s with o = %s" % (tname, expr, osrc)] = describe(
                        lambda: eval(code, env))
        for op in AUGMENTED:
            for oname, osrc in OPERANDS.items():
                code = compile("t %s o" % op, "<sweep>", "exec")
                env = dict(scope, t=eval(tsrc, scope), o=eval(osrc, scope))

                def run(code=code, env=env):
                    exec(code, env)
                    return env["t"]
                rows["%s tensor: t %s o with o = %s" % (tname, op, osrc)] = describe(run)
    return rows


def main():
    import torch
    rows = sweep(torch)
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "operator_deferral.json")
    with open(path, "w") as f:
        json.dump({"source": "tools/record_operator_deferral.py under torch %s" % torch.__version__,
                   "rows": rows}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(len(rows), "rows", file=sys.stderr)


if __name__ == "__main__":
    main()
