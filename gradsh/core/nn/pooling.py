"""The pooling modules: each keeps its settings as PyTorch shows them (the stride defaults to
the kernel size; the sizes of AvgPool1d and MaxUnpool*d as tuples) and calls its op.

A family is one base class: `_shown` names the settings its repr lists, `pool` is the op,
set per dimension by `_family`, which makes the 1d/2d/3d classes."""

from ..ops import fractional_pool, pooling, unpool
from .module import Module


def _keep(module, **settings):
    """The settings as the module's attributes, in PyTorch's order."""
    for name, value in settings.items():
        setattr(module, name, value)


def _ntuple(v, n):
    """PyTorch's _single / _pair / _triple: a list or tuple as a tuple, else n copies."""
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _listed(names):
    """extra_repr listing the settings `names`, read as PyTorch's reads them (another object
    given as self, `nn.AvgPool1d.extra_repr(t)`, fails on the first setting's name)."""
    def extra_repr(self):
        return ", ".join(f"{name}={getattr(self, name)}" for name in names)
    return extra_repr


class _MaxPoolNd(Module):
    _shown = ("kernel_size", "stride", "padding", "dilation", "ceil_mode")
    extra_repr = _listed(_shown)

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        _keep(self, kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
              padding=padding, dilation=dilation, return_indices=return_indices,
              ceil_mode=ceil_mode)

    def forward(self, input):
        return self.pool(input, self.kernel_size, self.stride, self.padding, self.dilation,
                         ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class _AvgPoolNd(Module):
    _shown = ("kernel_size", "stride", "padding")
    extra_repr = _listed(_shown)

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        _keep(self, kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
              padding=padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad,
              divisor_override=divisor_override)

    def forward(self, input):
        return self.pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                         self.count_include_pad, self.divisor_override)


class AvgPool1d(Module):
    """(No divisor_override; its sizes are kept as 1-tuples, as PyTorch keeps them.)"""

    _shown = _AvgPoolNd._shown
    extra_repr = _listed(_shown)

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        _keep(self, kernel_size=_ntuple(kernel_size, 1),
              stride=_ntuple(kernel_size if stride is None else stride, 1),
              padding=_ntuple(padding, 1), ceil_mode=ceil_mode,
              count_include_pad=count_include_pad)

    def forward(self, input):
        return pooling.avg_pool1d(input, self.kernel_size, self.stride, self.padding,
                                  self.ceil_mode, self.count_include_pad)


class _AdaptivePoolNd(Module):
    _shown = ("output_size",)
    extra_repr = _listed(_shown)

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return self.pool(input, self.output_size)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input):
        return self.pool(input, self.output_size, self.return_indices)


class _MaxUnpoolNd(Module):
    """nn.MaxUnpool1d/2d/3d: F.max_unpool*d with the sizes kept as nd-tuples (the repr shows
    them so, as PyTorch's _single/_pair/_triple do)."""

    _shown = ("kernel_size", "stride", "padding")
    extra_repr = _listed(_shown)
    _nd = 1

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        sizes = dict(kernel_size=kernel_size, stride=kernel_size if stride is None else stride,
                     padding=padding)
        _keep(self, **{name: _ntuple(v, self._nd) for name, v in sizes.items()})

    def forward(self, input, indices, output_size=None):
        return self.pool(input, indices, self.kernel_size, self.stride, self.padding,
                         output_size)


def _fractional_targets(name, nd, kernel_size, output_size, output_ratio):
    """(output_size, output_ratio) as nd-tuples or None, after PyTorch's checks in its order."""
    if isinstance(kernel_size, (tuple, list)):
        positive = all(k > 0 for k in kernel_size)
    else:
        positive = not isinstance(kernel_size, int) or kernel_size > 0
    if nd == 3 and not positive:
        raise ValueError(f"kernel_size must be greater than 0, but got {kernel_size}")
    given = [v is not None for v in (output_size, output_ratio)]
    if not any(given):
        raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
    if all(given):
        raise ValueError("only one of output_size and output_ratio may be specified")
    if output_size is not None:
        return _ntuple(output_size, nd), None
    ratio = _ntuple(output_ratio, nd)
    if not all(0 < r < 1 for r in ratio[:nd]):
        raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")
    return None, ratio


class _FractionalMaxPoolNd(Module):
    """nn.FractionalMaxPool2d/3d: PyTorch's checks and attributes (the samples a buffer)."""
    _nd = 2

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        size, ratio = _fractional_targets(type(self).__name__, self._nd, kernel_size,
                                          output_size, output_ratio)
        _keep(self, kernel_size=_ntuple(kernel_size, self._nd), return_indices=return_indices)
        self.register_buffer("_random_samples", _random_samples)
        _keep(self, output_size=size, output_ratio=ratio)

    def forward(self, input):
        return self.pool(input, self.kernel_size, self.output_size, self.output_ratio,
                         self.return_indices, _random_samples=self._random_samples)


def _family(base, name, ops, dims=(1, 2, 3)):
    """The classes name.format(n) for n in dims: base with _nd = n and, as `pool`, the op
    named op_name.format(n) in the module of ops = (module, op_name)."""
    module, op_name = ops

    def member(n):
        pool = staticmethod(getattr(module, op_name.format(n)))
        return type(name.format(n), (base,), {"pool": pool, "_nd": n, "__module__": __name__})
    return tuple(member(n) for n in dims)


MaxPool1d, MaxPool2d, MaxPool3d = _family(_MaxPoolNd, "MaxPool{}d", (pooling, "max_pool{}d"))
AvgPool2d, AvgPool3d = _family(_AvgPoolNd, "AvgPool{}d", (pooling, "avg_pool{}d"), (2, 3))
AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d = _family(
    _AdaptivePoolNd, "AdaptiveAvgPool{}d", (pooling, "adaptive_avg_pool{}d"))
AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d = _family(
    _AdaptiveMaxPoolNd, "AdaptiveMaxPool{}d", (pooling, "adaptive_max_pool{}d"))
MaxUnpool1d, MaxUnpool2d, MaxUnpool3d = _family(_MaxUnpoolNd, "MaxUnpool{}d",
                                                (unpool, "max_unpool{}d"))
FractionalMaxPool2d, FractionalMaxPool3d = _family(
    _FractionalMaxPoolNd, "FractionalMaxPool{}d", (fractional_pool, "fractional_max_pool{}d"),
    (2, 3))
