"""The backward engine: order the graph once with dependency counts, replay it in reverse.

Gradients flow as numpy arrays, or as tensors when `create_graph=True` (then the rules, written with
gradsh's own differentiable ops, record a graph of the backward pass). One loop, no recursion: a
chain of 100,000 ops backpropagates.
"""

import heapq
import warnings

import numpy as np

from . import errors, grad_mode
from .dtypes import from_numpy_dtype
from .hooks import post_accumulate as post_accumulate_hooks, seen as hooks_seen
from .layout import grad_like, is_dense, obeys_grad_contract, stolen_copy
from .meta import as_array, empty_meta, MetaArray
from .node import (AccumulateGrad, GradientEdge, HookedSavedTensor, SavedScalar, SavedTensor,
                   accumulator, order as seq_order, unpack_hooked)
from .ops import prim
from .spare import MIN_SIZE as SPARE_MIN, lone_gradient
from .sparse import SparseArray, make_sparse, masked, sparse_array
from .tensor import TENSOR_TYPES, Tensor

_ndarray = np.ndarray
_SAVED_KINDS = frozenset((SavedTensor, SavedScalar, HookedSavedTensor))

# Who is told of each leaf whose .grad a run changed (the REPL reports them after a statement):
# the engine keeps no record of its own (see subscribe).
_grad_listeners = []

# The array lane below (saved values unpacked inline, node.fast rules) is on unless a test turns
# it off to compare it with the plain path (Node.apply: unpack, rule, release).
FAST_LANE = True
# The loss lane (run's set-up for `loss.backward()`) likewise: a test turns it off to compare.
LOSS_LANE = True


def subscribe(fn):
    """Call fn(leaf) whenever a backward run changes leaf.grad; returns a function that ends the
    subscription."""
    _grad_listeners.append(fn)
    return lambda: _grad_listeners.remove(fn) if fn in _grad_listeners else None


def _as_root_grads(outputs, grads, what):
    """Check outputs and their gradients in PyTorch's order (each gradient's type and shape, then
    the counts, then whether each output requires grad); return (tensor, grad) roots."""
    if len(outputs) == 1 and len(grads) == 1 and grads[0] is None:  # loss.backward()
        t = outputs[0]
        if type(t) in TENSOR_TYPES and t._grad_fn is not None and t._data.size == 1:
            return [(t, _ones(t._data))]
    roots = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{what} can be either Tensors or None, but got {type(t).__name__}")
        if g is None:
            if t._requires_grad and t._data.size != 1:
                raise RuntimeError(errors.IMPLICIT_SCALAR)
            g = _ones(t._data) if t._requires_grad or t._data.dtype.kind != "c" else t._data
        elif isinstance(g, Tensor):
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                    f"has a shape of {t.shape}.")
            if (t._data.dtype.kind == "c") != (g._data.dtype.kind == "c"):
                raise RuntimeError(errors.COMPLEX_ROOT_DTYPE.format(
                    i, from_numpy_dtype(g._data.dtype), i, from_numpy_dtype(t._data.dtype)))
            g = g if grad_mode.state.enabled and g._requires_grad else g._data
            if isinstance(g, _ndarray) and g.dtype != t._data.dtype:
                g = g.astype(t._data.dtype)
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        roots.append((t, g))
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for i, (t, _) in enumerate(roots):
        if t._grad_fn is None and not t._requires_grad:
            raise RuntimeError(errors.NO_GRAD_FN.format(i))
    return roots


class _Tie:
    """Compares equal to every other _Tie: the entries of AccumulateGrad nodes in the ready heap
    are told apart by their place in it only, as PyTorch's equal keys."""

    __slots__ = ()

    def __lt__(self, other):
        return False


_ACC_FIRST = float("-inf")
_NEVER = object()


