"""Record PyTorch's facts about nn.Parameter's type into tests/data/parameter_type.json.

Run with PyTorch 2.13 installed:  python tools/record_parameter_type.py
The expressions and the sweep are tests/data/parameter_type_cases.py; tests/core/
test_parameter_type.py runs them in gradsh and compares.
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
import parameter_type_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {e: cases.evaluate(torch, e) for e in cases.EXPRESSIONS}
    for c in cases.sweep_cases(OPS):
        facts["sweep " + "|".join(map(str, c))] = cases.sweep_run(torch, c)
    facts_file.write("parameter_type.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
