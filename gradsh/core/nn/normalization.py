"""LayerNorm, GroupNorm, LocalResponseNorm, BatchNorm1d/2d/3d and SyncBatchNorm (weights ones,
biases zeros, running stats 0 and 1 as PyTorch)."""

import warnings


from .. import factories
from ..dtypes import int64, read_items
from ..ops import nn_ops, norms
from ..ops.rms_norm import rms_norm
from . import init
from .module import Module
from .parameter import Parameter


def _affine_parameters(module, affine, bias, shape, dtype):
    """weight and bias Parameters of `shape` (filled by reset_parameters), or None."""
    module.register_parameter(
        "weight", Parameter(factories.empty(*shape, dtype=dtype)) if affine else None)
    module.register_parameter(
        "bias", Parameter(factories.empty(*shape, dtype=dtype)) if affine and bias else None)


def _reset_affine(module):
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        # read whole, as PyTorch does, within the item limit (an endless iterable stops)
        self.normalized_shape = read_items(normalized_shape, "normalized_shape")
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_parameters(self, elementwise_affine, bias, self.normalized_shape, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):
        return nn_ops.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


def _running_stats(num_features, dtype):
    """BatchNorm's buffers as PyTorch starts them: mean 0, variance 1, no batch counted."""
    return {"running_mean": factories.zeros(num_features, dtype=dtype),
            "running_var": factories.ones(num_features, dtype=dtype),
            "num_batches_tracked": factories.tensor(0, dtype=int64)}


class _NormBase(Module):
    """The per-channel parameters and running statistics of BatchNorm*d and InstanceNorm*d."""

    _version = 2  # version 1 saved no num_batches_tracked

    def _upgrade_state(self, state_dict, prefix, version):
        key = prefix + "num_batches_tracked"
        if self.track_running_stats and (version is None or version < 2) \
                and key not in state_dict:
            state_dict[key] = (self.num_batches_tracked if self.num_batches_tracked is not None
                               else factories.tensor(0, dtype=int64))

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _affine_parameters(self, affine, bias, (num_features,), dtype)
        for name, start in _running_stats(num_features, dtype).items():
            self.register_buffer(name, start if track_running_stats else None)
        self.reset_parameters()

    def reset_running_stats(self):
        if not self.track_running_stats:
            return
        self.running_mean.zero_()
        self.running_var.fill_(1)
        self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        _reset_affine(self)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    def _check_input_dim(self, input):
        if input.dim() not in self._dims:  # (dim(), as PyTorch's: a handler sees Tensor.dim)
            raise ValueError(f"expected {self._expected} input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        counting = self.training and self.track_running_stats
        if counting:
            self.num_batches_tracked += 1
        # momentum None: the cumulative average over the batches counted so far
        if self.momentum is not None:
            momentum = self.momentum
        else:
            momentum = 1.0 / float(self.num_batches_tracked) if counting else 0.0
        # in training without tracking, the buffers (if any) are neither read nor updated
        updated = not self.training or self.track_running_stats
        mean, var = (self.running_mean, self.running_var) if updated else (None, None)
        batch_stats = self.training or self.running_mean is None
        return nn_ops.batch_norm(input, mean, var, self.weight, self.bias, batch_stats, momentum,
                                 self.eps)


def _batch_norm_class(name, dims, expected):
    return type(name, (_BatchNorm,), {"_dims": dims, "_expected": expected,
                                      "__module__": __name__})


BatchNorm1d = _batch_norm_class("BatchNorm1d", (2, 3), "2D or 3D")
BatchNorm2d = _batch_norm_class("BatchNorm2d", (4,), "4D")
BatchNorm3d = _batch_norm_class("BatchNorm3d", (5,), "5D")


class SyncBatchNorm(_BatchNorm):
    """BatchNorm over any input of 2 or more dims, synchronised across the processes of a
    distributed group; gradsh runs one process (no torch.distributed), where PyTorch's
    SyncBatchNorm normalises as BatchNorm does (its statistics are this process's batch)."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, process_group=None, device=None, dtype=None, *,
                 bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """module with every BatchNorm*d in it replaced by a SyncBatchNorm that holds the
        same parameters and buffers (the objects themselves) and training flag; module itself
        when it is not one (its children replaced in place)."""
        out = module
        if isinstance(module, _BatchNorm):
            out = cls(module.num_features, module.eps, module.momentum, module.affine,
                      module.track_running_stats, process_group,
                      bias=module.bias is not None)
            for name in ("weight", "bias"):
                if getattr(module, name) is not None:
                    setattr(out, name, getattr(module, name))
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                setattr(out, name, getattr(module, name))
            out.training = module.training
        for name, child in module.named_children():
            out.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return out


class _InstanceNorm(_NormBase):
    """InstanceNorm1d/2d/3d: affine and running statistics off by default; an unbatched input
    (one dim fewer) is normalized as a batch of one."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)

    def forward(self, input):
        if input.ndim not in (self._unbatched, self._unbatched + 1):
            raise ValueError(f"expected {self._unbatched}D or {self._unbatched + 1}D input "
                             f"(got {input.ndim}D input)")
        feature_dim = input.ndim - self._unbatched
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match "
                                 f"num_features ({self.num_features}), but got: "
                                 f"{input.shape[feature_dim]}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You "
                          "can silence this warning by not passing in num_features, which is not "
                          "used because affine=False", stacklevel=2)
        if input.ndim == self._unbatched:
            return self._normalized(input.unsqueeze(0)).squeeze(0)
        return self._normalized(input)

    def _normalized(self, input):
        # the instance's own statistics unless evaluating with tracked ones
        own_stats = not (self.track_running_stats and not self.training)
        momentum = 0.0 if self.momentum is None else self.momentum
        return norms.instance_norm(input, self.running_mean, self.running_var, self.weight,
                                   self.bias, own_stats, momentum, self.eps)


def _instance_norm_class(name, unbatched):
    return type(name, (_InstanceNorm,), {"_unbatched": unbatched, "__module__": __name__})


InstanceNorm1d = _instance_norm_class("InstanceNorm1d", 2)
InstanceNorm2d = _instance_norm_class("InstanceNorm2d", 3)
InstanceNorm3d = _instance_norm_class("InstanceNorm3d", 4)


class GroupNorm(Module):
    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
                 *, bias=True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups, num_channels, eps, affine)
        _affine_parameters(self, affine, bias, (num_channels,), dtype)
        self.reset_parameters()

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):
        return norms.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self.bias is not None}")


class LocalResponseNorm(Module):
    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        return norms.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class RMSNorm(Module):
    """Root-mean-square normalisation over the last dims (F.rms_norm), weight ones."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = read_items(normalized_shape, "normalized_shape")
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.register_parameter(
            "weight", Parameter(factories.empty(*self.normalized_shape, dtype=dtype))
            if elementwise_affine else None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
