"""float32 exp as PyTorch 2.13's CPU kernels compute it, bit for bit, in numpy.

Where a kernel runs on `Vectorized<float>` (sigmoid, softmax, log_softmax), its exp is SLEEF's
`expf_u10` (x86-64, AVX2 and AVX-512 builds alike: both use fused multiply-adds); the elements a
vectorised loop leaves over (`cpu_kernel_vec`'s scalar tail) call C's `expf`, glibc's. `torch.exp`
itself is not here: on x86-64 it is MKL's VML (closed source; docs/autograd.md).

Facts from the public sources (SLEEF 3.x `sleefsimdsp.c` `xexpf`, glibc `e_expf.c`, built for
x86-64 with FMA), checked bit for bit against PyTorch by tests/core/test_expf.py:

* SLEEF: q = rint(float32(x * R_LN2f)); s = fma(q, -L2Uf, x); s = fma(q, -L2Lf, s); a degree-5
  Horner polynomial u in s by fmas; u = 1 + fma(s * s, u, s); u * 2**(q >> 1) * 2**(q - (q >> 1));
  0 below -104, inf above 100.
* glibc: in float64, z = x * 32/ln2; k = round(z) (by adding and removing 1.5 * 2**52);
  r = z - k; s = 2**(k / 32) from a 32-entry table of 2**(i/32); y = fma(fma(C0, r, C1), r * r,
  fma(C2, r, 1)) * s, rounded to float32.
"""

import functools
import os

import numpy as np

from ..fma import _fma32, _fma64
from ..meta import MetaArray
from ..ranges import _pieces

_F32, _F64, _I32 = np.float32, np.float64, np.int32

# ----- SLEEF's expf_u10 ----------------------------------------------------------------------
_R_LN2F = _F32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2UF = _F32(0.693145751953125)
_L2LF = _F32(1.428606765330187045e-06)
_SLEEF_POLY = tuple(_F32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
    0.0416664853692054748535156, 0.166666671633720397949219, 0.5))
_ONE = _F32(1)


_LOW29, _TIE29 = np.uint64(0x1FFFFFFF), np.uint64(0x10000000)  # float64 bits below float32's


def _pow2i(q):
    """2**q as float32 for -126 <= q <= 127 (SLEEF's vpow2i: the exponent field set directly)."""
    return ((q + 127) << 23).astype(_I32).view(_F32)


class _Fused:
    """float32 fma(a, b, c) of float32 a, b, c as float64 a*b + c rounded to float32: a*b is
    exact in float64, and the one rounding of the sum to float64 can change the float32 result
    only where it lands on a float32 tie; `ties` marks those elements (computed again exactly)."""

    def __init__(self):
        self.ties = None

    def __call__(self, a, b, c):
        r = a.astype(_F64) * b + c
        tie = (r.view(np.uint64) & _LOW29) == _TIE29
        if tie.any():
            self.ties = tie if self.ties is None else self.ties | tie
        return r.astype(_F32)


def _sleef_expf_core(x, fma):
    """SLEEF's expf_u10 of finite float32 x in [-104, 100] (see the module's docstring)."""
    q = np.rint(x * _R_LN2F)
    s = x - q * _L2UF                    # fma(q, -L2Uf, x): q * L2Uf is exact (15 + 8 bits)
    s = fma(q, -_L2LF, s)
    wide = s.astype(_F64)  # converted once for the Horner steps (exact)
    u = fma(np.full(x.shape, _SLEEF_POLY[0], _F32), wide, _SLEEF_POLY[1])
    for c in _SLEEF_POLY[2:]:
        u = fma(u, wide, c)
    u = _ONE + fma(s * s, u, wide)
    qi = q.astype(_I32)
    half = qi >> 1
    with np.errstate(under="ignore"):
        return u * _pow2i(half) * _pow2i(qi - half)


def sleef_expf(x):
    """SLEEF's expf_u10 of a float32 array (any shape), as PyTorch's Vectorized<float>::exp."""
    x = np.asarray(x, _F32)
    inside = np.clip(x, _F32(-104), _F32(100))
    nan = np.isnan(x)
    if nan.any():
        inside = np.where(nan, _F32(0), inside)
    fast = _Fused()
    u = _sleef_expf_core(inside, fast)
    if fast.ties is not None:
        u[fast.ties] = _sleef_expf_core(inside[fast.ties], _fma32)
    u = np.where(x < -104, _F32(0), u)
    u = np.where(x > 100, _F32(np.inf), u)
    return np.where(nan, x, u) if nan.any() else u


