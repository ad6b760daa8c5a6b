"""The margin, embedding and likelihood loss modules (their functions: core/nn_losses.py).

Each class names its function and the options that function reads in its class statement
(`fn=`, `reads=`); the options are stored by _Loss in PyTorch's attribute order, and a forward
hands its tensors to `_score`, which adds the options and the reduction."""

from .. import nn_losses as F
from .distance import PairwiseDistance
from .loss import _Loss


class _ScoredBy(_Loss):
    """A loss whose forward is its function applied to the inputs and the stored options."""

    def __init_subclass__(cls, fn=None, reads=(), **kwargs):
        super().__init_subclass__(**kwargs)
        if fn is not None:  # a program's subclass keeps its parent's function and options
            cls._fn, cls._keywords = staticmethod(fn), tuple(reads)

    def _score(self, *tensors):
        return self._evaluate(self._fn, *tensors)


def _margin_must_be_positive(loss, margin):
    if margin <= 0:
        raise ValueError(f"{loss}: expected margin to be greater than 0, got {margin} instead")


def _one_dim_or_none(weight):
    if weight is None or weight.dim() == 1:
        return
    raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got "
                     f"{weight.dim()}D instead")


class MarginRankingLoss(_ScoredBy, fn=F.margin_ranking_loss, reads=["margin"]):
    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input1, input2, target):
        return self._score(input1, input2, target)


class HingeEmbeddingLoss(_ScoredBy, fn=F.hinge_embedding_loss, reads=["margin"]):
    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input, target):
        return self._score(input, target)


class CosineEmbeddingLoss(_ScoredBy, fn=F.cosine_embedding_loss, reads=["margin"]):
    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, margin=margin)

    def forward(self, input1, input2, target):
        return self._score(input1, input2, target)


class TripletMarginLoss(_ScoredBy, fn=F.triplet_margin_loss,
                        reads=["margin", "p", "eps", "swap"]):
    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction)
        _margin_must_be_positive("TripletMarginLoss", margin)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return self._score(anchor, positive, negative)


class TripletMarginWithDistanceLoss(_ScoredBy, fn=F.triplet_margin_with_distance_loss,
                                    reads=["distance_function", "margin", "swap"]):
    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        _Loss.__init__(self, None, None, reduction)
        _margin_must_be_positive("TripletMarginWithDistanceLoss", margin)
        if distance_function is None:
            distance_function = PairwiseDistance()
        self.distance_function = distance_function
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return self._score(anchor, positive, negative)


class PoissonNLLLoss(_ScoredBy, fn=F.poisson_nll_loss, reads=["log_input", "full", "eps"]):
    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, log_input=log_input, full=full,
                       eps=eps)

    def forward(self, log_input, target):
        return self._score(log_input, target)


class GaussianNLLLoss(_ScoredBy, fn=F.gaussian_nll_loss, reads=["full", "eps"]):
    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        _Loss.__init__(self, None, None, reduction, full=full, eps=eps)

    def forward(self, input, target, var):
        return self._score(input, target, var)


class MultiMarginLoss(_ScoredBy, fn=F.multi_margin_loss, reads=["p", "margin", "weight"]):
    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        _one_dim_or_none(weight)
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return self._score(input, target)


class SoftMarginLoss(_ScoredBy, fn=F.soft_margin_loss):
    def forward(self, input, target):
        return self._score(input, target)


class MultiLabelMarginLoss(_ScoredBy, fn=F.multilabel_margin_loss):
    def forward(self, input, target):
        return self._score(input, target)


class MultiLabelSoftMarginLoss(_ScoredBy, fn=F.multilabel_soft_margin_loss, reads=["weight"]):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        _Loss.__init__(self, size_average, reduce, reduction, weight=weight)

    def forward(self, input, target):
        return self._score(input, target)
