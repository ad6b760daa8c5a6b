"""RAdam (Adam with the variance of its adaptive rate rectified, decoupled_weight_decay) in
PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from . import fused
from .nadam import decay_weights, update_moments
from .optimizer import Optimizer, adam_checks, bump_all, check_args, start_state


class RAdam(Optimizer):
    _capturable_foreach_devices = Optimizer.NO_XLA
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "decoupled_weight_decay": False, "capturable": False}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        check_args(adam_checks(lr, eps, betas, weight_decay))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group, p, x, t, g, state in self._params_with_grads():
            step = start_state(state, x, ("exp_avg", "exp_avg_sq"))
            x_decayed, g = decay_weights(group, x, t, g)
            m, v = update_moments(group, state, t, g)
            if group["foreach"]:
                np.copyto(x, _foreach_update(group, x_decayed, m, v, t, step))
            else:
                np.copyto(x, x_decayed - _change(group, m, v, t, step))
            bump_all(state["exp_avg"], state["exp_avg_sq"], p)
        return loss


def _change(group, m, v, t, step):
    """What the step subtracts from the parameter: the bias-corrected first moment times lr,
    times the adaptive rate and its rectification once the approximated SMA is over 5."""
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    corrected = m / t(bias_correction1)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
    if rho_t <= 5.0:
        return corrected * t(lr)
    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
    # (bias_correction2 ** 0.5) / denom: PyTorch's scalar / tensor is reciprocal() * scalar
    adaptive = np.reciprocal(fused.sqrt(v) + t(eps)) * t(bias_correction2 ** 0.5)
    return corrected * t(lr) * adaptive * t(rect)


def _foreach_update(group, x, m, v, t, step):
    """The parameter after the step, in the order of PyTorch's foreach RAdam: one buffer
    1 / ((sqrt(v) + eps) / (sqrt(bias_correction2) * -lr * rect / bias_correction1)) plus
    -lr / bias_correction1 where the rectification is off (then the first term is 0), and
    the parameter moved by exp_avg * buffer (addcmul)."""
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
    rect = 0
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
    unrectified = 0 if rect > 0 else 1.0
    scale = bias_correction2 ** 0.5 * (lr * rect / bias_correction1) * -1
    with np.errstate(divide="ignore"):
        buffer = np.reciprocal((fused.sqrt(v) + t(eps)) / t(scale))
    buffer = buffer + t((lr * unrectified / bias_correction1) * -1)
    return fused.addcmul(x, m, buffer, 1)
