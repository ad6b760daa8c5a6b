"""PyTorch's CPU random streams, reproduced on numpy.

A `Generator` holds the same state as PyTorch's CPU generator (a Mersenne Twister MT19937, the
seed, the one-value normal cache) and turns it into values with the same arithmetic as PyTorch
2.13's CPU kernels on x86-64 (AVX2 + FMA), so that `manual_seed(s)` followed by the same calls
gives the same bits.  Facts used here (see tests/core/test_random.py for how each was checked):

* Engine: MT19937 seeded with the classic init_genrand(seed mod 2**32); a 32-bit draw is one
  output, a 64-bit draw is (first << 32) | second.  numpy's own MT19937 bit generator runs the
  same recurrence in C, so the state is kept there and bulk draws come from numpy's C loop (a
  twist vectorized with numpy over the 624 words, plus tempering, took 0.64 s for 10**7 words
  where that loop takes 0.08 s).
* uniform: float32 takes (r & 0xFFFFFF) * 2**-24 from a 32-bit draw, float64 takes
  (r & (2**53 - 1)) * 2**-53 from a 64-bit draw; then fma(u, to - from, from) in the dtype, and a
  result equal to `to` is replaced by `from`. float16: the float32 value rounded, and a result
  equal to float16(to) replaced by float16(from).
* normal, float16: as float32 (below), rounded; but with 16 or more elements the redrawn last 16
  follow the whole blocks' draws directly (no uniforms are drawn for the elements between), and
  element by element the double is rounded to float32 first (c10::Half is made from a float).
* normal, fewer than 16 elements (or a non-contiguous tensor): element by element with the
  generator's cached second Box-Muller value, all in float64, then fma(value, std, mean).
* normal, 16 or more elements: fill with uniforms of the dtype, transform blocks of 16, redo the
  last 16 with fresh uniforms when n % 16 != 0.  float64 uses libm log/sin/cos (on every CPU:
  numpy's AVX-512 float64 log is not libm's, see `_libm_log`); float32 uses an
  8-wide Cephes polynomial (avx_mathfun's log256_ps / sincos256_ps as compiled with FMA), which
  `_radius` and `_sincos` below emulate bit for bit.
* randint: low + r % (high - low), r a 32-bit draw unless the range needs 64 bits (int64, float
  and double outputs only).  randperm(n), n < 214748364: for i in 0..n-2 swap items i and
  i + r % (n - i) (32-bit r); above that, the inside-out shuffle with 64-bit draws.
* bernoulli_(p) with a scalar p: one 64-bit draw per element, u53 < p (this build has no MKL
  stream there); bernoulli(p tensor): float32 p compares a float32 uniform, float64 p a float64
  one.  F.dropout(x, p): mask = bernoulli_(1 - p) in x's dtype, out = x * (mask / dtype(1 - p));
  p = 0 and p = 1 draw nothing; for float16, mask / (1 - p) is computed in float32 (opmath).
"""

import collections
import math
import operator
import os
import struct
import threading

import numpy as np

from .fma import _fma32, _fma64  # noqa: F401 - also used by the tests
from .libm import libm

__all__ = ["Generator", "default_generator"]

_N = 624                       # MT19937 state words
_DEFAULT_SEED = 67280421310721  # what a fresh torch.Generator() reports as initial_seed()
_STATE_SIZE = 5056             # sizeof(CPUGeneratorImplState), PyTorch's get_rng_state() length
_RANDPERM_SMALL = 214748364    # randperm switches to 64-bit draws from here (UINT32_MAX / 20)

_M24 = np.uint32(0xFFFFFF)
_M53 = np.uint64((1 << 53) - 1)
_F32_ULP = np.float32(2.0 ** -24)
_F64_ULP = 2.0 ** -53
_TWO_PI_64 = 2.0 * math.pi


# ---------------------------------------------------------------------------------------------
# Mersenne Twister pieces that numpy's bit generator does not expose

def _init_genrand(seed32):
    """The 624 key words of init_genrand(seed32), as PyTorch and numpy's RandomState seed."""
    key = [0] * _N
    key[0] = prev = seed32
    for i in range(1, _N):
        prev = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        key[i] = prev
    return np.array(key, dtype=np.uint32)


def _temper(y):
    y = y ^ (y >> np.uint32(11))
    y = y ^ ((y << np.uint32(7)) & np.uint32(0x9D2C5680))
    y = y ^ ((y << np.uint32(15)) & np.uint32(0xEFC60000))
    return y ^ (y >> np.uint32(18))


