"""Hooks and retained gradients as PyTorch runs them: tensor hooks on leaves and non-leaves (a hook
may return a replacement gradient), retain_grad, Node.register_hook / register_prehook, handles,
the order of execution, and PyTorch's errors."""

import pytest

import gradsh
from differential import assert_same_as_torch, oracle_case


@pytest.mark.parametrize("title", [
    "retain_grad on a tensor that doesn't require grad",
    "register_hook on tensor that doesn't require grad",
    "hook returning wrong shape",
    "accessing .grad of non-leaf tensor (warning)",
])
def test_hook_misuse_behaves_as_recorded_from_pytorch(title):
    oracle_case(title)


def _logger(log, name, ret=None):
    def hook(*args):
        log.append((name, args))
        return ret(*args) if ret else None
    return hook


def test_hook_on_a_leaf_replaces_the_gradient_that_is_accumulated():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [30.0, 30.0]


def test_hook_on_a_non_leaf_changes_what_flows_to_its_inputs():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g + 1)
    (y * y).sum().backward()  # dy = 2y + 1 = [7, 13], dx = 3 dy
    assert x.grad.tolist() == [21.0, 39.0]


def test_hooks_run_in_registration_order_each_seeing_the_previous_result():
    log = []
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.register_hook(_logger(log, "a", lambda g: g * 2))
    y.register_hook(_logger(log, "b", lambda g: g + 1))
    y.sum().backward()
    assert [(n, a[0].tolist()) for n, a in log] == [("a", [1.0, 1.0]), ("b", [2.0, 2.0])]
    assert x.grad.tolist() == [3.0, 3.0]


def test_removed_hook_does_not_run_and_remove_twice_is_harmless():
    x = gradsh.ones(2, requires_grad=True)
    h = x.register_hook(lambda g: g * 100)
    h.remove()
    h.remove()
    with x.register_hook(lambda g: g * 7):
        pass  # a handle is also a context manager that removes the hook on exit
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_retain_grad_keeps_the_gradient_after_the_tensors_hooks():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 100)  # registered after retain_grad, still runs before it
    y.sum().backward()
    assert y.retains_grad and y.grad.tolist() == [100.0, 100.0]
    assert x.grad.tolist() == [200.0, 200.0]


def test_retained_grad_accumulates_over_backward_calls():
    x = gradsh.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward(retain_graph=True)
    (y * y).sum().backward()
    assert y.grad.tolist() == [8.0, 8.0]


def test_execution_order_of_every_kind_of_hook_matches_pytorch():
    def scenario(torch):
        log = []

        def rec(name, ret=None):
            def h(*args):
                log.append((name, [a.tolist() if hasattr(a, "tolist") else
                                   [None if u is None else u.tolist() for u in a] for a in args]))
                return ret(*args) if ret else None
            return h
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = y * y
        y.register_hook(rec("y1", lambda g: g * 2))
        y.retain_grad()
        y.register_hook(rec("y2", lambda g: g + 1))
        y.grad_fn.register_prehook(rec("pre", lambda go: (go[0] * 3,)))
        y.grad_fn.register_hook(rec("post"))
        acc = y.grad_fn.next_functions[0][0]
        acc.register_prehook(rec("accpre"))
        acc.register_hook(rec("accpost"))
        x.register_hook(rec("x", lambda g: g * 10))
        z.sum().backward()
        return log, x.grad, y.grad
    assert_same_as_torch(scenario)


def test_node_post_hook_may_replace_the_gradients_it_returns():
    def scenario(torch):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        w = torch.tensor([3.0, 4.0], requires_grad=True)
        y = x * w
        y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0 + 7, None))
        y.sum().backward()
        return x.grad, w.grad
    assert_same_as_torch(scenario)


def test_hooks_run_for_autograd_grad_too():
    def scenario(torch):
        log = []
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: log.append(g.tolist()) or g * 5)
        y = x * 2
        y.register_hook(lambda g: g + 1)
        r = torch.autograd.grad((y * y).sum(), x)
        return r, log, x.grad
    assert_same_as_torch(scenario)


def test_hook_on_the_root_output_and_with_create_graph():
    def scenario(torch):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x ** 2).sum()
        y.register_hook(lambda g: g * 4)
        y.backward()
        x2 = torch.tensor([1.0, 2.0], requires_grad=True)
        y2 = x2 ** 2
        y2.register_hook(lambda g: g * x2)
        (g,) = torch.autograd.grad(y2.sum(), x2, create_graph=True)
        (gg,) = torch.autograd.grad(g.sum(), x2)
        return x.grad, g, gg
    assert_same_as_torch(scenario)


def test_hook_on_one_output_of_a_multi_output_node():
    def scenario(torch):
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        a, b = x.unbind(0)
        b.register_hook(lambda g: g * 10)
        (a + b).sum().backward()
        return x.grad
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("ret", ["3.0", "g.double()", "torch.ones(3)", "g[None]"])
def test_hook_returning_the_wrong_thing_raises_as_pytorch(ret):
    def scenario(torch):
        x = torch.ones(2, requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: eval(ret, {"g": g, "torch": torch}))
        y.sum().backward()
    assert_same_as_torch(scenario)


def test_hook_called_once_with_the_sum_of_gradients_of_a_reused_tensor():
    log = []
    x = gradsh.ones(2, requires_grad=True)
    y = x * 1
    y.register_hook(lambda g: log.append(g.tolist()))
    (y * 2 + y * 3).sum().backward()
    assert log == [[5.0, 5.0]]


def test_handles_print_as_pytorchs():
    h = gradsh.ones(1, requires_grad=True).register_hook(lambda g: g)
    assert repr(h).startswith("<torch.utils.hooks.RemovableHandle object at 0x")


def test_hooks_and_retained_grad_across_an_inplace_op_behave_as_pytorch():
    def scenario(torch):
        log = []
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        y.retain_grad()
        y.register_hook(lambda g: log.append(("before", g.tolist())))
        y.mul_(3)  # earlier hooks see the old value's gradient, .grad is the final value's
        y.register_hook(lambda g: log.append(("after", g.tolist())))
        v = y[1:]
        v.retain_grad()
        v.add_(1)
        (y * y).sum().backward()
        return log, y.grad, v.grad, x.grad
    assert_same_as_torch(scenario)
