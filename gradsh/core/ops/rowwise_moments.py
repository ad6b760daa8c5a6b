"""float32 layer_norm and group_norm (forward and backward) as PyTorch 2.13's CPU kernels compute
them, found by experiment against PyTorch on an AVX2 CPU (tools/record_norm_kernels.py) and
written with numpy, vectorized over the rows. The moments of each row are ATen's
`RowwiseMoments` over L float lanes (PyTorch's vector: 8 on AVX2; 16 on AVX-512, assumed to follow
the same order, not measured):

Per row of N elements, in float32:
- the first L * (N // L) elements are vectors of L lanes, taken in chunks of 16 vectors (the last
  chunk may be shorter); in each chunk every lane runs Welford's update from zero over its
  vectors: `d = x - m1; m1 = fma(d, 1 / (j + 1), m1); m2 = fma(d, x - m1, m2)`;
- the chunks' moments are merged into a binary cascade (as a counter's carries: after chunk i,
  level j - 1 is merged into level j while bit j - 1 of i + 1 is 0 and j < depth, depth =
  ceil(log2(chunks))), then levels 1.. are merged into level 0 in order; a merge of (n_b, m1_b,
  m2_b) into (n_a, m1_a, m2_a) is `c = n_b / (n_a + n_b); d = m1_b - m1_a; m1_a = m1_a + c * d;
  m2_a = fma(d, (d * c) * n_a, m2_a + m2_b)`;
- the N % L elements left run Welford's update (unfused) from zero, one after another;
- then the L lanes are merged into that one after another, lane 0 first: `c = n_b / n;
  d = m1_b - m1; m1 = fma(c, d, m1); m2 = m2 + fma((d * d) * c, n_a, m2_b)`.
The variance is m2 / N (the population variance; layer_norm's), rstd is `1 / sqrt(var + eps)`
in float32.
"""

import numpy as np

from ..fma import _fma32 as _fma32_exact
from .expf import _LANES as LANES, _product_sum, reduce_all_sum as vector_sum

CHUNK = 16
_F = np.float32
_ABS, _LOW29, _TIE29 = 0x7FFFFFFFFFFFFFFF, 0x1FFFFFFF, 0x10000000
_NORMAL32_LO, _NORMAL32_SPAN = 897 << 52, np.uint64(1150 << 52)


def _rounds_wrong(s, p, c):
    """Where the float64 sum s = p + c (p a product of two floats, exact in float64) may not
    round to float32 as the exact p + c does: s inexact and on a float32 tie, or outside
    float32's normal range (an exact zero excepted)."""
    bits = s.view(np.int64)  # p and c broadcast to s's shape
    hard = ((bits & _ABS) - _NORMAL32_LO).view(np.uint64) >= _NORMAL32_SPAN
    hard &= s != 0
    tie = (bits & _LOW29) == _TIE29
    if tie.any():
        part = s - c  # TwoSum's error: zero where the float64 sum was exact
        hard |= tie & ((c - (s - part)) + (p - part) != 0)
    return hard


def _fma32(a, b, c):
    """float32 fma(a, b, c) rounded once: fma.py's _fma32, quicker where the float64 sum is
    exact on a float32 tie (common here: Welford's 1 / (j + 1), sums of float32 values), which
    rounds right without its round-to-odd path."""
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    c64 = np.asarray(c, np.float64)
    s = np.asarray(p + c64)
    if _rounds_wrong(s, p, c64).any():
        return _fma32_exact(a, b, c)
    return s.astype(_F)


def _merge_vec(a, b):
    """Merge moments b = (n, m1, m2) into a (the vector form), returning the new a; m1 and m2 are
    arrays of any shape, n a Python int (all lanes share it)."""
    na, m1, m2 = a
    nb, m1b, m2b = b
    n = na + nb
    if n == 0:
        return a
    c = _F(nb) / _F(n)
    d = m1b - m1
    return (n, m1 + c * d, _fma32(d, (d * c) * _F(na), m2 + m2b))


