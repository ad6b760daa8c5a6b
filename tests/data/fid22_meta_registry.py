"""Every op of the registry on 'meta' tensors (branch fid22): the op sweep's samples
(op_sweep_cases.py), float32 and the int/bool ones, made on device='meta', run under PyTorch
(tools/record_fid22.py, into fid22_meta_registry.json) and gradsh
(tests/core/test_fid22.py). What is compared for each output: kind, shape, dtype, device,
grad_fn name and requires_grad (fid21_meta_cases' summary), and the strides; or the exception's
class and first line."""

import warnings

import op_sweep_cases as sweep
from fid21_meta_cases import _summary


def cases(ops):
    """The op sweep's cases, float32 only (a meta tensor's dtype is all there is to a value)."""
    return [c for c in sweep.cases(ops) if c[3] in (None, "float32")]


key = sweep.key


class _MetaInputs(sweep._Inputs):
    """The sample's tensors made on the meta device (leaves that require grad stay leaves)."""

    def leaf(self, values):
        t = self.lib.tensor(values, dtype=self.dtype, device="meta", requires_grad=True)
        self.leaves.append(t)
        return t

    def make(self, a):
        if isinstance(a, sweep.In) and a.kind != "nc":
            kinds = {"c": self.dtype, "i": self.lib.int64, "b": self.lib.bool,
                     "i32": self.lib.int32}
            return self.lib.tensor(a.values, dtype=kinds[a.kind], device="meta")
        return super().make(a)


def _with_strides(lib, r, s):
    if isinstance(r, lib.Tensor) and s[0] == "tensor":
        return s + [list(r.stride()) if r.layout == lib.strided else None]
    if isinstance(r, (tuple, list)) and s[0] == "seq":
        return ["seq", [_with_strides(lib, x, y) for x, y in zip(r, s[1])]]
    return s


def run(lib, case):
    name, surface, k, dtype = case
    sample = sweep.samples(name, surface)[k]
    ins = _MetaInputs(lib, dtype)
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = [ins.make(a) for a in sample.args]
            kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
            out, mutated = sweep._call(lib, name, surface, args, kwargs)
            r = out if mutated is None else mutated
            return _with_strides(lib, r, _summary(lib, r))
        except Exception as e:  # noqa: BLE001 - every error is a fact to compare
            return ["error", type(e).__name__, str(e).split("\n")[0]]


# ops whose result's shape depends on the values: PyTorch's refusals on meta tensors
REFUSALS = ["F.one_hot(i)", "F.one_hot(i, 5)",
            "a.repeat_interleave(torch.tensor([1, 2], device='meta'), dim=0)",
            "a.repeat_interleave(torch.tensor([1, 2], device='meta'), dim=0, output_size=3)",
            "torch.repeat_interleave(torch.tensor([1, 2], device='meta'))",
            "torch.repeat_interleave(torch.tensor([1, 2], device='meta'), output_size=3)",
            "torch.bincount(i.flatten())", "i.unique_consecutive()", "torch.argwhere(a)",
            "a.nonzero()", "torch.unique(a)", "a.masked_select(a > 0)"]


# torch.linalg on meta matrices: A (3 x 3), b (3 x 2)
LINALG = [f"torch.linalg.{name}(A)" for name in (
    "inv", "inv_ex", "det", "slogdet", "cholesky", "cholesky_ex", "qr", "svd", "svdvals", "eigh",
    "eigvalsh", "eig", "eigvals", "pinv", "matrix_norm", "norm", "vector_norm", "matrix_rank",
    "lu", "lu_factor", "lu_factor_ex", "ldl_factor", "matrix_exp", "tensorinv", "cond",
    "diagonal", "vander")] + [f"torch.linalg.{name}(A, b)" for name in (
        "solve", "solve_ex", "lstsq")] + [
    "torch.linalg.solve_triangular(A, b, upper=True)", "torch.linalg.matrix_power(A, 2)",
    "torch.linalg.matrix_power(A, -1)", "torch.linalg.cross(A, A)", "torch.linalg.vecdot(A, A)",
    "torch.linalg.multi_dot([A, A])", "torch.linalg.householder_product(A, b[:, 0])",
    "torch.linalg.tensorsolve(A, b[:, 0])", "torch.inverse(A)", "torch.cholesky_inverse(A)",
    "torch.cholesky_solve(b, A)", "torch.matrix_exp(A)", "torch.poisson(b)",
    "torch.multinomial(b.T, 2)", "torch.linalg.inv(A.requires_grad_())"]