def _push_as_pytorch(ready, entry):
    """heappush as PyTorch's ready queue orders nodes: an AccumulateGrad node before every other
    (its sequence number is the largest), and among several the order of PyTorch's heap for equal
    keys (heapq's sift-down and sift-up are libstdc++'s push_heap and pop_heap, which
    std::priority_queue uses)."""
    if type(entry[1]) is AccumulateGrad:
        entry = (_ACC_FIRST, _Tie(), entry[1])
    heapq.heappush(ready, entry)


_ONE = {}  # dtype -> a 0-d one, copied for each root: a scalar loss's implicit gradient


def _ones(d):
    """A new array of ones shaped and typed as array d (the implicit gradient of a root)."""
    if type(d) is MetaArray:  # (a meta root's gradient is a meta tensor too)
        if d.dtype.kind == "c":
            raise RuntimeError(errors.IMPLICIT_REAL.format(from_numpy_dtype(d.dtype)))
        return empty_meta(d.shape, d.dtype)
    if d.ndim:
        if d.dtype.kind == "c":
            raise RuntimeError(errors.IMPLICIT_REAL.format(from_numpy_dtype(d.dtype)))
        return np.ones(d.shape, d.dtype)
    one = _ONE.get(d.dtype)
    if one is None:
        if d.dtype.kind == "c":  # (a cache miss: no cost to the real roots)
            raise RuntimeError(errors.IMPLICIT_REAL.format(from_numpy_dtype(d.dtype)))
        one = _ONE[d.dtype] = np.ones((), d.dtype)
    return one.copy()  # (ndarray.copy: np.ones' work without its Python)


def _node_of(t):
    if t._grad_fn is not None:
        return t._grad_fn, t._output_nr
    return accumulator(t), 0


def _needed(root_nodes, targets):
    """Nodes from which a target can be reached (the rest need not run)."""
    needed = set(targets)
    state = {}
    for r in root_nodes:
        if r in state:
            continue
        stack = [(r, iter(r.next_functions))]
        state[r] = 1
        while stack:
            node, it = stack[-1]
            advanced = False
            for m, _ in it:
                if m is not None and m not in state:
                    state[m] = 1
                    stack.append((m, iter(m.next_functions)))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if node not in needed and any(m in needed for m, _ in node.next_functions
                                              if m is not None):
                    needed.add(node)
    return needed


def _needed_only(node, need, needed):
    """A node's need flags, False for an edge that leads to no input autograd.grad asked for."""
    edges = node.next_functions
    if need is None:
        need = tuple(e[0] is not None for e in edges)
    return tuple(n and e[0] in needed for n, e in zip(need, edges))


def _dependencies(root_nodes, needed):
    """For every node reachable from the roots (through `needed` ones, when given), its slot:
    [how many edges lead into it, the gradient summed so far (None; a list for a node with
    several outputs)]. One dict lookup per edge then finds both."""
    deps = {}
    stack = list(root_nodes)
    # (a node is walked when first counted; a root, which is on the stack from the start, is
    # walked once even when it lies below another root)
    roots = set(root_nodes) if len(root_nodes) > 1 else ()
    pop, push, get = stack.pop, stack.append, deps.get
    if needed is None:  # backward(): every edge (the loop below without its test per edge)
        while stack:
            for m, _ in pop().next_functions:
                if m is not None:
                    slot = get(m)
                    if slot is None:
                        deps[m] = [1, None]
                        if m not in roots:
                            push(m)
                    else:
                        slot[0] += 1
        return deps
    while stack:
        for m, _ in pop().next_functions:
            if m is None or m not in needed:
                continue
            slot = get(m)
            if slot is None:
                deps[m] = [1, None]
                if m not in roots:
                    push(m)
            else:
                slot[0] += 1
    return deps


# One entry per backward run in progress (a reentrant checkpoint runs one inside another): True
# when it was asked for every leaf's gradient, False for autograd.grad or backward(inputs=...).
_all_leaves = []


