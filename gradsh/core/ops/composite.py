"""Gradients that PyTorch computes with one backward op of several inputs and outputs
(native_layer_norm_backward, native_batch_norm_backward, convolution_backward).

gradsh computes such a gradient with its own math, a rule written with the library's ops. Under
`create_graph=True` the gradients it returns are recorded as the outputs of ONE node with
PyTorch's name (`NativeLayerNormBackwardBackward0`, `ConvolutionBackwardBackward0`) over the
upstream gradient and the op's inputs, as PyTorch records them; that node's own rule is the
derivative of the same math, taken by the engine itself (the rule re-run on the saved values
under enable_grad, then the engine's own backward pass). So the double-backward graph has PyTorch's node and
edges, and the values are gradsh's formulas'; what a third derivative records inside that node is
gradsh's composition, not PyTorch's double-backward formula.
"""

import numpy as np

from .. import engine, grad_mode
from ..node import node_class
from ..tensor import TENSOR_TYPES
from .base import make, record


def composite_backward(name, grads, n_tensors, n_outputs, zeros_for_unused=False,
                       formula=None):
    """The backward op named `name` + its node: `grads(need, g, *tensors, *extra)` returns the
    n_outputs gradients (None where need is False), any of the tensors may be None. Returns
    `backward(need, g, *tensors, *extra)`, which the first-order rule calls.
    zeros_for_unused: the node gives zeros (not None) for a needed input the gradients do not
    depend on, as PyTorch's node does for `self` of max_pool2d_with_indices_backward.
    formula: the node's own rule `formula(need, ggs, g, *tensors, *extra, first_need)` where
    PyTorch's backward-of-backward is not the derivative of `grads` (_prelu_kernel_backward's
    masks differ at 0), in place of differentiating `grads`."""

    def backward(need, g, *args):
        if type(g) not in TENSOR_TYPES:
            return grads(need, g, *args)
        with grad_mode.no_grad():
            outs = grads(need, g, *args)
        inputs = (g,) + tuple(args[:n_tensors])
        if any(t is not None and t._requires_grad for t in inputs):
            _record_outputs(outs, node, inputs, inputs + tuple(args[n_tensors:]) + (need,))
        return outs

    def double_backward(need, ggs, *saved):
        if n_outputs == 1:  # a one-output node's rule receives its gradient itself
            ggs = (ggs,)
        outs = _differentiate(grads, n_tensors + 1, need, ggs, saved)
        if not zeros_for_unused:
            return outs
        return tuple(_zeros_like_saved(t, ggs) if n and o is None else o
                     for o, n, t in zip(outs, need, saved))

    def by_formula(need, ggs, *saved):
        # the saved values are the recorded tensors themselves (_record_outputs): without a
        # graph (array gradients) the formula works on their arrays, so its gradients are
        # arrays as every rule's are on that lane
        if n_outputs == 1:
            graph = type(ggs) in TENSOR_TYPES
        else:
            graph = any(type(gg) in TENSOR_TYPES for gg in ggs if gg is not None)
        if not graph:
            saved = tuple(t._data if type(t) in TENSOR_TYPES else t for t in saved)
        return formula(need, ggs, *saved)

    node = node_class(name, by_formula if formula else double_backward, n_outputs,
                      saved_names=("grad_out",) + tuple(f"input{i}" for i in range(n_tensors)))
    return backward


def _record_outputs(outs, node, inputs, saved):
    """One node for the gradients `outs` (None where not computed), each its output number."""
    first = next((i for i, o in enumerate(outs) if o is not None), None)
    if first is None:
        return
    recorded = record(outs[first], node, inputs, saved)
    for i, o in enumerate(outs):
        if o is not None:
            o._grad_fn, o._requires_grad, o._output_nr = recorded, True, i


def _differentiate(grads, n_inputs, need, ggs, saved):
    """The gradients of sum(<gg_k, grads_k(inputs)>) for the needed inputs: the rule re-run with
    grad recording on, then a backward pass of the engine as autograd.grad runs it (with a graph
    when the incoming gradients have one)."""
    inputs, extra, first_need = saved[:n_inputs], saved[n_inputs:-1], saved[-1]
    graph = any(type(gg) in TENSOR_TYPES for gg in ggs if gg is not None)
    with grad_mode.enable_grad():
        leaves = [_leaf(t, n, graph) for t, n in zip(inputs, need)]
        outs = grads(first_need, *leaves, *extra)
        pairs = [(o, gg if type(gg) in TENSOR_TYPES else make(gg)) for o, gg in zip(outs, ggs)
                 if o is not None and gg is not None and o._requires_grad]
        wanted = [leaf for leaf, n in zip(leaves, need) if n]
        found = engine.run([o for o, _ in pairs], [gg for _, gg in pairs], graph, graph,
                           inputs=wanted, accumulate=False, allow_unused=True) if pairs else \
            [None] * len(wanted)
    found = iter(found)
    out = [next(found) if n else None for n in need]
    return tuple(o if o is None or graph else o._data for o in out)


def rerun_vjp(fn, inputs, extra, need, ggs):
    """The gradients of sum(<gg_k, fn(*inputs, *extra)_k>) for the needed inputs, by re-running
    fn under grad recording (arrays without a graph, tensors with one): the rule of a node that
    stands for a whole computation of library ops (MkldnnRnnLayerBackward0)."""
    return _differentiate(lambda _, *args: fn(*args), len(inputs), need, ggs,
                          tuple(inputs) + tuple(extra) + (None,))


def _zeros_like_saved(t, ggs):
    data = np.zeros_like(t._data if type(t) in TENSOR_TYPES else t)
    return make(data) if any(type(gg) in TENSOR_TYPES for gg in ggs) else data


def _leaf(t, needed, graph):
    """A saved input as the re-run takes it. When a graph is wanted: a view of it for a needed
    input (its history goes on, and the engine stops at the view, so the gradient is the
    partial derivative for this input alone, not also through the other inputs' histories:
    the grad_out of a second derivative depends on the input too), itself otherwise; without
    a graph, a fresh tensor (that requires grad when its gradient is needed)."""
    if t is None:
        return None
    if graph and type(t) in TENSOR_TYPES:
        return t.view_as(t) if needed else t
    fresh = make(t._data if type(t) in TENSOR_TYPES else t)
    return fresh.requires_grad_() if needed else fresh
