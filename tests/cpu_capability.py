"""Which of PyTorch's CPU kernels this machine runs, for tests that compare bits.

PyTorch's CPU build picks its vector kernels at run time (`torch.backends.cpu.
get_cpu_capability()`): AVX512 where the CPU has AVX-512 F, BW, DQ and VL, else AVX2. Their
float32 results differ in the last bit where the vector width sets an order (sigmoid's and
softmax's lanes, vec::reduce_all), and MKL's VML (erfinv) picks its own code by CPU too. gradsh
follows the same choice (gradsh/core/ops/expf.py, `_vector_floats`), so a recording of
PyTorch's bits is a fact about one capability: these helpers tell the tests which one this
machine has, without PyTorch.

The facts in tests/data were recorded on an AVX512 machine unless their file says otherwise;
the bit-level ones that depend on the capability have a twin recorded on an AVX2 machine
(`NAME_avx2.json`, written by the same tool run there).
"""

import contextlib
import json
import pathlib

import pytest

from gradsh.core.ops.expf import _LANES

DATA = pathlib.Path(__file__).resolve().parent / "data"

CAPABILITY = "AVX512" if _LANES == 16 else "AVX2"
RECORDED_ON = "AVX512"    # where the facts without a capability of their own were recorded


def facts_path(name):
    """tests/data/NAME.json recorded on this machine's capability: NAME.json on AVX512,
    NAME_avx2.json on AVX2."""
    return DATA / (f"{name}.json" if CAPABILITY == "AVX512" else f"{name}_{CAPABILITY.lower()}.json")


def load_facts(name):
    """The recorded facts for this machine's capability (a pytest skip, with the reason, where
    none were recorded on such a CPU)."""
    path = facts_path(name)
    if not path.exists():
        pytest.skip(f"{path.name}: PyTorch's bits for {name} were not recorded on an "
                    f"{CAPABILITY} CPU (record them with the tool named in {name}.json's test)",
                    allow_module_level=True)
    return json.loads(path.read_text())


def skip_unless_recorded_here(torch, name):
    """For a live check that PyTorch still gives the facts in tests/data/NAME: PyTorch on
    another capability than the one they were recorded on (their header's "cpu", AVX512 where
    it has none) rounds some results otherwise."""
    with open(DATA / name) as f:
        head = json.loads(f.readline().rsplit('"facts"', 1)[0].rstrip(", ") + "}")
    recorded = head.get("cpu", RECORDED_ON)
    here = torch.backends.cpu.get_cpu_capability()
    if here != recorded:
        pytest.skip(f"{name} was recorded by PyTorch on an {recorded} CPU; this one runs "
                    f"PyTorch's {here} kernels, which round some results otherwise")


@contextlib.contextmanager
def may_differ_on_this_cpu(reason):
    """Around a bit-for-bit comparison with live PyTorch that holds on the capability gradsh's
    kernels were matched on (AVX512) and is known to differ in the last bit elsewhere
    (docs/autograd.md, "What differs from PyTorch"): there a failed assertion is an xfail with
    the reason; on AVX512 it fails as usual."""
    try:
        yield
    except AssertionError:
        if CAPABILITY == RECORDED_ON:
            raise
        pytest.xfail(f"on an {CAPABILITY} CPU: {reason}")
