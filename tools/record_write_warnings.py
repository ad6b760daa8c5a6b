"""Record the warnings PyTorch gives, in a fresh process, for the complex-into-real writes of
tests/core/test_index_write_sweep.py (COMPLEX_INTO_REAL), into
tests/data/write_warnings.json: its TORCH_WARN_ONCE warning, once, at the first write's line.

Run with PyTorch 2.13 installed:  python tools/record_write_warnings.py
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "core"))

from test_index_write_sweep import COMPLEX_INTO_REAL  # noqa: E402


def main():
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    done = subprocess.run([sys.executable, "-W", "always", "-c", "import torch\n" + COMPLEX_INTO_REAL],
                          capture_output=True, text=True, check=True)
    seen = [line for line in done.stderr.splitlines() if "Warning" in line]
    path = ROOT / "tests" / "data" / "write_warnings.json"
    path.write_text(json.dumps({"torch": torch.__version__, "program": COMPLEX_INTO_REAL,
                                "warnings": seen}, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
