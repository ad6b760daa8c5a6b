"""torch.autograd.graph's saved-tensor hooks: pack each tensor an op saves for backward, unpack
it when backward (or `grad_fn._saved_<name>`) needs it."""

from .torchclass import TorchClass

import functools

from . import node as _node

__all__ = ["saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
           "allow_mutation_on_saved_tensors"]


class saved_tensors_hooks(metaclass=TorchClass):
    """Inside the block, every tensor saved for backward is stored as pack_hook(tensor), and
    unpack_hook(packed) must give back a tensor with the same value when it is used."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if _node.hooks_disabled:
            raise RuntimeError(_node.hooks_disabled[-1])
        _node.saved_hooks.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc):
        _node.saved_hooks.pop()
        _node.pending_outputs.clear()   # (only if an op failed between saving and recording)
        return False

    def __repr__(self):
        return f"<torch.autograd.graph.{type(self).__name__} object at {hex(id(self))}>"


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors on the CPU until backward: every tensor already is, so each saved
    tensor is packed as a copy of itself (PyTorch copies it off the device)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        super().__init__(lambda t: t.detach().clone(), lambda packed: packed)


class disable_saved_tensors_hooks:
    """Inside the block, saving a tensor while hooks are on, or turning hooks on, raises
    RuntimeError(error_message)."""

    def __repr__(self):   # PyTorch's is a contextlib.contextmanager function
        return f"<contextlib._GeneratorContextManager object at {hex(id(self))}>"

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        _node.hooks_disabled.append(self.error_message)

    def __exit__(self, *exc):
        _node.hooks_disabled.pop()
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with disable_saved_tensors_hooks(self.error_message):
                return fn(*args, **kwargs)
        return wrapper


class _AllowMutationOnSavedContext:
    """What `with allow_mutation_on_saved_tensors() as ctx` gives (PyTorch's class name)."""

    def __repr__(self):
        return f"<torch.autograd.graph.{type(self).__name__} object at {hex(id(self))}>"


# the open allow_mutation_on_saved_tensors block's context, if any (blocks do not nest)
mutation_context = []


def _keep_copy(t):
    return t.detach().clone()


def _unpack_copy(packed):
    if not mutation_context or mutation_context[-1] is not packed[0]:
        raise AssertionError("Trying to backward outside of the 'allow_mutation_on_saved_tensors' "
                             "context" "in which the graph was originally recorded.")
    return packed[1]


class allow_mutation_on_saved_tensors:
    """Inside the block, a tensor saved for backward may be changed in place afterwards: backward
    uses the value it had when saved. PyTorch clones a saved tensor when it is first changed;
    gradsh keeps a copy of every tensor saved in the block (saved-tensor hooks, the innermost
    ones), so the values agree and only the memory used differs. Backward must run inside the
    block that recorded the graph."""

    def __repr__(self):   # PyTorch's is a contextlib.contextmanager function
        return f"<contextlib._GeneratorContextManager object at {hex(id(self))}>"

    def __enter__(self):
        if mutation_context:
            raise RuntimeError("allow_mutation_on_saved_tensors contexts cannot be nested")
        ctx = _AllowMutationOnSavedContext()
        self._hooks = saved_tensors_hooks(lambda t: (ctx, _keep_copy(t)), _unpack_copy)
        self._hooks.__enter__()
        mutation_context.append(ctx)
        return ctx

    def __exit__(self, *exc):
        mutation_context.pop()
        return self._hooks.__exit__(*exc)
