"""torch.nn and torch.optim objects inside .grad programs: their public attributes are reachable
(values a program may hold), their internals are not, missing ones give PyTorch's message."""

import pytest

from gradsh.lang import InternalError

from .helpers import run_error, run_program


def test_module_attributes_and_state_dict_keys_are_reachable():
    out = run_program("m = torch.nn.Linear(2, 3)\n"
                      "print(m.in_features, m.out_features, m.training, m.weight.shape)\n"
                      "print(list(m.state_dict().keys()), m.bias.requires_grad)\n"
                      "opt = torch.optim.SGD(m.parameters(), lr=0.5)\n"
                      "print(opt.param_groups[0]['lr'], opt.defaults['momentum'])\n")
    assert out == ("2 3 True torch.Size([3, 2])\n['weight', 'bias'] True\n0.5 0\n")


def test_a_missing_module_attribute_has_pytorchs_message():
    err, _ = run_error("m = torch.nn.Linear(2, 3)\nprint(m.nothing)\n")
    assert not isinstance(err, InternalError)
    assert "AttributeError: 'Linear' object has no attribute 'nothing'" in err.render()


# (since branch lang20 a module's _parameters, __dict__ and vars() are read-only views)
@pytest.mark.parametrize("expr, says", [
    ("m._parameters = {}", "names starting with '_'"),
    ("m._parameters['x'] = None", "read-only view"),
    ("m.__dict__['x'] = 1", "read-only in gradsh"),
    ("vars(m)['training'] = 5", "read-only in gradsh"),
    ("m._apply", "names starting with '_'"),
])
def test_module_internals_stay_out_of_reach(expr, says):
    err, _ = run_error(f"m = torch.nn.Linear(2, 3)\n{expr}\n")
    assert not isinstance(err, InternalError)
    assert says in err.render()


def test_an_optimizers_state_factory_is_dict_as_pytorchs():
    # (the program's `dict`, the checked constructor, as `type({})` gives it)
    out = run_program("m = torch.nn.Linear(2, 3)\n"
                      "f = torch.optim.SGD(m.parameters(), lr=0.1).state.default_factory\n"
                      "print(f, f == dict, f([(1, 2)]))\n")
    assert out == "<class 'dict'> True {1: 2}\n"


def test_an_optimizers_state_reads_as_pytorchs_defaultdict():
    out = run_program("p = torch.nn.Parameter(torch.ones(2))\n"
                      "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)\n"
                      "print(opt.state)\n(p * p).sum().backward()\nopt.step()\n"
                      "print(list(opt.state[p].keys()), opt.state[p]['momentum_buffer'])\n")
    assert out == ("defaultdict(<class 'dict'>, {})\n"
                   "['momentum_buffer'] tensor([2., 2.])\n")


def test_a_program_assigns_attributes_of_torchs_own_modules_as_pytorch():
    # nn.Module's __setattr__ decides, as in PyTorch: a Parameter replaces the weight, None
    # drops the bias, a string is PyTorch's TypeError, a function replaces forward
    out = run_program("m = torch.nn.Linear(2, 3)\n"
                      "m.weight = torch.nn.Parameter(torch.ones(3, 2))\nm.bias = None\n"
                      "print(m(torch.ones(1, 2)), m)\n"
                      "try:\n    m.weight = 'x'\nexcept TypeError as e:\n    print(e)\n"
                      "m.forward = print\nm(1)\ndel m.forward\nprint(m.extra_repr())\n")
    assert out == ("tensor([[2., 2., 2.]], grad_fn=<MmBackward0>) "
                   "Linear(in_features=2, out_features=3, bias=False)\n"
                   "cannot assign 'str' as parameter 'weight' (torch.nn.Parameter or None "
                   "expected)\n1\nin_features=2, out_features=3, bias=False\n")


def test_a_models_gradients_are_reported_by_pytorchs_parameter_names():
    from .helpers import new_session
    s = new_session()
    reports = []
    s.on_grads = lambda pairs: reports.append(sorted(name for name, _ in pairs))
    s.run_interactive(
        "model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), "
        "torch.nn.Linear(2, 1))\n"
        "model(torch.ones(4, 3)).sum().backward()\n")
    assert reports == [["model.0.bias", "model.0.weight", "model.2.bias", "model.2.weight"]]
