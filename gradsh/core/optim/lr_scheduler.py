"""Learning-rate schedulers: StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR,
LambdaLR, MultiplicativeLR, ConstantLR and PolynomialLR, stepping as PyTorch's do (an initial
step at construction sets last_epoch to 0 and records `initial_lr` in each parameter group). The chainable ones update the group's current lr
by PyTorch's recursive formulas, so the floats are PyTorch's (0.1 * 0.1 = 0.010000000000000002);
`step(epoch)` (deprecated) uses the closed forms, as PyTorch's. The cyclic schedulers, the
composing ones and ReduceLROnPlateau live in lr_cycles.py, lr_compose.py and lr_plateau.py.
"""

from ..torchclass import TorchClass

import bisect
import collections
import math
import types
import warnings
import weakref

from ..errors import no_attribute
from .optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose.")

_SEE_MORE = ("See more details at "
             "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")
_STEP_OVERRIDDEN = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler "
    "initialization. Please, make sure to call `optimizer.step()` before "
    "`lr_scheduler.step()`. " + _SEE_MORE)
_STEP_ORDER = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
    "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
    "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
    "will result in PyTorch skipping the first value of the learning rate schedule. "
    + _SEE_MORE)


def check_optimizer(optimizer):
    if isinstance(optimizer, Optimizer):
        return optimizer
    raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


_ONE_PER_GROUP = (list, tuple)


def per_group(name, optimizer, value):
    """value for each parameter group: a list or tuple of one per group, or one for all."""
    n = len(optimizer.param_groups)
    if not isinstance(value, _ONE_PER_GROUP):
        return [value] * n
    if len(value) == n:
        return list(value)
    raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                     f"{name} has {len(value)} values, param_groups has {n}.")


def lr_rule(get_lr):
    """A scheduler's get_lr, which warns as PyTorch's when a program calls it outside step()."""
    def checked(self):
        if not isinstance(self, LRScheduler):  # `StepLR.get_lr(t)`: PyTorch's AttributeError
            raise TypeError("descriptor '%s' for 'LRScheduler' objects doesn't apply to a '%s' "
                            "object" % (get_lr.__name__, type(self).__name__))
        if self._get_lr_called_within_step:
            return get_lr(self)
        warnings.warn("To get the last learning rate computed by the scheduler, please use "
                      "`get_last_lr()`.", UserWarning, stacklevel=2)
        return get_lr(self)

    checked.__name__ = checked.__qualname__ = get_lr.__name__
    checked.__doc__ = get_lr.__doc__
    return checked


def _warn_epoch_argument():
    warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=3)


def _require_initial_lrs(groups):
    for i, g in enumerate(groups):
        if "initial_lr" in g:
            continue
        raise KeyError(
            f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
            "scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're "
            "trying to resume training from a checkpoint but haven't properly loaded "
            "the optimizer state\n2. You're using last_epoch >= 0 for a fresh training "
            "run (not recommended)")


def _track_step_calls(optimizer):
    """Wrap optimizer.step (once) so that it records that it ran (`_opt_called`): the first
    scheduler step then warns, as PyTorch's, when the optimizer has not stepped yet."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    method = type(optimizer).step
    owner = weakref.ref(optimizer)

    def step(*args, **kwargs):
        opt = owner()
        opt._opt_called = True
        return method(opt, *args, **kwargs)

    step._wrapped_by_lr_sched = True
    optimizer.step = step

from ..dtypes import read_items


class LRScheduler(metaclass=TorchClass):
    _get_lr_called_within_step = False
    _is_initial = False

    def __repr__(self):
        """PyTorch's default text for its schedulers (all in torch.optim.lr_scheduler); a
        program's own subclass keeps Python's."""
        if not type(self).__module__.startswith("gradsh."):
            return object.__repr__(self)
        return f"<torch.optim.lr_scheduler.{type(self).__name__} object at {hex(id(self))}>"

    def __init__(self, optimizer, last_epoch=-1):
        self.optimizer = check_optimizer(optimizer)
        groups = optimizer.param_groups
        if last_epoch == -1:  # a fresh start: the lr each group has now is where it begins
            for g in groups:
                g.setdefault("initial_lr", g["lr"])
        else:  # a resumed schedule: each group must remember where it began
            _require_initial_lrs(groups)
        self.base_lrs = [g["initial_lr"] for g in groups]
        self.last_epoch = last_epoch
        _track_step_calls(optimizer)
        self._initial_step()

    def _initial_step(self):
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        raise NotImplementedError

    def _current(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        return self._last_lr

    def step(self, epoch=None):
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(_STEP_OVERRIDDEN, UserWarning, stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(_STEP_ORDER, UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            _warn_epoch_argument()
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        if epoch is None:  # the chained form: from the current lrs
            self.last_epoch += 1
            self._apply(self.get_lr)
        else:  # the closed form at the given epoch, where the scheduler has one
            self.last_epoch = epoch
            self._apply(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _apply(self, rule):
        """Set every group's lr from rule(), called as from within step() (no warning)."""
        self._get_lr_called_within_step = True
        try:
            values = rule()
        finally:
            self._get_lr_called_within_step = False
        self._set_lrs(values)

    def _set_lrs(self, values):
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        vars(self).update(state_dict)


