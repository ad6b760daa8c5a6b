"""Lazy modules (torch.nn.modules.lazy): LazyLinear, LazyConv*/LazyConvTranspose*,
LazyBatchNorm*, LazyInstanceNorm*, whose input size is read from the first input.

A lazy module is its eager class built with zero input size and its tensors replaced by
UninitializedParameter/UninitializedBuffer. A forward pre-hook runs once, on the first call:
`initialize_parameters(input)` reads the size, materializes those tensors in place (the same
objects, so an optimizer made before the first call holds them), runs the eager
reset_parameters (its draws, in its order), and the module becomes its eager class
(`cls_to_become`: LazyLinear -> Linear), which then prints and behaves as one.
"""

from .. import errors, factories
from ..dtypes import int64
from ..grad_mode import no_grad
from ..tensor import Tensor
from . import conv, linear, normalization
from .parameter import UninitializedBuffer, UninitializedParameter, is_lazy, materialize

__all__ = ["LazyModuleMixin", "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d",
           "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
           "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyInstanceNorm1d",
           "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


def _on_first_call(module, args, kwargs):
    """The forward pre-hook: shape the module from its input, then drop the hook."""
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module.__dict__.pop("_initialize_hook").remove()
    eager = module.cls_to_become
    if eager is not None:
        module.__class__ = eager


class LazyModuleMixin:
    """A module whose parameters are shaped by its first input."""

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # kept out of the module's attributes (and so of its repr and state)
        self.__dict__["_initialize_hook"] = self.register_forward_pre_hook(
            _on_first_call, with_kwargs=True)

    def has_uninitialized_params(self):
        held = (*self._parameters.values(), *self._buffers.values())
        return any(is_lazy(t) for t in held)

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")


# What the lazy classes below share, as functions their classes take as methods (LazyLinear's
# bases stay PyTorch's: LazyModuleMixin and Linear). A class names the size attribute its input
# fixes (`_SIZE`), reads it from the input (`_size_of`) and gives the shape of each lazy tensor
# once that size is known (`_shapes`).

def _make_lazy(module, dtype, parameters=(), buffers=()):
    for name in parameters:
        setattr(module, name, UninitializedParameter(dtype=dtype))
    for name in buffers:
        setattr(module, name, UninitializedBuffer(dtype=dtype))


def _reset_once_sized(module):
    # the eager __init__ calls it with the zero size: nothing to draw until the first input
    # (asked in PyTorch's order: an object that is no lazy module fails on its first question)
    try:
        waiting = module.has_uninitialized_params()
    except AttributeError as e:
        raise errors.TorchAttributeError(str(e)) from None
    if not waiting and getattr(module, module._SIZE) != 0:
        module.cls_to_become.reset_parameters(module)


def _read(data, attribute):
    """data, when it is a tensor; else the AttributeError PyTorch's sizing code meets on it
    (`LazyLinear(3)('abc')`: "'str' object has no attribute 'shape'")."""
    if not isinstance(data, Tensor):
        raise errors.TorchAttributeError("'%s' object has no attribute '%s'"
                                         % (type(data).__name__, attribute))
    return data


def _initialize_from_input(module, input, *args, **kwargs):
    if not module.has_uninitialized_params():
        return
    with no_grad():
        setattr(module, module._SIZE, module._size_of(input))
        for name, shape in module._shapes().items():
            tensor = getattr(module, name)
            if tensor is not None and is_lazy(tensor):
                materialize(tensor, shape)
        module.reset_parameters()


class LazyLinear(LazyModuleMixin, linear.Linear):
    cls_to_become = linear.Linear
    _SIZE = "in_features"
    reset_parameters = _reset_once_sized
    initialize_parameters = _initialize_from_input

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False)
        self.out_features = out_features
        _make_lazy(self, dtype, ("weight", "bias") if bias else ("weight",))

    def _size_of(self, data):
        return _read(data, "shape").shape[-1]

    def _shapes(self):
        return {"weight": (self.out_features, self.in_features), "bias": (self.out_features,)}


class _LazyConv(LazyModuleMixin):
    reset_parameters = _reset_once_sized
    initialize_parameters = _initialize_from_input
    _SIZE = "in_channels"

    def _size_of(self, data):
        unbatched = self._nd + 1
        if _read(data, "dim").dim() not in (unbatched, unbatched + 1):
            raise RuntimeError(f"Expected {unbatched}D (unbatched) or {unbatched + 1}D (batched) "
                               f"input to {self.__class__.__name__}, but got input of size: "
                               f"{data.shape}")
        spatial_start = data.dim() - self._nd
        return data.shape[spatial_start - 1]  # the channels come just before

    def _shapes(self):
        # checked once in_channels is set, as PyTorch leaves it set after this error
        if self.in_channels % self.groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        per_group = (self.out_channels if self.transposed else self.in_channels) // self.groups
        first = self.in_channels if self.transposed else self.out_channels
        return {"weight": (first, per_group, *self.kernel_size), "bias": (self.out_channels,)}


class _LazyNorm(LazyModuleMixin):
    reset_parameters = _reset_once_sized
    initialize_parameters = _initialize_from_input
    _SIZE = "num_features"

    def _size_of(self, data):
        return _read(data, "shape").shape[1]

    def _shapes(self):
        names = ("weight", "bias", "running_mean", "running_var")
        return dict.fromkeys(names, (self.num_features,))


def _lazy(eager, family, init):
    """Lazy<eager>: `family`'s first-call sizing over the eager class, built by `init`."""
    return type("Lazy" + eager.__name__, (family, eager),
                {"cls_to_become": eager, "__init__": init, "__module__": __name__})


def _lazy_conv(eager):
    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        LazyModuleMixin.__init__(self, 0, 0, kernel_size, stride, padding, dilation, groups,
                                 False, padding_mode)
        self.out_channels = out_channels
        _make_lazy(self, dtype, ("weight", "bias") if bias else ("weight",))
    return _lazy(eager, _LazyConv, __init__)


def _lazy_conv_transpose(eager):
    def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
                 groups=1, bias=True, dilation=1, padding_mode="zeros", device=None,
                 dtype=None):
        LazyModuleMixin.__init__(self, 0, 0, kernel_size, stride, padding, output_padding,
                                 groups, False, dilation, padding_mode)
        self.out_channels = out_channels
        _make_lazy(self, dtype, ("weight", "bias") if bias else ("weight",))
    return _lazy(eager, _LazyConv, __init__)


def _lazy_norm(eager):
    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):
        LazyModuleMixin.__init__(self, 0, eps, momentum, False, False)
        self.affine, self.track_running_stats = affine, track_running_stats
        _make_lazy(self, dtype, ("weight", "bias") if affine else (),
                   ("running_mean", "running_var") if track_running_stats else ())
        if track_running_stats:
            self.num_batches_tracked = factories.tensor(0, dtype=int64)
    return _lazy(eager, _LazyNorm, __init__)


LazyConv1d, LazyConv2d, LazyConv3d = map(_lazy_conv, (conv.Conv1d, conv.Conv2d, conv.Conv3d))
LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d = map(
    _lazy_conv_transpose, (conv.ConvTranspose1d, conv.ConvTranspose2d, conv.ConvTranspose3d))
LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d = map(
    _lazy_norm, (normalization.BatchNorm1d, normalization.BatchNorm2d,
                 normalization.BatchNorm3d))
LazyInstanceNorm1d, LazyInstanceNorm2d, LazyInstanceNorm3d = map(
    _lazy_norm, (normalization.InstanceNorm1d, normalization.InstanceNorm2d,
                 normalization.InstanceNorm3d))
