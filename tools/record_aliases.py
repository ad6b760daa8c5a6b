"""Record PyTorch's facts for branch aliases' names into tests/data/aliases.json.

Run with PyTorch 2.13 installed:  python tools/record_aliases.py
The cases (each new name called with good and bad arguments) and what is recorded for each are
tests/data/aliases_cases.py; tests/core/test_aliases.py runs them in gradsh and compares.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import aliases_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts_file.write("aliases.json", {c: cases.run(torch, c) for c in cases.CASES},
                     torch.__version__)


if __name__ == "__main__":
    main()
