"""Record PyTorch's values of torch.special's functions into tests/data/special.json, or measure
gradsh's distance from them in ulps.

    python tools/record_special.py           # with PyTorch 2.13 installed: record
    python tools/record_special.py --ulps    # gradsh against the recorded facts: the ulp table

Each case of CASES is a function name of torch.special (or torch), its extra arguments and the
kind of inputs (`inputs(kind)`: numpy's default_rng(15) draws plus fixed points: zeros of both
signs, poles, the branch points of the kernels, tiny, huge, inf and nan). Its values are
computed in float64 and in float32 (the float64 inputs rounded), PyTorch single-threaded, and
stored as base64 of the result bytes. Binary functions get two input columns.
"""

import base64
import json
import math
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
N = 900  # random points per case (the fixed ones come on top)

_FIXED = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 1.5, -1.5, 3.0, -3.0, 10.0, -10.0, 8.0,
          -8.0, 7.999999, 8.000001, 9.5, 26.5, 27.0, 50.0, 51.0, -6.1, -26.7, 100.0, -100.0,
          1e-300, -1e-300, 1e-30, -1e-30, 1e-8, -1e-8, 1e8, -1e8, 1e17, 1e30, -1e30, 1e300,
          -1e300, 700.0, -700.0, math.inf, -math.inf, math.nan, -4.999999, -5.000001, 1e-320]
_UNIT_FIXED = [0.0, -0.0, 1.0, 0.5, 0.25, 0.75, math.exp(-2), 1 - math.exp(-2), 1e-10, 1e-300,
               1e-320, 1 - 1e-16, -0.1, 1.1, math.inf, -math.inf, math.nan, 0.135335, 0.864665]


