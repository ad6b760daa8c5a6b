"""Adam and AdamW (decoupled weight decay), with amsgrad and maximize, in the order of
PyTorch's single-tensor implementation (the one it uses on the CPU by default)."""

import numpy as np

from .. import factories
from ..tensor import Tensor
from . import fused
from .fused import fma
from .optimizer import Optimizer, bump, count_step


def lerp_into(a, b, w):
    """a.lerp_(b, w) as PyTorch computes it: from a below w = 0.5, from b above."""
    t = a.dtype.type
    if abs(w) < 0.5:
        np.copyto(a, fma(t(w), b - a, a))
    else:
        np.copyto(a, fma(-t(1 - w), b - a, b))


class Adam(Optimizer):
    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if decoupled_weight_decay is None:
            decoupled_weight_decay = self._decoupled
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            wd, amsgrad = group["weight_decay"], group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            for p, x, t, g in self._with_grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = factories.tensor(0.0)
                    state["exp_avg"] = Tensor._make(np.zeros_like(x))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                    if amsgrad:
                        state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                st = count_step(state)
                if wd != 0:
                    if decoupled:
                        np.multiply(x, t(1 - lr * wd), out=x)
                    else:
                        g = fma(t(wd), x, g)
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                lerp_into(m, g, 1 - beta1)
                np.copyto(v, fma(t(1 - beta2) * g, g, v * t(beta2)))
                bump(state["exp_avg"])
                bump(state["exp_avg_sq"])
                step = float(st._data)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bc2_sqrt = bias_correction2 ** 0.5
                if amsgrad:
                    vmax = state["max_exp_avg_sq"]._data
                    np.maximum(vmax, v, out=vmax)
                    bump(state["max_exp_avg_sq"])
                    denom = fused.sqrt(vmax) / t(bc2_sqrt) + t(eps)
                else:
                    denom = fused.sqrt(v) / t(bc2_sqrt) + t(eps)
                np.copyto(x, x + t(-step_size) * m / denom)
                bump(p)
        return loss


class AdamW(Adam):
    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
