"""exponential_ and multinomial drawn as PyTorch 2.13's CPU kernels draw them (same bits after
the same seed; checked against torch in tests/core/test_legacy_api.py and test_small_ops.py).

* exponential_(lambd): one 64-bit draw per element in memory order, u = 53-bit uniform, value
  (-1 / lambd) * log1p(-u) in float64 with libm's log1p, cast to the tensor's dtype.
* cauchy_(median, sigma), geometric_(p): the same uniform u per element; median + sigma *
  tan(pi * (u - 0.5)), and ceil(log(u) / log1p(-p)), in float64 (libm's), cast.
* log_normal_(mean, std): exp of at::normal_distribution<double>'s values (element by element,
  with the generator's cached second Box-Muller value), cast.
* multinomial without replacement, or with one sample: q = exponential_(1) of the input's shape
  and dtype, then q = input / q, and the samples are argmax(q) / topk(q, n).indices per row (the
  exponential trick: the same law as drawing one by one without replacement).
* multinomial with replacement, several samples: per row, the running sum of the
  probabilities in the input's dtype, divided by the total, the last entry set to 1; each sample
  is a float64 uniform from a 64-bit draw and a binary search for the first entry >= it.
"""

import math

import numpy as np

from .. import errors, factories
from ..dtypes import c_name
from ..factories import _gen
from ..libm import libm
from ..tensor import Tensor
from . import prim as P
from .base import needs_grad, record, rule
from .igamma import regularized_gamma
from .inplace import fill_random
from .pointwise import NotImplementedBackward
from .registry import declare


def exponential_values(gen, n, np_dtype, lambd=1.0):
    u = gen._unit(n, np.dtype(np.float64))
    scale = -1.0 / lambd
    return (scale * libm("log1p", -u)).astype(np_dtype)


# The samplers below run PyTorch's rejection loops in Python, about 1.6 us a draw (more for
# large poisson rates): 10**7 draws took 15-20 s (issue 16, rounds 15-16), so a call draws at
# most this many, refused before the first draw (3 s or so).
MAX_ONE_BY_ONE = 2_000_000


class TooManyDraws(ValueError):
    gradsh_kind = "LimitError"


class _Draws:
    """The generator's float64 uniforms and cached normals one at a time, as the element-by-element
    samplers (poisson, binomial, _standard_gamma, _sample_dirichlet) consume them, read from
    blocks: asking the generator for one draw at a time cost about 10 us a draw (issue 16, round
    15: `Dirichlet(torch.ones(10**7)).sample()` took minutes). A block is drawn from a saved
    state; `close()` puts the state back and draws exactly what was used, so the generator ends
    where one-at-a-time draws leave it (the cached Box-Muller value included)."""

    BLOCK = 1 << 14

    def __init__(self, gen, n, what):
        if n > MAX_ONE_BY_ONE:
            raise TooManyDraws(
                f"{what} of {n} elements is more than gradsh's limit of {MAX_ONE_BY_ONE:,} "
                "draws at once for the samplers that draw element by element (poisson, "
                "binomial, the gamma family: Gamma, Chi2, Beta, Dirichlet, StudentT...): "
                "about 1.6 us a draw in Python, to keep PyTorch's stream. Draw in batches of "
                "at most that many.")
        self._gen = gen
        self._saved = gen.get_state()   # where the current block starts
        self._next_double = gen._next_double
        self._block = []
        self._at = 0                    # uniforms of the block taken

    def unit(self):
        if self._at == len(self._block):
            if self._block:  # all of it used: the next block starts past it
                self._rewind()
                self._saved = self._gen.get_state()
            self._block = self._gen._unit(self.BLOCK, np.dtype(np.float64)).tolist()
            self._at = 0
        self._at += 1
        return self._block[self._at - 1]

    def _rewind(self):
        """The generator as if only the uniforms taken from the block had been drawn."""
        self._gen.set_state(self._saved)
        self._gen._unit(self._at, np.dtype(np.float64))

    def normal(self):
        """at::normal_distribution<double>: the cached value first, else a Box-Muller pair."""
        if self._next_double is not None:
            value, self._next_double = self._next_double, None
            return value + 0.0
        u1 = self.unit()
        u2 = self.unit()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = _TWO_PI * u1
        self._next_double = r * math.sin(theta)
        return r * math.cos(theta) + 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._rewind()
        self._gen._next_double = self._next_double


