"""torch.testing.assert_close, with PyTorch's checks, default tolerances and messages
(torch/testing/_comparison.py): tensors, Python numbers, and sequences and mappings of them;
and torch.testing.make_tensor, drawing as PyTorch's (torch/testing/_creation.py)."""

import math

import numpy as np

from .core import dtypes
from .core.ops.prim import abs_array
from .core.promotion import promote_types
from .core.tensor import Tensor

__all__ = ["assert_close", "make_tensor"]

# (rtol, atol) by dtype; 0, 0 (exact) for the others
_PRECISIONS = {dtypes.float16: (0.001, 1e-5), dtypes.bfloat16: (0.016, 1e-5),
               dtypes.float32: (1.3e-6, 1e-5), dtypes.float64: (1e-7, 1e-7),
               dtypes.complex64: (1.3e-6, 1e-5), dtypes.complex128: (1e-7, 1e-7)}


class AssertionFailure(AssertionError):
    """PyTorch's AssertionError, named so (a .grad program shows it as a program's error, not
    as a bug of gradsh's: lang/runtime/tracing.py reads gradsh_kind)."""

    gradsh_kind = "AssertionError"


AssertionFailure.__name__ = AssertionFailure.__qualname__ = "AssertionError"


class _Fail(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind, self.message = kind, message


def _python_dtype(x):
    if isinstance(x, bool):
        return dtypes.bool_
    if isinstance(x, int):
        return dtypes.int64
    return dtypes.float64


def _tolerances(rtol, atol, *dts):
    if (rtol is None) != (atol is None):
        raise _Fail(ValueError, "Both 'rtol' and 'atol' must be either specified or omitted, but "
                                f"got no {'rtol' if rtol is None else 'atol'}.")
    if rtol is not None:
        return rtol, atol
    pairs = [_PRECISIONS.get(d, (0.0, 0.0)) for d in dts]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _mismatch(default, identifier, extra, abs_diff, abs_idx, atol, rel_diff, rel_idx, rtol):
    equality = rtol == 0 and atol == 0

    def diff(kind, value, idx, tol):
        msg = (f"{kind.title()} difference: {value}" if idx is None
               else f"Greatest {kind} difference: {value} at index {idx}")
        return msg + ("" if equality else f" (up to {tol} allowed)") + "\n"
    if identifier is None:
        identifier = default
    elif callable(identifier):
        identifier = identifier(default)
    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += diff("absolute", abs_diff, abs_idx, atol) + diff("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _close(a, b, rtol, atol, equal_nan):
    """torch.isclose on numpy arrays of one dtype."""
    if a.dtype == np.bool_:
        return a == b
    same = a == b
    if a.dtype.kind not in "fVc":
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        return same | (np.abs(a64 - b64) <= atol + rtol * np.abs(b64))
    real = a.real.dtype.type  # (a complex pair is near by the modulus of its difference)
    with np.errstate(all="ignore"):
        near = np.isfinite(a) & np.isfinite(b) & (abs_array(a - b) <= real(atol)
                                                  + real(rtol) * abs_array(b))
    if equal_nan:
        near |= np.isnan(a) & np.isnan(b)
    return same | near


def _scalar_message(actual, expected, rtol, atol, identifier):
    abs_diff = abs(actual - expected)
    rel_diff = math.inf if expected == 0 else abs_diff / abs(expected)
    return _mismatch("Scalars", identifier, f"Expected {expected} but got {actual}.", abs_diff,
                     None, atol, rel_diff, None, rtol)


def _compare_tensors(actual, expected, rtol, atol, equal_nan, check_dtype, check_stride,
                     identifier):
    def attribute(name, x, y):
        raise _Fail(AssertionError, f"The values for attribute '{name}' do not match: {x} != "
                                    f"{y}.")
    if actual.shape != expected.shape:
        attribute("shape", actual.shape, expected.shape)
    if check_stride and actual.stride() != expected.stride():
        attribute("stride()", actual.stride(), expected.stride())
    if check_dtype and actual.dtype is not expected.dtype:
        attribute("dtype", actual.dtype, expected.dtype)
    rtol, atol = _tolerances(rtol, atol, actual.dtype, expected.dtype)
    dt = actual.dtype if actual.dtype is expected.dtype else promote_types(actual.dtype,
                                                                           expected.dtype)
    a = actual.detach()._data.astype(dt.np, copy=False)
    b = expected.detach()._data.astype(dt.np, copy=False)
    matches = _close(a, b, rtol, atol, equal_nan)
    if matches.all():
        return
    if a.ndim == 0:
        msg = _scalar_message(a.item(), b.item(), rtol, atol, identifier)
    else:
        msg = _tensor_message(a, b, matches, rtol, atol, identifier)
    raise _Fail(AssertionError, msg)


def _tensor_message(a, b, matches, rtol, atol, identifier):
    total = matches.size
    wrong = total - int(matches.sum())
    extra = f"Mismatched elements: {wrong} / {total} ({wrong / total:.1%})"
    a, b, m = a.reshape(-1), b.reshape(-1), matches.reshape(-1)
    if a.dtype.kind not in "fVc":
        a, b = a.astype(np.int64), b.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = abs_array(a - b)
        abs_diff[m] = 0
        if a.dtype.kind in "fVc":
            rel_diff = abs_diff / abs_array(b)
        else:  # int64 / int64 divides in the default dtype
            default = dtypes.get_default_dtype().np
            rel_diff = abs_diff.astype(default) / np.abs(b).astype(default)
    rel_diff[m] = 0

    def greatest(d):  # torch.max: the first maximum, nan above everything
        nans = np.flatnonzero(np.isnan(d)) if d.dtype.kind in "fV" else ()
        i = int(nans[0]) if len(nans) else int(np.argmax(d))
        return d[i].item(), np.unravel_index(i, matches.shape)
    abs_value, abs_idx = greatest(abs_diff)
    rel_value, rel_idx = greatest(rel_diff)
    index = lambda idx: tuple(int(i) for i in idx)  # noqa: E731
    return _mismatch("Tensor-likes", identifier, extra, abs_value, index(abs_idx), atol,
                     rel_value, index(rel_idx), rtol)


_NUMBERS = (bool, int, float)


def _compare(actual, expected, path, opts):
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        return _compare_tensors(actual, expected, **opts)
    if isinstance(actual, _NUMBERS) and isinstance(expected, _NUMBERS):
        if opts["check_dtype"] and type(actual) is not type(expected):
            raise _Fail(AssertionError, f"The (d)types do not match: {type(actual)} != "
                                        f"{type(expected)}.")
        rtol, atol = _tolerances(opts["rtol"], opts["atol"], _python_dtype(actual),
                                 _python_dtype(expected))
        if actual == expected or (opts["equal_nan"] and actual != actual and
                                  expected != expected):
            return
        if not (math.isinf(actual) or math.isinf(expected)) and \
                abs(actual - expected) <= atol + rtol * abs(expected):
            return
        raise _Fail(AssertionError, _scalar_message(actual, expected, rtol, atol,
                                                    opts["identifier"]))
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)) and not (
            isinstance(actual, str) or isinstance(expected, str)):
        if len(actual) != len(expected):
            raise _Fail(AssertionError, f"The length of the sequences mismatch: {len(actual)} != "
                                        f"{len(expected)}")
        for i, (x, y) in enumerate(zip(actual, expected)):
            _item(x, y, path + (i,), opts)
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        keys_a, keys_b = set(actual), set(expected)
        if keys_a != keys_b:
            missing = sorted(map(repr, keys_b - keys_a))
            extra = sorted(map(repr, keys_a - keys_b))
            raise _Fail(AssertionError, "The keys of the mappings do not match:\n"
                        + (f"Missing keys in the actual mapping: {', '.join(missing)}\n"
                           if missing else "")
                        + (f"Additional keys in the actual mapping: {', '.join(extra)}\n"
                           if extra else ""))
        for k in actual:
            _item(actual[k], expected[k], path + (k,), opts)
        return
    raise _Fail(TypeError, f"No comparison pair was able to handle inputs of type "
                           f"{type(actual)} and {type(expected)}.")


