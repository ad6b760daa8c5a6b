"""Issue 15's remaining torch/Tensor names (branch linalg3): small programs whose printed text
is the fact. Each case is (name, source); the source uses `torch` and prints what it checks
(values, node names, strides, gradients, exceptions' class and message). Recorded from
PyTorch 2.13 by tools/record_linalg3.py into tests/data/linalg3.json; tests/core/
test_linalg3.py runs each under gradsh (`torch` bound to gradsh) and compares the text."""

PRELUDE = '''
def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("no error")
'''

CASES = {}


def case(name, source):
    CASES[name] = source


# ----- as_strided and its family ---------------------------------------------------------------
case("as_strided view and gradient", '''
x = torch.arange(6.).requires_grad_()
y = torch.as_strided(x, (2, 2), (1, 1))
print(y, y.stride(), y.is_contiguous(), y._base is x)
y.sum().backward(); print(x.grad)
z = x[1:].as_strided((2,), (2,)); print(z, z.storage_offset())
print(x[1:].as_strided((2,), (2,), 0))
i = torch.arange(6); print(i.as_strided((3,), (2,)))
print(torch.as_strided(torch.tensor(5.), (), ()))
xt = torch.arange(6.).reshape(2, 3).t() + 1
print(xt.stride(), xt.as_strided((6,), (1,), 0))
''')
case("as_strided bounds errors", '''
x = torch.arange(6.)
err(lambda: x.as_strided((4,), (2,)))
err(lambda: x.as_strided((2,), (-1,)))
err(lambda: x.as_strided((2, 2), (1,)))
err(lambda: x.as_strided((2,), (1,), -1))
err(lambda: x[2:].as_strided((3,), (2,)))
err(lambda: torch.arange(6, dtype=torch.float64).as_strided((7,), (1,)))
print(x.as_strided((0, 3), (100, 100), 50).shape)
''')
case("as_strided gradient of overlapping input and storage outside it", '''
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x[:1].expand(4).as_strided((2,), (1,)); print(y)
y.sum().backward(); print(x.grad)
x = torch.arange(6.).requires_grad_()
w = x[2:4].as_strided((4,), (1,), 0); w.sum().backward(); print(x.grad)
x = torch.arange(6.).requires_grad_()
(torch.as_strided(x, (3, 2), (1, 1)) * torch.arange(6.).view(3, 2)).sum().backward()
print(x.grad)
''')
case("as_strided in place and through a view", '''
x = torch.arange(6.).requires_grad_()
err(lambda: x.as_strided_((2,), (1,)))
a = torch.zeros(6); print(a.as_strided_((2, 2), (2, 1)) is a, a.shape, a.stride())
b = x.clone(); b.as_strided_((2, 2), (1, 1)); print(b, b.grad_fn.name())
b.sum().backward(); print(x.grad)
x = torch.arange(6.).requires_grad_()
c = x * 1
v = c.as_strided((2,), (2,), 1)
v.mul_(10)
print(c, v.grad_fn.name())
c.sum().backward(); print(x.grad)
''')
case("as_strided_copy", '''
x = torch.arange(6.).requires_grad_()
w = torch.as_strided_copy(x, (2, 2), (1, 1)); print(w, w.stride(), w._base is None)
w.pow(2).sum().backward(); print(x.grad)
''')
case("as_strided_scatter", '''
x = torch.arange(6.).requires_grad_()
src = torch.ones(2, 2, requires_grad=True)
s = torch.as_strided_scatter(x, src, (2, 2), (2, 1)); print(s)
(s * torch.arange(6.)).sum().backward(); print(x.grad, src.grad)
x = torch.arange(6.).requires_grad_()
src = torch.ones(2, 2, requires_grad=True)
s = torch.as_strided_scatter(x, src, (2, 2), (1, 1))
(s * torch.arange(6.)).sum().backward(); print(x.grad, src.grad)
xt = torch.arange(6.).reshape(2, 3).t()
s = torch.as_strided_scatter(xt, torch.zeros(2), (2,), (1,), 1); print(s, s.stride())
xt.requires_grad_()
err(lambda: torch.as_strided_scatter(xt, torch.zeros(2), (2,), (1,), 1))
err(lambda: torch.as_strided_scatter(x, torch.ones(3), (2,), (1,)))
err(lambda: torch.as_strided_scatter(x, torch.ones(2), (7,), (1,)))
print(torch.arange(6.).as_strided_scatter(torch.ones(2, dtype=torch.float64), (2,), (1,)))
''')
case("empty_strided and new_empty_strided", '''
e = torch.empty_strided((2, 3), (1, 2), dtype=torch.float64, requires_grad=True)
print(e.shape, e.stride(), e.dtype, e.requires_grad, e.is_contiguous())
e = torch.empty_strided((2, 2), (0, 1)); print(e.stride(), e.is_contiguous())
e = torch.empty_strided([2, 2], [3, 1]); print(e.stride(), e.dtype)
err(lambda: torch.empty_strided((2, 2), (1,)))
err(lambda: torch.empty_strided((2, -2), (1, 1)))
err(lambda: torch.empty_strided((2, 2), (-1, 1)))
n = torch.ones(2, dtype=torch.int32).new_empty_strided((2, 3), (1, 2)); print(n.dtype, n.stride())
n = torch.ones(2).new_empty_strided((2,), (2,), dtype=torch.float64); print(n.dtype, n.shape)
''')


