"""torch.set_default_dtype: what it changes, as in PyTorch 2.13 (the expected texts were printed
by PyTorch 2.13.0; the live test compares a list of expressions with PyTorch when installed)."""

import io

import pytest

import gradsh
import gradsh.nn as nn
from gradsh.lang import Session

# expressions whose text depends on the default dtype
EXPRESSIONS = [
    "torch.tensor([1., 2.])", "torch.tensor([1., 2.]).float()", "torch.tensor([1, 2]) / 2",
    "torch.tensor([1, 2]) * 1.5", "torch.tensor([1, 2]).exp()", "torch.zeros(2, dtype=torch.float32) + 1.5",
    "torch.Tensor([1, 2]).dtype", "torch.full((2,), 1.5).dtype", "torch.linspace(0, 1, 3)",
    "torch.arange(0, 1, 0.25)", "torch.tensor([1.5], dtype=torch.float32)", "torch.empty(0)",
    "torch.empty(0, dtype=torch.float32)", "torch.tensor(True) + 0.5", "torch.scalar_tensor(2.5)",
    "torch.tensor([1, 2]).sqrt()", "torch.tensor([1, 2]).clamp(0.5, 1.5)", "torch.logspace(0, 2, 3)",
    "torch.atan2(torch.tensor([1]), torch.tensor([2]))", "torch.tensor([[1, 2.5]])",
    "torch.tensor(1 / 3).item()", "torch.finfo().eps", "torch.get_default_dtype()",
    "torch.ones(2, dtype=torch.float32).requires_grad_()", "torch.rand(3)", "torch.randn(3)",
]


@pytest.fixture
def float64_default():
    gradsh.set_default_dtype(gradsh.float64)
    yield
    gradsh.set_default_dtype(gradsh.float32)


def test_python_floats_and_float_factories_take_the_default_dtype(float64_default):
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    assert str(x) == "tensor([1., 2.], requires_grad=True)" and x.dtype is gradsh.float64
    assert gradsh.tensor(1 / 3).item() == 0.3333333333333333
    assert (gradsh.ones(2).dtype, gradsh.arange(3.0).dtype, gradsh.tensor(1).dtype) == \
        (gradsh.float64, gradsh.float64, gradsh.int64)
    assert (gradsh.tensor([1, 2]) / 2).dtype is gradsh.float64
    assert (gradsh.zeros(2, dtype=gradsh.float32) + 1.5).dtype is gradsh.float32
    assert nn.Linear(2, 2).weight.dtype is gradsh.float64


def test_the_other_float_dtype_prints_its_suffix(float64_default):
    assert str(gradsh.tensor([1.5]).float()) == "tensor([1.5000], dtype=torch.float32)"
    assert str(gradsh.tensor([1.5])) == "tensor([1.5000])"


def test_only_a_floating_point_dtype_can_be_the_default():
    with pytest.raises(TypeError, match="^only floating-point types are supported as the "
                                        "default type$"):
        gradsh.set_default_dtype(gradsh.int64)
    assert gradsh.get_default_dtype() is gradsh.float32


def test_a_new_session_starts_with_float32(float64_default):
    out = io.StringIO()
    Session(stdout=out).run("print(torch.get_default_dtype(), torch.tensor(1 / 3).item())")
    assert out.getvalue() == "torch.float32 0.3333333432674408\n"


@pytest.mark.parametrize("default", ["float64", "float16"])
def test_every_expression_prints_what_pytorch_prints(default):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: the oracle is needed")
    exprs = [e for e in EXPRESSIONS if default != "float16" or "rand" not in e]

    def texts(lib):
        lib.set_default_dtype(getattr(lib, default))
        lib.manual_seed(0)
        try:
            return [str(eval(e, {"torch": lib})) for e in exprs]
        finally:
            lib.set_default_dtype(lib.float32)

    assert texts(gradsh) == texts(torch)
