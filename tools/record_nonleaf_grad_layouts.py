"""Record the layouts of the gradients PyTorch's torch.autograd.grad returns for
tests/data/nonleaf_grad_layouts.json (the cases: tests/data/nonleaf_grad_layouts_cases.py).

Run with PyTorch 2.13 installed:  PYTHONPATH=. python tools/record_nonleaf_grad_layouts.py
tests/core/test_nonleaf_grad_layouts.py compares gradsh with them.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import nonleaf_grad_layouts_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {key: cases.run(torch, fn, layout) for key, fn, layout in cases.cases()}
    facts_file.write("nonleaf_grad_layouts.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
