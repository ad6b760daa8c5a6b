"""Record what PyTorch prints for the cases of tests/data/runtime3_cases.py (torch.random, the profilers and the small process switches) into
tests/data/runtime3.json, read by tests/core/test_runtime3.py.

Run with PyTorch 2.13 installed:  python tools/record_runtime3.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("runtime3")
