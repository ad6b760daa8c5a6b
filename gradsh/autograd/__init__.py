"""torch.autograd for gradsh."""

from ..core.autograd import (Function, GradcheckError, backward, detect_anomaly, grad,  # noqa: F401
                             gradcheck, gradgradcheck, is_anomaly_enabled, set_detect_anomaly)
from ..core.autograd import FunctionCtx  # noqa: F401
from ..core.grad_mode import (enable_grad, inference_mode, no_grad,  # noqa: F401
                              set_grad_enabled)
from ..core.node import Node  # noqa: F401
from .variable import Variable  # noqa: F401,E402
from . import forward_ad, function, functional, graph  # noqa: F401,E402