def checkpoint_valid():
    """Whether the innermost backward run computes every leaf's gradient (a reentrant checkpoint
    cannot compute only some: PyTorch's torch.autograd._is_checkpoint_valid)."""
    return not _all_leaves or _all_leaves[-1]


# callbacks to call once the current backward run has finished (register_multi_grad_hook's),
# each run calling those added while it ran
end_of_run = []


def run(outputs, grads, retain_graph, create_graph, inputs=None, accumulate=True,
        allow_unused=False):
    """The common body of backward() and autograd.grad(); returns captured grads for `inputs`.
    While the nodes run, _all_leaves says which kind of run it is (pushed beside the loop's
    own try, not by a wrapper: a frame fewer per backward)."""
    t = outputs[0] if len(outputs) == 1 and len(grads) == 1 and grads[0] is None else None
    root = t._grad_fn if type(t) in TENSOR_TYPES else None
    # Once a hook was registered on a leaf, the order of the leaves' nodes can be seen: the run
    # counts edges and keeps PyTorch's ready queue (_push_as_pytorch), without the shortcuts below.
    exact = hooks_seen.leaf
    if (root is not None and inputs is None and not create_graph and seq_order.topological
            and LOSS_LANE and not exact and root.n_outputs == 1 and t._data.size == 1):
        # loss.backward() (the loss lane): what the general set-up below comes to for one
        # scalar root with a history, written out: no root lists, no edges counted, the root
        # first (tests/core/test_engine_order.py runs both set-ups on the same graphs: LOSS_LANE)
        as_tensors = False
        capture = needed = None
        fast_lane = FAST_LANE
        results = []
        deps = {}
        ready = []
        nxt, nxt_slot = root, [0, _ones(t._data)]
        deps[root] = nxt_slot
    else:
        roots = _as_root_grads(outputs, grads, "gradients" if accumulate else "outputs")
        if retain_graph is None:
            retain_graph = create_graph
        as_tensors = bool(create_graph)
        fast_lane = FAST_LANE and not as_tensors

        # Where the result of autograd.grad (or backward(inputs=...)) is taken from.
        capture = None
        targets = []
        if inputs is not None:
            capture = {}
            for k, x in enumerate(inputs):
                if type(x) is GradientEdge:  # (autograd.graph.get_gradient_edge)
                    capture.setdefault(x.node, []).append((x.output_nr, k))
                    targets.append(x.node)
                    continue
                if not x._requires_grad:
                    # (backward(inputs=...) retains the inputs' gradients first, and says so)
                    raise RuntimeError(errors.INPUT_NO_GRAD if not accumulate else
                                       "can't retain_grad on Tensor that has requires_grad=False")
                node, nr = _node_of(x)
                capture.setdefault(node, []).append((nr, k))
                targets.append(node)
        results = [None] * (len(inputs) if inputs is not None else 0)

        root_nodes = []
        root_grads = []
        for t, g in roots:
            node, nr = _node_of(t)
            if as_tensors and not isinstance(g, Tensor):
                g = Tensor._make(g)
            root_grads.append((node, nr, g))
            if node not in root_nodes:
                root_nodes.append(node)

        needed = _needed(root_nodes, targets) if inputs is not None else None

        # deps: each reachable node's slot, its count of edges to come and its gradient so far.
        # One root, every edge, and every edge leading to an older node (node.order): the nodes run
        # in descending _seq without counting first; the first gradient to reach a node schedules
        # it (a slot counting 1) and the later ones add to its slot, since no node still to run can
        # send it more (docs/autograd.md, "The engine's order").
        if needed is None and len(root_nodes) == 1 and seq_order.topological and not exact:
            deps = {}
        else:
            deps = _dependencies(root_nodes, needed)
        if len(root_nodes) == 1 and needed is None:  # loss.backward(): the root runs first
            ready = [] if root_nodes[0] in deps else [(0, root_nodes[0])]
        else:
            ready = [(-n._seq, n) for n in root_nodes if n not in deps
                     and (needed is None or n in needed)]
            heapq.heapify(ready)
        for node, nr, g in root_grads:
            slot = deps.get(node)
            if slot is None:  # (a root below no other root: no edge leads into it)
                slot = deps[node] = [0, None]
            _add_to_slot(slot, node, nr, g)
        nxt = nxt_slot = None
    # nxt, the node made ready last taken without a trip through the heap: never in an exact
    # run (`idle` is then a node that never runs, so every ready node goes through the heap)
    idle = _NEVER if exact else None
    if exact:
        nxt = idle
    get = deps.get
    # ids of the arrays in the slots that the engine made by summing two gradients: nothing else
    # refers to them, so further gradients are added in place and a leaf's .grad may take one
    # without a copy (PyTorch's AccumulateGrad steals a buffer nobody else holds, likewise).
    owned = set()
    heappop, heappush = heapq.heappop, (_push_as_pytorch if exact else heapq.heappush)
    fit = prim.fit
    state = grad_mode.state
    prev_mode = state.enabled
    state.enabled = as_tensors
    node = None
    _all_leaves.append(inputs is None)
    mark, todo = len(end_of_run), None
    try:
        while True:
            # The next node is the ready one created last; in a chain, that is the node the last
            # one just made ready (`nxt`), taken without a trip through the heap.
            if nxt is not idle and (not ready or nxt._seq > -ready[0][0]):
                node = nxt
                own = nxt_slot
            elif ready:
                if nxt is not idle:
                    heappush(ready, (-nxt._seq, nxt))
                node = heappop(ready)[-1]
                own = deps[node]
            else:
                break
            nxt = idle
            g = own[1]
            own[1] = own = None  # (the slot holds no reference to g: see lone_gradient)
            # An array the engine summed itself is referenced by nothing else (see below).
            fresh = owned and id(g) in owned  # (an empty set when none is)
            if fresh:
                owned.discard(id(g))
            if hooks_seen.any:  # (no node has hooks before the first is registered)
                if node._tensor_hooks is not None or node._retained is not None:
                    g = _run_tensor_hooks(node, g, as_tensors)
                    fresh = False
                if node._pre_hooks:
                    g = _run_pre_hooks(node, g, as_tensors)
                    fresh = False
            if capture is not None and node in capture:
                for nr, k in capture[node]:
                    results[k] = g[nr] if node.n_outputs > 1 else g
                # A captured node runs on only if other targets lie below it; a leaf's node in
                # backward(inputs=...) accumulates as it runs (hooks in PyTorch's order).
                if (type(node) is AccumulateGrad and not accumulate) or (
                        type(node) is not AccumulateGrad and not any(
                            m in deps for m, _ in node.next_functions if m is not None)):
                    if not retain_graph:
                        node.release()
                    continue
            if type(node) is AccumulateGrad:
                # (PyTorch's AccumulateGrad skips a leaf whose requires_grad was turned off
                # after the graph was built)
                if g is not None and node.variable._requires_grad:
                    if not fresh and type(g) is _ndarray:
                        # held by nothing but this variable: .grad may take it (PyTorch steals
                        # a gradient no one else holds)
                        out = gi = prev = None
                        fresh = lone_gradient(g) and _LONE
                    _accumulate(node.variable, g, as_tensors, fresh)
                if hooks_seen.any and node._hooks:
                    _run_post_hooks(node, (), g, as_tensors)
                continue
            release = not retain_graph  # True: node.release(); False: nothing to free
            # (a multi-output node's gradients are a list: _add_to_slot)
            if type(g) is not _ndarray and (
                    g is None or (type(g) is list and all(x is None for x in g))):
                out = (None,) * len(node.next_functions)
            else:
                fast = node.fast  # None for a class with its own apply (Node.__init_subclass__)
                need = node._need
                lane = fast_lane and fast is not None and need is not None
                if needed is not None and fast is not None:
                    # autograd.grad(inputs=...): a rule computes only the gradients that lead
                    # to an input asked for (PyTorch's should_compute_output), so an input whose
                    # derivative is not implemented does not raise when it is not asked for
                    need = _needed_only(node, need, needed)
                if lane:
                    # The fast lane: Node.apply, unpack and release inlined (the engine's
                    # innermost step), on arrays, with the node's fast rule.
                    saved = node._saved
                    if saved:  # (a released node's values are gone: `()`, read below)
                        args = []
                        holds = False  # a saved tensor or number: what release() frees
                        hooked = None  # values under saved-tensor hooks, in pack order
                        for sv in saved:
                            ts = type(sv)
                            if ts not in _SAVED_KINDS:  # (a value kept as it is: most are)
                                args.append(sv)
                            elif ts is SavedTensor:
                                if sv.vc[0] != sv.version:
                                    sv.check(node)
                                t = sv.tensor   # a saved input: its current array (x.data = v)
                                args.append(sv.data if t is None else t._data)
                                holds = True
                            elif ts is SavedScalar:
                                args.append(sv.value)
                                holds = True
                            else:  # HookedSavedTensor
                                if hooked is None:
                                    hooked = unpack_hooked(saved, node, as_tensors)
                                args.append(hooked[id(sv)])
                                holds = True
                        spare = node.spare
                        if spare is None:
                            out = fast(need, g, *args)
                        else:
                            out = gi = prev = None  # (no reference to g may stay behind)
                            out = (spare if type(g) is _ndarray and g.size >= SPARE_MIN
                                   and node._hooks is None and lone_gradient(g)
                                   else fast)(need, g, *args)
                        if release and holds:
                            node._saved = ()  # Node.release, inlined
                            node._released = True
                        release = False
                    else:
                        if node._released:
                            raise RuntimeError(errors.FREED_MESSAGE)
                        out = fast(need, g)
                        release = False
                elif needed is not None and fast is not None:
                    out = node.rule(need, g, *node.unpack(as_tensors))
                else:
                    out = node.apply(g, as_tensors)
                if state.anomaly:
                    _check_anomaly(node, out)
                if hooks_seen.any and node._hooks:
                    out = _run_post_hooks(node, out, g, as_tensors)
            if release:
                node.release()
            i = 0
            for m, nr in node.next_functions:
                if m is not None and (needed is None or m in deps):
                    gi = out[i]
                    if gi is not None:
                        shape, dt = node._meta[i]
                        # (`is not`: numpy's dtypes are singletons; an equal one that is not
                        # the same object costs a call to fit, which leaves it as it is)
                        if type(gi) is not _ndarray or gi.shape != shape or gi.dtype is not dt:
                            gi = fit(gi, shape, dt)
                    slot = get(m)
                    if slot is None:
                        # The first gradient to reach m when edges were not counted (above): m
                        # is ready at once (its count is spent), and later ones add to its slot.
                        if gi is None or m.n_outputs == 1:
                            slot = deps[m] = [0, gi]
                        else:
                            slot = deps[m] = [0, None]
                            _add_to_slot(slot, m, nr, gi)
                        if nxt is None:
                            nxt = m
                            nxt_slot = slot
                        else:
                            heappush(ready, (-m._seq, m))
                    else:
                        if gi is not None:
                            if m.n_outputs == 1:
                                prev = slot[1]
                                if prev is None:
                                    slot[1] = gi
                                elif id(prev) in owned and type(gi) is _ndarray:
                                    np.add(prev, gi, out=prev)
                                else:
                                    prev = slot[1] = prev + gi
                                    if type(prev) is _ndarray:
                                        owned.add(id(prev))
                            else:
                                _add_to_slot(slot, m, nr, gi)
                        c = slot[0] - 1
                        slot[0] = c
                        if c == 0:
                            if nxt is None:
                                nxt = m
                                nxt_slot = slot
                            else:
                                heappush(ready, (-m._seq, m))
                i += 1
    except Exception as e:
        if state.anomaly and node is not None and getattr(node, "_trace", None):
            warnings.warn(f"Error detected in {type(node).name(node)}. Traceback of forward call that caused "
                          f"the error:\n{node._trace}", stacklevel=3)
        if type(e) is ValueError:  # a rule's arrays that no longer fit (x.data swapped in a hook)
            fitted = errors.from_numpy_broadcast(e)
            if fitted is not None:
                raise fitted from None
        raise
    finally:
        state.enabled = prev_mode
        _all_leaves.pop()
        if len(end_of_run) > mark:  # (callbacks of this run; dropped if it failed)
            todo = end_of_run[mark:]
            del end_of_run[mark:]
    if todo:
        for callback in todo:
            callback()

    if inputs is not None:
        for k, r in enumerate(results):
            if r is None:
                if not allow_unused:
                    raise RuntimeError(errors.UNUSED_INPUT.format(k))
                continue
            if not isinstance(r, Tensor):
                x = inputs[k]
                xd = x._data if type(x) is not GradientEdge else None
                # (a meta input's gradient is meta: a rule's own kernel may have made it a
                # plain array from the stand-in, as core/ops/meta_route.py says of results)
                r = Tensor._make(empty_meta(xd.shape, xd.dtype) if type(xd) is MetaArray
                                 else _result_array(r, r.dtype if xd is None else xd.dtype))
            results[k] = r
            if accumulate and type(inputs[k]) is not GradientEdge:
                x = inputs[k]
                # (a leaf's node accumulated its gradient as it ran; a non-leaf that retains
                # its gradient got it from its hook)
                if x._grad_fn is not None and not x._retains_grad:
                    _accumulate(x, r if as_tensors else r._data, as_tensors)
                    x.retain_grad()  # PyTorch: a non-leaf in backward(inputs=...) retains grad
    return results


