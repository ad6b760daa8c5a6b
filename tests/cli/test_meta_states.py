"""The meta-commands that look at values (:vars, :graph, :trace, :grads) in every tensor
state a program can make (issue 16): a state a value refuses (PyTorch's error for the grad_fn of
a no_grad view whose base changed in place) is said in one line, never "internal error in the
shell"; the session goes on."""

import pytest
from cli_helpers import body

# name -> the keys that make `v` (and other variables) in that state; block bodies are typed
# as the REPL indents them

STATES = {
    "no-grad-view-base-changed": "x = ones(3, requires_grad=True)\ry = x * 2\rwith torch.no_grad():\r    v = y[:2]\r\ry.mul_(2)\r",
    "released-graph": "x = ones(2, requires_grad=True)\rv = (x * x).sum()\rv.backward()\r",
    "custom-function": "class F(torch.autograd.Function):\rforward = staticmethod(lambda ctx, a: a * 2)\rbackward = staticmethod(lambda ctx, g: g * 2)\r\rx = ones(2, requires_grad=True)\rv = F.apply(x).sum()\r",
    "object-values-refused": "v = torch.tensor([object()])\rw = torch.tensor(['a'])\r",
    "saved-modified-in-place": "x = ones(2, requires_grad=True)\ry = x.exp()\rv = y.sum()\r"
                               "y.add_(1)\r",
    "data-reshaped": "x = ones(2, requires_grad=True)\r(x * 2).sum().backward()\r"
                     "x.data = torch.ones(5)\rv = (x * 3).sum()\r",
    "in-containers": "x = ones(2, requires_grad=True)\rv = (x * 2).sum()\rvs = [v, {'k': x}]\r"
                     "p = torch.nn.Parameter(torch.ones(2))\r",
    "empty": "v = torch.ones(0, requires_grad=True)\r",
    "int-types": "v = torch.tensor([1, 2], dtype=torch.uint8)\rw = torch.ones(2, dtype=torch.float16)\rb = torch.tensor([True])\r",
    "nan-inf": "x = torch.tensor([float('nan'), float('inf')], requires_grad=True)\rv = (x * 0).sum()\r",
    "big": "v = torch.ones(1000, 1000, requires_grad=True).sum()\r",
    "view-inplace": "x = ones(3, requires_grad=True)\ry = x * 1\rz = y[1:]\rz.mul_(3)\rv = y.sum()\r",
    "inference": "with torch.inference_mode():\r    v = torch.ones(2)\r\r",
    "grad-of-other-shape-hook": "x = ones(2, requires_grad=True)\rh = x.register_hook(lambda g: g * 2)\rv = (x * 3).sum()\rx.grad = torch.zeros(2)\r",
    "dual": "import torch.autograd.forward_ad as fwAD\rwith fwAD.dual_level():\r    v = fwAD.make_dual(torch.ones(2), torch.ones(2))\r\r",
    "module": "m = torch.nn.Linear(2, 1)\rv = m(torch.ones(2)).sum()\r",
    "nonleaf-retain": "x = ones(2, requires_grad=True)\ry = x * 2\ry.retain_grad()\rv = y.sum()\rv.backward(retain_graph=True)\r",
    "deleted-leaf": "x = ones(2, requires_grad=True)\rv = (x * 2).sum()\rdel x\r",
    "grad-leaf-freed": "x = ones(2, requires_grad=True)\rv = (x.exp()).sum()\rv.backward()\rv2 = v\r",
    "double-backward": "x = ones(2, requires_grad=True)\rg, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)\rv = g.sum()\r",
    "detached": "x = ones(2, requires_grad=True)\rv = (x * 2).detach()\rv.requires_grad_()\r",
    "saved-hooks": "x = ones(2, requires_grad=True)\rwith torch.autograd.graph.saved_tensors_hooks(lambda t: 5, lambda p: p):\r    v = (x * x).sum()\r\r",
}


@pytest.mark.parametrize("name", sorted(STATES))
def test_meta_commands_survive_tensor_states(repl, name):
    r = repl(STATES[name] + ":vars\r:graph v\r:trace --retain v\r:grads\r:trace v\r:graph v\r"
             ":vars\r42\r")
    assert body(r.out).endswith("42\n"), (r.out, r.err)
    assert "internal error" not in r.err and "Traceback" not in r.err, r.err

