"""torch.nn.modules.module: Module and the hooks on every module's calls
(register_module_forward_pre_hook, register_module_forward_hook,
register_module_full_backward_hook, register_module_full_backward_pre_hook)."""

from ...core.nn.module import (Module, register_module_forward_hook,  # noqa: F401
                               register_module_forward_pre_hook,
                               register_module_full_backward_hook,
                               register_module_full_backward_pre_hook)

__all__ = ["Module", "register_module_forward_pre_hook", "register_module_forward_hook",
           "register_module_full_backward_hook", "register_module_full_backward_pre_hook"]
