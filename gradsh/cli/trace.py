"""`:trace EXPR`: run EXPR's backward with a hook on every node, recording each node as it runs
(in the engine's order) with the gradient flowing in and the gradients flowing out. Every hook
is removed afterwards, whatever happens."""

from .graph import node_name


class Step:
    __slots__ = ("fn", "name", "var", "grad_in", "grad_out", "leaf")

    def __init__(self, fn, name, var):
        self.fn = fn
        self.name = name
        self.var = var
        self.grad_in = None    # tuple: gradient w.r.t. each output of the node
        self.grad_out = None   # tuple: gradient for each next_functions edge (None: no grad)
        self.leaf = None       # AccumulateGrad: its variable (whose .grad is shown after)


def trace_backward(tensor, root, retain_graph=False):
    """Run tensor.backward() over the graph `root` (from graph.build); the Steps in run order."""
    steps, handles, current = [], [], {}
    nodes = {}
    for node in _unique(root):
        nodes[id(node.fn)] = node

    def pre_hook_for(node):
        def pre(grad_outputs):
            step = Step(node.fn, node.name, node.var)
            step.grad_in = tuple(_detach(g) for g in grad_outputs)
            if node.name == "AccumulateGrad":
                step.leaf = node.fn.variable
            steps.append(step)
            current[id(node.fn)] = step
        return pre

    def post_hook_for(node):
        def post(grad_inputs, grad_outputs):
            step = current.get(id(node.fn))
            if step is not None:
                step.grad_out = tuple(_detach(g) for g in grad_inputs)
        return post

    try:
        for node in nodes.values():
            handles.append(node.fn.register_prehook(pre_hook_for(node)))
            if node.name != "AccumulateGrad":
                handles.append(node.fn.register_hook(post_hook_for(node)))
        tensor.backward(retain_graph=retain_graph)
    finally:
        for handle in handles:
            handle.remove()
    return steps


def _unique(root):
    from .graph import walk
    for node in walk(root):
        if node.fn is not None and not node.repeat:
            yield node


def _detach(g):
    return None if g is None else g.detach()


def edge_labels(step, root_nodes):
    """Labels of the node's next_functions, in edge order (for the 'grad out' lines)."""
    out = []
    for fn, _ in step.fn.next_functions:
        node = root_nodes.get(id(fn)) if fn is not None else None
        out.append(node.label() if node is not None else node_name(fn))
    return out
