"""torch.compile and torch.compiler: accepted, and the model or function is returned unchanged.

gradsh runs every program eagerly on numpy; there is nothing to compile to, and an eager run
computes what a compiled one computes. Programs written for PyTorch 2 (`model =
torch.compile(model)`, `@torch.compile(mode="max-autotune")`) run unchanged. The arguments are
checked as PyTorch checks them; one difference (docs/nn.md): PyTorch wraps a module into an
`OptimizedModule` that prints its original as `(_orig_mod): ...`, gradsh returns the module
itself."""

from .testing import AssertionFailure

__all__ = ["is_compiling", "is_dynamo_compiling", "disable", "reset", "compile"]

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
_BACKENDS = ("inductor", "eager", "aot_eager", "cudagraphs", "tvm", "openxla", "onnxrt",
             "tensorrt")


class InvalidBackend(RuntimeError):
    """PyTorch's torch._dynamo.exc.InvalidBackend (a RuntimeError)."""


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False, **kwargs):
    """`model` itself (run eagerly), or a decorator returning its argument when model is None."""
    if mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: " + ", ".join(_MODES))
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if isinstance(backend, str) and backend not in _BACKENDS:
        raise InvalidBackend(f"Invalid backend: '{backend}', see "
                           "`torch._dynamo.list_backends()` for available backends.")
    if model is None:
        def fn(model):
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                           mode=mode, options=options, disable=disable)
        return fn
    if not callable(model):
        raise AssertionFailure(f"A callable function is expected, but {type(model)} is provided.")
    return model


def is_compiling():
    """False: nothing runs compiled in gradsh."""
    return False


is_dynamo_compiling = is_compiling


def disable(fn=None, recursive=True, *, reason=None):
    """torch.compiler.disable: the function itself (everything runs eagerly)."""
    if fn is None:
        return lambda fn: fn
    return fn


def reset():
    """Nothing is cached."""
