"""Lazy modules (torch.nn.modules.lazy): LazyLinear, LazyConv*/LazyConvTranspose*,
LazyBatchNorm*, LazyInstanceNorm*, whose input size is read from the first input.

PyTorch's LazyModuleMixin: the module starts with UninitializedParameter/UninitializedBuffer
tensors; a forward pre-hook calls `initialize_parameters(input)` on the first call, which
materializes them (the same tensor objects, so an optimizer made before the first call holds
them) and runs reset_parameters (the eager module's draws, in its order), then the module
becomes its eager class (`cls_to_become`: LazyLinear -> Linear).
"""

from .. import factories
from ..dtypes import int64
from ..grad_mode import no_grad
from . import conv, linear, normalization
from .parameter import UninitializedBuffer, UninitializedParameter, is_lazy, materialize

__all__ = ["LazyModuleMixin", "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d",
           "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
           "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyInstanceNorm1d",
           "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


def _infer_parameters(module, args, kwargs=None):
    module.initialize_parameters(*args, **(kwargs or {}))
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._initialize_hook.remove()
    del module.__dict__["_initialize_hook"]
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


class LazyModuleMixin:
    """A module whose parameters are shaped by its first input."""

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["_initialize_hook"] = self.register_forward_pre_hook(
            _infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self):
        tensors = list(self._parameters.values()) + list(self._buffers.values())
        return any(is_lazy(t) for t in tensors)

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")


class LazyLinear(LazyModuleMixin, linear.Linear):
    cls_to_become = linear.Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                materialize(self.weight, (self.out_features, self.in_features))
                if self.bias is not None:
                    materialize(self.bias, (self.out_features,))
                self.reset_parameters()


class _LazyConvXdMixin(LazyModuleMixin):
    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input, *args, **kwargs):
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            if self.transposed:
                shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
            else:
                shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
            materialize(self.weight, shape)
            if self.bias is not None:
                materialize(self.bias, (self.out_channels,))
            self.reset_parameters()

    def _get_in_channels(self, input):
        no_batch = self._nd + 1
        if input.dim() not in (no_batch, no_batch + 1):
            raise RuntimeError(f"Expected {no_batch}D (unbatched) or {no_batch + 1}D (batched) "
                               f"input to {self.__class__.__name__}, but got input of size: "
                               f"{input.shape}")
        return input.shape[1] if input.dim() == no_batch + 1 else input.shape[0]


def _lazy_conv(eager):
    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        eager.__init__(self, 0, 0, kernel_size, stride, padding, dilation, groups, False,
                       padding_mode)
        self.__dict__["_initialize_hook"] = self.register_forward_pre_hook(
            _infer_parameters, with_kwargs=True)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    return _lazy_class(eager, _LazyConvXdMixin, __init__)


def _lazy_conv_transpose(eager):
    def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
                 groups=1, bias=True, dilation=1, padding_mode="zeros", device=None,
                 dtype=None):
        eager.__init__(self, 0, 0, kernel_size, stride, padding, output_padding, groups, False,
                       dilation, padding_mode)
        self.__dict__["_initialize_hook"] = self.register_forward_pre_hook(
            _infer_parameters, with_kwargs=True)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    return _lazy_class(eager, _LazyConvXdMixin, __init__)


class _LazyNormBase(LazyModuleMixin):
    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            if self.affine:
                materialize(self.weight, (self.num_features,))
                if self.bias is not None:
                    materialize(self.bias, (self.num_features,))
            if self.track_running_stats:
                materialize(self.running_mean, (self.num_features,))
                materialize(self.running_var, (self.num_features,))
            self.reset_parameters()


def _lazy_norm(eager):
    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):
        eager.__init__(self, 0, eps, momentum, False, False)
        self.__dict__["_initialize_hook"] = self.register_forward_pre_hook(
            _infer_parameters, with_kwargs=True)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if self.affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if self.track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = factories.tensor(0, dtype=int64)

    return _lazy_class(eager, _LazyNormBase, __init__)


def _lazy_class(eager, mixin, init):
    """Lazy<eager>: the mixin's initialisation, then the eager class (its __init__ called by
    `init` directly: the mixin's own __init__ would pass the lazy arguments on to it)."""
    return type("Lazy" + eager.__name__, (mixin, eager),
                {"cls_to_become": eager, "__init__": init, "__module__": __name__})


LazyConv1d, LazyConv2d, LazyConv3d = (_lazy_conv(c) for c in (conv.Conv1d, conv.Conv2d,
                                                               conv.Conv3d))
LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d = (
    _lazy_conv_transpose(c)
    for c in (conv.ConvTranspose1d, conv.ConvTranspose2d, conv.ConvTranspose3d))
LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d = (
    _lazy_norm(c) for c in (normalization.BatchNorm1d, normalization.BatchNorm2d,
                            normalization.BatchNorm3d))
LazyInstanceNorm1d, LazyInstanceNorm2d, LazyInstanceNorm3d = (
    _lazy_norm(c) for c in (normalization.InstanceNorm1d, normalization.InstanceNorm2d,
                            normalization.InstanceNorm3d))