def _as_seed(seed):
    """PyTorch reads a seed as uint64, or else as int64 reinterpreted as uint64."""
    seed = operator.index(seed)
    if 0 <= seed < 1 << 64:
        return seed
    if -(1 << 63) <= seed < 0:
        return seed + (1 << 64)
    raise ValueError("Overflow when unpacking long long")


# ---------------------------------------------------------------------------------------------
# avx_mathfun's log256_ps and sincos256_ps, as PyTorch's AVX2 kernel runs them (compiled with FMA)

def _f32(bits):
    return float(np.uint32(bits).view(np.float32))


# Cephes single-precision constants, by bit pattern as they appear in libtorch_cpu.
_LOG_P = [_f32(h) for h in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                            0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA)]
_LOG_Q1 = np.float32(_f32(0xB95E8083))
_LOG_Q2 = np.float32(_f32(0x3F318000))
_FOPI = np.float32(_f32(0x3FA2F983))
_DP1 = np.float32(_f32(0xBF490000))
_DP2 = np.float32(_f32(0xB97DA000))
_DP3 = _f32(0xB3222169)
_COS_P = [_f32(h) for h in (0x37CCF5CE, 0xBAB6061A, 0x3D2AAAA5)]
_SIN_P = [_f32(h) for h in (0xB94CA1F9, 0x3C08839E, 0xBE2AAAA3)]
_TWO_PI_32 = np.float32(_f32(0x40C90FDB))
_HALF = np.float32(0.5)
_ONE = np.float32(1.0)


_SQRTHF_BITS = np.int32(0x3F3504F3 + (24 << 23))  # sqrt(0.5)'s bits, for u scaled by 2**24
_TWO_PI_CODE = _TWO_PI_32 * np.float32(2.0 ** -24)  # exact: a power-of-two rescaling
_LOG_P64 = [np.float64(c) for c in _LOG_P]
_COS_P64 = [np.float64(c) for c in _COS_P]
_SIN_P64 = [np.float64(c) for c in _SIN_P]
_DP3_64 = np.float64(_DP3)
_CODE_MASK, _TWO24, _I24 = np.int32(0xFFFFFF), np.int32(1 << 24), np.int32(24)
_I23, _I29, _I30, _I31 = np.int32(23), np.int32(29), np.int32(30), np.int32(31)
_I1, _I2, _I4, _NOT1 = np.int32(1), np.int32(2), np.int32(4), np.int32(~1)
_MINUS_TWO = np.float32(-2.0)
_HALF_BLOCK = np.dtype((np.void, 32))  # 8 float32 or int32: half a block as one item
_CHUNK = 1 << 12  # blocks of 16 per pass: temporaries stay in cache, numpy's per-call cost is small

# The kernel below is numpy calls on chunk-sized arrays; per call numpy costs about a microsecond,
# so it passes `out` positionally, converts with slice assignment and uses numpy scalars.
_mul, _add, _sub = np.multiply, np.add, np.subtract


def _poly_fma(x64, coeffs, t64, y32):
    """Horner's rule with one fused multiply-add per step: y = fma(y, x, c_k), y starting at c_0.

    Each step is done in float64 (the product of two float32 is exact there) and rounded once to
    float32.  That float64 rounding before the float32 one could in principle differ from a true
    FMA (see _fma32); for every input this kernel can receive (2**24 float32 uniforms) it does not,
    which tests/core/test_random.py checks exhaustively when GRADSH_LONG_TESTS=1.
    """
    _mul(x64, coeffs[0], t64)
    t64 += coeffs[1]
    y32[...] = t64
    for c in coeffs[2:]:
        _mul(y32, x64, t64)
        t64 += c
        y32[...] = t64


class _Scratch:
    """Work arrays for one chunk of the float32 kernel, reused from chunk to chunk."""

    F32 = ("u", "x", "z", "e", "y", "t", "theta", "xs", "zs", "yc", "ys")

    def __init__(self, m):
        for name in self.F32:
            setattr(self, name, np.empty(m, np.float32))
        self.d1, self.d2, self.d3 = (np.empty(m, np.float64) for _ in range(3))
        self.k, self.k2 = np.empty(m, np.int32), np.empty(m, np.int32)

    def head(self, m):
        part = object.__new__(_Scratch)
        for name, arr in vars(self).items():
            setattr(part, name, arr[:m])
        return part


_LOCAL = threading.local()


