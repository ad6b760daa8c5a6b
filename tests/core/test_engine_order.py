"""The engine's two ways to order a backward run give the same run: counting every node's edges
first (`_dependencies`), or, when every edge leads to an older node (`node.order`), taking the
nodes in descending creation order as their first gradient reaches them. Random graphs (shared
inputs, dead branches, several-output nodes, leaves used many times) run both ways must call
every hook in the same order, with the same gradients, bit for bit; and what would break the
second way (a renumbered node, a custom Function's node older than a leaf's AccumulateGrad)
turns it off."""

import random

import numpy as np
import pytest

import gradsh
from gradsh.core import node as node_mod


@pytest.fixture
def order():
    saved = node_mod.order.topological
    yield node_mod.order
    node_mod.order.topological = saved


def _random_graph(seed, log, n_ops=14):
    """A random graph over two (2, 2) leaves and a constant; returns its root, its leaves and the
    hook handles. Every node's pre-hook and every leaf's post-accumulate hook append to `log`."""
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    leaves = [gradsh.tensor(gen.standard_normal((2, 2)).astype(np.float32), requires_grad=True)
              for _ in range(2)]
    pool = leaves + [gradsh.tensor(gen.standard_normal((2, 2)).astype(np.float32))]
    for i in range(n_ops):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(8)
        if kind == 0:
            new = [a + b]
        elif kind == 1:
            new = [a * b]
        elif kind == 2:
            new = [a.tanh()]
        elif kind == 3:
            new = [a * 0.5 - 0.25]
        elif kind == 4:
            new = list(a.unbind(0))  # one node, two outputs, shapes (2,)
            new = [n + a for n in new]  # back to (2, 2), broadcast
        elif kind == 5:
            new = [a.exp() * 0.125]
        elif kind == 6:
            p, q = a.split(1, 0)  # another several-output node, one output maybe unused
            new = [q.expand(2, 2) + b] if rng.random() < 0.5 else [p * q + b]
        else:
            new = [(a - b).sin()]
        pool.extend(new)
    for k, t in enumerate(pool):
        if t.grad_fn is not None:
            t.grad_fn.register_prehook(lambda g, k=k: log.append(("node", k)))
    for k, x in enumerate(leaves):
        x.register_post_accumulate_grad_hook(lambda t, k=k: log.append(("leaf", k)))
        x.register_hook(lambda g, k=k: log.append(("tensor", k)))
    # the root uses some of the pool (the rest are dead branches) and the last tensor (or a
    # leaf, when the last needs no grad)
    used = [t for t in pool[3:-1] if t.requires_grad and rng.random() < 0.4]
    used.append(pool[-1] if pool[-1].requires_grad else leaves[0])
    root = sum(t.sum() for t in used)
    return root, leaves


def _run(seed, topological, order, retain=False):
    log = []
    root, leaves = _random_graph(seed, log)
    order.topological = topological
    root.backward(retain_graph=retain)
    grads = [None if x.grad is None else x.grad.numpy().copy() for x in leaves]
    if retain:
        root.backward()
        grads += [x.grad.numpy().copy() for x in leaves if x.grad is not None]
    return log, grads


@pytest.mark.parametrize("seed", range(60))
def test_descending_order_runs_as_the_counted_one(seed, order):
    counted_log, counted = _run(seed, False, order)
    ordered_log, ordered = _run(seed, True, order)
    assert ordered_log == counted_log
    assert len(counted) == len(ordered)
    for a, b in zip(counted, ordered):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("seed", range(10))
def test_descending_order_with_retain_graph(seed, order):
    counted_log, counted = _run(seed, False, order, retain=True)
    ordered_log, ordered = _run(seed, True, order, retain=True)
    assert ordered_log == counted_log
    assert [g.tobytes() for g in counted if g is not None] == \
        [g.tobytes() for g in ordered if g is not None]


