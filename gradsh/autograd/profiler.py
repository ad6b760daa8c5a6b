"""torch.autograd.profiler: the legacy profiler's names over gradsh/profiler.py (the same
regions and table); emit_nvtx needs CUDA and fails as PyTorch does without it."""

from ..core.device import NO_CUDA, NotCompiledError
from ..profiler import EventList, FunctionEvent, record_function  # noqa: F401
from ..profiler import profile as _profile

__all__ = ["profile", "record_function", "emit_nvtx", "EventList", "FunctionEvent"]


class profile(_profile):
    """profile(enabled=True, *, use_cuda=False, record_shapes=False, ...): a context manager."""

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=False, use_cpu=True, experimental_config=None, acc_events=False,
                 custom_trace_id_callback=None):
        super().__init__(record_shapes=record_shapes, profile_memory=profile_memory)
        self.enabled = enabled

    def __enter__(self):
        if self.enabled:
            self.start()
        return self

    @property
    def function_events(self):
        return self._events

    def table(self, sort_by=None, row_limit=100, **kwargs):
        return self._events.table(sort_by=sort_by, row_limit=row_limit)

    def __str__(self):
        return self.table()


class emit_nvtx:
    """NVTX ranges for nvprof: CUDA only."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled

    def __enter__(self):
        if self.enabled:
            raise NotCompiledError(NO_CUDA)
        return self

    def __exit__(self, *exc):
        return False
