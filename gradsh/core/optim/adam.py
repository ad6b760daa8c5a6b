"""Adam and AdamW (decoupled weight decay), with amsgrad and maximize, in the order of
PyTorch's single-tensor implementation (the one it uses on the CPU by default)."""

import numpy as np

from .. import factories
from ..tensor import Tensor
from . import fused
from .fused import fma
from .optimizer import Optimizer, adam_checks, bump, check_args, count_step


def lerp_into(a, b, w):
    """a.lerp_(b, w) as PyTorch computes it: from a below w = 0.5, from b above."""
    np.copyto(a, fused.lerp(a, b, w))


def _checked_betas(betas, foreach, capturable):
    """Adam's and AdamW's checks of the betas' types (both floats or both tensors of one
    element), in PyTorch's order; a tensor beta of more dims made 0-d (PyTorch's _to_scalar)."""
    if not all(isinstance(b, float) for b in betas[:2]) and \
            not all(isinstance(b, Tensor) for b in betas[:2]):
        raise ValueError("betas must be either both floats or both Tensors")
    for i, b in enumerate(betas[:2]):
        if isinstance(b, Tensor):
            if not capturable and foreach:
                raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False "
                                 "and foreach=True")
            if b.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
    return tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)


class Adam(Optimizer):
    _capturable_foreach_devices = Optimizer.NO_XLA
    _group_fallbacks = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                        "differentiable": False, "decoupled_weight_decay": False, "fused": None}
    _decoupled = False
    _sparse_message = "Adam does not support sparse gradients, please consider SparseAdam instead"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=None):
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        check_args(adam_checks(lr, eps, betas, weight_decay))
        betas = _checked_betas(betas, foreach, capturable)
        if decoupled_weight_decay is None:
            decoupled_weight_decay = self._decoupled
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            items = list(self._with_grads(group))
            flat = self._flat_state(group, items) if FUSE else None
            if flat is not None:
                self._flat_step(group, items, flat)
                continue
            for p, x, t, g in items:
                state = self.state[p]
                if not state:
                    state["step"] = factories.tensor(0.0)
                    state["exp_avg"] = Tensor._make(np.zeros_like(x))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                st = count_step(state)
                m = state["exp_avg"]
                v = state["exp_avg_sq"]
                vmax = state.get("max_exp_avg_sq")
                new_x = _update(group, x, g, m._data, v._data,
                                vmax._data if group["amsgrad"] else None, float(st._data))
                np.copyto(x, new_x)
                _bump_all(group, m, v, vmax if group["amsgrad"] else None, p)
        return loss

    def _flat_state(self, group, items):
        """The group's state as one flat array per quantity (FlatState), made on the group's
        first step, or None when this step cannot use it (then each parameter is updated on
        its own, on the same arrays)."""
        flats = self.__dict__.setdefault("_flats", {})
        flat = flats.get(id(group))
        if flat is not None and flat.group is group and flat.holds(self.state, items):
            return flat
        if len(items) < 2 or any(self.state[p] for p, _, _, _ in items):
            return None
        flat = FlatState.make(group, items, group["amsgrad"])
        if flat is not None:
            flat.install(self.state, items)
            flats[id(group)] = flat
        return flat

    def _flat_step(self, group, items, flat):
        """One update of every parameter of the group at once: the same elementwise arithmetic
        as the per-parameter loop, on the concatenated parameters and gradients."""
        steps = flat.steps
        steps += flat.one
        x = _concat([x.reshape(-1) for _, x, _, _ in items])
        g = _concat([g.reshape(-1) for _, _, _, g in items])
        new_x = _update(group, x, g, flat.m, flat.v, flat.vmax, float(steps[0]))
        spans = flat.spans
        for k, (p, x, _, _) in enumerate(items):
            a, b = spans[k]
            np.copyto(x, new_x[a:b].reshape(x.shape))
            step, m, v, *vmax = flat.tensors[k]
            bump(step)
            _bump_all(group, m, v, vmax[0] if vmax else None, p)


_concat = np.concatenate

# Update a group's parameters together (FlatState) when they allow it; a test turns it off to
# compare the two ways bit for bit.
FUSE = True


def _bump_all(group, m, v, vmax, p):
    """The versions PyTorch's single-tensor Adam leaves: exp_avg.lerp_, exp_avg_sq.mul_().addcmul_,
    torch.maximum(..., out=max_exp_avg_sq), param.addcdiv_ (and param.mul_ first for a
    decoupled weight decay)."""
    bump(m)
    bump(v, 2)
    if vmax is not None:
        bump(vmax)
    bump(p, 2 if group["weight_decay"] != 0 and group["decoupled_weight_decay"] else 1)


