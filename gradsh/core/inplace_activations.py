"""The in-place activations of torch.nn.functional (F.elu_, F.leaky_relu_, ...): PyTorch's
nodes for most of them save the result, not the overwritten input (EluBackward1,
LeakyReluBackward1, CeluBackward1); threshold_ (ThresholdBackward1) and hardtanh_
(HardtanhBackward0) save a clone of the input, as PyTorch does. Each is the out-of-place
values written into the input by ops/inplace.apply_inplace."""

import numpy as np

from .activations import celu, threshold as _threshold
from .nn_functional import (LeakyReluBackwardBackward0, _SELU_ALPHA, _SELU_SCALE, _elu,
                            elu_result_grad, hardtanh, leaky_relu)
from .ops import prim as P
from .ops.base import needs_grad, record, rule, save, save_out
from .ops.inplace import apply_inplace
from .ops.pointwise import ThresholdBackwardBackward0, grad_op
from .ops.registry import declare


def _kept(keep):
    return lambda gd: np.where(keep, gd, gd.dtype.type(0))


@rule
def EluBackward1(need, g, alpha, scale, input_scale, result):
    return (elu_result_grad(g, result, alpha, scale, input_scale),)


@rule
def CeluBackward1(need, g, alpha, result):
    # derivatives.yaml: input_scale 1.0 / alpha.toFloat() (alpha rounded to float32 first)
    return (elu_result_grad(g, result, alpha, 1, 1.0 / float(np.float32(alpha))),)


@rule
def LeakyReluBackward1(need, g, negative_slope, result):
    keep = P.data(result) > 0

    def value(gd):
        return np.where(keep, gd, gd * gd.dtype.type(negative_slope))
    return (grad_op(LeakyReluBackwardBackward0, g, result, value),)


@rule
def ThresholdBackward1(need, g, self, threshold):
    # threshold_ saves a clone of the input (CloneBackward0 under create_graph), not the result
    keep = P.data(self) > P.data(self).dtype.type(threshold)
    return (grad_op(ThresholdBackwardBackward0, g, self, _kept(keep)),)


def _on_result(values_of, node, *numbers):
    """The out-of-place op `values_of` (its values; its own node dropped) recorded as `node`
    over its saved result, for apply_inplace to write into the input."""
    def op(before, *args):
        out = values_of(before.detach(), *args)
        if needs_grad(before):
            record(out, node, (before,), numbers + (save_out(out),))
        return out
    return op


@declare(name="elu_", method=False, function=False, nn=True)
def elu_inplace(input, alpha=1.0):
    """F.elu(input, alpha) written into input."""
    return apply_inplace(input, _on_result(lambda x: _elu(x, alpha, 1), EluBackward1, alpha, 1,
                                           1))


@declare(name="selu_", method=False, nn=True, tensor_first=True)
def selu_inplace(input):
    """F.selu written into input (PyTorch records it as EluBackward1)."""
    return apply_inplace(input, _on_result(lambda x: _elu(x, _SELU_ALPHA, _SELU_SCALE),
                                           EluBackward1, _SELU_ALPHA, _SELU_SCALE, 1))


@declare(name="celu_", method=False, nn=True, tensor_first=True)
def celu_inplace(input, alpha=1.0):
    """F.celu written into input."""
    return apply_inplace(input, _on_result(lambda x: celu(x, alpha), CeluBackward1, alpha))


@declare(name="leaky_relu_", method=False, function=False, nn=True)
def leaky_relu_inplace(input, negative_slope=0.01):
    """F.leaky_relu written into input."""
    return apply_inplace(input, _on_result(lambda x: leaky_relu(x, negative_slope),
                                           LeakyReluBackward1, negative_slope))


@declare(name="hardtanh_", method=False, function=False, nn=True)
def hardtanh_inplace(input, min_val=-1.0, max_val=1.0):
    """F.hardtanh written into input: PyTorch's HardtanhBackward0 over a clone of the input."""
    return apply_inplace(input, hardtanh, min_val, max_val)


@declare(name="threshold_", method=False, nn=True, tensor_first=True)
def threshold_inplace(input, threshold, value):
    """F.threshold written into input."""
    def op(before):
        out = _threshold(before.detach(), threshold, value)
        if needs_grad(before):
            record(out, ThresholdBackward1, (before,), (save(before, "self"), threshold))
        return out
    return apply_inplace(input, op)
