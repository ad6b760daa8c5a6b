"""F.embedding_bag: the sums, means or maxima of bags of embedding rows, without materialising
the rows (PyTorch's _embedding_bag). A bag is a row of a 2-d input, or the entries of a 1-d
input between consecutive offsets; entries equal to padding_idx are skipped (and not counted by
a mean); an empty bag gives zeros. The node is PyTorch's EmbeddingBagBackward0 over the weight
and per_sample_weights; its gradients record no graph, as PyTorch's do.
"""

import numpy as np

from ..dtypes import from_numpy_dtype
from ..errors import TorchAssertionError, indices_dtype
from ..memory import ELEMENTWISE, PYTHON_STEP, check_alloc, check_flops
from ..tensor import TENSOR_TYPES, Tensor
from .cephes import _fma
from .base import contiguous_result, needs_grad, record, rule, save
from .registry import declare

_MODES = {"sum": 0, "mean": 1, "max": 2}


def _bags(input, offsets, include_last_offset):
    """(the input flattened, the bag of each entry, the number of bags)."""
    idx = input._data
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is "
                             "a mini-batch of fixed length sequences. However, found offsets of "
                             f"type {type(offsets)}")
        n, length = idx.shape
        return idx.reshape(-1), np.repeat(np.arange(n), length), n
    if idx.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{idx.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    off = offsets._data
    if off.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    if off.size and off[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {int(off[0])}\n"
                           "[ torch.LongTensor{} ]")
    if off.size and off[-1] > idx.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {idx.size} but "
                           f"got offsets[-1] of {int(off[-1])}")
    starts = off[:-1] if include_last_offset else off
    n = len(starts)
    if n == 0:
        return idx, np.full(idx.shape, -1, np.int64), 0
    bag = np.searchsorted(starts, np.arange(idx.size), side="right") - 1 if n else \
        np.zeros(0, np.int64)
    if include_last_offset and n:
        bag = np.where(np.arange(idx.size) < off[-1], bag, -1)
    return idx, bag, n


def _forward(w, idx, bag, n, mode, psw, padding_idx):
    """(output, count per bag, the row of each maximum (mode max) or None)."""
    keep = (bag >= 0) & (idx != (padding_idx if padding_idx is not None else -1))
    rows, bags = idx[keep], bag[keep]
    check_alloc((n, w.shape[1]), w.dtype)  # 10^5 empty bags of a wide table: before zeros
    if mode == 2:  # a step in Python per index (about 10 us, and four passes over a row)
        check_flops(rows.size * (PYTHON_STEP // 5 + 4 * w.shape[1] * ELEMENTWISE),
                    f"embedding_bag(mode='max') over {rows.size} indices")
    out = np.zeros((n, w.shape[1]), w.dtype)
    count = np.bincount(bags, minlength=n)[:n] if n else np.zeros(0, np.int64)
    if mode == 2:
        arg = np.full((n, w.shape[1]), -1, np.int64)
        for row, b in zip(rows, bags):  # in order: the first of equal maxima wins
            better = (arg[b] < 0) | (w[row] > out[b])
            out[b] = np.where(better, w[row], out[b])
            arg[b] = np.where(better, row, arg[b])
        return out, count, arg
    if psw is None:
        np.add.at(out, bags, w[rows])  # (unbuffered: each bag's rows added in their order)
    else:  # out += psw * row, fused (PyTorch's axpy), a bag's rows in their order
        weights = psw[keep]
        rank = np.arange(bags.size) - np.searchsorted(bags, bags) if bags.size else bags
        for r in range(int(rank.max()) + 1 if rank.size else 0):
            at = rank == r
            b = bags[at]
            out[b] = _fma(np.broadcast_to(weights[at][:, None], (b.size, w.shape[1])),
                          w[rows[at]], out[b])
    if mode == 1:
        with np.errstate(all="ignore"):
            out = np.where(count[:, None] > 0, out / count[:, None].astype(w.dtype), out)
    return out.astype(w.dtype), count, None


@rule
def EmbeddingBagBackward0(need, g, weight, indices, bag, mode, per_sample_weights, padding_idx,
                          count, max_indices):
    gd = g._data if type(g) in TENSOR_TYPES else g
    w = weight._data if type(weight) in TENSOR_TYPES else weight
    idx = indices._data if type(indices) in TENSOR_TYPES else indices
    psw = per_sample_weights._data if type(per_sample_weights) in TENSOR_TYPES else per_sample_weights
    psw_shape = None if psw is None else psw.shape
    psw = None if psw is None else psw.reshape(-1)
    keep = (bag >= 0) & (idx != (padding_idx if padding_idx is not None else -1))
    rows, bags = idx[keep], bag[keep]
    grad_w = grad_psw = None
    if need[0]:
        grad_w = np.zeros(w.shape, gd.dtype)
        if mode == 2:
            b, f = np.nonzero(max_indices >= 0)
            np.add.at(grad_w, (max_indices[b, f], f), gd[b, f])
        else:
            rowgrad = gd[bags]
            if mode == 1:
                rowgrad = rowgrad / count[bags][:, None].astype(gd.dtype)
            if psw is not None:
                rowgrad = rowgrad * psw[keep][:, None]
            np.add.at(grad_w, rows, rowgrad)
    if len(need) > 1 and need[1]:
        grad_psw = np.zeros(idx.shape, gd.dtype)
        grad_psw[keep] = (gd[bags] * w[rows]).sum(-1)
        grad_psw = grad_psw.reshape(psw_shape)
    wrap = Tensor._make if type(g) in TENSOR_TYPES else (lambda a: a)
    return (None if grad_w is None else wrap(grad_w),
            None if grad_psw is None else wrap(grad_psw))


@declare(method=False, function=False, nn=True)
def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """F.embedding_bag (mode sum, mean or max; offsets, per_sample_weights, padding_idx,
    include_last_offset). max_norm, scale_grad_by_freq and sparse gradients are not in gradsh."""
    if not isinstance(input, Tensor):
        raise TypeError(f"embedding_bag(): argument 'indices' (position 2) must be Tensor, not "
                        f"{type(input).__name__}")
    if not isinstance(weight, Tensor):
        raise TypeError(f"embedding_bag(): argument 'weight' (position 2) must be Tensor, not "
                        f"{type(weight).__name__}")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("gradsh's embedding_bag has no max_norm, scale_grad_by_freq "
                                  "or sparse gradients")
    if input._data.dtype not in (np.int64, np.int32):
        raise indices_dtype(from_numpy_dtype(input._data.dtype), "embedding_bag")
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    if weight._data.dtype.kind not in "fV":
        t = from_numpy_dtype(weight._data.dtype)
        # (PyTorch's type names: the legacy one for the integer types, else CPU<Name>Type)
        shown = f"torch.{t._legacy}" if weight._data.dtype.kind in "iu" else f"CPU{t._short}Type"
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the "
                           "following scalar types: Half, BFloat16, Float, Double; but got "
                           f"{shown} instead (while checking arguments for embedding_bag)")
    if padding_idx is not None:
        rows = weight.shape[0]
        if not -rows <= padding_idx < rows:
            raise TorchAssertionError("padding_idx must be within num_embeddings")
        padding_idx = padding_idx % rows
    w = weight._data
    idx, bag, n = _bags(input, offsets, include_last_offset)
    bad = (idx < 0) | (idx >= w.shape[0])
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise RuntimeError(f"Index {at} of input takes value {int(idx[at])} which is not in the "
                           f"valid range [0, {w.shape[0]})")
    psw = None if per_sample_weights is None else per_sample_weights._data.reshape(-1)
    out, count, arg = _forward(w, idx, bag, n, _MODES[mode], psw, padding_idx)
    result = contiguous_result(out)
    if needs_grad(weight, per_sample_weights):
        record(result, EmbeddingBagBackward0, (weight, per_sample_weights),
               (save(weight, "weight"), idx, bag, _MODES[mode],
                None if per_sample_weights is None else save(per_sample_weights,
                                                              "per_sample_weights"),
                padding_idx, count, arg))
    return result


