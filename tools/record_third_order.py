"""Record PyTorch's third derivatives for tests/data/third_order.json.

Run with PyTorch 2.13 installed:  python tools/record_third_order.py
The cases (a sample of the op sweep, the composite ops, and tests/data/double_backward_cases.py)
and what is recorded are tests/data/third_order_cases.py; tests/core/test_third_order.py
compares gradsh with them.
"""

import pathlib
import sys

import torch

import facts_file

from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()  # every op, the first-use modules' too (gradsh/core/ops_index.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import third_order_cases as third  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {third.key(c): third.run(torch, c) for c in third.cases(OPS)}
    for name, (_, inputs) in third.dbl.CASES.items():
        for i in range(len(inputs)):
            facts[f"{name}#{i}"] = third.run_double(torch, name, i)
    facts_file.write("third_order.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
