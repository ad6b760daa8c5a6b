"""The backward graph of a tensor as plain data: for `:graph` (a Rich Tree in render.py),
`:graph --dot` (Graphviz text, here) and `:trace`.

Names come from the session's variables by identity: a node is labelled with the variable whose
grad_fn it is (`z: MulBackward0`), an AccumulateGrad with its leaf (`x: AccumulateGrad`).
"""


class GraphNode:
    """One node of the backward graph as shown: `fn` is the core's node (None for a None edge)."""

    __slots__ = ("fn", "name", "var", "shape", "children", "repeat", "index")

    def __init__(self, fn, name, var, shape):
        self.fn = fn
        self.name = name
        self.var = var
        self.shape = shape
        self.children = []
        self.repeat = False   # already shown above (the graph is a DAG, the tree is not)
        self.index = None     # order of first appearance, for DOT node ids

    def label(self):
        return ("%s: %s" % (self.var, self.name)) if self.var else self.name


def node_name(fn):
    if fn is None:
        return "None"
    name = fn.name()
    return name.rsplit("::", 1)[-1]


def variable_names(variables):
    """id(value) -> name for tensors in the variables, and one level into lists, tuples, dicts."""
    from gradsh.lang.runtime.session import nameable_key
    names, later = {}, []
    for name, value in variables.items():
        if _is_tensor(value):
            names.setdefault(id(value), name)
        elif isinstance(value, (list, tuple, dict)):
            later.append((name, value))
    for name, value in later:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if _is_tensor(item) and nameable_key(key):
                names.setdefault(id(item), "%s[%r]" % (name, key))
    return names


def node_names(variables):
    """id(grad_fn) -> the variable holding the tensor it made (for labels of inner nodes)."""
    out = {}
    for name, value in variables.items():
        fn = _grad_fn(value) if _is_tensor(value) else None
        if fn is not None:
            out.setdefault(id(fn), name)
    return out


def build(tensor, variables):
    """The tree of GraphNodes under `tensor.grad_fn`; raises ValueError if there is none."""
    root_fn = tensor.grad_fn
    if root_fn is None:
        if tensor.requires_grad:
            raise ValueError("this tensor is a leaf (it was not computed by an operation): its "
                             "graph is just its AccumulateGrad; try an expression computed from it")
        raise ValueError("this tensor does not require grad, so no graph was recorded for it")
    leaf_names = variable_names(variables)
    inner_names = node_names(variables)
    seen = {}

    def make(fn, shape):
        if fn is None:
            return GraphNode(None, "None", None, None)
        if type(fn).__name__ == "AccumulateGrad":
            var = leaf_names.get(id(fn.variable))
            shape = tuple(fn.variable.shape)
        else:
            var = inner_names.get(id(fn))
        node = GraphNode(fn, node_name(fn), var, shape)
        if id(fn) in seen:
            node.repeat = True
            node.index = seen[id(fn)].index
        else:
            node.index = len(seen)
            seen[id(fn)] = node
        return node

    root = make(root_fn, tuple(tensor.shape))
    stack = [root]
    while stack:  # no recursion: a chain of 100,000 ops is a fine graph
        node = stack.pop()
        if node.fn is None or node.repeat:
            continue
        metas = getattr(node.fn, "_meta", None) or ()
        for i, (child_fn, _) in enumerate(node.fn.next_functions):
            shape = tuple(metas[i][0]) if i < len(metas) and metas[i] else None
            node.children.append(make(child_fn, shape))
        stack.extend(reversed(node.children))
    return root


def walk(root):
    """Every GraphNode in display order (depth first, children in edge order)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def to_dot(root, title="backward graph"):
    """Graphviz DOT text; edges point the way gradients flow (output towards leaves)."""
    lines = ["digraph backward {", '  label="%s";' % _esc(title), "  rankdir=TB;",
             '  node [shape=box, fontname="monospace"];']
    edges = []
    for node in walk(root):
        if node.fn is None or node.repeat:
            continue
        shape = "" if node.shape is None else "\\n%s" % (node.shape,)
        extra = ', shape=ellipse, style=filled, fillcolor="#d8f0d8"' \
            if node.name == "AccumulateGrad" else ""
        lines.append('  n%d [label="%s%s"%s];' % (node.index, _esc(node.label()), shape, extra))
        for child in node.children:
            if child.fn is not None:
                edges.append("  n%d -> n%d;" % (node.index, child.index))
    lines.extend(edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _esc(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _is_tensor(value):
    from gradsh.core.tensor import Tensor
    return isinstance(value, Tensor)


def _grad_fn(value):
    """value.grad_fn, None where PyTorch refuses it (a no_grad view whose base changed in
    place): one such variable must not stop the shell naming the others."""
    try:
        return value.grad_fn
    except RuntimeError:
        return None
