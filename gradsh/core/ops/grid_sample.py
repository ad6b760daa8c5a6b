"""F.affine_grid and F.grid_sample (the spatial transformer's building blocks), as PyTorch's CPU
kernels compute them.

affine_grid is PyTorch's composition (AffineGridGenerator.cpp): a base grid of linspace(-1, 1)
coordinates (scaled by (n - 1) / n without align_corners) times theta transposed, by bmm; its
gradient (AffineGridGeneratorBackward0) is the same composition transposed, written with the
library's ops so that a graph records it (TransposeBackward0, BmmBackward0).

grid_sample's 2-d kernel is PyTorch's vectorized one (cpu/GridSamplerKernel.cpp): coordinates
unnormalized as `(x + 1) * scale (- 0.5)`, padded (border: clipped, NaN to 0; reflection:
folded by trunc(|x| / 2span)), the bilinear weights from the distances to the four sides, the
bicubic ones from the cubic convolution (A = -0.75), nearest by rounding half to even. Where
the compiler fuses `a * b + c` in that kernel, gradsh fuses too (gradsh/core/fma.py). The 3-d
kernel is PyTorch's scalar one (GridSampler.cpp: the eight corners' weights as products of
distances, `fmod` reflection). The backward adds into grad_input in the kernels' order: for
the 2-d one, per vector of grid points (16 float32 lanes on AVX-512, 8 on AVX2; along the
flattened output when the grid is contiguous, else row by row), channel by channel, corner
by corner, lane by lane; grad_grid sums over the channels in order.
"""


import numpy as np

from ..fma import _fma32, _fma64
from ..ranges import linspace_values
from .base import make, needs_grad, record, record_multi, save
from .expf import _LANES
from .registry import declare
from ..node import node_class
from ..tensor import TENSOR_TYPES
from .. import errors

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")
_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to "
                  "align_corners=False since 1.3.0. Please specify align_corners=True if the old "
                  "behavior is desired. See the documentation of grid_sample for details.")


def _fma(a, b, c):
    """a * b + c rounded once, in a's float type (the kernel's fused multiply-adds)."""
    a, b, c = np.broadcast_arrays(a, b, c)
    return _fma32(a, b, c) if a.dtype == np.float32 else _fma64(a, b, c)


def _int32(x):
    """convert_to_int_of_same_size: truncation; NaN and out-of-range values become INT_MIN."""
    dt = np.int32 if x.dtype == np.float32 else np.int64
    info = np.iinfo(dt)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(x) < -float(info.min))
        return np.where(bad, info.min, np.trunc(np.where(bad, 0, x))).astype(np.int64)


# ----- affine_grid -------------------------------------------------------------------------------
def _linspace_from_neg_one(steps, align_corners, dtype):
    if steps <= 1:
        return np.zeros((), dtype)
    r = linspace_values(-1, 1, steps, dtype)
    if not align_corners:
        r = (r * dtype.type(steps - 1)) / dtype.type(steps)
    return r


def _base_grid(spatial, align_corners, dtype):
    """make_base_grid_4D / 5D: (spatial..., nd + 1) of the x, y (, z) coordinates and ones."""
    nd = len(spatial)
    base = np.empty(tuple(spatial) + (nd + 1,), dtype)
    for k in range(nd):  # k = 0 is x (the last dim, W), then y (H), then z (D)
        line = _linspace_from_neg_one(spatial[nd - 1 - k], align_corners, dtype)
        base[..., k] = line.reshape((-1,) + (1,) * k) if line.ndim else line
    base[..., nd] = 1
    return base


def _bmm_sequential(a, b):
    """a @ b with each dot product added term by term, unfused: what PyTorch's bmm gives for
    affine_grid's products (measured: its kernels' results for a contraction of 3 or 4)."""
    out = np.zeros(a.shape[:-1] + b.shape[-1:], a.dtype)
    for k in range(a.shape[-1]):
        out += a[..., :, k:k + 1] * b[..., k:k + 1, :]
    return out


def AffineGridGeneratorBackward0(need, g, size, align_corners):
    """affine_grid_generator_backward: base.view(N, P, nd + 1).transpose(1, 2).bmm(grad.view(N,
    P, nd)).transpose(1, 2), with the library's ops (a graph under create_graph)."""
    graph = type(g) in TENSOR_TYPES
    gt = g if graph else make(g)
    nd = len(size) - 2
    n, points = size[0], int(np.prod(size[2:]))
    base = make(_base_grid(size[2:], align_corners, gt._data.dtype)).expand(
        (n,) + tuple(size[2:]) + (nd + 1,))
    grad = base.reshape(n, points, nd + 1).transpose(1, 2).bmm(gt.reshape(n, points, nd))
    grad = grad.transpose(1, 2)
    return (grad if graph else grad._data,)


