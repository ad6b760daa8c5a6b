"""median (with indices), t_, << and >>, random_, exponential_ against PyTorch 2.13."""

import re

import pytest

import gradsh
from checker import check_op

ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


def outcome(f):
    try:
        return ("ok", ADDRESS.sub("", repr(f())))
    except Exception as e:   # noqa: BLE001 - the type is part of what is compared
        return (type(e).__name__, str(e))


def same(torch, make):
    torch.manual_seed(0)
    gradsh.manual_seed(0)
    assert [outcome(f) for f in make(gradsh)] == [outcome(f) for f in make(torch)]


def test_median_matches_pytorch(torch):
    def cases(t):
        x = t.tensor([[3., 1., 2., 5.], [1., 1., 0., 0.]], requires_grad=True)
        return [lambda: x.median(), lambda: x.median(1), lambda: t.median(x, dim=0, keepdim=True),
                lambda: x.median(-1).values.grad_fn, lambda: t.tensor([]).median(),
                lambda: t.tensor([4., float("nan"), 1.]).median(),
                lambda: t.tensor([[2., float("nan")], [1., 3.]]).median(1),
                lambda: t.tensor([[2., 1.], [1., 1.]]).median(), lambda: t.tensor(3.).median(0),
                lambda: t.tensor([5, 1, 4]).median(), lambda: t.median(3)]
    same(torch, cases)


def test_median_gradients_match_pytorch():
    check_op(lambda t, x: x.median(), (3, 4))
    check_op(lambda t, x: x.median(1).values, (3, 4))
    check_op(lambda t, x: t.median(x, 0, keepdim=True)[0], (3, 4))


def test_median_of_ties_shares_the_gradient(torch):
    for t in (gradsh, torch):
        x = t.tensor([[3., 1.], [1., 1.]], requires_grad=True)
        x.median().backward()
        assert x.grad.reshape(-1).tolist() == pytest.approx([0.0, 1 / 3, 1 / 3, 1 / 3])


def test_shifts_match_pytorch(torch):
    def cases(t):
        i32 = t.tensor([1, -3], dtype=t.int32)
        return [lambda: t.tensor([1, 8]) << 2, lambda: t.tensor([16, -8]) >> t.tensor([2, 1]),
                lambda: 1 << t.tensor([1, 2]), lambda: 16 >> t.tensor([2]),
                lambda: t.tensor([1.]) << 2, lambda: t.tensor([1.]) >> 2,
                lambda: i32 << t.tensor([3]), lambda: i32 >> 40, lambda: i32 << 40,
                lambda: i32 >> -1, lambda: t.tensor([200], dtype=t.uint8) >> 9,
                lambda: t.bitwise_left_shift(t.tensor([3]), 1),
                lambda: t.tensor([5], dtype=t.uint8) >> 1, lambda: t.tensor([5], dtype=t.uint8) << 5,
                lambda: t.tensor([True, False]) << 1]
    same(torch, cases)
    for t in (gradsh, torch):
        x = t.tensor([1, 2])
        x <<= 3
        x >>= 1
        assert x.tolist() == [4, 8] and x._version == 2


def test_t_in_place_matches_pytorch(torch):
    def cases(t):
        a = t.ones(2, 3, requires_grad=True) * t.tensor([1., 2., 3.])
        b = t.arange(6.).view(2, 3)
        c = t.ones(2, 3, requires_grad=True)
        v = t.arange(4.)
        return [lambda: (a.t_(), a.shape, a.stride(), a.is_contiguous()),
                lambda: (b.t_(), b._version, b.is_contiguous(), b._base is not None),
                lambda: c.t_(), lambda: t.ones(2, 2, 2).t_(), lambda: v.t_()]
    same(torch, cases)
    for t in (gradsh, torch):
        w = t.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
        y = w * 1
        y.t_()
        (y * t.tensor([[1., 2.], [3., 4.], [5., 6.]])).sum().backward()
        assert w.grad.tolist() == [[1., 3., 5.], [2., 4., 6.]]


def test_random_and_exponential_in_place_match_pytorch(torch):
    def cases(t):
        return [lambda: t.empty(6).random_(), lambda: t.empty(4, dtype=t.float64).random_(),
                lambda: t.empty(3, dtype=t.int64).random_(), lambda: t.empty(5).random_(10),
                lambda: t.empty(5).random_(3, 10), lambda: t.empty(3, dtype=t.int32).random_(),
                lambda: t.empty(3, dtype=t.uint8).random_(), lambda: t.empty(3, dtype=t.bool).random_(),
                lambda: t.empty(3, dtype=t.int16).random_(), lambda: t.empty(3, dtype=t.int8).random_(),
                lambda: t.empty(4).exponential_(), lambda: t.empty(2).random_(0),
                lambda: t.empty(3, dtype=t.float64).exponential_(0.5)]
    same(torch, cases)