_TWO_PI = 2.0 * math.pi


@declare(function=False)
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd) samples in place."""
    if self._data.dtype.kind not in "fV":
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {self.dtype._short}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    d = self._data
    return fill_random(self, "ExponentialBackward0", lambda: exponential_values(
        _gen(generator, "exponential_"), d.size, d.dtype, lambd))


@declare
def multinomial(input, num_samples, replacement=False, *, generator=None):
    """num_samples indices per row drawn with the weights in input (1-d or 2-d)."""
    p = input._data
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype.kind not in "fV":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{input.dtype._short}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    rows = p.reshape(-1, p.shape[-1])
    n_cat = rows.shape[1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n_cat > 2 ** 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    gen = _gen(generator, "multinomial")
    if not replacement or num_samples == 1:
        if rows.size and not (np.all(rows < np.inf) and np.all(rows >= 0)):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(rows.sum(axis=1) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = exponential_values(gen, rows.size, rows.dtype).reshape(rows.shape)
        q = (rows / q).astype(rows.dtype)
        # topk's order: largest first; among equal keys the lower index first
        order = np.argsort(-q, axis=1, kind="stable")[:, :num_samples]
        out = order.astype(np.int64)
    else:
        out = _with_replacement(gen, rows, num_samples)
    return Tensor._make(out.reshape(p.shape[:-1] + (num_samples,)))


def _with_replacement(gen, rows, num_samples):
    """Row by row as PyTorch: a row's checks, then its num_samples uniforms, each searched in
    the row's normalized running sum. The rows' uniforms follow one another in the stream, so
    all rows before the first bad one are drawn at once and searched together (a loop per
    row took 19 s for 10**7 rows, round 16)."""
    with np.errstate(all="ignore"):
        cum = np.cumsum(rows, axis=1, dtype=rows.dtype)
        total = cum[:, -1:]
        problems = [(np.any(rows < 0, axis=1), "invalid multinomial distribution (encountering "
                     "probability entry < 0)"),
                    (~np.all(np.isfinite(rows), axis=1), "invalid multinomial distribution "
                     "(encountering probability entry = infinity or NaN)"),
                    (~(total[:, 0] > 0), "invalid multinomial distribution (sum of "
                     "probabilities <= 0)")]
        bad = np.flatnonzero(np.any([flags for flags, _ in problems], axis=0))
        good = bad[0] if bad.size else rows.shape[0]
        cum = (cum[:good] / total[:good]).astype(rows.dtype).astype(np.float64)
    cum[:, -1] = 1
    u = gen._unit(good * num_samples, np.dtype(np.float64)).reshape(good, num_samples)
    if bad.size:
        raise RuntimeError(next(message for flags, message in problems if flags[good]))
    # searchsorted(side="left") in every row at once: the first entry >= u, by bisection
    lo = np.zeros(u.shape, np.int64)
    hi = np.full(u.shape, cum.shape[1] - 1, np.int64)
    row = np.arange(good)[:, None]
    while np.any(lo < hi):
        mid = (lo + hi) // 2
        below = cum[row, mid] < u
        lo = np.where(below, mid + 1, lo)
        hi = np.where(below, hi, mid)
    return lo


# random_() with no range: a draw modulo the dtype's span (floats: every integer their mantissa
# holds exactly, both ends included); 64-bit draws for int64 and float64, 32-bit otherwise.
_FULL_RANGE = {np.dtype(np.float32): 2 ** 24 + 1, np.dtype(np.float64): 2 ** 53 + 1,
               np.dtype(np.float16): 2 ** 11 + 1, np.dtype(np.int64): 2 ** 63,
               np.dtype(np.int32): 2 ** 31, np.dtype(np.int16): 2 ** 15, np.dtype(np.int8): 2 ** 7,
               np.dtype(np.uint8): 2 ** 8}


@declare(function=False)
def random_(self, from_=None, to=None, *, generator=None):
    """random_(): integers over the dtype's range; random_(to): [0, to); random_(from, to)."""
    gen = _gen(generator)
    d = self._data
    if from_ is None and to is None:
        return fill_random(self, "RandomBackward2", lambda: _full_range(gen, d))
    low, high = (0, from_) if to is None else (from_, to)
    errors.long(low), errors.long(high)
    return fill_random(self, "RandomBackward1" if to is None else "RandomBackward0",
                       lambda: gen.randint(low, high, d.shape, d.dtype))


