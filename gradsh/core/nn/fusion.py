"""torch.nn.utils.fusion: fold an eval-mode BatchNorm into the convolution or Linear before it.

BatchNorm in eval mode is the affine map y = (x - mean) / sqrt(var + eps) * w + b per channel,
so after a convolution (or Linear) it is the same layer with each output channel's weights
scaled by s = w / sqrt(var + eps) and the bias (c - mean) * s + b. A transposed convolution
keeps its output channels in the weight's second dim. The fused parameters are new Parameters
in the dtypes of the layer's weight and bias, requiring grad as those did.
"""

import copy

from .. import factories
from ..grad_mode import no_grad
from .parameter import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval",
           "fuse_linear_bn_weights"]


def fuse_conv_bn_eval(conv, bn, transpose=False):
    """A copy of `conv` whose weight and bias compute conv then bn (both in eval mode)."""
    assert not (conv.training or bn.training), "Fusion only for eval!"
    fused = copy.deepcopy(conv)
    assert bn.running_mean is not None and bn.running_var is not None
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose)
    return fused


def fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False):
    """The (weight, bias) Parameters of a convolution followed by an eval-mode BatchNorm."""
    w_dtype = conv_w.dtype
    b_dtype = conv_b.dtype if conv_b is not None else w_dtype
    with no_grad():
        if conv_b is None:
            conv_b = factories.zeros_like(bn_rm)
        if bn_w is None:
            bn_w = factories.ones_like(bn_rm)
        if bn_b is None:
            bn_b = factories.zeros_like(bn_rm)
        rsqrt = (bn_rv + bn_eps).rsqrt()
        shape = [1] * conv_w.dim()
        shape[1 if transpose else 0] = -1
        weight = (conv_w * (bn_w * rsqrt).reshape(shape)).to(dtype=w_dtype)
        bias = ((conv_b - bn_rm) * rsqrt * bn_w + bn_b).to(dtype=b_dtype)
    return (Parameter(weight, conv_w.requires_grad),
            Parameter(bias, conv_b.requires_grad))


def fuse_linear_bn_eval(linear, bn):
    """A copy of `linear` whose weight and bias compute linear then bn (both in eval mode)."""
    assert not (linear.training or bn.training), "Fusion only for eval!"
    fused = copy.deepcopy(linear)
    assert linear.out_features == bn.num_features or bn.num_features == 1, (
        "To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got "
        f"linear.out_features={linear.out_features} and bn.num_features={bn.num_features}")
    assert bn.running_mean is not None and bn.running_var is not None
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias)
    return fused


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """The (weight, bias) Parameters of a Linear followed by an eval-mode BatchNorm."""
    with no_grad():
        if linear_b is None:
            linear_b = factories.zeros_like(bn_rm)
        scale = bn_w * (bn_rv + bn_eps).rsqrt()
        weight = linear_w * scale.unsqueeze(-1)
        bias = (linear_b - bn_rm) * scale + bn_b
    return Parameter(weight, linear_w.requires_grad), Parameter(bias, linear_b.requires_grad)
