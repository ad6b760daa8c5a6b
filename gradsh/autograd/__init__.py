"""torch.autograd for gradsh."""

from ..core.autograd import (Function, backward, detect_anomaly, grad,  # noqa: F401
                             is_anomaly_enabled, set_detect_anomaly)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: F401 (the functions)
from ..core.autograd import FunctionCtx  # noqa: F401
from ..core.autograd import is_multithreading_enabled, set_multithreading_enabled  # noqa: F401
from ..core.grad_mode import (enable_grad, inference_mode, no_grad,  # noqa: F401
                              set_grad_enabled)
from ..core.node import Node  # noqa: F401
from .variable import Variable  # noqa: F401,E402
from . import function, graph  # noqa: F401,E402
from .._lazy import lazy_exports as _lazy_exports  # noqa: E402
from ..core import gradcheck as _core_gradcheck  # noqa: E402
import importlib  # noqa: E402

# the larger two load on first use (the language's start-up reads only graph.Node)
__getattr__, __dir__ = _lazy_exports(globals(), "torch.autograd", {}, ("forward_ad", "functional", "profiler"))


def _forward_jacobian(func, inputs, x):
    """gradcheck(check_forward_ad=True)'s Jacobian, from forward_ad (loaded on this first use)."""
    return importlib.import_module(__name__ + ".forward_ad").forward_jacobian(func, inputs, x)


_core_gradcheck.forward_jacobian[0] = _forward_jacobian
