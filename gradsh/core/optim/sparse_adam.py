"""SparseAdam: Adam for sparse gradients (nn.Embedding(sparse=True)), lazily: only the rows a
gradient holds update their moments and move (docs/nn.md, "Sparse gradients")."""

import numpy as np

from ..sparse import SparseArray, coalesced_arrays
from ..tensor import Tensor
from .optimizer import Optimizer, bump, check_args, check_lr


class SparseAdam(Optimizer):
    _number_state = ()
    _sparse_grads = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        check_lr(lr)
        check_args([(0.0 < eps, f"Invalid epsilon value: {eps}"),
                    (0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}"),
                    (0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")])
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize))

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                g = p._grad._data
                if type(g) is not SparseArray:
                    raise RuntimeError("SparseAdam does not support dense gradients, please "
                                       "consider Adam instead")
                x = p._data
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = Tensor._make(np.zeros_like(x))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                state["step"] += 1
                idx, vals = coalesced_arrays(g)
                if group["maximize"]:
                    vals = -vals
                where = tuple(idx)
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                m_rows = m[where]
                m_rows += (vals - m_rows) * (1 - beta1)
                v_rows = v[where]
                v_rows += (vals * vals - v_rows) * (1 - beta2)
                m[where], v[where] = m_rows, v_rows
                bump(state["exp_avg"])
                bump(state["exp_avg_sq"])
                k = state["step"]
                step_size = lr * np.sqrt(1 - beta2 ** k) / (1 - beta1 ** k)
                x[where] += -step_size * (m_rows / (np.sqrt(v_rows) + eps))
                bump(p)
        return loss
