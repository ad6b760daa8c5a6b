"""torch.jit.script and torch.jit.trace: accepted, and the function or module is returned as it
is (gradsh runs everything eagerly). PyTorch returns a ScriptFunction/ScriptModule (or a
TracedModule) that prints differently and can be saved with torch.jit.save; gradsh has neither
(docs/nn.md, "What differs")."""

__all__ = ["script", "trace", "ignore", "unused", "is_scripting", "is_tracing"]


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """The function or module itself, run eagerly."""
    return obj


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None,
          check_tolerance=1e-05, strict=True, _force_outplace=False, _module_class=None,
          _compilation_unit=None, example_kwarg_inputs=None, _store_inputs=True):
    """The function or module itself (PyTorch runs it once on example_inputs to record it;
    gradsh runs it likewise, so an error in the function shows where PyTorch shows it)."""
    if example_inputs is not None:
        args = example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)
        func(*args)
    return func


def ignore(drop=False, **kwargs):
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    return fn


def is_scripting():
    return False


def is_tracing():
    return False
