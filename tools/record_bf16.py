"""Record what PyTorch prints for the cases of tests/data/bf16_cases.py (torch.bfloat16
tensors: creation, printing, promotion, ops, reductions, matmul, backward, random draws) into
tests/data/bf16.json, read by tests/core/test_bfloat16.py.

Run with PyTorch 2.13 installed:  python tools/record_bf16.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("bf16")
