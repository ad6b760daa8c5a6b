"""nn.utils.parametrize, the weight_norm/spectral_norm parametrizations and hooks, and lazy
modules: the parts the learner programs (tests/data/learner_programs/nnparam_*.grad, recorded
from PyTorch 2.13) do not pin down: _weight_norm's gradients and their graph, the sandbox's
rules for parametrized modules, lazy tensors refusing use."""

import numpy as np
import pytest

import gradsh as torch
from gradsh.autograd import gradcheck, gradgradcheck
from gradsh.core.weight_norm import weight_norm as _weight_norm

from tests.lang.helpers import run_program

nn = torch.nn
parametrize = nn.utils.parametrize


# ----- torch._weight_norm: the fused node along the first and last dims (PyTorch's names) -----
@pytest.mark.parametrize("dim, node", [(0, "WeightNormInterfaceBackward0"),
                                       (2, "WeightNormInterfaceBackward0"),
                                       (1, "MulBackward0"), (-1, "MulBackward0")])
def test_weight_norm_node_and_gradients(dim, node):
    torch.manual_seed(0)
    v = torch.randn(3, 4, 2, dtype=torch.float64, requires_grad=True)
    g = torch.randn(torch.norm_except_dim(v, 2, dim).shape, dtype=torch.float64,
                    requires_grad=True)
    w = _weight_norm(v, g, dim)
    assert type(w.grad_fn).__name__ == node
    assert gradcheck(lambda a, b: _weight_norm(a, b, dim), (v, g))
    if node == "MulBackward0":
        assert gradgradcheck(lambda a, b: _weight_norm(a, b, dim), (v, g))


def test_fused_weight_norm_double_backward_is_pytorchs():
    """PyTorch's double backward of the fused node treats the saved norms as constants (its
    own gradgradcheck fails there); gradsh's gives the same numbers (recorded from PyTorch
    2.13, same seed: gradsh's randn draws PyTorch's numbers)."""
    torch.manual_seed(0)
    v = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    g = torch.randn(3, 1, dtype=torch.float64, requires_grad=True)
    gv, gg = torch.autograd.grad(_weight_norm(v, g, 0), (v, g),
                                 torch.ones(3, 4, dtype=torch.float64), create_graph=True)
    assert (type(gv.grad_fn).__name__, type(gg.grad_fn).__name__) == ("MulBackward0",
                                                                      "DivBackward0")
    ggv, ggg = torch.autograd.grad(gv.sum(), (v, g))
    np.testing.assert_allclose(ggv.numpy(), np.repeat([[-0.0301], [0.3420], [-2.9791]], 4, 1),
                               atol=1e-4)
    np.testing.assert_allclose(ggg.numpy(), [[1.4512], [1.8078], [1.7310]], atol=1e-4)


def test_weight_norm_value_is_g_times_direction():
    v = torch.tensor([[3.0, 4.0], [6.0, 8.0]])
    g = torch.tensor([[2.0], [5.0]])
    assert torch.allclose(_weight_norm(v, g, 0), torch.tensor([[1.2, 1.6], [3.0, 4.0]]))


def test_norm_except_dim_shapes_are_pytorchs():
    v = torch.ones(4, 3, 2)
    assert [tuple(torch.norm_except_dim(v, 2, d).shape) for d in (0, 1, 2, -1)] == [
        (4, 1, 1), (1, 3, 1), (1, 1, 2), ()]


# ----- parametrize ------------------------------------------------------------------------
class Double(nn.Module):
    def forward(self, x):
        return 2 * x

    def right_inverse(self, y):
        return y / 2


def test_remove_leaves_the_parametrized_value_in_the_same_parameter():
    layer = nn.Linear(2, 2)
    original = layer.weight
    parametrize.register_parametrization(layer, "weight", Double())
    assert layer.parametrizations.weight.original is original
    value = layer.weight.detach().clone()
    parametrize.remove_parametrizations(layer, "weight")
    assert type(layer).__name__ == "Linear" and layer.weight is original
    assert torch.equal(layer.weight.detach(), value)