def _result_array(r, dt):
    """The array autograd.grad returns for a gradient r: r itself, in the layout its rule gave it
    (PyTorch returns the formula's own result: an expanded view from sum's backward, a transposed
    one from t()'s), unless it must be converted, or is a read-only array in which every element
    has its own place (a kept constant: written in place, it must work, as a tensor's would)."""
    if type(r) is _ndarray and r.dtype is dt and (r.flags.writeable or _overlaps(r)):
        return r
    if type(r) is MetaArray:
        return r.astype(dt)
    return np.array(r, dtype=dt)  # (order K: a copy keeps r's layout where it is dense)


def _overlaps(a):
    """Some elements of a share memory (a stride 0 in a dim of size > 1): in-place writes into
    it refuse, as PyTorch's into an expanded tensor."""
    return any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))


def _add_to_slot(slot, node, nr, g):
    """Add gradient g of output nr of `node` into its slot (see _dependencies)."""
    if node.n_outputs == 1:
        prev = slot[1]
        slot[1] = g if prev is None else prev + g
    else:
        gs = slot[1]
        if gs is None:
            gs = slot[1] = [None] * node.n_outputs
        gs[nr] = g if gs[nr] is None else gs[nr] + g


def _wrap(g):
    if g is None or isinstance(g, Tensor):
        return g
    return Tensor._make(as_array(g))


