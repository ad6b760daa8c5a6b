"""torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp."""

from ..core.functional import hessian, hvp, jacobian, jvp, vhp, vjp  # noqa: F401
