"""ASGD (averaged SGD: eta decays with the steps, `ax` averages the parameters after t0), with
weight decay and maximize, in PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from .. import factories
from .fused import fma
from .optimizer import Optimizer, bump, check_args, count_step, zeros_state


class ASGD(Optimizer):
    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_args([(0.0 <= lr, f"Invalid learning rate: {lr}"),
                    (0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")])
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
            wd = group["weight_decay"]
            for p, x, t, g in self._with_grads(group):
                state = self.state[p]
                if not state:
                    # eta and mu: 0-d tensors of the default dtype, so eta is lr rounded there
                    state["step"] = factories.tensor(0.0)
                    state["eta"] = factories.tensor(float(lr))
                    state["mu"] = factories.tensor(1.0)
                    state["ax"] = zeros_state(x)
                step = float(count_step(state)._data)
                if wd != 0:
                    g = fma(t(wd), x, g)
                eta, mu, ax = state["eta"]._data, state["mu"]._data, state["ax"]._data
                eta_value = float(eta)
                np.copyto(x, fma(t(-eta_value), g, x * t(1 - lambd * eta_value)))
                if float(mu) != 1:
                    np.copyto(ax, ax + (x - ax) * t(mu))  # ax.add_(param.sub(ax).mul_(mu))
                else:
                    np.copyto(ax, x)
                eta[...] = lr / ((1 + lambd * lr * step) ** alpha)
                mu[...] = 1 / max(1, step - t0)
                for changed in (state["eta"], state["mu"], state["ax"], p):
                    bump(changed)
        return loss
