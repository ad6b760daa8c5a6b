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
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gradsh.core import argcheck  # noqa: E402

TARGET = ROOT / "gradsh" / "core" / "number_slots.py"
NUMBERS = ("Scalar", "double", "complex")
BEGIN, END = "    # --- begin SLOTS ---\n", "    # --- end SLOTS ---\n"


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


def text():
    lines = []
    for key, value in slots().items():
        line = "    %r: %r,\n" % (key, value)
        if len(line) > 101:
            line = "    %r: (\n        %s),\n" % (key, ", ".join(map(repr, value)))
        lines.append(line)
    return "".join(lines)


def main():
    source = TARGET.read_text()
    head, rest = source.split(BEGIN)
    _, tail = rest.split(END)
    TARGET.write_text(head + BEGIN + text() + END + tail)
    print("wrote", TARGET, len(slots()), "names")


if __name__ == "__main__":
    main()
