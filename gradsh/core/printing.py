"""A tensor's text, exactly as PyTorch 2.13 prints it (`tensor([1., 2.], grad_fn=<MulBackward0>)`).

The rules are PyTorch's, as its printed output shows them (the tests compare with the text
PyTorch 2.13 printed for the same tensors). The whole tensor shares one element style,
chosen from the finite non-zero values that will be shown; every element is right-aligned to
the widest of those. Large tensors are cut down to their edges *before* any value is turned
into Python objects, so printing stays cheap whatever the size.
"""

import math
from contextlib import contextmanager

import numpy as np

from .dtypes import get_default_dtype

_PREFIX = "tensor("
_INDENT = len(_PREFIX)

# PyTorch's defaults and named profiles; a profile sets these four and leaves sci_mode alone.
_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}
_OPTS = dict(_PROFILES["default"], sci_mode=None)


# digits after the point: past it every number would print as a string of any length asked for
MAX_PRECISION = 10_000

# characters in one tensor's text: printed in full (threshold=inf), a tensor costs about a
# microsecond per element, and with a large precision thousands of characters per element
MAX_TEXT = 10_000_000

# characters of an element besides its precision's digits, at most: a float64's integer digits
# (sci_mode=False), its sign and point, ", " and a line break with its indentation (<= 64 dims)
_WIDEST_NUMBER = 309 + 4 + 72


class TensorTextTooLong(RuntimeError):
    """A tensor whose text would be past MAX_TEXT characters, refused before formatting it."""


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set print options as torch.set_printoptions does.

    As in PyTorch, an unknown profile is ignored, and sci_mode is always reset (to None,
    automatic, when not given), so each call must restate it to keep it.
    """
    if isinstance(precision, int) and precision > MAX_PRECISION:
        raise ValueError("precision=%d: gradsh prints at most %d digits after the point (a "
                         "float64 has at most 1074)" % (precision, MAX_PRECISION))
    if profile in _PROFILES:
        _OPTS.update(_PROFILES[profile])
    for key, value in (("precision", precision), ("threshold", threshold),
                       ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            _OPTS[key] = value
    _OPTS["sci_mode"] = sci_mode


def reset():
    """A fresh process's print options (the session's reset: a program's set_printoptions does
    not outlive it, nor does an object it gave as an option reach the next program's prints)."""
    _OPTS.clear()
    _OPTS.update(_PROFILES["default"], sci_mode=None)


def get_printoptions():
    """The current options as a dict that can be passed back to set_printoptions(**...)."""
    return dict(_OPTS)


@contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options (torch._tensor_str.printoptions)."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


def format_tensor(data, dtype, grad_fn_name=None, requires_grad=False, *, extra=(),
                  name="tensor", meta=False):
    """PyTorch's str()/repr() of a tensor holding `data` (a numpy array of `dtype.np`).

    `grad_fn_name` (e.g. "AddBackward0") adds `grad_fn=<...>`; otherwise `requires_grad`
    adds `requires_grad=True`. Tensors of torch.get_default_dtype() (and int64, bool) print no
    `dtype=` suffix. `extra`: more suffixes
    (a dual tensor's `tangent=...`). `name`: what opens the text (a program's subclass of Tensor
    prints its class's name, `MyT([1., 2.])`); the rows and suffixes are indented to it.
    `meta`: a tensor of the meta device, which has no values to show (`tensor(..., device=
    'meta', size=(2, 3))`, every dtype but the default one named).
    """
    opts = _OPTS
    suffixes = []
    default_dtype_name = get_default_dtype().name
    data = np.asarray(data)
    if meta:
        suffixes += ["device='meta'", f"size={tuple(data.shape)}"]
        if dtype.name != default_dtype_name:
            suffixes.append(f"dtype={dtype!r}")
        body = "..."
    elif data.size == 0:
        # With no elements to show, the shape and dtype cannot be read off the text.
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype.name != default_dtype_name:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not opts["edgeitems"]:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype.name not in (default_dtype_name, "int64", "bool",
                              "complex128" if default_dtype_name == "float64" else "complex64"):
            suffixes.append(f"dtype={dtype!r}")
        body = _body(data, dtype.is_floating_point, opts, len(name) + 1)
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    suffixes.extend(extra)
    return _add_suffixes(name + "(" + body, suffixes, opts["linewidth"], len(name) + 1)


