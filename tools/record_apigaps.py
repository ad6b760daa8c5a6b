"""Record what PyTorch prints for the cases of tests/data/apigaps_cases.py (stft/istft,
torch.signal.windows, the orthogonal parametrization, as_subclass, embedding_bag, histogramdd,
the low-rank and Householder/LDL factorizations) into tests/data/apigaps.json, read by
tests/core/test_apigaps.py.

Run with PyTorch 2.13 installed:  python tools/record_apigaps.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("apigaps")
