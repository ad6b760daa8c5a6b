"""torch.autograd.gradcheck, the module: `from torch.autograd.gradcheck import GradcheckError`.
(The package's attribute of that name is the function, as in PyTorch.)"""

from ..core.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]
