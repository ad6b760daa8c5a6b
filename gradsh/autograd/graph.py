"""torch.autograd.graph: the Node class of backward graphs, gradient edges, the saved-tensor
hooks and multi-tensor gradient hooks."""

from ..core import engine as _engine
from ..core.errors import TorchAssertionError
from ..core.node import GradientEdge, Node  # noqa: F401
from ..core.node import accumulator as _accumulator
from ..core.saved_hooks import (allow_mutation_on_saved_tensors,  # noqa: F401
                                disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks)
from ..core.tensor import Tensor
from ..core.torchclass import TorchClass


def increment_version(tensor):
    """Mark `tensor` (or each tensor of an iterable) as changed in place, for a change autograd
    cannot see (data written through numpy): backward then refuses values saved before it."""
    for t in [tensor] if isinstance(tensor, Tensor) else tensor:
        if not t.is_inference():
            t._vc[0] += 1


def get_gradient_edge(tensor):
    """The edge through which `tensor`'s gradient enters the graph: its grad_fn and output
    number, or a leaf's AccumulateGrad (usable as an input of torch.autograd.grad)."""
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does "
                           "not require gradients")
    if tensor.grad_fn is not None:
        return GradientEdge(tensor.grad_fn, tensor._output_nr)
    return GradientEdge(_accumulator(tensor), 0)


class _MultiHandle(metaclass=TorchClass):
    """What register_multi_grad_hook returns: remove() takes the hook off every tensor."""

    def __init__(self, handles):
        self.handles = tuple(handles)

    def remove(self):
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return f"<torch.autograd.graph._MultiHandle object at {hex(id(self))}>"


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """Call fn once per backward run that computes a gradient of any of `tensors`: with the
    list of their gradients (None for those the run did not compute) for mode "all", with the
    first gradient computed for mode "any". gradsh calls an "all" hook when the run ends;
    PyTorch as soon as the last gradient it will compute is ready (the values are the same, a
    print from another hook of the same run may come in another order)."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    if mode == "all":  # (PyTorch's own assert, which a program sees as AssertionError)
        for t in tensors:
            if not t.requires_grad:
                raise TorchAssertionError("Expected gradient function to be set")
    run = {"grads": None}  # the gradients of the run under way

    def finish():
        grads, run["grads"] = run["grads"], None
        if mode == "all":
            fn(grads)

    def hook_for(i):
        def hook(grad):
            if run["grads"] is None:
                run["grads"] = [None] * len(tensors)
                _engine.end_of_run.append(finish)
                if mode == "any":
                    fn(grad)
            run["grads"][i] = grad
        return hook

    # an "any" hook is PyTorch's on the tensors that require a gradient only, the others skipped
    return _MultiHandle(t.register_hook(hook_for(i)) for i, t in enumerate(tensors)
                        if mode == "all" or t.requires_grad)