# ----- torch.gradient --------------------------------------------------------------------------
case("gradient spacing forms and edge orders", '''
x = torch.tensor([1., 4., 9., 16., 25.], requires_grad=True)
print(torch.gradient(x))
print(torch.gradient(x, spacing=2.))
print(torch.gradient(x, spacing=[2]))
print(torch.gradient(x, edge_order=2))
t = torch.tensor([0., 1., 1.5, 3.5, 4.])
print(torch.gradient(x, spacing=(t,)))
print(torch.gradient(x, spacing=(t,), edge_order=2))
m = torch.arange(12.).reshape(3, 4) ** 2
print(torch.gradient(m))
print(torch.gradient(m, dim=1))
print(torch.gradient(m, spacing=2, dim=-1))
print(torch.gradient(m, spacing=[2., 3.], dim=(0, 1)))
print(torch.gradient(m, spacing=[torch.tensor([0., 1., 3.]), torch.tensor([0., 1., 2., 4.])]))
print(torch.gradient(m.double(), spacing=[torch.tensor([0., 1., 3.]).double()], dim=0, edge_order=2))
print(torch.gradient(torch.tensor([1, 4, 9, 16])))
print(torch.gradient(torch.tensor(3.)))
print(torch.gradient(torch.tensor([0.1, 0.7, 0.2]), spacing=0.3))
''')
case("gradient gradients", '''
x = torch.tensor([1., 4., 9., 16., 25.], requires_grad=True)
r = torch.gradient(x)[0]; r.sum().backward(); print(x.grad)
x.grad = None
(torch.gradient(x, edge_order=2)[0] * torch.arange(5.)).sum().backward(); print(x.grad)
m = torch.arange(12.).reshape(3, 4).requires_grad_()
a, b = torch.gradient(m, spacing=[torch.tensor([0., 1., 3.]), torch.tensor([0., 1., 2., 4.])])
(a * b).sum().backward(); print(m.grad)
''')
case("gradient errors", '''
x = torch.tensor([1., 4., 9., 16., 25.])
m = torch.ones(3, 4)
err(lambda: torch.gradient(torch.tensor([1.])))
err(lambda: torch.gradient(torch.tensor([1., 2.]), edge_order=2))
err(lambda: torch.gradient(x, edge_order=3))
err(lambda: torch.gradient(x, spacing=[1., 2.]))
err(lambda: torch.gradient(m, spacing=[1., 2.], dim=0))
err(lambda: torch.gradient(x, spacing=(torch.tensor([0., 1.]),)))
err(lambda: torch.gradient(m, dim=2))
err(lambda: torch.gradient(m, dim=(0, 0)))
err(lambda: torch.gradient(torch.ones(3, dtype=torch.uint8)))
err(lambda: torch.gradient(x, spacing=(torch.ones(5, 1),)))
''')


