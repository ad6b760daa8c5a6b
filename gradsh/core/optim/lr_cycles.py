"""The cyclic learning-rate schedulers: CyclicLR, OneCycleLR (both also cycle the momentum or
Adam's beta1, the opposite way to the lr) and CosineAnnealingWarmRestarts. The formulas are
PyTorch's documented ones, evaluated in its order, and the attributes are set in its order (so
state_dict() prints as PyTorch's)."""

import math
import types

from ..errors import no_attribute
from .lr_scheduler import LRScheduler, check_optimizer, lr_rule, per_group


def _positive_int(name, value, compare_first=False):
    """PyTorch's check of a count; where it compares before checking the type, a string
    raises Python's TypeError from the comparison, as there."""
    if compare_first and value <= 0 or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")
    return value


# ----- momentum cycling (CyclicLR and OneCycleLR) ------------------------------------------
def _setup_momentum(scheduler, optimizer, enabled, base_momentum, max_momentum, last_epoch):
    """Record whether the momentum cycles and through which key; on a fresh start each group
    begins at its max_momentum and keeps its base_ and max_momentum. Returns (bases, maxes)."""
    scheduler.cycle_momentum = enabled
    if not enabled:
        return None
    defaults = optimizer.defaults
    if "momentum" not in defaults and "betas" not in defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option "
                         "enabled")
    scheduler.use_beta1 = "betas" in defaults
    maxes = per_group("max_momentum", optimizer, max_momentum)
    bases = per_group("base_momentum", optimizer, base_momentum)
    if last_epoch == -1:
        for group, high, low in zip(optimizer.param_groups, maxes, bases):
            _set_momentum(scheduler, group, high)
            group.update(max_momentum=high, base_momentum=low)
    return bases, maxes


def _set_momentum(scheduler, group, momentum):
    if not scheduler.use_beta1:
        group["momentum"] = momentum
        return
    betas = group["betas"]
    group["betas"] = (momentum,) + tuple(betas[1:])


# ----- CyclicLR ----------------------------------------------------------------------------
# mode -> (the scale of a triangle from gamma and x, the scale_mode the mode implies)
_SCALE_FUNCTIONS = {
    "triangular": (lambda gamma, x: 1.0, "cycle"),
    "triangular2": (lambda gamma, x: 1 / (2.0 ** (x - 1)), "cycle"),
    "exp_range": (lambda gamma, x: gamma ** x, "iterations"),
}


class CyclicLR(LRScheduler):
    """The learning rate goes between base_lr and max_lr in triangles (scaled per cycle or
    per iteration), the momentum the other way between max_ and base_momentum."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        self.optimizer = check_optimizer(optimizer)
        lows = per_group("base_lr", optimizer, base_lr)
        if last_epoch == -1:  # a fresh cycle starts at the bottom
            for group, low in zip(optimizer.param_groups, lows):
                group["lr"] = low
        self.max_lrs = per_group("max_lr", optimizer, max_lr)
        rise = float(step_size_up)
        fall = rise if step_size_down is None else float(step_size_down)
        self.total_size = rise + fall
        self.step_ratio = rise / self.total_size
        if scale_fn is None and mode not in _SCALE_FUNCTIONS:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        self._scale_fn_custom, self.scale_mode = scale_fn, scale_mode
        self._init_scale_fn()
        momenta = _setup_momentum(self, optimizer, cycle_momentum, base_momentum,
                                  max_momentum, last_epoch)
        if momenta:
            self.base_momentums, self.max_momentums = momenta
        super().__init__(optimizer, last_epoch)
        self.base_lrs = lows

    def _init_scale_fn(self):
        """A named mode decides its own scale_mode; a custom scale_fn keeps the one given."""
        if self._scale_fn_custom is None:
            self.scale_mode = _SCALE_FUNCTIONS[self.mode][1]

    def scale_fn(self, x):
        custom = self._scale_fn_custom
        if custom is None:
            return _SCALE_FUNCTIONS[self.mode][0](self.gamma, x)
        return custom(x)

    def _height(self):
        """How far up the current triangle the schedule is (0 at the bottom, 1 at the top) and
        the triangle's scale."""
        cycles = self.last_epoch / self.total_size
        cycle = math.floor(1 + cycles)
        x = 1.0 + cycles - cycle  # position within the cycle, 0..1
        up = self.step_ratio
        height = x / up if x <= up else (x - 1) / (up - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        return height, scale

    @lr_rule
    def get_lr(self):
        height, scale = self._height()
        if self.cycle_momentum:
            momenta = zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums)
            for group, low, high in momenta:
                _set_momentum(self, group, high - (high - low) * height * scale)
        return [low + (high - low) * height * scale
                for low, high in zip(self.base_lrs, self.max_lrs)]

    def state_dict(self):
        _bound(self, "state_dict")
        state = super().state_dict()
        custom = state.pop("_scale_fn_custom")
        # a plain function cannot be saved; a callable object's attributes can
        keep = custom is not None and not isinstance(custom, types.FunctionType)
        state["_scale_fn_custom"] = vars(custom).copy() if keep else None
        return state

    def load_state_dict(self, state_dict):
        # taken out of the caller's dict itself, as PyTorch's does: the dict no longer has it
        saved = state_dict.pop("_scale_fn_custom")
        _bound(self, "load_state_dict")
        LRScheduler.load_state_dict(self, state_dict)
        if saved is not None:
            vars(self._scale_fn_custom).update(saved)
        self._init_scale_fn()


