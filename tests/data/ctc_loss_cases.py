"""The CTC loss cases recorded from PyTorch by tools/record_ctc_loss.py and replayed by
tests/nn/test_ctc_loss.py: random log-probabilities (numpy's seeded generator, so both sides
build the same inputs) over shapes, blanks, padded and concatenated targets, repeated labels,
short and empty inputs and targets, both dtypes, every reduction, zero_infinity, and lengths as
tensors or tuples."""

import numpy as np


def _case(seed, T, N, C, S, dtype, blank=0, concat=False, tuples=False, short=True,
          repeats=False, impossible=False):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, N, C))
    lp = x - np.log(np.exp(x).sum(axis=2, keepdims=True))
    labels = [c for c in range(C) if c != blank]
    tl = rng.integers(0 if short else S, S + 1, N) if S else np.zeros(N, np.int64)
    il = rng.integers(max(1, T // 2) if short else T, T + 1, N)
    if impossible:
        tl[0], il[0] = S, min(il[0], max(S - 1, 0))
    targets = rng.choice(labels, (N, S)) if S else np.zeros((N, 0), np.int64)
    if repeats and S >= 2:
        targets[:, 1] = targets[:, 0]
    if concat:
        targets = np.concatenate([targets[b, :tl[b]] for b in range(N)])
    return {"log_probs": lp.astype(dtype).tolist(), "dtype": dtype,
            "targets": targets.astype(np.int64).tolist(),
            "input_lengths": il.tolist(), "target_lengths": tl.tolist(),
            "tuples": tuples, "blank": blank}


def cases():
    out = {}
    seed = 0
    for dtype in ("float32", "float64"):
        for T, N, C, S in ((5, 2, 4, 3), (12, 3, 6, 5), (20, 4, 7, 8), (1, 2, 3, 1),
                           (8, 1, 2, 4), (6, 3, 5, 0)):
            for variant in ({}, {"concat": True}, {"tuples": True, "blank": C - 1},
                            {"repeats": True, "short": False}, {"impossible": True}):
                seed += 1
                out[f"{dtype}-{T}x{N}x{C}-S{S}-{seed}"] = _case(seed, T, N, C, S, dtype,
                                                               **variant)
    return out


REDUCTIONS = ("none", "mean", "sum")
