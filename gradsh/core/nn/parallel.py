"""nn.DataParallel as PyTorch 2.13 builds it on a machine without GPUs (gradsh's only kind):
it keeps the module as `.module` (so its state_dict keys start with `module.`), has no device
ids, and its forward calls the module."""

from .module import Module


class DataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = []

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
