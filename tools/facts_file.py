"""Write a sweep's recorded facts as tests/data/NAME.json: one line per case (so a re-record
shows as a readable diff), headed by the PyTorch version that produced them."""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def write(name, facts, torch_version):
    path = ROOT / "tests" / "data" / name
    lines = [json.dumps(k) + ": " + json.dumps(v, separators=(",", ":")) for k, v in facts.items()]
    import torch
    head = json.dumps({"torch": torch_version, "cpu": torch.backends.cpu.get_cpu_capability()})[:-1]
    path.write_text(head + ', "facts": {\n' + ",\n".join(lines) + "\n}}\n")
    print(f"wrote {path}: {len(facts)} cases")


def for_this_cpu(name):
    """tests/data/NAME.json where PyTorch runs its AVX512 kernels, NAME_avx2.json where it runs
    its AVX2 ones: for facts whose last bits depend on the vector width or on MKL's choice of
    code (tests/cpu_capability.py picks the one that fits the machine the tests run on)."""
    import torch
    capability = torch.backends.cpu.get_cpu_capability()
    suffix = "" if capability == "AVX512" else "_" + capability.lower()
    return ROOT / "tests" / "data" / f"{name}{suffix}.json"


def record_cases(stem):
    """Record what PyTorch prints for each case of tests/data/STEM_cases.py (its CASES, run by
    its run_case) into tests/data/STEM.json."""
    import sys
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    cases = __import__(stem + "_cases")
    facts = {name: cases.run_case(torch, src) for name, src in cases.CASES.items()}
    write(stem + ".json", facts, torch.__version__)