def inputs(kind):
    """The float64 inputs of a kind of case: an array (unary) or a pair of arrays (binary)."""
    rng = np.random.default_rng(15)
    sign = rng.choice([-1.0, 1.0], N)
    if kind == "real":
        parts = [rng.uniform(-10, 10, N // 3), rng.uniform(-60, 60, N // 6),
                 sign[:N // 4] * 10.0 ** rng.uniform(-20, 20, N // 4),
                 np.arange(-20, 20.5, 0.5), -np.arange(1, 15) + 1e-7, _FIXED]
        return np.concatenate(parts)
    if kind == "above":  # polygamma(n >= 2) sums -x terms one by one below 0: x above -60
        x = inputs("real")
        return np.where(x < -60, -x, x)
    if kind == "unit":
        parts = [rng.uniform(0, 1, N // 2), 10.0 ** -rng.uniform(0, 300, N // 4),
                 1 - 10.0 ** -rng.uniform(0, 16, N // 4), _UNIT_FIXED]
        return np.concatenate(parts)
    if kind == "positive":  # mvlgamma's domain and around it
        return np.concatenate([rng.uniform(-1, 10, N // 2), 10.0 ** rng.uniform(-3, 5, N // 2),
                               [0.0, 0.5, 1.0, 1.5, 2.0, math.inf, math.nan, 1e300]])
    if kind == "pair":  # xlogy, xlog1py: x anywhere, y anywhere (zeros, negatives, nan)
        x, y = inputs("real"), rng.permutation(inputs("real"))
        x[::7] = 0.0
        return x, y
    if kind == "zeta":  # x > 1 mostly (and the edges), q anywhere above -60 (below, the kernel
        # sums some -q terms one by one: a long loop, in PyTorch too)
        q = inputs("above")
        x = np.concatenate([rng.uniform(1, 5, N // 2), rng.uniform(5, 60, N // 4),
                            rng.integers(2, 12, q.size - N // 2 - N // 4 - 8).astype(float),
                            [1.0, 0.5, -2.0, math.nan, math.inf, 1.0000001, 2.0, 3.0]])
        return rng.permutation(x), q
    if kind == "poly":  # the orthogonal polynomials: x around [-1, 1] and [0, 1] (the shifted
        # forms' special points), some far out; n every degree to 30 (the closed forms start
        # past 4, 6 or 8), negative, fractional (truncated), nan and large
        x = np.concatenate([rng.uniform(-1.2, 1.2, N // 3), rng.uniform(-0.1, 1.1, N // 3),
                            rng.normal(0, 20, N // 6), _FIXED])
        n = np.concatenate([rng.integers(-2, 31, x.size - 10).astype(float),
                            [2.5, -0.5, math.nan, 100.0, 1000.0, 57.9, 9.0, 7.0, 5.0, 0.0]])
        return x, rng.permutation(n)
    raise ValueError(kind)


# (key, function, extra arguments, input kind); the function is looked up under torch.special
CASES = [(name, name, (), "real") for name in (
    "gammaln", "digamma", "i0", "i0e", "i1", "i1e", "ndtr", "log_ndtr", "erfc", "erfcx", "entr",
    "sinc", "exp2", "expit", "erf")]
CASES += [("ndtri", "ndtri", (), "unit"), ("logit", "logit", (), "unit")]
CASES += [(f"polygamma_{n}", "polygamma", (n,), "real" if n == 1 else "above")
          for n in (1, 2, 3, 5)]
CASES += [(f"multigammaln_{p}", "multigammaln", (p,), "positive") for p in (1, 2, 3, 5)]
CASES += [("xlogy", "xlogy", (), "pair"), ("xlog1py", "xlog1py", (), "pair"),
          ("zeta", "zeta", (), "zeta")]
POLYNOMIALS = ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
               "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p")
CASES += [(name, name, (), "poly") for name in POLYNOMIALS]
CASES += [(name, name, (), "real") for name in ("modified_bessel_i0", "modified_bessel_i1",
                                                 "spherical_bessel_j0")]
DTYPES = {"float64": np.float64, "float32": np.float32}


def call(lib, case, dtype):
    """The function of `case` on its inputs as `lib` tensors of dtype: a numpy array."""
    _, name, extra, kind = case
    fn = getattr(lib.special, name)
    x = inputs(kind)
    with np.errstate(all="ignore"):
        if isinstance(x, tuple):
            args = [lib.from_numpy(v.astype(DTYPES[dtype])) for v in x]
            return fn(*args).numpy()
        t = lib.from_numpy(x.astype(DTYPES[dtype]))
        return (fn(*extra, t) if name == "polygamma" else fn(t, *extra)).numpy()


def encode(values):
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode()


def decode(text, dtype):
    return np.frombuffer(base64.b64decode(text), DTYPES[dtype])


_INTS = {"float64": np.int64, "float32": np.int32}


def ulps(ours, theirs, dtype):
    """The distance in ulps of each value (0 where both are the same nan or infinity, -1 where
    one is nan or infinite and the other is not, or the signs differ)."""
    ints = _INTS[dtype]
    a = np.asarray(ours).view(ints).astype(np.int64)
    b = np.asarray(theirs).view(ints).astype(np.int64)
    lowest = np.int64(np.iinfo(ints).min)
    a = np.where(a < 0, lowest - a, a)  # ordered: the integers count floats from -max to max
    b = np.where(b < 0, lowest - b, b)
    out = np.abs(a - b)
    nan_a, nan_b = np.isnan(ours), np.isnan(theirs)
    inf_a, inf_b = np.isinf(ours), np.isinf(theirs)
    out = np.where(nan_a & nan_b, 0, out)
    out = np.where(inf_a | inf_b, np.where(ours == theirs, 0, -1), out)
    out = np.where(nan_a != nan_b, -1, out)
    flipped = (np.signbit(ours) != np.signbit(theirs)) & (ours != 0) & (theirs != 0)
    return np.where(flipped & ~(nan_a | nan_b), -1, out)


def measure(lib, facts):
    """{(key, dtype): (max ulps, share equal bit for bit, count)} of lib against the facts;
    max ulps -1 if some value is not even of the same kind (nan, inf, sign)."""
    out = {}
    for case in CASES:
        for dtype in DTYPES:
            d = ulps(call(lib, case, dtype), decode(facts[case[0]][dtype], dtype), dtype)
            worst = -1 if (d < 0).any() else int(d.max())
            out[case[0], dtype] = (worst, float(np.mean(d == 0)), int(d.size))
    return out


def main():
    if "--ulps" in sys.argv:
        sys.path.insert(0, str(ROOT))
        import gradsh
        facts = json.loads((ROOT / "tests" / "data" / "special.json").read_text())
        print("| function | float64 max ulps | equal | float32 max ulps | equal |")
        print("| --- | --- | --- | --- | --- |")
        table = measure(gradsh, facts)
        for case in CASES:
            (m64, e64, _), (m32, e32, _) = table[case[0], "float64"], table[case[0], "float32"]
            print(f"| {case[0]} | {m64} | {e64:.1%} | {m32} | {e32:.1%} |")
        return
    import torch
    torch.set_num_threads(1)
    facts = {"torch": torch.__version__}
    for case in CASES:
        facts[case[0]] = {dtype: encode(call(torch, case, dtype)) for dtype in DTYPES}
    path = ROOT / "tests" / "data" / "special.json"
    path.write_text(json.dumps(facts, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
