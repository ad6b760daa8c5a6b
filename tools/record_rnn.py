"""Record PyTorch's facts for the recurrent layers into tests/data/rnn.json.

Run with PyTorch 2.13 installed:  python tools/record_rnn.py
The cases (modules, inputs, what is recorded) and the misuses are tests/data/rnn_cases.py;
tests/nn/test_rnn.py compares gradsh with them, and its live test with PyTorch directly.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import rnn_cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {rnn_cases.key(c, d): rnn_cases.run(torch, c, d)
             for c in rnn_cases.CASES for d in rnn_cases.DTYPES}
    facts.update({rnn_cases.packed_key(c, d): rnn_cases.run_packed(torch, c, d)
                  for c in rnn_cases.PACKED for d in rnn_cases.DTYPES})
    facts.update({"error: " + label: rnn_cases.error(torch, label) for label in rnn_cases.ERRORS})
    facts_file.write("rnn.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
