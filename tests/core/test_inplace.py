"""In-place ops, views and version counters, as PyTorch has them: the refusals, the version
errors at backward, the history an in-place op gives a view's base (CopySlices) and its views
(AsStridedBackward0), item assignment, and the SGD step under no_grad."""

import numpy as np
import pytest

import gradsh
from differential import assert_same_as_torch, oracle_case

# ----- errors.json's in-place cases, exact type and message ------------------------------------
ORACLE_CASES = [
    "in-place op on leaf that requires grad",
    "in-place op on leaf via indexing assignment",
    "in-place on leaf under no_grad (allowed)",
    "in-place modification of a saved tensor then backward (exp saves result)",
    "in-place modification of saved input then backward (mul saves inputs)",
    "in-place modification on non-saved tensor then backward (add does not save) -> ok",
    "in-place on view of leaf requiring grad",
    "in-place on view created in no_grad then modified with grad",
    "dtype mismatch in in-place (float into long)",
    "x.data.add_ on a leaf after using it in (x*2) (no error: mul by constant saves no tensor)",
    "modify .data of saved tensor (no error, silently wrong)",
    "in-place op that would broadcast self",
    "inplace relu_ on leaf requiring grad",
    "resize_ on a leaf that requires grad",
    "in-place on a leaf after it was used, in no_grad, then backward (version counter)",
    "detach_ on a view",
    "anomaly detection: in-place error includes forward trace hint",
    "x.grad.zero_() when grad is None",
]


@pytest.mark.parametrize("title", ORACLE_CASES)
def test_inplace_misuse_behaves_as_recorded_from_pytorch(title):
    oracle_case(title)


# ----- version counters -----------------------------------------------------------------------
def test_every_inplace_op_bumps_the_version_shared_by_views_and_detach():
    x = gradsh.zeros(2, 3)
    v, d, data = x[0], x.detach(), x.data
    x.add_(1)
    v.mul_(2)
    d[1, 1] = 5.0
    assert x._version == v._version == d._version == 3
    assert data._version == 0  # .data has its own counter, as in PyTorch
    assert x.tolist() == [[2.0, 2.0, 2.0], [1.0, 5.0, 1.0]]


def test_version_error_names_the_current_grad_fn_of_a_saved_view():
    def scenario(torch):
        x = torch.ones(2, 2, requires_grad=True)
        a = x * 1
        b = a[0]
        c = b * b
        a.mul_(2)
        c.sum().backward()
    assert_same_as_torch(scenario)


def test_saved_output_of_an_inplace_op_is_self_so_a_later_write_is_caught():
    def scenario(torch):
        x = torch.ones(2, requires_grad=True)
        y = x.clone()
        y.exp_()
        y.add_(1)  # exp_ saved its result: y itself, at version 1
        y.sum().backward()
    assert_same_as_torch(scenario)


def test_saving_a_base_and_writing_its_view_names_copyslices():
    def scenario(torch):
        x = torch.ones(2, requires_grad=True)
        a = x * 1
        c = a * a
        a.view(2).mul_(2)
        c.sum().backward()
    assert_same_as_torch(scenario)


# ----- in-place ops on non-leaves: history and gradients --------------------------------------
@pytest.mark.parametrize("expr,name", [
    ("x.clone().add_(1)", "AddBackward0"), ("x.clone().mul_(2)", "MulBackward0"),
    ("x.clone().zero_()", "ZeroBackward0"), ("x.clone().fill_(1.)", "FillBackward2"),
    ("x.clone().clamp_(0,1)", "ClampBackward1"), ("x.clone().exp_()", "ExpBackward0"),
    ("x.clone().copy_(y)", "CopyBackwards"), ("x.clone().__setitem__(0, 1.)", None),
])
def test_inplace_op_gives_its_node_name_as_pytorch(expr, name):
    x = gradsh.ones(2, 2, requires_grad=True)
    y = gradsh.ones(2, 2, requires_grad=True)
    r = eval(expr)
    if name is None:  # __setitem__ returns None; the name is on the tensor written
        c = x.clone()
        c[0] = 1.0
        r, name = c, "CopySlices"
    assert type(r.grad_fn).__name__ == name


@pytest.mark.parametrize("op", ["add_", "sub_", "mul_", "div_", "pow_", "clamp_", "copy_",
                                "iadd", "isub", "imul", "itruediv"])
