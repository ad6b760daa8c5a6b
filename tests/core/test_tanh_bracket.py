"""tanh's gradient bracket fma(-y, y, 1) in float32 (core/fma.py, one_minus_square) is the float64
value of 1 - y*y rounded to float32, with no tie test and no round-to-odd below |y| = 2**26: the
float64 value is exact for 2**-3 <= |y| < 2**26, never near a float32 tie for |y| < 2**-13, and
(tried here for every float32 between) never on one in between. The bracket is checked bit for bit against the
round-to-odd path (_fma32_odd, which the previous implementation took whenever a tie turned up)
and against the exact value."""

from fractions import Fraction

import numpy as np

from gradsh.core.fma import _LOW29, _TIE29, _fma32_odd, one_minus_square


def _slow(r):
    return _fma32_odd(-r, r, np.float32(1))


def _same_bits(a, b):
    return a.dtype == b.dtype and np.array_equal(a.view(np.int32), b.view(np.int32))


def _rounded32(f):
    """The Fraction f rounded once to float32 (nearest, ties to even)."""
    c = np.float32(float(f))
    near = [np.nextafter(c, np.float32(-np.inf)), c, np.nextafter(c, np.float32(np.inf))]
    return min(near, key=lambda v: (abs(Fraction(float(v)) - f), int(v.view(np.int32)) & 1))


def test_the_bracket_beyond_2_to_the_26_still_rounds_once_and_nan_keeps_its_sign():
    # inputs no tanh gives (an unpack hook's): 1 - y*y is rounded in float64 there, so the
    # round-to-odd path takes the float32 ties
    rng = np.random.default_rng(7)
    # odd m in [2**12, 2**12.5): (m * 2**15)**2 is a float32 midpoint, 1 - y*y just off it
    m = np.arange(4097, 5793, 2, dtype=np.float64)
    y = np.concatenate([m * 2.0 ** 15, np.exp(rng.uniform(18, 44, 3000))]).astype(np.float32)
    got = one_minus_square(y)
    assert _same_bits(got, _slow(y))
    exact = np.array([_rounded32(1 - Fraction(float(v)) ** 2) for v in y], np.float32)
    assert _same_bits(got, exact)
    nan = np.array([np.nan, -np.nan, 0.5], np.float32)
    assert np.array_equal(np.signbit(one_minus_square(nan)), [False, True, False])  # PyTorch's


def _ties(rng, n):
    """float32 values in [0.5, 1) whose 1 - y*y lies exactly on a float32 tie (exact there, so
    no correction is due): y's significand an odd multiple of 2**11, where 1 - y*y is in
    [0.25, 0.5)."""
    m = ((rng.integers(0, 1 << 12, n) * 2 + 1) << 11) | (1 << 23)
    y = np.ldexp(m.astype(np.float64), -24)
    return y[(y * y > 0.5) & (y * y <= 0.75)].astype(np.float32)


def _on_a_tie(t):
    return (t.view(np.int64) & _LOW29) == _TIE29


def _samples():
    rng = np.random.default_rng(19)
    n = 1 << 18
    bits = rng.integers(0, 0x3F800001, n, dtype=np.int64).astype(np.int32)  # every |y| <= 1
    parts = [
        bits.view(np.float32),  # uniform over bit patterns: small |y|, subnormals included
        np.tanh(rng.standard_normal(n) * 3).astype(np.float32),  # a training loop's
        rng.uniform(0.76, 0.87, n).astype(np.float32),  # W3's tanh results
        _ties(rng, n),
        # every float32 on both sides of the 2**-3 bound
        np.arange(0x3E000000 - (1 << 17), 0x3E000000 + (1 << 17), dtype=np.int32).view(np.float32),
        np.array([0.0, -0.0, 1.0, -1.0, 2.0, 1e30, np.inf, -np.inf, 1e-45, 2.0 ** -3,
                  np.nextafter(np.float32(2.0 ** -3), np.float32(0))], np.float32),
        np.exp(rng.uniform(0, 88, 1 << 16)).astype(np.float32),  # |y| > 1, up to the big ones
    ]
    r = np.concatenate(parts)
    return np.concatenate([r, -r])


def test_the_fast_bracket_is_the_round_to_odd_bracket_bit_for_bit():
    r = _samples()  # 2.5 million values
    assert r.size > 10 ** 6
    got, finite = one_minus_square(r), np.isfinite(r)
    assert _same_bits(got[finite], _slow(r[finite]))
    # infinities: PyTorch's -inf (fma(-inf, inf, 1)); the round-to-odd path's TwoSum gives nan
    assert (got[np.isinf(r)] == -np.inf).all() and np.isnan(_slow(r[np.isinf(r)])).all()


def test_the_bracket_keeps_layouts_and_blocks_agree():
    r = _samples()[: 1 << 20].reshape(1024, 1024)
    want = _slow(r)
    for view in (r.T, r[::2, ::3], r[:, ::-1]):
        got = one_minus_square(view)
        assert _same_bits(got, _slow(view))
    assert _same_bits(one_minus_square(r), want)


def test_no_float32_between_2_to_minus_13_and_2_to_minus_3_puts_the_bracket_on_a_tie():
    # every float32 of the 10 binades (84 million) where 1 - y*y is rounded in float64 and a
    # float32 tie is near: none lands on one, so rounding again to float32 is always the fused
    # value (the reason one_minus_square takes no tie test)
    lo = int(np.float32(2.0 ** -13).view(np.int32))
    hi = int(np.float32(2.0 ** -3).view(np.int32))
    assert hi - lo == 10 << 23
    for start in range(lo, hi, 1 << 22):
        y = np.arange(start, start + (1 << 22), dtype=np.int32).view(np.float32).astype(np.float64)
        np.multiply(y, y, out=y)
        np.subtract(1.0, y, out=y)
        assert not _on_a_tie(y).any(), hex(start)


def test_the_bracket_is_exact_in_float64_from_2_to_minus_3_up_and_near_no_tie_below_2_to_minus_13():
    rng = np.random.default_rng(5)
    big = np.concatenate([rng.uniform(2.0 ** -3, 1, 3000), np.exp(rng.uniform(0, 18, 1000)), [2.0 ** 26],
                          [2.0 ** -3, 1.0]]).astype(np.float32)
    for y in big:
        t = 1.0 - np.float64(y) * np.float64(y)
        assert Fraction(float(t)) == 1 - Fraction(float(y)) ** 2, y
    below = np.nextafter(np.float32(2.0 ** -3), np.float32(0))  # the bound is sharp
    assert Fraction(1.0 - float(below) ** 2) != 1 - Fraction(float(below)) ** 2
    small = np.float32(2.0 ** -13) * rng.uniform(0, 1, 1 << 16).astype(np.float32)
    t = 1.0 - small.astype(np.float64) ** 2
    assert (t >= 1 - 2.0 ** -26).all()  # and float32's ties nearest 1 are 1 - 2**-25, 1 + 2**-24


def test_ties_turn_up_in_tanh_results_and_need_no_correction():
    rng = np.random.default_rng(3)
    y = _ties(rng, 4000)
    t = 1.0 - y.astype(np.float64) ** 2
    assert y.size > 1000 and _on_a_tie(t).all()
    exact = np.array([float(1 - Fraction(float(v)) ** 2) for v in y]).astype(np.float32)
    assert _same_bits(one_minus_square(y), exact)
    r = np.random.default_rng(4).uniform(0.76, 0.87, 65536).astype(np.float32)
    assert _on_a_tie(1.0 - r.astype(np.float64) ** 2).sum() > 4  # W3's: in each of its blocks
