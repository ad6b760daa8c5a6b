"""Record PyTorch's facts for attention and the Transformer layers into
tests/data/attention.json.

Run with PyTorch 2.13 installed:  python tools/record_attention.py
The cases (modules, inputs, what is recorded) and the misuses are tests/data/attention_cases.py;
tests/nn/test_attention.py compares gradsh with them, and its live test with PyTorch directly.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import attention_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {cases.key(c, d): cases.run(torch, c, d) for c in cases.MODULES for d in cases.DTYPES}
    facts.update({"F " + cases.key(c, d): cases.run_functional(torch, c, d)
                  for c in cases.FUNCTIONAL for d in cases.DTYPES})
    facts.update({cases.inplace_key(c, d): cases.run_inplace(torch, c, d)
                  for c in cases.INPLACE for d in cases.DTYPES})
    facts["init"] = cases.run_init(torch)
    facts.update({"error: " + label: cases.error(torch, label) for label in cases.ERRORS})
    facts_file.write("attention.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
