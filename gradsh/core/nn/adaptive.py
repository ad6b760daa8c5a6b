"""nn.AdaptiveLogSoftmaxWithLoss (Grave et al., "Efficient softmax approximation for GPUs"):
a head scores the frequent classes and one entry per cluster of rare ones, and each cluster
has its own two-layer projection of reduced width. The forward uses the ops PyTorch's graph
shows (IndexCopyBackward0, GatherBackward0, NegBackward0, MeanBackward0) so that gradients,
node names and the parameters' draws (head first, then each cluster's pair) are PyTorch's."""

import collections

import numpy as np

from .. import nn_functional as F
from ..dtypes import read_items
from ..ops.reduce import argmax
from ..tensor import Tensor
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

_ASMoutput = collections.namedtuple("_ASMoutput", ["output", "loss"])

_BAD_CUTOFFS = ("cutoffs should be a sequence of unique, positive integers sorted in an "
                "increasing order, where each value is between 1 and n_classes-1")


def _checked_cutoffs(cutoffs, n_classes):
    if isinstance(cutoffs, Tensor) and cutoffs.dim() == 1 and cutoffs.numel() > 1:
        _check_tensor_cutoffs(cutoffs, n_classes)
    cuts = list(read_items(cutoffs, "cutoffs"))  # (an endless iterator stops at the limit)
    if not cuts:
        raise ValueError("cutoffs should be a sequence of length larger than 0")
    if not _acceptable(cuts, n_classes):
        raise ValueError(_BAD_CUTOFFS)
    return cuts


def _acceptable(cuts, n_classes):
    """PyTorch's conditions on the cutoffs, each asked only when those before it hold: which
    exception odd values raise depends on the order (`'abc'` is in order, then fails comparing
    'a' with 0: a TypeError). Elements are distinct as objects (0-d tensors always are)."""
    if cuts != sorted(cuts):
        return False
    if min(cuts) <= 0 or max(cuts) > n_classes - 1:
        return False
    if len(set(cuts)) != len(cuts):
        return False
    return all(int(c) == c for c in cuts)


def _check_tensor_cutoffs(cutoffs, n_classes):
    """A tensor of cutoffs checked on its values at once, as the element-wise check finds
    (its 0-d elements are distinct objects, so repeated values pass as in PyTorch): PyTorch
    compares the elements one at a time (10^6 of them take seconds there, more here), so a
    large bad tensor is refused before it is taken apart (issue 16, round 20)."""
    floating = cutoffs.is_floating_point()  # (bfloat16 too: its values as float64)
    values = (cutoffs.detach().double() if floating else cutoffs.detach()).numpy()
    if not (floating or values.dtype.kind in "iu") or (floating and
                                                       bool(np.isnan(values).any())):
        return  # (bool, complex, NaN: the element-wise check says what PyTorch says)
    whole = not floating or bool(np.all(np.floor(values) == values))
    if not (bool(np.all(values[1:] >= values[:-1])) and values[0] > 0
            and values[-1] <= n_classes - 1 and whole):
        raise ValueError(_BAD_CUTOFFS)


def _size_text(t):
    return str(t.size())


def _as_batch(x, y):
    """(inputs, targets, batched) after PyTorch's shape checks; a single example becomes a
    batch of one."""
    if y.dim() == 1:
        if x.size(0) != y.size(0):
            raise RuntimeError("Input and target should have the same size in the batch "
                               "dimension.")
        if x.dim() != 2:
            raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs "
                               f"with size {_size_text(x)}")
        return x, y, True
    if y.dim() == 0:
        if x.dim() != 1:
            raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs "
                               f"with size {_size_text(x)}")
        return x.unsqueeze(0), y.unsqueeze(0), False
    raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")


class AdaptiveLogSoftmaxWithLoss(Module):
    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False,
                 device=None, dtype=None):
        super().__init__()
        bounds = _checked_cutoffs(cutoffs, n_classes) + [n_classes]
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs, self.div_value, self.head_bias = bounds, div_value, head_bias
        self.shortlist_size = bounds[0]
        self.n_clusters = len(bounds) - 1
        self.head_size = bounds[0] + self.n_clusters
        made = {"device": device, "dtype": dtype}
        self.head = Linear(in_features, self.head_size, bias=head_bias, **made)
        projections = []
        for k, (lo, hi) in enumerate(self._clusters()):
            width = int(in_features // div_value ** (k + 1))
            projections.append(Sequential(Linear(in_features, width, bias=False, **made),
                                          Linear(width, hi - lo, bias=False, **made)))
        self.tail = ModuleList(projections)

    def _clusters(self):
        """(first class, end) of each cluster, in order."""
        return list(zip(self.cutoffs, self.cutoffs[1:]))

    def reset_parameters(self):
        self.head.reset_parameters()
        for pair in self.tail:
            for layer in pair:
                layer.reset_parameters()

    def forward(self, input_, target_):
        x, y, batched = _as_batch(input_, target_)
        if bool(((y < 0) | (y >= self.n_classes)).any()):
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but "
                               f"values in range [{y.min().item()}, {y.max().item()}] were "
                               "found. ")
        picked = x.new_zeros(y.size(0))
        # the head's target: the class itself in the shortlist, else its cluster's entry
        head_target = y.new_empty(y.size(0))
        first = (y < self.shortlist_size).nonzero().squeeze()
        if first.numel():
            head_target.index_copy_(0, first, y[y < self.shortlist_size])
        for k, (lo, hi) in enumerate(self._clusters()):
            member = (y >= lo) & (y < hi)
            rows = member.nonzero().squeeze()
            if rows.numel() == 0:
                continue
            head_target.index_fill_(0, rows, self.shortlist_size + k)
            scores = F.log_softmax(self.tail[k](x.index_select(0, rows)), dim=1)
            inside = (y[member] - lo).unsqueeze(1)
            picked.index_copy_(0, rows, scores.gather(1, inside).squeeze(1))
        head_scores = F.log_softmax(self.head(x), dim=1)
        picked += head_scores.gather(1, head_target.unsqueeze(1)).squeeze()
        loss = (-picked).mean()
        return _ASMoutput(picked if batched else picked.squeeze(0), loss)

    def _get_full_log_prob(self, input, head_output):
        """log p(class) for every class: the head's score of a class in the shortlist, else
        its cluster's head score plus its score inside the cluster."""
        head_scores = F.log_softmax(head_output, dim=1)
        short = self.shortlist_size
        full = input.new_empty((head_output.size(0), self.n_classes))
        full[:, :short] = head_scores[:, :short]
        for k, (lo, hi) in enumerate(self._clusters()):
            inside = F.log_softmax(self.tail[k](input), dim=1)
            full[:, lo:hi] = inside + head_scores[:, short + k].unsqueeze(1)
        return full

    def log_prob(self, input):
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input):
        head_output = self.head(input)
        best = argmax(head_output, dim=1)
        # only rows whose best head entry is a cluster need the full distribution
        rare = best >= self.shortlist_size
        if not rare.any():
            return best
        if rare.all():
            return argmax(self._get_full_log_prob(input, head_output), dim=1)
        best[rare] = argmax(self._get_full_log_prob(input[rare], head_output[rare]), dim=1)
        return best