def _chunk_welford(v):
    """Welford's update over axis -2 of v (..., k, LANES) from zero, k <= CHUNK: (m1, m2)."""
    m1 = v[..., 0, :].copy()  # the first step, exactly: d = x, m1 = x, m2 = +0
    m2 = np.zeros_like(m1)
    for j in range(1, v.shape[-2]):
        x = v[..., j, :]
        d = x - m1
        m1 = _fma32(d, _F(1) / _F(j + 1), m1)
        m2 = _fma32(d, x - m1, m2)
    return m1, m2


def rowwise_moments(rows):
    """(mean, var) of each row of the float32 array rows (R, N), as PyTorch's RowwiseMoments:
    float32 arrays of shape (R,); var is the population variance (m2 / N)."""
    rows = np.ascontiguousarray(rows, _F)
    r, size = rows.shape
    nvec = size // LANES
    full, part = divmod(nvec, CHUNK)
    chunks = []  # each (count, m1, m2) of shape (R, LANES)
    if full:
        v = rows[:, :full * CHUNK * LANES].reshape(r, full, CHUNK, LANES)
        m1, m2 = _chunk_welford(v)
        chunks += [(CHUNK, m1[:, i], m2[:, i]) for i in range(full)]
    if part:
        start = full * CHUNK * LANES
        m1, m2 = _chunk_welford(rows[:, start:start + part * LANES].reshape(r, part, LANES))
        chunks.append((part, m1, m2))
    depth = (len(chunks) - 1).bit_length() if chunks else 0
    zero = (0, np.zeros((r, LANES), _F), np.zeros((r, LANES), _F))
    stack = [zero] * max(depth, 1)
    for i, chunk in enumerate(chunks):
        stack[0] = _merge_vec(stack[0], chunk)
        mask, j = i + 1, 1
        while j < depth and not mask & 1:
            stack[j] = _merge_vec(stack[j], stack[j - 1])
            stack[j - 1] = zero
            mask >>= 1
            j += 1
    for j in range(1, depth):
        stack[0] = _merge_vec(stack[0], stack[j])
    # the elements after the last whole vector, one after another
    m1 = np.zeros(r, _F)
    m2 = np.zeros(r, _F)
    count = 0
    for i in range(nvec * LANES, size):
        x = rows[:, i]
        d = x - m1
        count += 1
        m1 = m1 + d / _F(count)
        m2 = m2 + d * (x - m1)
    if nvec:
        _, lm1, lm2 = stack[0]
        for lane in range(LANES):
            n = count + nvec
            c = _F(nvec) / _F(n)
            d = lm1[:, lane] - m1
            m1 = _fma32(c, d, m1)
            m2 = m2 + _fma32((d * d) * c, _F(count), lm2[:, lane])
            count = n
    return m1, m2 / _F(size)


def layer_norm_rows(x, size, eps, weight=None, bias=None):
    """float32 layer_norm of x over its last `size` elements per row, as PyTorch's CPU kernel
    (LayerNormKernelImpl): rstd = 1 / sqrt(var + eps) in float32, then (x - mean) * rstd,
    times weight (an array of `size` elements) and plus bias as one fused multiply-add when
    both are given, times weight alone when only it is. A bias alone is added after (PyTorch's
    last bit there is not reproduced)."""
    rows = np.ascontiguousarray(x, _F).reshape(-1, size)
    mean, var = rowwise_moments(rows)
    rstd = _F(1) / np.sqrt(var + _F(eps))
    out = (rows - mean[:, None]) * rstd[:, None]
    w = None if weight is None else np.asarray(weight, _F).reshape(-1)
    b = None if bias is None else np.asarray(bias, _F).reshape(-1)
    if w is not None and b is not None:
        out = _fma32(out, w, b)
    elif w is not None:
        out = out * w
    elif b is not None:
        out = out + b
    return out.reshape(x.shape)


