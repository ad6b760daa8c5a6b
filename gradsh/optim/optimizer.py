"""torch.optim.optimizer for gradsh (re-exports)."""

from ..core.optim.optimizer import (Optimizer, register_optimizer_step_post_hook,
                                    register_optimizer_step_pre_hook, required)

__all__ = ["Optimizer", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook",
           "required"]
