"""gradsh's autograd core: a PyTorch-faithful tensor library on numpy (imports numpy only)."""

import warnings

if __name__ != "gradsh.core":  # e.g. "torch.core": a second Tensor class would silently mix
    raise ImportError(
        f"gradsh's core is being imported a second time, as {__name__!r}. To run a torch "
        "program on gradsh, call gradsh.install_as_torch() before it imports torch (or run it "
        "with `gradsh --python prog.py`); registering only sys.modules['torch'] is not enough.")

import numpy as np

# numpy's floating-point warnings (log(0), overflow) never reach the user: PyTorch prints none.
# Turning them off in numpy (not only filtering them) keeps them away under any warning filter
# (pytest's, `-W error`, catch_warnings) at no per-op cost; an errstate per op costs microseconds.
np.seterr(all="ignore")
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"gradsh\.core(\..*)?$")

from . import allocator  # noqa: E402

allocator.tune()  # large temporaries are reused, not faulted in again each iteration

# Every op bound to Tensor and gathered into the torch.* and nn.functional namespaces, from the
# ops' declarations (ops/registry.py).
from . import bindings  # noqa: E402,F401
from .tensor import Tensor  # noqa: E402,F401
