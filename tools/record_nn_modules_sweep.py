"""Record what PyTorch prints for the cases of tests/data/nn_modules_sweep_cases.py (the torch.nn
module classes: construction under manual_seed(0) bit for bit, repr, state_dict keys, forward
and backward on odd shapes, running statistics, PyTorch's messages) into
tests/data/nn_modules_sweep.json, read by tests/nn/test_nn_modules_sweep.py.

Run with PyTorch 2.13 installed:  python tools/record_nn_modules_sweep.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("nn_modules_sweep")
