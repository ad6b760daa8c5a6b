"""The connectionist temporal classification loss: F.ctc_loss, torch.ctc_loss.

PyTorch's CPU kernel (ATen's LossCTC.cpp) is written again here in numpy: per batch element,
the forward variables alpha over the extended target (blanks between and around the labels) in
log space, eq. (6)-(8) of Graves et al. 2006, each step's three-way logsumexp written as the
kernel writes it (the maximum taken out, `-inf` maxima replaced by 0), and the backward
variables beta with the per-class log-sums of alpha * beta, eq. (10)-(16). The kernel's loop
over the extended target s depends only on the previous time step, so a time step is one
vector operation over s. float32 exp is glibc's (ops/expf.py), as the kernel's scalar
std::exp; float32 log is the float64 log rounded (glibc's logf rounds correctly except in
rare halfway cases).

The reductions are ATen's composite around the op (`_ctc_loss`, node CtcLossBackward0):
`where(res == inf, 0, res)` for zero_infinity, `(res / target_lengths.clamp_min(1)).mean()` for
'mean', `res.sum()` for 'sum'; unbatched (T, C) input is unsqueezed to a batch of one and
squeezed back. The gradient of CtcLossBackward0 has no derivative in PyTorch
(NotImplemented under create_graph).
"""

import importlib

import numpy as np

from .ops import prim as P
from .ops.base import make, needs_grad, record, rule, save, save_out, torch_dtype
from .ops.expf import glibc_expf
from .ops.pointwise import NotImplementedBackward, where
from .ops.registry import declare
from .tensor import TENSOR_TYPES

_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}  # torch.nn._reduction.get_enum
_WHERE = " (while checking arguments for ctc_loss_allocate_outputs)"


# ----- the arithmetic, in the kernel's dtype -------------------------------------------------
def _exp(x):
    if x.dtype == np.float32:
        return glibc_expf(x)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x)


