"""torch.sparse for gradsh: the sparse COO tensors' functions (gradsh/core/ops/sparse.py;
docs/autograd.md, "Sparse tensors")."""

from .core.ops.sparse import (sparse_log_softmax as log_softmax, sparse_mm as mm,
                               sparse_softmax as softmax, sparse_sum as sum)

__all__ = ["log_softmax", "mm", "softmax", "sum"]
