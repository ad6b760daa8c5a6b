"""RMSprop (centered, momentum, weight decay, maximize) in PyTorch's single-tensor order."""

import numpy as np

from .. import factories
from ..tensor import Tensor
from .adam import lerp_into
from . import fused
from .fused import fma
from .optimizer import Optimizer, bump, check_lr, count_step


class RMSprop(Optimizer):
    _group_fallbacks = {"momentum": 0, "centered": False, "foreach": None, "maximize": False,
                        "differentiable": False, "capturable": False}

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            wd, momentum, centered = group["weight_decay"], group["momentum"], group["centered"]
            for p, x, t, g in self._with_grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = factories.tensor(0.0)
                    state["square_avg"] = Tensor._make(np.zeros_like(x))
                    if momentum > 0:
                        state["momentum_buffer"] = Tensor._make(np.zeros_like(x))
                    if centered:
                        state["grad_avg"] = Tensor._make(np.zeros_like(x))
                count_step(state)
                if wd != 0:
                    g = fma(t(wd), x, g)
                sq = state["square_avg"]._data
                np.copyto(sq, fused.addcmul(sq * t(alpha), g, g, 1 - alpha))
                bump(state["square_avg"], 2)  # mul_(alpha).addcmul_(...)
                if centered:
                    ga = state["grad_avg"]._data
                    lerp_into(ga, g, 1 - alpha)
                    bump(state["grad_avg"])
                    avg = fused.sqrt(fused.addcmul(sq, ga, ga, -1))
                else:
                    avg = fused.sqrt(sq)
                avg = avg + t(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    np.copyto(buf, fused.addcdiv(buf * t(momentum), g, avg, 1))
                    bump(state["momentum_buffer"], 2)  # mul_(momentum).addcdiv_(...)
                    np.copyto(x, fma(t(-lr), buf, x))
                else:
                    np.copyto(x, fused.addcdiv(x, g, avg, -lr))
                bump(p)
        return loss
