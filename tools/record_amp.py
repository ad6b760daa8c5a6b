"""Record what PyTorch prints for the cases of tests/data/amp_cases.py (torch.autocast on the
CPU, torch.amp.GradScaler, their CUDA spellings without CUDA) into tests/data/amp.json, read by
tests/nn/test_amp.py.

Run with PyTorch 2.13 installed:  python tools/record_amp.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("amp")