# ----- glibc's expf (the scalar tail) --------------------------------------------------------
_N = 32
_hex = float.fromhex
_SHIFT = _hex("0x1.8p+52")
_INV_LN2_N = _hex("0x1.71547652b82fep+0") * _N
_GLIBC_POLY = (_hex("0x1.c6af84b912394p-5") / _N / _N / _N, _hex("0x1.ebfce50fac4f3p-3") / _N / _N,
               _hex("0x1.62e42ff0c52d6p-1") / _N)
_OVERFLOW, _UNDERFLOW = _hex("0x1.62e42ep6"), _hex("-0x1.9fe368p6")  # log(2**128), log(2**-150)


def _exp2_table():
    """2**(i/32) rounded to the nearest float64, i < 32 (glibc's __exp2f_data table before its
    bias): the float64 v whose neighbouring midpoints m satisfy m_below**32 < 2**i < m_above**32."""
    from fractions import Fraction  # (with decimal, only for this search: not at start-up)

    def nearest(i):
        v = 2.0 ** (i / _N)
        for cand in (v, np.nextafter(v, 0.0), np.nextafter(v, 4.0)):
            below = (Fraction(float(np.nextafter(cand, 0.0))) + Fraction(float(cand))) / 2
            above = (Fraction(float(np.nextafter(cand, 4.0))) + Fraction(float(cand))) / 2
            if below ** _N <= 2 ** i <= above ** _N:
                return float(cand)
        raise AssertionError(i)
    return np.array([nearest(i) for i in range(_N)], _F64)


@functools.cache
def _exp2_bits():
    """_exp2_table's bits, made on first use (its exact search is not start-up's work)."""
    return _exp2_table().view(np.uint64)


def _glibc_expf_core(xd, fma):
    """glibc's expf of float64-held float32 values in its normal range, before the rounding to
    float32 (`fma`: float64 a * b + c, fused or not)."""
    z = _INV_LN2_N * xd
    kd = z + _SHIFT
    ki = kd.view(np.uint64)
    kd = kd - _SHIFT
    r = z - kd
    index = ki & np.uint64(_N - 1)
    bits = _exp2_bits()[index] + ((ki - index) << np.uint64(52 - 5))  # mod 2**64, as C
    s = bits.view(_F64)
    zp = fma(_GLIBC_POLY[0], r, _GLIBC_POLY[1])
    y = fma(_GLIBC_POLY[2], r, 1.0)
    return fma(zp, r * r, y) * s


def _unfused(a, b, c):
    return a * b + c


_NEAR_TIE = np.uint64(16)  # float64 ulps: fusing moves the float64 result by far less


def glibc_expf(x):
    """glibc's expf of a float32 array (any shape), as C's std::exp(float) on x86-64 (its FMA
    build). Computed unfused first: where that lands within 16 float64 ulps of a float32 tie
    (the only place fusing can change the float32 result) again with exact fmas."""
    xd = np.asarray(x, _F32).astype(_F64)
    if not xd.size:
        return xd.astype(_F32)
    inside = np.clip(xd, _UNDERFLOW, _OVERFLOW)
    inside[np.isnan(inside)] = 0.0
    y = _glibc_expf_core(inside, _unfused)
    low = y.view(np.uint64) & _LOW29
    near = (low - (_TIE29 - _NEAR_TIE)) <= np.uint64(2) * _NEAR_TIE  # unsigned: a band
    if near.any():
        y[near] = _glibc_expf_core(inside[near], _fma64)
    with np.errstate(over="ignore"):
        out = y.astype(_F32)
    out[xd > _OVERFLOW] = np.inf
    out[xd < _UNDERFLOW] = 0.0
    nan = np.isnan(xd)
    out[nan] = xd[nan]
    return out


# ----- cpu_kernel_vec's split between vector lanes and the scalar tail -------------------------
def _vector_floats():
    """Floats in PyTorch's vector on this CPU: 16 where it runs its AVX-512 kernels (the CPU has
    AVX-512 F, BW, DQ and VL, unless ATEN_CPU_CAPABILITY says less), else 8 (AVX2)."""
    wanted = os.environ.get("ATEN_CPU_CAPABILITY", "avx512").lower()
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split() for line in f if line.startswith("flags")), [])
    except OSError:
        flags = []
    has512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= set(flags)
    return 16 if has512 and wanted == "avx512" else 8


# cpu_kernel_vec's loop takes two vectors at a time (sigmoid on AVX-512: 32; measured, 20 to 31
# elements are all scalar there)
_STEP = 2 * _vector_floats()


def _memory_order(a):
    """a's axes in decreasing stride order (a C-contiguous view of a when a is dense)."""
    return sorted(range(a.ndim), key=lambda k: -abs(a.strides[k]))