def _add_suffixes(text, suffixes, linewidth, indent=_INDENT):
    parts = [text]
    # PyTorch's measure of the last line is two more than its length; kept for equal wrapping.
    last = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _body(data, is_float, opts, indent=_INDENT):
    """The bracketed values of a non-empty tensor, without prefix or suffixes; `indent`: the
    prefix's length, which the rows below the first line up with."""
    ndim = data.ndim
    edge = opts["edgeitems"]
    summarize = data.size > opts["threshold"]
    if summarize and not edge and ndim:
        return "[...]"
    cut = tuple(summarize and n > 2 * edge for n in data.shape)
    if any(cut):
        # Only the edges are shown, and only they decide the style: gather them first.
        index = [np.r_[0:edge, n - edge:n] if c else np.arange(n) for n, c in zip(data.shape, cut)]
        data = data[np.ix_(*index)]
    if data.dtype.kind == "c":
        cells, width = _complex_cells(data, opts)
    else:
        _check_text_size(data, is_float, opts)
        flat = data.ravel().tolist()
        cells, width = _format_cells(flat, is_float, opts)
    if ndim == 0:
        return cells[0]
    shape = data.shape
    strides = [1] * ndim
    for axis in range(ndim - 2, -1, -1):
        strides[axis] = strides[axis + 1] * shape[axis + 1]
    linewidth = opts["linewidth"]

    def block(offset, axis, indent):
        n = shape[axis]
        if axis == ndim - 1:
            row = cells[offset:offset + n]
            if cut[axis]:
                row.insert(edge, " ...")
            per_line = max(1, (linewidth - indent) // (width + 2))
            if len(row) <= per_line:
                return "[" + ", ".join(row) + "]"
            lines = [", ".join(row[i:i + per_line]) for i in range(0, len(row), per_line)]
            return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
        step = strides[axis]
        subs = [block(offset + i * step, axis + 1, indent + 1) for i in range(n)]
        if cut[axis]:
            subs.insert(edge, "...")
        return "[" + ("," + "\n" * (ndim - axis - 1) + " " * (indent + 1)).join(subs) + "]"

    return block(0, 0, indent)


def _complex_cells(data, opts):
    """A complex tensor's cells as PyTorch makes them: the real and the imaginary parts each
    styled as a float tensor of their own, the real part right-aligned, the imaginary part
    joined with its sign and a `j` (`1.+2.j`, `3.-4.j`); the layout's width is both widths and
    the `j`."""
    _check_text_size(data.real, True, opts)
    _check_text_size(data.imag, True, opts)
    real, w1 = _format_cells(data.real.ravel().tolist(), True, opts)
    imag, w2 = _format_cells(data.imag.ravel().tolist(), True, opts)
    cells = []
    for r, i in zip(real, imag):
        i = (i + "j").lstrip()
        cells.append(r + i if i[0] in "+-" else r + "+" + i)
    return cells, w1 + w2 + 1


def _check_text_size(shown, is_float, opts):
    """Refuse a text that would be past MAX_TEXT, from a lower bound of its size: every element
    is padded to the widest one's integer digits (floats in sci mode: one digit), plus ", ",
    and a float that is not whole shows its `precision` digits and a point."""
    if shown.size * (opts["precision"] + _WIDEST_NUMBER) <= MAX_TEXT:
        return  # no element can be wider: nothing to measure (every ordinary print)
    finite = shown[np.isfinite(shown)] if is_float else shown
    digits = 1
    if finite.size and (not is_float or opts["sci_mode"] is False):
        digits = len("%d" % max(abs(finite.max().item()), abs(finite.min().item())))
    per_element = digits + 2
    if is_float and np.any(finite != np.round(finite)):
        per_element += opts["precision"] + 1
    least = shown.size * per_element
    if least > MAX_TEXT:
        raise TensorTextTooLong(
            "printing this tensor would make a text of at least %d characters (%d elements "
            "shown): above gradsh's limit of %d for one tensor's text. Print a part of it "
            "(t[:10]), or let long tensors be summarized again "
            "(torch.set_printoptions(profile='default'))" % (least, shown.size, MAX_TEXT))


def _format_cells(flat, is_float, opts):
    """Each value's text, right-aligned to the shared width, and that width."""
    if not is_float:
        cells = list(map(str, flat))
        width = max(1, max(map(len, cells)))
    else:
        # Only finite non-zero values choose the style and the width (v - v is nan for inf/nan).
        shown = [v for v in flat if v != 0.0 and v - v == 0.0]
        precision = opts["precision"]
        if not shown:
            # Nothing to measure: PyTorch keeps integer style, even against sci_mode=True.
            cells = [_int_style(v) for v in flat]
            width = 1
        else:
            int_mode = all(v.is_integer() for v in shown)
            sci_mode = opts["sci_mode"]
            if sci_mode is None:
                big = max(map(abs, shown))
                small = min(map(abs, shown))
                sci_mode = big / small > 1000.0 or big > 1.0e8 or small < 1.0e-4
            if sci_mode:
                fmt = f"{{:.{precision}e}}".format
                cells = list(map(fmt, flat))
            elif int_mode:
                cells = [_int_style(v) for v in flat]
                fmt = _int_style
            else:
                fmt = f"{{:.{precision}f}}".format
                cells = list(map(fmt, flat))
            width = max(1, max(len(c) for c, v in zip(cells, flat) if v != 0.0 and v - v == 0.0))
    # Zeros and non-finite values may be wider than `width`; PyTorch lets them overflow.
    return [s if len(s) >= width else " " * (width - len(s)) + s for s in cells], width


def _int_style(v):
    # A float that is a whole number prints with a trailing point; nan and inf print bare.
    s = f"{v:.0f}"
    return s + "." if v - v == 0.0 else s
