"""gradsh pins numpy's loops and OpenBLAS's kernels before numpy loads (gradsh/_machine.py), so
that its digits do not depend on the CPU's vector width: checked in a fresh process."""

import json
import os
import subprocess
import sys

import pytest

from gradsh import _machine

PROBE = r"""
import json, math, sys
import gradsh, numpy as np
x = np.linspace(-math.pi, math.pi, 2000)
print(json.dumps({
    "features": sorted(np._core._multiarray_umath.__cpu_dispatch__) if hasattr(np, "_core") else [],
    "runtime_avx512": bool(np._core._multiarray_umath.__cpu_features__.get("AVX512F")),
    # numpy's scalar loop of power is the C library's pow; its AVX-512 loop is not
    "pow3_is_libm": bool((x ** 3 == np.array([math.pow(v, 3) for v in x])).all()),
    "env": [__import__("os").environ.get(k) for k in ("NPY_DISABLE_CPU_FEATURES",
                                                      "OPENBLAS_CORETYPE")],
}))
"""


def _probe(**env):
    environ = {k: v for k, v in os.environ.items()
               if k not in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE")}
    environ.update(env)
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=environ, check=True)
    return json.loads(done.stdout)


def test_numpy_runs_its_avx2_loops_and_the_c_librarys_pow_when_gradsh_loads_first():
    seen = _probe()
    assert seen["env"][0] == _machine._ABOVE_AVX2
    assert seen["pow3_is_libm"]
    if {"avx2", "fma"} <= _machine._cpu_flags():
        assert seen["env"][1] == "Haswell"


def test_a_users_own_setting_is_kept():
    assert _probe(NPY_DISABLE_CPU_FEATURES="", OPENBLAS_CORETYPE="Prescott")["env"] == [
        "", "Prescott"]


def test_nothing_is_set_when_numpy_is_loaded_first(monkeypatch):
    environ = {}
    monkeypatch.setitem(sys.modules, "numpy", sys.modules.get("numpy") or object())
    _machine.pin_numpy_kernels(environ)
    assert environ == {}


def test_without_the_pin_numpy_may_take_other_loops_on_an_avx512_cpu():
    """What the pin is for: on an AVX-512 CPU numpy's own power loop differs from the C library's
    in the last bit of some of these (seen on a Sapphire Rapids Xeon: 63 of 2000)."""
    if "avx512f" not in _machine._cpu_flags():
        pytest.skip("an AVX-512 CPU shows the difference; this one has no AVX-512")
    seen = _probe(NPY_DISABLE_CPU_FEATURES="FOO")   # (an unknown name: numpy ignores it)
    assert seen["runtime_avx512"]
    if seen["pow3_is_libm"]:
        pytest.skip("this numpy's AVX-512 power loop agrees with the C library here")
