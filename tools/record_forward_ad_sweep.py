"""Record PyTorch's facts for the forward-mode AD sweep into tests/data/forward_ad_sweep.json.

Run with PyTorch 2.13 installed:  python tools/record_forward_ad_sweep.py
The ops come from gradsh's registry, the samples from tests/data/op_sweep_cases.py, what is
recorded (tangents through fwAD.make_dual/unpack_dual, torch.func.jvp, torch.func.jacfwd) from
tests/data/forward_ad_cases.py. tests/core/test_forward_ad_sweep.py compares gradsh with them.
"""

import pathlib
import sys

import torch

import facts_file

from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()  # every op, the first-use modules' too (gradsh/core/ops_index.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import forward_ad_cases as fwd  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {fwd.key(c): fwd.run(torch, c) for c in fwd.cases(OPS)}
    facts_file.write("forward_ad_sweep.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