def test_inplace_arithmetic_gradients_match_pytorch(op):
    def scenario(torch):
        a = torch.tensor([0.5, 1.5, -2.0], requires_grad=True)
        w = torch.tensor([2.0, -1.0, 3.0], requires_grad=True)
        b = a * 1
        if op == "pow_":
            b.pow_(2)
        elif op == "clamp_":
            b.clamp_(-1.0, 1.0)
        elif op == "copy_":
            b.copy_(w * 3)
        elif op.startswith("i"):
            ops = {"iadd": "__iadd__", "isub": "__isub__", "imul": "__imul__",
                   "itruediv": "__itruediv__"}
            b = getattr(b, ops[op])(w)
        else:
            getattr(b, op)(w)
        (b * b).sum().backward()
        return b, a.grad, w.grad
    assert_same_as_torch(scenario)


def test_inplace_on_a_tensor_that_needs_no_grad_with_a_grad_requiring_value_gains_history():
    w = gradsh.tensor([1.0, 2.0], requires_grad=True)
    b = gradsh.zeros(2)
    b.add_(w * 3)
    assert not b.is_leaf and type(b.grad_fn).__name__ == "AddBackward0"
    b.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


# ----- views and their base --------------------------------------------------------------------
def test_inplace_on_a_view_rebases_the_base_so_its_gradient_is_right():
    a = gradsh.ones(2, 2, requires_grad=True)
    b = a * 1
    v = b[0]
    v.mul_(2)
    assert b.tolist() == [[2.0, 2.0], [1.0, 1.0]]
    assert type(b.grad_fn).__name__ == "CopySlices"
    assert b.grad_fn.name() == "torch::autograd::CopySlices"
    assert type(v.grad_fn).__name__ == "AsStridedBackward0"
    assert [type(n).__name__ if n else None for n, _ in b.grad_fn.next_functions] == \
        ["MulBackward0", None]
    b.sum().backward()
    assert a.grad.tolist() == [[2.0, 2.0], [1.0, 1.0]]


def test_other_views_of_a_modified_base_see_the_new_history():
    a = gradsh.ones(2, 2, requires_grad=True)
    x = a * 1
    u = x[:, 0]  # overlaps the row written below
    x[0].mul_(2)
    assert u.tolist() == [2.0, 1.0] and type(u.grad_fn).__name__ == "AsStridedBackward0"
    (u * gradsh.tensor([1.0, 10.0])).sum().backward()
    assert a.grad.tolist() == [[2.0, 0.0], [10.0, 0.0]]


def test_inplace_on_the_base_regenerates_its_views():
    def scenario(torch):
        a = torch.ones(2, 3, requires_grad=True)
        x = a * 2
        v, t = x[1:], x.t()
        x.add_(torch.arange(6.0).view(2, 3))
        (v.sum() * 3 + (t * t).sum()).backward()
        return v, t, a.grad
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("view", ["x[1]", "x[:, 1:]", "x.t()", "x.view(6)", "x.reshape(3, 2)",
                                  "x.unsqueeze(0)", "x[None, 1]", "x.transpose(0, 1)[1:]",
                                  "x.narrow(1, 1, 2)", "x.split(1)[1]", "x.unbind(1)[2]",
                                  "x.permute(1, 0)[2]", "x[1][::2]", "x.squeeze()",
                                  "x.movedim(0, 1)", "x.diagonal()", "x.diagonal(1)",
                                  "x.expand(2, 2, 3)[1]"])
def test_inplace_through_any_view_gives_pytorchs_values_gradients_and_names(view):
    def scenario(torch):
        a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        w = torch.tensor(1.5, requires_grad=True)
        x = a * 1
        v = eval(view)
        v.mul_(w)
        v.add_(1)
        loss = (x * torch.arange(6.0).view(2, 3)).sum() + (v * v).sum()
        loss.backward()
        return x, v, a.grad, w.grad, type(x.grad_fn).__name__
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("views", ["x.split(2)", "x.split([1, 3])", "x.chunk(2)", "x.unbind(0)"])
def test_views_returned_together_refuse_inplace_as_pytorch(views):
    def write_one(torch):
        x = torch.ones(4, requires_grad=True) * 1
        outs = eval(views)
        outs[1].add_(1)

    def write_base_then_use(torch):
        x = torch.ones(4, requires_grad=True) * 1
        outs = eval(views)
        x.mul_(2)
        return outs[0].grad_fn

    def write_a_view_of_one(torch):
        x = torch.ones(4, requires_grad=True) * 1
        outs = eval(views)
        outs[1].view(-1)[:1].add_(1)

    def write_base_twice(torch):
        x = torch.ones(4, requires_grad=True) * 1
        outs = eval(views)
        x.mul_(2)
        x.add_(1)
        outs[0].sum().backward()

    def without_grad(torch):
        x = torch.ones(4)
        outs = eval(views)
        outs[1].add_(1)
        with torch.no_grad():
            y = torch.ones(4, requires_grad=True) * 1
            eval(views.replace("x", "y"))[1].add_(1)
        return x, y
    for scenario in (write_one, write_base_then_use, write_a_view_of_one, write_base_twice,
                     without_grad):
        assert_same_as_torch(scenario)


