"""Record what PyTorch 2.13 does with an int past int64 in each int parameter of each of its
signatures that gradsh offers (gradsh/core/signatures.txt): tests/data/int64_slots.json, read
by tests/lang/test_int64_slots.py (issue 16, round 10's leftover).

Each call fills the signature's other required parameters with plain values (a tensor `t` of
shape (2, 3), 0, 1.0, False, [1], ...) and puts 2 ** 63, -2 ** 63 - 1 or a list holding one in
the parameter tried, by position when it is positional and required, else by keyword. PyTorch's
parser unpacks the arguments before the op runs, so such a call is refused whatever the other
values are ("Overflow when unpacking long long", a ValueError; "failed to unpack the object at
pos N ..." for a list, a TypeError).

    python tools/record_int64_sweep.py"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from gradsh.core import argcheck  # noqa: E402

# a plain value for each kind of required parameter; a kind not here leaves the signature out
FILL = {"Tensor": "t", "Scalar": "1", "double": "1.0", "bool": "False", "int64_t": "0",
        "SymInt": "0", "IntArrayRef": "[1]", "SymIntArrayRef": "[1]", "TensorList": "[t, t]",
        "ScalarType": "torch.float32", "ArrayRef<double>": "[1.0]"}
BIG = ["2 ** 63", "-2 ** 63 - 1"]
BIG_LISTS = ["[2 ** 63]", "[1, -2 ** 63 - 1]"]
HEADS = {"torch": "torch.%s(", "Tensor": "t.%s(", "F": "F.%s(", "linalg": "torch.linalg.%s(",
         "special": "torch.special.%s("}


def _calls_of(head, sig):
    calls = []
    for target in sig.params:
        if target.kind not in argcheck._INTS | argcheck._LISTS:
            continue
        values = BIG if target.kind in argcheck._INTS else BIG_LISTS
        positional, keywords, ok = [], [], True
        for p in sig.params:
            if p is target or p.optional:
                continue
            if p.kind not in FILL:
                ok = False
                break
            (keywords if p.keyword_only else positional).append((p, FILL[p.kind]))
        if not ok:
            continue
        for v in values:
            args = [text for p, text in positional if p.index < target.index]
            rest = [text for p, text in positional if p.index > target.index]
            kw = ["%s=%s" % (p.name, text) for p, text in keywords]
            if target.optional or target.keyword_only or rest and target.index > len(args):
                # by keyword: the required positionals first
                parts = [text for p, text in positional] + kw + ["%s=%s" % (target.name, v)]
            else:
                parts = args + [v] + rest + kw
            calls.append(head + ", ".join(parts) + ")")
    return calls


def sweep_calls():
    calls = []
    for key, texts in sorted(argcheck._table().items()):
        if texts[0].startswith(argcheck.NO_ARGUMENTS):
            continue
        surface, name = key.split(".", 1)
        for sig in argcheck.signatures(surface, name):
            if not sig.hidden:
                calls += _calls_of(HEADS[surface] % name, sig)
    return list(dict.fromkeys(calls))


def main():
    import warnings

    import torch
    import torch.nn.functional as F
    import facts_file
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    facts = {}
    for source in sweep_calls():
        torch.manual_seed(0)
        try:
            eval(source, {"torch": torch, "F": F, "t": torch.ones(2, 3)})  # noqa: S307
            facts[source] = None
        except Exception as e:  # noqa: BLE001 - every outcome is recorded
            facts[source] = [type(e).__name__, str(e).split("\n")[0][:300]]
    facts_file.write("int64_slots.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
