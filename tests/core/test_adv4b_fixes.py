"""Fixes found by the adversarial tensor programs of branch adv4b (tests/data/learner_programs/
adv4b_*.grad, issue 15): one test per class of difference. Expected values are PyTorch 2.13's
(quoted here, as PyTorch printed them) or mathematics; the last test runs every case against
PyTorch itself when it is installed."""

import numpy as np
import pytest

import gradsh as torch


def _outcome(torch_module, source):
    """What `source` gives: the repr of its value (or of `r` after statements), or the
    exception's class and message."""
    ns = {"torch": torch_module, "nan": float("nan")}
    try:
        if "\n" in source or source.startswith("r ="):
            exec(source, ns)
            return repr(ns["r"])
        return repr(eval(source, ns))
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return "%s: %s" % (type(e).__name__, e)


# (source, what PyTorch 2.13 gave)
CASES = [
    # index tensors: int8/int16 refused; index tensors that do not broadcast, in PyTorch's words
    ("torch.zeros(3)[torch.tensor([1], dtype=torch.int8)]",
     "IndexError: tensors used as indices must be long, int, byte or bool tensors"),
    ("torch.zeros(3, 4)[[0, 1], [0, 1, 2]]",
     "IndexError: shape mismatch: indexing tensors could not be broadcast together with "
     "shapes [2], [3]"),
    ("r = torch.zeros(3, 4)\nr[[0, 1], [0, 1, 2]] = 1.0",
     "IndexError: shape mismatch: indexing tensors could not be broadcast together with "
     "shapes [2], [3]"),
    ("torch.zeros(3, 4, 5)[torch.tensor([[True, False, True, False]]).expand(3, 4), [0, 1]]",
     "IndexError: shape mismatch: indexing tensors could not be broadcast together with "
     "shapes [6], [6], [2]"),
    ("torch.zeros(2).index_put((torch.tensor([0]), torch.tensor([0])), torch.tensor(1.))",
     "IndexError: too many indices for tensor of dimension 1 (got 2)"),
    ("r = torch.tensor(1.0)\nr[[0]] = 2.0", "IndexError: too many indices for tensor of dimension 0"),
    # setitem: a value's leading 1s are dropped also when the rest already matches
    ("r = torch.zeros(2, 2)\nr[0] = torch.ones(1, 1, 2)", "tensor([[1., 1.],\n        [0., 0.]])"),
    ("r = torch.zeros(3)\nr[:] = torch.tensor([[7.0, 8.0, 9.0]])", "tensor([7., 8., 9.])"),
    ("r = torch.tensor(1.0)\nr[0] = 2.0",
     "IndexError: invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
     "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"),
    # the index dtype of index_add, index_fill, take_along_dim
    ("torch.zeros(3, 4).index_add(0, torch.tensor([0.0]), torch.ones(1, 4))",
     "RuntimeError: index_add_(): Expected dtype int32/int64 for index but got: Float"),
    ("torch.zeros(3, 4).index_fill(0, torch.tensor([0], dtype=torch.int32), 1.0)",
     "IndexError: index_fill_(): Expected dtype int64 for index."),
    ("torch.zeros(3, 4).take_along_dim(torch.tensor([[0]], dtype=torch.int32), 0)",
     "RuntimeError: torch.take_along_dim(): dtype of indices should be Long but got Int"),
    # empty tensors in the sorting ops
    ("torch.zeros(0).sort(descending=True).indices", "tensor([], dtype=torch.int64)"),
    ("torch.zeros(3, 0).topk(0).values", "tensor([], size=(3, 0))"),
    ("torch.zeros(0).kthvalue(1)",
     "IndexError: kthvalue(): Expected reduction dim 0 to have non-zero size."),
    # chunk of an empty dim, movedim's refusals, repeat_interleave(repeats)
    ("torch.zeros(0).chunk(3)", "(tensor([]), tensor([]), tensor([]))"),
    ("torch.zeros(3, 4, 5).movedim((0, -3), (1, 2))",
     "RuntimeError: movedim: repeated dim in `source` ([0, -3])"),
    ("torch.zeros(3, 4, 5).movedim((0, 1), (1,))",
     "RuntimeError: movedim: Invalid source or destination dims: source ([0, 1] dims) should "
     "contain the same number of dims as destination ([1] dims)"),
    ("torch.repeat_interleave(torch.tensor([2, 1]))", "tensor([0, 0, 1])"),
    ("torch.repeat_interleave(torch.tensor([2, 1], dtype=torch.int32))",
     "tensor([0, 0, 1], dtype=torch.int32)"),
    ("torch.repeat_interleave(torch.tensor([2.0]))",
     "NotImplementedError: \"repeat_interleave_cpu\" not implemented for 'Float'"),
    ("torch.tensor([1, 2]).repeat_interleave(2, output_size=3)",
     "RuntimeError: repeat_interleave: Invalid output_size, expected 4 but got 3"),
    # complex to bool: either part nonzero
    ("torch.tensor([0j, 1j, 1 + 0j]).bool()", "tensor([False,  True,  True])"),
    ("r = torch.zeros(2, dtype=torch.bool)\nr[0] = 1j", "tensor([ True, False])"),
    # clamp with min > max: max everywhere but nan
    ("torch.tensor([-2.0, nan, 0.5]).clamp(2, 1)", "tensor([1., nan, 1.])"),
    # dot and vdot of complex vectors; vdot's own node
    ("torch.vdot(torch.tensor([1 + 2j]), torch.tensor([3 - 1j]))", "tensor(1.-7.j)"),
    ("torch.dot(torch.tensor([1 + 2j]), torch.tensor([3 - 1j]))", "tensor(5.+5.j)"),
    ("torch.vdot(torch.tensor([1., 2.], requires_grad=True), torch.tensor([3., 4.]))",
     "tensor(11., grad_fn=<VdotBackward0>)"),
    # fmax/fmin: self on ties, complex refused
    ("torch.fmax(torch.tensor([-0.0] * 20), torch.zeros(20))[16:]",
     "tensor([-0., -0., -0., -0.])"),
    ("torch.fmin(torch.tensor([0.0] * 20), -torch.zeros(20))[:2]", "tensor([0., 0.])"),
    ("torch.fmax(torch.tensor([1 + 1j]), torch.tensor([1j]))",
     "RuntimeError: fmax not implemented for complex tensors."),
    ("torch.fmod(torch.tensor([1 + 1j]), 2)",
     "NotImplementedError: \"fmod_cpu\" not implemented for 'ComplexFloat'"),
    # random draws into integer dtypes
    ("torch.rand(2, dtype=torch.int64)",
     "NotImplementedError: \"check_uniform_bounds\" not implemented for 'Long'"),
    ("torch.zeros(2, dtype=torch.uint8).normal_()",
     "NotImplementedError: \"normal_kernel_cpu\" not implemented for 'Byte'"),
    ("torch.zeros(2, dtype=torch.int32).exponential_()",
     "RuntimeError: Exponential distribution is a continuous probability distribution. dtype "
     "must be a floating point but you specified Int"),
    ("torch.zeros(2, dtype=torch.int64).normal_(0, -1)",
     "RuntimeError: normal expects std >= 0.0, but found std -1"),
    # float16 / bfloat16 with a number
    ("torch.arange(5, dtype=torch.float16) * 0.3",
     "tensor([0.0000, 0.3000, 0.6001, 0.8999, 1.2002], dtype=torch.float16)"),
    ("torch.arange(3, dtype=torch.float16) / 0.3",
     "tensor([0.0000, 3.3340, 6.6680], dtype=torch.float16)"),
    ("(torch.arange(40, dtype=torch.bfloat16) / 7 + 0.3)[9:12]",
     "tensor([1.5938, 1.7344, 1.8750], dtype=torch.bfloat16)"),
    ("(0.3 - torch.arange(40, dtype=torch.bfloat16) / 7)[1:4]",
     "tensor([ 0.1582,  0.0156, -0.1270], dtype=torch.bfloat16)"),
    ("(torch.arange(40, dtype=torch.bfloat16) / 7 % 0.3)[9:12]",
     "tensor([0.0859, 0.2266, 0.0664], dtype=torch.bfloat16)"),
    ("(0.3 ** (torch.arange(4, dtype=torch.bfloat16) / 7))",
     "tensor([1.0000, 0.8438, 0.7109, 0.5977], dtype=torch.bfloat16)"),
    ("torch.arange(3, dtype=torch.complex64)",
     "NotImplementedError: \"arange_cpu\" not implemented for 'ComplexFloat'"),
    ("torch.arange(-1, dtype=torch.bool)",
     "NotImplementedError: \"arange_cpu\" not implemented for 'Bool'"),
    # half-precision gradients: scalar products and the sigmoid/tanh kernels
    ("r = (torch.arange(1, 41, dtype=torch.float16) / 7).requires_grad_()\n"
     "y = r.sigmoid()\ny.backward(torch.arange(40, dtype=torch.float16) / 3)\nr = r.grad[20:23]",
     "tensor([0.3010, 0.2786, 0.2554], dtype=torch.float16)"),
    ("r = (torch.arange(1, 41, dtype=torch.bfloat16) / 7).requires_grad_()\n"
     "y = r.tanh()\ny.backward(torch.arange(40, dtype=torch.bfloat16) / 3)\nr = r.grad[20:23]",
     "tensor([0.0520, 0.0547, 0.0574], dtype=torch.bfloat16)"),
    ("r = (torch.arange(1, 41, dtype=torch.float16) / 7).requires_grad_()\n"
     "(r / 0.3).sum().backward()\nr = r.grad[:2]", "tensor([3.3340, 3.3340], dtype=torch.float16)"),
    ("r = (torch.arange(1, 41, dtype=torch.float16) / 7).requires_grad_()\n"
     "(r ** 0.3).sum().backward()\nr = r.grad[:3]",
     "tensor([1.1719, 0.7212, 0.5430], dtype=torch.float16)"),
    ("torch.ones(2, dtype=torch.float16).add_(1j)",
     "RuntimeError: result type ComplexHalf can't be cast to the desired output type Half"),
    # view(dtype)
    ("torch.tensor([1.0, -2.0]).view(torch.int32)",
     "tensor([ 1065353216, -1073741824], dtype=torch.int32)"),
    ("torch.tensor([1, 2], dtype=torch.int16).view(torch.float16)",
     "tensor([5.9605e-08, 1.1921e-07], dtype=torch.float16)"),
    ("torch.arange(6.).reshape(2, 3)[:, 1:].view(torch.float64)",
     "RuntimeError: self.storage_offset() must be divisible by 2 to view Float as Double "
     "(different element sizes), but got 1"),
    ("torch.arange(6.).reshape(2, 3).t().view(torch.float16)",
     "RuntimeError: self.stride(-1) must be 1 to view Float as Half (different element sizes), "
     "but got 3"),
    ("torch.tensor(1.0).view(torch.uint8)",
     "RuntimeError: self.dim() cannot be 0 to view Float as Byte (different element sizes)"),
    # is_set_to
    ("r = torch.zeros(2, 3)\nr = (r.is_set_to(r.view(2, 3)), r.is_set_to(r.view(6)), "
     "r.is_set_to(r.clone()))", "(True, False, False)"),
]


@pytest.mark.parametrize("source, theirs", CASES, ids=[c[0][:60] for c in CASES])
def test_does_what_pytorch_does(source, theirs):
    assert _outcome(torch, source) == theirs


@pytest.mark.parametrize("source, theirs", CASES, ids=[c[0][:60] for c in CASES])
def test_the_quoted_facts_are_pytorchs(source, theirs):
    real = pytest.importorskip("torch", reason="the facts are checked against PyTorch itself")
    assert _outcome(real, source) == theirs


def test_view_as_dtype_shares_memory_and_version():
    x = torch.tensor([1.0, -2.0])
    v = x.view(torch.int32)
    v[0] = 0
    assert x.tolist() == [0.0, -2.0] and x._version == v._version == 1


def test_half_product_rounds_once_from_float32():
    x = torch.arange(40, dtype=torch.float16) / 7
    want = (x._data.astype(np.float32) * np.float32(0.3)).astype(np.float16)
    assert np.array_equal((x * 0.3)._data, want)
