"""Record what PyTorch's pack hook sees for each op sweep case into tests/data/saved_hooks.json.

Run with PyTorch 2.13 installed:  python tools/record_saved_hooks.py
The cases are the op sweep's (tests/data/op_sweep_cases.py); what is recorded is
tests/data/saved_hooks_cases.py's: the dtype and shape of every tensor each op's node saves, in
pack order. tests/core/test_fid23_saved_hooks.py runs the same cases in gradsh and compares.
"""

import pathlib
import sys

import torch

import facts_file

from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import op_sweep_cases as sweep  # noqa: E402
import saved_hooks_cases  # noqa: E402


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    facts = {sweep.key(c): saved_hooks_cases.run(torch, c) for c in sweep.cases(OPS)}
    facts_file.write("saved_hooks.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
