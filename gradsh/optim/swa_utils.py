"""torch.optim.swa_utils for gradsh (re-exports)."""

from ..core.optim.swa_utils import (SWALR, AveragedModel, get_ema_avg_fn,  # noqa: F401
                                    get_ema_multi_avg_fn, get_swa_avg_fn, get_swa_multi_avg_fn,
                                    update_bn)
