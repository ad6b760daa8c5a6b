"""torch.bfloat16 tensors against PyTorch 2.13: creation, printing, promotion, pointwise ops,
reductions (accumulated in float32), matmul, backward and random draws. The recorded text is
tests/data/bf16.json (tools/record_bf16.py); gradsh stores them as ml_dtypes' numpy bfloat16,
imported on a program's first bfloat16 tensor (docs/autograd.md "bfloat16")."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import gradsh as torch

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from bf16_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "bf16.json").read_text())["facts"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(torch, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


def test_the_dtype_names_itself_and_its_limits_as_pytorch():
    assert repr(torch.bfloat16) == "torch.bfloat16"
    assert torch.bfloat16.is_floating_point and torch.bfloat16.itemsize == 2
    assert repr(torch.finfo(torch.bfloat16)) == (
        "finfo(resolution=0.01, min=-3.38953e+38, max=3.38953e+38, eps=0.0078125, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=bfloat16)")


def _bf16_round(values):
    """float32 values rounded to bfloat16 (to nearest, ties to even), by their bits."""
    bits = np.asarray(values, np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
    return bits.astype(np.uint32).view(np.float32)


def test_a_conversion_rounds_to_nearest_even_as_the_bits_say():
    values = np.random.default_rng(0).standard_normal(2000).astype(np.float32) * 100
    ties = np.array([1 + 2 ** -8, 1 + 3 * 2 ** -8, 256.5, 257.0], np.float32)
    for v in (values, ties):
        got = torch.tensor(v).to(torch.bfloat16).float().numpy()
        assert np.array_equal(got, _bf16_round(v))


def test_a_sum_accumulates_in_float32_then_rounds_once():
    x = torch.full((4096,), 0.1, dtype=torch.bfloat16)
    exact = 4096 * 0.10009765625   # bfloat16(0.1), summed in float32 exactly enough
    assert x.sum().item() == float(_bf16_round([exact])[0])


def test_the_grad_of_a_bfloat16_leaf_is_bfloat16():
    z = torch.tensor([1.0, 2.0], dtype=torch.bfloat16, requires_grad=True)
    (z * z).sum().backward()
    assert z.grad.dtype is torch.bfloat16 and z.grad.tolist() == [2.0, 4.0]


def test_ml_dtypes_is_imported_only_when_a_program_makes_a_bfloat16_tensor():
    code = ("import sys, gradsh as torch; torch.ones(2) * torch.bfloat16.is_floating_point; "
            "print('ml_dtypes' in sys.modules); torch.ones(1, dtype=torch.bfloat16); "
            "print('ml_dtypes' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]


def test_an_ml_dtypes_array_made_before_gradsh_needed_the_type_converts():
    pytest.importorskip("ml_dtypes")
    code = ("import numpy as np, ml_dtypes, gradsh as torch; "
            "t = torch.from_numpy(np.array([1.5, 2.25], dtype=ml_dtypes.bfloat16)); "
            "print(t.dtype, t.tolist())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "torch.bfloat16 [1.5, 2.25]\n"


def test_numpy_of_a_bfloat16_tensor_raises_as_pytorchs():
    # PyTorch 2.13: numpy() has no bfloat16 type ("Got unsupported ScalarType BFloat16")
    with pytest.raises(TypeError, match="^Got unsupported ScalarType BFloat16$"):
        torch.ones(2, dtype=torch.bfloat16).numpy()


# the float tests that mean numpy's floats only (not bfloat16's "V"), each on purpose
_NUMPY_FLOATS_ONLY = {("gradsh/core/optim/adam.py", 'dt.kind != "f"'),
                      ("gradsh/core/ops/pointwise.py", 'r.dtype.kind == "f"'),
                      ("gradsh/core/ops/pointwise.py", 'other._data.dtype.kind == "f"'),
                      # gamma and dirichlet draws: PyTorch refuses bfloat16 ("not implemented
                      # for 'BFloat16'")
                      ("gradsh/core/ops/sampling.py", 'd.dtype.kind != "f"'),
                      # geqrf, orgqr, ormqr and ldl refuse float16 and bfloat16 as PyTorch's
                      # kernels do (NotImplementedError naming the kernel)
                      ("gradsh/core/ops/householder.py", 'd.dtype.kind not in "fc"'),
                      ("gradsh/core/ops/householder.py", 'input._data.dtype.kind not in "fc"'),
                      ("gradsh/core/ops/ldl.py", 'd.kind not in "fc"')}


def test_every_float_test_in_gradsh_counts_bfloat16():
    # a bfloat16 array's numpy kind is "V": a test of kind "f" alone would take it for a
    # non-float (docs/autograd.md "bfloat16"); code merged from elsewhere must read "fV"
    import re
    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r'[\w.]+\.kind (?:==|!=) "f"|[\w.]+\.kind (?:not )?in "f[a-zA-Z]*"')
    found = {(path.relative_to(root).as_posix(), m.group(0))
             for path in (root / "gradsh").rglob("*.py")
             for m in pattern.finditer(path.read_text()) if "V" not in m.group(0)}
    assert sorted(found - _NUMPY_FLOATS_ONLY) == []
