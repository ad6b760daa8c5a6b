"""torch.backends.cudnn: not available; its flags can be set, and change nothing on the CPU."""

import contextlib

__all__ = ["is_available", "version", "enabled", "benchmark", "deterministic", "allow_tf32",
           "flags"]

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True

# The flags a program may assign (`torch.backends.cudnn.benchmark = False`, as PyTorch's
# reproducibility note writes), with the name of PyTorch's setter that checks the value is a bool
SETTABLE = {"enabled": "set_enabled_cudnn", "benchmark": "set_benchmark_cudnn",
            "deterministic": "set_deterministic_cudnn", "allow_tf32": "set_allow_tf32_cublas"}


def check_flag(name, value):
    """PyTorch's error for a flag set to something other than a bool."""
    if not isinstance(value, bool):
        raise RuntimeError("%s expects a bool, but got %s" % (SETTABLE[name], type(value).__name__))


def reset():
    """A fresh process's flags (a program's settings do not outlive it in a shared session)."""
    globals().update(enabled=True, benchmark=False, deterministic=False, allow_tf32=True)


def is_available():
    return False


def version():
    return None


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True):
    """The flags set for the block and put back after it (the Neural Tangent Kernels tutorial
    runs its comparison under `flags(allow_tf32=False)`)."""
    wanted = {"enabled": enabled, "benchmark": benchmark, "deterministic": deterministic,
              "allow_tf32": allow_tf32}
    for name, value in wanted.items():
        check_flag(name, value)
    saved = {name: globals()[name] for name in wanted}
    globals().update(wanted)
    try:
        yield
    finally:
        globals().update(saved)