def _scratch(m):
    """This thread's work arrays, kept between calls: fresh pages cost more than the arithmetic."""
    scratch = getattr(_LOCAL, "scratch", None)
    if scratch is None or len(scratch.u) < m:
        scratch = _LOCAL.scratch = _Scratch(max(m, _CHUNK * 8))
    return scratch if len(scratch.u) == m else scratch.head(m)


def _radius(w, s):
    """sqrt(-2 * log256_ps(1 - u)) for the 8 uniforms at the start of each block of draws."""
    k, k2, x, z, e, y, t, d1, d2 = s.k, s.k2, s.x, s.z, s.e, s.y, s.t, s.d1, s.d2
    # (a 1-D copy of 32-byte items is much faster than numpy's 8-wide strided loops)
    k.view(_HALF_BLOCK)[...] = w[:, 0]
    # 1 - code * 2**-24 is (2**24 - code) * 2**-24: convert the integer, scale by 2**-24 later
    k &= _CODE_MASK
    _sub(_TWO24, k, k)
    s.u[...] = k
    ub = s.u.view(np.int32)
    # log256_ps writes u = m * 2**e, m in [0.5, 1), and uses (e - 1, 2m - 1) when m < sqrt(0.5),
    # else (e, m - 1).  Subtracting sqrt(0.5)'s bits before taking the exponent does that
    # normalisation in integers (24 is taken off the exponent for the 2**-24 scale); m - 1 and
    # 2m - 1 are exact.
    _sub(ub, _SQRTHF_BITS, k)
    k >>= _I23
    _add(k, _I24, k2)
    k2 <<= _I23
    _sub(ub, k2, x.view(np.int32))
    x -= _ONE
    e[...] = k
    _mul(x, x, z)
    d1[...] = x
    _poly_fma(d1, _LOG_P64, d2, y)
    y *= x
    d1[...] = z                                # fma(y, z, e*q1)
    _mul(y, d1, d2)
    _mul(e, _LOG_Q1, t)
    d2 += t
    y[...] = d2
    _mul(z, _HALF, t)                          # fnmadd(z, 0.5, y): z*0.5 is exact
    y -= t
    x += y
    e *= _LOG_Q2                               # fma(e, q2, x): e*q2 is exact (short constant)
    x += e
    x *= _MINUS_TWO
    np.sqrt(x, s.u)
    return s.u


def _sincos(w, s):
    """sincos256_ps(2*pi*u) for the 8 uniforms at the end of each block of draws: (sin, cos)."""
    j, swap, x, z, y, t, yc, ys, d1, d2, d3 = (
        s.k, s.k2, s.xs, s.zs, s.y, s.t, s.yc, s.ys, s.d1, s.d2, s.d3)
    theta = s.theta
    j.view(_HALF_BLOCK)[...] = w[:, 1]
    j &= _CODE_MASK
    theta[...] = j
    theta *= _TWO_PI_CODE                      # == fl(2*pi * fl(code * 2**-24)), as the kernel
    _mul(theta, _FOPI, y)                      # theta >= 0: no sign to carry
    j[...] = y                                 # truncation, as cvttps2dq
    j += _I1
    j &= _NOT1
    y[...] = j
    # Cody-Waite reduction: the first two products are exact in float32, the third needs the FMA
    _mul(y, _DP1, x)
    x += theta
    _mul(y, _DP2, t)
    x += t
    d1[...] = y
    d1 *= _DP3_64
    d1 += x
    x[...] = d1
    _mul(x, x, z)
    d3[...] = z
    _poly_fma(d3, _COS_P64, d2, yc)
    yc *= z
    _mul(yc, d3, d2)                           # fms(z, yc, z*0.5), z*0.5 exact
    _mul(z, _HALF, t)
    d2 -= t
    yc[...] = d2
    yc += _ONE
    _poly_fma(d3, _SIN_P64, d2, ys)
    ys *= z
    d1[...] = x
    _mul(ys, d1, d2)                           # fma(x, ys, x)
    d2 += d1
    ys[...] = d2
    # j is 0, 2, 4, 6 or 8.  Where j & 2 the polynomials trade places; sin is negative for
    # j in {4, 6}, cos for j in {2, 4}.  Selection and signs work on the bits.
    diff, sin, cos = t.view(np.int32), x.view(np.int32), z.view(np.int32)
    np.left_shift(j, _I30, swap)
    swap >>= _I31                              # all ones where j & 2
    np.bitwise_xor(ys.view(np.int32), yc.view(np.int32), diff)
    np.bitwise_and(diff, swap, sin)
    sin ^= ys.view(np.int32)
    np.bitwise_xor(sin, diff, cos)
    np.bitwise_and(j, _I4, swap)
    swap <<= _I29
    sin ^= swap
    j += _I2
    j &= _I4
    j <<= _I29
    cos ^= j
    return x, z