def test_the_leaves_gradients_are_pytorchs(order):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    order.topological = True
    x0 = np.array([[0.5, -1.25], [2.0, 0.75]], np.float32)
    x = gradsh.tensor(x0, requires_grad=True)
    y = x.tanh()
    z = y * x + y.exp() * 0.5  # y used twice, x three times
    w = z.unbind(0)
    (w[0] * w[1] + z).sum().backward()
    tx = torch.tensor(x0, requires_grad=True)
    ty = tx.tanh()
    tz = ty * tx + ty.exp() * 0.5
    tw = tz.unbind(0)
    (tw[0] * tw[1] + tz).sum().backward()
    assert x.grad.numpy().tobytes() == tx.grad.numpy().tobytes()


def test_a_renumbered_node_turns_the_descending_order_off(order):
    order.topological = True
    x = gradsh.ones(2, requires_grad=True)
    y = x * 2
    y.grad_fn._set_sequence_nr(0)
    assert order.topological is False


class _Twice(gradsh.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_a_custom_function_older_than_its_leafs_accumulator_turns_it_off(order):
    # The Function's node is made before forward runs; a leaf first used by it gets its
    # AccumulateGrad afterwards, a newer node at the end of an edge: descending order would run
    # the leaf's accumulation before the Function's gradient reached it.
    order.topological = True
    x = gradsh.ones(2, requires_grad=True)
    calls = []
    x.register_post_accumulate_grad_hook(lambda t: calls.append(t.grad.tolist()))
    y = _Twice.apply(x)
    assert order.topological is False
    (y + x * 3).sum().backward()
    assert calls == [[5.0, 5.0]]


def test_a_custom_function_on_older_nodes_keeps_it_on(order):
    order.topological = True
    x = gradsh.ones(2, requires_grad=True)
    h = x * 1  # x's AccumulateGrad and h's node exist before the Function's node
    y = _Twice.apply(h)
    assert order.topological is True
    (y + h).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


@pytest.fixture
def loss_lane():
    from gradsh.core import engine
    saved = engine.LOSS_LANE
    yield engine
    engine.LOSS_LANE = saved


def _run_lane(seed, lane, engine, order, retain=False):
    engine.LOSS_LANE = lane
    return _run(seed, True, order, retain)


@pytest.mark.parametrize("seed", range(0, 60, 3))
@pytest.mark.parametrize("retain", [False, True])
def test_the_loss_lane_runs_as_the_general_set_up(seed, retain, order, loss_lane):
    # loss.backward() through the engine's loss lane and through its general set-up (one
    # uncounted root): the same hooks in the same order, the same gradient bits
    general_log, general = _run_lane(seed, False, loss_lane, order, retain)
    lane_log, lane = _run_lane(seed, True, loss_lane, order, retain)
    assert lane_log == general_log
    assert [None if g is None else g.tobytes() for g in lane] == \
        [None if g is None else g.tobytes() for g in general]


@pytest.mark.parametrize("make", [
    lambda x: (x * x).sum(),              # a 0-d root
    lambda x: (x * 3).sum().reshape(1),   # a one-element root of one dim
    lambda x: x.max(0)[0][:1].sum(),      # below a node of several outputs
    lambda x: x.sum().expand(1, 1),       # a one-element view
])
def test_loss_lane_roots_match_pytorch(make, loss_lane, order):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    order.topological = True
    data = np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)
    x = gradsh.tensor(data, requires_grad=True)
    make(x).backward()
    tx = torch.tensor(data, requires_grad=True)
    make(tx).backward()
    assert x.grad.numpy().tobytes() == tx.grad.numpy().tobytes()


def test_loss_lane_refuses_what_the_general_path_refuses(loss_lane, order):
    order.topological = True
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()
    z = gradsh.tensor([1 + 1j], requires_grad=True)
    with pytest.raises(RuntimeError, match="real scalar outputs"):
        (z * 2).sum().backward()
    y = (x * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