def _update(group, x, g, m, v, vmax, step):
    """One Adam update of parameter array x with gradient g: writes the moments m, v (and
    vmax, amsgrad) in place and returns the new value of x (the caller copies it in).
    Elementwise throughout, so x may be one parameter or several concatenated."""
    if group["fused"] and fused.is_half(x.dtype):
        return fused.in_float32(_update, group, x, g, m, v, vmax, step)
    t = fused.scalar_type(x.dtype, group["foreach"])
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    wd = group["weight_decay"]
    if wd != 0:
        if group["decoupled_weight_decay"]:
            x = x * t(1 - lr * wd)  # (param.mul_(1 - lr * weight_decay), copied in below)
        else:
            g = fma(t(wd), x, g)
    lerp_into(m, g, 1 - beta1)
    np.copyto(v, fused.addcmul(v * t(beta2), g, g, 1 - beta2))
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    step_size = lr / bias_correction1
    bc2_sqrt = bias_correction2 ** 0.5
    if vmax is not None:
        np.maximum(vmax, v, out=vmax)
        denom = fused.sqrt(vmax) / t(bc2_sqrt) + t(eps)
    else:
        denom = fused.sqrt(v) / t(bc2_sqrt) + t(eps)
    return fused.addcdiv(x, m, denom, -step_size)


class FlatState:
    """Adam's state for a group's parameters kept as flat arrays (exp_avg, exp_avg_sq,
    max_exp_avg_sq, step), each parameter's state tensors being views of them: one update of
    the whole group costs the numpy calls of one parameter. (PyTorch's single-tensor Adam walks
    the parameters one by one; every operation is elementwise with the same scalars, so the
    results are the same bits.) Used while the state tensors are still these views, the
    parameters the same, with gradients, distinct arrays of one dtype and their steps equal."""

    __slots__ = ("group", "params", "dtype", "m", "v", "vmax", "steps", "one", "spans",
                 "tensors", "views")

    @classmethod
    def make(cls, group, items, amsgrad):
        dt = items[0][1].dtype
        xs = [x for _, x, _, _ in items]
        if (dt.kind != "f" or any(x.dtype != dt or not x.flags.c_contiguous for x in xs)
                or not _distinct(xs)):
            return None
        flat = cls()
        flat.group = group
        flat.params = [p for p, _, _, _ in items]
        flat.dtype = dt
        n = sum(x.size for x in xs)
        flat.m = np.zeros(n, dt)
        flat.v = np.zeros(n, dt)
        flat.vmax = np.zeros(n, dt) if amsgrad else None
        step0 = factories.tensor(0.0)._data  # PyTorch's step: a 0-d tensor of the default dtype
        flat.steps = np.zeros(len(xs), step0.dtype)
        flat.one = step0.dtype.type(1)
        spans, a = [], 0
        for x in xs:
            spans.append((a, a + x.size))
            a += x.size
        flat.spans = spans
        return flat

    def install(self, state, items):
        """Give each parameter its state tensors: views of the flat arrays."""
        tensors = []
        for k, (p, x, _, _) in enumerate(items):
            a, b = self.spans[k]
            st = {"step": Tensor._make(self.steps[k, ...]),
                  "exp_avg": Tensor._make(self.m[a:b].reshape(x.shape)),
                  "exp_avg_sq": Tensor._make(self.v[a:b].reshape(x.shape))}
            if self.vmax is not None:
                st["max_exp_avg_sq"] = Tensor._make(self.vmax[a:b].reshape(x.shape))
            state[p].update(st)
            tensors.append(tuple(st.values()))
        self.tensors = tensors
        self.views = [tuple(t._data for t in ts) for ts in tensors]

    def holds(self, state, items):
        """May this step update `items` (the group's parameters with gradients) through the
        flat arrays? Each state tensor must still hold its view (load_state_dict, a program's
        assignment or a copy of the optimiser replace them), each parameter be the one it was
        made for, its array of the same dtype and distinct, and the steps equal."""
        params = self.params
        if len(items) != len(params) or (self.vmax is not None) != bool(self.group["amsgrad"]):
            return False
        dt = self.dtype
        for k, (p, x, _, g) in enumerate(items):
            if p is not params[k] or x.dtype is not dt or g.dtype is not dt:
                return False
            st = state[p]
            for name, t, view in zip(_NAMES, self.tensors[k], self.views[k]):
                if st.get(name) is not t or t._data is not view:
                    return False
        steps = self.steps
        return _distinct([x for _, x, _, _ in items]) and _min(steps) == _max(steps)


_NAMES = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")  # (install's order)
_min, _max = np.minimum.reduce, np.maximum.reduce


def _distinct(arrays):
    """No two of the arrays share memory (each owns its buffer, and no buffer twice): updating
    them together then equals updating them one after another."""
    return (all(x.base is None for x in arrays)
            and len({id(x) for x in arrays}) == len(arrays))


class AdamW(Adam):
    _group_fallbacks = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                        "differentiable": False, "decoupled_weight_decay": True, "fused": None}
    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
