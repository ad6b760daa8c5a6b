"""Adagrad (lr decay, weight decay, maximize) in PyTorch's single-tensor order."""

import numpy as np

from .. import factories
from ..sparse import SparseArray, coalesced_arrays
from ..tensor import Tensor
from . import fused
from .fused import fma, scalar_type
from .optimizer import Optimizer, as_real, bump, check_lr, count_step


class Adagrad(Optimizer):
    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "fused": None}
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
            for p, x, _, g in self._with_grads(group):
                state = self.state[p]
                step = float(count_step(state)._data)
                if type(g) is SparseArray:
                    clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
                    _sparse_step(x, g, state["sum"], clr, group["eps"], group["weight_decay"])
                    bump(p)
                    continue
                s = state["sum"]._data
                if s.dtype.kind == "c":  # filled complex at construction, stepped as real pairs
                    s = as_real(s)
                if group["fused"] and fused.is_half(x.dtype):
                    # the kernel's vector loop rounds the weight decay and lr to half, its
                    # scalar loop (the elements past the last whole vector) does not
                    tail = fused.tail_mask(x.shape)
                    s_tail = s.copy() if tail is not None else None
                    new = fused.in_float32(_update, group, x, g, s, step, x.dtype)
                    if tail is not None:
                        np.copyto(new, fused.in_float32(_update, group, x, g, s_tail, step),
                                  where=tail)
                        np.copyto(s, s_tail, where=tail)
                    np.copyto(x, new)
                else:
                    np.copyto(x, _update(group, x, g, s, step))
                bump(state["sum"])
                bump(p)
        return loss


def _update(group, x, g, s, step, half=None):
    """One Adagrad update of parameter array x: adds g * g into the sum s in place and returns
    the new value of x. half: the half dtype of a fused step's parameter (the arrays are then
    float32): its kernel rounds the weight decay and the learning rate to half."""
    lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
    t = scalar_type(x.dtype, group["foreach"])
    clr = lr / (1 + (step - 1) * group["lr_decay"])
    if half is not None:
        wd, clr = (float(half.type(np.float32(v))) for v in (wd, clr))
    if wd != 0:
        g = fma(t(wd), x, g)
    np.copyto(s, fused.addcmul(s, g, g, 1))
    std = fused.sqrt(s) + t(eps)
    if group["foreach"]:
        # grads times -clr (in place, a half number, after a weight decay or maximize made
        # them a copy; else out of place, a float32 one), then _foreach_addcdiv_(params, ...)
        if wd == 0 and not group["maximize"]:
            t = scalar_type(x.dtype)
        return fused.addcdiv(x, t(-clr) * g, std, 1)
    return fused.addcdiv(x, g, std, -clr)


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