def _unwrap(g, as_tensors):
    if g is None or as_tensors:
        return g
    return g._data


def _call_tensor_hooks(hooks, g, as_tensors):
    """Run a tensor's hooks in registration order; each may return a replacement gradient."""
    for fn in list(hooks.values()):
        r = fn(_wrap(g))
        if r is None:
            continue
        if g is None:
            raise RuntimeError("can't replace a None gradient with a non-None value")
        _check_replacement(fn, r, g)
        g = r if as_tensors else r._data
    return g


def _check_replacement(fn, r, g):
    """A hook's replacement `r` for gradient `g`: a tensor of g's size and type (PyTorch)."""
    if not isinstance(r, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(r).__name__}'")
    if g is None:
        return
    gd = g._data if isinstance(g, Tensor) else np.asarray(g)
    name = getattr(fn, "__name__", "hook")
    if r._data.shape != gd.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    if r._data.dtype != gd.dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was torch."
            f"{from_numpy_dtype(gd.dtype)._legacy} got torch.{r.dtype._legacy})")


def _checked_values(fn, r, before):
    """A node hook's replacement tuple for the gradients `before` (PyTorch's checks)."""
    if type(r) is not tuple:
        raise TypeError(f"expected tuple, but hook returned '{type(r).__name__}'")
    if len(r) != len(before):
        raise RuntimeError(f"hook '{getattr(fn, '__name__', 'hook')}' has returned an incorrect "
                           f"number of values (got {len(r)}, but expected {len(before)})")
    for x, g in zip(r, before):
        if x is not None:
            if g is None:
                raise RuntimeError("can't replace a None gradient with a non-None value")
            _check_replacement(fn, x, g)
    return r


