"""Write the number slots of PyTorch's signatures (gradsh/core/signatures.txt) into
gradsh/core/number_slots.py's SLOTS: for each name, the positions and keywords of its Scalar
and float parameters (of its signatures but the deprecated ones, which PyTorch tries last)
where a tensor can be refused: those no other signature takes a Tensor at, and every one of a
name with several (`clamp(2, w)` is refused: 2 chooses the Scalar signature). A name with one
number parameter that another signature takes as a Tensor (`pow`, `eq`, `lerp`'s weight) never
refuses a tensor there, and is left out. Then, among them, those that take a number only
(where PyTorch reads a 0-d tensor without grad as the number it holds).
No PyTorch needed:  python tools/update_number_slots.py  (tests/core/test_number_slots.py checks
that the table is current)."""

import pathlib
import pprint
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gradsh.core import argcheck  # noqa: E402

TARGET = ROOT / "gradsh" / "core" / "number_slots.py"
# the kinds whose values the wrapper tests itself, by Python type (number_slots._TAKES)
STRICT_KINDS = ("bool", "int64_t", "SymInt", "Tensor", "double")
# the ops of the hot paths (operators and the methods a training step calls): never wrapped
HOT = frozenset(("add", "sub", "mul", "div", "pow", "matmul", "mm", "sum", "mean", "tanh",
                 "exp", "log", "eq", "lerp", "neg", "rsub", "true_divide", "relu", "sigmoid",
                 "view", "reshape", "t", "transpose", "expand", "permute", "unsqueeze",
                 "squeeze", "contiguous", "clone", "detach", "copy_", "to", "size", "dim",
                 "numel", "item", "tolist", "zero_", "backward", "requires_grad_",
                 "add_", "sub_", "mul_", "div_", "linear", "softmax", "log_softmax", "sqrt",
                 "square", "abs", "max", "min", "argmax", "gt", "lt", "ge", "le", "ne",
                 "masked_fill", "where", "cat", "stack", "zeros", "ones", "tensor", "randn",
                 "rand", "empty", "zeros_like", "ones_like", "addmm", "bmm", "sin", "cos",
                 "float", "double", "long", "int", "bool", "type_as", "view_as",
                 # gradsh's own x[key] = v calls it with the Python key and a number
                 "index_put_"))
NUMBERS = ("Scalar", "double", "complex")
BEGIN, END = "    # --- begin SLOTS ---\n", "    # --- end SLOTS ---\n"
STRICT_BEGIN, STRICT_END = "    # --- begin STRICT ---\n", "    # --- end STRICT ---\n"


def slots():
    out = {}
    for key in sorted(argcheck._table()):
        surface, name = key.split(".", 1)
        sigs = argcheck.signatures(surface, name)
        if not sigs or isinstance(sigs[0], str):
            continue
        live = [s for s in sigs if not s.deprecated]
        positions, keywords, pure_positions, pure_keywords = set(), set(), set(), set()
        several = len({p.name for s in live for p in s.params if p.kind in NUMBERS}) > 1
        for s in live:
            for p in s.params:
                if p.kind not in NUMBERS:
                    continue
                pure = not p.keyword_only and not any(
                    len(t.params) > p.index and not t.params[p.index].keyword_only
                    and t.params[p.index].kind == "Tensor" for t in live)
                if not p.keyword_only and (several or pure):
                    positions.add(p.index)
                    if pure:
                        pure_positions.add(p.index)
                pure = not any(q.name == p.name and q.kind == "Tensor" for t in live
                               for q in t.params)
                if several or pure:
                    keywords.add(p.name)
                    if pure:
                        pure_keywords.add(p.name)
        if positions or keywords:
            out[key] = tuple(tuple(sorted(x)) for x in (
                positions, keywords, pure_positions & positions, pure_keywords & keywords))
    return out


def strict():
    """surface.name -> (least arguments any live signature takes, most positional ones or -1 for
    a list given as varargs, ((position, kinds, None taken), ...), ((keyword, kinds, None
    taken), ...)): where the wrapper checks a value's type before the call (the kinds of every
    live signature at that place; '?' for one it leaves to the op; a signature without that
    place cannot take the call at all)."""
    out = {}
    for key in sorted(argcheck._table()):
        surface, name = key.split(".", 1)
        sigs = argcheck.signatures(surface, name)
        if name in HOT or not sigs or isinstance(sigs[0], str):
            continue
        live = [s for s in sigs if not s.deprecated]
        least = min(s.min_args for s in live)
        most = -1 if any(s.varargs_list() for s in live) else max(s.max_pos_args for s in live)
        places = {}
        for s in live:
            for p in s.params:
                for at in ([p.index] if not p.keyword_only else []) + [p.name]:
                    kinds, none = places.get(at, ((), False))
                    kind = p.kind if p.kind in STRICT_KINDS else "?"
                    places[at] = (tuple(sorted(set(kinds) | {kind})), none or p.allow_none)
        positions = tuple((at, k, n) for at, (k, n) in sorted(
            (a, v) for a, v in places.items() if isinstance(a, int)) if k != ("?",))
        keywords = tuple((at, k, n) for at, (k, n) in sorted(
            (a, v) for a, v in places.items() if isinstance(a, str)))
        out[key] = (least, most, positions, keywords)
    return out


def text():
    lines = []
    for key, value in slots().items():
        line = "    %r: %r,\n" % (key, value)
        if len(line) > 101:
            line = "    %r: (\n        %s),\n" % (key, ", ".join(map(repr, value)))
        lines.append(line)
    return "".join(lines)


def strict_text():
    lines = []
    for key, value in strict().items():
        line = "    %r: %r,\n" % (key, value)
        if len(line) > 101:
            line = "    %r: (\n%s),\n" % (key, ",\n".join(
                "        " + pprint.pformat(v, width=88).replace("\n", "\n        ")
                for v in value))
        lines.append(line)
    return "".join(lines)


def main():
    source = TARGET.read_text()
    head, rest = source.split(BEGIN)
    _, tail = rest.split(END)
    source = head + BEGIN + text() + END + tail
    head, rest = source.split(STRICT_BEGIN)
    _, tail = rest.split(STRICT_END)
    TARGET.write_text(head + STRICT_BEGIN + strict_text() + STRICT_END + tail)
    print("wrote", TARGET, len(slots()), "names with number slots,", len(strict()), "checked")


if __name__ == "__main__":
    main()