def vectorised_map(x, vector_fn, scalar_fn, step=_STEP):
    """A float32 pointwise kernel as `cpu_kernel_vec` runs it: over the result in memory order,
    per piece of at::parallel_for (one below 32768 elements), whole groups of `step` elements
    through `vector_fn` and the rest through `scalar_fn`. A non-dense input is run row by row
    along its smallest stride when that is unit, else element by element (scalar)."""
    if type(x) is MetaArray:  # (a meta tensor's: no data, nothing to compute)
        return x.copy()
    out = np.asarray(np.positive(x))  # a ufunc's output layout (a 0-d array stays an array)
    order = _memory_order(out)  # the result is dense: its memory order is the loop's
    src, dst = x.transpose(order), out.transpose(order)
    if src.flags.c_contiguous:
        flat, res = src.reshape(-1), dst.reshape(-1)
        for lo, hi in _pieces(flat.size):
            mid = lo + (hi - lo) // step * step
            if mid > lo:
                res[lo:mid] = vector_fn(flat[lo:mid])
            if hi > mid:
                res[mid:hi] = scalar_fn(flat[mid:hi])
        return out
    if src.ndim and src.strides[-1] == src.itemsize:
        mid = src.shape[-1] // step * step
        dst[..., :mid] = vector_fn(src[..., :mid])
        dst[..., mid:] = scalar_fn(src[..., mid:])
        return out
    dst[...] = scalar_fn(src)
    return out


def _sigmoid_lanes(x):
    return _ONE / (sleef_expf(_F32(0) - x) + _ONE)


def _sigmoid_scalar(x):
    return _ONE / (_ONE + glibc_expf(-x))


def sigmoid_float32(x):
    """torch.sigmoid of a float32 array, bit for bit: 1 / (exp(0 - x) + 1) in vector lanes (SLEEF's
    exp), 1 / (1 + expf(-x)) in the tail (glibc's)."""
    with np.errstate(over="ignore", divide="ignore"):
        return vectorised_map(x, _sigmoid_lanes, _sigmoid_scalar)


# ----- softmax over the last dim (SoftMaxKernel.cpp's _vec_softmax_lastdim) -------------------
_LANES = _vector_floats()


def reduce_all_sum(rows):
    """Each row's float32 sum in vec::reduce_all's order (rows: a 2-D float32 array). A row
    shorter than a vector is added left to right; a longer one in one vector accumulator (the
    vectors in order, the partial last one lane by lane), then the lanes by halving (lane j plus
    lane j + L/2, ..., down to one)."""
    n = rows.shape[1]
    if n < _LANES:
        acc = rows[:, 0].copy()
        for j in range(1, n):
            acc += rows[:, j]
        return acc
    whole = n - n % _LANES
    acc = np.add.reduce(rows[:, :whole].reshape(len(rows), -1, _LANES), axis=1)
    acc[:, :n - whole] += rows[:, whole:]
    return _halving(acc)


def _halving(acc):
    """vec_reduce_all's lanes: lane j plus lane j + L/2, and again, down to one."""
    width = _LANES
    while width > 1:
        width //= 2
        acc = acc[:, :width] + acc[:, width:2 * width]
    return acc[:, 0]


def _product_sum(a, b):
    """Each row's sum of a * b as vec::map2_reduce_all adds it: as reduce_all_sum of the
    products, except that the partial last vector is added by fused multiply-adds (the compiler
    contracts `acc + x * y` there and not in the loop: measured against PyTorch)."""
    n = a.shape[1]
    if n < _LANES:
        return reduce_all_sum(a * b)
    whole = n - n % _LANES
    acc = np.add.reduce((a[:, :whole] * b[:, :whole]).reshape(len(a), -1, _LANES), axis=1)
    tail = n - whole
    if tail:
        acc[:, :tail] = _fma32(a[:, whole:], b[:, whole:], acc[:, :tail])
    return _halving(acc)


def softmax_lastdim_float32(d):
    """torch.softmax(x, -1) of a float32 array (at least 1-D, not empty), bit for bit: per row,
    e = exp(x - max) (SLEEF's, every element), s = the sum of e in reduce_all's order, e * (1 / s)."""
    rows = np.ascontiguousarray(d).reshape(-1, d.shape[-1])
    with np.errstate(invalid="ignore", over="ignore"):
        e = sleef_expf(rows - rows.max(axis=1, keepdims=True))
        with np.errstate(divide="ignore"):
            inverse = _ONE / reduce_all_sum(e)
        return (e * inverse[:, None]).reshape(d.shape)


# ----- SLEEF's logf_u10 (the log of log_softmax's row sums) -----------------------------------
_LN2_HI, _LN2_LO = _F32(0.69314718246459960938), _F32(-1.904654323148236017e-09)
_LOGF_POLY = (_F32(0.3027294874), _F32(0.3996108174), _F32(0.6666694880))
_FOUR_THIRDS = _F32(1.0 / 0.75)


