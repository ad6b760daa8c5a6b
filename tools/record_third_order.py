"""Record PyTorch's third derivatives for tests/data/third_order.json.

Run with PyTorch 2.13 installed:  python tools/record_third_order.py
The cases (a sample of the op sweep, the composite ops, and tests/data/double_backward_cases.py)
and what is recorded are tests/data/third_order_cases.py; tests/core/test_third_order.py
compares gradsh with them.
"""

import json
import pathlib
import sys

import torch

from gradsh.core.ops.registry import OPS

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import third_order_cases as third  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {third.key(c): third.run(torch, c) for c in third.cases(OPS)}
    for name, (_, inputs) in third.dbl.CASES.items():
        for i in range(len(inputs)):
            facts[f"{name}#{i}"] = third.run_double(torch, name, i)
    path = ROOT / "tests" / "data" / "third_order.json"
    lines = [json.dumps(k) + ": " + json.dumps(v, separators=(",", ":")) for k, v in facts.items()]
    head = json.dumps({"torch": torch.__version__})[:-1]
    path.write_text(head + ', "facts": {\n' + ",\n".join(lines) + "\n}}\n")
    print(f"wrote {path}: {len(facts)} cases")


if __name__ == "__main__":
    main()
