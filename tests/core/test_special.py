"""torch.special and the gamma family against PyTorch 2.13.

Values: every case of tools/record_special.py (gammaln, digamma, polygamma, multigammaln, i0,
i0e, i1, i1e, ndtr, ndtri, log_ndtr, erfc, erfcx, entr, sinc, exp2, xlogy, xlog1py, zeta and
the aliases) on ~1000 points each (negatives, poles, the kernels' branch points, tiny, huge,
inf, nan), float64 and float32, against tests/data/special.json: the same nan, infinities and
signs everywhere, and at most MAX_ULPS[case] units in the last place (the measured table is in
docs/autograd.md, "torch.special"; `python tools/record_special.py --ulps` prints it).
Gradients, node names and double backward are in the op sweep (tests/data/op_sweep_cases.py);
here: the aliases' nodes, PyTorch's errors, gradcheck and the language's reach.
"""

import io
import json
import pathlib
import sys

import pytest

import gradsh as torch
from gradsh.lang import Session

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import record_special as R  # noqa: E402

FACTS = json.loads((ROOT / "tests" / "data" / "special.json").read_text())

# the largest distance measured, per case and dtype (0: bit for bit on every point). Where not
# 0, PyTorch's kernel is SLEEF's vectorised one (lgamma, erfc, exp2, erf), or a composition
# (ndtr, multigammaln, log_ndtr), or erfcx's table, which gradsh evaluates otherwise.
MAX_ULPS = {
    "gammaln": (3, 2), "digamma": (0, 0), "i0": (0, 2), "i0e": (0, 0), "i1": (0, 2),
    "i1e": (0, 0), "ndtr": (16, 2), "log_ndtr": (2, 3), "erfc": (2, 1), "erfcx": (7, 5),
    "entr": (0, 1), "sinc": (0, 1), "exp2": (1, 1), "expit": (3, 0), "erf": (1, 1),
    "ndtri": (0, 0), "logit": (0, 2), "polygamma_1": (0, 2), "polygamma_2": (0, 1),
    "polygamma_3": (0, 2), "polygamma_5": (0, 60), "multigammaln_1": (2, 2),
    "multigammaln_2": (2, 2), "multigammaln_3": (2, 2), "multigammaln_5": (2, 2),
    "xlogy": (0, 0), "xlog1py": (0, 0), "zeta": (0, 1),
    # the orthogonal polynomials: bit for bit (libm's float32 acosf/cosf/sinf, fused steps)
    **{name: (0, 0) for name in R.POLYNOMIALS},
    # float32 as i0 and i1 (the C library's expf against SLEEF's)
    "modified_bessel_i0": (0, 2), "modified_bessel_i1": (0, 1),
    "spherical_bessel_j0": (0, 0)}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", R.CASES, ids=[c[0] for c in R.CASES])
def test_values_are_pytorchs_within_the_measured_ulps(case, dtype):
    ours = R.call(torch, case, dtype)
    theirs = R.decode(FACTS[case[0]][dtype], dtype)
    d = R.ulps(ours, theirs, dtype)
    assert (d >= 0).all(), "a nan, an infinity or a sign differs"
    assert d.max() <= MAX_ULPS[case[0]][0 if dtype == "float64" else 1]


def test_every_case_is_recorded_and_bounded():
    assert {c[0] for c in R.CASES} == set(MAX_ULPS) == set(FACTS) - {"torch"}


# ----- names -----------------------------------------------------------------------------------
def test_torch_special_names_pytorchs_functions():
    names = {"expit", "logit", "erf", "erfc", "erfcx", "erfinv", "exp2", "expm1", "log1p",
             "gammaln", "digamma", "psi", "polygamma", "multigammaln", "i0", "i0e", "i1", "i1e",
             "ndtr", "ndtri", "log_ndtr", "xlogy", "xlog1py", "zeta", "entr", "sinc", "round",
             "softmax", "log_softmax", "logsumexp"}
    assert names <= set(dir(torch.special))
    for name in ("lgamma", "digamma", "polygamma", "mvlgamma", "i0", "erfc", "exp2", "sinc",
                 "xlogy"):
        assert callable(getattr(torch, name)) and callable(getattr(torch.Tensor, name))
        assert callable(getattr(torch.Tensor, name + "_"))


