"""Adadelta (weight decay, maximize) in PyTorch's single-tensor order."""

import numpy as np

from .. import factories
from ..tensor import Tensor
from . import fused
from .fused import fma
from .optimizer import Optimizer, bump, check_args, check_lr, count_step


class Adadelta(Optimizer):
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}
    _capturable_devices = Optimizer.NO_XLA

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_lr(lr)
        checks = [(0.0 <= lr, f"Invalid learning rate: {lr}"),
                  (0.0 <= rho <= 1.0, f"Invalid rho value: {rho}"),
                  (0.0 <= eps, f"Invalid epsilon value: {eps}"),
                  (0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")]
        check_args(checks)  # PyTorch's, in its order
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
            for p, x, t, g in self._with_grads(group):
                state = self.state[p]
                if not state:
                    state["step"] = factories.tensor(0.0)
                    state["square_avg"] = Tensor._make(np.zeros_like(x))
                    state["acc_delta"] = Tensor._make(np.zeros_like(x))
                count_step(state)
                if wd != 0:
                    g = fma(t(wd), x, g)
                sq, acc = state["square_avg"]._data, state["acc_delta"]._data
                # square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
                np.copyto(sq, fused.addcmul(sq * t(rho), g, g, 1 - rho))
                std = fused.sqrt(sq + t(eps))
                delta = fused.sqrt(acc + t(eps)) / std * g
                np.copyto(acc, fused.addcmul(acc * t(rho), delta, delta, 1 - rho))
                bump(state["square_avg"], 2)  # mul_(rho).addcmul_(...)
                bump(state["acc_delta"], 2)
                np.copyto(x, fma(t(-lr), delta, x))  # param.add_(delta, alpha=-lr)
                bump(p)
        return loss
