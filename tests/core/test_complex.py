"""The complex dtypes (issue 15, branch complex): construction, promotion, printing, views,
arithmetic, autograd with PyTorch's conjugate Wirtinger gradients, torch.fft and linalg.eig,
each case compared with what PyTorch 2.13 gave (tests/data/complex.json, recorded by
tools/record_complex.py from tests/data/complex_cases.py); and a sweep calling every op of the
registry with complex operands: a value or PyTorch's kind of error, never an internal one."""

import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

import gradsh
from gradsh.core import bindings
from gradsh.core.ops import complex_gate
from gradsh.core.ops.registry import OPS
bindings.load_all()  # binds every op, the first-use modules' too (gradsh/core/ops_index.py)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import complex_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "complex.json").read_text())["facts"]

# differences kept, each documented in docs/autograd.md ("Complex numbers")
KNOWN = {
    "G(lambda x: torch.fft.hfft(x, n=9), xc)":
        "the sign of the zero imaginary part of one gradient element (-0 in PyTorch)",
    "G(lambda z: z.acosh(), xc)":
        "at z = -0.5j, on the branch cut of rsqrt(z**2 - 1), the sign of one gradient: PyTorch's "
        "z.pow(2) has a +0 imaginary part, numpy's z * z in the rule -0",
    **{case: "complex division's last bit: PyTorch's g / conj(1 + z) leaves 2.6e-17 for an exact "
             "zero imaginary part (so its print turns to sci mode), numpy's division 0"
       for case in ("G(lambda z: z.log1p(), xc)", "H(lambda z: z.log1p(), xc)")},
    "torch.logdet(torch.tensor([[1j, 2j], [1, 2]]))":
        "PyTorch's complex add multiplies the other operand by alpha = 1 as a complex product, "
        "so (-inf+0j) + -inf has a nan imaginary part (1 * 0 + 0 * -inf); gradsh's add gives 0",
    "G(lambda z: z[2:].reshape(2, 2).det(), xc)":
        "LAPACK's rounding: PyTorch's gradient has 1.4e-17 where gradsh's is an exact 0",
    "G(lambda z: torch.linalg.solve(z[:4].reshape(2, 2), z.reshape(3, 2), left=False), xc)":
        "the sign of zero imaginary parts in the solution (PyTorch solves with A's transpose "
        "factored, gradsh with numpy's solve of the transposed system)",
}


