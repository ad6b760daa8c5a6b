"""torch.optim.swa_utils: averaged copies of a model (AveragedModel: the running mean of
stochastic weight averaging, or an exponential moving average), the SWALR schedule and
update_bn.

The averaged numbers are PyTorch's because the arithmetic is its documented formulas in its
order: on a CPU the default average is `avg + (new - avg) / (n + 1)` per tensor, and the
multi-tensor averages (get_ema_multi_avg_fn, get_swa_multi_avg_fn) are `lerp_` for floating
tensors."""

import copy
import itertools
import math

from ..errors import TorchAssertionError
from ..dtypes import int64
from ..factories import tensor
from ..grad_mode import no_grad
from ..nn.module import Module
from ..nn.normalization import _BatchNorm
from .lr_scheduler import LRScheduler, lr_rule, per_group

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn",
           "get_swa_multi_avg_fn", "get_ema_avg_fn", "get_swa_avg_fn"]


def _valid_decay(decay):
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] "
                         "range.")
    return decay


def _running_mean(avg, new, n):
    """The mean of n + 1 values from the mean `avg` of the first n and the next one."""
    return avg + (new - avg) / (n + 1)


def _moving_average(avg, new, decay):
    return decay * avg + (1 - decay) * new


def _blend_all(averages, currents, weight, integral_update):
    """Move every average toward its current value: floating tensors by lerp_ with the given
    weight, other tensors by integral_update(avg, new), which updates avg in place."""
    with no_grad():
        floating = averages[0].is_floating_point() or averages[0].is_complex()
        for avg, new in zip(averages, currents):
            if floating:
                avg.lerp_(new, weight)
            else:
                integral_update(avg, new)


def get_ema_multi_avg_fn(decay=0.999):
    decay = _valid_decay(decay)

    def ema_update(ema_param_list, current_param_list, _):
        _blend_all(ema_param_list, current_param_list, 1 - decay,
                   lambda avg, new: avg.copy_(avg * decay + new * (1 - decay)))
    return ema_update


def get_swa_multi_avg_fn():
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        def integral(avg, new):
            if hasattr(num_averaged, "shape"):  # the model's n_averaged buffer
                avg.addcdiv_(new - avg, num_averaged + 1)
            else:
                avg.add_(new - avg, alpha=1.0 / (num_averaged + 1))
        _blend_all(averaged_param_list, current_param_list, 1 / (num_averaged + 1), integral)
    return swa_update


def get_ema_avg_fn(decay=0.999):
    decay = _valid_decay(decay)

    def ema_update(ema_param, current_param, num_averaged):
        with no_grad():
            return _moving_average(ema_param, current_param, decay)
    return ema_update


def get_swa_avg_fn():
    def swa_update(averaged_param, current_param, num_averaged):
        with no_grad():
            return _running_mean(averaged_param, current_param, num_averaged)
    return swa_update


def _same_dtype_runs(pairs):
    """(averages, currents) lists per dtype, in order of each dtype's first pair: the groups a
    multi-tensor average receives (all on one device here)."""
    runs = {}
    for avg, new in pairs:
        averages, currents = runs.setdefault(avg.dtype, ([], []))
        averages.append(avg)
        currents.append(new)
    return runs.values()


class AveragedModel(Module):
    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise TorchAssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        twin = copy.deepcopy(model)
        self.module = twin if device is None else twin.to(device)
        self.register_buffer("n_averaged", tensor(0, dtype=int64))
        self.avg_fn, self.multi_avg_fn = avg_fn, multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _tracked(self, model):
        """What is averaged in a model: its parameters, and its buffers with use_buffers."""
        if self.use_buffers:
            return itertools.chain(model.parameters(), model.buffers())
        return model.parameters()

    def update_parameters(self, model):
        pairs = [(avg.detach(), new.detach())
                 for avg, new in zip(self._tracked(self.module), self._tracked(model))]
        if self.n_averaged == 0:  # the first model seen is the average
            for avg, new in pairs:
                avg.copy_(new)
        elif self.avg_fn is not None:
            for avg, new in pairs:
                avg.copy_(self.avg_fn(avg, new, self.n_averaged))
        else:
            for averages, currents in _same_dtype_runs(pairs):
                if self.multi_avg_fn is not None:
                    self.multi_avg_fn(averages, currents, self.n_averaged)
                    continue
                with no_grad():  # no foreach kernels on a CPU: the per-tensor mean
                    for avg, new in zip(averages, currents):
                        avg.copy_(_running_mean(avg, new, self.n_averaged))
        if not self.use_buffers:  # buffers are not averaged: they follow the model's
            for mine, theirs in zip(self.module.buffers(), model.buffers()):
                mine.detach().copy_(theirs.detach())
        self.n_averaged += 1


def update_bn(loader, model, device=None):
    """Recompute every batch norm's running statistics as a plain average over one pass of the
    loader (momentum None), with the model in training mode for the pass."""
    norms = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    if not norms:
        return
    momenta = [bn.momentum for bn in norms]
    was_training = model.training
    with no_grad():
        for bn in norms:
            bn.reset_running_stats()
            bn.momentum = None
        model.train()
        for batch in loader:
            x = batch[0] if isinstance(batch, (list, tuple)) else batch
            model(x if device is None else x.to(device))
    for bn, momentum in zip(norms, momenta):
        bn.momentum = momentum
    model.train(was_training)


# how far the anneal has gone (0 to 1) at a fraction t of anneal_epochs
_ANNEALS = {
    "cos": lambda t: (1 - math.cos(math.pi * t)) / 2,
    "linear": lambda t: t,
}


class SWALR(LRScheduler):
    """Anneal each group's lr to its swa_lr over anneal_epochs steps, then hold it. Each step
    blends the target with the lr the anneal started from, recovered from the current lr (so
    PyTorch's floats follow)."""

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
                 last_epoch=-1):
        for group, target in zip(optimizer.param_groups,
                                 per_group("swa_lr", optimizer, swa_lr)):
            group["swa_lr"] = target
        if anneal_strategy not in _ANNEALS:
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got "
                             f"{anneal_epochs}")
        self._anneal_strategy = anneal_strategy
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    def __repr__(self):
        if type(self) is not SWALR:
            return object.__repr__(self)
        return f"<torch.optim.swa_utils.SWALR object at {hex(id(self))}>"

    @property
    def anneal_func(self):
        return _ANNEALS[self._anneal_strategy]

    def _progress(self, step):
        fraction = step / max(1, self.anneal_epochs)
        return self.anneal_func(min(1, max(0, fraction)))

    @lr_rule
    def get_lr(self):
        step = self._step_count - 1
        if self.anneal_epochs == 0:  # no anneal: the first step already lands on swa_lr
            step = max(step, 1)
        before, now = self._progress(step - 1), self._progress(step)
        lrs = []
        for group in self.optimizer.param_groups:
            target = group["swa_lr"]
            start = target if before == 1 else (group["lr"] - before * target) / (1 - before)
            lrs.append(target * now + start * (1 - now))
        return lrs