def _run_tensor_hooks(node, g, as_tensors):
    multi = node.n_outputs > 1
    gs = list(g) if multi else [g]
    if node._tensor_hooks:
        for nr, hooks in node._tensor_hooks.items():
            # (an output of a multi-output node that got no gradient: its hooks see None, as
            # PyTorch's, when the node runs for the others)
            if hooks and (multi or gs[nr] is not None):
                gs[nr] = _call_tensor_hooks(hooks, gs[nr], as_tensors)
    if node._retained:
        for nr, ref in node._retained.items():
            t = ref()
            if t is not None and gs[nr] is not None:
                gt = _wrap(gs[nr])
                if t._grad is None:
                    # PyTorch's retain_grad keeps a contiguous clone
                    t._grad = Tensor._make(np.array(gt._data, order="C")) if not as_tensors else gt
                else:
                    t._grad = t._grad + gt
    return gs if multi else gs[0]


def _run_pre_hooks(node, g, as_tensors):
    multi = node.n_outputs > 1
    gs = tuple(_wrap(x) for x in (g if multi else (g,)))
    for fn in list(node._pre_hooks.values()):
        r = fn(gs)
        if r is not None:
            gs = _checked_values(fn, r, gs)
    gs = [_unwrap(x, as_tensors) for x in gs]
    return gs if multi else gs[0]


