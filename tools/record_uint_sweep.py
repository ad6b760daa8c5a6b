"""Record PyTorch 2.13's uint16/uint32/uint64 behaviour over the op sweep's integer samples into
tests/data/uint_sweep.json, and write gradsh's table of the kernels that refuse those dtypes
(gradsh/core/ops/uint_kernels.py: op name -> the kernel PyTorch names in its
NotImplementedError "NAME" not implemented for 'UInt16').

Run with PyTorch 2.13 installed:  python tools/record_uint_sweep.py
(tests/data/uint_sweep_cases.py says what runs; tests/core/test_fid23_fixes.py compares gradsh.)
"""

import pathlib
import re
import sys

import torch

import facts_file

from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import uint_sweep_cases as uint  # noqa: E402

_REFUSED = re.compile(r'^"([^"]+)" not implemented for \'UInt16\'$')


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    torch.set_num_threads(1)
    facts, kernels, runs = {}, {}, set()
    for case in uint.cases(OPS):
        for dt in uint.DTYPES:
            fact = facts[uint.key(case, dt)] = uint.run(torch, case, dt)
            m = _REFUSED.match(fact[1]) if dt == "uint16" and fact[0] == "NotImplementedError" \
                else None
            if m:
                kernels.setdefault(case[0], set()).add(m.group(1))
            elif dt == "uint16":
                runs.add(case[0])
    # an op refusing some samples only (div's rounding modes, the in-place cumsum_, isin of a
    # tensor) is not in the table: its refusal depends on its arguments (uint_kernels.BY_ARGS)
    kernels = {op: names for op, names in kernels.items() if op not in runs}
    facts_file.write("uint_sweep.json", facts, torch.__version__)
    lines = ['"""The kernels PyTorch 2.13 does not build for uint16, uint32 and uint64, by op of the',
             "registry: the name its NotImplementedError gives (\"NAME\" not implemented for 'UInt16').",
             "Written by tools/record_uint_sweep.py from the op sweep's integer samples; do not edit.",
             'Ops that refuse some of their arguments only are in dtype_refusals.py."""',
             "", "KERNELS = {"]
    for op in sorted(kernels):
        lines.append(f"    {op!r}: {sorted(kernels[op])[0]!r},")
    lines.append("}")
    path = ROOT / "gradsh" / "core" / "ops" / "uint_kernels.py"
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(kernels)} ops; "
          f"{sum(len(v) > 1 for v in kernels.values())} with more than one kernel name; "
          f"{len(runs)} that run some samples")


if __name__ == "__main__":
    main()
