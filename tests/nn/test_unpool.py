"""F.max_unpool1d/2d/3d and nn.MaxUnpool1d/2d/3d against PyTorch 2.13 (values, nodes and
gradients of the registry's samples are in the op sweep; layouts in the strides sweep). The
expected texts below were printed by PyTorch 2.13."""

import io

import pytest

import gradsh as torch
import gradsh.nn.functional as F
from gradsh.lang import Session


def _pooled2d():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    out, idx = F.max_pool2d(x, 2, return_indices=True)
    return out.requires_grad_(), idx


def test_unpool_puts_the_maxima_back_and_its_gradient_gathers_them():
    x = torch.tensor([[[1.0, 5.0, 2.0, 8.0, 3.0, 4.0]]])
    out, idx = F.max_pool1d(x, 2, return_indices=True)
    out.requires_grad_()
    u = F.max_unpool1d(out, idx, 2)
    assert u.tolist() == [[[0.0, 5.0, 0.0, 8.0, 0.0, 4.0]]]
    assert u.grad_fn.name() == "SqueezeBackward1"  # 1d goes through 2d, as F does
    assert u.grad_fn.next_functions[0][0].name() == "MaxUnpool2DBackward0"
    u.backward(torch.arange(6.0).reshape(1, 1, 6))
    assert out.grad.tolist() == [[[1.0, 3.0, 5.0]]]


def test_the_gradient_of_an_unpool_records_no_graph():
    x = torch.arange(8.0).reshape(1, 1, 2, 2, 2)
    out, idx = F.max_pool3d(x, 2, return_indices=True)
    out.requires_grad_()
    u = F.max_unpool3d(out, idx, 2)
    assert u.grad_fn.name() == "MaxUnpool3DBackward0"
    g, = torch.autograd.grad(u.sum(), out, create_graph=True)
    assert g.grad_fn is None and not g.requires_grad


def test_saved_indices_are_freed_by_backward():
    out, idx = _pooled2d()
    u = F.max_unpool2d(out, idx, 2)
    assert torch.equal(u.grad_fn._saved_indices, idx)
    u.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        u.grad_fn._saved_indices


@pytest.mark.parametrize("change, error, message", [
    (lambda o, i: (o, i.float(), 2), RuntimeError,
     "elements in indices should be type int64 but got: Float"),
    (lambda o, i: (o, i * 0 + 99, 2), RuntimeError,
     "Found an invalid max index: 99 (output volumes are of size 4x4)"),
    (lambda o, i: (o[0, 0], i[0, 0], 2), RuntimeError,
     "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions."),
    (lambda o, i: (o, i, 2, None, [5, 5]), ValueError,
     "max_unpooling: output_size must contain non-negative spatial dimensions, but got "
     "output_size[0]=-6"),
    (lambda o, i: (o, i, 2, None, 0, [9, 9]), ValueError,
     'invalid output_size "[9, 9]" (dim 0 must be between 2 and 6)'),
    (lambda o, i: (o, i, 2, None, 0, [9]), ValueError,
     "output_size should be a sequence containing 2 or 4 elements, but it has a length of '1'"),
    (lambda o, i: (o, i[..., :1], 2), RuntimeError,
     "Expected shape of indices to be same as that of the input tensor ([1, 1, 2, 2]) but got "
     "indices tensor with shape: [1, 1, 2, 1]"),
])
def test_pytorchs_errors(change, error, message):
    with pytest.raises(error) as e:
        F.max_unpool2d(*change(*_pooled2d()))
    assert str(e.value) == message


def test_modules_keep_their_sizes_as_tuples_and_take_output_size():
    assert repr(torch.nn.MaxUnpool2d(2, stride=2)) == \
        "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
    assert repr(torch.nn.MaxUnpool1d(3)) == \
        "MaxUnpool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert repr(torch.nn.MaxUnpool3d(2, 1, (0, 1, 0))) == \
        "MaxUnpool3d(kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=(0, 1, 0))"
    out, idx = _pooled2d()
    assert torch.nn.MaxUnpool2d(2)(out, idx, output_size=[5, 5]).shape == (1, 1, 5, 5)


def test_a_program_unpools():
    stream = io.StringIO()
    Session(stdout=stream, stderr=io.StringIO()).run(
        "import torch\nimport torch.nn as nn\n"
        "pool = nn.MaxPool2d(2, return_indices=True)\nunpool = nn.MaxUnpool2d(2)\n"
        "x = torch.arange(16.0).reshape(1, 1, 4, 4)\n"
        "out, idx = pool(x)\nprint(unpool(out, idx))\n", "t.grad")
    assert stream.getvalue() == ("tensor([[[[ 0.,  0.,  0.,  0.],\n"
                                 "          [ 0.,  5.,  0.,  7.],\n"
                                 "          [ 0.,  0.,  0.,  0.],\n"
                                 "          [ 0., 13.,  0., 15.]]]])\n")
