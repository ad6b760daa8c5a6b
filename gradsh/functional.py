"""torch.functional: the module where PyTorch defines a few torch.* functions in Python (the
Introduction to PyTorch series imports it, `import torch.functional as F`); here the same
functions as torch.* has them."""

from ._api import (atleast_1d, atleast_2d, atleast_3d, block_diag, broadcast_shapes,
                   broadcast_tensors, cartesian_prod, cdist, chain_matmul, einsum, istft, lu,
                   meshgrid, norm, pca_lowrank, split, stft, svd_lowrank, tensordot, unique,
                   unique_consecutive, unravel_index)

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors",
           "cartesian_prod", "block_diag", "cdist", "chain_matmul", "einsum", "istft", "lu",
           "norm", "meshgrid", "pca_lowrank", "split", "stft", "svd_lowrank", "tensordot",
           "unique", "unique_consecutive", "unravel_index"]
