"""Record what PyTorch 2.13 gives for ops on 'meta' tensors into tests/data/fid21_meta_sweep.json:
for each expression of tests/data/fid21_meta_cases.py, the result's kind, shape, dtype and device
(or the exception's class and first line), which tests/core/test_fid21.py compares with gradsh.

Run with PyTorch installed:  python tools/record_fid21_meta.py
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

from fid21_meta_cases import CASES, run_case  # noqa: E402


def main():
    import torch
    facts = {expr: run_case(torch, expr) for expr in CASES}
    out = ROOT / "tests" / "data" / "fid21_meta_sweep.json"
    out.write_text(json.dumps({"torch": torch.__version__, "facts": facts}, indent=1) + "\n")
    print(f"recorded {len(facts)} cases into {out}")


if __name__ == "__main__":
    main()
