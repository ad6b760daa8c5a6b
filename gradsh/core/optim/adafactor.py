"""Adafactor (Shazeer and Stern; PyTorch 2.13's variant: no first moment, relative step
sizes, the update's RMS clipped at d), with PyTorch's single-tensor algorithm (the one it runs
on a CPU) written with the library's ops in its order, so its float32 arithmetic and its
Python-float steps are PyTorch's: a matrix keeps row and column means of the squared gradient
(the factored second moment), a vector its full variance."""

from .. import factories
from ..dtypes import finfo
from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer, check_args


class Adafactor(Optimizer):
    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        check_args([(0.0 <= lr, f"Learning rate should be >= 0 but is: {lr}"),
                    (0.0 >= beta2_decay, f"beta2_decay should be <= 0 but is: {beta2_decay}"),
                    (eps[0] is None or 0.0 <= eps[0],
                     f"epsilon1 should be >= 0 but is: {eps[0]}"),
                    (0.0 <= eps[1], f"epsilon2 should be >= 0 but is: {eps[1]}"),
                    (1.0 <= d, f"Clipping threshold d should be >= 1 but is: {d}"),
                    (0.0 <= weight_decay, f"weight_decay should be >= 0 but is: {weight_decay}")])
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def _init_state(self, p):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = factories.tensor(0.0)
            g = p.grad
            if g.dim() > 1:
                row_shape = list(g.shape)
                row_shape[-1] = 1
                state["row_var"] = g.new_zeros(row_shape)
                col_shape = list(g.shape)
                col_shape[-2] = 1
                state["col_var"] = g.new_zeros(col_shape)
            else:
                state["variance"] = factories.zeros_like(g)
        return state

    def step(self, closure=None):
        loss = self._closure(closure)
        with no_grad():
            for group in self.param_groups:
                eps1, eps2 = group["eps"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if p.is_complex():
                        raise RuntimeError("Adafactor does not support complex parameters")
                    _update(p, self._init_state(p), group, eps1, eps2)
        return loss


def _update(param, state, group, eps1, eps2):
    """_single_tensor_adafactor for one parameter."""
    lr, d, weight_decay = group["lr"], group["d"], group["weight_decay"]
    lr = lr.item() if isinstance(lr, Tensor) else lr
    grad = -param.grad if group["maximize"] else param.grad
    step_t = state["step"]
    if eps1 is None:
        eps1 = finfo(param.dtype).eps
    step_t += 1
    step_float = step_t.item()
    one_minus_beta2_t = step_float ** group["beta2_decay"]
    rho_t = min(lr, 1 / (step_float ** 0.5))
    alpha = max(eps2, param.norm(2).item() / (param.numel() ** 0.5)) * rho_t
    if weight_decay != 0:
        param.mul_(1 - lr * weight_decay)
    if grad.dim() > 1:
        row_var, col_var = state["row_var"], state["col_var"]
        row_mean = grad.norm(dim=-1, keepdim=True).square_().div_(grad.size(-1))
        row_var.lerp_(row_mean, one_minus_beta2_t)
        col_mean = grad.norm(dim=-2, keepdim=True).square_().div_(grad.size(-2))
        col_var.lerp_(col_mean, one_minus_beta2_t)
        var_estimate = row_var @ col_var
        var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
    else:
        variance = state["variance"]
        grad_squared = grad * grad
        variance.lerp_(grad_squared, one_minus_beta2_t)
        var_estimate = variance.clone()
    update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_()
    update.mul_(grad)
    denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
    param.add_(update, alpha=-alpha / denom)


