"""torch.linalg.norm of a matrix with an order is a matrix norm, as PyTorch's: values,
gradients and nodes against PyTorch; an order it does not support is its RuntimeError."""

import math

import pytest

import gradsh

ORDERS = [1, -1, math.inf, -math.inf, "fro"]
ROWS = [[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]


@pytest.mark.parametrize("ord", ORDERS)
@pytest.mark.parametrize("dim", [None, (1, 0)])
def test_matrix_norms_are_pytorchs(ord, dim):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    outs = []
    for lib in (gradsh, torch):
        a = lib.tensor(ROWS, requires_grad=True)
        r = lib.linalg.norm(a, ord) if dim is None else lib.linalg.norm(a, ord, dim)
        r.backward()
        outs.append((r.item(), a.grad.tolist(), type(r.grad_fn).__name__))
    assert outs[0] == outs[1]


@pytest.mark.parametrize("ord, shown", [("a", "a"), (1.5, "1.5"), (3.0, "3")])
def test_an_order_no_matrix_norm_has_is_pytorchs_error(ord, shown):
    with pytest.raises(RuntimeError, match=r"^linalg\.matrix_norm: Order %s not supported\.$"
                       % shown):
        gradsh.linalg.norm(gradsh.tensor(ROWS), ord)


# A sweep of the three entry points over inputs, orders and dims (valid and not), compared with
# PyTorch: the value, or the exception's class and first line. PyTorch checks a matrix norm's
# order, then A's dims, its dtype, dim being a 2-tuple, each dim's range, the dims differing.
SWEEP_INPUTS = {
    "2x3": lambda t: t.arange(6.0).reshape(2, 3),
    "3": lambda t: t.arange(3.0),
    "0-d": lambda t: t.tensor(2.0),
    "2x2x2": lambda t: t.arange(8.0).reshape(2, 2, 2),
    "long 2x3": lambda t: t.ones(2, 3, dtype=t.long),
    "long 3": lambda t: t.ones(3, dtype=t.long),
    "half 2x2": lambda t: t.ones(2, 2, dtype=t.float16),
    "bfloat16 2x2": lambda t: t.ones(2, 2, dtype=t.bfloat16),
}
SWEEP_ORDERS = [None, "fro", "nuc", "bogus", 2, -2, 1, math.inf, 3.5, 0, 1j]
SWEEP_DIMS = ["absent", None, 0, (0,), (1,), (0, 1), (1, 0), (1, 1), (1, -1), (0, 5), (0, 1, 1),
              [], (-2, -1)]
ENTRIES = {
    "linalg.matrix_norm": lambda t, A, o, d: (t.linalg.matrix_norm(A, o) if d == "absent"
                                              else t.linalg.matrix_norm(A, o, d)),
    "norm": lambda t, A, o, d: t.norm(A, o) if d == "absent" else t.norm(A, o, d),
    "linalg.norm": lambda t, A, o, d: (t.linalg.norm(A, o) if d == "absent"
                                       else t.linalg.norm(A, o, d)),
}


def _norm_outcome(lib, entry, given, ord, dim):
    try:
        r = ENTRIES[entry](lib, SWEEP_INPUTS[given](lib), ord, dim)
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return type(e).__name__, str(e).splitlines()[0]
    return str(r.dtype), [round(v, 3) for v in r.double().reshape(-1).tolist()]


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("given", SWEEP_INPUTS)
def test_norm_checks_and_values_are_pytorchs_over_a_sweep(entry, given):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    if entry == "linalg.matrix_norm":
        orders = [o for o in SWEEP_ORDERS if o is not None]
    else:
        orders = SWEEP_ORDERS
    differ = []
    for ord in orders:
        for dim in SWEEP_DIMS:
            if entry == "linalg.matrix_norm" and dim in (None, 0):
                continue  # PyTorch's argument parser refuses these: its own test
            want = _norm_outcome(torch, entry, given, ord, dim)
            got = _norm_outcome(gradsh, entry, given, ord, dim)
            if got != want:
                differ.append((ord, dim, got, want))
    assert not differ, differ[:5]


COMPLEX_ROWS = [[1 + 2j, 3 - 1j, 0j], [-2j, 0.5 + 0.5j, -1 + 0j]]


@pytest.mark.parametrize("case", [
    "vector_norm 2", "vector_norm 1", "vector_norm 3", "vector_norm inf", "vector_norm -inf",
    "vector_norm 0", "vector_norm 0.5", "vector_norm 2 dim 1", "norm", "norm 3 dim 0",
    "linalg.norm", "matrix_norm fro", "matrix_norm 1", "matrix_norm inf", "matrix_norm -1",
    "Tensor.norm keepdim", "matrix_norm 2", "matrix_norm -2", "matrix_norm nuc"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_norms_of_complex_tensors_are_pytorchs(case, dtype):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    calls = {
        "vector_norm 2": lambda t, z: t.linalg.vector_norm(z),
        "vector_norm 1": lambda t, z: t.linalg.vector_norm(z, 1),
        "vector_norm 3": lambda t, z: t.linalg.vector_norm(z, 3),
        "vector_norm inf": lambda t, z: t.linalg.vector_norm(z, math.inf),
        "vector_norm -inf": lambda t, z: t.linalg.vector_norm(z, -math.inf),
        "vector_norm 0": lambda t, z: t.linalg.vector_norm(z, 0),
        "vector_norm 0.5": lambda t, z: t.linalg.vector_norm(z, 0.5),
        "vector_norm 2 dim 1": lambda t, z: t.linalg.vector_norm(z, 2, 1),
        "norm": lambda t, z: t.norm(z),
        "norm 3 dim 0": lambda t, z: t.norm(z, 3, 0),
        "linalg.norm": lambda t, z: t.linalg.norm(z),
        "matrix_norm fro": lambda t, z: t.linalg.matrix_norm(z),
        "matrix_norm 1": lambda t, z: t.linalg.matrix_norm(z, 1),
        "matrix_norm inf": lambda t, z: t.linalg.matrix_norm(z, math.inf),
        "matrix_norm -1": lambda t, z: t.linalg.matrix_norm(z, -1),
        "Tensor.norm keepdim": lambda t, z: z.norm(2, 1, True),
        # the SVD of complex matrices: branch cplx2
        "matrix_norm 2": lambda t, z: t.linalg.matrix_norm(z, 2),
        "matrix_norm -2": lambda t, z: t.linalg.matrix_norm(z, -2),
        "matrix_norm nuc": lambda t, z: t.linalg.matrix_norm(z, "nuc"),
    }
    outs = []
    for lib in (gradsh, torch):
        z = lib.tensor(COMPLEX_ROWS, dtype=getattr(lib, dtype), requires_grad=True)
        r = calls[case](lib, z)
        r.sum().backward()
        grad = None if z.grad is None else [[(round(v.real, 4), round(v.imag, 4)) for v in row]
                                            for row in z.grad.tolist()]
        outs.append((str(r.dtype), [round(v, 4) for v in r.detach().reshape(-1).tolist()],
                     type(r.grad_fn).__name__, grad))
    assert outs[0] == outs[1]


def test_decompositions_of_complex_matrices_not_here_are_refused_as_not_implemented():
    # (svd, and so the 2, -2 and 'nuc' norms, compute since branch cplx2: the test above; qr,
    # cholesky, lstsq, pinv... since cplxdist; ldl_factor stays real-only)
    z = gradsh.tensor([[2 + 0j, 1j], [-1j, 3 + 0j]])
    with pytest.raises(NotImplementedError, match="ldl_factor is for real symmetric matrices"):
        gradsh.linalg.ldl_factor(z)
