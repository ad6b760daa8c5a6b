"""The hook-based torch.nn.utils.weight_norm / remove_weight_norm and spectral_norm /
remove_spectral_norm: the module keeps the pieces (parameters `<name>_g` and `<name>_v`, or the
parameter `<name>_orig` and buffers `<name>_u`, `<name>_v`) and a forward pre-hook rebuilds
`<name>` as a plain attribute before every call. weight_norm warns that it is deprecated, with
PyTorch's FutureWarning."""

import warnings

from .. import nn_functional as F
from ..errors import no_attribute
from ..grad_mode import no_grad
from ..ops.linalg import mv
from ..weight_norm import norm_except_dim, weight_norm as _weight_norm
from .conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .parameter import Parameter

__all__ = ["remove_spectral_norm", "remove_weight_norm", "spectral_norm", "weight_norm"]

_DEPRECATED = ("`torch.nn.utils.weight_norm` is deprecated in favor of "
               "`torch.nn.utils.parametrizations.weight_norm`.")
_TRANSPOSED = (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)


def _pre_hooks(module):
    """module's forward pre-hooks; for a value that is no Module, the AttributeError PyTorch's
    Python code meets reading them."""
    hooks = getattr(module, "_forward_pre_hooks", None)
    if not isinstance(hooks, dict):
        raise no_attribute(module, "_forward_pre_hooks")
    return hooks


def _hook_key(module, kind, name):
    """The key of module's `kind` hook on parameter `name`, or None."""
    found = [k for k, h in _pre_hooks(module).items() if isinstance(h, kind) and h.name == name]
    return found[0] if found else None


def _refuse_second(module, kind, name, label):
    if _hook_key(module, kind, name) is not None:
        raise RuntimeError(f"Cannot register two {label} hooks on the same parameter {name}")


def _take_off(module, kind, name, label):
    """Undo `kind` on module.<name>: the hook folds its pieces back into one parameter."""
    key = _hook_key(module, kind, name)
    if key is None:
        raise ValueError(f"{label} of '{name}' not found in {module}")
    _pre_hooks(module)[key].remove(module)
    del _pre_hooks(module)[key]
    return module


class _Reparametrization:
    """A forward pre-hook that sets module.<name> from the pieces before each call."""

    def __init__(self, name):
        self.name = name

    def piece(self, module, suffix):
        return getattr(module, f"{self.name}_{suffix}")

    def __call__(self, module, inputs):
        setattr(module, self.name, self.rebuilt(module, module.training))


class WeightNorm(_Reparametrization):
    """<name> = g * v / ||v||, the norm over every dim but `dim` (-1 for dim=None: the whole
    tensor)."""

    def __init__(self, name, dim):
        super().__init__(name)
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        return _weight_norm(self.piece(module, "v"), self.piece(module, "g"), self.dim)

    def rebuilt(self, module, training):
        return self.compute_weight(module)

    @staticmethod
    def apply(module, name, dim):
        # warned here, where PyTorch warns (once per call site)
        warnings.warn(_DEPRECATED, FutureWarning, stacklevel=2)
        _refuse_second(module, WeightNorm, name, "weight_norm")
        hook = WeightNorm(name, dim)
        w = getattr(module, name)
        del module._parameters[name]
        magnitude = norm_except_dim(w, 2, hook.dim).detach()
        module.register_parameter(f"{name}_g", Parameter(magnitude))
        module.register_parameter(f"{name}_v", Parameter(w.detach()))
        setattr(module, name, hook.compute_weight(module))
        module.register_forward_pre_hook(hook)
        return hook

    def remove(self, module):
        folded = self.compute_weight(module).detach()
        delattr(module, self.name)
        for suffix in ("g", "v"):
            del module._parameters[f"{self.name}_{suffix}"]
        setattr(module, self.name, Parameter(folded))


class SpectralNorm(_Reparametrization):
    """<name> = <name>_orig / sigma, sigma the largest singular value of the weight seen as a
    matrix (rows along `dim`), estimated by power iteration on the buffers u and v, which
    advance only in training mode."""

    _version = 1

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        super().__init__(name)
        self.dim, self.eps = dim, eps
        self.n_power_iterations = n_power_iterations

    def reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            rest = [k for k in range(weight.dim()) if k != self.dim]
            weight = weight.permute(self.dim, *rest)
        return weight.reshape(weight.size(0), -1)

    def _unit(self, t):
        return F.normalize(t, dim=0, eps=self.eps)

    def compute_weight(self, module, do_power_iteration):
        w = self.piece(module, "orig")
        u, v = self.piece(module, "u"), self.piece(module, "v")
        mat = self.reshape_weight_to_matrix(w)
        if do_power_iteration:
            # the buffers advance in place (F.normalize(..., out=) in PyTorch); sigma uses
            # copies, so a later in-place step cannot disturb the graph
            with no_grad():
                for _ in range(self.n_power_iterations):
                    v.copy_(self._unit(mv(mat.t(), u)))
                    u.copy_(self._unit(mv(mat, v)))
            u, v = u.clone(), v.clone()
        return w / u.dot(mv(mat, v))

    def rebuilt(self, module, training):
        return self.compute_weight(module, do_power_iteration=training)

    def remove(self, module):
        with no_grad():
            folded = self.compute_weight(module, do_power_iteration=False)
        for attr in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + attr)
        module.register_parameter(self.name, Parameter(folded.detach()))

    @staticmethod
    def apply(module, name, n_power_iterations, dim, eps):
        _refuse_second(module, SpectralNorm, name, "spectral_norm")
        hook = SpectralNorm(name, n_power_iterations, dim, eps)
        w = module._parameters[name]
        if w is None:
            raise ValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
        with no_grad():
            rows, cols = hook.reshape_weight_to_matrix(w).size()
            # random unit starting vectors, u drawn before v
            u0 = hook._unit(w.new_empty(rows).normal_(0, 1))
            v0 = hook._unit(w.new_empty(cols).normal_(0, 1))
        delattr(module, name)
        module.register_parameter(f"{name}_orig", w)
        setattr(module, name, w.detach())
        module.register_buffer(f"{name}_u", u0)
        module.register_buffer(f"{name}_v", v0)
        module.register_forward_pre_hook(hook)
        return hook


def weight_norm(module, name="weight", dim=0):
    """Deprecated: module.<name> = g * v / ||v||, recomputed before each forward."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    return _take_off(module, WeightNorm, name, "weight_norm")


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """module.<name> = <name>_orig / sigma, sigma by power iteration before each forward."""
    if dim is None:
        dim = 1 if isinstance(module, _TRANSPOSED) else 0
    SpectralNorm.apply(module, name, n_power_iterations, dim, eps)
    return module


def remove_spectral_norm(module, name="weight"):
    return _take_off(module, SpectralNorm, name, "spectral_norm")
