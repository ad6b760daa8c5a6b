"""Exhaustive check behind core/fma.py's float32 one_minus_square: for every float32 value r
(both signs, subnormals, infinities and nans included), 1 - r*r computed in float64 and rounded
to float32 equals fma(-r, r, 1) rounded once as `_fma32_odd` computes it (round-to-odd in
float64, then one rounding to float32).

    python tools/check_one_minus_square.py            # all 2**32 bit patterns (a few minutes)
    python tools/check_one_minus_square.py --chunks 4 # the first 4 of the 256 chunks only
    python tools/check_one_minus_square.py --every    # every value through _fma32_odd (slower)

Why it can hold: r*r is exact in float64 (24 + 24 bits), so the float64 1 - r*r is rounded once;
rounding it again to float32 is wrong only when the float64 value is inexact AND lies on a float32
tie (a double rounding errs only from a midpoint of the second format). The check finds every float64 value on a float32 tie (the 29 low bits 1 then 28 zeros, the
pattern `_fma32` tests), compares those with `_fma32_odd`, and compares a sample of the rest too.
Prints the number of ties, of inexact ties and of differences; exits 1 on any difference.
(`--every` once, 2026-12-05: no difference but r = +-inf, where _fma32_odd itself is wrong.)
"""

import argparse
import sys

import numpy as np

from gradsh.core.fma import _LOW29, _TIE29, _fma32_odd

CHUNK = 1 << 24


def check_chunk(k, rng, every=False):
    bits = np.arange(k * CHUNK, (k + 1) * CHUNK, dtype=np.uint64).astype(np.uint32)
    r = bits.view(np.float32)
    t = np.asarray(r, np.float64)
    np.multiply(t, t, out=t)
    np.subtract(1.0, t, out=t)
    fast = t.astype(np.float32)
    tie = (t.view(np.int64) & _LOW29) == _TIE29
    sample = rng.random(CHUNK) < 1e-3
    pick = tie | sample if not every else np.ones(CHUNK, bool)
    rs = r[pick]
    slow = _fma32_odd(-rs, rs, np.float32(1))
    differ = fast[pick].view(np.uint32) != slow.view(np.uint32)
    # nan's payload may differ between the two computations: compare nans as nans
    differ &= ~(np.isnan(fast[pick]) & np.isnan(slow))
    # _fma32_odd's TwoSum makes a nan of r = +-inf (inf - inf); fma(-inf, inf, 1) is -inf, as
    # the float64 path gives
    differ &= ~(np.isinf(rs) & (fast[pick] == -np.inf))
    # ties whose float64 value is inexact (TwoSum: the error of 1 + (-r*r) is not zero)
    m = r[tie].astype(np.float64)
    m = -(m * m)
    s = t[tie]
    bv = s - 1.0
    err = (1.0 - (s - bv)) + (m - bv)
    inexact = np.count_nonzero(np.isfinite(s) & (err != 0))
    return int(tie.sum()), int(inexact), int(differ.sum()), r[pick][differ][:5]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--chunks", type=int, default=(1 << 32) // CHUNK)
    ap.add_argument("--every", action="store_true",
                    help="compare every value with _fma32_odd, not the ties and a 1/1000 sample")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    ties = inexact = bad = 0
    for k in range(args.chunks):
        n_tie, n_inexact, n_bad, examples = check_chunk(k, rng, args.every)
        ties, inexact, bad = ties + n_tie, inexact + n_inexact, bad + n_bad
        if n_bad:
            print(f"chunk {k}: {n_bad} differences, e.g. {examples.tolist()}", flush=True)
    print(f"{args.chunks} chunks of {CHUNK} values: {ties} float32 ties, {inexact} of them "
          f"inexact in float64, {bad} differences from _fma32_odd")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
