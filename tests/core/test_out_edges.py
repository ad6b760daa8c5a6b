"""out= and argument edges of the reductions, checked live against PyTorch 2.13 (skipped
without it; issue 15's list in docs/autograd.md): a bool out= of sum/prod/nansum (computed in
bool: any/all), the scans' refusal of bool, sum/prod over every element refusing out=,
torch.norm's out= (its exact-dtype rule) and matrix orders, index_add of a 0-d source."""

import math
import warnings

import pytest

import gradsh


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


def outcome(T, call):
    """What call(T) gives: its printed value (and whether it returned the out), or its error's
    type and message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = call(T)
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared
            return type(e).__name__, str(e)
    return str(r)


def same(torch, call):
    assert outcome(gradsh, call) == outcome(torch, call)


def _x(T):
    return T.tensor([[1., 0., 2.], [0., 0., 0.]])


def _i(T):
    return T.tensor([[3, 0], [0, 0]])


INPUTS = {"float": _x, "int": _i, "bool": lambda T: _x(T).bool()}


@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "cumsum", "cumprod", "mean"])
@pytest.mark.parametrize("kind", sorted(INPUTS))
@pytest.mark.parametrize("dim", [0, 1, None])
def test_reduction_into_a_bool_out_is_pytorchs(torch, name, kind, dim):
    if dim is None and name in ("cumsum", "cumprod"):
        pytest.skip("a scan needs a dim (Python's own missing-argument error)")
    if dim is None and name == "mean" and kind != "bool":
        pytest.skip("mean.dtype_out's words for a whole mean: not reproduced (docs/autograd.md)")

    def call(T):
        o = T.empty(0, dtype=T.bool)
        f = getattr(T, name)
        r = f(INPUTS[kind](T), out=o) if dim is None else f(INPUTS[kind](T), dim, out=o)
        return r, r is o
    same(torch, call)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_refuse_a_bool_dtype(torch, name):
    same(torch, lambda T: getattr(_x(T), name)(0, dtype=T.bool))


def test_sum_and_prod_with_dtype_bool_are_any_and_all(torch):
    same(torch, lambda T: (_x(T).sum(dtype=T.bool), _x(T).prod(1, dtype=T.bool)))


NORM_CALLS = [((), {}), ((2, 1), {}), (("fro",), {}), ((1, 0, True), {}), ((math.inf, 1), {}),
              (("nuc",), {}), ((), {"dim": 1}), ((2,), {"dim": (0, 1)}), ((0.5,), {}),
              ((2, 1), {"dtype": "float64"})]
OUTS = [(0, "float32"), (3, "float32"), (0, "float64"), (0, "int64")]


@pytest.mark.parametrize("args, kwargs", NORM_CALLS)
@pytest.mark.parametrize("out", OUTS)
def test_norm_writes_its_out_as_pytorch(torch, args, kwargs, out):
    def call(T):
        x = T.tensor([[1., -2.], [3., 4.]])
        o = T.empty(out[0], dtype=getattr(T, out[1]))
        kw = {k: getattr(T, v) if k == "dtype" else v for k, v in kwargs.items()}
        r = T.norm(x, *args, out=o, **kw)
        return r, r is o, o.shape
    same(torch, call)


def test_norm_out_refuses_an_input_that_requires_grad(torch):
    same(torch, lambda T: T.norm(T.ones(2, requires_grad=True), out=T.empty(0)))


@pytest.mark.parametrize("args, kwargs", [
    (("nuc",), {}), (("nuc",), {"dim": (0, 1)}), (("nuc",), {"keepdim": True}),
    (("nuc",), {"dim": 1}), (("fro",), {"dim": 1}), ((2,), {"dtype": "float64"}),
    (("nuc",), {"dtype": "float64"}), (("abc",), {}), ((2,), {"dtype": "int64"}),
    ((2,), {"dtype": "float16"})])
def test_norm_orders_and_dtype_are_pytorchs(torch, args, kwargs):
    def call(T):
        x = T.tensor([[1., -2.], [3., 4.]], requires_grad=True)
        kw = {k: getattr(T, v) if k == "dtype" else v for k, v in kwargs.items()}
        y = T.norm(x, *args, **kw)
        y.sum().backward()
        return y, x.grad
    same(torch, call)


@pytest.mark.parametrize("self_shape, src_shape", [
    ((3,), ()), ((3,), (1,)), ((2, 3), (3,)), ((2, 3), (1, 3)), ((), ()), ((), (1,))])
@pytest.mark.parametrize("index", [[1], 1])
def test_index_add_checks_the_sources_dims_as_pytorch(torch, self_shape, src_shape, index):
    same(torch, lambda T: T.zeros(self_shape).index_add(0, T.tensor(index), T.ones(src_shape)))
