"""Record PyTorch 2.13's facts for branch fid22's tests (tests/core/test_fid22.py):
- every op of gradsh's registry on 'meta' tensors into tests/data/fid22_meta_registry.json (the
  cases: tests/data/fid22_meta_registry.py, the op sweep's samples made on device='meta'), with
  their gradients, the meta refusals, torch.linalg on meta and the strides of meta views;
- every reduction's keyword forms into tests/data/fid22_reductions.json
  (tests/data/fid22_reductions.py);
- index_* and scatter* over dtypes and ranks into tests/data/fid22_index_ops.json
  (tests/data/fid22_index_ops.py);
- the lines out='s resize warning names into tests/data/fid22_out_warnings.json
  (tests/data/fid22_out_warnings.py).

Run with PyTorch installed:  python tools/record_fid22.py
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

import fid22_meta_registry as meta  # noqa: E402
import fid22_reductions as reductions  # noqa: E402
import fid22_index_ops as index_ops  # noqa: E402
import fid22_out_warnings as out_warnings  # noqa: E402
from gradsh.core.ops.registry import OPS  # noqa: E402
from gradsh.core.bindings import load_all  # noqa: E402


def _dump(data):
    """JSON with one entry of each table a line (a diff shows the cases that changed)."""
    parts = []
    for name, value in data.items():
        if isinstance(value, dict):
            rows = ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in value.items())
            parts.append(f"{json.dumps(name)}: {{\n{rows}}}")
        else:
            parts.append(f"{json.dumps(name)}: {json.dumps(value)}")
    return "{" + ",\n".join(parts) + "}\n"


def main():
    import torch
    torch.set_num_threads(1)
    load_all()
    facts = {meta.key(c): meta.run(torch, c) for c in meta.cases(OPS)}
    backward = {meta.key(c): b for c in meta.cases(OPS)
                for b in [meta.run_backward(torch, c)] if b is not None}
    out = ROOT / "tests" / "data" / "fid22_meta_registry.json"
    refusals = {expr: meta.run_expr(torch, expr) for expr in meta.REFUSALS + meta.LINALG + meta.STRIDES}
    out.write_text(_dump({"torch": torch.__version__, "facts": facts, "refusals": refusals,
                                "backward": backward}))
    print(f"recorded {len(facts)} cases into {out}")
    red = {expr: reductions.run(torch, expr) for expr in reductions.CASES}
    out = ROOT / "tests" / "data" / "fid22_reductions.json"
    out.write_text(_dump({"torch": torch.__version__, "facts": red}))
    print(f"recorded {len(red)} reduction forms into {out}")
    idx = {case: index_ops.run(torch, case) for case in index_ops.CASES}
    out = ROOT / "tests" / "data" / "fid22_index_ops.json"
    out.write_text(_dump({"torch": torch.__version__, "facts": idx}))
    print(f"recorded {len(idx)} index and scatter cases into {out}")
    out = ROOT / "tests" / "data" / "fid22_out_warnings.json"
    out.write_text(json.dumps({"torch": torch.__version__,
                               "lines": out_warnings.warned_lines(torch)}) + "\n")
    print(f"recorded out='s resize warnings into {out}")


if __name__ == "__main__":
    main()