_LRScheduler = LRScheduler


class StepLR(LRScheduler):
    """Multiply the learning rate by gamma every step_size epochs."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size)
                for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by gamma at each milestone epoch."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = collections.Counter(read_items(milestones, "MultiStepLR's milestones"))
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        hits = self.milestones.get(self.last_epoch, 0)  # a milestone may be listed twice
        if hits:
            return [lr * self.gamma ** hits for lr in self._current()]
        return self._current()

    def _get_closed_form_lr(self):
        passed = bisect.bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma ** passed for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """The learning rate times factor until total_iters, then as it was."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        above_one = factor > 1.0
        if above_one or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        # scaled down at epoch 0, back up (by the reciprocal) at total_iters, unchanged between
        t = self.last_epoch
        if t == 0:
            scale = self.factor
        elif t == self.total_iters:
            scale = 1.0 / self.factor
        else:
            return self._current()
        return [lr * scale for lr in self._current()]

    def _get_closed_form_lr(self):
        done = self.last_epoch >= self.total_iters
        return [base * (self.factor + done * (1 - self.factor)) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by gamma every epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the learning rate linearly from start_factor to end_factor over total_iters."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        above_one = start_factor > 1.0
        if above_one or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             "less or equal to 1.")
        above_one = end_factor > 1.0
        if above_one or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        t = self.last_epoch
        if t == 0:
            factor = self.start_factor
        elif self._ramping(t):
            # the ratio of the lr at t to the lr at t - 1 on the line from start to end
            span = self.end_factor - self.start_factor
            factor = 1.0 + span / (self.total_iters * self.start_factor + (t - 1) * span)
        else:
            return self._current()
        return [lr * factor for lr in self._current()]

    def _ramping(self, t):
        return not self._is_initial and t <= self.total_iters

    def _get_closed_form_lr(self):
        span = self.end_factor - self.start_factor
        return [base * (self.start_factor + span * min(self.total_iters, self.last_epoch)
                        / self.total_iters) for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """The learning rate decays as (1 - epoch / total_iters) ** power, then stays."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        n, t = self.total_iters, self.last_epoch
        if t > n or self._is_initial:
            return self._current()
        decay = ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power
        return [lr * decay for lr in self._current()]

    def _get_closed_form_lr(self):
        n = self.total_iters
        return [base * (1.0 - min(n, self.last_epoch) / n) ** self.power
                for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """The learning rate follows a cosine from the initial one down to eta_min over T_max."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        t, t_max, low = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current()
        if self._step_count == 1 and t > 0:
            return [low + (base - low) * (1 + math.cos(t * math.pi / t_max)) / 2
                    for base in self.base_lrs]
        if (t - 1 - t_max) % (2 * t_max) == 0:
            return [lr + (base - low) * (1 - math.cos(math.pi / t_max)) / 2
                    for base, lr in zip(self.base_lrs, self._current())]
        ratio = (1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max))
        return [ratio * (lr - low) + low for lr in self._current()]

    def _get_closed_form_lr(self):
        low = self.eta_min
        return [low + (base - low) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class _LambdaScheduler(LRScheduler):
    """LambdaLR and MultiplicativeLR: one function of the epoch per parameter group; their
    state_dict keeps None for plain functions (and a callable object's __dict__)."""

    _callables_only = False  # (MultiplicativeLR checks them, LambdaLR does not)

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * n
        else:
            if len(lr_lambda) != n:
                raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
            self.lr_lambdas = [fn for fn in lr_lambda]
        for fn in self.lr_lambdas if self._callables_only else ():
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                               for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        if not isinstance(state_dict, dict):
            # PyTorch's first step is state_dict.pop("lr_lambdas"): its error for what is not a
            # dict (and no reading of an endless iterable of pairs)
            if isinstance(state_dict, list):
                raise TypeError("'str' object cannot be interpreted as an integer")
            raise no_attribute(state_dict, "pop")  # PyTorch's, not gradsh's (not internal)
        state_dict = dict(state_dict)
        saved = state_dict.pop("lr_lambdas")  # (PyTorch's KeyError without it)
        vars(self).update(state_dict)
        for fn, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                fn.__dict__.update(attributes)


class LambdaLR(_LambdaScheduler):
    """The learning rate is the initial one times lr_lambda(epoch)."""

    @lr_rule
    def get_lr(self):
        return [base * lmbda(self.last_epoch) for lmbda, base in zip(self.lr_lambdas,
                                                                     self.base_lrs)]


class MultiplicativeLR(_LambdaScheduler):
    """Each epoch the learning rate is multiplied by lr_lambda(epoch)."""

    _callables_only = True

    @lr_rule
    def get_lr(self):
        if self._is_initial:
            return self._current()
        return [lr * lmbda(self.last_epoch) for lmbda, lr in zip(self.lr_lambdas,
                                                                 self._current())]

