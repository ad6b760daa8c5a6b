"""tanh's gradient bracket fma(-r, r, 1) in float32 is float64's 1 - r*r rounded to float32, with
no tie test (core/fma.py's one_minus_square): every float64 value on a float32 tie, where a double
rounding could err, rounds the way one rounding does. Checked here against the slow round-to-odd
path `_fma32_odd` and against exact rationals, on two 2**24-value chunks of float32 holding both
kinds of tie (exact: r near 0.7-0.87; inexact: r near 1e10) and a random sample of bit patterns;
`GRADSH_FMA_ALL=1` runs all 256 chunks (tools/check_one_minus_square.py is the same check as a
command)."""

import os
from fractions import Fraction

import numpy as np
import pytest

from gradsh.core.fma import _LOW29, _TIE29, _fma32_odd, one_minus_square

CHUNK = 1 << 24
# [0.5, 2): ties of exact float64 values; [8.6e9, 3.4e10): ties where 1 is lost (inexact)
CHUNKS = range(256) if os.environ.get("GRADSH_FMA_ALL") else [0x3F, 0x50]


def _chunk(k):
    bits = np.arange(k * CHUNK, (k + 1) * CHUNK, dtype=np.uint64).astype(np.uint32)
    return bits.view(np.float32)


def _ties(r):
    t = np.asarray(r, np.float64)
    t = 1.0 - t * t
    return r[(t.view(np.int64) & _LOW29) == _TIE29]


def _same_bits(a, b):
    return np.array_equal(a.view(np.uint32), b.view(np.uint32)) or (
        np.array_equal(np.isnan(a), np.isnan(b))
        and np.array_equal(a[~np.isnan(a)].view(np.uint32), b[~np.isnan(b)].view(np.uint32)))


def _inexact(r):
    """Whether float64's 1 - r*r differs from the exact value (TwoSum's error is not zero)."""
    m = np.asarray(r, np.float64)
    m = -(m * m)
    s = 1.0 + m
    bv = s - 1.0
    return np.isfinite(s) & (((1.0 - (s - bv)) + (m - bv)) != 0)


@pytest.mark.parametrize("k", CHUNKS)
def test_every_tie_of_a_chunk_rounds_as_fma(k):
    ties = _ties(_chunk(k))
    fast = one_minus_square(ties)
    assert fast.dtype == np.float32
    assert _same_bits(fast, _fma32_odd(-ties, ties, np.float32(1)))


def test_the_chunks_hold_both_kinds_of_tie():
    """The check above is not empty: exact and inexact float64 values on float32 ties."""
    exact = _ties(_chunk(0x3F))
    inexact = _ties(_chunk(0x50))
    assert len(exact) > 1000 and not _inexact(exact).any()
    assert len(inexact) > 1000 and _inexact(inexact).all()


def test_ties_against_exact_rationals():
    rng = np.random.default_rng(5)
    ties = np.concatenate([_ties(_chunk(k)) for k in (0x3F, 0x50, 0x40)])
    pick = np.sort(rng.choice(ties, 600, replace=False) * np.where(rng.random(600) < 0.5, 1, -1)
                   ).astype(np.float32)
    want = np.array([float(1 - Fraction(float(v)) ** 2) for v in pick], np.float64)
    assert np.array_equal(one_minus_square(pick), want.astype(np.float32))


def test_random_bit_patterns_round_as_fma():
    r = np.random.default_rng(7).integers(0, 1 << 32, 1 << 20, dtype=np.uint64)
    r = r.astype(np.uint32).view(np.float32)
    assert _same_bits(one_minus_square(r), _fma32_odd(-r, r, np.float32(1)))


def test_layouts_are_kept():
    r = np.tanh(np.random.default_rng(1).standard_normal((64, 32))).astype(np.float32)
    for view in (r, r.T, r[::2, 1::3], np.asfortranarray(r)):
        got = one_minus_square(view)
        assert got.strides == np.empty_like(view).strides
        assert _same_bits(got, _fma32_odd(-view, view, np.float32(1)))
