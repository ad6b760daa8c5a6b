"""Record PyTorch's facts for the complex dtypes into tests/data/complex.json.

Run with PyTorch 2.13 installed:  python tools/record_complex.py
The cases (construction, promotion, printing, views, arithmetic, refusals) and what is recorded
for each are tests/data/complex_cases.py; tests/core/test_complex.py runs them in gradsh and
compares.
"""

import pathlib
import sys
import warnings

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import complex_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        facts = {c: cases.run(torch, c) for c in cases.CASES}
    facts_file.write("complex.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
