"""torch's process-wide switches that change nothing in gradsh's arithmetic: threads,
determinism, matmul precision, denormals, warn-always. gradsh computes on one thread with numpy
(every algorithm is deterministic, float32 matmul is float32), so each switch is stored and read
back as PyTorch does, with PyTorch's checks and messages."""

import os

__all__ = ["get_num_threads", "set_num_threads", "get_num_interop_threads",
           "set_num_interop_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
           "set_deterministic_debug_mode", "get_deterministic_debug_mode",
           "set_float32_matmul_precision", "get_float32_matmul_precision", "set_flush_denormal",
           "set_warn_always", "is_warn_always_enabled"]

_DEFAULTS = {"threads": None, "interop": None, "deterministic": False, "warn_only": False,
             "matmul": "highest", "warn_always": False, "fp16_reduction": True,
             "bf16_reduction": True, "autograd_threads": True}
_state = dict(_DEFAULTS)


def reset():
    """Every switch back to a fresh process's value (a program's changes do not outlive it)."""
    _state.update(_DEFAULTS)


def _cpus():
    # PyTorch's default is the number of physical cores; the CPUs this process may use is the
    # closest a Python program can see
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _positive(name, n):
    if isinstance(n, bool) or not isinstance(n, int):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    return n


def get_num_threads():
    """The number of threads PyTorch would use for intra-op parallelism (gradsh uses one)."""
    return _state["threads"] or _cpus()


def set_num_threads(int):
    """Stored and read back by get_num_threads (gradsh computes on one thread)."""
    _state["threads"] = _positive("set_num_threads", int)


def get_num_interop_threads():
    return _state["interop"] or _cpus()


def set_num_interop_threads(int):
    _state["interop"] = _positive("set_num_interop_threads", int)


def _bool(fn, arg, pos, value):
    if type(value) is not bool:
        where = f" (position {pos})" if pos else ""
        raise TypeError(f"{fn}(): argument '{arg}'{where} must be bool, not "
                        f"{type(value).__name__}")


def _bool_flag(what, value):
    if type(value) is not bool:
        raise RuntimeError(f"{what} expects a bool, but got {type(value).__name__}")


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Stored: every gradsh algorithm is deterministic already."""
    _bool("_set_deterministic_algorithms", "mode", 1, mode)
    _bool("_set_deterministic_algorithms", "warn_only", None, warn_only)
    _state["deterministic"], _state["warn_only"] = mode, warn_only


def are_deterministic_algorithms_enabled():
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled():
    return _state["warn_only"]


_DEBUG_MODES = ("default", "warn", "error")


def set_deterministic_debug_mode(debug_mode):
    """0/'default': off, 1/'warn': deterministic with warnings, 2/'error': deterministic."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, `warn`, "
                               f"`error`, but got {debug_mode}")
        debug_mode = _DEBUG_MODES.index(debug_mode)
    elif isinstance(debug_mode, int) and not isinstance(debug_mode, bool):
        if debug_mode not in (0, 1, 2):
            raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got "
                               f"{debug_mode}")
    else:
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    _state["deterministic"], _state["warn_only"] = debug_mode > 0, debug_mode == 1


def get_deterministic_debug_mode():
    if not _state["deterministic"]:
        return 0
    return 1 if _state["warn_only"] else 2


def set_float32_matmul_precision(precision):
    """Stored: gradsh's float32 matmul is always float32 ('highest')."""
    if not isinstance(precision, str):
        raise RuntimeError(f"set_float32_matmul_precision expects a str, but got "
                           f"{type(precision).__name__}")
    if precision not in ("highest", "high", "medium"):
        import warnings
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _state["matmul"] = precision


def get_float32_matmul_precision():
    return _state["matmul"]


def reduced_precision_reduction(kind):
    """torch.backends.cuda.matmul.allow_{fp16,bf16}_reduced_precision_reduction (kind 'fp16' or
    'bf16'): stored, as gradsh has no CUDA matmul."""
    return _state[kind + "_reduction"]


def set_reduced_precision_reduction(kind, value):
    _state[kind + "_reduction"] = value


def set_flush_denormal(mode):
    """True as on an x86 CPU with SSE3 (PyTorch's answer there); numpy keeps denormals, so
    gradsh's arithmetic does not change (documented in docs/autograd.md)."""
    _bool_flag("flush_denormal", mode)
    return True


def set_warn_always(b, /):
    _bool_flag("setWarnOnlyOnce", b)
    _state["warn_always"] = b


def is_warn_always_enabled():
    return _state["warn_always"]