def _log(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        if x.dtype == np.float32:
            return np.log(x.astype(np.float64)).astype(np.float32)
        return np.log(x)


def _logsumexp3(a, b, c):
    """log(exp(a - m) + exp(b - m) + exp(c - m)) + m, m the largest (0 when all are -inf)."""
    m = np.maximum(np.maximum(a, b), c)
    m[m == -np.inf] = 0
    with np.errstate(invalid="ignore"):
        return _log(_exp(a - m) + _exp(b - m) + _exp(c - m)) + m


def _shifted(row, by, fill):
    """row moved by `by` places (right for by > 0), the emptied places `fill`."""
    out = np.full_like(row, fill)
    if by > 0:
        out[by:] = row[:-by] if row.size > by else out[by:]
    else:
        out[:by] = row[-by:] if row.size > -by else out[:by]
    return out


def _primes(target, blank):
    """The extended target: blank, l1, blank, l2, ..., blank."""
    out = np.full(2 * target.size + 1, blank, np.int64)
    out[1::2] = target
    return out


def _alpha(lp, primes, length):
    """log alpha (length, 2L + 1) of one batch element: lp its (T, C) log-probabilities."""
    S = primes.size
    neg = lp.dtype.type(-np.inf)
    la = np.full((length, S), neg, lp.dtype)
    la[0, 0] = lp[0, primes[0]]
    if S > 1:
        la[0, 1] = lp[0, primes[1]]
    skip = np.zeros(S, bool)  # the third path (from s - 2) is open unless the labels repeat
    skip[2:] = primes[2:] != primes[:-2]
    for t in range(1, length):
        prev = la[t - 1]
        la3 = np.where(skip, _shifted(prev, 2, neg), neg)
        la[t] = _logsumexp3(prev, _shifted(prev, 1, neg), la3) + lp[t, primes]
    return la


def _nll(la, primes, length):
    """-log p(target | input) from the last alphas (eq. 8)."""
    S = primes.size
    if length == 0:
        return -la.dtype.type(0 if S == 1 else -np.inf)
    if S == 1:
        return -la[length - 1, 0]
    l1, l2 = la[length - 1, S - 1], la[length - 1, S - 2]
    m = max(l1, l2)
    m = la.dtype.type(0) if m == -np.inf else m
    pair = _exp(np.array([l1 - m, l2 - m], la.dtype))
    return -(_log(np.array(pair[0] + pair[1]))[()] + m)


def _forward(lp, targets, offsets, input_lengths, target_lengths, blank):
    """(neg_log_likelihood (N,), log_alpha (N, T, 2 max L + 1)) of lp (T, N, C)."""
    T, N, _ = lp.shape
    width = 2 * max(target_lengths, default=0) + 1
    nll = np.empty(N, lp.dtype)
    log_alpha = np.full((N, T, width), -np.inf, lp.dtype)
    for b in range(N):
        primes = _primes(_target(targets, offsets, b, target_lengths[b]), blank)
        if input_lengths[b] > 0:
            la = _alpha(lp[:, b], primes, input_lengths[b])
            log_alpha[b, :input_lengths[b], :primes.size] = la
        else:
            la = log_alpha[b]
        nll[b] = _nll(la, primes, input_lengths[b])
    return nll, log_alpha


def _target(targets, offsets, b, length):
    t = targets[b] if targets.ndim == 2 else targets[offsets[b]:]
    return t[:length]


def _beta_grad(lp, la, primes, length, nll, gr):
    """The kernel's gradient of one batch element (T, C): beta by eq. (10)-(11), the
    log-sums of alpha * beta per class by eq. (16), then exp(lp) - exp(lcab + nll - lp)."""
    T, C = lp.shape
    S = primes.size
    dt = lp.dtype.type
    neg = dt(-np.inf)
    grad = np.zeros((T, C), lp.dtype)
    if length == 0:
        return grad
    lb = np.full((length, S), neg, lp.dtype)
    lcab = np.full((length, C), neg, lp.dtype)
    last = length - 1
    lb[last, S - 1] = lp[last, primes[S - 1]]
    lcab[last, primes[S - 1]] = la[last, S - 1] + lb[last, S - 1]
    if S > 1:
        lb[last, S - 2] = lp[last, primes[S - 2]]
        lcab[last, primes[S - 2]] = la[last, S - 2] + lb[last, S - 2]
    skip = np.zeros(S, bool)  # from s + 2 unless the labels repeat
    skip[:-2] = primes[:-2] != primes[2:]
    for t in range(length - 2, -1, -1):
        nxt = lb[t + 1]
        lb3 = np.where(skip, _shifted(nxt, -2, neg), neg)
        lb[t] = _logsumexp3(nxt, _shifted(nxt, -1, neg), lb3) + lp[t, primes]
    if length > 1:
        # the kernel log-adds alpha * beta into its class's slot for s = S-1 down to 0, one
        # time step after another; the slots of different steps are independent
        rows = lcab[:last]
        ab = la[:last] + lb[:last]
        for s in range(S - 1, -1, -1):
            c, x = primes[s], ab[:, s]
            have = rows[:, c]
            m = np.maximum(have, x)
            with np.errstate(invalid="ignore"):
                added = _log(_exp(have - m) + _exp(x - m)) + m
            rows[:, c] = np.where(have == -np.inf, x, added)
    with np.errstate(invalid="ignore", over="ignore"):
        grad[:length] = (_exp(lp[:length]) - _exp(lcab + nll - lp[:length])) * gr
    return grad


def _grad_array(g, lp, targets, input_lengths, target_lengths, nll, log_alpha, blank,
                zero_infinity):
    T, N, C = lp.shape
    offsets = _offsets(targets, target_lengths)
    g = np.broadcast_to(np.asarray(g, lp.dtype), (N,))
    grad = np.zeros_like(lp)
    for b in range(N):
        if zero_infinity and nll[b] == np.inf:
            continue
        primes = _primes(_target(targets, offsets, b, target_lengths[b]), blank)
        la = log_alpha[b, :, :primes.size]
        grad[:, b] = _beta_grad(lp[:, b], la, primes, input_lengths[b], nll[b], g[b])
    return grad


def _offsets(targets, target_lengths):
    return np.concatenate([[0], np.cumsum(target_lengths, dtype=np.int64)]) \
        if targets.ndim == 1 else None


@rule
def CtcLossBackward0(need, g, log_probs, targets, input_lengths, target_lengths, result0,
                     result1, blank, zero_infinity):
    value = _grad_array(P.data(g), P.data(log_probs), P.data(targets), input_lengths,
                        target_lengths, P.data(result0), P.data(result1), blank, zero_infinity)
    # (ATen's kernel makes its grad with empty_like(log_probs, LEGACY_CONTIGUOUS_MEMORY_FORMAT))
    value = np.ascontiguousarray(value)
    if type(g) not in TENSOR_TYPES:
        return (value,)
    out = make(value)
    if needs_grad(log_probs, result0):  # _ctc_loss_backward has no derivative in PyTorch
        record(out, NotImplementedBackward, (log_probs, result0), ("_ctc_loss_backward",))
    return (out,)


# ----- the checks of ctc_loss_allocate_outputs -----------------------------------------------
def _check(lp, targets, input_lengths, target_lengths, blank):
    if lp.ndim != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional "
                           f"tensor for argument #1 'log_probs'{_WHERE}")
    if not 1 <= targets.ndim <= 2:
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional "
                           f"tensor for argument #2 'targets'{_WHERE}")
    _, N, C = lp.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if len(input_lengths) != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(target_lengths) != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    for length in target_lengths:
        if length < 0:
            raise RuntimeError("Expected target_lengths to have value at least 0, but got "
                               f"value {length}{_WHERE}")
    if targets.ndim == 1:
        _check_size(targets, 0, sum(target_lengths))
    else:
        _check_size(targets, 0, N)
        most = max(target_lengths, default=0)
        if targets.shape[1] < most:
            raise RuntimeError(f"Expected tensor to have size at least {most} at dimension 1, "
                               f"but got size {targets.shape[1]} for argument #2 'targets'"
                               f"{_WHERE}")
    for length in input_lengths:
        if length < 0:
            raise RuntimeError("Expected input_lengths to have value at least 0, but got "
                               f"value {length}{_WHERE}")
        if length > lp.shape[0]:
            raise RuntimeError(f"Expected input_lengths to have value at most {lp.shape[0]}, "
                               f"but got value {length}{_WHERE}")


