"""torch.version for gradsh: the build PyTorch's CPU wheel describes (gradsh reproduces PyTorch
2.13.0's CPU build: no CUDA, ROCm or XPU)."""

# torch.__version__'s string, as in PyTorch: under Python gradsh's own package version; a .grad
# program reads PyTorch's release, '2.13.0+cpu', from both (gradsh/lang/runtime/namespaces.py)
from . import __version__

cuda = None
hip = None
rocm = None
xpu = None
debug = False
git_version = "cf30153c4c131c8164ee7798e5022d810682e2cb"  # (PyTorch 2.13.0's, as it reports)

__all__ = ["__version__", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]