def _exponent(v):
    """floor(log2(|v|)) of finite non-zero float32 v, as float32 (AVX-512's getexp)."""
    return (np.frexp(v)[1] - 1).astype(_F32)


def _mantissa(v):
    """v's significand normalised to [0.75, 1.5) (AVX-512's getmant, _MM_MANT_NORM_p75_1p5)."""
    m = np.frexp(v)[0] * _F32(2)                       # [1, 2)
    return np.where(m >= _F32(1.5), m * _F32(0.5), m).astype(_F32)


def _two_sum_quick(a, b):
    """SLEEF's dfadd2: s = a + b and its rounding error."""
    s = a + b
    v = s - a
    return s, (a - (s - v)) + (b - v)


def _exact_fma(a, b, c):
    """fma(a, b, c) of float32 where a*b + c is exact in float64 and fits float32 (the rounding
    error of a float32 product; 1 - d * (1/d)): no rounding at all."""
    return (a.astype(_F64) * b + c).astype(_F32)


def _df_div(nx, ny, dx, dy, fma):
    """SLEEF's dfdiv with FMA: (nx + ny) / (dx + dy) as a float pair."""
    t = _ONE / dx
    s = nx * t
    u = _exact_fma(t, nx, -s)
    v = fma(-dy, t, _exact_fma(-dx, t, _ONE))
    return s, fma(s, v, fma(ny, t, u))


def sleef_logf(x):
    """SLEEF's logf_u10 of positive finite float32 values (AVX-512 build), as PyTorch's
    Vectorized<float>::log; 0, negative, inf and nan give C's answers."""
    x = np.asarray(x, _F32)
    ok = np.isfinite(x) & (x > 0)
    d = np.where(ok, x, _ONE)
    with np.errstate(over="ignore"):
        scaled = d * _FOUR_THIRDS
    e = np.where(np.isinf(scaled), _F32(128), _exponent(scaled))  # SLEEF's fix for the top
    fast = _Fused()
    r = _sleef_logf_core(d, e, fast)
    if fast.ties is not None:
        r[fast.ties] = _sleef_logf_core(d[fast.ties], e[fast.ties], _fma32)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, r, np.log(x))


def _sleef_logf_core(d, e, fma):
    """SLEEF's logf_u10 of positive finite d with e its exponent as SLEEF takes it."""
    m = _mantissa(d)
    sx = _LN2_HI * e
    sy = fma(np.full(e.shape, _LN2_LO), e, _exact_fma(np.full(e.shape, _LN2_HI), e, -sx))
    xx, xy = _df_div(*_two_sum_quick(_F32(-1), m), *_two_sum_quick(_ONE, m), fma)
    x2 = xx * xx
    t = fma(fma(np.full(x2.shape, _LOGF_POLY[0]), x2, _LOGF_POLY[1]), x2, _LOGF_POLY[2])
    hx, hy = xx * _F32(2), xy * _F32(2)
    total = sx + hx
    low = (((sx - total) + hx) + sy) + hy
    w = (x2 * xx) * t
    result = total + w
    return result + (((total - result) + w) + low)


def log_softmax_lastdim_float32(d):
    """torch.log_softmax(x, -1) of a float32 array (at least 1-D, not empty), bit for bit
    (LogSoftmaxKernelImpl.h): per row, s = the sum of exp(x - max) in reduce_all's order (SLEEF's
    exp), then x - max - log(s) (SLEEF's log)."""
    rows = np.ascontiguousarray(d).reshape(-1, d.shape[-1])
    with np.errstate(invalid="ignore", over="ignore"):
        top = rows.max(axis=1, keepdims=True)
        shifted = rows - top
        log_sum = sleef_logf(reduce_all_sum(sleef_expf(shifted)))
        return (shifted - log_sum[:, None]).reshape(d.shape)


def _rows(a):
    return np.ascontiguousarray(a).reshape(-1, a.shape[-1])


def softmax_backward_lastdim_float32(grad, output):
    """PyTorch's float32 softmax backward over the last dim (_vec_host_softmax_backward_lastdim):
    per row, s = the sum of grad * output (map2_reduce_all), then (grad - s) * output."""
    g, r = _rows(grad), _rows(output)
    return ((g - _product_sum(g, r)[:, None]) * r).reshape(grad.shape)


def log_softmax_backward_lastdim_float32(grad, output):
    """PyTorch's float32 log_softmax backward over the last dim: per row, s = the sum of grad
    (reduce_all), then grad - exp(output) * s as one fused multiply-add (SLEEF's exp)."""
    g, r = _rows(grad), _rows(output)
    with np.errstate(over="ignore", invalid="ignore"):
        e = sleef_expf(r)
        s = np.broadcast_to(reduce_all_sum(g)[:, None], g.shape)
        return _fma32(-e, s, g).reshape(grad.shape)