def _box_muller_f32(words, out, mean, std):
    """PyTorch's AVX2 normal_fill_16 on consecutive blocks of 16 uniforms given as raw draws."""
    blocks = words.view(_HALF_BLOCK).reshape(-1, 2)
    out = out.view(_HALF_BLOCK).reshape(-1, 2)
    scratch = _scratch(min(len(blocks), _CHUNK) * 8)
    for lo in range(0, len(blocks), _CHUNK):
        w = blocks[lo:lo + _CHUNK]
        m = len(w) * 8
        s = scratch if m == len(scratch.u) else scratch.head(m)
        sin, cos = _sincos(w, s)
        radius = _radius(w, s)
        for half, trig in ((0, cos), (1, sin)):
            _mul(radius, trig, s.t)
            if std == 1.0:
                s.t += mean                    # fma(n, 1, mean) is n + mean (and turns -0 to +0)
                n = s.t
            else:
                n = _fma32(s.t, std, mean)
            out[lo:lo + _CHUNK, half] = n.view(_HALF_BLOCK)


def _libm_log(x, out):
    """libm's log of each element, as PyTorch's scalar kernels call it (`libm`)."""
    libm("log", x, out)


def _box_muller_f64(d, out, mean, std):
    """PyTorch's scalar normal_fill_16 on consecutive blocks of 16 float64 uniforms.

    libm's log (`_libm_log`) and libm's sin and cos: numpy's float64 sin and cos are libm's on
    every x86-64 CPU (numpy dropped its SIMD float64 sin/cos for their accuracy; checked against
    math.sin/math.cos in tests/core/test_random.py).
    """
    blocks, out = d.reshape(-1, 16), out.reshape(-1, 16)
    scratch = _scratch(min(len(blocks), _CHUNK) * 8)
    radius, theta, n = scratch.d1, scratch.d2, scratch.d3
    for lo in range(0, len(blocks), _CHUNK):
        b = blocks[lo:lo + _CHUNK]
        k = len(b) * 8
        r, th, v = radius[:k], theta[:k], n[:k]
        r.reshape(-1, 8)[...] = b[:, :8]
        _sub(1.0, r, r)
        _libm_log(r, r)
        r *= -2.0
        np.sqrt(r, r)
        _mul(b[:, 8:], _TWO_PI_64, th.reshape(-1, 8))
        for half, trig in ((0, np.cos), (1, np.sin)):
            trig(th, v)
            v *= r
            v[...] = v + mean if std == 1.0 else _fma64(v, std, mean)
            out[lo:lo + _CHUNK, 8 * half:8 * half + 8] = v.reshape(-1, 8)


# ---------------------------------------------------------------------------------------------

_PIECE = 1 << 18          # float32 normal: draws handed to the transform thread at a time
_PARALLEL_MIN = 1 << 19   # below this a second thread costs more than it saves
_POOL = None


def _pool():
    """One worker thread for the float32 transform, so that it overlaps with the draws.

    One, not more: numpy releases the GIL inside each call, but two threads both making many
    short numpy calls spend much of their time handing the GIL to each other, which made two
    transform threads slower than one on a busy machine.  The drawing thread mostly sits inside
    numpy's (GIL-free) bit generator loop, so it and a single worker run side by side.
    """
    global _POOL
    if (os.cpu_count() or 1) < 2:
        return None
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor
        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradsh-random")
    return _POOL


def _u64_is_hi_lo():
    """Does numpy's full-range uint64 draw put the first 32-bit output on top, as PyTorch does?"""
    bitgen = np.random.MT19937(0)
    state = bitgen.state
    wide = np.random.Generator(bitgen).integers(0, 1 << 64, size=2, dtype=np.uint64)
    bitgen.state = state
    w = bitgen.random_raw(4)
    return bool(np.array_equal(wide, (w[0::2] << np.uint64(32)) | w[1::2]))


_NUMPY_U64_IS_HI_LO = _u64_is_hi_lo()


def _numel(shape):
    n = 1
    for s in shape:
        n *= operator.index(s)
    return n


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(operator.index(s) for s in shape)


