"""Loss modules. A loss module only remembers its options and hands them to its function:
the base class stores every option it is given (tensor options such as `weight` as buffers, so
they move with .to()), and `_keywords` names the ones the function takes as keywords besides
`reduction`, which every loss has. A forward is then one call through `_evaluate`."""

import math
import warnings

from .. import nn_functional as F
from ..ctc_loss import ctc_loss
from ..ops import nn_ops
from ..ops.dtype_refusals import guarded
from .linear import Linear
from .module import Module

_TENSOR_OPTIONS = frozenset({"weight", "pos_weight"})


def _reduction(size_average, reduce, reduction):
    """The reduction a loss uses. The deprecated `size_average` and `reduce` flags win over
    `reduction` once either is given (an unset flag counts as True), with PyTorch's warning
    when the module is made."""
    if size_average is None and reduce is None:
        return reduction
    reduction = nn_ops.legacy_reduction_name(size_average, reduce)
    nn_ops.warn_legacy_reduction(reduction, 4)
    return reduction


class _Loss(Module):
    _keywords = ()

    def __init__(self, size_average=None, reduce=None, reduction="mean", **options):
        super().__init__()
        self.reduction = _reduction(size_average, reduce, reduction)
        for name, value in options.items():  # in PyTorch's attribute order
            if name in _TENSOR_OPTIONS:
                self.register_buffer(name, value)
            else:
                setattr(self, name, value)

    def _evaluate(self, function, *tensors):
        options = {name: getattr(self, name) for name in self._keywords}
        return function(*tensors, reduction=self.reduction, **options)


class MSELoss(_Loss):
    def forward(self, input, target):
        return self._evaluate(F.mse_loss, input, target)


class L1Loss(_Loss):
    def forward(self, input, target):
        return self._evaluate(F.l1_loss, input, target)


class SmoothL1Loss(_Loss):
    _keywords = ("beta",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        _Loss.__init__(self, size_average, reduce, reduction, beta=beta)

    def forward(self, input, target):
        return self._evaluate(nn_ops.smooth_l1_loss, input, target)


class HuberLoss(_Loss):
    _keywords = ("delta",)

    def __init__(self, reduction="mean", delta=1.0):
        _Loss.__init__(self, None, None, reduction, delta=delta)

    def forward(self, input, target):
        return self._evaluate(nn_ops.huber_loss, input, target)


# F.kl_div as torch.nn.functional binds it: PyTorch's refusal of integer and complex tensors
# stands in front of the op there
_kl_div = guarded("kl_div", nn_ops.kl_div)


class KLDivLoss(_Loss):
    _keywords = ("log_target",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        _Loss.__init__(self, size_average, reduce, reduction, log_target=log_target)

    def forward(self, input, target):
        return self._evaluate(_kl_div, input, target)


class NLLLoss(_Loss):
    _keywords = ("weight", "ignore_index")

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight,
                       ignore_index=ignore_index)

    def forward(self, input, target):
        return self._evaluate(F.nll_loss, input, target)


# PyTorch's FutureWarning text for the old name (a fact, printed by PyTorch 2.13)
_NLL2D_DEPRECATED = ("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in "
                     "replacement and see https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss "
                     "for more details.")


class NLLLoss2d(NLLLoss):
    """NLLLoss under its old name. PyTorch warns when this class itself is instantiated and
    when a subclass of it is defined, not when a subclass is instantiated."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        if type(self) is NLLLoss2d:
            warnings.warn(_NLL2D_DEPRECATED, FutureWarning, stacklevel=2)
        NLLLoss.__init__(self, weight, size_average, ignore_index, reduce, reduction)

    def __init_subclass__(cls, **kwargs):
        warnings.warn(_NLL2D_DEPRECATED, FutureWarning, stacklevel=2)
        super().__init_subclass__(**kwargs)


class CrossEntropyLoss(_Loss):
    _keywords = ("weight", "ignore_index", "label_smoothing")

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight,
                       ignore_index=ignore_index, label_smoothing=label_smoothing)

    def forward(self, input, target):
        return self._evaluate(F.cross_entropy, input, target)


class LinearCrossEntropyLoss(_Loss):
    """cross_entropy of a Linear layer's logits (F.linear_cross_entropy): the layer is the
    module's child `linear`, its weight stored flat, (C * prod(out_features), in_features),
    and reshaped to (C, *out_features, in_features) for each call."""

    def __init__(self, in_features, num_classes, *, out_features=(), bias=False, device=None,
                 dtype=None, reduction="mean", weight=None, ignore_index=None,
                 label_smoothing=0.0, options=None):
        _Loss.__init__(self, None, None, reduction, weight=weight)
        self.in_features, self.num_classes = in_features, num_classes
        self.out_features = tuple(out_features)
        self.ignore_index, self.label_smoothing, self.options = (ignore_index, label_smoothing,
                                                                 options)
        self.linear = Linear(in_features, num_classes * math.prod(self.out_features), bias=bias,
                             device=device, dtype=dtype)

    def forward(self, input, target):
        shape = (self.num_classes, *self.out_features)
        bias = self.linear.bias
        return F.linear_cross_entropy(
            input, self.linear.weight.view(*shape, self.in_features), target,
            linear_bias=None if bias is None else bias.view(shape), weight=self.weight,
            reduction=self.reduction, ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing, options=self.options)

    def extra_repr(self):
        return (f"in_features={self.in_features}, num_classes={self.num_classes}, "
                f"out_features={self.out_features}, bias={self.linear.bias is not None}, "
                f"reduction={self.reduction}, ignore_index={self.ignore_index}, "
                f"label_smoothing={self.label_smoothing}, options={self.options}")


class BCELoss(_Loss):
    _keywords = ("weight",)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight)

    def forward(self, input, target):
        return self._evaluate(F.binary_cross_entropy, input, target)


class BCEWithLogitsLoss(_Loss):
    _keywords = ("weight", "pos_weight")

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight,
                       pos_weight=pos_weight)

    def forward(self, input, target):
        return self._evaluate(F.binary_cross_entropy_with_logits, input, target)


class CTCLoss(_Loss):
    _keywords = ("blank", "zero_infinity")

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        _Loss.__init__(self, None, None, reduction, blank=blank, zero_infinity=zero_infinity)

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return self._evaluate(ctc_loss, log_probs, targets, input_lengths, target_lengths)