def _full_range(gen, d):
    n = d.size
    if d.dtype == np.bool_:
        return (gen._words(n) & 1).astype(np.bool_)
    wide = d.dtype in (np.int64, np.float64)
    r = gen._words64(n) if wide else gen._words(n).astype(np.uint64)
    return (r % np.uint64(_FULL_RANGE[d.dtype])).astype(d.dtype)




def _float_only(self, name, what):
    if self._data.dtype.kind not in "fV":
        raise RuntimeError(f"{what} is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {c_name(self._data.dtype)}")




@declare(function=False)
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill with Cauchy(median, sigma) samples in place."""
    _float_only(self, "cauchy_", "Cauchy distribution")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    d = self._data

    def draw():
        u = _gen(generator, "cauchy_")._unit(d.size, np.dtype(np.float64))
        return (median + sigma * libm("tan", math.pi * (u - 0.5))).astype(d.dtype)
    return fill_random(self, "CauchyBackward0", draw)


@declare(function=False)
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with exp(Normal(mean, std)) samples in place."""
    if self._data.dtype.kind not in "fV":
        raise NotImplementedError(f'"log_normal_cpu" not implemented for '
                                  f"'{self.dtype._short}'")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    d = self._data

    def draw():
        v = _gen(generator, "log_normal_")._normal_cached(d.size, mean, std)
        return libm("exp", v).astype(d.dtype)
    return fill_random(self, "LogNormalBackward0", draw)


@declare(function=False)
def geometric_(self, p, *, generator=None):
    """Fill with the number of Bernoulli(p) trials up to the first success, in place."""
    if self._data.dtype == np.bool_:
        raise NotImplementedError('"geometric_cpu" not implemented for \'Bool\'')
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    d = self._data

    def draw():
        u = _gen(generator, "geometric_")._unit(d.size, np.dtype(np.float64))
        return np.ceil(libm("log", u) / math.log1p(-p)).astype(d.dtype)
    return fill_random(self, "GeometricBackward0", draw)


@rule
def BernoulliBackward0(need, g):
    return (P.zeros_like(g),)


@declare(tensor_first=True)
def bernoulli(input, p=None, *, generator=None):
    """0/1 draws with input's values as probabilities (or p). PyTorch's nodes: a zero gradient
    (BernoulliBackward0); with p, an op without a derivative (NotImplemented)."""
    out = factories.bernoulli(input, p, generator=generator)
    if needs_grad(input):
        if p is None:
            record(out, BernoulliBackward0, (input,))
        else:
            record(out, NotImplementedBackward, (input,), ("bernoulli",))
    return out