def _run_post_hooks(node, out, g, as_tensors):
    if not as_tensors and len(out) == 2 and out[0] is not None and out[0] is out[1]:
        out = (out[0], out[1].copy())  # (x * x shares one array) a hook may write into either
    # a hook sees each gradient shaped as its input, as PyTorch's rules give them (the bias of
    # addmm: (2,), not the broadcast (4, 2) the engine would reduce after)
    meta = node._meta or ()
    out = tuple(prim.fit(x, *meta[i]) if x is not None and i < len(meta) and meta[i]
                and np.shape(x) != meta[i][0] else x for i, x in enumerate(out))
    grad_inputs = tuple(_wrap(x) for x in out)
    grad_outputs = tuple(_wrap(x) for x in (g if node.n_outputs > 1 else (g,)))
    for fn in list(node._hooks.values()):
        r = fn(grad_inputs, grad_outputs)
        if r is not None:
            grad_inputs = _checked_values(fn, r, grad_inputs)
    return tuple(_unwrap(x, as_tensors) for x in grad_inputs)


# `fresh` for a gradient lone_gradient vouched for: held by nobody else, and C-contiguous and
# writable (its tests), so _accumulate need not read its flags again
_LONE = 2


def _accumulate(t, g, as_tensors, fresh=False):
    """Add g into leaf t's .grad: a new tensor the first time, in place after (as PyTorch; a
    .grad with a history, from an earlier create_graph=True, keeps it), out of place under
    create_graph=True.

    (A leaf's hooks ran before, as its AccumulateGrad's tensor hooks.)"""
    if type(g) is SparseArray or type(t._data) is SparseArray:
        _accumulate_sparse(t, g)
    elif t._grad is None:
        if as_tensors:
            t._grad = prim.copy_node(g, t._data)
        else:
            # PyTorch's layout contract: steal g if laid out as the tensor asks, else copy
            td = t._data
            if type(td) is MetaArray:  # (a meta leaf's gradient is meta, whatever made it)
                g = empty_meta(td.shape, td.dtype)
            elif td.flags.c_contiguous:  # (the common case, without a call)
                if not (fresh and g.dtype == td.dtype and (fresh is _LONE or g.flags.c_contiguous)):
                    # (with a size-1 dim, its stride is the one PyTorch's .grad would have)
                    g = np.array(g, dtype=td.dtype, order="C") if 1 not in td.shape else \
                        stolen_copy(g, td, td.dtype)
            elif not (fresh and g.dtype == td.dtype and obeys_grad_contract(g, td)):
                g = grad_like(g, td, td.dtype)
            t._grad = Tensor._make(g)
    elif as_tensors:  # (create_graph: a new .grad whose history adds g)
        t._grad = t._grad + _wrap(g)
    else:
        gd = t._grad._data
        dense = gd.flags.c_contiguous or is_dense(gd)  # (a transposed grad is dense too)
        if gd.flags.writeable and dense and gd.shape == np.shape(g):
            # (not into a user-assigned expanded or strided .grad: elements may alias)
            np.add(gd, g, out=gd, casting="unsafe")
            t._grad._vc[0] += 1
        else:
            t._grad = Tensor._make(gd + g)
    if _grad_listeners:
        for fn in _grad_listeners:
            fn(t)
    if post_accumulate_hooks:
        _run_post_accumulate_hooks(t)