# PyTorch's strides of meta views (and the reshape that follows them: a view or a copy)
STRIDES = [f"{v}.stride()" for v in (
    "a", "a.transpose(0, 1)", "a.permute(2, 0, 1)", "a.expand(5, 2, 3, 4)", "a[0].t()",
    "a.as_strided((2, 2), (1, 2))", "a.diagonal()", "a[:, 1:]", "a[..., ::2]", "a[None]",
    "a.unsqueeze(1)", "a.movedim(0, 2)", "a.transpose(0, 1).reshape(3, 8)",
    "a.transpose(1, 2).reshape(2, 12)", "a.reshape(6, 4).t()", "a.narrow(2, 1, 2)",
    "a[:, 0].unsqueeze(-1)", "a.mT", "A.t()[1:]", "b.expand(2, 3, 2)", "a.flatten(1)",
    "a.transpose(0, 2).flatten()", "a.select(1, 2)", "a.squeeze()", "a.view(6, 4)[::2]")] + [
    f"{v}.is_contiguous()" for v in ("a.transpose(0, 1)", "a[0]", "a[:, :1]", "A.t()",
                                     "a.expand(5, 2, 3, 4)")] + [
    "(w.t() + 0).reshape(12).grad_fn.name()", "w.reshape(12).grad_fn.name()",
    "w.t().reshape(12).grad_fn.name()", "w.t().reshape(4, 3).grad_fn.name()"]


def run_expr(lib, expr):
    """What `expr` gives over meta tensors i (int64, 2 x 3), a (float32, 2 x 3 x 4), A (3 x 3),
    b (3 x 2) and w (3 x 4, requires grad)."""
    env = {"torch": lib, "F": lib.nn.functional,
           "i": lib.empty(2, 3, dtype=lib.int64, device="meta"),
           "a": lib.empty(2, 3, 4, device="meta"), "A": lib.empty(3, 3, device="meta"),
           "b": lib.empty(3, 2, device="meta"),
           "w": lib.empty(3, 4, device="meta", requires_grad=True)}
    try:
        r = eval(expr, env)
    except Exception as e:  # noqa: BLE001 - the error is the fact compared
        return ["error", type(e).__name__, str(e).split("\n")[0]]
    return _summary(lib, r)


def run_backward(lib, case):
    """The gradients of a case's outputs (each summed) for its meta leaves: each one's shape,
    dtype and device (None where unused), or the backward's error class; None where the case
    has no output that requires grad (or raised)."""
    name, surface, k, dtype = case
    if dtype != "float32":
        return None
    sample = sweep.samples(name, surface)[k]
    ins = _MetaInputs(lib, dtype)
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = [ins.make(a) for a in sample.args]
            kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
            out, mutated = sweep._call(lib, name, surface, args, kwargs)
        except Exception:  # noqa: BLE001 - the forward's facts are run()'s
            return None
        outs = [o for o in sweep._flat(out if mutated is None else mutated)
                if isinstance(o, lib.Tensor) and o.requires_grad]
        if not outs or not ins.leaves:
            return None
        try:
            grads = lib.autograd.grad([o.sum() for o in outs], ins.leaves, allow_unused=True)
        except Exception as e:  # noqa: BLE001 - the class is the fact compared
            return ["error", type(e).__name__]
    return [None if g is None else [list(g.shape), str(g.dtype), str(g.device)] for g in grads]
