"""`module._modules` in a .grad program (branch adv10a): d2l.ai's MySequential writes its
children with `self._modules[str(idx)] = module` and reads them with `self._modules.values()`.
The program gets a view of the children (gradsh/lang/runtime/moduledict.py), never the real
dict: it writes only what add_module would take, and nn.Module's other state stays hidden."""

import io

import pytest

from gradsh.lang import GradshError, Session


def _run(source):
    out = io.StringIO()
    try:
        Session(stdout=out, stderr=io.StringIO()).run(source.encode(), "prog.grad")
    except GradshError as e:
        out.write("!! %s: %s\n" % (e.kind, e.message))
    return out.getvalue()


MY_SEQUENTIAL = """import torch
from torch import nn
class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for idx, module in enumerate(args):
            self._modules[str(idx)] = module
    def forward(self, X):
        for block in self._modules.values():
            X = block(X)
        return X
net = MySequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
print(net(torch.ones(5, 4)).shape, list(net._modules), len(net._modules))
print([n for n, _ in net.named_parameters()])
print(net._modules['1'], '2' in net._modules, net._modules.get('9'))
"""


def test_d2l_my_sequential_registers_and_runs_its_children():
    assert _run(MY_SEQUENTIAL) == (
        "torch.Size([5, 2]) ['0', '1', '2'] 3\n"
        "['0.weight', '0.bias', '2.weight', '2.bias']\n"
        "ReLU() True None\n")


def test_torch_modules_children_are_shown_as_pytorchs_dict():
    assert _run("import torch\ns = torch.nn.Sequential(torch.nn.Tanh())\nprint(s._modules)\n"
                "del s._modules['0']\nprint(len(s), s)\n") == \
        "{'0': Tanh()}\n0 Sequential()\n"


@pytest.mark.parametrize("line,error", [
    ("m._modules['a'] = 5", "!! TypeError: int is not a Module subclass"),
    ("m._modules[3] = torch.nn.Tanh()", "!! TypeError: module name should be a string. Got int"),
    ("m._modules['a.b'] = torch.nn.Tanh()",
     "!! KeyError: 'module name can\\'t contain \".\", got: a.b'"),
    ("m._modules.update({'x': print})", "!! TypeError: builtin_function_or_method is not a Module subclass"),
    ("m._modules = {}", "'_modules' is not accessible"),
    ("m._parameters = {}", "'_parameters' is not accessible"),
    ("m._parameters['w'] = None", "read-only view"),  # (readable since branch lang20)
    ("m._modules._module", "'_module' is not accessible"),
    ("m._modules.__class__.__init__", "is not"),
])
def test_the_view_takes_only_what_add_module_takes_and_hides_the_rest(line, error):
    out = _run("import torch\nclass M(torch.nn.Module):\n    pass\nm = M()\n" + line + "\n")
    assert error in out, out
