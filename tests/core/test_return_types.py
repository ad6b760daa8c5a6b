"""torch.return_types results (max, sort, aminmax, ...) and aminmax, as PyTorch 2.13 gives them
(the expected texts and gradients were printed by PyTorch 2.13.0 on the same inputs)."""

import pytest

import gradsh as torch

X = [[3.0, 1.0, 2.0], [0.5, 4.0, 4.0]]


def test_a_named_result_prints_one_field_a_line():
    x = torch.tensor(X)
    assert repr(x.aminmax()) == ("torch.return_types.aminmax(\nmin=tensor(0.5000),\n"
                                 "max=tensor(4.))")
    assert str(x.max(dim=1)) == ("torch.return_types.max(\nvalues=tensor([3., 4.]),\n"
                                 "indices=tensor([0, 1]))")


def test_a_named_result_is_a_tuple_whose_slices_and_sums_are_plain_tuples():
    r = torch.tensor(X).max(1)
    values, indices = r
    assert r.values is values and r.indices is indices and r[1] is indices
    assert type(r[0:1]) is tuple and type(r + (1,)) is tuple
    assert (r.n_fields, r.n_sequence_fields, r.n_unnamed_fields) == (2, 2, 0)


def test_a_named_result_has_no_fields_attribute_as_in_pytorch():
    r = torch.tensor(X).topk(2)
    assert not hasattr(r, "_fields")
    with pytest.raises(AttributeError, match=r"^'torch.return_types.topk' object has no "
                                             r"attribute '_fields'$"):
        r._fields


def test_aminmax_shares_each_gradient_among_ties():
    x = torch.tensor(X, requires_grad=True)
    a = x.aminmax()
    assert type(a.min.grad_fn).__name__ == "AminmaxBackward0"
    assert a.min.grad_fn is a.max.grad_fn
    (a.min + a.max * 2).backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    x.grad = None
    a = x.aminmax(dim=1, keepdim=True)
    assert a.min.shape == (2, 1)
    (a.min + a.max * 2).sum().backward()
    assert x.grad.tolist() == [[2.0, 1.0, 0.0], [1.0, 1.0, 1.0]]


def test_aminmax_refuses_an_empty_reduction_with_pytorchs_errors():
    with pytest.raises(RuntimeError, match=r"^aminmax\(\): cannot compute aminmax over an empty "
                                           r"dimension as the operation has no identity\.$"):
        torch.aminmax(torch.tensor([]))
    with pytest.raises(IndexError, match="^aminmax: Expected reduction dim 1 to have non-zero "
                                         "size.$"):
        torch.aminmax(torch.zeros(2, 0), dim=1)
