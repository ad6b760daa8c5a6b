"""gradsh's limit on the size of one tensor, checked before the memory is asked for.

PyTorch has no such limit; gradsh has one so that a typo (`zeros(10**6, 10**6)`), a broadcast
of two long vectors (`ones(10**5, 1) + ones(1, 10**5)`) or `repeat` on a big tensor is a
clear error rather than minutes of swapping or the kernel's OOM killer. Default: a quarter of
physical memory; GRADSH_MAX_MEMORY or set_max_memory() (the CLI's --max-memory) change it.

Factories check the shape they are asked for; ops whose result can be much larger than their
inputs (broadcasting, matrix products, repeat, cat/stack, expand, diag, one_hot, indexing by
index tensors) check the result shape before computing it. Everything else makes results no
larger than its inputs (up to a wider dtype).
"""

import math
import os

import numpy as np

__all__ = ["TensorTooLarge", "parse_memory", "max_bytes", "set_max_memory", "check_alloc",
           "check_numel", "check_work", "check_made", "describe_memory_error", "fmt_bytes", "limits"]


class TensorTooLarge(RuntimeError):
    """A tensor allocation above gradsh's memory limit, refused before allocating."""


def _physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def _default_limit():
    """A quarter of physical memory, and at most half of the process's data limit when it has
    one (the `gradsh` command's ceiling, lower under `ulimit -v`: cli/ceiling.py): a tensor the
    process could never hold beside its input is refused at once, from its size, instead of
    being computed for seconds until the ceiling stops it (round 8)."""
    nbytes = _physical_memory() // 4
    try:
        import resource
        soft = resource.getrlimit(resource.RLIMIT_DATA)[0]
        if soft != resource.RLIM_INFINITY and soft > 0:
            nbytes = min(nbytes, soft // 2)
    except (ImportError, ValueError, OSError, AttributeError):
        pass
    return nbytes


def physical_memory():
    """Bytes of RAM on this machine (8 GiB if the system does not say)."""
    return _physical_memory()


_UNITS = (("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40))


def parse_memory(text):
    """'2G', '512M', '1.5GiB', '1000000' -> bytes (for --max-memory and GRADSH_MAX_MEMORY)."""
    s = str(text).strip().upper()
    if s.endswith("B"):
        s = s[:-1]
    if s.endswith("I"):
        s = s[:-1]
    mult = 1
    for suffix, m in _UNITS:
        if s.endswith(suffix):
            s, mult = s[:-1], m
            break
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"{text!r} is not a size: write bytes or a number with K, M, G or T "
                         "(e.g. 512M, 2G)") from None
    if not (value > 0 and math.isfinite(value)) or int(value * mult) < 1:
        raise ValueError(f"memory limit must be at least one byte, got {text!r}")
    return int(value * mult)


class _Limits:
    # quick: a count of elements surely allowed in any dtype (8 bytes at most), so that hot
    # paths test one product against it; -1 until the limit is known (first check resolves it)
    __slots__ = ("max_bytes", "quick")

    def __init__(self):
        self.max_bytes = None
        self.quick = -1


limits = _Limits()


def max_bytes():
    """The limit in bytes: set_max_memory's, else GRADSH_MAX_MEMORY's, else RAM / 4."""
    if limits.max_bytes is None:
        env = os.environ.get("GRADSH_MAX_MEMORY")
        if env:
            try:
                nbytes = parse_memory(env)
            except ValueError as e:
                raise ValueError(f"GRADSH_MAX_MEMORY: {e}") from None
        else:
            nbytes = _default_limit()
        set_max_memory(nbytes)
    return limits.max_bytes


def set_max_memory(nbytes):
    """Refuse any single tensor above nbytes (None: back to the default, read again)."""
    limits.max_bytes = nbytes
    limits.quick = -1 if nbytes is None else nbytes // 8


def fmt_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


_INT64_MAX = (1 << 63) - 1


class EmptyTooWide(RuntimeError):
    """An empty tensor PyTorch makes and numpy cannot: a size whose product with the other
    non-zero sizes and the element size passes 2**63 - 1 bytes (torch.zeros(2**63 - 1, 0))."""


_VIEW = "expand to shape"  # PyTorch's expand makes a view (no storage computed, no overflow)


def check_alloc(shape, np_dtype, verb="allocate a tensor of shape"):
    """Raise PyTorch's RuntimeError for a shape whose storage size overflows (its
    computeStorageNbytesContiguous; not for an expand, a view in PyTorch), then TensorTooLarge
    for one above gradsh's limit, before making a tensor of `shape` and `np_dtype`."""
    itemsize = (np_dtype if isinstance(np_dtype, np.dtype) else np.dtype(np_dtype)).itemsize
    n = 1
    overflowed = False
    for s in shape:  # PyTorch multiplies in 64 unsigned bits, in order: [2**62, 4, 0] overflows
        n *= s
        if n > _INT64_MAX * 2 + 1:
            overflowed, n = True, n & (_INT64_MAX * 2 + 1)
    if verb == _VIEW:
        check_numel(math.prod(shape), shape, itemsize, verb)
        return
    if overflowed or n * itemsize > _INT64_MAX:
        raise RuntimeError("Storage size calculation overflowed with sizes=[%s]"
                           % ", ".join(map(str, shape)))
    if n == 0:
        _check_empty(shape, itemsize)
    check_numel(n, shape, itemsize, verb)


def _check_empty(shape, itemsize):
    wide = itemsize
    for s in shape:
        wide *= s or 1
    if wide > _INT64_MAX:
        raise EmptyTooWide(
            "gradsh cannot make an empty tensor of shape [%s]: its numpy array would count "
            "%d bytes in its non-zero sizes, above numpy's 2**63 - 1 (PyTorch makes it)"
            % (", ".join(map(str, shape)), wide))


def check_view_shape(shape, itemsize):
    """Before a view or reshape to `shape` (every op that gives numpy a shape it did not make:
    view, reshape, unflatten, expand, as_strided): PyTorch's numel overflow (its sizes
    multiplied in order in 64 unsigned bits, the overflow sticky: [2**62, 2**62, 0] is refused,
    [0, 2**62, 2**62] is not), then EmptyTooWide for an empty shape numpy cannot represent
    ([2**63 - 1, 0]: numpy counts the non-zero sizes' bytes), in place of numpy's ValueError."""
    n = 1
    for s in shape:  # c10's safe_multiply_u64 over the sizes as unsigned, then numel <= INT64_MAX
        n *= s & (_INT64_MAX * 2 + 1)
        if n > _INT64_MAX * 2 + 1:
            break
    if n > _INT64_MAX:
        raise RuntimeError("numel: integer multiplication overflow")
    if n == 0:
        _check_empty(shape, itemsize)


def check_numel(n, shape, itemsize, verb="allocate a tensor of shape"):
    nbytes = n * itemsize
    limit = max_bytes()
    if nbytes > limit:
        raise TensorTooLarge(
            f"refusing to {verb} {_shape_str(shape)} ({fmt_bytes(nbytes)}): above gradsh's "
            f"memory limit of {fmt_bytes(limit)}. Use a smaller size, or raise the limit with "
            "--max-memory or GRADSH_MAX_MEMORY.")


def check_work(shape, arrays, np_dtype):
    """Raise TensorTooLarge before an op whose arrays (shapes, each of np_dtype's items, or
    (shape, dtype) pairs) would together pass the limit: a result of `shape` that needs more
    working memory than one tensor may have (round 8: a convolution's padded input, its
    receptive fields and its output, each under the limit, filled the process's ceiling)."""
    total = 0
    for a in arrays:
        a_shape, a_dtype = a if isinstance(a, tuple) and len(a) == 2 and \
            isinstance(a[0], tuple) else (a, np_dtype)
        n = 1
        for size in a_shape:
            n *= size
        total += n * np.dtype(a_dtype).itemsize
    limit = max_bytes()
    if total > limit:
        raise TensorTooLarge(
            f"refusing to compute a tensor of shape {_shape_str(shape)}: it needs "
            f"{fmt_bytes(total)} of working memory, above gradsh's memory limit of "
            f"{fmt_bytes(limit)}. Use a smaller size, or raise the limit with --max-memory or "
            "GRADSH_MAX_MEMORY.")


def check_made(data):
    """The one check every tensor passes when it is made (Tensor._make, for results larger than
    `limits.quick` elements): an op without its own check before computing (the factories and
    the ops that can grow their inputs have one) is still refused past the limit, after the
    computation, which the process's memory ceiling bounds."""
    max_bytes()  # resolves limits.quick on the first tensor
    if getattr(data, "_gradsh_sparse", False) or getattr(data, "_gradsh_meta", False):
        return  # a sparse tensor's array stores no element; a meta tensor's stores one
    check_numel(data.size, data.shape, data.dtype.itemsize)


def describe_memory_error(exc):
    """Words for numpy's MemoryError that got past the checks (the machine, or the process's
    memory ceiling, refused an allocation): what was asked for, and the limit."""
    shape = getattr(exc, "shape", None)
    dtype = getattr(exc, "dtype", None)
    if shape is None or dtype is None:
        return None
    n = 1
    for s in shape:
        n *= s
    if n * dtype.itemsize > max_bytes():  # an op that checks after computing: the limit's words
        return ("TensorTooLarge", f"refusing to allocate a tensor of shape {_shape_str(shape)} "
                f"({fmt_bytes(n * dtype.itemsize)}): above gradsh's memory limit of "
                f"{fmt_bytes(max_bytes())}. Use a smaller size, or raise the limit with "
                "--max-memory or GRADSH_MAX_MEMORY.")
    return (f"out of memory: cannot allocate {fmt_bytes(n * dtype.itemsize)} for a tensor of "
            f"shape {_shape_str(shape)} (gradsh's limit for one tensor is "
            f"{fmt_bytes(max_bytes())}; delete variables you no longer need, or use smaller "
            "sizes)")


# ----- work: one op's multiply-adds, for the ops whose time grows faster than their data -----
# The per-tensor limit bounds every op whose time is linear in its inputs and output (a few
# seconds at the limit). Products, decompositions, distances and convolutions do n**3 or
# n * m * k work on n**2 data: a 10,000 x 10,000 matmul, a 5,000 x 5,000 SVD or a 1,500-wide
# kernel over a 3,000 x 3,000 image are a few hundred megabytes and minutes to hours of CPU
# (issue 16, round 16). Each such op counts its work from the shapes first (ops/lapack.py for
# LAPACK's routines, mm_arrays/matmul_arrays, cdist, convolution, getrf) and refuses above
# MAX_WORK: about 2-10 s of CPU on one core, depending on the dtype and the routine.
MAX_WORK = 2 * 10 ** 11
# weights in multiply-adds of float32 BLAS (about 25 ps of CPU each): one element of a numpy
# elementwise pass (1-2 ns), one step of a loop in Python over numpy calls (tens of
# microseconds), one multiply-add of numpy's integer matmul (a plain loop)
ELEMENTWISE = 100
PYTHON_STEP = 2 * 10 ** 6
INTEGER_MATMUL = 10


# one microsecond of CPU in those multiply-adds: the special functions' kernels are many numpy
# passes (ops/cephes.py, ops/bessel.py: 0.15-18 us an element, measured on float32), minutes
# at the tensor limit; each declares its cost and is counted by check_elementwise
MICROSECOND = 40_000


class TooMuchWork(RuntimeError):
    """An op whose work (multiply-adds counted from the shapes) is above MAX_WORK, refused
    before it starts."""

    gradsh_kind = "LimitError"


def check_flops(work, what):
    """Refuse `what` (an op's name and sizes, for the message) when its work passes MAX_WORK."""
    if work > MAX_WORK:
        raise TooMuchWork(
            f"{what} would take about {float(work):.1e} multiply-adds: more than gradsh's limit "
            f"of {float(MAX_WORK):.0e} for one op (minutes of CPU or more). Use smaller sizes "
            "or split the work.")


def check_elementwise(n, microseconds, what):
    """Refuse an elementwise kernel costing `microseconds` an element on n elements when that
    is past MAX_WORK (bessel_y0 of 10^8 elements: half an hour)."""
    check_flops(int(n * microseconds * MICROSECOND), f"{what} of {n} elements")