def _check_size(targets, dim, size):
    if targets.shape[dim] != size:
        raise RuntimeError(f"Expected tensor to have size {size} at dimension {dim}, but got "
                           f"size {targets.shape[dim]} for argument #2 'targets'{_WHERE}")


def _native_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
    """aten::_ctc_loss on CPU: the per-sample negative log-likelihoods, node CtcLossBackward0."""
    lp = log_probs._data
    if lp.dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            f"\"ctc_loss_cpu\" not implemented for '{torch_dtype(lp.dtype)._short}'")
    t = np.asarray(targets._data).astype(np.int64)  # targets.to(kLong)
    _check(lp, t, input_lengths, target_lengths, blank)
    nll, log_alpha = _forward(lp, t, _offsets(t, target_lengths), input_lengths,
                              target_lengths, blank)
    out = make(nll)
    if needs_grad(log_probs):
        alpha = make(log_alpha)
        record(out, CtcLossBackward0, (log_probs,),
               (save(log_probs, "log_probs"), save(make(t), "targets"), input_lengths,
                target_lengths, save_out(out, "result0"), save(alpha, "result1"), blank,
                zero_infinity))
    return out


# ----- the public functions ------------------------------------------------------------------
def _lengths_tensor(t, name):
    if t._data.dtype.kind not in "iu":
        raise RuntimeError(f"{name} must be integral")
    return tuple(int(v) for v in t._data.reshape(-1))


def _int_tuple(x):
    """A tuple of ints from PyTorch's `tuple of ints` parameter, or None."""
    if not isinstance(x, (tuple, list)):
        return None
    out = []
    for v in x:
        if type(v) in TENSOR_TYPES and v._data.size == 1 and v._data.dtype.kind in "iu":
            v = int(v._data.reshape(()))
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            return None
        out.append(int(v))
    return tuple(out)


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _torch_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0,
                    zero_infinity=False):
    """torch.ctc_loss: ATen's composite (the reduction an int, 0 when not given, as PyTorch
    2.13's parser reads the `at::Reduction::Mean` default)."""
    if type(input_lengths) in TENSOR_TYPES and type(target_lengths) in TENSOR_TYPES:
        il = _lengths_tensor(input_lengths, "input_lengths")
        tl = _lengths_tensor(target_lengths, "target_lengths")
    else:
        il, tl = _int_tuple(input_lengths), _int_tuple(target_lengths)
    args = (log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)
    if il is None or tl is None or type(log_probs) not in TENSOR_TYPES or type(targets) not in TENSOR_TYPES \
            or not _is_int(blank) or not _is_int(reduction) or type(zero_infinity) is not bool:
        # PyTorch's parser words it (F.ctc_loss passes its seven arguments on by position);
        # argcheck loads numpy.random, so it is loaded on the first failure, not at start-up
        argcheck = importlib.import_module(__package__ + ".argcheck")
        raise TypeError(argcheck.refusal("torch", "ctc_loss", args, {})
                        or "ctc_loss() received an invalid combination of arguments")
    if log_probs._data.size == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    res = _native_ctc_loss(lp, targets, il, tl, blank, zero_infinity)
    if zero_infinity:
        res = where(res == np.inf, make(np.zeros((), res._data.dtype)), res)
    if reduction == 1:
        lengths = make(np.maximum(np.asarray(tl, res._data.dtype), 1))
        return (res / lengths).mean()
    if reduction == 2:
        return res.sum()
    return res if batched else res.squeeze(0)


_torch_ctc_loss.__name__ = _torch_ctc_loss.__qualname__ = "ctc_loss"


@declare(method=False, function=_torch_ctc_loss, nn=True)
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """The CTC loss of log-probabilities (T, N, C) or (T, C) against targets (N, S) padded or
    (sum of target_lengths,) concatenated; 'mean' divides each loss by its target length
    before averaging over the batch."""
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _torch_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                           _REDUCTIONS[reduction], zero_infinity)