def group_norm_rows(x, groups, eps, weight=None, bias=None):
    """float32 group_norm of a contiguous x (N, C, *) as PyTorch's CPU kernel (GroupNormKernel-
    Impl): the moments of each (sample, group), rstd = 1 / sqrt(var + eps) in double rounded to
    float32; without weight and bias (x - mean) * rstd, with either of them per channel
    scale = rstd * weight, shift = fma(-scale, mean, bias) and x as fma(x, scale, shift)."""
    n, c = x.shape[:2]
    rows = np.ascontiguousarray(x, _F).reshape(n * groups, -1)
    mean, var = rowwise_moments(rows)
    rstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(_F)
    if weight is None and bias is None:
        return ((rows - mean[:, None]) * rstd[:, None]).reshape(x.shape)
    per = c // groups
    mean = np.repeat(mean.reshape(n, groups), per, axis=1)[:, :, None]
    scale = np.repeat(rstd.reshape(n, groups), per, axis=1)[:, :, None]
    if weight is not None:
        scale = scale * np.asarray(weight, _F).reshape(1, c, 1)
    shift = np.zeros((1, c, 1), _F) if bias is None else np.asarray(bias, _F).reshape(1, c, 1)
    shift = _fma32(-scale, mean, shift)
    return _fma32(rows.reshape(n, c, -1), scale, shift).reshape(x.shape)


def _channel_dot(a, w):
    """Per (sample, group) the sum over its D channels of a * w, a (N, G, D): the order PyTorch's
    kernel gives it for D < 8 (measured; fewer than 4 channels by fused multiply-adds, 4 to 7 the
    first four products added one by one and the rest fused); for D >= 8 the products added one
    by one, which matches PyTorch for some D (8, 12) and not others (docs/autograd.md)."""
    d = a.shape[2]
    acc = np.zeros(a.shape[:2], _F)
    for k in range(d):
        fused = d < 4 or (d < 8 and k >= 4)
        if fused:
            acc = _fma32(a[:, :, k], w[:, k], acc)
        else:
            acc = acc + a[:, :, k] * w[:, k]
    return acc


def group_norm_backward_rows(need, g, x, weight, groups, eps):
    """float32 group_norm's gradients (input, weight, bias) of a contiguous x as PyTorch's CPU
    kernel computes them on one thread (found by experiment): per (sample, channel)
    db = sum(g) and ds = sum(g * x) over the plane as vector sums (`vector_sum`: vec::reduce_all's order,
    products rounded); the weight's gradient over the samples one after another,
    dw = fma(fma(-db, mean, ds), rstd, dw), the bias's db added; the input's, per (sample,
    group) with s = 1 / (D * plane), dsg and dbg the channels' ds and db dotted with the weight
    (`_channel_dot`): b = fma(dbg, mean, -dsg) * rstd**3 * s, c = fma(-dbg * rstd, s, -b * mean),
    dx = fma(rstd * w, g, b * x) + c."""
    n, c = x.shape[:2]
    per = c // groups
    plane = x.size // (n * c) if n * c else 0
    xr = np.ascontiguousarray(x, _F).reshape(n, c, plane)
    gr = np.ascontiguousarray(g, _F).reshape(n, c, plane)
    db = vector_sum(gr.reshape(n * c, plane)).reshape(n, c)
    ds = vector_sum((gr * xr).reshape(n * c, plane)).reshape(n, c)
    mean, var = rowwise_moments(xr.reshape(n * groups, -1))
    rstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(_F)
    mean, rstd = mean.reshape(n, groups), rstd.reshape(n, groups)
    mean_c, rstd_c = np.repeat(mean, per, axis=1), np.repeat(rstd, per, axis=1)
    gx = gw = gb = None
    if need[0]:
        w = np.ones(c, _F) if weight is None else np.asarray(weight, _F).reshape(c)
        wg = w.reshape(groups, per)
        dsg = _channel_dot(ds.reshape(n, groups, per), wg)
        dbg = _channel_dot(db.reshape(n, groups, per), wg)
        s = _F(1) / _F(per * plane)
        b = _fma32(dbg, mean, -dsg) * rstd * rstd * rstd * s
        cc = _fma32(-dbg * rstd, s, -b * mean)
        b_c = np.repeat(b, per, axis=1)[:, :, None]
        c_c = np.repeat(cc, per, axis=1)[:, :, None]
        gx = (_fma32((rstd_c * w)[:, :, None], gr, b_c * xr) + c_c).reshape(x.shape)
    if need[1]:
        gw = fused_row_sum(_fma32(-db, mean_c, ds), rstd_c)
    if need[2]:
        gb = np.add.accumulate(db, axis=0, dtype=_F)[-1] + _F(0)
    return gx, gw, gb