@pytest.mark.parametrize("call, node", [
    (lambda x: torch.special.gammaln(x), "LgammaBackward0"),
    (lambda x: torch.special.psi(x), "DigammaBackward0"),
    (lambda x: torch.special.digamma(x), "DigammaBackward0"),
    (lambda x: torch.special.polygamma(0, x), "PolygammaBackward0"),
    (lambda x: torch.special.multigammaln(x + 2, 2), "MvlgammaBackward0"),
    (lambda x: torch.special.expit(x), "SigmoidBackward0"),
    (lambda x: torch.special.round(x), "RoundBackward1"),
    (lambda x: torch.round(x), "RoundBackward0"),
    (lambda x: torch.special.i0(x), "I0Backward0"),
    (lambda x: torch.special.i0e(x), "SpecialI0EBackward0"),
    (lambda x: torch.special.ndtr(x), "MulBackward1"),
    (lambda x: torch.special.xlogy(x, 2.0), "XlogyBackward2"),
    (lambda x: torch.special.xlog1py(2.0, x), "SpecialXlog1PyBackward1"),
    (lambda x: torch.special.zeta(2.0, x), "SpecialZetaBackward1"),
    (lambda x: torch.special.softmax(x, 0), "SoftmaxBackward0"),
    (lambda x: torch.special.logsumexp(x, 0), "LogsumexpBackward0"),
])
def test_aliases_record_pytorchs_nodes(call, node):
    x = torch.tensor([0.5, 1.5, 2.25], dtype=torch.float64, requires_grad=True)
    assert type(call(x).grad_fn).__name__ == node


# ----- errors ----------------------------------------------------------------------------------
def _raises(fn, kind, message):
    with pytest.raises(kind) as e:
        fn()
    assert str(e.value) == message


def test_pytorchs_errors():
    x = torch.tensor([1.5, 2.5], requires_grad=True)
    _raises(lambda: torch.polygamma(-1, x), RuntimeError,
            "polygamma(n, x) does not support negative n.")
    _raises(lambda: torch.mvlgamma(x, 0), RuntimeError, "p has to be greater than or equal to 1")
    _raises(lambda: torch.special.gammaln(3), TypeError,
            "special_gammaln(): argument 'input' (position 1) must be Tensor, not int")
    _raises(lambda: torch.special.i0e([1.0]), TypeError,
            "special_i0e(): argument 'input' (position 1) must be Tensor, not list")
    _raises(lambda: torch.special.zeta(x, 2.0).sum().backward(), NotImplementedError,
            "the derivative for 'zeta' is not implemented.")
    q = torch.tensor([1.5, 2.5], requires_grad=True)
    _raises(lambda: torch.special.zeta(x, q).sum().backward(), NotImplementedError,
            "the derivative for 'zeta' is not implemented.")