# ----- index_reduce ----------------------------------------------------------------------------
_IR = '''
x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True)
src = torch.tensor([[2., 0.], [4., 5.], [-1., 8.], [3., 3.]], requires_grad=True)
idx = torch.tensor([0, 2, 0, 2])
'''
for _r in ("prod", "mean", "amax", "amin"):
    case(f"index_reduce {_r}", _IR + f'''
import warnings
warnings.simplefilter("ignore")
for inc in (True, False):
    x.grad = src.grad = None
    y = x.index_reduce(0, idx, src, "{_r}", include_self=inc)
    print(y)
    (y * torch.tensor([[1., -2.], [3., 0.5], [2., 1.]])).sum().backward()
    print(x.grad, src.grad)
y = torch.index_reduce(x.t(), 1, idx, src.t(), "{_r}"); print(y, y.stride())
''')
case("index_reduce integers, nan, ties, 0-d and in place", '''
import warnings
warnings.simplefilter("ignore")
i = torch.tensor([7, 1, 5])
print(i.index_reduce(0, torch.tensor([0, 0, 2]), torch.tensor([2, 3, 4]), "mean"))
print(i.index_reduce(0, torch.tensor([0, 0, 2]), torch.tensor([2, 3, 4]), "amax", include_self=False))
print(torch.tensor([1., float("nan")]).index_reduce(0, torch.tensor([0, 1]), torch.tensor([float("nan"), 2.]), "amax"))
print(torch.tensor(3.).index_reduce(0, torch.tensor([0]), torch.tensor(2.), "prod"))
x = torch.tensor([2., 2., 1.], requires_grad=True)
s = torch.tensor([2., 1.], requires_grad=True)
y = x.index_reduce(0, torch.tensor([0, 0]), s, "amax"); y.sum().backward(); print(y, x.grad, s.grad)
a = torch.ones(3, 2)
print(a.index_reduce_(1, torch.tensor([1, 1], dtype=torch.int32), torch.full((3, 2), 3.), "prod"), a)
x = torch.tensor([1., 0., 3.], requires_grad=True)
s = torch.tensor([0., 2., 5.], requires_grad=True)
y = x.index_reduce(0, torch.tensor([1, 1, 0]), s, "prod"); y.sum().backward(); print(y, x.grad, s.grad)
''')
case("index_reduce errors", '''
import warnings
warnings.simplefilter("ignore")
x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True)
src = torch.ones(4, 2)
idx = torch.tensor([0, 2, 0, 2])
err(lambda: x.index_reduce(0, idx, src, "sum"))
err(lambda: x.index_reduce(0, idx.float(), src, "prod"))
err(lambda: x.index_reduce(0, idx[:3], src, "prod"))
err(lambda: x.index_reduce(0, idx, src[:, :1], "prod"))
err(lambda: x.index_reduce(0, torch.tensor([0, 5, 0, 2]), src, "prod"))
err(lambda: x.index_reduce(0, idx, src.double(), "prod"))
err(lambda: x.index_reduce_(0, idx, src, "prod"))
err(lambda: x.index_reduce(2, idx, src, "prod"))
err(lambda: x.index_reduce(0, idx.view(2, 2), src, "prod"))
''')
case("fresh: index_reduce warns once", '''
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.ones(2).index_reduce(0, torch.tensor([0]), torch.ones(1), "prod")
    torch.ones(2).index_reduce(0, torch.tensor([0]), torch.ones(1), "prod")
print(len(w), [str(x.message).split(" (Triggered internally")[0] for x in w])  # (the C++ file: PyTorch's)
''')


