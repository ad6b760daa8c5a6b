"""torch.nn.parallel: DataParallel (which runs the module itself on a machine without GPUs).
The DCGAN tutorial imports it beside torch.nn; its multi-device helpers are not offered."""

from ..core.nn.parallel import DataParallel

__all__ = ["DataParallel"]
