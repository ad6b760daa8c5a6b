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


# torch.return_types.X(...) called by a program is PyTorch's struct-sequence constructor (one
# sequence of n_fields items, an optional dict); PyTorch itself is the oracle of each ending
CONSTRUCTOR_CASES = [
    ("max", ((1, 2),)), ("max", ([1, 2],)), ("max", ((1, 2, 3),)), ("max", ((1,),)),
    ("max", (5,)), ("max", ((1, 2), None)), ("max", ((1, 2), {"values": 3})),
    ("linalg_svd", ((1, 2, 3),)), ("topk", ("ab",)),
    ("max", ()),
]


def _ending(module, name, args):
    try:
        r = getattr(module.return_types, name)(*args)
    except TypeError as e:
        return "TypeError", str(e)
    return repr(r), tuple(r)


@pytest.mark.parametrize("name, args", CONSTRUCTOR_CASES,
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(CONSTRUCTOR_CASES)])
def test_a_program_constructs_a_named_result_as_pytorch_does(name, args):
    real = pytest.importorskip("torch", reason="PyTorch is the oracle of the constructor")
    assert _ending(torch, name, args) == _ending(real, name, args)


def test_a_named_result_reads_a_generator_as_pytorch_does():
    real = pytest.importorskip("torch", reason="PyTorch is the oracle of the constructor")
    assert _ending(torch, "sort", ((x for x in (1, 2)),)) == \
        _ending(real, "sort", ((x for x in (1, 2)),))


def test_the_named_result_classes_are_final_as_in_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch is the oracle of the message")
    endings = []
    for module in (torch, real):
        try:
            type("R", (module.return_types.max,), {})
        except TypeError as e:
            endings.append(str(e))
    assert len(endings) == 2 and endings[0] == endings[1]


def test_a_named_result_built_from_an_endless_iterable_is_refused_within_the_limit():
    import itertools

    from gradsh.core.dtypes import TooManyItems
    with pytest.raises(TooManyItems):
        torch.return_types.sort(itertools.count())


def test_an_ops_result_survives_a_deep_copy():
    import copy
    r = torch.tensor(X).max(1)
    again = copy.deepcopy(r)
    assert type(again) is type(r) and torch.equal(again.values, r.values)