def test_view_of_a_view_modified_in_place_rebases_the_root():
    def scenario(torch):
        a = torch.ones(2, 3, requires_grad=True)
        x = a * 1
        v = x[1]
        vv = v[1:]
        vv.add_(torch.tensor([5.0, 7.0]))
        assert vv._base is x and v._base is x
        (x * x).sum().backward()
        return x, v, vv, a.grad
    assert_same_as_torch(scenario)


def test_writing_an_expanded_view_is_refused():
    def scenario(torch):
        x = torch.ones(2, 1).expand(2, 3)
        x.add_(1)
    assert_same_as_torch(scenario)


def test_a_non_overlapping_view_of_an_expanded_view_may_be_written():
    def scenario(torch):
        a = torch.tensor([[1.0, 2.0]], requires_grad=True)
        w = torch.tensor([3.0, 4.0], requires_grad=True)
        x = a * 1
        e = x.expand(3, 2)
        e[1] = w  # writes x's only row, seen through every row of e
        (e * torch.arange(6.0).view(3, 2)).sum().backward()
        return x, e, a.grad, w.grad
    assert_same_as_torch(scenario)


def test_second_derivatives_flow_through_copyslices():
    def f(x):
        y = x * 1
        y[0].mul_(x[1])
        y[1:].add_(y[:1].exp())
        return y
    x = gradsh.tensor([[0.3, -0.2], [0.5, 0.1], [0.2, 0.4]], dtype=gradsh.float64,
                      requires_grad=True)
    assert gradsh.autograd.gradcheck(f, (x,))
    assert gradsh.autograd.gradgradcheck(f, (x,))


# ----- views made in no_grad mode --------------------------------------------------------------
def test_a_view_made_in_no_grad_requires_grad_but_has_no_history():
    def scenario(torch):
        a = torch.ones(2, 2, requires_grad=True)
        with torch.no_grad():
            v = a[0]
        r = v * 2
        return v, v.is_leaf, r, [n for n, _ in r.grad_fn.next_functions], repr(v)
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("where", ["view in no_grad", "base in no_grad", "base with grad"])
def test_a_no_grad_view_whose_base_was_modified_is_refused_when_used(where):
    def scenario(torch):
        a = torch.ones(2, 2, requires_grad=True)
        x = a * 1
        with torch.no_grad():
            v = x[0]
            if where == "view in no_grad":
                v.mul_(2)
            elif where == "base in no_grad":
                x.mul_(2)
        if where == "base with grad":
            x.mul_(2)
        return v * 2
    assert_same_as_torch(scenario)


def test_a_no_grad_view_of_a_base_without_grad_may_be_used_after_a_write():
    c = gradsh.zeros(3)
    with gradsh.no_grad():
        v = c[:2]
    c.add_(1)
    assert (v * 2).tolist() == [2.0, 2.0] and not v.requires_grad


# ----- item assignment -------------------------------------------------------------------------
@pytest.mark.parametrize("stmt", [
    "x[0] = 5.0", "x[0, 1] = 7", "x[:, 1] = w", "x[1:] = w * 2", "x[...] = 2.0", "x[:] = 3.0",
    "x[:, :] = w", "x[[0]] = 5.0", "x[x > 1.5] = 0.0", "x[[0, 1], [1, 0]] = w", "x[0] += w",
    "x[1:] *= w", "x[0] = torch.tensor(3.0)", "x[torch.tensor(1)] = w",
])
def test_item_assignment_matches_pytorch(stmt):
    def scenario(torch):
        a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        w = torch.tensor([10.0, 20.0], requires_grad=True)
        x = a * 1
        exec(stmt, {"x": x, "w": w, "torch": torch})
        (x * x).sum().backward()
        return x, a.grad, w.grad
    assert_same_as_torch(scenario)