# ----- asarray, fill ---------------------------------------------------------------------------
case("asarray of tensors", '''
import warnings
warnings.simplefilter("ignore")
t = torch.tensor([1., 2.])
a = torch.asarray(t); print(a is t, a.requires_grad)
a = torch.asarray(t, copy=True); print(a is t, a.data_ptr() == t.data_ptr(), a)
a = torch.asarray(t, dtype=torch.float64); print(a, a.data_ptr() == t.data_ptr())
print(torch.asarray(t, copy=False) is t, torch.asarray(t, dtype=torch.float32) is t)
print(torch.asarray(t, device="cpu") is t)
err(lambda: torch.asarray(t, dtype=torch.float64, copy=False))
a = torch.asarray(t, requires_grad=True); print(a, a is t, t.requires_grad, a.is_leaf)
x = torch.ones(2, requires_grad=True) * 2
a = torch.asarray(x); print(a, a is x)
a = torch.asarray(x, requires_grad=True); print(a, a is x)
print(torch.asarray(x, copy=True))
print(torch.asarray(x, dtype=torch.float64))
print(torch.asarray(x, copy=True, requires_grad=False))
a = torch.asarray(torch.ones(2, requires_grad=True), copy=True, requires_grad=True)
print(a, a.is_leaf)
print(torch.asarray(torch.tensor([1, 2]), dtype=torch.float32))
''')
case("asarray of numbers and sequences", '''
print(torch.asarray([1, 2, 3]), torch.asarray([1., 2]), torch.asarray(3), torch.asarray(3.5))
print(torch.asarray([True]), torch.asarray([[1, 2], [3, 4]], dtype=torch.float32))
print(torch.asarray([1, 2], copy=True), torch.asarray((1, 2.5), requires_grad=True))
print(torch.asarray([torch.tensor(1.), torch.tensor(2.)]))
err(lambda: torch.asarray([1, 2], copy=False))
err(lambda: torch.asarray([torch.tensor([1., 2.]), torch.tensor([1., 2.])]))
err(lambda: torch.asarray([1, 2], requires_grad=True))
err(lambda: torch.asarray("abc"))
err(lambda: torch.asarray([[1], [1, 2]]))
err(lambda: torch.asarray(None))
''')
case("fresh: asarray warns once when requires_grad follows obj", '''
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.asarray(torch.ones(2, requires_grad=True) * 2)
    torch.asarray(torch.ones(2, requires_grad=True) * 2)
print(len(w), [str(x.message).split(" (Triggered internally")[0] for x in w])  # (the C++ file: PyTorch's)
''')
case("fill", '''
y = torch.zeros(3)
print(torch.fill(y, 2.), y)
z = torch.ones(2, requires_grad=True)
print(torch.fill(z, 3.), torch.fill(z, torch.tensor(5.)))
v = torch.tensor(5., requires_grad=True)
r = torch.fill(z, v); print(r)
(r * torch.tensor([1., 2.])).sum().backward(); print(z.grad, v.grad)
print(torch.fill(torch.ones(2, dtype=torch.int64), 2.5))
print(torch.fill(torch.ones(3, 2).t(), 1.5).stride())
err(lambda: torch.fill(z, torch.ones(2)))
''')


# ----- out= ------------------------------------------------------------------------------------
case("out= of as_strided_copy and index_reduce", '''
import warnings
warnings.simplefilter("ignore")
x = torch.arange(6.)
o = torch.empty(0); r = torch.as_strided_copy(x, (2, 2), (1, 1), out=o); print(r is o, o, o.stride())
o = torch.empty(0, requires_grad=True); err(lambda: torch.as_strided_copy(x, (2,), (1,), out=o))
o = torch.empty(0)
r = torch.index_reduce(x, 0, torch.tensor([0, 0]), torch.tensor([2., 3.]), "prod", out=o)
print(r is o, o)
o = torch.zeros(1)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.index_reduce(x, 0, torch.tensor([1]), torch.tensor([2.]), "amax", include_self=False, out=o)
print(o, [str(m.message).split(" This behavior")[0] for m in w if "resized" in str(m.message)])
''')


# ----- frobenius_norm --------------------------------------------------------------------------
case("frobenius_norm", '''
import warnings
warnings.simplefilter("ignore")
x = torch.tensor([[3., 4.], [1., 2.]], requires_grad=True)
r = torch.frobenius_norm(x, (0, 1)); print(r)
r.backward(); print(x.grad)
print(torch.frobenius_norm(x, (1,), True), torch.frobenius_norm(x, 0))
print(torch.frobenius_norm(torch.tensor([3., 4.]), (0,)))
err(lambda: torch.frobenius_norm(x, (0, 1, 2)))
err(lambda: torch.frobenius_norm(x, (0, 0)))
''')
case("fresh: frobenius_norm warns once", '''
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.frobenius_norm(torch.ones(2), 0)
    torch.frobenius_norm(torch.ones(2), 0)
print(len(w), [str(x.message).split(" (Triggered internally")[0] for x in w])  # (the C++ file: PyTorch's)
''')


