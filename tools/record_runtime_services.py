"""Record what PyTorch prints for the cases of tests/data/runtime_services_cases.py (torch.save/load, torch.testing, the process switches, the legacy tensor types, torch.distributions) into
tests/data/runtime_services.json, read by tests/core/test_runtime_services.py.

Run with PyTorch 2.13 installed:  python tools/record_runtime_services.py
"""

import facts_file

if __name__ == "__main__":
    facts_file.record_cases("runtime_services")