def _c(value):
    """A double as PyTorch's C++ messages print it (ostream defaults: like %g)."""
    return "%g" % value


# PyTorch's names of the integer dtypes, whose random kernels it is not built for
_NOT_FLOAT = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
              "int64": "Long"}


def _float_kind(np_dtype, kernel):
    """np_dtype when a float draw can fill it; for an integer or bool dtype PyTorch's refusal by
    its kernel's name (`kernel`)."""
    dt = np.dtype(np_dtype)
    if dt.name in _NOT_FLOAT:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_NOT_FLOAT[dt.name]}\'')
    if dt not in (np.float32, np.float64, np.float16) and dt.kind != "V":
        raise TypeError(f"gradsh random: only float16, float32 and float64 are supported here, "
                        f"got {dt}")
    return dt


class Generator:
    """PyTorch's CPU generator: MT19937 state, initial seed and the cached normal value.

    `Generator()` starts like `torch.Generator()` (seed 67280421310721); `default_generator`
    below is seeded from the system, as torch's default generator is.
    """

    def __init__(self, seed=_DEFAULT_SEED):
        self._bitgen = np.random.MT19937(0)
        self._ints = np.random.Generator(self._bitgen)
        self.manual_seed(seed)

    def __repr__(self):
        # PyTorch's generator is a C type: torch.manual_seed(0) echoes this
        return "<torch._C.Generator object at 0x%x>" % id(self)

    # -- seeding and state ------------------------------------------------------------------

    def manual_seed(self, seed):
        seed = _as_seed(seed)
        self._initial_seed = seed
        self._load(_init_genrand(seed & 0xFFFFFFFF), _N)
        self._idle_next = 0       # PyTorch reports next=0 until the first draw after seeding
        self._pending = None
        self._next_double = None  # the cached r*sin(theta) of the element-wise normal path
        self._next_float = None   # float32 twin of the cache: kept for state round trips
        return self

    def initial_seed(self):
        return self._initial_seed

    def seed(self):
        """Seed from the operating system (64 bits, as PyTorch reads /dev/urandom) and return it."""
        seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(seed)
        return seed

    def _load(self, key, pos):
        self._bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}

    def get_state(self):
        """PyTorch's 5056-byte CPUGeneratorImplState, as torch.get_rng_state() returns it."""
        st = self._bitgen.state["state"]
        key, pos = st["key"], int(st["pos"])
        if self._pending is not None:
            nxt, left = self._pending
        elif pos == _N:
            nxt, left = self._idle_next, 1
        else:
            nxt, left = pos, _N + 1 - pos
        buf = bytearray(_STATE_SIZE)
        struct.pack_into("<QiiQ", buf, 0, self._initial_seed, left, 1, nxt)
        buf[24:24 + 8 * _N] = key.astype("<u8").tobytes()
        off = 24 + 8 * _N
        if self._next_double is not None:
            struct.pack_into("<d", buf, off + 8, self._next_double)
            struct.pack_into("<i", buf, off + 24, 1)
        if self._next_float is not None:
            struct.pack_into("<f", buf, off + 28, self._next_float)
            buf[off + 32] = 1
        return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def set_state(self, state):
        state = np.asarray(state)
        if state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if state.size != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input "
                f"RNG state size to be {state.size}")
        buf = state.tobytes()
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", buf, 0)
        nxt &= 0xFFFFFFFF  # PyTorch keeps `next` in 32 bits
        if not seeded or not 1 <= left <= _N or nxt > _N:
            raise RuntimeError("Invalid mt19937 state")
        key = (np.frombuffer(buf, "<u8", _N, 24) & 0xFFFFFFFF).astype(np.uint32)
        off = 24 + 8 * _N
        normal_y, = struct.unpack_from("<d", buf, off + 8)
        normal_valid, = struct.unpack_from("<i", buf, off + 24)
        next_float, = struct.unpack_from("<f", buf, off + 28)
        self._initial_seed = seed
        self._next_double = normal_y if normal_valid else None
        self._next_float = next_float if buf[off + 32] else None
        self._pending = None
        if left == 1:
            self._load(key, _N)
            self._idle_next = nxt
        elif left + nxt == _N + 1:
            self._load(key, nxt)
        else:
            # A state PyTorch accepts but never produces itself: it emits key[next:next+left-1]
            # and only then twists.
            self._load(key, _N)
            self._pending = (nxt, left)

    # -- raw draws --------------------------------------------------------------------------

    def _words(self, n):
        """n 32-bit draws, in order."""
        if n <= 0:
            return np.empty(0, np.uint32)
        head = None
        if self._pending is not None:
            nxt, left = self._pending
            take = min(n, left - 1)
            key = self._bitgen.state["state"]["key"]
            raw = np.zeros(take, np.uint32)
            inside = max(0, min(take, _N - nxt))
            # Past the end PyTorch reads whatever follows its array; zeros is what it reads there.
            raw[:inside] = key[nxt:nxt + inside]
            head = _temper(raw)
            nxt, left = nxt + take, left - take
            if left == 1:
                self._pending = None
                self._idle_next = nxt
            else:
                self._pending = (nxt, left)
            n -= take
            if n == 0:
                return head
        self._idle_next = _N
        # numpy's bounded-integer routine maps the full 32-bit range to one raw output each
        words = self._ints.integers(0, 1 << 32, size=n, dtype=np.uint32)
        return words if head is None else np.concatenate([head, words])

    def _words64(self, n):
        """n 64-bit draws: (first << 32) | second."""
        if self._pending is None and _NUMPY_U64_IS_HI_LO and n > 0:
            self._idle_next = _N
            return self._ints.integers(0, 1 << 64, size=n, dtype=np.uint64)
        w = self._words(2 * n).astype(np.uint64)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _unit(self, n, dt):
        """n uniforms in [0, 1) as PyTorch's uniform_real_distribution(0, 1) makes them."""
        if dt == np.float32:
            return (self._words(n) & _M24).astype(np.float32) * _F32_ULP
        # (below 2**53 the bits read the same as int64, whose conversion is the fast one)
        return (self._words64(n) & _M53).view(np.int64).astype(np.float64) * _F64_ULP

    # -- distributions ----------------------------------------------------------------------

    def uniform(self, shape, np_dtype=np.float32, low=0.0, high=1.0):
        """rand / rand_like / uniform_(low, high)."""
        shape = _shape(shape)
        dt = _float_kind(np_dtype, "check_uniform_bounds")
        if not low <= high:
            raise RuntimeError(
                "uniform_ expects to return a [from, to) range, but found "
                f"from={_c(low)} > to={_c(high)}")
        if dt.itemsize == 2:  # float16, bfloat16: made in float32, then rounded; a rounded-up
            out = self.uniform(shape, np.float32, low, high).astype(dt)  # `to` is `from`
            out[out == dt.type(high)] = dt.type(low)
            return out
        u = self._unit(_numel(shape), dt)
        lo, hi = dt.type(low), dt.type(high)
        if lo == 0 and hi == 1:
            return u.reshape(shape)           # fma(u, 1, 0) is u
        fma = _fma32 if dt == np.float32 else _fma64
        out = fma(u, hi - lo, lo).astype(dt)
        out[out == hi] = lo                   # PyTorch maps a rounded-up `to` back to `from`
        return out.reshape(shape)

    def normal(self, shape, np_dtype=np.float32, mean=0.0, std=1.0, contiguous=True):
        """randn / randn_like / normal(mean, std, size) / normal_(mean, std).

        `mean` and `std` may be numpy arrays (torch.normal with tensor arguments): PyTorch then
        draws a standard normal of the output shape and applies `out * std` and `out + mean` as
        separate tensor operations, which is what happens here (numpy's promotion, then a cast
        to the output dtype).  `contiguous=False` selects the element-wise path PyTorch takes for
        normal_ on a non-contiguous tensor (values are then produced in the tensor's memory order).
        """
        shape = _shape(shape)
        if isinstance(mean, np.ndarray) or isinstance(std, np.ndarray):
            return self._normal_tensor(shape, _float_kind(np_dtype, "normal_kernel_cpu"), mean,
                                       std, contiguous)
        if not std >= 0:  # (nan too; before the dtype, as PyTorch checks)
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_c(std)}")
        dt = _float_kind(np_dtype, "normal_kernel_cpu")
        n = _numel(shape)
        if n >= 16 and contiguous:
            if dt.itemsize == 2:
                out = self._fill16_half(n, np.float32(mean), np.float32(std)).astype(dt)
            elif dt == np.float32:
                out = self._fill16(n, dt, np.float32(mean), np.float32(std))
            else:
                out = self._fill16(n, dt, float(mean), float(std))
        else:
            out = self._normal_cached(n, float(mean), float(std))
            if dt.itemsize == 2:  # c10::Half (BFloat16) is made from a float: rounded twice
                out = out.astype(np.float32)
            out = out.astype(dt)
        return out.reshape(shape)

    def _fill16_half(self, n, mean, std):
        """normal_fill for float16: the float32 transform of the whole blocks' uniforms, then,
        if n % 16, of 16 fresh ones for the last 16 (no uniforms drawn for the elements between:
        measured), in float32 (the caller rounds)."""
        full = n - n % 16
        out = np.empty(n, np.float32)
        if full:
            _box_muller_f32(self._words(full), out[:full], mean, std)
        if full != n:
            _box_muller_f32(self._words(16), out[n - 16:], mean, std)
        return out

    def _normal_tensor(self, shape, dt, mean, std, contiguous):
        if isinstance(std, np.ndarray) and not np.all(std >= 0):  # (nan too)
            raise RuntimeError("normal expects all elements of std >= 0.0")
        if isinstance(mean, np.ndarray) and not isinstance(std, np.ndarray):
            out = self.normal(shape, dt, 0.0, std, contiguous)
        else:
            out = self.normal(shape, dt, 0.0, 1.0, contiguous)
            out = np.multiply(out, std).astype(dt, copy=False)
            if not isinstance(mean, np.ndarray):
                mean = np.asarray(mean, dt)   # PyTorch wraps a scalar mean in a 0-dim tensor
        return np.add(out, mean).astype(dt, copy=False)

    def _fill16(self, n, dt, mean, std):
        """normal_fill: n uniforms, blocks of 16 transformed, the last 16 redrawn if n % 16.

        The draws (which must stay in order) are made here piece by piece, and for large n the
        transform of each piece runs on a worker thread meanwhile.
        """
        full = n - n % 16
        out = np.empty(n, dt)
        if dt == np.float32:
            draw, transform = self._words, _box_muller_f32
        else:
            draw, transform = (lambda k: self._unit(k, dt)), _box_muller_f64
        pool = _pool() if full >= _PARALLEL_MIN else None
        jobs = collections.deque()
        for lo in range(0, full, _PIECE):
            hi = min(full, lo + _PIECE)
            piece = draw(hi - lo)
            if pool is None:
                transform(piece, out[lo:hi], mean, std)
                continue
            jobs.append(pool.submit(transform, piece, out[lo:hi], mean, std))
            if len(jobs) > 4:
                jobs.popleft().result()        # bounds the draws waiting in memory
        draw(n - full)                         # drawn, then overwritten by the redrawn tail
        tail = draw(16) if full != n else None
        for job in jobs:
            job.result()
        if tail is not None:
            transform(tail, out[n - 16:], mean, std)
        return out

    def _normal_cached(self, n, mean, std):
        """Element by element, as at::normal_distribution<double>: a cached value is used first,
        then each Box-Muller pair gives r*cos(theta) now and caches r*sin(theta) for the next."""
        values = []
        if n > 0 and self._next_double is not None:
            values.append(np.array([self._next_double]))
            self._next_double = None
            n -= 1
        pairs = (n + 1) // 2
        if pairs:
            w = self._unit(2 * pairs, np.dtype(np.float64))
            u1, u2 = w[0::2], w[1::2]
            r = np.sqrt(-2.0 * libm("log1p", -u2))
            theta = _TWO_PI_64 * u1
            both = np.empty(2 * pairs)
            both[0::2] = r * np.cos(theta)
            both[1::2] = r * np.sin(theta)
            if n % 2:
                self._next_double = float(both[-1])
            values.append(both[:n])
        out = np.concatenate(values) if values else np.empty(0)
        if std == 1.0 and mean == 0.0:
            return out + 0.0                   # fma(v, 1, 0) is v, with -0 turned to +0
        return _fma64(out, std, mean)

    def randint(self, low, high, shape, np_dtype=np.int64):
        """randint(low, high, size): low + r % (high - low), r of 32 bits unless 64 are needed."""
        shape = _shape(shape)
        low, high = operator.index(low), operator.index(high)
        if low >= high:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
        span = high - low
        n = _numel(shape)
        wide = span >= 1 << 32 and np.dtype(np_dtype) in (np.int64, np.float32, np.float64)
        r = self._words64(n) if wide else self._words(n).astype(np.uint64)
        vals = (r % np.uint64(span)).astype(np.int64) + np.int64(low)
        return vals.astype(np_dtype).reshape(shape)

    def randperm(self, n, np_dtype=np.int64):
        """randperm(n): Fisher-Yates from the front with 32-bit draws; for huge n, inside-out
        with 64-bit draws."""
        n = operator.index(n)
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
        if n < _RANDPERM_SMALL:
            if n < 2:
                return np.arange(n, dtype=np_dtype)
            i = np.arange(n - 1, dtype=np.int64)
            z = (self._words(n - 1).astype(np.int64) % (n - i) + i).tolist()
            perm = list(range(n))
            for a, b in enumerate(z):
                perm[a], perm[b] = perm[b], perm[a]
        else:
            i = np.arange(n, dtype=np.uint64)
            z = (self._words64(n) % (i + np.uint64(1))).tolist()
            perm = [0] * n
            for a, b in enumerate(z):
                perm[a] = perm[b]
                perm[b] = a
        return np.array(perm, dtype=np_dtype)

    def bernoulli(self, p, shape=None, np_dtype=None):
        """bernoulli_(p) with a scalar p, or torch.bernoulli(p_array) with a probability array.

        Scalar p: one 64-bit draw per element, u53 < p.  Array p: float32 probabilities take a
        32-bit draw and compare in float32, float64 ones a 64-bit draw (PyTorch's
        bernoulli_distribution<float> / <double>).  The result has `np_dtype` (default: p's
        dtype for an array, float32 for a scalar).
        """
        if isinstance(p, np.ndarray):
            shape = p.shape if shape is None else _shape(shape)
            if np.any(p < 0) or np.any(p > 1):
                raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
                                   "(Could this error message be improved?  If so, please "
                                   "report an enhancement request to PyTorch.)")
            pdt = p.dtype if p.dtype in (np.float32, np.float64) else np.dtype(np.float32)
            probs = np.broadcast_to(p.astype(pdt, copy=False), shape)
            u = self._unit(_numel(shape), pdt).reshape(shape)
            return (u < probs).astype(np_dtype or pdt)
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_c(p)}")
        shape = _shape(shape)
        u = self._unit(_numel(shape), np.dtype(np.float64)).reshape(shape)
        return (u < p).astype(np_dtype or np.float32)

    def dropout_mask(self, shape, np_dtype, p):
        """The 0/1 mask F.dropout(x, p, training=True) draws (bernoulli_(1 - p) in x's dtype).

        PyTorch's CPU dropout then computes `x * (mask / dtype(1 - p))`: the mask is divided by
        1 - p rounded to the dtype, then multiplied by x (see `dropout`).  p == 0 and p == 1
        draw nothing (dropout returns x, resp. x * 0).
        """
        return self.bernoulli(1.0 - p, shape, np_dtype)

    def dropout(self, x, p):
        """F.dropout(x, p, training=True) on CPU, with PyTorch's exact rounding."""
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        if p == 0 or x.size == 0:
            return x.copy()
        if p == 1:
            return x * x.dtype.type(0)
        return x * scaled_mask(self.dropout_mask(x.shape, x.dtype, p), p)


