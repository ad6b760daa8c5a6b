"""Muon (momentum orthogonalized by Newton-Schulz) for 2-d parameters, with PyTorch 2.13's
single-tensor algorithm written with the library's ops in its order: the update (Nesterov or
not) is orthogonalized in bfloat16 by ns_steps quintic Newton-Schulz iterations (addmm with
PyTorch's coefficients), the learning rate adjusted by the shape, then decoupled weight
decay and the step. Written before gradsh had bfloat16 tensors (and kept: it needs no
ml-dtypes import), the orthogonalization rounds its float32 results to bfloat16 where PyTorch's bfloat16 tensors hold them (measured equal to PyTorch's
for small matrices; larger products may round a different float32 sum)."""

import math

import numpy as np

from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer

EPS = 1e-7
DEFAULT_A = 3.4445
DEFAULT_B = -4.7750
DEFAULT_C = 2.0315
DEFAULT_NS_STEPS = 5


def _bf16(x):
    """float32 values rounded to bfloat16 (to nearest, ties to even), kept as float32 (a
    bfloat16 value is a float32 one)."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32)


def _zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps):
    """PyTorch's orthogonalization in bfloat16: each result rounded to bfloat16 as its
    bfloat16 tensors hold it (the products accumulated in float32, as its CPU kernels do)."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if len(grad.shape) != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = (np.float32(v) for v in ns_coefficients)
    tall = grad.size(0) > grad.size(1)  # iterate on the wide orientation
    ortho = _bf16(grad._data)
    if tall:
        ortho = ortho.T
    norm = _bf16(np.float32(np.sqrt(np.sum(np.square(ortho, dtype=np.float64)))))
    ortho = _bf16(ortho / max(norm, _bf16(np.float32(eps))))
    for _ in range(ns_steps):
        gram = _bf16(ortho @ ortho.T)
        gram_update = _bf16(b * gram + c * (gram @ gram))
        ortho = _bf16(a * ortho + gram_update @ ortho)
    if tall:
        ortho = ortho.T
    return Tensor._make(np.ascontiguousarray(ortho))


_LR_SCALES = {
    # "original": sqrt(rows / cols) for tall matrices, 1 for wide ones
    "original": lambda rows, cols: math.sqrt(max(1, rows / cols)),
    # an update RMS like AdamW's: 0.2 sqrt(max(rows, cols))
    "match_rms_adamw": lambda rows, cols: 0.2 * math.sqrt(max(rows, cols)),
}


def _adjust_lr(lr, adjust_lr_fn, param_shape):
    scale = _LR_SCALES.get(adjust_lr_fn or "original", lambda rows, cols: 1.0)
    return lr * scale(*param_shape[:2])


class Muon(Optimizer):
    _number_state = ()

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps=EPS,
                 ns_steps=DEFAULT_NS_STEPS, adjust_lr_fn=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {"lr": lr, "weight_decay": weight_decay, "momentum": momentum,
                    "nesterov": nesterov, "ns_coefficients": ns_coefficients, "eps": eps,
                    "ns_steps": ns_steps, "adjust_lr_fn": adjust_lr_fn}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found a "
                                     f"parameter with size: {p.size()}")

    def step(self, closure=None):
        loss = self._closure(closure)
        with no_grad():
            for group in self.param_groups:
                lr = group["lr"]
                lr = lr.item() if isinstance(lr, Tensor) else lr
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if p.is_complex():
                        raise RuntimeError("Muon does not support complex parameters")
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = p.grad.new_zeros(p.grad.shape)
                    _update(p, p.grad, state["momentum_buffer"], lr, group)
        return loss


def _update(param, grad, buf, lr, group):
    """_single_tensor_muon for one parameter."""
    if grad.ndim != 2:
        raise ValueError("Param gradient must be a 2D matrix")
    momentum = group["momentum"]
    buf.lerp_(grad, 1 - momentum)
    update = grad.lerp(buf, momentum) if group["nesterov"] else buf
    update = _zeropower_via_newtonschulz(update, group["ns_coefficients"], group["ns_steps"],
                                         group["eps"])
    step = _adjust_lr(lr, group["adjust_lr_fn"], param.shape)
    param.mul_(1 - lr * group["weight_decay"])
    param.add_(update, alpha=-step)