@pytest.mark.parametrize("case", cases.CASES)
def test_complex_case_prints_what_pytorch_printed(case):
    if case in KNOWN:
        pytest.xfail(KNOWN[case]) if cases.run(gradsh, case) != FACTS[case] else None
        pytest.fail(f"a known difference is gone: {case}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cases.run(gradsh, case) == FACTS[case]


def test_every_recorded_case_is_in_the_cases_file():
    assert sorted(FACTS) == sorted(cases.CASES)


# ----- the sweep: every op with complex operands -------------------------------------------------
# what PyTorch raises for a call it refuses; anything else (AttributeError, KeyError, numpy's
# errors, ComplexWarning turned into an error) is an internal error
CLEAN = (RuntimeError, NotImplementedError, TypeError, ValueError, IndexError)


def _calls(z):
    w = z.clone()
    return [(z,), (z, z), (z, 1), (z, 0), (z, 1j), (z, w, w), (z, 0, 1), ([z, w],), (z, 2.5)]


def _public(o):
    """The op as a program calls it: torch.name, the method (a property's getter), torch.special
    or F's name (the surfaces check their arguments; the registry's own function trusts its
    callers), else the registry's function (an operator's, given a tensor first)."""
    if o.function and hasattr(gradsh, o.name):
        return getattr(gradsh, o.name), False
    attr = gradsh.Tensor.__dict__.get(o.name)
    if isinstance(attr, property):
        return attr.fget, True
    if o.method and attr is not None:
        return attr, True
    if o.special:
        return getattr(gradsh.special, o.name), False
    if o.nn:
        return getattr(gradsh.nn.functional, o.name), False
    return o.fn, True


@pytest.mark.parametrize("op", OPS, ids=[o.name for o in OPS])
def test_every_op_given_complex_operands_ends_cleanly(op):
    name = op.name
    fn, method = _public(op)
    z = gradsh.tensor([[1 + 2j, -0.5j], [3.0, 0.25 - 1j]])
    for args in _calls(z):
        if method and not isinstance(args[0], gradsh.Tensor):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            warnings.simplefilter("ignore", UserWarning)
            try:
                out = fn(*args)
            except CLEAN as e:
                if name not in complex_gate.COMPLEX_AWARE and isinstance(e, NotImplementedError):
                    assert "Complex" in str(e) or "complex" in str(e), (name, args, e)
                continue
            except Exception as e:  # noqa: BLE001 - the failure this test looks for
                pytest.fail(f"{name}{tuple(type(a).__name__ for a in args)}: internal "
                            f"{type(e).__name__}: {e}")
        # a value: an op not declared complex-aware (or complex without grad) never computes on
        # complex operands
        assert (name in complex_gate.COMPLEX_AWARE or name in complex_gate.COMPLEX_NO_GRAD
                or not complex_gate.complex_operand(args, {})), (name, args, out)


def test_ops_that_refuse_complex_say_so_as_pytorch():
    z = gradsh.tensor([1 + 2j])
    with pytest.raises(NotImplementedError, match="\"lt_cpu\" not implemented for 'ComplexFloat'"):
        z < z
    with pytest.raises(NotImplementedError,
                       match="\"erfinv_vml_cpu\" not implemented for 'ComplexDouble'"):
        z.to(gradsh.cdouble).erfinv()


def test_complex_gradients_flow_to_real_leaves_as_their_real_part():
    x = gradsh.tensor([0.5, -1.0], requires_grad=True)
    ((x * (1 + 2j)).abs() ** 2).sum().backward()
    # |x (1 + 2i)|^2 = 5 x^2: the gradient is 10 x
    assert x.grad.dtype is gradsh.float32 and x.grad.tolist() == [5.0, -10.0]


def test_the_real_dtypes_keep_their_node_classes():
    # a complex output records the conjugated rule under the same name, a real one the rule
    x = gradsh.ones(2, requires_grad=True)
    z = gradsh.ones(2, dtype=gradsh.cfloat, requires_grad=True)
    real, cplx = type((x * x).grad_fn), type((z * z).grad_fn)
    assert real.__name__ == cplx.__name__ == "MulBackward0"
    assert cplx is not real and issubclass(cplx, real) and not getattr(real, "complex_rule", False)


def test_complex32_is_refused_cleanly():
    for make in (lambda: gradsh.zeros(2, dtype=gradsh.chalf), lambda: gradsh.ones(2).chalf(),
                 lambda: gradsh.ones(2, dtype=gradsh.float16) * 1j):
        with pytest.raises(TypeError, match="gradsh cannot make torch.complex32 tensors"):
            make()


def test_an_ops_warning_names_its_caller_not_the_complex_gate():
    # the gate wraps every op that is not complex-aware: its frame is skipped (errors.warn), so
    # a warning is still reported once per line of the caller, as PyTorch's are
    import warnings
    x = gradsh.ones(4)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        x.resize(2, 2)
    assert [w.filename for w in seen] == [__file__]


# the holomorphic unary ops against PyTorch's kernels, bit for bit where numpy's complex math
# (or the formula the op uses) gives PyTorch's values; measured last-bit differences elsewhere
_BITWISE = "tan sinh cosh asin acos atan asinh acosh atanh log2 log10 exp2".split()
# the largest relative error measured (in eps) over these 511 values, rounded up: square
# differs in one value (PyTorch's x*x - y*y rounds once), log1p/expm1/rsqrt in about a fifth
_NEAR = {"square": 1.0, "log1p": 1.5, "expm1": 3.5, "rsqrt": 1.5, "reciprocal": 1.5}


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name", _BITWISE + list(_NEAR))
def test_complex_unary_ops_give_pytorchs_values(name, dtype):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(1)
    v = (rng.standard_normal(500) * 2 + 1j * rng.standard_normal(500) * 2).astype(dtype)
    v = np.concatenate([v, np.array([0, 1, -1, 1j, -1j, 0.5 + 0.5j, 1e-8 + 1e-8j, -3e-5j, 1e-3 - 2e-4j,
                                     20 + 1j, -20 + 2j], dtype=dtype)])
    with np.errstate(all="ignore"):
        want = getattr(torch, name)(torch.from_numpy(v.copy())).numpy()
        got = getattr(gradsh, name)(gradsh.from_numpy(v.copy())).numpy()
    if name in _BITWISE:
        assert got.tobytes() == want.tobytes()
    else:
        eps = np.finfo(dtype).eps
        fin = np.isfinite(want)
        assert np.array_equal(np.isnan(got), np.isnan(want)) and np.array_equal(got[~fin], want[~fin],
                                                                                 equal_nan=True)
        err = np.abs(got - want)[fin] / np.maximum(np.abs(want[fin]), np.finfo(dtype).tiny)
        assert np.max(err) <= _NEAR[name] * eps


# the decompositions' gradients through the vectors, where LAPACK's rounding of zeros keeps
# the printed cases out: to 1e-10 against PyTorch (branch cplx2)
_VECTOR_LOSSES = {
    "eigh V V^H": lambda t, A: (lambda V: V[:, :2] @ V[:, :2].mH)(t.linalg.eigh(A + A.mH).eigenvectors),
    "eigh L V |V|": lambda t, A: (lambda r: r.eigenvectors.abs() * r.eigenvalues)(t.linalg.eigh(A + A.mH)),
    "svd U Vh": lambda t, A: (lambda r: r.U @ r.Vh)(t.linalg.svd(A[:, :2], full_matrices=False)),
    "svd |U| S": lambda t, A: (lambda r: r.U.abs() * r.S)(t.linalg.svd(A, full_matrices=False)),
    "svd |Vh|": lambda t, A: t.linalg.svd(A[:2], full_matrices=False).Vh.abs(),
}


@pytest.mark.parametrize("case", list(_VECTOR_LOSSES))
def test_complex_decomposition_gradients_through_vectors_are_pytorchs(case):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rows = [[2, 1 - 1j, 0.5j], [1 + 1j, 3, 1], [-0.5j, 1, 1 + 2j]]
    grads = []
    for t in (gradsh, torch):
        A = t.tensor(rows, dtype=t.cdouble, requires_grad=True)
        out = _VECTOR_LOSSES[case](t, A)
        loss = (out.real * 0.3 + out.imag * out.real).sum() if out.is_complex() else (out * out).sum()
        grads.append(t.autograd.grad(loss, A)[0].numpy())
    assert np.allclose(grads[0], grads[1], rtol=1e-10, atol=1e-10)