def test_assignment_runs_right_inverse_and_sequences_need_leave_parametrized():
    layer = nn.Linear(2, 2)
    parametrize.register_parametrization(layer, "weight", Double())
    layer.weight = torch.ones(2, 2)
    assert torch.equal(layer.parametrizations.weight.original.detach(), torch.full((2, 2), 0.5))
    wn = nn.utils.parametrizations.weight_norm(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="Cannot leave unparametrized"):
        parametrize.remove_parametrizations(wn, "weight", leave_parametrized=False)


def test_a_program_may_assign_a_parametrized_tensor_and_other_attributes():
    head = ("import torch\nfrom torch.nn.utils import parametrize\n"
            "class Double(torch.nn.Module):\n"
            "    def forward(self, x):\n        return 2 * x\n"
            "    def right_inverse(self, y):\n        return y / 2\n"
            "layer = torch.nn.Linear(2, 2)\n"
            "parametrize.register_parametrization(layer, 'weight', Double())\n")
    out = run_program(head + "layer.weight = torch.ones(2, 2)\n"
                      "print(layer.parametrizations.weight.original)\n")
    assert "0.5000" in out
    assert run_program(head + "layer.in_features = 3\nprint(layer)\n").startswith(
        "ParametrizedLinear(\n  in_features=3, out_features=2, bias=True")


def test_a_parametrized_program_class_keeps_its_own_attributes():
    out = run_program(
        "import torch\nfrom torch.nn.utils import parametrize\n"
        "class Net(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.w = torch.nn.Parameter(torch.ones(2))\n"
        "        self._seen = 0\n"
        "    def forward(self, x):\n"
        "        self._seen += 1\n"
        "        self.note = 'ran'\n"
        "        return x * self.w\n"
        "class Neg(torch.nn.Module):\n"
        "    def forward(self, x):\n        return -x\n"
        "net = Net()\n"
        "parametrize.register_parametrization(net, 'w', Neg())\n"
        "print(net(torch.ones(2)), net._seen, net.note, type(net).__name__)\n")
    assert out == "tensor([-1., -1.], grad_fn=<MulBackward0>) 1 ran ParametrizedNet\n"


# ----- lazy modules -----------------------------------------------------------------------
def test_lazy_parameters_materialize_in_place_for_an_optimizer_made_before():
    m = nn.LazyLinear(3)
    params = list(m.parameters())
    opt = torch.optim.SGD(m.parameters(), lr=0.5)
    m(torch.ones(4, 2)).sum().backward()
    assert type(m).__name__ == "Linear"
    assert params[0] is m.weight and tuple(params[0].shape) == (3, 2)
    before = m.bias.detach().clone()
    opt.step()
    np.testing.assert_allclose(m.bias.detach().numpy(), before.numpy() - 0.5 * 4, rtol=1e-6)


def test_uninitialized_tensors_refuse_use_with_pytorchs_errors():
    w = nn.parameter.UninitializedParameter()
    with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter in "
                                         "<method 'mul' of 'torch._C.TensorBase' objects>"):
        w._data * 2
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized"):
        w.shape
    assert repr(w) == "<UninitializedParameter>"
    assert repr(nn.parameter.UninitializedBuffer()) == "<UninitializedBuffer>"
    assert isinstance(w, nn.parameter.UninitializedParameter)
    assert isinstance(w, nn.Parameter)
    assert not isinstance(w, nn.parameter.UninitializedBuffer)


def test_the_parametrize_functions_read_a_non_module_as_pytorchs():
    # PyTorch 2.13 (found by the API fuzzer, seed 17): a tensor has no parametrizations
    import gradsh as torch
    from gradsh.nn.utils import parametrize as P
    t = torch.ones(2)
    assert P.is_parametrized(t) is False and P.is_parametrized(t, "weight") is False
    assert P.type_before_parametrizations(t) is type(t)
    assert P.transfer_parametrizations_and_params(t, t) is t
    with pytest.raises(ValueError, match=r"Module tensor\(\[1., 1.\]\) does not have a "
                                         "parametrization on weight"):
        P.remove_parametrizations(t, "weight")