def scaled_mask(mask, p):
    """dropout's mask.div_(1 - p): 1 - p rounded to the mask's dtype, but float16 divides in
    float32 (its opmath type) and rounds the quotient."""
    if mask.dtype.itemsize == 2:  # float16, bfloat16
        return (mask.astype(np.float32) / np.float32(1.0 - p)).astype(mask.dtype)
    return mask / mask.dtype.type(1.0 - p)


default_generator = Generator()
default_generator.seed()

# A program's use of the default generator ends with it (issue 16, round 19): a fresh process
# seeds at random, so the next program in the same process (a second Session, the next kernel
# restart, the tests' in-process tables) must not read the last one's seed or stream. Only a
# stream a program moved is re-seeded, and only when nobody changed it since (a host that seeds
# before running a program keeps its stream).
_left_by_program = None  # the generator's state as the last program that moved it left it


def _mark():
    g = default_generator
    st = g._bitgen.state["state"]
    return (g._initial_seed, int(st["pos"]), st["key"][:4].tobytes(), st["key"][-4:].tobytes(),
            g._pending, g._idle_next, g._next_double, g._next_float)


def program_began():
    """A token of the default generator's state before a program runs."""
    return _mark()


def program_ended(before):
    """Remember the state a program left, if it moved the generator (seeded it or drew)."""
    global _left_by_program
    now = _mark()
    if now != before:
        _left_by_program = now


def reset_program_seed():
    """Seed at random, as a fresh process does, if the last program moved the generator and
    nothing changed it since."""
    global _left_by_program
    if _left_by_program is not None and _mark() == _left_by_program:
        default_generator.seed()
    _left_by_program = None
