"""torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp."""

from ..core.autograd_functional import hessian, hvp, jacobian, jvp, vhp, vjp  # noqa: F401