def layer_norm_backward_rows(need, g, x, weight, size, eps):
    """float32 layer_norm's gradients for (input, weight, bias) as PyTorch's CPU kernel computes
    them on one thread (found by experiment): per row, with the forward's mean and rstd,
    ds = sum((x * g) * w) and db = sum(g * w) (without w: sum(x * g) and sum(g)) as
    vec::map2_reduce_all adds them (`_product_sum`: the partial last vector fused);
    b = fma(db, mean, -ds) * rstd**3 / N, c = fma(-b, mean, -(db * rstd / N)),
    dx = fma(b, x, rstd * g * w) + c; the weight's gradient g * fma(x, rstd, -mean * rstd) and
    the bias's g added into a buffer row after row (the first fused)."""
    shape = x.shape
    x = np.ascontiguousarray(x, _F).reshape(-1, size)
    g = np.ascontiguousarray(g, _F).reshape(-1, size)
    mean, var = rowwise_moments(x)
    rstd = (_F(1) / np.sqrt(var + _F(eps)))[:, None]
    mean = mean[:, None]
    gx = gw = gb = None
    if need[0]:
        scale = _F(1) / _F(size)
        if weight is None:
            ds, db, gscaled = _product_sum(x, g), vector_sum(g), rstd * g
        else:
            w = np.broadcast_to(np.asarray(weight, _F).reshape(size), x.shape)
            ds, db, gscaled = _product_sum(x * g, w), _product_sum(g, w), (rstd * g) * w
        ds, db = ds[:, None], db[:, None]
        b = _fma32(db, mean, -ds) * rstd * rstd * rstd * scale
        c = _fma32(-b, mean, -(db * rstd * scale))
        gx = (_fma32(b, x, gscaled) + c).reshape(shape)
    if need[1]:
        gw = fused_row_sum(g, _fma32(x, rstd, -mean * rstd))
    if need[2]:
        gb = np.add.accumulate(g, axis=0, dtype=_F)[-1] + _F(0)  # row after row, from +0
    return (gx, gw, gb)


def fused_row_sum(a, b):
    """acc = fma(a[i], b[i], acc) for the rows i of float32 (R, n) arrays one after another,
    from +0: each sum in float64 (exact products) rounded to float32, the sums that may round
    otherwise than the exact ones (`_rounds_wrong`) looked for at once at the end and, if any,
    the whole sum redone by exact fused multiply-adds."""
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    acc = np.zeros(p.shape[1], np.float64)
    sums = np.empty_like(p)
    for i in range(p.shape[0]):
        sums[i] = acc + p[i]
        acc = sums[i].astype(_F).astype(np.float64)
    before = np.zeros_like(p)
    before[1:] = sums[:-1].astype(_F)
    if _rounds_wrong(sums, p, before).any():
        out = np.zeros(p.shape[1], _F)
        for i in range(p.shape[0]):
            out = _fma32_exact(a[i], b[i], out)
        return out
    return acc.astype(_F)
