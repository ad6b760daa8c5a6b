"""nn.init: fill a tensor in place, outside the graph, from the default generator (or the one
given), drawing PyTorch's numbers.

What makes the numbers PyTorch's under torch.manual_seed is a set of facts kept here: every
initialiser ends in one tensor draw (uniform_ or normal_) over the whole tensor, with the bound
or std computed in PyTorch's floating-point order (so it rounds the same); trunc_normal_,
orthogonal_ and sparse_ make their draws in PyTorch's sequence (their docstrings).
"""

import math
import warnings

from .. import factories
from ..factories import empty_like, randperm
from ..factories import eye as _eye
from ..grad_mode import no_grad
from ..ops.dense import linalg_qr
from ..ops.pointwise import where

__all__ = ["calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_", "orthogonal_",
           "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
           "trunc_normal_", "dirac_", "sparse_", "uniform", "normal", "constant", "eye", "dirac",
           "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal",
           "sparse"]

# the gains PyTorch documents for nn.init.calculate_gain; leaky_relu's depends on its slope
_GAINS = dict.fromkeys(("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                        "conv_transpose2d", "conv_transpose3d", "sigmoid"), 1)
_GAINS.update(tanh=5.0 / 3, relu=math.sqrt(2.0), selu=3.0 / 4)
_LEAKY_RELU_SLOPE = 0.01
_FAN_MODES = ["fan_in", "fan_out"]


def _leaky_relu_gain(slope):
    if slope is None:
        slope = _LEAKY_RELU_SLOPE
    elif isinstance(slope, bool) or not isinstance(slope, (int, float)):
        raise ValueError(f"negative_slope {slope} not a valid number")
    return math.sqrt(2.0 / (1 + slope ** 2))


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (PyTorch's documented table)."""
    if nonlinearity == "leaky_relu":
        return _leaky_relu_gain(param)
    if isinstance(nonlinearity, str) and nonlinearity in _GAINS:
        return _GAINS[nonlinearity]
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fan_in_and_fan_out(tensor):
    """(inputs, outputs) each unit sees: dims 1 and 0 times the product of the kernel dims."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    kernel = math.prod(tensor.shape[2:])
    return tensor.shape[1] * kernel, tensor.shape[0] * kernel


_calculate_fan_in_and_fan_out = _fan_in_and_fan_out


def _fan(tensor, mode):
    mode = mode.lower()
    if mode not in _FAN_MODES:
        raise ValueError(f"Mode {mode} not supported, please use one of {_FAN_MODES}")
    return _fan_in_and_fan_out(tensor)[_FAN_MODES.index(mode)]


def _in_place(tensor, method, *args, **kwargs):
    """tensor.<method>(...) without recording it: a parameter that requires grad is a leaf."""
    with no_grad():
        return getattr(tensor, method)(*args, **kwargs)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    return _in_place(tensor, "uniform_", a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    return _in_place(tensor, "normal_", mean, std, generator=generator)


def constant_(tensor, val):
    return _in_place(tensor, "fill_", val)


def ones_(tensor):
    return constant_(tensor, 1.0)


def zeros_(tensor):
    return _in_place(tensor, "zero_")


def eye_(tensor):
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    _in_place(tensor, "copy_", _eye(*tensor.shape, dtype=tensor.dtype))
    return tensor


def _xavier_std(tensor, gain):
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    bound = math.sqrt(3.0) * _xavier_std(tensor, gain)  # a uniform of this std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    return calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))


def _nothing_to_draw(tensor):
    """True, with PyTorch's warning naming the initialiser's caller, for a zero-element tensor
    (kaiming's initialisers return before reading the fans)."""
    if tensor.numel() != 0:
        return False
    warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
    return True


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _nothing_to_draw(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _nothing_to_draw(tensor):
        return tensor
    return normal_(tensor, 0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def _std_normal_cdf(z):
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """N(mean, std) conditioned on [a, b], sampled as PyTorch 2.13 samples it (the draws'
    sequence is a fact recorded from its outputs): when [a, b] holds more than 30% of the
    mass, whole-tensor normal draws replace the values still outside; otherwise uniform
    proposals in [a, b], each accepted with probability pdf(x) / max pdf on [a, b], proposals
    and acceptance draws again made for the whole tensor each round."""
    margin = 2 * std
    if mean < a - margin or mean > b + margin:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
                      "The distribution of values may be incorrect.", stacklevel=2)
    mass = _std_normal_cdf((b - mean) / std) - _std_normal_cdf((a - mean) / std)
    sampler = _trunc_by_redrawing if mass > 0.3 else _trunc_by_uniform_proposals
    with no_grad():
        result = sampler(tensor, mean, std, a, b, generator)
        if result is not tensor:
            tensor.copy_(result)
    return tensor


def _trunc_by_redrawing(tensor, mean, std, a, b, generator):
    # the interval's ends as the tensor's dtype holds them: a float32 draw equal to a rounded
    # end is inside
    lo, hi = (tensor.new_tensor(end).item() for end in (a, b))
    result = tensor.normal_(mean, std, generator=generator)
    outside = result.lt(lo) | result.gt(hi)
    while outside.any():
        redraw = empty_like(result).normal_(mean, std, generator=generator)
        result = where(outside, redraw, result)
        outside = result.lt(lo) | result.gt(hi)
    return result


def _log_density_ratio_(x, mean, std, log_peak):
    """x <- log(pdf(x) / peak pdf) = -((x - mean) / std)^2 / 2 - log_peak, in place, in this
    order of operations."""
    return x.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak)


def _trunc_by_uniform_proposals(tensor, mean, std, a, b, generator):
    peak_at = min(max(mean, a), b)  # where the density is largest on [a, b]
    log_peak = -0.5 * ((peak_at - mean) / std) ** 2
    proposal, log_u = empty_like(tensor), empty_like(tensor)
    result = tensor.uniform_(a, b, generator=generator)
    proposal.copy_(result)
    pending = None
    while True:
        _log_density_ratio_(proposal, mean, std, log_peak)
        rejected = log_u.uniform_(generator=generator).log_().gt(proposal)
        pending = rejected if pending is None else where(pending, rejected, pending)
        if not pending.any():
            return result
        proposal.uniform_(a, b, generator=generator)
        result = where(pending, proposal, result)


def dirac_(tensor, groups=1):
    """A convolution weight (3, 4 or 5 dims) that passes its input through: 1 at the centre of
    each (output, input) channel pair of a group, zeros elsewhere."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_channels, in_channels, *kernel = tensor.shape
    if out_channels % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = out_channels // groups
    centre = tuple(k // 2 for k in kernel)
    with no_grad():
        tensor.zero_()
        for group in range(groups):
            for c in range(min(per_group, in_channels)):
                tensor[(group * per_group + c, c, *centre)] = 1
    return tensor


def orthogonal_(tensor, gain=1, generator=None):
    """A (semi-)orthogonal matrix: Q of the QR factorisation of a standard normal draw of shape
    (rows, the other dims' product), factorised transposed when wider than tall, each column
    of Q signed by R's diagonal, times gain (the factorisation is LAPACK's on both sides)."""
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    wide = rows < cols
    draw = normal_(factories.empty(rows, cols, dtype=tensor.dtype), generator=generator)
    q, r = linalg_qr(draw.t() if wide else draw)
    q = q * r.diagonal().sign()
    if wide:
        q = q.t()
    with no_grad():
        tensor.view_as(q).copy_(q)
        tensor.mul_(gain)
    return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """A 2-d weight drawn from N(0, std), then ceil(sparsity * rows) entries of each column set
    to zero, the rows chosen by a randperm per column from the default generator (the draws in
    PyTorch's sequence)."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    zeros_per_column = math.ceil(sparsity * rows)
    normal_(tensor, 0, std, generator)
    with no_grad():
        for col in range(cols):
            tensor[randperm(rows)[:zeros_per_column], col] = 0
    return tensor


def _deprecated_name(initialiser):
    """The old name of an initialiser (no trailing underscore): PyTorch's FutureWarning, then
    the initialiser."""
    new = initialiser.__name__
    old = new.rstrip("_")

    def old_initialiser(*args, **kwargs):
        warnings.warn(f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new}`.",
                      FutureWarning, stacklevel=2)
        return initialiser(*args, **kwargs)

    old_initialiser.__name__ = old_initialiser.__qualname__ = old
    return old_initialiser


uniform, normal, constant, eye, dirac = map(_deprecated_name,
                                            (uniform_, normal_, constant_, eye_, dirac_))
xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal = map(
    _deprecated_name, (xavier_uniform_, xavier_normal_, kaiming_uniform_, kaiming_normal_))
orthogonal, sparse = map(_deprecated_name, (orthogonal_, sparse_))
