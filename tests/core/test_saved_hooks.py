"""torch.autograd.graph.saved_tensors_hooks / save_on_cpu / disable_saved_tensors_hooks."""

import pytest

import gradsh as torch


def run(torch):
    """Hooks in use; returns the log of what the hooks and the program saw."""
    log = []
    a = torch.tensor([1., 2.], requires_grad=True)

    def pack(x):
        log.append(("pack", repr(x), x is a))
        return x.detach() * 10

    def unpack(x):
        log.append(("unpack", repr(x)))
        return x / 10

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack) as h:
        log.append(h)
        y = a * a
        z = y.exp()
    log.append((repr(y.grad_fn._saved_self), repr(z.grad_fn._saved_result)))
    z.sum().backward()
    log.append(repr(a.grad))
    with torch.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
        try:
            with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
                pass
        except RuntimeError as e:
            log.append(str(e))
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        try:
            with torch.autograd.graph.disable_saved_tensors_hooks("not now"):
                a * a
        except RuntimeError as e:
            log.append(str(e))
    with torch.autograd.graph.save_on_cpu():
        (a * a).sum().backward()
    log.append(repr(a.grad))
    with torch.autograd.graph.saved_tensors_hooks(lambda x: 5, lambda x: x):
        y = a * a
    try:
        y.sum().backward()
    except TypeError as e:
        log.append(str(e))
    with torch.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: x):
        w = torch.ones(2) * 3
        y = (a.exp() * w).sum()
        e = a.exp()
    log.append(y.grad_fn.next_functions[0][0]._saved_other is w)
    try:
        e.grad_fn._raw_saved_result.register_hooks(lambda x: x, lambda x: x)
    except RuntimeError as err:
        log.append(str(err))
    with torch.autograd.graph.saved_tensors_hooks(lambda x: x.detach().clone(), lambda x: x):
        y = (a.sin() * a).sum()
    g, = torch.autograd.grad(y, a, create_graph=True)
    log.append((repr(g), repr(torch.autograd.grad(g.sum(), a))))
    shapes = []
    a.grad = None
    with torch.autograd.graph.saved_tensors_hooks(
            lambda x: shapes.append(tuple(x.shape)) or x, lambda x: x):
        out = torch.nn.functional.mse_loss(a.tanh(), torch.zeros(2)) + (a @ a) + a.pow(3).sum()
    out.backward()
    log.append((shapes, repr(a.grad)))
    count = []   # a pack hook that runs ops itself (clone records a node while packing)
    with torch.autograd.graph.saved_tensors_hooks(lambda x: count.append(1) or x.clone(),
                                                  lambda x: x):
        y = a.exp().sin().pow(2).sum()
    y.backward()
    log.append((len(count), repr(a.grad)))
    return log


def test_saved_tensor_hooks_match_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert run(torch) == run(real)


def test_pack_runs_in_forward_and_unpack_in_backward():
    calls = []
    x = torch.ones(3, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(lambda t: calls.append("pack") or t,
                                                  lambda t: calls.append("unpack") or t):
        y = (x * x).sum()
    assert calls == ["pack", "pack"]
    y.backward()
    assert calls == ["pack", "pack", "unpack", "unpack"] and x.grad.tolist() == [2.0] * 3
