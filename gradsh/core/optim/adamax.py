"""Adamax (Adam with an infinity norm in place of the second moment), weight decay and
maximize, in PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from . import fused
from .adam import lerp_into
from .fused import fma
from .optimizer import Optimizer, adam_checks, bump_all, check_args, start_state


class Adamax(Optimizer):
    _capturable_foreach_devices = Optimizer.NO_XLA
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_args(adam_checks(lr, eps, betas, weight_decay))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group, p, x, t, g, state in self._params_with_grads():
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            step = start_state(state, x, ("exp_avg", "exp_inf"))
            if group["weight_decay"] != 0:
                g = fma(t(group["weight_decay"]), x, g)
            m, u = state["exp_avg"]._data, state["exp_inf"]._data
            lerp_into(m, g, 1 - beta1)
            # torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps), out=exp_inf)
            np.maximum(u * t(beta2), np.abs(g) + t(eps), out=u)
            clr = lr / (1 - beta1 ** step)
            np.copyto(x, fused.addcdiv(x, m, u, -clr))  # param.addcdiv_(exp_avg, exp_inf, -clr)
            bump_all(state["exp_avg"], state["exp_inf"], p)
        return loss