# ----- poisson: ATen's sample_poisson, element by element in memory order ---------------------
def _poisson_one(lam, unit):
    """One draw of sample_poisson(lambda): Hormann's transformed rejection from 10 on, the
    product of uniforms below (unit() a float64 uniform from the generator)."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = unit() - 0.5
            v = unit()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x, prod = 0, 1.0
    while True:
        prod *= unit()
        if prod > enlam:
            x += 1
        else:
            return x


@rule
def PoissonBackward0(need, g):
    return (P.zeros_like(g),)


@declare(method=False, tensor_first=True)
def poisson(input, generator=None):
    """Poisson draws with input's values as rates (PyTorch's draws under manual_seed)."""
    d = input._data
    if d.dtype.kind not in "fV":
        raise NotImplementedError(f"\"poisson_cpu\" not implemented for '{input.dtype._short}'")
    if d.size and not (np.all(d >= 0) and np.all(np.isfinite(d))):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    gen = _gen(generator, "poisson")
    with _Draws(gen, d.size, "poisson") as draws:
        order = np.ascontiguousarray(d).reshape(-1).tolist()
        values = [_poisson_one(lam, draws.unit) for lam in order]
    out = Tensor._make(np.array(values, d.dtype).reshape(d.shape))
    if needs_grad(input):
        record(out, PoissonBackward0, (input,))
    return out


# ----- binomial: ATen's sample_binomial (BTRS from count * p >= 10, inversion below) ----------
_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k):
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count, p, unit):
    geom_sum, n = 0.0, 0
    logprob = math.log1p(-p)
    while True:
        geom_sum += math.ceil(math.log(unit()) / logprob)
        if geom_sum > count:
            return n
        n += 1


def _btrs(count, p, unit):
    stddev = math.sqrt(count * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = count * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((count + 1) * p)
    while True:
        u = unit() - 0.5
        v = unit()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + c)
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= bound:
            return k


def _binomial_one(count, p, unit):
    if count <= 0 or p <= 0:
        return 0.0
    if not math.isfinite(count):  # PyTorch's draw is nan for an infinite count; for a nan one
        return math.nan           # its rejection loop never ends (here nan too)
    if p >= 1:
        return count
    if p <= 0.5:
        draw = _btrs if count * p >= 10 else _binomial_inversion
        return draw(count, p, unit)
    if p > 0.5:
        q = 1.0 - p
        draw = _btrs if count * q >= 10 else _binomial_inversion
        return count - draw(count, q, unit)
    return math.nan


@declare(method=False, tensor_first="count")
def binomial(count, prob, generator=None):
    """Binomial draws of count trials with success probability prob (PyTorch's draws)."""
    if not isinstance(prob, Tensor):
        raise TypeError(f"binomial(): argument 'prob' (position 2) must be Tensor, not "
                        f"{type(prob).__name__}")
    c, p = np.broadcast_arrays(count._data, prob._data)
    if c.dtype.kind not in "fV":
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: "
                         f"{count.dtype._short}")
    gen = _gen(generator, "binomial")
    with _Draws(gen, c.size, "binomial") as draws:
        values = [_binomial_one(n, q, draws.unit) for n, q in zip(c.reshape(-1).tolist(),
                                                                   p.reshape(-1).tolist())]
    out = Tensor._make(np.array(values, c.dtype).reshape(c.shape))
    if needs_grad(count, prob):  # PyTorch's binomial has no derivative
        record(out, NotImplementedBackward, (count, prob), ("binomial",))
    return out


# ----- _standard_gamma: Marsaglia and Tsang's squeeze method, element by element ---------------
# Observed against PyTorch 2.13's draws (tests/core/test_distributions_families_torch.py): each
# candidate takes a normal from at::normal_distribution<double> (the cached Box-Muller pair)
# until 1 + c * x > 0, then a float64 uniform u; 1 - u accepts. Below concentration 1 one
# uniform first boosts: Gamma(a) = Gamma(a + 1) * (1 - u) ** (1 / a). The concentration's own
# steps (1 / a, a + 1, d = a - 1/3 with 1/3 a float32 constant) run in the tensor's dtype, the
# rest in float64, then the result is cast: so the draws agree with PyTorch's to the bit.
_THIRD = np.float32(1 / 3)
_SQUEEZE = float(np.float32(0.0331))


def _gamma_steps(alpha):
    """The concentration's own steps, for all elements at once, in alpha's dtype: (alpha as
    floats, 1 / alpha, d = alpha (+ 1 below 1) - 1/3, c = 1 / sqrt(9 d)) as lists of floats."""
    one = alpha.dtype.type(1)
    with np.errstate(all="ignore"):
        inverse = one / alpha
        d = (np.where(alpha < 1, alpha + one, alpha) - alpha.dtype.type(_THIRD)).astype(np.float64)
        c = 1.0 / np.sqrt(9.0 * d)
    return alpha.tolist(), inverse.astype(np.float64).tolist(), d.tolist(), c.tolist()


