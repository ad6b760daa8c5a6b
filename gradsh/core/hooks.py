"""Hook tables: a dict per tensor or node, and the handle `register_hook` returns."""

import itertools


class RemovableHandle:
    """Returned by register_hook; `remove()` unregisters the hook."""

    __slots__ = ("_hooks", "_key", "id")
    _next_id = itertools.count()

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = next(RemovableHandle._next_id)
        self._key = self.id

    def remove(self):
        hooks = self._hooks
        if hooks is not None:
            hooks.pop(self._key, None)
            self._hooks = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return f"<torch.utils.hooks.RemovableHandle object at {hex(id(self))}>"


class _Seen:
    """Whether a hook (a tensor's, a node's, a pre-hook) or retain_grad was ever registered in
    this process: until then the engine skips its per-node hook checks. `leaf`: whether one was
    ever registered on a leaf or its AccumulateGrad node (a post-accumulate-grad hook too): from
    then on the engine runs the leaves' nodes in PyTorch's order, which costs a counted run."""

    __slots__ = ("any", "leaf")


seen = _Seen()

# id(leaf) -> its post-accumulate-grad hooks (Tensor.register_post_accumulate_grad_hook; an
# entry leaves with its tensor): empty until the first is registered
post_accumulate = {}
seen.any = False
seen.leaf = False


def add_hook(table, fn):
    seen.any = True
    handle = RemovableHandle(table)
    table[handle.id] = fn
    return handle
