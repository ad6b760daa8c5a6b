"""Record what PyTorch prints for the cases of tests/data/runtime3_cases.py (torch.distributions'
families, transforms and kl pairs; torch.random; the small process switches) into
tests/data/runtime3.json, read by tests/core/test_runtime3.py.

Run with PyTorch 2.13 installed:  python tools/record_runtime3.py
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
from runtime3_cases import CASES, run_case  # noqa: E402


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    facts = {name: run_case(torch, src) for name, src in CASES.items()}
    facts_file.write("runtime3.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