# ----- slice_inverse ---------------------------------------------------------------------------
case("slice_inverse", '''
base = torch.arange(10.)
s = base[2:8:2]
r = torch.slice_inverse(s, base, 0, 2, 8, 2); print(r, r.shape, r.stride(), r.storage_offset())
x = torch.arange(6.).requires_grad_()
y = x.view(2, 3)[:, 1:]
r = torch.slice_inverse(y, torch.zeros(2, 3), 1, 1, None); print(r)
(r * torch.arange(6.).view(2, 3)).sum().backward(); print(x.grad)
r = y.slice_inverse(torch.zeros(2, 3), dim=1, start=1); print(r.shape, r._base is x)
err(lambda: torch.slice_inverse(y * 1, torch.zeros(2, 3), 1, 1, None))
err(lambda: torch.slice_inverse(y, 3, 1))
''')



# ----- complex linear algebra (branch cplxdist): values, node names and conjugate Wirtinger
# gradients; the gradients of a real loss are printed to 4 decimals, so LAPACK's last bits do
# not show; gradcheck runs in float64 ----------------------------------------------------------
CPLX_PRELUDE = """
g = torch.Generator().manual_seed(3)
def cm(*shape, dtype=torch.complex128):
    return torch.complex(torch.randn(*shape, generator=g, dtype=torch.float64),
                         torch.randn(*shape, generator=g, dtype=torch.float64)).to(dtype)
def show(t):
    print(torch.view_as_real(t.detach().resolve_conj()).mul(1e4).round().div(1e4) + 0.0)
def wgrad(f, *xs, names=True):
    # (names=False: cholesky_solve is a composition in gradsh, its node names differ from
    # PyTorch's CholeskySolveBackward0: docs/autograd.md)
    xs = [x.detach().requires_grad_() for x in xs]
    out = f(*xs)
    outs = out if isinstance(out, tuple) else (out,)
    loss = 0
    for o in outs:
        if o.requires_grad:
            w = cm(*o.shape).to(o.dtype) if o.is_complex() else torch.randn(o.shape, generator=g, dtype=o.dtype)
            loss = loss + (o * w).real.sum() if o.is_complex() else loss + (o * w).sum()
    loss.backward()
    if names:
        print([type(o.grad_fn).__name__ for o in outs if o.grad_fn is not None])
    for x in xs:
        show(x.grad)
def gc(f, *xs):
    xs = [x.detach().requires_grad_() for x in xs]
    print(torch.autograd.gradcheck(f, xs, eps=1e-6, atol=1e-5))
"""


def cplx(name, source):
    case(name, CPLX_PRELUDE + source)