_AFFINE_NODE = node_class("AffineGridGeneratorBackward0", AffineGridGeneratorBackward0,
                          saved_names=("size", "align_corners"))


@declare(method=False, function=False, nn=True)
def affine_grid(theta, size, align_corners=None):
    if align_corners is None:
        errors.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = size[-3:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        errors.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    size = [int(s) for s in size]
    nd = len(size) - 2
    n, points = size[0], int(np.prod(size[2:]))
    th = theta._data
    base = np.broadcast_to(_base_grid(size[2:], align_corners, th.dtype),
                           (n,) + tuple(size[2:]) + (nd + 1,)).reshape(n, points, nd + 1)
    out = make(_bmm_sequential(base, np.swapaxes(th, 1, 2)).reshape([n] + size[2:] + [nd]))
    if needs_grad(theta):
        record(out, _AFFINE_NODE, (theta,), (save(size, "size"), save(align_corners,
                                                                     "align_corners")))
    return out


# ----- grid_sample: coordinates -------------------------------------------------------------------
class _Axis:
    """One spatial dim of the input: ComputeLocation of the 2-d kernel (vectorized) and
    grid_sampler_compute_source_index of the 3-d one (scalar, `vector=False`)."""

    def __init__(self, size, padding, align_corners, dtype, vector=True):
        f = dtype.type
        self.f, self.size, self.padding, self.align, self.vector = f, size, padding, \
            align_corners, vector
        self.max = f(size - 1)
        self.scale = f(size - 1) / f(2) if align_corners else f(size) / f(2)
        self.low = f(0) if align_corners else f(-0.5)
        self.twice = f(size - 1) * f(2) if align_corners else f(size) * f(2)
        self.empty = size <= 1 if align_corners else size <= 0

    def unnormalize(self, x):
        f = self.f
        if not self.vector:  # GridSampler.h's scalar formulas
            if self.align:
                return ((x + f(1)) / f(2)) * f(self.size - 1)
            return ((x + f(1)) * f(self.size) - f(1)) / f(2)
        if self.align:
            return (x + f(1)) * self.scale
        return _fma(x + f(1), self.scale, f(-0.5))

    def clip(self, x):
        """Clamped to [0, size - 1], NaN to 0 (the kernels' operand order)."""
        return np.minimum(np.fmax(x, self.f(0)), self.max)

    def reflect(self, x):
        f = self.f
        if not self.vector:
            return self._reflect_scalar(x)[0]
        if self.align and self.empty:
            return np.zeros_like(x)
        a = np.abs(x - self.low)
        flips = np.trunc(a / self.twice)
        extra = _fma(-flips, self.twice, a)
        return np.minimum(extra, self.twice - extra) + (self.low if not self.align else f(0))

    def _reflect_scalar(self, x):
        """reflect_coordinates(_set_grad): fmod by the span, an odd number of flips mirrors."""
        f = self.f
        twice_low, twice_high = (0, 2 * (self.size - 1)) if self.align else \
            (-1, 2 * self.size - 1)
        if twice_low == twice_high:
            return np.zeros_like(x), np.zeros_like(x)
        lo = f(twice_low) / f(2)
        span = f(twice_high - twice_low) / f(2)
        shifted = x - lo
        sign = np.where(shifted < 0, f(-1), f(1))
        a = np.abs(shifted)
        extra = np.fmod(a, span)
        with np.errstate(invalid="ignore"):
            odd = (np.floor(a / span) % 2) == 1
        return np.where(odd, span - extra + lo, extra + lo), np.where(odd, -sign, sign)

    def apply(self, x):
        x = self.unnormalize(x)
        if self.padding == 1:
            return self.clip(x)
        if self.padding == 2:
            return self.clip(self.reflect(x))
        return x

    def apply_get_grad(self, x):
        """The coordinate and its derivative with respect to the grid value."""
        f = self.f
        x = self.unnormalize(x)
        mult = np.full_like(x, self.scale if self.vector else
                            (f(self.size - 1) / f(2) if self.align else f(self.size) / f(2)))
        if self.padding == 0:
            return x, mult
        if self.padding == 2:
            if self.vector:
                x, refl = self._reflect_vector_grad(x)
            else:
                x, refl = self._reflect_scalar(x)
            mult = refl * mult
        inside = self._inside(x)
        if self.vector:  # a bit mask: +0 outside
            return self.clip(x), np.where(inside, mult, f(0))
        return self.clip(x), mult * inside.astype(x.dtype)  # a product: -0 keeps its sign

    def _inside(self, x):
        """clip's gradient: 1 strictly inside (0, size - 1), NaN counted inside by the vector
        kernel's bit comparisons, outside by the scalar one's."""
        if self.vector:
            lo = np.maximum(x, self.f(0))
            return (lo != 0) & (np.minimum(lo, self.max) != self.max) | np.isnan(x)
        return (x > 0) & (x < self.max)

    def _reflect_vector_grad(self, x):
        f = self.f
        if self.align and self.empty:
            return np.zeros_like(x), np.zeros_like(x)
        shifted = x - self.low
        a = np.abs(shifted)
        flips = np.trunc(a / self.twice)
        extra = _fma(-flips, self.twice, a)
        reflected = self.twice - extra
        more = extra > reflected
        value = np.where(more, reflected, extra) + (self.low if not self.align else f(0))
        return value, np.where(more ^ (shifted < 0), f(-1), f(1))

    def coordinates(self, x):
        """compute_coordinates: padding applied to an already unnormalized position (bicubic)."""
        if self.padding == 1:
            return self.clip(x)
        if self.padding == 2:
            return self.clip(self.reflect(x))
        return x


# ----- grid_sample: the 2-d kernel ----------------------------------------------------------------
class _Planes:
    """The input's planes (N, C, H*W) and reads of them at integer positions (0 where the mask
    is False), and the positions' flat offsets."""

    def __init__(self, inp):
        self.n, self.c = inp.shape[:2]
        self.spatial = inp.shape[2:]
        self.flat = np.ascontiguousarray(inp).reshape(self.n, self.c, -1)

    def offset(self, idx):
        """Flat offsets of integer positions (per spatial dim, (N, P) each)."""
        out = 0
        for i, size in zip(idx, self.spatial):
            out = out * size + i
        return out

    def read(self, idx, mask):
        """(N, C, P) values at the positions."""
        safe = [np.where(mask, i, 0) for i in idx]
        at = np.broadcast_to(self.offset(safe)[:, None, :], (self.n, self.c, safe[0].shape[-1]))
        values = np.take_along_axis(self.flat, at, axis=2)
        return np.where(mask[:, None, :], values, values.dtype.type(0))


def _bounds(i, size, padding):
    return np.ones(i.shape, bool) if padding else (i > -1) & (i < size)


def _bilinear_params(x, y, H, W, padding):
    """compute_interp_params: the distances, the four weights, masks and corner positions."""
    one = x.dtype.type(1)
    x_w, y_n = np.floor(x), np.floor(y)
    w = x - x_w
    e = one - w
    n = y - y_n
    s = one - n
    weights = (s * e, s * w, n * e, n * w)
    ixw, iyn = _int32(x_w), _int32(y_n)
    ixe, iys = ixw + 1, iyn + 1
    wm, nm = _bounds(ixw, W, padding), _bounds(iyn, H, padding)
    em = ixe < W if padding else (ixe > -1) & (ixe < W)
    sm = iys < H if padding else (iys > -1) & (iys < H)
    corners = (((iyn, ixw), wm & nm), ((iyn, ixe), em & nm), ((iys, ixw), wm & sm),
               ((iys, ixe), em & sm))
    return (n, s, w, e), weights, corners


def _cubic(t):
    """get_cubic_coefficients (A = -0.75) as the compiled kernel evaluates them: the two
    inner ones with their multiply-adds fused, the outer two not."""
    f = t.dtype.type
    A = f(-0.75)

    def outer(x):
        return ((A * x - f(5) * A) * x + f(8) * A) * x - f(4) * A

    def inner(x):
        return _fma(_fma(A + f(2), x, -(A + f(3))) * x, x, f(1))

    return (outer(t + f(1)), inner(t), inner(f(1) - t), outer(f(2) - t))


def _cubic_grad(t):
    """get_cubic_coefficients_grad (unfused)."""
    f = t.dtype.type
    A = f(-0.75)
    x0, x1, x2, x3 = f(-1) - t, f(0) - t, f(1) - t, f(2) - t
    return ((f(-3) * A * x0 - f(10) * A) * x0 - f(8) * A,
            (f(-3) * (A + f(2)) * x1 - f(2) * (A + f(3))) * x1,
            (f(3) * (A + f(2)) * x2 - f(2) * (A + f(3))) * x2,
            (f(3) * A * x3 - f(10) * A) * x3 + f(8) * A)


def _chain(weights, values):
    """w0 * v0 + w1 * v1 + ... with each later product fused into the running sum."""
    out = values[0] * weights[0]
    for w, v in zip(weights[1:], values[1:]):
        out = _fma(v, w, out)
    return out


def _cubic_row(weights, values):
    """The x interpolation's sum: its first product fused with the second, then plain adds."""
    out = _fma(weights[0], values[0], weights[1] * values[1])
    return out + weights[2] * values[2] + weights[3] * values[3]


def _bicubic_taps(axW, axH, x, y, H, W, padding):
    """The 16 taps (i over x, j over y): positions and masks, via compute_coordinates."""
    f = x.dtype.type
    ix, iy = np.floor(x), np.floor(y)
    taps = {}
    for i in range(4):
        for j in range(4):
            xx = _int32(axW.coordinates(ix + f(i - 1)))
            yy = _int32(axH.coordinates(iy + f(j - 1)))
            taps[i, j] = ((yy, xx), _bounds(xx, W, padding) & _bounds(yy, H, padding))
    return ix, iy, taps


def _sample_2d(inp, grid, mode, padding, align):
    """Forward: (N, C, Ho, Wo)."""
    N, C, H, W = inp.shape
    Ho, Wo = grid.shape[1:3]
    gx, gy = grid[..., 0].reshape(N, -1), grid[..., 1].reshape(N, -1)
    axW, axH = _Axis(W, padding, align, inp.dtype), _Axis(H, padding, align, inp.dtype)
    planes = _Planes(inp)
    if mode == 0:
        x, y = axW.apply(gx), axH.apply(gy)
        _, weights, corners = _bilinear_params(x, y, H, W, padding)
        values = [planes.read(idx, m) for idx, m in corners]
        out = _chain([w[:, None, :] for w in weights], values)
    elif mode == 1:
        x, y = axW.apply(gx), axH.apply(gy)
        ix, iy = _int32(np.rint(x)), _int32(np.rint(y))
        out = planes.read((iy, ix), _bounds(ix, W, padding) & _bounds(iy, H, padding))
    else:
        x, y = axW.unnormalize(gx), axH.unnormalize(gy)
        ix, iy, taps = _bicubic_taps(axW, axH, x, y, H, W, padding)
        cx, cy = _cubic(x - ix), _cubic(y - iy)
        rows = [_cubic_row([c[:, None, :] for c in cx], [planes.read(*taps[i, j])
                                                          for i in range(4)]) for j in range(4)]
        out = _chain([c[:, None, :] for c in cy], rows)
    return out.reshape(N, C, Ho, Wo)


def _lane_order(grid, P, K):
    """The order the 2-d backward adds (corner k, point p) into grad_input: per vector of
    points (along the flattened output when the grid's H, W are contiguous, else per row),
    corner by corner, lane by lane. Returns a permutation of the K * P pairs (k-major)."""
    lanes = _LANES if grid.dtype == np.float32 else _LANES // 2
    Ho, Wo = grid.shape[1:3]
    item = grid.itemsize
    sH, sW = grid.strides[1] // item, grid.strides[2] // item
    flat = grid[0].flags.c_contiguous or ((sW == 1 or Wo == 1) and (sH == Wo or Ho == 1))
    p = np.arange(P)
    if flat:
        chunk, lane = p // lanes, p % lanes
    else:
        row, col = p // Wo, p % Wo
        per_row = -(-Wo // lanes)
        chunk, lane = row * per_row + col // lanes, col % lanes
    key = (chunk[None, :] * K + np.arange(K)[:, None]) * lanes + lane[None, :]
    return np.argsort(key.ravel(), kind="stable")


def _scatter(planes_shape, contributions, offsets, masks, order):
    """grad_input: contributions (K of (N, C, P)) added at offsets (K of (N, P)) where masked,
    in `order` (a permutation of the K * P pairs) for every plane."""
    N, C, size = planes_shape
    vals = np.stack(contributions, 1)  # (N, K, C, P)
    K, P = vals.shape[1], vals.shape[3]
    vals = vals.transpose(0, 2, 1, 3).reshape(N, C, K * P)[:, :, order]
    at = np.stack([np.where(m, o, 0) for o, m in zip(offsets, masks)], 1).reshape(N, K * P)
    keep = np.stack(masks, 1).reshape(N, K * P)
    at, keep = at[:, order], keep[:, order]
    vals = np.where(keep[:, None, :], vals, vals.dtype.type(0))
    out = np.zeros((N * C, size), vals.dtype)
    rows = np.arange(N * C)[:, None]
    np.add.at(out, (rows, np.broadcast_to(at[:, None, :], vals.shape).reshape(N * C, -1)),
              vals.reshape(N * C, -1))
    return out


def _sample_2d_backward(g, inp, grid, mode, padding, align, need_input):
    N, C, H, W = inp.shape
    P = grid.shape[1] * grid.shape[2]
    gx, gy = grid[..., 0].reshape(N, -1), grid[..., 1].reshape(N, -1)
    axW, axH = _Axis(W, padding, align, inp.dtype), _Axis(H, padding, align, inp.dtype)
    planes = _Planes(inp)
    g = np.ascontiguousarray(g).reshape(N, C, P)
    grad_input = None
    if mode == 1:
        x, y = axW.apply(gx), axH.apply(gy)
        ix, iy = _int32(np.rint(x)), _int32(np.rint(y))
        mask = _bounds(ix, W, padding) & _bounds(iy, H, padding)
        if need_input:
            grad_input = _scatter((N, C, H * W), [g], [planes.offset((iy, ix))], [mask],
                                  _lane_order(grid, P, 1)).reshape(inp.shape)
        return grad_input, np.zeros(grid.shape, inp.dtype)
    if mode == 0:
        x, gxm = axW.apply_get_grad(gx)
        y, gym = axH.apply_get_grad(gy)
        (n, s, w, e), weights, corners = _bilinear_params(x, y, H, W, padding)
        if need_input:
            grad_input = _scatter((N, C, H * W), [wt[:, None, :] * g for wt in weights],
                                  [planes.offset(idx) for idx, _ in corners],
                                  [m for _, m in corners], _lane_order(grid, P, 4))
        gxs, gys = np.zeros((N, P), inp.dtype), np.zeros((N, P), inp.dtype)
        for c in range(C):
            nw, ne, sw, se = (planes.read(idx, m)[:, c] for idx, m in corners)
            go = g[:, c]
            gxs = _fma(_fma(se - sw, n, (ne - nw) * s), go, gxs)
            gys = _fma(_fma(se - ne, w, (sw - nw) * e), go, gys)
    else:
        x, y = axW.unnormalize(gx), axH.unnormalize(gy)
        gxm = np.full_like(x, axW.scale)
        gym = np.full_like(y, axH.scale)
        ix, iy, taps = _bicubic_taps(axW, axH, x, y, H, W, padding)
        cx, cy = _cubic(x - ix), _cubic(y - iy)
        cxg, cyg = _cubic_grad(x - ix), _cubic_grad(y - iy)
        keys = [(i, j) for i in range(4) for j in range(4)]
        if need_input:
            grad_input = _scatter((N, C, H * W),
                                  [g * cx[i][:, None, :] * cy[j][:, None, :] for i, j in keys],
                                  [planes.offset(taps[k][0]) for k in keys],
                                  [taps[k][1] for k in keys], _lane_order(grid, P, 16))
        gxs, gys = np.zeros((N, P), inp.dtype), np.zeros((N, P), inp.dtype)
        for c in range(C):
            go = g[:, c]
            for i, j in keys:
                val = planes.read(*taps[i, j])[:, c]
                gxs = _fma(-(val * go * cxg[i]), cy[j], gxs)
                gys = _fma(-(val * go * cyg[j]), cx[i], gys)
    grad_grid = np.stack([gxs * gxm, gys * gym], -1).reshape(grid.shape)
    if grad_input is not None:
        grad_input = grad_input.reshape(inp.shape)
    return grad_input, grad_grid


# ----- grid_sample: the 3-d kernel (scalar) -------------------------------------------------------
_CORNERS_3D = [(dz, dy, dx) for dz in (0, 1) for dy in (0, 1) for dx in (0, 1)]  # tnw .. bse


def _trilinear(ix, iy, iz, D, H, W):
    """The eight corners (tnw, tne, tsw, tse, bnw, bne, bsw, bse): positions, masks, and the
    per-axis distance factors of each weight (x, y, z), as GridSampler.cpp writes them."""
    x0, y0, z0 = np.floor(ix), np.floor(iy), np.floor(iz)
    i0 = [v.astype(np.int64) if np.isfinite(v).all() else _int32(v)
          for v in (z0, y0, x0)]
    near = (x0 + 1 - ix, y0 + 1 - iy, z0 + 1 - iz)  # (ix_bse - ix), ...
    far = (ix - x0, iy - y0, iz - z0)                # (ix - ix_tnw), ...
    out = []
    for dz, dy, dx in _CORNERS_3D:
        pos = (i0[0] + dz, i0[1] + dy, i0[2] + dx)
        mask = ((pos[0] >= 0) & (pos[0] < D) & (pos[1] >= 0) & (pos[1] < H) & (pos[2] >= 0)
                & (pos[2] < W))
        factors = (far[0] if dx else near[0], far[1] if dy else near[1],
                   far[2] if dz else near[2])
        out.append((pos, mask, factors))
    return out


def _sample_3d(inp, grid, mode, padding, align, backward=None, need_input=False):
    N, C, D, H, W = inp.shape
    pts = grid.reshape(N, -1, 3)
    axes = [_Axis(size, padding, align, inp.dtype, vector=False) for size in (W, H, D)]
    planes = _Planes(inp)
    P = pts.shape[1]
    if backward is None:
        ix, iy, iz = (a.apply(pts[..., k]) for k, a in enumerate(axes))
    else:
        (ix, mx), (iy, my), (iz, mz) = (a.apply_get_grad(pts[..., k]) for k, a in enumerate(axes))
    if mode == 1:
        pos = tuple(_int32(np.rint(v)) for v in (iz, iy, ix))
        mask = ((pos[0] >= 0) & (pos[0] < D) & (pos[1] >= 0) & (pos[1] < H) & (pos[2] >= 0)
                & (pos[2] < W))
        if backward is None:
            return planes.read(pos, mask).reshape((N, C) + grid.shape[1:4])
        g = np.ascontiguousarray(backward).reshape(N, C, P)
        grad_input = _scatter((N, C, D * H * W), [g], [planes.offset(pos)], [mask],
                              np.arange(P)).reshape(inp.shape) if need_input else None
        return grad_input, np.zeros(grid.shape, inp.dtype)
    corners = _trilinear(ix, iy, iz, D, H, W)
    weights = [(fx * fy) * fz for _, _, (fx, fy, fz) in corners]
    if backward is None:
        out = np.zeros((N, C, P), inp.dtype)
        for (pos, mask, _), wt in zip(corners, weights):
            out = out + np.where(mask[:, None, :], planes.read(pos, mask) * wt[:, None, :],
                                 inp.dtype.type(0))
        return out.reshape((N, C) + grid.shape[1:4])
    g = np.ascontiguousarray(backward).reshape(N, C, P)
    grad_input = None
    if need_input:
        order = np.argsort((np.arange(P)[None, :] * 8 + np.arange(8)[:, None]).ravel(),
                           kind="stable")
        grad_input = _scatter((N, C, D * H * W), [wt[:, None, :] * g for wt in weights],
                              [planes.offset(pos) for pos, _, _ in corners],
                              [m for _, m, _ in corners], order)
    sums = [np.zeros((N, P), inp.dtype) for _ in range(3)]
    for c in range(C):
        go = g[:, c]
        for (pos, mask, (fx, fy, fz)), (dz, dy, dx) in zip(corners, _CORNERS_3D):
            val = planes.read(pos, mask)[:, c]
            for k, (a, b, up) in enumerate(((fy, fz, dx), (fx, fz, dy), (fx, fy, dz))):
                term = val * a * b * go
                sums[k] = np.where(mask, sums[k] + term if up else sums[k] - term, sums[k])
    grad_grid = np.stack([mx * sums[0], my * sums[1], mz * sums[2]], -1).reshape(grid.shape)
    if grad_input is not None:
        grad_input = grad_input.reshape(inp.shape)
    return grad_input, grad_grid


# ----- the op -------------------------------------------------------------------------------------
def _grid_sampler_rule(nd):
    """GridSampler{nd}DBackward0, and under create_graph the node PyTorch records for its
    gradients (GridSampler{nd}DBackwardBackward0), whose own derivative gradsh lacks."""
    def gradients(need, g, input, grid, mode, padding, align):
        if g.size == 0:  # an empty batch, channel dim or grid: zero gradients
            return (np.zeros(input.shape, input.dtype) if need[0] else None,
                    np.zeros(grid.shape, grid.dtype))
        with np.errstate(invalid="ignore", over="ignore"):
            if nd == 2:
                return _sample_2d_backward(g, input, grid, mode, padding, align, need[0])
            return _sample_3d(input, grid, mode, padding, align, g, need[0])

    def rule(need, g, input, grid, mode, padding, align):
        if type(g) not in TENSOR_TYPES:
            return gradients(need, g, input, grid, mode, padding, align)
        arrays = gradients(need, g._data, input._data, grid._data, mode, padding, align)
        outs = [None if a is None or not n else make(np.ascontiguousarray(a))
                for a, n in zip(arrays, need)]
        if needs_grad(g, input, grid):
            record_multi(outs, twice, (g, input, grid))
        return tuple(outs)

    def double(need, *grads):
        raise RuntimeError(f"derivative for aten::grid_sampler_{nd}d_backward is not "
                           "implemented in gradsh")

    twice = node_class(f"GridSampler{nd}DBackwardBackward0", double, 2, saved_names=())
    return node_class(f"GridSampler{nd}DBackward0", rule,
                      saved_names=("input", "grid", "interpolation_mode", "padding_mode",
                                   "align_corners"))


_SAMPLER_NODES = {2: _grid_sampler_rule(2), 3: _grid_sampler_rule(3)}


def _check_sampler(input, grid, mode):
    """check_grid_sampler_common / _2d / _3d: PyTorch's words."""
    x, g = input._data, grid._data
    # (PyTorch 2.13's order; mismatched dtypes are its kernel's error: grid_sample's own
    # RuntimeError after these checks and after an empty result)
    nd = x.ndim - 2
    if min(x.ndim, g.ndim) < 2:
        raise RuntimeError("grid_sampler(): expected 4D or 5D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(x.shape)} and grid "
                           f"with sizes {list(g.shape)}")
    if g.shape[-1] != nd:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {nd} in last dimension, "
                           f"but got grid with sizes {list(g.shape)}")
    if x.shape[0] != g.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(x.shape)} and grid with sizes "
                           f"{list(g.shape)}")
    if g.ndim != x.ndim:
        raise RuntimeError(f"grid_sampler(): expected {x.ndim}D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(x.shape)} and grid "
                           f"with sizes {list(g.shape)}")
    if x.ndim not in (4, 5):
        raise RuntimeError("grid_sampler(): expected 4D or 5D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(x.shape)} and grid "
                           f"with sizes {list(g.shape)}")
    for d in range(2, x.ndim):
        if x.shape[d] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {list(x.shape)} with dimension "
                               f"{d} being empty")
    if nd == 3 and mode == 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if 0 not in x.shape[:2] + g.shape[1:-1] and x.dtype != g.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._short} but found "
                           f"{grid.dtype._short}")
    if x.dtype.kind not in "fV" or x.dtype == np.float16:
        raise RuntimeError(f'"grid_sampler_{nd}d_cpu" not implemented for '
                           f"'{str(input.dtype).split('.')[-1].capitalize()}'")


@declare(method=False, function=False, nn=True)
def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if mode not in _MODES:
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in _PADDINGS:
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        errors.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    m, p = _MODES.index(mode), _PADDINGS.index(padding_mode)
    _check_sampler(input, grid, m)
    x, g = input._data, grid._data
    nd = x.ndim - 2
    shape = x.shape[:2] + g.shape[1:-1]
    if 0 in shape:
        data = np.zeros(shape, x.dtype)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            data = _sample_2d(x, g, m, p, align_corners) if nd == 2 else \
                _sample_3d(x, g, m, p, align_corners)
    out = make(np.ascontiguousarray(data))
    if needs_grad(input, grid):
        record(out, _SAMPLER_NODES[nd], (input, grid),
               (save(input, "input"), save(grid, "grid"), save(m, "interpolation_mode"),
                save(p, "padding_mode"), save(bool(align_corners), "align_corners")))
    return out
