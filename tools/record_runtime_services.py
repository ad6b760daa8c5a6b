"""Record what PyTorch prints for the cases of tests/data/runtime_services_cases.py (torch.save/
load, torch.testing, the process switches, the legacy tensor types, torch.distributions) into
tests/data/runtime_services.json, read by tests/core/test_runtime_services.py.

Run with PyTorch 2.13 installed:  python tools/record_runtime_services.py
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
from runtime_services_cases import CASES, run_case  # noqa: E402


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    facts = {name: run_case(torch, src) for name, src in CASES.items()}
    facts_file.write("runtime_services.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