def test_item_assignment_into_a_tensor_without_grad_records_the_value():
    def scenario(torch):
        a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        b = torch.zeros(3)
        b[0] = a[0, 0]
        b[[1, 2]] = a[1] * 3
        (b * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        return b, b.is_leaf, [n is None for n, _ in b.grad_fn.next_functions], a.grad
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("stmt", ["x[0] = torch.ones(3)", "x[[0]] = torch.ones(3)",
                                  "x[5] = 1.0", "x[[5]] = 1.0", "x[x > 0] = torch.ones(3)",
                                  "x[0] = [1.0, 2.0]", "x[0] = (1.0, 2.0)"])
def test_item_assignment_errors_match_pytorch(stmt):
    def scenario(torch):
        x = torch.ones(2, 2)
        exec(stmt, {"x": x, "torch": torch})
    assert_same_as_torch(scenario)


def test_item_assignment_on_a_leaf_names_the_leaf_or_its_view_as_pytorch():
    for stmt in ("x[0] = 1.0", "x[[0]] = 1.0", "x[...] = 1.0", "x[:] = 1.0", "x[0:2] = 1.0"):
        def scenario(torch):
            x = torch.ones(2, requires_grad=True)
            exec(stmt, {"x": x})
        assert_same_as_torch(scenario)


# ----- the SGD step ----------------------------------------------------------------------------
def test_sgd_step_under_no_grad_updates_leaves_in_place():
    w = gradsh.tensor([1.0, -2.0, 3.0], requires_grad=True)
    lr = 0.1
    for _ in range(2):
        loss = (w * w).sum()
        loss.backward()
        with gradsh.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    # w <- w - 0.1 * 2w twice: w * 0.8 ** 2
    assert np.allclose(w.detach().numpy(), np.array([1.0, -2.0, 3.0]) * 0.64)
    assert w.is_leaf and w.requires_grad and w.grad.tolist() == [0.0, 0.0, 0.0]
    assert w._version == 2


def test_sgd_step_keeps_views_of_the_parameter_consistent():
    def scenario(torch):
        w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        wt = w.t()
        (w * w).sum().backward()
        with torch.no_grad():
            w -= 0.5 * w.grad
        (wt * 3).sum().backward()
        return w, wt, w.grad
    assert_same_as_torch(scenario)


# ----- more in-place methods -------------------------------------------------------------------
@pytest.mark.parametrize("stmt", [
    "x.masked_fill_(x > 2, 0.5)", "x.scatter_(1, torch.tensor([[1], [0]]), w[:1].view(1, 1).expand(2, 1))",
    "x.index_put_((torch.tensor([0, 1]), torch.tensor([1, 1])), w)", "x.clamp_min_(2.0)",
    "x.clamp_max_(2.0)", "x.lerp_(w, 0.25)", "x.sqrt_()", "x.sigmoid_()", "x.relu_()",
    "x.fill_(w[0])", "x.zero_()",
])
def test_other_inplace_methods_match_pytorch(stmt):
    def scenario(torch):
        a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        w = torch.tensor([10.0, 20.0], requires_grad=True)
        x = a * 1
        exec(stmt, {"x": x, "w": w, "torch": torch})
        (x * x).sum().backward()
        return x, a.grad, w.grad
    assert_same_as_torch(scenario)


def test_a_long_chain_of_views_keeps_a_bounded_record_and_pytorchs_values():
    torch = gradsh
    # `x = x.t()` in a loop: each view recorded its whole chain from the base (10^5 transposes
    # took 23 s); past views.MAX_STEPS the steps fold into one, and the in-place write through
    # the end of the chain still reaches the base with PyTorch's gradient
    from gradsh.core.ops import views
    b = torch.zeros(2, 3, requires_grad=True)
    c = b * 1
    v = c
    for _ in range(5 * views.MAX_STEPS + 1):
        v = v.t()
    assert len(v._view.steps) <= views.MAX_STEPS
    v.mul_(2)
    v[0, 1] = 5.0
    assert c.tolist() == [[0.0, 0.0, 0.0], [5.0, 0.0, 0.0]]   # v[0, 1] is c[1, 0]
    c.sum().backward()
    assert b.grad.tolist() == [[2.0, 2.0, 2.0], [0.0, 2.0, 2.0]]
    y = torch.arange(6.0).view(6)
    for _ in range(3 * views.MAX_STEPS):
        y = y.view(2, 3).view(6)
    y[2] = 100.0
    assert y._base.tolist() == [0.0, 1.0, 100.0, 3.0, 4.0, 5.0]
