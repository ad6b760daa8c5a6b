"""Rprop (resilient backpropagation: per-element step sizes grown or shrunk by the sign of
successive gradients) with maximize, in PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from .. import factories
from .optimizer import Optimizer, bump_all, check_args, check_lr, count_step, zeros_state
from ..tensor import Tensor


class Rprop(Optimizer):
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        check_args([(0.0 <= lr, f"Invalid learning rate: {lr}"),
                    (0.0 < etas[0] < 1.0 < etas[1], f"Invalid eta values: {etas[0]}, {etas[1]}")])
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            low, high = group["step_sizes"]
            for p, x, _, g in self._with_grads(group):
                t = x.dtype.type
                state = self.state[p]
                if not state:
                    state["step"] = factories.tensor(0.0)
                    state["prev"] = zeros_state(x)
                    state["step_size"] = Tensor._make(np.full_like(g, group["lr"]))
                count_step(state)
                prev, size = state["prev"]._data, state["step_size"]._data
                factor = np.sign(g * prev)
                factor = np.where(factor > 0, t(etaplus), factor)
                factor = np.where(factor < 0, t(etaminus), factor)
                factor = np.where(factor == 0, t(1), factor)
                np.copyto(size, np.clip(size * factor, t(low), t(high)))
                g = np.where(factor == t(etaminus), t(0), g)  # no move where the sign flipped
                np.copyto(x, x - np.sign(g) * size)  # param.addcmul_(grad.sign(), step_size, -1)
                np.copyto(prev, g)
                bump_all(state["prev"], state["step_size"], p)
        return loss
