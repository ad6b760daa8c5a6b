"""The margin, embedding and likelihood loss modules (their functions: core/nn_losses.py),
declared as the losses of loss.py are: the options, in PyTorch's attribute order, and one
`_evaluate` call per forward."""

from .. import nn_losses as F
from .distance import PairwiseDistance
from .loss import _Loss


def _require_positive_margin(owner, margin):
    if margin <= 0:
        raise ValueError(f"{owner}: expected margin to be greater than 0, got {margin} instead")


class MarginRankingLoss(_Loss):
    _keywords = ("margin",)

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input1, input2, target):
        return self._evaluate(F.margin_ranking_loss, input1, input2, target)


class HingeEmbeddingLoss(_Loss):
    _keywords = ("margin",)

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input, target):
        return self._evaluate(F.hinge_embedding_loss, input, target)


class CosineEmbeddingLoss(_Loss):
    _keywords = ("margin",)

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input1, input2, target):
        return self._evaluate(F.cosine_embedding_loss, input1, input2, target)


class TripletMarginLoss(_Loss):
    _keywords = ("margin", "p", "eps", "swap")

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction)
        _require_positive_margin("TripletMarginLoss", margin)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return self._evaluate(F.triplet_margin_loss, anchor, positive, negative)


class TripletMarginWithDistanceLoss(_Loss):
    _keywords = ("distance_function", "margin", "swap")

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        _Loss.__init__(self, None, None, reduction)
        _require_positive_margin("TripletMarginWithDistanceLoss", margin)
        self.distance_function = (PairwiseDistance() if distance_function is None
                                  else distance_function)
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return self._evaluate(F.triplet_margin_with_distance_loss, anchor, positive, negative)


class PoissonNLLLoss(_Loss):
    _keywords = ("log_input", "full", "eps")

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, log_input=log_input, full=full,
                       eps=eps)

    def forward(self, log_input, target):
        return self._evaluate(F.poisson_nll_loss, log_input, target)


class GaussianNLLLoss(_Loss):
    _keywords = ("full", "eps")

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        _Loss.__init__(self, None, None, reduction, full=full, eps=eps)

    def forward(self, input, target, var):
        return self._evaluate(F.gaussian_nll_loss, input, target, var)


class MultiMarginLoss(_Loss):
    _keywords = ("p", "margin", "weight")

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError("MultiMarginLoss: expected weight to be None or 1D tensor, got "
                             f"{weight.dim()}D instead")
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return self._evaluate(F.multi_margin_loss, input, target)


class SoftMarginLoss(_Loss):
    def forward(self, input, target):
        return self._evaluate(F.soft_margin_loss, input, target)


class MultiLabelMarginLoss(_Loss):
    def forward(self, input, target):
        return self._evaluate(F.multilabel_margin_loss, input, target)


class MultiLabelSoftMarginLoss(_Loss):
    _keywords = ("weight",)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight)

    def forward(self, input, target):
        return self._evaluate(F.multilabel_soft_margin_loss, input, target)
