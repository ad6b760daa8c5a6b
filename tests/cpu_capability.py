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


# ----- seen to differ on an AVX-512 CPU (a Sapphire Rapids Xeon, 2026-12-05) -------------------
# These compare with live PyTorch bit for bit and were matched on the AVX2 machine (AMD EPYC,
# 2026-12-04/05). On an AVX-512 CPU PyTorch runs its 16-float vector kernels and MKL its AVX-512
# code, whose last bits gradsh does not reproduce yet for these (docs/autograd.md, "The same
# digits on every machine"): there they are xfails (not strict: another AVX-512 CPU may agree);
# on AVX2 they assert as before. The conftest applies the table.
_ATEN_VECTORS = ("PyTorch's AVX-512 kernel (16-float vectors) adds in another order than its "
                 "AVX2 one, which gradsh reproduces (passes with ATEN_CPU_CAPABILITY=avx2)")
_MKL_LAPACK = ("MKL's LAPACK on an AVX-512 Intel CPU rounds the LU factors otherwise than on the "
               "AVX2 machine where gradsh's LU was matched")
_MKL_ITSELF = "PyTorch itself (MKL) prints other last bits on this CPU than in its recording"
_NUMPY_AVX512 = ("MKL's VML in PyTorch rounds as numpy's AVX-512 loops (Intel's SVML), which "
                 "gradsh no longer uses (gradsh/_machine.py)")
_GRID_LAYOUTS = [f"{layout}-{mode}-{pad}-{dtype}" for layout, mode, pad, dtype in (
    [("contiguous", m, p, d) for m in ("bicubic", "bilinear")
     for p in ("border", "reflection", "zeros") for d in ("float32", "float64")]
    + [("strided", "bilinear", p, "float64") for p in ("border", "reflection", "zeros")]
    + [("w_contiguous", "bicubic", p, "float32") for p in ("border", "zeros")]
    + [("w_contiguous", "bilinear", p, d) for p in ("border", "reflection", "zeros")
       for d in ("float32", "float64")])]
KNOWN_ON_AVX512 = {
    **{f"tests/nn/test_nnmore.py::test_grid_sample_matches_pytorch_bit_for_bit_in_every_grid_"
       f"layout[{ids}]": _ATEN_VECTORS for ids in _GRID_LAYOUTS},
    **{f"tests/nn/test_nnmore.py::test_affine_grid_matches_pytorch_bit_for_bit[{a}-size1]":
       _ATEN_VECTORS for a in ("False", "True")},
    **{f"tests/nn/test_adv4c_fixes.py::test_weight_norm_along_dim0_is_the_fused_kernels_bits"
       f"[{s}]": _ATEN_VECTORS for s in ("shape3-float32", "shape3-float64", "shape4-float64",
                                         "shape6-float32", "shape6-float64", "shape8-float64",
                                         "shape9-float64")},
    **{f"tests/core/test_det_lu_bits.py::{name}": _MKL_LAPACK for name in (
        "test_det_forward_mode_tangent_is_pytorchs_at_singular_and_regular_matrices",
        "test_det_gradient_without_a_graph_is_pytorchs", "test_det_values_are_pytorchs_bits",
        "test_lu_factor_is_pytorchs_bits", "test_slogdet_float64_is_pytorchs_bits")},
    **{f"tests/core/test_adv12b_fixes.py::test_lstsq_fields_follow_the_driver[{c}-gels]":
       _MKL_LAPACK for c in ("batched", "deficient")},
    **{f"tests/core/test_func20.py::test_hessian_is_forward_over_reverse_as_pytorchs"
       f"[tanh-float64-{how}]": "MKL's float64 tanh (VML) on an AVX-512 Intel CPU is 1 ulp "
       "from the correctly rounded value gradsh gives (tanh(0.5))"
       for how in ("hessian", "jacfwd_jacrev")},
    "tests/nn/test_attention.py::test_live_pytorch_gives_the_recorded_facts": _MKL_ITSELF,
    # matched on an AVX-512 Intel Xeon (2026-12-03) while numpy ran its AVX-512 loops there
    # (Intel's SVML, whose float64 log, exp and erfinv round as MKL's VML in PyTorch): with
    # numpy's AVX2 loops pinned they differ in the last bit as on the AVX2 machine
    # (may_differ_on_this_cpu's xfails there)
    **{nodeid: _NUMPY_AVX512 for nodeid in (
        "tests/core/test_erfinv.py::test_erfinv_is_within_one_ulp_of_pytorchs[float64]",
        "tests/core/test_record_first.py::test_chain_of_lanes_matches_pytorch[float64]",
        *("tests/nn/test_margin_losses.py::test_values_and_gradients_are_pytorchs_bits"
          f"[soft_margin_loss-10-float64-{r}]" for r in ("mean", "sum", "none")),
        "tests/nn/test_margin_losses.py::test_modules_are_pytorchs[<lambda>-arrays7]",
        "tests/nn/test_optim.py::test_training_a_network_prints_pytorch_losses[Adam-kwargs6]")},
}


# learner programs, on every surface (as .grad, under Python, piped, in cells, typed)
PROGRAMS_KNOWN_ON_AVX512 = {
    "nnmore_grid_sample_sweep": _ATEN_VECTORS,
    "p10_optimizing_params_loop": _MKL_ITSELF,
    "lpe_legendre_setup_context": _NUMPY_AVX512,
}
_LEARNER_FILES = ("tests/lang/test_learner_programs.py", "tests/kernel/test_learner_surfaces.py",
                  "tests/cli/test_learner_repl.py")


def mark_known_on_this_cpu(items):
    """The conftest's collection hook: KNOWN_ON_AVX512's tests and PROGRAMS_KNOWN_ON_AVX512's
    programs become xfails on AVX-512."""
    if CAPABILITY != "AVX512":
        return
    for item in items:
        reason = KNOWN_ON_AVX512.get(item.nodeid)
        if reason is None and item.nodeid.startswith(_LEARNER_FILES):
            reason = PROGRAMS_KNOWN_ON_AVX512.get(item.nodeid.rpartition("[")[2].rstrip("]"))
        if reason:
            item.add_marker(pytest.mark.xfail(strict=False, reason="on an AVX-512 CPU: " + reason))