def test_zeta_gradient_for_q_alone():
    q = torch.tensor([1.5, 2.5], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([2.0, 3.0], dtype=torch.float64)
    (g,) = torch.autograd.grad(torch.special.zeta(x, q).sum(), q)
    expected = -x * torch.special.zeta(x + 1, q)
    assert torch.equal(g, expected)


# ----- gradients -------------------------------------------------------------------------------
_X = [0.3, 1.7, 2.5, -0.6, 4.0]


@pytest.mark.parametrize("fn", [
    torch.lgamma, torch.digamma, lambda x: torch.polygamma(2, x), torch.i0, torch.special.i0e,
    torch.special.i1, torch.special.i1e, torch.special.ndtr, torch.special.log_ndtr,
    torch.special.erfcx, torch.erfc, torch.exp2, torch.sinc,
    lambda x: torch.special.entr(x.abs()), lambda x: torch.special.ndtri(x.sigmoid()),
    lambda x: torch.mvlgamma(x.abs() + 2, 3), lambda x: torch.xlogy(x, x.abs() + 0.5),
    lambda x: torch.special.xlog1py(x, x.abs()), lambda x: torch.special.zeta(3.0, x.abs() + 1),
], ids=["lgamma", "digamma", "polygamma", "i0", "i0e", "i1", "i1e", "ndtr", "log_ndtr", "erfcx",
        "erfc", "exp2", "sinc", "entr", "ndtri", "mvlgamma", "xlogy", "xlog1py", "zeta"])
def test_gradcheck_and_gradgradcheck(fn):
    x = torch.tensor(_X, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(fn, (x,))
    assert torch.autograd.gradgradcheck(fn, (x,))


def test_i1_gradient_at_zero_is_one_half():
    x = torch.tensor([0.0, -0.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.special.i1(x).sum(), x)
    assert g.tolist() == [0.5, 0.5]


def test_integer_inputs_give_the_default_float():
    t = torch.tensor([1, 2, 3])
    for out in (torch.lgamma(t), torch.digamma(t), torch.special.i0e(t), torch.special.ndtr(t),
                torch.mvlgamma(t + 2, 2), torch.xlogy(t, t), torch.polygamma(1, t)):
        assert out.dtype is torch.float32


def test_in_place_variants():
    x = torch.tensor([1.5, 2.5], dtype=torch.float64)
    y = x.clone()
    assert y.lgamma_() is y and torch.equal(y, torch.lgamma(x))
    y = x.clone()
    assert y.polygamma_(2) is y and torch.equal(y, torch.polygamma(2, x))
    y = x.clone()
    assert y.xlogy_(x) is y and torch.equal(y, torch.xlogy(x, x))


# ----- the language ----------------------------------------------------------------------------
def test_a_program_reaches_torch_special():
    stream = io.StringIO()
    Session(stdout=stream, stderr=io.StringIO()).run("import torch\n"
                      "x = torch.tensor([0.5, 2.0], requires_grad=True)\n"
                      "y = torch.special.gammaln(x).sum() + torch.special.i0e(x).sum()\n"
                      "y.backward()\n"
                      "print(y.grad_fn)\n"
                      "print(torch.special.ndtri(torch.tensor([0.5, 0.975])))\n", "t.grad")
    out = stream.getvalue()
    assert "AddBackward0" in out
    assert "tensor([0.0000, 1.9600])" in out


# ----- the orthogonal polynomials and the Bessel functions without derivatives ----------------
NO_DERIVATIVE = R.POLYNOMIALS + ("modified_bessel_i0", "modified_bessel_i1",
                                 "spherical_bessel_j0")


@pytest.mark.parametrize("name", NO_DERIVATIVE)
def test_functions_pytorch_declares_without_derivative_record_no_node(name):
    x = torch.tensor([0.5, 2.0], requires_grad=True)
    fn = getattr(torch.special, name)
    out = fn(x, 3) if name in R.POLYNOMIALS else fn(x)
    assert out.grad_fn is None and not out.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        out.sum().backward()


def test_polynomials_take_a_number_on_either_side_and_truncate_the_degree():
    # values from PyTorch 2.13: T_n(2) for n = 1, 2, 3; H_2(3) for n = 2.5; 0 for n < 0
    assert torch.special.chebyshev_polynomial_t(2.0, torch.tensor([1, 2, 3])).tolist() == \
        [2.0, 7.0, 26.0]
    assert torch.special.hermite_polynomial_h(torch.tensor([3.0]), torch.tensor(
        [2.5, -1.0])).tolist() == [34.0, 0.0]
    out = torch.special.legendre_polynomial_p(torch.tensor([1, 2]), 3)
    assert out.dtype == torch.float32  # integers give the default float dtype
    assert torch.special.hermite_polynomial_h(torch.tensor([1.0]), torch.tensor(
        [3], dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize("args", [(1.0, 2.0), ("a", [1.0]), (1, "n")])
def test_polynomials_refuse_what_pytorch_refuses(args):
    args = tuple(torch.tensor(a) if isinstance(a, list) else a for a in args)
    with pytest.raises(TypeError) as e:
        torch.special.laguerre_polynomial_l(*args)
    assert str(e.value).startswith(
        "special_laguerre_polynomial_l() received an invalid combination of arguments - got (")
    assert str(e.value).endswith(" * (Tensor x, Number n, *, Tensor out = None)\n")


def test_a_program_reaches_the_polynomials_and_bessel_functions():
    stream = io.StringIO()
    Session(stdout=stream, stderr=io.StringIO()).run(
        "import torch\n"
        "x = torch.tensor([0.5, 2.0], requires_grad=True)\n"
        "print(torch.special.legendre_polynomial_p(x, torch.tensor([3, 2])))\n"
        "print(torch.special.modified_bessel_i1(torch.tensor([1, 2])))\n", "t.grad")
    assert stream.getvalue() == "tensor([-0.4375,  5.5000])\ntensor([0.5652, 1.5906])\n"


def test_a_recurrence_past_the_step_limit_is_refused_not_hung():
    from gradsh.core.ops.polynomials import MAX_STEPS
    x = torch.tensor([0.5])
    assert torch.special.legendre_polynomial_p(x, 2 ** 63).tolist() == [0.0]  # wraps below 0
    with pytest.raises(RuntimeError, match=f"limit of {MAX_STEPS} steps"):
        torch.special.legendre_polynomial_p(x, MAX_STEPS + 2)
