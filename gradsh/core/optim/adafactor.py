"""Adafactor (Shazeer and Stern, 2018) in PyTorch 2.13's variant: no first moment, a relative
step size min(lr, 1/sqrt(t)) scaled by the parameter's RMS, a decay 1 - beta2_t = t^beta2_decay
and the update's RMS clipped at d. A matrix (or a stack of them) keeps the mean square of the
gradient along its rows and along its columns, and rebuilds the full second moment as their
rank-one product; a vector keeps the full second moment. The float32 steps follow PyTorch's
CPU (single-tensor) order and its Python-float scalars, so the digits are PyTorch's."""

from .. import factories
from ..dtypes import finfo
from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer, check_args


def _argument_checks(lr, beta2_decay, eps, d, weight_decay):
    """(ok, PyTorch's message) pairs, in its order."""
    eps1, eps2 = eps
    return [(lr >= 0.0, f"Learning rate should be >= 0 but is: {lr}"),
            (beta2_decay <= 0.0, f"beta2_decay should be <= 0 but is: {beta2_decay}"),
            (eps1 is None or eps1 >= 0.0, f"epsilon1 should be >= 0 but is: {eps1}"),
            (eps2 >= 0.0, f"epsilon2 should be >= 0 but is: {eps2}"),
            (d >= 1.0, f"Clipping threshold d should be >= 1 but is: {d}"),
            (weight_decay >= 0.0, f"weight_decay should be >= 0 but is: {weight_decay}")]


def _fresh_state(g):
    """A step counter and zeroed moments: row and column statistics for a matrix (the last
    two dims), the full variance otherwise."""
    state = {"step": factories.tensor(0.0)}
    if g.dim() < 2:
        state["variance"] = factories.zeros_like(g)
        return state
    shape = list(g.shape)
    state["row_var"] = g.new_zeros(shape[:-1] + [1])
    state["col_var"] = g.new_zeros(shape[:-2] + [1, shape[-1]])
    return state


def _mean_square(g, dim):
    """Mean of g**2 along dim, kept, computed as ||g||^2 / n (PyTorch's rounding)."""
    return g.norm(dim=dim, keepdim=True).square_().div_(g.size(dim))


def _second_moment(g, state, decay, eps1):
    """Update the running statistics with weight `decay` on the new ones; return the
    estimate of E[g**2] (a fresh tensor)."""
    if g.dim() < 2:
        full = state["variance"]
        full.lerp_(g * g, decay)
        return full.clone()
    rows, cols = state["row_var"], state["col_var"]
    rows.lerp_(_mean_square(g, -1), decay)
    cols.lerp_(_mean_square(g, -2), decay)
    # rank-one reconstruction R C / mean(R), the mean floored at eps1
    floor = rows.mean(dim=-2, keepdim=True).clamp_(min=eps1)
    return (rows @ cols).div_(floor)


def _rms(t):
    return t.norm(2).item() / t.numel() ** 0.5


def _adafactor_step(p, state, group):
    lr, decay_power = group["lr"], group["beta2_decay"]
    if isinstance(lr, Tensor):
        lr = lr.item()
    eps1, eps2 = group["eps"]
    if eps1 is None:
        eps1 = finfo(p.dtype).eps
    g = p.grad.neg() if group["maximize"] else p.grad
    state["step"] += 1
    t = state["step"].item()
    # the step size is measured on the parameter before weight decay touches it
    step_size = min(lr, 1 / t ** 0.5) * max(eps2, _rms(p))
    if group["weight_decay"] != 0:
        p.mul_(1 - lr * group["weight_decay"])
    estimate = _second_moment(g, state, t ** decay_power, eps1)
    direction = estimate.clamp_(min=eps1 * eps1).rsqrt_().mul_(g)
    clip = max(1.0, direction.norm(2).item() / (direction.numel() ** 0.5 * group["d"]))
    p.add_(direction, alpha=-step_size / clip)


class Adafactor(Optimizer):
    _group_fallbacks = {"foreach": None}

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        check_args(_argument_checks(lr, beta2_decay, eps, d, weight_decay))
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                                      weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize))

    def step(self, closure=None):
        loss = self._closure(closure)
        with no_grad():
            for group in self.param_groups:
                for p in (q for q in group["params"] if q.grad is not None):
                    if p.is_complex():
                        raise RuntimeError("Adafactor does not support complex parameters")
                    if not self.state[p]:
                        self.state[p].update(_fresh_state(p.grad))
                    _adafactor_step(p, self.state[p], group)
        return loss
