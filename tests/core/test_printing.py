"""format_tensor must give PyTorch 2.13's exact text: recorded oracle cases, then live torch."""

import json
import math
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from gradsh.core import dtypes
from gradsh.core.printing import (format_tensor, get_printoptions, printoptions,
                                  set_printoptions)

ORACLE = Path(__file__).resolve().parents[1] / "data" / "print_examples.json"
CASES = json.loads(ORACLE.read_text())


def _unsupported(expr):
    """Why gradsh cannot print this oracle case at all, or None."""
    if "j," in expr or "j]" in expr:
        return "complex dtypes are not supported by gradsh"
    return None


@pytest.fixture(autouse=True)
def _default_options():
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


# --- A numpy stand-in for the few torch calls the oracle expressions use --------------------
# Grad-fn names are PyTorch's (see tests/data/gradfn_names.json).

class _FakeTensor:
    def __init__(self, data, dtype, requires_grad=False, grad_fn=None):
        self.data, self.dtype = np.asarray(data, dtype.np), dtype
        self.requires_grad, self.grad_fn = requires_grad, grad_fn

    def _op(self, result, name):
        dtype = self.dtype if result.dtype == self.dtype.np else dtypes.float32
        grad_fn = name if self.requires_grad else None
        return _FakeTensor(result.astype(dtype.np), dtype, self.requires_grad, grad_fn)

    def __mul__(self, k):
        return self._op(self.data * k, "MulBackward0")

    def __add__(self, k):
        return self._op(self.data + k, "AddBackward0")

    def __truediv__(self, k):
        return self._op(self.data / k, "DivBackward0")

    def __pow__(self, k):
        return self._op(self.data ** k, "PowBackward0")

    def sum(self):
        return self._op(self.data.sum(dtype=self.data.dtype), "SumBackward0")

    def exp(self):
        return self._op(np.exp(self.data), "ExpBackward0")

    def reshape(self, *shape):
        return _FakeTensor(self.data.reshape(shape), self.dtype, self.requires_grad, self.grad_fn)

    def __getitem__(self, index):
        return _FakeTensor(self.data[index], self.dtype, self.requires_grad, self.grad_fn)


def _fake_tensor(values, dtype=None, requires_grad=False):
    arr = np.array(values)
    if dtype is None:  # torch.tensor infers float32 from Python floats, int64 from ints
        dtype = dtypes.float32 if arr.dtype.kind == "f" else dtypes.from_numpy_dtype(arr.dtype)
    return _FakeTensor(arr, dtype, requires_grad)


FAKE_TORCH = SimpleNamespace(
    tensor=_fake_tensor,
    arange=lambda n: _FakeTensor(np.arange(n), dtypes.float32 if isinstance(n, float)
                                 else dtypes.int64),
    zeros=lambda *shape, dtype=dtypes.float32: _FakeTensor(np.zeros(shape), dtype),
    ones=lambda *shape, requires_grad=False: _FakeTensor(np.ones(shape), dtypes.float32,
                                                         requires_grad),
    full=lambda shape, v, dtype=dtypes.float32: _FakeTensor(np.full(shape, v), dtype),
    linspace=lambda a, b, n: _FakeTensor(np.linspace(a, b, n), dtypes.float32),
    **{d.name: d for d in dtypes.ALL + (dtypes.bfloat16,)},
)


def _oracle_params():
    params = []
    for case in CASES:
        reason = _unsupported(case["expr"])
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(case["expr"], case["repr"], marks=marks, id=case["expr"]))
    return params


@pytest.mark.parametrize("expr,expected", _oracle_params())
def test_oracle_case_printed_exactly_from_numpy_data(expr, expected):
    if "manual_seed" in expr:
        pytest.skip("random values need torch's generator (covered by the torch variant)")
    t = eval(expr, {"torch": FAKE_TORCH})
    assert format_tensor(t.data, t.dtype, t.grad_fn, t.requires_grad) == expected


def _torch_dtype_to_gradsh(torch_dtype):
    return getattr(dtypes, str(torch_dtype).removeprefix("torch."))


def _format_like_torch(t):
    name = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    dtype = _torch_dtype_to_gradsh(t.dtype)
    values = t.detach().float().numpy().astype(dtype.np) if dtype is dtypes.bfloat16 else \
        t.detach().numpy()  # (torch's numpy() has no bfloat16)
    return format_tensor(values, dtype, name, t.requires_grad)


@pytest.mark.parametrize("expr,expected", _oracle_params())
def test_oracle_case_printed_exactly_from_torch_values(expr, expected):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    t = eval(expr, {"torch": torch})
    assert repr(t) == expected  # the oracle still describes the installed torch
    assert _format_like_torch(t) == expected


