"""torch.utils.checkpoint: trade compute for memory by running a function without keeping what
its ops save for backward, and running it again when backward needs those values.

Both of PyTorch's variants, with its semantics:
- use_reentrant=True: a custom Function (`CheckpointFunctionBackward`) whose forward runs the
  function under no_grad and whose backward reruns it under grad and calls backward inside
  backward; so it refuses autograd.grad and backward(inputs=...), gives None to inputs that do
  not require grad, and warns when no input requires grad.
- use_reentrant=False: the function runs with grad, under saved-tensor hooks that keep a
  placeholder for each saved tensor; the first unpack reruns the function (with the forward's
  RNG state) under hooks that collect the recomputed tensors, stopping as soon as the last one
  is saved (PyTorch's early stop), and checks that as many tensors were saved, with the same
  shapes and dtypes.
"""

import contextlib
import warnings

from . import engine, errors, grad_mode
from .autograd import backward
from .custom_function import Function
from .random_api import get_rng_state, set_rng_state
from .saved_hooks import saved_tensors_hooks
from .tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction",
           "detach_variable", "check_backward_validity", "noop_context_fn",
           "set_checkpoint_early_stop", "set_checkpoint_debug_enabled"]

_DEBUG_TIP = """
Tip: To see a more detailed error message, either pass `debug=True` to
`torch.utils.checkpoint.checkpoint(...)` or wrap the code block
with `with torch.utils.checkpoint.set_checkpoint_debug_enabled(True):` to
enable checkpoint\u2011debug mode globally.
"""

_early_stop = [True]


class CheckpointError(RuntimeError):
    pass


CheckpointError.__module__ = "torch.utils.checkpoint"


@contextlib.contextmanager
def set_checkpoint_early_stop(enable):
    prev, _early_stop[0] = _early_stop[0], enable
    try:
        yield
    finally:
        _early_stop[0] = prev


@contextlib.contextmanager
def set_checkpoint_debug_enabled(enabled):
    yield   # debug traces are not kept: the errors carry PyTorch's text without them


def noop_context_fn():
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs):
    if not isinstance(inputs, tuple):
        raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: "
                           + type(inputs).__name__)
    out = []
    for x in inputs:
        if isinstance(x, Tensor):
            d = x.detach()
            d.requires_grad = x.requires_grad
            x = d
        out.append(x)
    return tuple(out)


def check_backward_validity(inputs):
    if not any(x.requires_grad for x in inputs if isinstance(x, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                      stacklevel=2)


@contextlib.contextmanager
def _rng_of(state):
    """Run with the generator at `state` (None: as it is), restoring the surrounding state."""
    if state is None:
        yield
        return
    outer = get_rng_state()
    set_rng_state(state)
    try:
        yield
    finally:
        set_rng_state(outer)


@contextlib.contextmanager
def _ctx_fields():
    """A ctx that is not a context object (CheckpointFunction.forward(print, ...) called
    directly) fails as PyTorch's Python code does: Python's AttributeError, the program's."""
    try:
        yield
    except AttributeError as e:
        raise errors.TorchAttributeError(str(e)) from None


class CheckpointFunction(Function):
    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        with _ctx_fields():
            ctx.run_function = run_function
            ctx.fwd_cpu_state = get_rng_state() if preserve_rng_state else None
            ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
            ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
            save = ctx.save_for_backward
        save(*(a for a in args if isinstance(a, Tensor)))
        with grad_mode.no_grad():
            return run_function(*args)

    @staticmethod
    def backward(ctx, *args):
        if not engine.checkpoint_valid():
            raise RuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() or "
                "passing an `inputs` parameter to .backward(). To resolve this error, you can "
                "either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument.")
        with _ctx_fields():
            inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        with _rng_of(ctx.fwd_cpu_state):
            detached = detach_variable(tuple(inputs))
            with grad_mode.enable_grad():
                outputs = ctx.run_function(*detached)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, args)
                 if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not "
                               "necessary")
        backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(x.grad if isinstance(x, Tensor) else None for x in detached)


class _StopRecomputation(Exception):
    pass


