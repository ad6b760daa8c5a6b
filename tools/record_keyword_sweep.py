"""Record what PyTorch gives for the keyword sweep's calls (tools/keyword_sweep.py) into
tests/data/keyword_sweep.json, replayed by tests/core/test_keyword_sweep.py.

Run with PyTorch 2.13 installed:  python tools/record_keyword_sweep.py

The calls are built from PyTorch's own parameter names (see keyword_sweep.py) for the names
gradsh offers; each case keeps its expression and PyTorch's outcome (a value's dtype, shape and
data to 5 significant digits, or the exception's class and first line).
"""

import pathlib
import sys

import torch

import facts_file
import keyword_sweep

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import gradsh  # noqa: E402 - the names gradsh offers decide which calls are built


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    found, unbuilt = keyword_sweep.cases(torch, keyword_sweep.offered_names(gradsh))
    facts = {}
    for case in found:
        facts[case["expr"]] = dict(case, torch=keyword_sweep.outcome(
            case["expr"], keyword_sweep.namespace(torch)))
    facts_file.write("keyword_sweep.json", facts, torch.__version__)
    print("%d names without a call: %s" % (len(unbuilt), " ".join(unbuilt)))


if __name__ == "__main__":
    main()