def _bound(self, name):
    """CyclicLR.state_dict(None): PyTorch's super() of another object has no such attribute."""
    if not isinstance(self, CyclicLR):
        raise no_attribute(super(CyclicLR), name)


# ----- OneCycleLR --------------------------------------------------------------------------
_PHASE_KEYS = ("end_step", "start_lr", "end_lr", "start_momentum", "end_momentum")


def _one_cycle_phases(n, pct_start, three_phase):
    """The phases (state_dict's `_schedule_phases`): the step each ends on, and the group keys
    its lr and momentum run between."""
    warm_up = (float(pct_start * n) - 1, "initial_lr", "max_lr", "max_momentum",
               "base_momentum")
    if three_phase:
        rows = [warm_up,
                (float(2 * pct_start * n) - 2, "max_lr", "initial_lr", "base_momentum",
                 "max_momentum"),
                (n - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
    else:
        rows = [warm_up, (n - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
    return [dict(zip(_PHASE_KEYS, row)) for row in rows]


def _cos_anneal(start, end, pct):
    rise = math.cos(math.pi * pct) + 1  # 2 at pct 0, 0 at pct 1
    return end + (start - end) / 2.0 * rise


def _linear_anneal(start, end, pct):
    return start + pct * (end - start)


_ANNEALING = {"cos": _cos_anneal, "linear": _linear_anneal}


class OneCycleLR(LRScheduler):
    """One cycle: the learning rate warms up from max_lr / div_factor to max_lr over pct_start
    of the steps, then anneals to the initial / final_div_factor (three_phase: back to the
    initial first); the momentum moves the opposite way."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        self.optimizer = check_optimizer(optimizer)
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        self._schedule_phases = _one_cycle_phases(self.total_steps, pct_start, three_phase)
        outside = pct_start < 0 or pct_start > 1
        if outside or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in _ANNEALING:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self._anneal_func_type = anneal_strategy
        peaks = per_group("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, peak in zip(optimizer.param_groups, peaks):
                start = peak / div_factor
                group.update(initial_lr=start, max_lr=peak, min_lr=start / final_div_factor)
        _setup_momentum(self, optimizer, cycle_momentum, base_momentum, max_momentum,
                        last_epoch)
        super().__init__(optimizer, last_epoch)

    def _phase_at(self, step):
        """The phase a step falls in and the step that phase started from."""
        begun = 0.0
        *leading, last = self._schedule_phases
        for phase in leading:
            if step <= phase["end_step"]:
                return phase, begun
            begun = phase["end_step"]
        return last, begun

    @lr_rule
    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps "
                             f"is {self.total_steps}")
        anneal = _ANNEALING[self._anneal_func_type]
        phase, begun = self._phase_at(step)
        pct = (step - begun) / (phase["end_step"] - begun)
        lr_from, lr_to, m_from, m_to = (phase[k] for k in _PHASE_KEYS[1:])
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(anneal(group[lr_from], group[lr_to], pct))
            if self.cycle_momentum:
                _set_momentum(self, group, anneal(group[m_from], group[m_to], pct))
        return lrs


def _total_steps(total_steps, epochs, steps_per_epoch):
    if total_steps is not None:
        return _positive_int("total_steps", total_steps, compare_first=True)
    if epochs is None or steps_per_epoch is None:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    return _positive_int("epochs", epochs) * _positive_int("steps_per_epoch", steps_per_epoch)


# ----- CosineAnnealingWarmRestarts ---------------------------------------------------------
class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from the initial learning rate to eta_min over T_i epochs, restarting
    after each period, the period growing by T_mult."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        _positive_int("T_0", T_0, compare_first=True)
        below_one = T_mult < 1
        if below_one or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (int, float)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type "
                             f"{type(eta_min)}")
        self.T_0 = self.T_i = T_0
        self.T_mult, self.eta_min = T_mult, eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    @lr_rule
    def get_lr(self):
        low = self.eta_min
        phase = math.cos(math.pi * self.T_cur / self.T_i)
        return [low + (base - low) * (1 + phase) / 2 for base in self.base_lrs]

    def step(self, epoch=None):
        # PyTorch's own step: no step-order warning, _step_count not counted
        if epoch is None and self.last_epoch >= 0:
            epoch = self.last_epoch + 1
            self._advance()
        else:  # the first step, or a step to a given epoch
            epoch = 0 if epoch is None else epoch
            self._place(epoch)
        self.last_epoch = math.floor(epoch)
        self._apply(self.get_lr)

    def _advance(self):
        self.T_cur += 1
        if self.T_cur >= self.T_i:  # a restart: the next period is T_mult times longer
            self.T_cur, self.T_i = self.T_cur % self.T_i, self.T_i * self.T_mult

    def _place(self, epoch):
        """T_cur and T_i at a given epoch."""
        if epoch < 0:
            raise ValueError(f"Expected non-negative epoch, but got {epoch}")
        t0, mult = self.T_0, self.T_mult
        if epoch < t0:
            self.T_i, self.T_cur = t0, epoch
        elif mult == 1:
            self.T_cur = epoch % t0
        else:  # periods t0, t0*m, t0*m^2, ...: n whole periods end before this epoch
            n = int(math.log((epoch / t0 * (mult - 1) + 1), mult))
            self.T_cur = epoch - t0 * (mult ** n - 1) / (mult - 1)
            self.T_i = t0 * mult ** n
