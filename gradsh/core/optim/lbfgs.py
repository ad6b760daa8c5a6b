"""L-BFGS with a closure, history_size and line_search_fn None or "strong_wolfe", as PyTorch's.

PyTorch writes it with tensor operations on the flattened parameters; here they are numpy arrays
of the parameters' dtype, and the scalars it keeps as 0-d tensors (ys, ro, H_diag, gtd, t...)
are numpy scalars of that dtype, which round as PyTorch's 0-d tensors do (NEP 50: a Python float
meets a float32 scalar in float32). `add_(alpha=)` is a fused multiply-add as in PyTorch's
kernels. The state keeps tensors, so state_dict() prints as PyTorch's.
"""

import numpy as np

from ..grad_mode import enable_grad, no_grad
from ..ops.summation import flat_sum
from ..tensor import Tensor
from .fused import fma
from .optimizer import Optimizer, bump, check_args, check_lr
from ..meta import as_array


def dot(a, b):
    """torch.dot of two flat arrays (a test swaps in PyTorch's BLAS dot)."""
    return np.dot(a, b)


def _abs_sum(a):
    return flat_sum(np.abs(a)) if a.dtype.kind in "fV" and a.size else np.abs(a).sum()


class LBFGS(Optimizer):
    _number_state = ()

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        check_lr(lr)
        check_args([(0.0 <= lr, f"Invalid learning rate: {lr}")])
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        # (PyTorch's total element count, filled in by the first update, as its _add_grad does)
        self._numel_cache = None

    # ----- the parameters as one flat vector ------------------------------------------------
    def _flat_grad(self):
        return np.concatenate([p._grad._data.reshape(-1) if p._grad is not None
                               else np.zeros(p._data.size, p._data.dtype)
                               for p in self._params])

    def _add_grad(self, step_size, update):
        """Each parameter += step_size * its slice of update (p.add_(u, alpha=step_size))."""
        if self._numel_cache is None:
            self._numel_cache = sum(p._data.size for p in self._params)
        offset = 0
        for p in self._params:
            x = p._data
            n = x.size
            np.copyto(x, fma(x.dtype.type(step_size), update[offset:offset + n].reshape(x.shape),
                             x))
            bump(p)
            offset += n

    def _set_params(self, arrays):
        for p, a in zip(self._params, arrays):
            np.copyto(p._data, a)
            bump(p)

    def _evaluate(self, closure):
        with enable_grad():
            return closure()

    def _directional_evaluate(self, closure, x, t, d):
        """Loss and flat gradient at the parameters x + t * d; the parameters are put back."""
        self._add_grad(t, d)
        loss = float(self._evaluate(closure))
        flat_grad = self._flat_grad()
        self._set_params(x)
        return loss, flat_grad

    # ----- one step ---------------------------------------------------------------------------
    def step(self, closure):
        with no_grad():
            return self._step(closure)

    def _step(self, closure):
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn = group["line_search_fn"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.max(np.abs(flat_grad)) <= tolerance_grad:
            return orig_loss
        memory = _Memory.load(state, group["history_size"])
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            memory.new_direction(flat_grad, state["n_iter"] == 1)
            memory.prev_flat_grad = flat_grad.copy()
            memory.prev_loss = loss
            if state["n_iter"] == 1:
                memory.t = min(1.0, 1.0 / _abs_sum(flat_grad)) * lr
            else:
                memory.t = lr
            d = memory.d
            gtd = dot(flat_grad, d)
            if gtd > -tolerance_change:
                break
            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [p._data.copy() for p in self._params]

                def obj_func(x, t, d):
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, memory.t, ls_func_evals = strong_wolfe(
                    obj_func, x_init, memory.t, d, loss, flat_grad, gtd,
                    max_ls=max_eval - current_evals)
                self._add_grad(memory.t, d)
                opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
            else:
                self._add_grad(memory.t, d)
                if n_iter != max_iter:
                    loss = float(self._evaluate(closure))
                    flat_grad = self._flat_grad()
                    opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals
            if (n_iter == max_iter or current_evals >= max_eval or opt_cond
                    or np.max(np.abs(d * d.dtype.type(memory.t))) <= tolerance_change
                    or abs(loss - memory.prev_loss) < tolerance_change):
                break
        memory.store(state)
        return orig_loss


class _Memory:
    """What LBFGS carries between iterations and steps: the direction d, the step length t,
    the curvature pairs (old_dirs y, old_stps s, ro = 1 / y.s), H_diag, the previous flat
    gradient and loss, and the scratch list al, under PyTorch's state names."""

    NAMES = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")

    @classmethod
    def load(cls, state, history_size):
        memory = cls()
        for name in cls.NAMES:
            setattr(memory, name, _unwrap(state.get(name)))
        memory.al = _unwrap(state.get("al"))
        memory.history_size = history_size
        return memory

    def store(self, state):
        if self.al is not None:
            state["al"] = _wrap(self.al)
        for name in self.NAMES:
            state[name] = _wrap(getattr(self, name))

    def new_direction(self, flat_grad, first):
        """The next descent direction: -gradient at first, else the two-loop recursion over
        the curvature pairs after adding the newest pair (when its y.s > 1e-10)."""
        if first:
            self.d = -flat_grad
            self.old_dirs, self.old_stps, self.ro = [], [], []
            self.H_diag = 1
            return
        y = flat_grad - self.prev_flat_grad
        s = self.d * self.d.dtype.type(self.t)
        ys = dot(y, s)
        if ys > 1e-10:
            if len(self.old_dirs) == self.history_size:
                for history in (self.old_dirs, self.old_stps, self.ro):
                    history.pop(0)
            self.old_dirs.append(y)
            self.old_stps.append(s)
            self.ro.append(1.0 / ys)
            self.H_diag = ys / dot(y, y)
        if self.al is None:
            self.al = [None] * self.history_size
        al = self.al
        q = -flat_grad
        for i in range(len(self.old_dirs) - 1, -1, -1):
            al[i] = dot(self.old_stps[i], q) * self.ro[i]
            q = fma(-al[i], self.old_dirs[i], q)
        r = q * self.H_diag
        for i in range(len(self.old_dirs)):
            be_i = dot(self.old_dirs[i], r) * self.ro[i]
            r = fma(al[i] - be_i, self.old_stps[i], r)
        self.d = r


def _wrap(v):
    if isinstance(v, list):
        return [_wrap(x) for x in v]
    if isinstance(v, (np.ndarray, np.floating)):
        return Tensor._make(as_array(v))
    return v


def _unwrap(v):
    if isinstance(v, list):
        return [_unwrap(x) for x in v]
    if isinstance(v, Tensor):
        return v._data[()] if v._data.ndim == 0 else v._data
    return v


# ----- the strong Wolfe line search ---------------------------------------------------------
def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1, slope g1) and (x2, f2, slope g2), clamped
    to bounds (default: between x1 and x2); their middle when the cubic has none."""
    low, high = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if not d2_square >= 0:
        return (low + high) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, low), high)


class _Point:
    """A trial step length t with its loss f, flat gradient g and slope gtd = g.d."""
    __slots__ = ("t", "f", "g", "gtd")

    def __init__(self, t, f, g, gtd):
        self.t, self.f, self.g, self.gtd = t, f, g, gtd


def strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                 max_ls=25):
    """(loss, flat gradient, t, evaluations) at a step length t along d meeting the strong
    Wolfe conditions: first bracket such a t (growing it by cubic steps), then zoom in."""
    d_norm = np.max(np.abs(d))
    start = _Point(0, f, g.copy(), gtd)

    def sufficient(p):  # the Armijo condition, in PyTorch's operand order
        return not p.f > (f + c1 * p.t * gtd)

    def curvature(p):
        return abs(p.gtd) <= -c2 * gtd

    def evaluate(t):
        f_new, g_new = obj_func(x, t, d)
        return _Point(t, f_new, g_new, dot(g_new, d))

    new = evaluate(t)
    evals, ls_iter, prev = 1, 0, start
    bracket, done = None, False
    while ls_iter < max_ls:
        if not sufficient(new) or (ls_iter > 1 and new.f >= prev.f):
            bracket = [prev, _copy(new)]
            break
        if curvature(new):
            bracket, done = [new], True
            break
        if new.gtd >= 0:
            bracket = [prev, _copy(new)]
            break
        step = cubic_interpolate(prev.t, prev.f, prev.gtd, new.t, new.f, new.gtd,
                                 bounds=(new.t + 0.01 * (new.t - prev.t), new.t * 10))
        prev = _copy(new)
        new = evaluate(step)
        evals += 1
        ls_iter += 1
    if ls_iter == max_ls:
        bracket = [start, new]
    low, high = _order(bracket)
    insuf_progress = False
    while not done and ls_iter < max_ls:
        lo_t, hi_t = bracket[0].t, bracket[1].t
        if abs(hi_t - lo_t) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(lo_t, bracket[0].f, bracket[0].gtd,
                              hi_t, bracket[1].f, bracket[1].gtd)
        t, insuf_progress = _keep_inside(t, lo_t, hi_t, insuf_progress)
        new = evaluate(t)
        evals += 1
        ls_iter += 1
        if not sufficient(new) or new.f >= bracket[low].f:
            bracket[high] = _copy(new)
            low, high = _order(bracket)
        else:
            if curvature(new):
                done = True
            elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = _copy(new)
    best = bracket[low]
    return best.f, best.g, best.t, evals


def _copy(p):
    return _Point(p.t, p.f, p.g.copy(), p.gtd)


def _order(bracket):
    """(index of the lower loss, index of the other) of a bracket of one or two points."""
    return (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)


def _keep_inside(t, a, b, insuf_progress):
    """t moved to 0.1 of the bracket's width inside it when it comes that close to an end
    and the last zoom did not progress (or t is outside); with the new insuf_progress."""
    top, bottom = max(a, b), min(a, b)
    eps = 0.1 * (top - bottom)
    if not min(top - t, t - bottom) < eps:
        return t, False
    if insuf_progress or t >= top or t <= bottom:
        return (top - eps if abs(t - top) < abs(t - bottom) else bottom + eps), False
    return t, True