def test_oracle_file_has_the_recorded_cases():
    assert len(CASES) >= 80


# --- Facts checked by hand against PyTorch 2.13 ---------------------------------------------

def test_zero_width_alignment_lets_negative_zero_overflow():
    # PyTorch measures only finite non-zero values, so -0.0000 is one wider than the rest.
    assert format_tensor(np.array([-0.0, 1.5], np.float32), dtypes.float32) == \
        "tensor([-0.0000, 1.5000])"


def test_nan_scalar_prints_bare():
    assert format_tensor(np.array(np.nan, np.float32), dtypes.float32) == "tensor(nan)"


def test_uint8_column_shows_dtype_after_last_row():
    data = np.array([[1], [2]], np.uint8)
    assert format_tensor(data, dtypes.uint8) == "tensor([[1],\n        [2]], dtype=torch.uint8)"


def test_non_contiguous_view_prints_its_logical_order():
    data = np.arange(6, dtype=np.int64).reshape(2, 3).T
    assert format_tensor(data, dtypes.int64) == "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])"


def test_threshold_option_summarizes_small_vector():
    set_printoptions(threshold=5)
    assert format_tensor(np.arange(10), dtypes.int64) == "tensor([0, 1, 2,  ..., 7, 8, 9])"


def test_precision_option_rounds_to_two_places():
    set_printoptions(precision=2)
    assert format_tensor(np.array([1.12345], np.float32), dtypes.float32) == "tensor([1.12])"


def test_short_profile_keeps_two_edge_items():
    set_printoptions(profile="short")
    data = np.arange(1001, dtype=np.float32) / 3
    assert format_tensor(data, dtypes.float32) == \
        "tensor([0.00e+00, 3.33e-01,  ..., 3.33e+02, 3.33e+02])"


def test_sci_mode_false_forces_fixed_style():
    set_printoptions(sci_mode=False)
    data = np.array([1e-8, 1e9], np.float32)
    assert format_tensor(data, dtypes.float32) == "tensor([         0.0000, 1000000000.0000])"


def test_sci_mode_true_leaves_all_zero_tensor_in_integer_style():
    set_printoptions(sci_mode=True)
    assert format_tensor(np.zeros(2, np.float32), dtypes.float32) == "tensor([0., 0.])"
    assert format_tensor(np.array([1.0, 2.0], np.float32), dtypes.float32) == \
        "tensor([1.0000e+00, 2.0000e+00])"


def test_narrow_linewidth_wraps_rows():
    set_printoptions(linewidth=30)
    assert format_tensor(np.arange(12, dtype=np.float32), dtypes.float32) == (
        "tensor([ 0.,  1.,  2.,  3.,\n         4.,  5.,  6.,  7.,\n         8.,  9., 10., 11.])")


def test_zero_edgeitems_prints_only_ellipsis_and_size():
    set_printoptions(edgeitems=0, threshold=0)
    assert format_tensor(np.arange(5, dtype=np.float32), dtypes.float32) == \
        "tensor([...], size=(5,))"
    assert format_tensor(np.ones((2, 3), np.float32), dtypes.float32) == \
        "tensor([...], size=(2, 3))"
    assert format_tensor(np.array(3.5, np.float32), dtypes.float32) == "tensor(3.5000, size=())"
    assert format_tensor(np.zeros((0, 2), np.float32), dtypes.float32) == \
        "tensor([], size=(0, 2))"


def test_profiles_and_defaults_match_torch_values():
    assert get_printoptions() == {"precision": 4, "threshold": 1000, "edgeitems": 3,
                                  "linewidth": 80, "sci_mode": None}
    set_printoptions(profile="full")
    assert get_printoptions()["threshold"] == math.inf
    set_printoptions(profile="short", precision=3, sci_mode=True)
    assert get_printoptions() == {"precision": 3, "threshold": 1000, "edgeitems": 2,
                                  "linewidth": 80, "sci_mode": True}


def test_set_printoptions_resets_sci_mode_when_not_given():
    set_printoptions(sci_mode=True)
    set_printoptions(precision=5)
    assert get_printoptions()["sci_mode"] is None


def test_printoptions_context_restores_previous_options():
    set_printoptions(precision=6)
    with printoptions(precision=1, linewidth=40):
        assert get_printoptions()["precision"] == 1
    assert get_printoptions()["precision"] == 6
    assert get_printoptions()["linewidth"] == 80


