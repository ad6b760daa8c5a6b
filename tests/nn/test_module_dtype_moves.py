"""Module.double()/half()/float()/to(dtype)/type(dst) against PyTorch: the Parameter objects
stay the module's (their data swapped in place, so an optimizer made before still holds
them), their gradients are converted too, integer buffers keep their dtype except under
type(), which casts every tensor; and load_state_dict(assign=True), which puts the checkpoint's
tensors in the module."""

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for module dtype moves")


def _facts(T, move):
    T.manual_seed(0)
    m = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.BatchNorm1d(2))
    m(T.ones(3, 2) * T.arange(3.0).reshape(3, 1)).sum().backward()
    w, g = m[0].weight, m[0].weight.grad
    opt = T.optim.SGD(m.parameters(), lr=0.1)
    out = move(T, m)
    return (out is m, m[0].weight is w, m[0].weight.grad is g, type(m[0].weight).__name__,
            str(m[0].weight.dtype), str(m[0].weight.grad.dtype), m[0].weight.requires_grad,
            opt.param_groups[0]["params"][0] is m[0].weight,
            {k: str(v.dtype) for k, v in m.state_dict().items()})


@pytest.mark.parametrize("move", [
    lambda T, m: m.double(), lambda T, m: m.half(), lambda T, m: m.double().float(),
    lambda T, m: m.to(T.float64), lambda T, m: m.to(T.zeros(1, dtype=T.float64)),
    lambda T, m: m.type(T.float64), lambda T, m: m.to("cpu"),
])
def test_module_dtype_move_keeps_parameters_and_converts_grads(move):
    assert _facts(gradsh, move) == _facts(torch, move)


def _assigned(T):
    m = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.BatchNorm1d(2))
    m[0].bias.requires_grad_(False)
    sd = {k: T.full_like(v, 3).double() if v.is_floating_point() else v + 5
          for k, v in m.state_dict().items()}
    given = T.nn.Parameter(T.ones(2, 2), requires_grad=False)
    sd["0.weight"] = given
    old = m[0].bias
    keys = m.load_state_dict(sd, assign=True)
    return (str(keys), m[0].weight is given, given.requires_grad, m[0].bias is old,
            type(m[0].bias).__name__, m[0].bias.requires_grad, str(m[0].bias.dtype),
            m[1].running_mean is sd["1.running_mean"], m[1].num_batches_tracked.item())


def test_load_state_dict_assign_takes_the_checkpoints_tensors():
    """assign=True: the module holds the state dict's tensors (their dtype), parameters wrapped
    as Parameters keeping the module's requires_grad."""
    assert _assigned(gradsh) == _assigned(torch)
