"""Record PyTorch's printed text for the cases of tests/data/linalg3_cases.py (branch linalg3,
issue 15's remaining names) into tests/data/linalg3.json.

Run with PyTorch 2.13 installed:  python tools/record_linalg3.py
"""

import json
import pathlib
import sys

import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import linalg3_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {}
    for name, source in cases.CASES.items():
        torch.manual_seed(0)
        facts[name] = cases.run(torch, source)
    path = ROOT / "tests" / "data" / "linalg3.json"
    path.write_text(json.dumps({"torch": torch.__version__, "facts": facts}, indent=1) + "\n")
    print(f"{len(facts)} facts -> {path}")


if __name__ == "__main__":
    main()