def _accumulate_sparse(t, g):
    """A sparse gradient, or a sparse leaf's: PyTorch keeps a sparse .grad sparse, adding
    each backward's as its sparse add does, and gives a sparse leaf a gradient
    restricted to its indices (gradsh/core/sparse.py)."""
    if type(t._data) is SparseArray and type(g) is not SparseArray:
        g = masked(g, t._data)
    if t._grad is None:  # (values PyTorch cannot steal, not contiguous, are copied)
        if g.dtype != t._data.dtype or not g.values.flags.c_contiguous:
            g = sparse_array(g.indices, np.array(g.values, dtype=t._data.dtype), g.shape,
                             g.coalesced)
        t._grad = make_sparse(g)
    elif type(t._grad._data) is SparseArray:
        t._grad = make_sparse(t._grad._data + g)  # (PyTorch's sparse add: core/sparse.py)
    else:
        t._grad = Tensor._make(t._grad._data + g)


def _run_post_accumulate_hooks(t):
    """Tensor.register_post_accumulate_grad_hook: hook(t) after t.grad took the gradient."""
    hooks = post_accumulate_hooks.get(id(t))
    for fn in list(hooks.values()) if hooks else ():
        r = fn(t)
        if r is not None and r is not t:  # PyTorch lets the tensor itself come back (a hook
            # ending in p.add_(...) returns p); anything else is checked as a tensor hook's
            # result first, then refused
            _check_replacement(fn, r, t)
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")


def _check_anomaly(node, out):
    if not grad_mode.state.anomaly_check_nan:
        return
    for i, g in enumerate(out):
        if g is None:
            continue
        arr = g._data if not isinstance(g, (_ndarray, np.generic, float, int)) else g
        if np.isnan(arr).any():
            raise RuntimeError(f"Function '{type(node).name(node)}' returned nan values in its {i}th output.")
