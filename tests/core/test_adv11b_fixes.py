"""Fixes found by the adversarial tensor programs of branch adv11b
(tests/data/learner_programs/adv11b_*.grad): one test per class of difference, swept over its
family and compared with PyTorch 2.13 run on the same scenario (skipped without it)."""

import pytest

from differential import assert_same_as_torch

pytest.importorskip("torch", reason="PyTorch is the oracle of these differential tests")

# ----- keepdim=True over every dim keeps each dim as 1 --------------------------------------------
# (dim=None, and for std/var an empty dim list, reduce every dim; keepdim keeps them all)
WHOLE = ["sum", "mean", "nansum", "nanmean", "std", "var", "any", "all"]


@pytest.mark.parametrize("name", WHOLE)
@pytest.mark.parametrize("dim", [None, (), []])
@pytest.mark.parametrize("shape", [(2, 3, 4), (5,), ()])
def test_keepdim_over_every_dim_keeps_each_dim_as_one(name, dim, shape):
    def scenario(torch):
        x = torch.arange(1., 1. + (2 * 3 * 4 if shape else 1)).reshape(shape)
        x = x if name in ("any", "all") else x.requires_grad_()
        out = getattr(x, name)(dim=dim, keepdim=True)
        if out.requires_grad:
            out.sum().backward()
        return out, x.grad
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("dim", [None, ()])
def test_var_mean_std_mean_keep_every_dim(name, dim):
    def scenario(torch):
        x = torch.arange(6., dtype=torch.float64).reshape(2, 3).requires_grad_()
        a, b = getattr(torch, name)(x, dim, keepdim=True)
        (a.sum() + b.sum()).backward()
        return a, b, x.grad
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("name", ["any", "all"])
@pytest.mark.parametrize("dim", [(), []])
@pytest.mark.parametrize("dtype", ["float32", "uint8", "bool"])
def test_any_all_over_no_dims_reduce_nothing(name, dim, dtype):
    def scenario(torch):
        x = torch.tensor([[0., 2.], [-0., float("nan")]]).to(getattr(torch, dtype))
        return getattr(x, name)(dim), getattr(torch, name)(x, dim=dim, keepdim=True)
    assert_same_as_torch(scenario)


# ----- keepdim without dim: PyTorch's signatures take keepdim only after a dim ----------------------
@pytest.mark.parametrize("call", [
    lambda torch, x: x.sum(keepdim=True), lambda torch, x: torch.mean(x, keepdim=True),
    lambda torch, x: x.prod(keepdim=True), lambda torch, x: torch.max(x, keepdim=True),
    lambda torch, x: x.min(keepdim=True), lambda torch, x: x.median(keepdim=True),
    lambda torch, x: torch.nanmedian(x, keepdim=True)])
def test_keepdim_without_dim_is_pytorchs_type_error(call):
    assert_same_as_torch(lambda torch: call(torch, torch.ones(2, 3)))


# ----- searchsorted(sorter=): the boundaries taken in sorter's order, with PyTorch's checks -------
@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_reads_boundaries_through_sorter(right):
    def scenario(torch):
        rows = torch.tensor([[3., 1., 2., 2.], [0., 9., 4., -1.]])
        values = torch.tensor([[2., 0.5, 3., 9.], [4., 10., -1., 0.]])
        return (torch.searchsorted(rows, values, sorter=rows.argsort(stable=True), right=right),
                torch.searchsorted(rows[0], 2, sorter=rows[0].argsort(), right=right))
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("sorter", [[1, 2], [1, 2, 3], [-1, 0, 1], "int32", "float"])
def test_searchsorted_refuses_bad_sorters_in_pytorchs_words(sorter):
    def scenario(torch):
        s = {"int32": torch.tensor([1, 2, 0], dtype=torch.int32),
             "float": torch.tensor([1., 2., 0.])}.get(sorter) if isinstance(sorter, str) else \
            torch.tensor(sorter)
        return torch.searchsorted(torch.tensor([3., 1., 2.]), torch.tensor([2.5]), sorter=s)
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("side,right", [("middle", False), ("left", True), ("right", False)])
def test_searchsorted_side_checks(side, right):
    assert_same_as_torch(lambda torch: torch.searchsorted(
        torch.tensor([1., 2.]), torch.tensor([1.]), side=side, right=right))


@pytest.mark.parametrize("boundaries,values", [
    ([[1., 2.]], [[1.], [2.]]), ([[1., 2.], [3., 4.]], [[[1.]]]), ([[1., 2.]], 1.5),
    (1., [1.]), ([1., 2.], [[1., 2.], [0., 3.]]), ([[1., 2.], [3., 4.]], [[1.5, 2., 3.], [3.5, 5., 1.]]),
    ("empty rows", [[1.], [2.]])])
def test_searchsorted_checks_the_leading_dims(boundaries, values):
    def scenario(torch):
        b = torch.zeros(2, 0) if boundaries == "empty rows" else torch.tensor(boundaries)
        return torch.searchsorted(b, torch.tensor(values))
    assert_same_as_torch(scenario)


# ----- bfloat16 with a complex number is complex64 (only float16's counterpart is complex32) -----
@pytest.mark.parametrize("other", ["1j", "2 + 1j", "0-d", "0-d complex128", "[1j]"])
@pytest.mark.parametrize("op", ["add", "mul", "rsub", "truediv", "pow", "where", "eq"])
def test_bfloat16_with_complex_is_complex64(other, op):
    def scenario(torch):
        x = torch.tensor([1.5, -2.], dtype=torch.bfloat16)
        o = {"1j": 1j, "2 + 1j": 2 + 1j, "0-d": torch.tensor(1j), "[1j]": torch.tensor([1j]),
             "0-d complex128": torch.tensor(1j, dtype=torch.complex128)}[other]
        if op == "where":
            return torch.where(torch.tensor([True, False]), x, o)
        if op == "rsub":
            return o - x
        return getattr(x, {"truediv": "div"}.get(op, op))(o)
    assert_same_as_torch(scenario)
