"""NAdam (Nesterov momentum in Adam, with momentum_decay and decoupled_weight_decay) in
PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from . import fused
from .adam import lerp_into
from .fused import fma
from .optimizer import Optimizer, adam_checks, bump_all, check_args, start_state


class NAdam(Optimizer):
    _capturable_foreach_devices = Optimizer.NO_XLA
    _capturable_foreach_words = "params, mu_products, and state_steps"
    _group_fallbacks = {"maximize": False, "foreach": None, "capturable": False,
                        "differentiable": False, "decoupled_weight_decay": False}
    _number_state = ("step", "mu_product")
    _capturable_words = "params, mu_products and state_steps"

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_args(adam_checks(lr, eps, betas, weight_decay)
                   + [(0.0 <= momentum_decay, f"Invalid momentum_decay value: {momentum_decay}")])
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group, p, x, t, g, state in self._params_with_grads():
            step = start_state(state, x, ("exp_avg", "exp_avg_sq"), mu_product=1.0)
            np.copyto(x, _update(group, state, x, t, g, step))
            bump_all(state["mu_product"], state["exp_avg"], state["exp_avg_sq"], p)
        return loss


def decay_weights(group, x, t, g):
    """(parameter, gradient) after weight decay: the parameter shrunk by 1 - lr * wd when it
    is decoupled (AdamW's way), else wd * param added to the gradient (NAdam and RAdam)."""
    lr, wd = group["lr"], group["weight_decay"]
    if wd == 0:
        return x, g
    if group["decoupled_weight_decay"]:
        return x * t(1 - lr * wd), g
    return x, fma(t(wd), x, g)


def update_moments(group, state, t, g):
    """exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)."""
    beta1, beta2 = group["betas"]
    m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
    lerp_into(m, g, 1 - beta1)
    np.copyto(v, fused.addcmul(v * t(beta2), g, g, 1 - beta2))
    return m, v


def _update(group, state, x, t, g, step):
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    decay = group["momentum_decay"]
    x, g = decay_weights(group, x, t, g)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * decay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * decay)))
    product = state["mu_product"]._data  # a 0-d tensor of the default dtype, rounded there
    product *= product.dtype.type(mu)
    mu_product = float(product)
    m, v = update_moments(group, state, t, g)
    if group["foreach"]:  # the square root of the bias correction divides the square root
        denom = fused.sqrt(v) / t((1 - beta2 ** step) ** 0.5) + t(eps)
    else:
        denom = fused.sqrt(v / t(1 - beta2 ** step)) + t(eps)
    x = fused.addcdiv(x, g, denom, -lr * (1.0 - mu) / (1.0 - mu_product))
    return fused.addcdiv(x, m, denom, (-lr * mu_next) / (1.0 - mu_product * mu_next))
