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
from .dtypes import read_each
from .node import SavedTensor
from .random_api import get_rng_state, set_rng_state
from .saved_hooks import saved_tensors_hooks
from .tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction",
           "detach_variable", "check_backward_validity", "noop_context_fn",
           "set_checkpoint_early_stop", "set_checkpoint_debug_enabled"]

_DEBUG_TIP = ("\nTip: To see a more detailed error message, either pass `debug=True` to\n"
              "`torch.utils.checkpoint.checkpoint(...)` or wrap the code block\n"
              "with `with torch.utils.checkpoint.set_checkpoint_debug_enabled(True):` to\n"
              "enable checkpoint\u2011debug mode globally.\n")

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
    """(forward context, recomputation context): neither does anything."""
    return tuple(contextlib.nullcontext() for _ in range(2))


def _cut(x):
    """A tensor as a new leaf keeping its requires_grad; anything else as it is."""
    if not isinstance(x, Tensor):
        return x
    leaf = x.detach()
    leaf.requires_grad = x.requires_grad
    return leaf


def detach_variable(inputs):
    if isinstance(inputs, tuple):
        return tuple(_cut(x) for x in inputs)
    raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: "
                       + type(inputs).__name__)


def check_backward_validity(inputs):
    inputs = read_each(inputs, "check_backward_validity()")  # (an endless iterable stops)
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
        slots = [isinstance(a, Tensor) for a in args]
        # the tensors go through save_for_backward (so in-place changes are caught); the rest
        # is kept as it is, with the function and the generator's state for the rerun
        others = [None if is_tensor else a for a, is_tensor in zip(args, slots)]
        rng_state = get_rng_state() if preserve_rng_state else None
        with _ctx_fields():
            # run_function is set first: its name is the one PyTorch's error gives for a ctx
            # that takes no attributes
            ctx.run_function = run_function
            ctx.rerun = (rng_state, slots, others)
            save = ctx.save_for_backward
        save(*(a for a, is_tensor in zip(args, slots) if is_tensor))
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
            fn = ctx.run_function
            rng_state, slots, others = ctx.rerun
        saved = iter(ctx.saved_tensors)
        inputs = tuple(next(saved) if is_tensor else a for is_tensor, a in zip(slots, others))
        with _rng_of(rng_state):
            detached = detach_variable(inputs)
            with grad_mode.enable_grad():
                outputs = fn(*detached)
        outputs = (outputs,) if isinstance(outputs, Tensor) else outputs
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

    def __init__(self, fn, args, kwargs, rng_state, recompute_ctx):
        self.fn, self.args, self.kwargs, self.rng_state = fn, args, kwargs, rng_state
        self.recompute_ctx = recompute_ctx  # entered around the recomputation
        # the tensor arguments as saved values (PyTorch saves them on a node of their own, out
        # of reach of the checkpoint's hooks): one changed in place since is a version error
        tensors = [a for a in args if isinstance(a, Tensor)]
        recorded = grad_mode.state.enabled and any(t.requires_grad for t in tensors)
        self.inputs = [_saved_input(t) for t in tensors] if recorded else []
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
        for saved in self.inputs:
            saved.check(None)
        got = []
        want = len(self.meta)

        def pack(t):
            got.append(t.detach())
            if _early_stop[0] and len(got) == want:
                raise _StopRecomputation
            return None

        with _rng_of(self.rng_state), grad_mode.enable_grad(), self.recompute_ctx:
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


def _saved_input(t):
    """t as an op's saved input, whatever saved-tensor hooks are active: its version checked
    when the recomputation unpacks it."""
    if type(t._vc) is grad_mode.InferenceVersion and not grad_mode.state.inference:
        raise RuntimeError(errors.INFERENCE_SAVED)
    s = SavedTensor.__new__(SavedTensor)
    s.data, s.tensor, s.vc, s.version = t._data, t, t._vc, t._vc[0]
    s.name, s.is_output, s.out_nr = "", False, t._output_nr
    return s


def _meta_text(meta):
    shape, dtype = meta
    return "{'shape': torch.Size(%s), 'dtype': %s, 'device': device(type='cpu')}" % (
        list(shape), dtype)


def _checkpoint_without_reentrant(function, preserve, context_fn, args, kwargs):
    forward_ctx, recompute_ctx = context_fn()  # (a non-pair is Python's unpacking error)
    frame = _Frame(function, args, kwargs, get_rng_state() if preserve else None, recompute_ctx)
    with saved_tensors_hooks(frame.pack, frame.unpack), forward_ctx:
        out = function(*args, **kwargs)
    return out


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
        custom = context_fn is not noop_context_fn
        if custom or debug is not False:
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

    stages = list(functions.children()) if _is_sequential(functions) else functions
    size = len(stages) // segments
    if size == 0:  # more segments than stages: PyTorch's error (from its range of segments)
        raise ValueError("range() arg 3 must not be zero")
    # segments - 1 checkpointed runs of `size` stages each; the rest runs as usual
    done = 0
    for _ in range(segments - 1):
        input = checkpoint(_chain(stages[done:done + size]), input,
                           use_reentrant=use_reentrant, preserve_rng_state=preserve)
        done += size
    return _chain(stages[done:])(input)


def _is_sequential(functions):
    return hasattr(functions, "children") and type(functions).__name__ == "Sequential"


def _chain(stages):
    """One function applying the stages in turn."""
    def run(x):
        for stage in stages:
            x = stage(x)
        return x
    return run