def test_other_default_dtype_moves_dtype_suffix_to_float32():
    data = np.array([1.0, 2.0])
    dtypes.set_default_dtype(dtypes.float64)
    try:
        assert format_tensor(data, dtypes.float64) == "tensor([1., 2.])"
        assert format_tensor(data.astype(np.float32), dtypes.float32) \
            == "tensor([1., 2.], dtype=torch.float32)"
        assert format_tensor(data[:0].astype(np.float32), dtypes.float32) \
            == "tensor([], dtype=torch.float32)"
    finally:
        dtypes.set_default_dtype(dtypes.float32)


def test_ten_million_elements_print_quickly():
    data = np.arange(10**7, dtype=np.float32).reshape(100, 100, 1000)
    start = time.process_time()
    text = format_tensor(data, dtypes.float32)
    assert time.process_time() - start < 0.5
    assert text.startswith("tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ...,")
    assert text.endswith("1.0000e+07]]])")  # 9999999 rounds up at 4 digits


def _text_or_refusal(data, dtype, **options):
    from gradsh.core.printing import TensorTextTooLong
    with printoptions(**options):
        try:
            return format_tensor(data, dtype)
        except TensorTextTooLong as error:
            return error


def test_a_tensor_printed_in_full_past_the_text_limit_is_refused_before_formatting():
    data = np.zeros(4 * 10**6, dtype=np.float32)
    start = time.process_time()
    refused = _text_or_refusal(data, dtypes.float32, threshold=math.inf)
    assert time.process_time() - start < 0.5  # nothing formatted
    assert "at least 12000000 characters (4000000 elements shown)" in str(refused)
    assert "set_printoptions(profile='default')" in str(refused)
    # the same tensor summarized is fine, and so is a huge precision on a few values
    assert format_tensor(data, dtypes.float32).startswith("tensor([0., 0., 0.,  ..., 0.")
    assert len(_text_or_refusal(np.full(10, 0.5), dtypes.float64, precision=10_000)) > 10**5


@pytest.mark.parametrize("seed", range(40))
def test_the_text_limit_refuses_only_texts_that_would_be_past_it(monkeypatch, seed):
    # The bound is a lower bound of the text's size: with a small limit, every refused tensor's
    # text (printed with no limit) is longer than the limit, whatever the values and options.
    from gradsh.core import printing
    rng = np.random.default_rng(seed)
    dtype = rng.choice(["float32", "float64", "int64", "bool", "uint8"])
    n = int(rng.integers(1, 60))
    values = rng.choice([0.0, 1.0, -3.0, 0.5, 1e12, -1e-7, np.inf, np.nan], size=n) \
        * rng.choice([1.0, 10.0 ** rng.integers(-3, 9)])
    if dtype in ("int64", "uint8", "bool"):
        values = np.nan_to_num(values, nan=0, posinf=7, neginf=-7).clip(-10**15, 10**15)
    data = values.astype(dtype)
    options = dict(threshold=math.inf, precision=int(rng.integers(0, 12)),
                   sci_mode=[None, True, False][int(rng.integers(0, 3))])
    full = _text_or_refusal(data, getattr(dtypes, dtype), **options)
    limit = int(rng.integers(20, 400))
    monkeypatch.setattr(printing, "MAX_TEXT", limit)
    checked = _text_or_refusal(data, getattr(dtypes, dtype), **options)
    if isinstance(checked, Exception):
        assert len(full) - len("tensor()") > limit, (full, limit)
    else:
        assert checked == full


# --- Differential sweep against live torch ---------------------------------------------------

SWEEP_DTYPES = ("float32", "float64", "float16", "int64", "int32", "bool", "uint8")


def _random_shape(rng):
    if rng.random() < 0.15:  # shapes that cross the 1000-element summarize threshold
        big = [(1001,), (40, 50), (3, 400), (7, 7, 7, 3), (2, 3, 200), (6, 6, 6, 6), (2000,),
               (1, 1500), (11, 10, 10), (3, 0, 500)]
        return big[int(rng.integers(len(big)))]
    while True:
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(rng.choice([0, 1, 2, 3, 5, 8, 13, 30])) if rng.random() < 0.1
                      else int(rng.integers(1, 9 if ndim > 1 else 40)) for _ in range(ndim))
        if math.prod(shape) <= 3000:
            return shape


