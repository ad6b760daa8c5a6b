"""Record PyTorch's facts for the op sweep into tests/data/op_sweep.json.

Run with PyTorch 2.13 installed:  python tools/record_op_sweep.py
The ops and their surfaces come from gradsh's op registry (gradsh/core/ops/registry.py); the
samples and what is recorded for each (values, dtypes, backward and double-backward node names,
gradients, grad-of-grad) are tests/data/op_sweep_cases.py. tests/core/test_op_sweep.py runs the
same cases in gradsh and compares; its live test compares with PyTorch directly.
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
import op_sweep_cases as sweep  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {sweep.key(c): sweep.run(torch, c) for c in sweep.cases(OPS)}
    facts_file.write("op_sweep.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