cplx("complex cholesky, cholesky_ex, upper and the old names", """
A = cm(3, 3); H = A @ A.mH + 3 * torch.eye(3, dtype=A.dtype)
L = torch.linalg.cholesky(H); show(L); print(L.dtype, L.stride(), torch.allclose(L @ L.mH, H))
U = torch.linalg.cholesky(H, upper=True); print(torch.allclose(U, L.mH))
r = torch.linalg.cholesky_ex(H.to(torch.complex64)); print(r.L.dtype, r.info)
herm = lambda X: X @ X.mH + 3 * torch.eye(X.shape[-1], dtype=X.dtype)
wgrad(lambda X: torch.linalg.cholesky(herm(X)), A)
wgrad(lambda X: torch.linalg.cholesky(herm(X), upper=True), cm(2, 3, 3))
gc(lambda X: torch.linalg.cholesky(herm(X)), A)
err(lambda: torch.linalg.cholesky(-H))
""")
cplx("complex cholesky_solve and cholesky_inverse", """
A = cm(3, 3); B = cm(3, 2); herm = lambda X: X @ X.mH + 3 * torch.eye(3, dtype=X.dtype)
L = torch.linalg.cholesky(herm(A))
show(torch.cholesky_solve(B, L))
print(torch.allclose(torch.cholesky_solve(B, L.mH, upper=True), torch.linalg.solve(herm(A), B)))
show(torch.cholesky_inverse(L))
print(torch.allclose(torch.cholesky_inverse(L.mH, upper=True), torch.linalg.inv(herm(A))))
wgrad(lambda X, Y: torch.cholesky_solve(Y, torch.linalg.cholesky(herm(X))), A, B, names=False)
wgrad(lambda X: torch.cholesky_inverse(torch.linalg.cholesky(herm(X))).real, A)
gc(lambda X, Y: torch.cholesky_solve(Y, torch.linalg.cholesky(herm(X)), upper=False), A, B)
""")
cplx("complex qr: reduced, complete, r, tall and wide, gradients", """
for shape in ((3, 3), (4, 2), (2, 4)):
    A = cm(*shape)
    Q, R = torch.linalg.qr(A); show(Q); show(R)
    print(torch.allclose(Q @ R, A), torch.allclose(Q.mH @ Q, torch.eye(Q.shape[-1], dtype=A.dtype)))
    print(R.diagonal().imag.abs().max() == 0)
    wgrad(lambda X: torch.linalg.qr(X), A)
Q, R = torch.linalg.qr(cm(4, 2), mode="complete"); print(Q.shape, R.shape)
print(torch.linalg.qr(cm(3, 2), mode="r").Q.shape)
gc(lambda X: torch.linalg.qr(X), cm(3, 2))
gc(lambda X: torch.linalg.qr(X), cm(2, 3))
""")
cplx("complex lstsq and pinv", """
A = cm(4, 3); B = cm(4, 2)
r = torch.linalg.lstsq(A, B); show(r.solution); print(r.rank, r.residuals, r.singular_values)
show(torch.linalg.lstsq(A, B[:, 0]).solution)
show(torch.linalg.pinv(A)); show(torch.pinverse(cm(2, 3)))
H = A.mH @ A; print(torch.allclose(torch.linalg.pinv(H, hermitian=True), torch.linalg.inv(H)))
wgrad(lambda X, Y: torch.linalg.lstsq(X, Y).solution, A, B)
wgrad(lambda X: torch.linalg.pinv(X), cm(2, 3))
wgrad(lambda X: torch.linalg.pinv(X, hermitian=True), cm(3, 3))
print(torch.linalg.matrix_rank(torch.tensor([[1., 5.], [0., 1.]]), hermitian=True))
show(torch.linalg.pinv(torch.tensor([[2., 5.], [0., -1.]], dtype=torch.complex128), hermitian=True))
gc(lambda X, Y: torch.linalg.lstsq(X, Y).solution, A, B)
gc(lambda X: torch.linalg.pinv(X), A)
""")
cplx("complex matrix_exp, matrix_power, matrix_rank, cond", """
A = cm(3, 3)
show(torch.linalg.matrix_exp(A)); show(torch.matrix_exp(cm(2, 2, 2) * 3))
print(torch.allclose(torch.linalg.matrix_exp(A) @ torch.linalg.matrix_exp(-A), torch.eye(3, dtype=A.dtype)))
wgrad(lambda X: torch.linalg.matrix_exp(X), A)
gc(lambda X: torch.linalg.matrix_exp(X), A)
show(torch.linalg.matrix_power(A, 3)); show(torch.linalg.matrix_power(A, -2))
wgrad(lambda X: torch.linalg.matrix_power(X, -2), A)
M = cm(4, 2) @ cm(2, 4)
print(torch.linalg.matrix_rank(M), torch.linalg.matrix_rank(M, hermitian=True), torch.linalg.matrix_rank(A.to(torch.complex64)))
print(torch.linalg.matrix_rank(M, atol=1.0, rtol=0.0), torch.linalg.matrix_rank(M @ M.mH, hermitian=True))
c = torch.linalg.cond(A); print(c.dtype, round(c.item(), 6), round(torch.linalg.cond(A, -2).item(), 6))
print(round(torch.linalg.cond(A, "fro").item(), 6), round(torch.linalg.cond(A, "nuc").item(), 6))
print(round(torch.linalg.cond(A, 1).item(), 6), round(torch.linalg.cond(A, float("inf")).item(), 6))
gc(lambda X: torch.linalg.cond(X), A)
""")
cplx("complex solve_triangular and triangular_solve", """
A = cm(3, 3) + 3 * torch.eye(3); B = cm(3, 2)
show(torch.linalg.solve_triangular(A, B, upper=True))
show(torch.linalg.solve_triangular(A, B.mT, upper=False, left=False))
show(torch.linalg.solve_triangular(A, B, upper=True, unitriangular=True))
X, C = torch.triangular_solve(B, A, upper=False, transpose=True); show(X); print(torch.equal(C, A.tril()))
wgrad(lambda X, Y: torch.linalg.solve_triangular(X, Y, upper=False), A, B)
wgrad(lambda X, Y: torch.triangular_solve(Y, X, transpose=True), A, B)
gc(lambda X, Y: torch.linalg.solve_triangular(X, Y, upper=True, left=False), A, B.mT)
""")
cplx("complex lu_factor, lu, lu_solve, lu_unpack", """
A = cm(3, 3); B = cm(3, 2)
LU, piv = torch.linalg.lu_factor(A); show(LU); print(piv, LU.stride())
P, L, U = torch.linalg.lu(cm(4, 3)); print(P.dtype); show(L); show(U)
P, L, U = torch.linalg.lu(cm(2, 4)); show(L); show(U)
print(torch.allclose(torch.lu_unpack(LU, piv)[0] @ torch.lu_unpack(LU, piv)[1] @ torch.lu_unpack(LU, piv)[2], A))
show(torch.linalg.lu_solve(LU, piv, B)); show(torch.linalg.lu_solve(LU, piv, B, adjoint=True))
show(torch.linalg.lu_solve(LU, piv, B.mT, left=False)); show(torch.linalg.lu_solve(LU, piv, B.mT, left=False, adjoint=True))
print(torch.linalg.lu_factor_ex(torch.zeros(2, 2, dtype=torch.complex64)).info)
wgrad(lambda X: torch.linalg.lu(X), A)
wgrad(lambda X: torch.linalg.lu_factor(X)[0], A)
wgrad(lambda X, Y: torch.linalg.lu_solve(*torch.linalg.lu_factor(X), Y, adjoint=True), A, B)
gc(lambda X, Y: torch.linalg.lu_solve(*torch.linalg.lu_factor(X), Y, left=False), A, B.mT)
gc(lambda X: torch.linalg.lu(X)[1:], cm(3, 2))
""")
cplx("complex geqrf, householder_product, orgqr, ormqr", """
A = cm(4, 3); C = cm(4, 2)
a, tau = torch.geqrf(A); show(a); show(tau)
Q = torch.linalg.householder_product(a, tau); show(Q)
print(torch.allclose(Q, torch.linalg.qr(A).Q), torch.equal(torch.orgqr(a, tau), Q))
show(torch.ormqr(a, tau, C)); show(torch.ormqr(a, tau, C, transpose=True))
show(torch.ormqr(a, tau, C.mT, left=False, transpose=True))
wgrad(lambda X, T: torch.linalg.householder_product(X, T), a, tau)
wgrad(lambda X, T, Y: torch.ormqr(X, T, Y, transpose=True), a, tau, C)
gc(lambda X, T: torch.linalg.householder_product(X, T), a, tau)
""")

def run(torch, source):
    """The text `source` prints with `torch` bound to the given library (cases named "fresh:
    ..." see warnings PyTorch gives once per process: run them in a process of their own)."""
    import contextlib
    import io
    if name_of(source).startswith("fresh:"):
        import subprocess
        import sys
        program = f"import {torch.__name__} as torch\n" + PRELUDE + source
        return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                              timeout=120).stdout
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(PRELUDE + source, {"torch": torch})
    return out.getvalue()


def name_of(source):
    return next(n for n, s in CASES.items() if s is source)
