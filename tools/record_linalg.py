"""Record PyTorch's facts for torch.linalg into tests/data/linalg.json.

Run with PyTorch 2.13 installed:  python tools/record_linalg.py
The cases (inputs, cotangents, the errors' calls) are tests/data/linalg_cases.py; each fact is
the outputs (squared where a sign is LAPACK's choice), the inputs' gradients, the outputs'
node names and dtypes, or the exception's class and message. tests/core/test_linalg.py
compares gradsh with these facts (to a tolerance) and, with PyTorch installed, live.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import linalg_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {f"{name}|{dt}": cases.run(torch, name, dt)
             for name in sorted(cases.CASES) for dt in cases.DTYPES}
    facts.update({f"error|{c[0]}": cases.error(torch, c) for c in cases.ERRORS})
    facts_file.write("linalg.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
