"""Fixes found by the adversarial programs of branch adv5a (tests/data/learner_programs/
adv5a_*.grad, issue 15: autograd as PyTorch's own docs and tutorials teach it): one test per
class of difference. Expected values are PyTorch 2.13's (run here when it is installed, or
quoted from running it) or mathematics."""

import numpy as np
import pytest

import gradsh


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


def _both(values, dtype_name):
    torch = _torch()
    return (torch.tensor(values, dtype=getattr(torch, dtype_name)),
            gradsh.tensor(values, dtype=getattr(gradsh, dtype_name)))


def _same(t, g):
    """Bit for bit, the sign of zeros included."""
    a, b = t.detach().numpy(), np.asarray(g.detach()._data)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes(), (a, b)


# ----- mH / H / adjoint of complex tensors conjugate ----------------------------------------
@pytest.mark.parametrize("how", ["mH", "H", "adjoint", "torch.adjoint"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_conjugate_transposes_conjugate_and_their_gradient(how, dtype):
    rows = [[1 + 2j, 0.5 - 1j], [-1 + 0.25j, 2 + 0j]]
    t, g = _both(rows, dtype)
    t.requires_grad_(), g.requires_grad_()

    def apply(x, lib):
        if how == "torch.adjoint":
            return lib.adjoint(x)
        return x.adjoint() if how == "adjoint" else getattr(x, how)

    ot, og = apply(t, _torch()), apply(g, gradsh)
    _same(ot.resolve_conj(), og.resolve_conj())
    assert og.is_conj() and og.grad_fn.name() == "ConjBackward0"
    assert og.grad_fn.next_functions[0][0].name() == "TransposeBackward0"
    (ot.real.sum() + 2 * ot.imag.sum()).backward()
    (og.real.sum() + 2 * og.imag.sum()).backward()
    assert np.allclose(t.grad.numpy(), g.grad._data)   # 1 - 2j everywhere


def test_a_matrix_times_its_conjugate_transpose_has_gradient_2h():
    h = gradsh.tensor([[1 + 2j, 0.5 - 1j], [-1 + 0.25j, 2 + 0j]], requires_grad=True)
    (h @ h.mH).diagonal().real.sum().backward()    # the sum of |h_ij|^2
    assert np.allclose(h.grad._data, 2 * h._data)


# ----- complex abs and sgn: the hypot of the parts -------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_abs_sgn_and_their_gradients_round_as_pytorch(dtype):
    torch = _torch()
    rng = np.random.default_rng(0)
    values = (rng.standard_normal(4000) + 1j * rng.standard_normal(4000)) * \
        np.logspace(-3, 3, 4000)
    t, g = _both(values.tolist(), dtype)
    if dtype == "complex128":  # PyTorch's double hypot differs from C's in the last bit of 0.6%
        assert np.allclose(t.abs().numpy(), g.abs()._data, rtol=3e-16, atol=0)
    else:
        _same(t.abs(), g.abs())
        _same(t.sgn(), g.sgn())
        t.requires_grad_(), g.requires_grad_()
        (t.abs() ** 2).sum().backward()
        (g.abs() ** 2).sum().backward()
        _same(t.grad, g.grad)
    z = torch.tensor([-3 + 0.5j], requires_grad=True)
    (z.abs() ** 2).sum().backward()
    w = gradsh.tensor([-3 + 0.5j], requires_grad=True)
    (w.abs() ** 2).sum().backward()
    assert w.grad.tolist() == z.grad.tolist() == [(-6 + 1j)]


# ----- vdot's complex gradient; complex norms --------------------------------------------------
def test_vdot_gradient_conjugates_the_upstream_gradient_for_self():
    a = gradsh.tensor([0.5 + 1.0j, -1.5 + 0.25j], requires_grad=True)
    b = gradsh.tensor([0.3 - 0.7j, -0.2 + 0.1j], requires_grad=True)
    g = gradsh.tensor(0.5 - 2j)
    ga, gb = gradsh.autograd.grad(gradsh.vdot(a, b), (a, b), g)
    # derivatives.yaml's vdot: self: grad.conj() * other, other: grad * self
    assert np.allclose(ga._data, np.conj(g._data) * b._data)
    assert np.allclose(gb._data, g._data * a._data)


@pytest.mark.parametrize("call", [
    lambda z, lib: z.norm(), lambda z, lib: lib.norm(z, p=1),
    lambda z, lib: z.norm(p=3, dim=0, keepdim=True), lambda z, lib: z.norm(p=float("inf")),
    lambda z, lib: lib.linalg.vector_norm(z, ord=1, dim=-1), lambda z, lib: lib.linalg.norm(z),
])
def test_norms_of_complex_tensors_and_their_gradients(call):
    rows = [[0.5 + 1.0j, -1.5 + 0.25j, 2.0 - 0.5j], [0.3 - 0.7j, 0j, 1.1 + 1.3j]]
    t, g = _both(rows, "complex128")
    t.requires_grad_(), g.requires_grad_()
    ot, og = call(t, _torch()), call(g, gradsh)
    assert og.dtype == gradsh.float64 and og.grad_fn.name() == ot.grad_fn.name()
    assert np.allclose(ot.detach().numpy(), og._data)
    ot.sum().backward()
    og.sum().backward()
    assert np.allclose(t.grad.numpy(), g.grad._data)


def test_gradcheck_warns_for_complex64_inputs_only():
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradsh.autograd.gradcheck(
            gradsh.sin, gradsh.tensor([0.5 + 1j], dtype=gradsh.complex128, requires_grad=True),
            raise_exception=False)
    assert not [w for w in caught if "not a double precision" in str(w.message)]
    with pytest.warns(UserWarning, match="not a double precision"):
        gradsh.autograd.gradcheck(lambda x: x * 2, gradsh.tensor([0.5 + 1j], requires_grad=True),
                                  raise_exception=False)


# ----- gradgradcheck draws its grad_outputs as PyTorch does ------------------------------------
@pytest.mark.parametrize("non_contig", [False, True])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (), (1,)])
def test_gradgradcheck_draws_uniform_grad_outputs_as_make_tensor(shape, non_contig):
    seen = {}

    def record(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                seen.setdefault(lib.__name__, g.detach().clone())
                x, = ctx.saved_tensors
                return 2 * x * g
        x = lib.linspace(-1, 1, max(1, int(np.prod(shape))), dtype=lib.float64).reshape(shape)
        lib.manual_seed(0)
        assert lib.autograd.gradgradcheck(Square.apply, x.requires_grad_(),
                                          gen_non_contig_grad_outputs=non_contig)
    record(_torch())
    record(gradsh)
    _same(seen["torch"], seen["gradsh"])


# ----- torch.autograd.functional.jacobian --------------------------------------------------------
@pytest.mark.parametrize("func, x", [
    (lambda a: a.exp(), np.zeros(0)), (lambda a: a[:0], np.ones(2)),
    (lambda a: (a, a[:0]), np.ones(2)), (lambda a: (a[:0], a[:0]), np.ones(2)),
    (lambda a: a.sum(), np.zeros((2, 0))),
])
@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobian_of_functions_with_empty_outputs(func, x, vectorize):
    torch = _torch()
    results = []
    for lib in (torch, gradsh):
        try:
            r = lib.autograd.functional.jacobian(func, lib.tensor(x, dtype=lib.float32),
                                                 vectorize=vectorize)
            results.append(("ok", [tuple(t.shape) for t in (r if isinstance(r, tuple) else [r])]))
        except Exception as e:  # noqa: BLE001 - the kind and words are compared
            results.append((type(e).__name__, str(e)))
    assert results[0] == results[1]


def test_forward_mode_jacobian_returns_lists_where_the_inputs_are_a_tuple():
    torch = _torch()
    kw = {"vectorize": True, "strategy": "forward-mode"}

    def shape_of(r):
        if isinstance(r, (list, tuple)):
            return type(r).__name__, [shape_of(el) for el in r]
        return tuple(r.shape)
    for func, single in [(lambda x, y: (2 * x, y), False), (lambda x, y: 2 * x + y, False),
                         (lambda x: (2 * x, x), True), (lambda x: x * 3, False)]:
        got = []
        for lib in (torch, gradsh):
            x = lib.tensor([0.5, 1.0])
            ins = x if single else ((x, x + 1) if func.__code__.co_argcount == 2 else (x,))
            got.append(shape_of(lib.autograd.functional.jacobian(func, ins, **kw)))
        assert got[0] == got[1]
    h = gradsh.autograd.functional.hessian(lambda x, y: (x * y).sum(),
                                           (gradsh.ones(2), gradsh.ones(2)), vectorize=True,
                                           outer_jacobian_strategy="forward-mode")
    assert type(h) is list and type(h[0]) is list


# ----- torch.func: functional_call's tied weights, linearize, jacrev's chunk_size ---------------
def _tied(lib):
    class T(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.b = lib.nn.Linear(2, 2, bias=False)
            self.a = lib.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight
            self.register_buffer("s", lib.ones(1))
            self.register_buffer("s2", self.s)

        def forward(self, x):
            return self.b(self.a(x)) * self.s2
    return T()


@pytest.mark.parametrize("given, kw", [
    ({"b.weight": 1}, {}), ({"b.weight": 1}, {"tie_weights": False}),
    ({"a.weight": 1, "b.weight": 2}, {}), ({"a.weight": 1, "b.weight": 2}, {"tie_weights": False}),
    ({"b.weight": 2, "a.weight": 1}, {}), ({"s": 3}, {}), ({"s": 3, "s2": 1}, {}),
])
def test_functional_call_ties_weights_as_pytorch(given, kw):
    torch = _torch()
    out = []
    for lib in (torch, gradsh):
        lib.manual_seed(0)
        m = _tied(lib)
        values = {k: v * lib.eye(2) if "weight" in k else v * lib.ones(1)
                  for k, v in given.items()}
        try:
            r = lib.func.functional_call(m, values, (lib.ones(1, 2),), **kw)
            out.append(np.round(r.detach().numpy() if lib is torch else r._data, 4).tolist())
        except ValueError as e:
            out.append(str(e))
    assert out[0] == out[1]


def test_functional_call_same_tensor_for_tied_names_is_not_refused():
    m = _tied(gradsh)
    e = gradsh.eye(2)
    out = gradsh.func.functional_call(m, {"a.weight": e, "b.weight": e}, (gradsh.ones(1, 2),))
    assert out.tolist() == [[1.0, 1.0]]


def test_linearize_gives_the_output_and_a_jvp_function():
    x = gradsh.tensor([0.5, 1.5], dtype=gradsh.float64)
    out, jvp_fn = gradsh.func.linearize(gradsh.sin, x)
    assert np.allclose(out._data, np.sin([0.5, 1.5]))
    t = gradsh.tensor([2.0, -1.0], dtype=gradsh.float64)
    assert np.allclose(jvp_fn(t)._data, np.cos([0.5, 1.5]) * [2.0, -1.0])
    with pytest.raises(RuntimeError, match=r"tangent:0 with shape torch.Size\(\[3\]\) in "
                                           r"flattened pytree doesn't match the shape"):
        jvp_fn(gradsh.ones(3, dtype=gradsh.float64))
    with pytest.raises(RuntimeError, match="tangent:0 with dtype torch.float32 in flattened "
                                           "pytree doesn't match the dtype torch.float64"):
        jvp_fn(gradsh.ones(2))
    with pytest.raises(RuntimeError, match="Expected the tangents TreeSpec"):
        jvp_fn()
    with pytest.raises(ValueError, match="Expected primal to be floating point or complex, "
                                         "but got: torch.int64"):
        gradsh.func.linearize(gradsh.sin, gradsh.tensor([1, 2]))


@pytest.mark.parametrize("chunk", [0, -1])
def test_jacrev_refuses_a_chunk_size_below_one(chunk):
    with pytest.raises(ValueError, match="jacrev: `chunk_size` should be greater than 0."):
        gradsh.func.jacrev(lambda a: a * 2, chunk_size=chunk)
    assert gradsh.func.jacrev(lambda a: a * 2, chunk_size=1)(gradsh.ones(2)).tolist() == \
        [[2.0, 0.0], [0.0, 2.0]]


# ----- saved tensors ---------------------------------------------------------------------------
def test_a_hooked_saved_tensor_is_a_saved_tensor_by_name():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    with gradsh.autograd.graph.saved_tensors_hooks(lambda t: t * 1, lambda t: t):
        y = x.exp()
    assert type(y.grad_fn._raw_saved_result).__name__ == "SavedTensor"
    assert type(x.exp().grad_fn._raw_saved_result).__name__ == "SavedTensor"


# ----- gradcheck / gradgradcheck of complex functions ------------------------------------------
def _complex_cases(lib):
    z = lib.tensor([0.5 + 1j, -0.3 + 0.2j], dtype=lib.complex128, requires_grad=True)
    w = lib.tensor([1.5 - 1j, 0.7 + 0.1j], dtype=lib.complex128, requires_grad=True)
    r = lib.tensor([0.4, -1.2], dtype=lib.float64, requires_grad=True)
    return [(lib.sin, (z,)), (lib.abs, (z,)), (lambda a, b: a * b, (z, w)),
            (lambda a: a.conj() * a, (z,)), (lambda a: a.real, (z,)), (lib.vdot, (z, w)),
            (lambda a, b: a * b, (z, r)), (lambda a: a.exp().sum(), (z,)), (lib.angle, (z,)),
            (lambda a: a.reshape(2, 1).mH, (z,)), (lambda a: a.norm(), (z,)),
            (lambda a, b: a / b, (z, w)), (lib.sgn, (z,)), (lambda a: a ** 3, (z,))]


@pytest.mark.parametrize("k", range(14))
def test_gradcheck_and_gradgradcheck_of_complex_functions_pass(k):
    f, ins = _complex_cases(gradsh)[k]
    assert gradsh.autograd.gradcheck(f, ins)
    assert gradsh.autograd.gradgradcheck(f, ins)


def test_gradcheck_catches_a_wrong_complex_backward():
    class TimesTwoI(gradsh.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2j

        @staticmethod
        def backward(ctx, g):
            return g * 2j    # the conjugate Wirtinger gradient is g * conj(2j)

    z = gradsh.tensor([0.5 + 1j], dtype=gradsh.complex128, requires_grad=True)
    assert not gradsh.autograd.gradcheck(TimesTwoI.apply, (z,), raise_exception=False)


def test_masked_fill_of_complex_tensors_and_a_complex_value_for_a_real_tensor():
    torch = _torch()
    rows = [[0.5 + 1j, -0.3 + 0.2j], [1j, 2.0 + 0j]]
    for value in (0, 1.5, 2j):
        t, g = _both(rows, "complex64")
        t.requires_grad_(), g.requires_grad_()
        ot = t.masked_fill(torch.tensor([[True, False], [False, True]]), value)
        og = g.masked_fill(gradsh.tensor([[True, False], [False, True]]), value)
        _same(ot, og)
        ot.abs().sum().backward()
        og.abs().sum().backward()
        _same(t.grad, g.grad)
    with pytest.raises(RuntimeError, match="value cannot be converted to type float without "
                                           "overflow"):
        gradsh.ones(2).masked_fill(gradsh.tensor([True, False]), gradsh.tensor(2j))
    assert gradsh.ones(2).masked_fill(gradsh.tensor([True, False]),
                                      gradsh.tensor(3 + 0j)).tolist() == [3.0, 1.0]


def test_complex64_sgn_in_every_layout_has_pytorchs_bits():
    """PyTorch's vector loop and its scalar loop (the rest of each contiguous run, and runs of
    non-adjacent elements) round sgn differently; abs's gradient is grad * sgn."""
    torch = _torch()
    torch.manual_seed(1)
    for shape in [(7,), (15,), (3, 5), (2, 3, 5), (7, 9), (4, 1, 6), (2, 20)]:
        z = torch.randn(*shape, dtype=torch.cfloat)
        g = gradsh.tensor(z.numpy())
        pairs = [(z, g), (z.transpose(0, -1), g.transpose(0, -1)), (z[::2], g[::2]),
                 (z[..., ::2], g[..., ::2]), (z[1:], g[1:])]
        for tz, tg in pairs:
            _same(tz.sgn(), tg.sgn())
            tr, gr = tz.clone().requires_grad_(), tg.clone().requires_grad_()
            tr.abs().sum().backward()
            gr.abs().sum().backward()
            _same(tr.grad, gr.grad)


def test_jvp_and_linearize_outputs_keep_a_closed_over_tensors_history_as_pytorch():
    w = gradsh.ones(2, requires_grad=True)
    x = gradsh.tensor([0.5, 1.5])
    out, _ = gradsh.func.jvp(lambda a: a * w, (x,), (gradsh.ones(2),))
    # PyTorch 2.13: grad_fn=<AliasBackward0>, over the function's MulBackward0
    assert out.grad_fn.name() == "AliasBackward0"
    assert out.grad_fn.next_functions[0][0].name() == "MulBackward0"
    out.sum().backward()
    assert w.grad.tolist() == [0.5, 1.5]
    out, _ = gradsh.func.linearize(lambda a: a * w, x)
    assert out.grad_fn.name() == "MulBackward0"      # linearize: the function's own output
    plain, _ = gradsh.func.jvp(lambda a: a * 2, (x,), (gradsh.ones(2),))
    assert plain.grad_fn is None
