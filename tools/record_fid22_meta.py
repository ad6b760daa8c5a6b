"""Record what PyTorch 2.13 gives for every op of gradsh's registry on 'meta' tensors into
tests/data/fid22_meta_registry.json (the cases: tests/data/fid22_meta_registry.py, the op
sweep's samples made on device='meta'); tests/core/test_fid22.py compares gradsh with them.

Run with PyTorch installed:  python tools/record_fid22_meta.py
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

import fid22_meta_registry as meta  # noqa: E402
from gradsh.core.ops.registry import OPS  # noqa: E402
from gradsh.core.bindings import load_all  # noqa: E402


def main():
    import torch
    torch.set_num_threads(1)
    load_all()
    facts = {meta.key(c): meta.run(torch, c) for c in meta.cases(OPS)}
    out = ROOT / "tests" / "data" / "fid22_meta_registry.json"
    refusals = {expr: meta.run_expr(torch, expr) for expr in meta.REFUSALS + meta.LINALG + meta.STRIDES}
    out.write_text(json.dumps({"torch": torch.__version__, "facts": facts,
                               "refusals": refusals}, indent=0) + "\n")
    print(f"recorded {len(facts)} cases into {out}")


if __name__ == "__main__":
    main()
