"""SGD with momentum, dampening, Nesterov, weight decay and maximize, in PyTorch's order."""

import numpy as np

from ..sparse import SparseArray, concatenated, make_sparse
from ..tensor import Tensor
from .fused import fma
from .optimizer import Optimizer, bump, check_lr, required


class SGD(Optimizer):
    _group_fallbacks = {"nesterov": False, "maximize": False, "foreach": None,
                        "differentiable": False, "fused": False}
    _number_state = ()
    _sparse_grads = True
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if lr is not required:
            check_lr(lr, below_zero=True)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            wd, nesterov = group["weight_decay"], group["nesterov"]
            for p, x, t, g in self._with_grads(group):
                if type(g) is SparseArray:
                    self._sparse_step(p, x, g, group)
                    continue
                if wd != 0:
                    g = fma(t(wd), x, g)  # grad.add(param, alpha=weight_decay)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = Tensor._make(np.array(g, copy=True))
                        state["momentum_buffer"] = buf
                    else:
                        b = buf._data
                        np.copyto(b, fma(t(1 - dampening), g, b * t(momentum)))
                        bump(buf, 2)  # buf.mul_(momentum).add_(grad, ...)
                    g = fma(t(momentum), buf._data, g) if nesterov else buf._data
                np.copyto(x, fma(t(-lr), g, x))
                bump(p)
        return loss

    def _sparse_step(self, p, x, g, group):
        """A sparse gradient's step: only the rows it holds move; a momentum buffer is sparse
        too (its entries gather every step's)."""
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        if group["weight_decay"] != 0:
            raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) "
                               "instead.")
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                b = g.copy()
            else:
                b = concatenated(buf._data * momentum, g * (1 - dampening))
            state["momentum_buffer"] = make_sparse(b)
            g = concatenated(g, b * momentum) if group["nesterov"] else b
        step = g * -lr
        np.add.at(x, tuple(step.indices), step.values.astype(x.dtype, copy=False))
        bump(p)
