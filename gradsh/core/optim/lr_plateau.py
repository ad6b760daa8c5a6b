"""ReduceLROnPlateau: the learning rate times factor once a metric has not improved for
`patience` steps (as PyTorch's: it reads the metric each step and keeps no initial step)."""

import warnings
from math import inf

from .lr_scheduler import EPOCH_DEPRECATION_WARNING, LRScheduler, check_optimizer

# (mode, threshold_mode) -> is `a` better than `best`, given the threshold
_IMPROVES = {
    ("min", "rel"): lambda a, best, threshold: a < best * (1.0 - threshold),
    ("min", "abs"): lambda a, best, threshold: a < best - threshold,
    ("max", "rel"): lambda a, best, threshold: a > best * (threshold + 1.0),
    ("max", "abs"): lambda a, best, threshold: a > best + threshold,
}


class ReduceLROnPlateau(LRScheduler):
    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        check_optimizer(optimizer)
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        one_each = isinstance(min_lr, (list, tuple))
        if one_each and len(min_lr) != n:
            raise ValueError(f"expected {n} min_lrs, got {len(min_lr)}")
        # a single min_lr is kept as the default for groups added later
        self.default_min_lr = None if one_each else min_lr
        self.min_lrs = list(min_lr) if one_each else [min_lr] * n
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._current()
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _reset(self):
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def _init_is_better(self, mode, threshold, threshold_mode):
        if mode not in {"min", "max"}:
            raise ValueError("mode " + mode + " is unknown!")
        if threshold_mode not in {"rel", "abs"}:
            raise ValueError("threshold mode " + threshold_mode + " is unknown!")
        self.mode_worse = inf if mode == "min" else -inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def _is_better(self, a, best):
        return _IMPROVES[self.mode, self.threshold_mode](a, best, self.threshold)

    def step(self, metrics, epoch=None):
        value = float(metrics)
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._patience_ran_out(value):
            self._reduce_lr()
        self._last_lr = self._current()

    def _patience_ran_out(self, value):
        """Count `value` as an improvement or a bad epoch; True (and start a cooldown) once
        the bad epochs outnumber `patience`. Bad epochs during a cooldown are forgotten."""
        improved = self._is_better(value, self.best)
        self.best = value if improved else self.best
        bad = 0 if improved else self.num_bad_epochs + 1
        if self.cooldown_counter > 0:
            self.cooldown_counter, bad = self.cooldown_counter - 1, 0
        exhausted = bad > self.patience
        if exhausted:
            self.cooldown_counter, bad = self.cooldown, 0
        self.num_bad_epochs = bad
        return exhausted

    def _reduce_lr(self):
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:  # a list of min_lr cannot be stretched
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs from "
                    f"when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), usually due "
                    "to a new param group being added to the optimizer. Please modify the "
                    "`min_lrs` field to match the length of the `optimizer` param groups.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, low in zip(groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, low)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def load_state_dict(self, state_dict):
        for name, value in state_dict.items():
            setattr(self, name, value)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)