def _gamma_one(alpha, inverse, d, c, unit, normal):
    """One Gamma(alpha, 1) draw; inverse, d, c: _gamma_steps's for alpha."""
    if alpha <= 0:
        return 0.0
    scale = 1.0
    if alpha < 1:
        scale = (1.0 - unit()) ** inverse
    while True:
        x = normal()
        y = 1.0 + c * x
        while y <= 0:
            x = normal()
            y = 1.0 + c * x
        v = y * y * y
        u = 1.0 - unit()
        xx = x * x
        if u < 1.0 - _SQUEEZE * xx * xx or math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def standard_gamma_grad(alpha, x):
    """d x / d alpha for x ~ Gamma(alpha, 1) held at its quantile (the implicit
    reparameterization): -(dP(alpha, x) / d alpha) / density(x). The alpha-derivative of the
    regularized incomplete gamma is a central difference in float64, taken on whichever of
    P and Q = 1 - P is the smaller (so the difference keeps its digits)."""
    a, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(x, np.float64))
    out = np.zeros(a.shape)
    with np.errstate(all="ignore"):
        h = 1e-5 * np.maximum(a, 1.0)
        p = regularized_gamma(a, x, False)
        upper = p > 0.5
        lo = np.where(a - h > 0, a - h, a)
        step = a + h - lo

        def d_by_da(is_upper):
            return (regularized_gamma(a + h, x, is_upper)
                    - regularized_gamma(lo, x, is_upper)) / step
        dp = np.where(upper, -d_by_da(True), d_by_da(False))
        log_density = (a - 1) * np.log(x) - x - np.vectorize(math.lgamma)(np.where(a > 0, a, 1.0))
        out = -dp / np.exp(log_density)
    out[~np.isfinite(out)] = 0.0
    return out


@rule
def StandardGammaBackward0(need, g, self, result):
    return (g * standard_gamma_grad(self, result).astype(np.asarray(result).dtype),)


def standard_gamma(input, generator=None):
    """Gamma(input, 1) draws (PyTorch's torch._standard_gamma under manual_seed),
    reparameterized: the gradient with respect to the concentration is the implicit one.
    (Not bound as torch._standard_gamma: the torch namespace offers no private names; the
    distributions call it.)"""
    d = input._data
    if d.dtype.kind != "f":
        raise NotImplementedError(f"\"gamma_cpu\" not implemented for '{input.dtype._short}'")
    gen = _gen(generator, "_standard_gamma")
    order = np.ascontiguousarray(d).reshape(-1)
    tiny = np.finfo(d.dtype).tiny
    with _Draws(gen, d.size, "a gamma draw") as draws:
        values = [_gamma_one(*steps, draws.unit, draws.normal)
                  for steps in zip(*_gamma_steps(order))]
    values = np.array(values, np.float64).astype(d.dtype)
    values = np.maximum(values, tiny)  # PyTorch's draws are never 0, even at concentration 0
    out = Tensor._make(values.reshape(d.shape))
    if needs_grad(input):
        record(out, StandardGammaBackward0, (input,), (d.copy(), out._data.copy()))
    return out


def sample_dirichlet(input, generator=None):
    """Dirichlet draws with input's last dim as concentrations (PyTorch's
    torch._sample_dirichlet, not bound either): a float64
    gamma draw per entry in memory order (the concentration taken as float64, whatever the
    dtype), kept above float64's smallest normal number, each row divided by its sum in
    float64, kept within [the dtype's smallest normal, the dtype's largest value below 1],
    then cast. Observed against PyTorch 2.13's draws in both float dtypes."""
    d = input._data
    if d.dtype.kind != "f":
        raise NotImplementedError(f"\"dirichlet\" not implemented for '{input.dtype._short}'")
    gen = _gen(generator, "_sample_dirichlet")
    order = np.ascontiguousarray(d, np.float64).reshape(-1)
    with _Draws(gen, d.size, "a Dirichlet draw") as draws:
        g = [_gamma_one(*steps, draws.unit, draws.normal) for steps in zip(*_gamma_steps(order))]
    g = np.array(g, np.float64).reshape(d.shape)
    g = np.maximum(g, np.finfo(np.float64).tiny)
    x = g / g.sum(-1, keepdims=True)
    info = np.finfo(d.dtype)
    x = np.clip(x, info.tiny, np.nextafter(d.dtype.type(1), d.dtype.type(0))).astype(d.dtype)
    return Tensor._make(x)