def _random_floats(rng, n):
    kind = rng.choice(["normal", "uniform", "whole", "whole_big", "magnitudes", "zeros",
                       "specials", "tiny", "huge"])
    scale = 10.0 ** rng.integers(-6, 10)
    if kind == "normal":
        v = rng.standard_normal(n) * scale
    elif kind == "uniform":
        v = rng.random(n)
    elif kind == "whole":
        v = rng.integers(-1000, 1000, n).astype(float)
    elif kind == "whole_big":
        v = rng.integers(-1000, 1000, n) * scale
    elif kind == "magnitudes":
        v = 10.0 ** rng.uniform(-9, 11, n) * rng.choice([-1, 1], n)
    elif kind == "zeros":
        v = rng.choice([0.0, -0.0], n)
    elif kind == "specials":
        v = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0], n)
    elif kind == "tiny":
        v = rng.standard_normal(n) * 1e-5
    else:
        v = rng.standard_normal(n) * 1e9
    if n and rng.random() < 0.3:  # sprinkle non-finite values and signed zeros
        k = int(rng.integers(1, max(2, n // 4)))
        v[rng.integers(0, n, k)] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0], k)
    return v


def _random_data(rng, dtype_name, shape):
    n = math.prod(shape)
    if dtype_name == "bool":
        flat = rng.random(n) < rng.random()
    elif dtype_name == "uint8":
        flat = rng.integers(0, 256, n)
    elif dtype_name in ("int64", "int32"):
        hi = int(rng.choice([10, 1000, 2**31 - 1]))
        flat = rng.integers(-hi if rng.random() < 0.5 else 0, hi, n)
    else:
        flat = _random_floats(rng, n)
    with np.errstate(over="ignore"):  # float16 overflows to inf, as torch's cast does
        return np.asarray(flat).astype(getattr(dtypes, dtype_name).np).reshape(shape)


def _maybe_strided(rng, data):
    """The same values as a non-contiguous view, as gradsh may hold them."""
    if data.ndim >= 2 and rng.random() < 0.3:
        return np.ascontiguousarray(data.swapaxes(0, -1)).swapaxes(0, -1)
    if data.ndim >= 1 and rng.random() < 0.2:
        return np.ascontiguousarray(data[::-1])[::-1]
    return data


def _torch_text_and_ours(torch, rng, data, dtype_name):
    dtype = getattr(dtypes, dtype_name)
    t = torch.from_numpy(data.copy(order="C"))  # ascontiguousarray would make 0-d 1-d
    grad_fn = None
    requires_grad = False
    if dtype.is_floating_point and rng.random() < 0.4:
        t.requires_grad_()
        requires_grad = True
        if rng.random() < 0.5:
            t = t.clone()  # same values, now the result of a recorded op
            grad_fn = "CloneBackward0"
            assert type(t.grad_fn).__name__ == grad_fn
    return repr(t), format_tensor(_maybe_strided(rng, data), dtype, grad_fn, requires_grad)


def _sweep(torch, rng, count):
    mismatches = []
    for _ in range(count):
        dtype_name = str(rng.choice(SWEEP_DTYPES))
        data = _random_data(rng, dtype_name, _random_shape(rng))
        expected, ours = _torch_text_and_ours(torch, rng, data, dtype_name)
        if expected != ours:
            mismatches.append(f"{dtype_name} {data.shape}\ntorch:\n{expected}\nours:\n{ours}")
    assert not mismatches, f"{len(mismatches)} mismatches, first:\n" + mismatches[0]


@pytest.fixture
def torch_live():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    torch.set_printoptions(profile="default")
    yield torch
    torch.set_printoptions(profile="default")


def test_random_tensors_print_as_torch_prints_them(torch_live):
    _sweep(torch_live, np.random.default_rng(20240613), 700)


def test_rows_near_eighty_columns_wrap_suffixes_as_torch(torch_live):
    rng = np.random.default_rng(7)
    mismatches = []
    for n in range(1, 40):
        for dtype_name in ("float32", "float64", "float16", "int32"):
            data = (rng.standard_normal(n) * 10.0 ** rng.integers(-1, 4)).astype(
                getattr(dtypes, dtype_name).np)
            for _ in range(2):
                expected, ours = _torch_text_and_ours(torch_live, rng, data, dtype_name)
                if expected != ours:
                    mismatches.append(f"torch:\n{expected}\nours:\n{ours}")
    assert not mismatches, mismatches[0]


@pytest.mark.parametrize("options", [
    {"precision": 2}, {"precision": 7}, {"precision": 0}, {"linewidth": 40},
    {"linewidth": 120}, {"edgeitems": 1, "threshold": 50}, {"edgeitems": 2},
    {"threshold": 10}, {"sci_mode": True}, {"sci_mode": False}, {"profile": "short"},
    {"profile": "full"}, {"edgeitems": 0, "threshold": 20},
], ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_random_tensors_under_print_options_as_torch(torch_live, options):
    torch_live.set_printoptions(**options)
    set_printoptions(**options)
    assert get_printoptions() == torch_live._tensor_str.get_printoptions()
    _sweep(torch_live, np.random.default_rng(len(str(options))), 60)