@declare(name="embedding_bag", method=False, nn=False)
def torch_embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, mode=0, sparse=False,
                        per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """torch.embedding_bag, the op under F.embedding_bag: (output, offset2bag, bag_size,
    max_indices), mode an int (0 sum, 1 mean, 2 max).

    The three further results are the CPU kernel's working values as PyTorch returns them:
    the bag of each index (empty in mode sum without a padding_idx, which skips it), the number
    of indices counted in each bag (zeros in mode sum), and in mode max the row each maximum
    came from (mode mean: the bag sizes again; mode sum: zeros)."""
    for arg, pos, t in (("weight", 1, weight), ("indices", 2, indices), ("offsets", 3, offsets)):
        if not isinstance(t, Tensor):
            raise TypeError(f"embedding_bag(): argument '{arg}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    name = {0: "sum", 1: "mean", 2: "max"}.get(mode)
    if name is None:
        raise RuntimeError(f"embedding_bag: mode must be 0 (sum), 1 (mean) or 2 (max), got {mode}")
    pad = padding_idx
    out = embedding_bag(indices, weight, offsets, None, 2, scale_grad_by_freq, name, sparse,
                        per_sample_weights, include_last_offset, pad)
    idx, bag, n = _bags(indices, offsets, include_last_offset)
    keep = (bag >= 0) & (idx != (pad % weight.shape[0] if pad is not None else -1))
    count = np.bincount(bag[keep], minlength=n)[:n].astype(np.int64) if n else np.zeros(0, np.int64)
    if mode == 0:
        offset2bag = np.zeros(0, np.int64) if padding_idx is None else bag.astype(np.int64)
        size = np.zeros(n, np.int64)
        extra = size.copy()
    else:
        offset2bag, size = bag.astype(np.int64), count
        if mode == 1:
            extra = count.copy()
        else:
            _, _, arg = _forward(weight._data, idx, bag, n, 2, None, pad)
            extra = np.maximum(arg, 0)
    return (out, contiguous_result(offset2bag), contiguous_result(size),
            contiguous_result(extra))