class _Frame:
    """One non-reentrant checkpoint call: the forward's saved-tensor metadata, the recomputed
    tensors of the current backward, and which have been unpacked."""

    def __init__(self, fn, args, kwargs, rng_state):
        self.fn, self.args, self.kwargs, self.rng_state = fn, args, kwargs, rng_state
        self.meta = []          # (shape, dtype) of each tensor saved in forward
        self.recomputed = None  # index -> tensor, while a backward unpacks them
        self.unpacked = set()

    def pack(self, t):
        self.meta.append((tuple(t.shape), t.dtype))
        return len(self.meta) - 1

    def unpack(self, i):
        if self.recomputed is None:
            self._recompute()
        if i in self.unpacked:
            raise CheckpointError(
                "torch.utils.checkpoint: Unpack is being triggered for a tensor that was already "
                "unpacked once. If you are calling ctx.saved_tensors in backward, make sure to "
                "do so only once. Otherwise please open an issue with details on your use case.")
        self.unpacked.add(i)
        t = self.recomputed[i]
        if len(self.unpacked) == len(self.meta):   # all used: a later backward recomputes
            self.recomputed, self.unpacked = None, set()
        return t

    def _recompute(self):
        got = []
        want = len(self.meta)

        def pack(t):
            got.append(t.detach())
            if _early_stop[0] and len(got) == want:
                raise _StopRecomputation
            return None

        with _rng_of(self.rng_state), grad_mode.enable_grad():
            try:
                with saved_tensors_hooks(pack, lambda _: None):
                    self.fn(*self.args, **self.kwargs)
            except _StopRecomputation:
                pass
        if len(got) != want:
            raise CheckpointError(
                "torch.utils.checkpoint: A different number of tensors was saved during the "
                "original forward and recomputation.\n"
                f"Number of tensors saved during forward: {want}\n"
                f"Number of tensors saved during recomputation: {len(got)}.\n{_DEBUG_TIP}")
        different = ""
        for i, (meta, t) in enumerate(zip(self.meta, got)):
            if meta != (tuple(t.shape), t.dtype):
                different += (f"tensor at position {i}:\n"
                              f"saved metadata: {_meta_text(meta)}\n"
                              f"recomputed metadata: {_meta_text((tuple(t.shape), t.dtype))}\n")
        if different:
            raise CheckpointError(
                "torch.utils.checkpoint: Recomputed values for the following tensors have "
                f"different metadata than during the forward pass.\n{different}.\n{_DEBUG_TIP}")
        self.recomputed = dict(enumerate(got))


def _meta_text(meta):
    shape, dtype = meta
    return "{'shape': torch.Size(%s), 'dtype': %s, 'device': device(type='cpu')}" % (
        list(shape), dtype)


def _checkpoint_without_reentrant(function, preserve, context_fn, args, kwargs):
    frame = _Frame(function, args, kwargs, get_rng_state() if preserve else None)
    forward_ctx, _recompute_ctx = context_fn()
    with saved_tensors_hooks(frame.pack, frame.unpack), forward_ctx:
        return function(*args, **kwargs)


def checkpoint(function, *args, use_reentrant=None, context_fn=noop_context_fn,
               determinism_check="default", debug=False, early_stop=True, **kwargs):
    """Run function(*args, **kwargs) without keeping its saved tensors; recompute them in
    backward."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
            "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
            "exception. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when "
                             "use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    if determinism_check not in ("default", "none"):
        raise ValueError("determinism_check should be one of ['default', 'none'], but got "
                         f"{determinism_check}")
    return _checkpoint_without_reentrant(function, preserve, context_fn, args, kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run a Sequential (or list of modules/functions) in `segments` chunks, checkpointing all
    but the last."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
            "passed explicitly. In version 2.9 we will raise an exception if use_reentrant is "
            "not passed. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))

    def run_function(start, end, functions):
        def forward(input):
            for j in range(start, end + 1):
                input = functions[j](input)
            return input
        return forward

    if hasattr(functions, "children") and type(functions).__name__ == "Sequential":
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input,
                           use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)
