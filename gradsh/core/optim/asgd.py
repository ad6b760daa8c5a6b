"""ASGD (averaged SGD: eta decays with the steps, `ax` averages the parameters after t0), with
weight decay and maximize, in PyTorch's single-tensor order (its CPU default)."""

import numpy as np

from .. import factories
from . import fused
from .fused import fma
from .optimizer import Optimizer, bump_all, check_args, check_lr, start_state


class ASGD(Optimizer):
    _capturable_foreach_devices = Optimizer.NO_XLA
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False,
                        "capturable": False}
    _number_state = ("step", "eta", "mu")
    _capturable_words = "params, mus, etas, and state_steps"

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_args([(0.0 <= lr, f"Invalid learning rate: {lr}"),
                    (0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")])
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group, p, x, t, g, state in self._params_with_grads():
            lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
            # eta and mu: 0-d tensors of the default dtype (so eta starts as lr rounded there)
            step = start_state(state, x, ("ax",), eta=lr, mu=1.0)
            if group["weight_decay"] != 0:
                g = fma(t(group["weight_decay"]), x, g)
            eta, mu, ax = state["eta"]._data, state["mu"]._data, state["ax"]._data
            eta_value = float(eta)
            if group["foreach"]:
                # param.addcmul_(grad.add(param, alpha=lambd), eta, value=-1), eta the 0-d
                # state tensor (of the parameter's dtype in the kernel)
                np.copyto(x, fused.addcmul(x, fma(t(lambd), x, g), eta.astype(x.dtype), -1))
            else:
                np.copyto(x, fma(t(-eta_value), g, x * t(1 - lambd * eta_value)))
            if group["foreach"]:  # ax.addcmul_(param - ax, mu), mu a 0-d tensor (of ax's dtype
                # in the kernel), even when it is 1
                np.copyto(ax, fused.addcmul(ax, x - ax, mu.astype(ax.dtype), 1))
            elif float(mu) != 1:
                np.copyto(ax, ax + (x - ax) * t(mu))  # ax.add_(param.sub(ax).mul_(mu))
            else:
                np.copyto(ax, x)
            # PyTorch makes each new value a tensor of the default dtype, then copies it in: a
            # state loaded into float64 (load_state_dict casts it) still holds float32 values
            if group["foreach"]:  # eta from the step tensor: (1 + lambd * lr * step) ** alpha,
                # its reciprocal, times lr: each an operation on the step's dtype
                st = state["step"]._data
                e = np.reciprocal((st * st.dtype.type(lambd * lr) + 1) ** st.dtype.type(alpha))
                eta[...] = e * st.dtype.type(lr)
            else:
                eta[...] = factories.tensor(lr / ((1 + lambd * lr * step) ** alpha))._data
            mu[...] = factories.tensor(1 / max(1, step - t0))._data
            bump_all(state["eta"], state["mu"], state["ax"], p)
        return loss
