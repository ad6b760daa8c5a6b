"""Adagrad (lr decay, weight decay, maximize) in PyTorch's single-tensor order."""

import numpy as np

from .. import factories
from ..sparse import SparseArray, coalesced_arrays
from ..tensor import Tensor
from . import fused
from .fused import fma
from .optimizer import Optimizer, as_real, bump, check_lr, count_step


class Adagrad(Optimizer):
    _sparse_grads = True
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:  # PyTorch fills the state at construction
            for p in group["params"]:
                state = self.state[p]
                state["step"] = factories.tensor(0.0)
                start = group["initial_accumulator_value"]
                if p._data.dtype.kind == "c":  # both parts of a complex parameter start there
                    start = complex(start, start)
                state["sum"] = Tensor._make(np.full_like(p._data, start))

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, lr_decay, eps, wd = group["lr"], group["lr_decay"], group["eps"], \
                group["weight_decay"]
            for p, x, t, g in self._with_grads(group):
                state = self.state[p]
                st = count_step(state)
                step = float(st._data)
                if type(g) is SparseArray:
                    _sparse_step(x, g, state["sum"], lr / (1 + (step - 1) * lr_decay), eps, wd)
                    bump(p)
                    continue
                if wd != 0:
                    g = fma(t(wd), x, g)
                clr = lr / (1 + (step - 1) * lr_decay)
                s = state["sum"]._data
                if s.dtype.kind == "c":  # filled complex at construction, stepped as real pairs
                    s = as_real(s)
                np.copyto(s, fma(g, g, s))
                bump(state["sum"])
                std = fused.sqrt(s) + t(eps)
                np.copyto(x, x + t(-clr) * g / std)
                bump(p)
        return loss


def _sparse_step(x, g, acc, clr, eps, wd):
    """A sparse gradient's step: its rows (duplicates summed) add their squares into the sum
    and move by clr * g / (sqrt(sum) + eps); the other rows stay."""
    if wd != 0:
        raise RuntimeError("weight_decay option is not compatible with sparse gradients")
    idx, vals = coalesced_arrays(g)
    where = tuple(idx)
    s = acc._data
    s[where] += vals * vals
    bump(acc)
    x[where] += -clr * vals / (np.sqrt(s[where]) + eps)
