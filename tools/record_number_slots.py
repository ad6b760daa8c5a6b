"""Record PyTorch 2.13's answers to calls with a tensor in a number slot (issue 15, "number
slots") into tests/data/number_slots.json (tests/core/test_number_slots.py).

Run with PyTorch 2.13 installed:  python tools/record_number_slots.py

PyTorch's argument parser takes a 0-d tensor without requires_grad for a Scalar, float or int
parameter (an integer one for int), and refuses a 0-d tensor that requires grad and any tensor
of one dimension or more ("argument 'x' must be Number, not Tensor"). For each signature of
gradsh/core/signatures.txt with such a parameter, a base call is built from plain values (every
required parameter, and the number parameters up to the swept one); where PyTorch runs it, the
number is replaced by each of the tensors of number_slot_cases.TENSORS and PyTorch's outcome is
recorded (None: it ran; else [exception type, message]). Hand-written calls of the functions
PyTorch writes in Python (F.leaky_relu, F.hardtanh, ...) are added from number_slot_cases.EXTRA.
"""

import pathlib
import sys
import warnings

import torch
import torch.nn.functional as F  # noqa: F401 - the calls name it

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))
import number_slot_cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    facts = {}
    for base, swept in number_slot_cases.calls():
        env = number_slot_cases.environment(torch)
        try:
            eval(base, env)  # noqa: S307 - the tool's own call texts
        except Exception:  # noqa: BLE001 - a base call PyTorch refuses is not swept
            continue
        for source in swept:
            env = number_slot_cases.environment(torch)
            try:
                eval(source, env)  # noqa: S307
                facts[source] = None
            except Exception as e:  # noqa: BLE001 - every outcome is recorded
                facts[source] = [type(e).__name__, str(e)]
    facts_file.write("number_slots.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