def _item(x, y, path, opts):
    try:
        _compare(x, y, path, opts)
    except _Fail as f:
        if path and not getattr(f, "located", False) and f.kind is AssertionError:
            f.message += "\n\nThe failure occurred for item " + "".join(f"[{p!r}]"
                                                                       for p in path)
            f.located = True
        raise


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raise AssertionError unless actual and expected are close (PyTorch's rules and text)."""
    opts = dict(rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype,
                check_stride=check_stride, identifier=None)
    try:
        _item(actual, expected, (), opts)
    except _Fail as f:
        kind = AssertionFailure if f.kind is AssertionError else f.kind
        if msg is not None and f.kind is AssertionError:
            raise kind(msg(f.message) if callable(msg) else msg) from None
        raise kind(f.message) from None


def _low_high(dtype, low, high, lowest, highest, default_low, default_high):
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and dtype.is_floating_point:
        import warnings
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or "
                      "complex types is deprecated since 2.1 and will be removed in 2.3. Use "
                      "`torch.full(...)` instead.", FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), "
                         f"but {dtype} only supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    if not dtype.is_floating_point:
        return math.ceil(low), math.ceil(high)
    return low, high


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False,
                noncontiguous=False, exclude_zero=False, memory_format=None):
    """A tensor of `shape` and `dtype` with values drawn uniformly from [low, high), as
    PyTorch's make_tensor draws them (the same numbers under manual_seed)."""
    from . import _api as torch
    from .core.device import check as check_device
    check_device(device)
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError("The parameters `noncontiguous` and `memory_format` are mutually "
                         f"exclusive, but got noncontiguous={noncontiguous} and "
                         f"memory_format={memory_format}")
    if requires_grad and not dtype.is_floating_point:
        raise ValueError("`requires_grad=True` is not supported for boolean and integral "
                         f"dtypes, but got dtype={dtype}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is dtypes.bool_:
        low, high = _low_high(dtype, low, high, 0, 2, 0, 2)
        result = torch.randint(low, high, shape, dtype=dtype)
    elif not dtype.is_floating_point:
        info = torch.iinfo(dtype)
        low, high = _low_high(dtype, low, high, info.min,
                              info.max + (1 if dtype is not dtypes.int64 else 0), -9, 10)
        result = torch.randint(low, high, shape, dtype=dtype)
    else:
        info = torch.finfo(dtype)
        low, high = _low_high(dtype, low, high, info.min, info.max, -9, 9)
        result = torch.empty(shape, dtype=dtype)
        if high - low >= info.max:
            result.uniform_(low / 2, high / 2).mul_(2)
        else:
            result.uniform_(low, high)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if not dtype.is_floating_point else torch.finfo(dtype).tiny
    if dtype.is_floating_point:
        result.requires_grad = requires_grad
    return result
