"""The cases of tests/core/test_complex.py and tools/record_complex.py: the complex dtypes
(issue 15, branch complex). A case is one expression over `torch` and the tensors of SETUP;
its fact is the repr of its value (a tensor's text is PyTorch's printing), or `!! Kind:
message` for an exception. Each case runs after manual_seed(0)."""

SETUP = """
a = torch.tensor([1+2j, 3-4j])
b = torch.tensor([0.5j, -1.25+0.5j])
m = torch.tensor([[1+2j, 3-4j], [1j, 2]])
r = torch.tensor([1.5, -2.0])
d = torch.tensor([0.1+0.2j, 0.3-0.4j], dtype=torch.cdouble)
xr = torch.tensor([0.5, -1.0, 2.0, 0.25, 3.0, -0.75], dtype=torch.float64, requires_grad=True)
xc = torch.tensor([1+2j, -0.5j, 3, 0.25-1j, 2+2j, -1+0.5j], dtype=torch.cdouble, requires_grad=True)
xm = torch.tensor([[0.5, -1.0, 2.0], [0.25, 3.0, -0.75]], dtype=torch.float64, requires_grad=True)
def write(t, f):
    f(t)
    return t
def L(o):
    w = torch.linspace(-1, 2, o.numel(), dtype=torch.float64).reshape(o.shape)
    if o.is_complex():
        return (o.real * w).sum() + (o.imag * w * w).sum()
    return (o * w).sum()
def G(f, *xs):
    out = f(*xs)
    names = type(out.grad_fn).__name__
    return out, names, torch.autograd.grad(L(out), xs)
def conj_then(f):
    z = a.clone()
    c = z.conj()
    f(z, c)
    return z, c, z._version, c._version, c.is_conj()
def H(f, x):
    g, = torch.autograd.grad(L(f(x)), x, create_graph=True)
    h, = torch.autograd.grad(L(g * (1 + 0.5j)), x)
    # to 2 decimals, the sign of zero aside: float64 rounding in another order stays out
    return (g.detach() + 0.0, g.requires_grad,
            torch.view_as_real(h.resolve_conj()).mul(100).round().div(100) + 0.0)
"""

CASES = [
    # construction and dtypes
    "a", "a.dtype", "d.dtype", "torch.tensor(1+2j)", "torch.tensor(-0.5j)", "torch.tensor([])",
    "torch.tensor([1, 2.5, 3j])", "torch.tensor([[1+1j], [2]])", "torch.tensor([a[0], a[1]])",
    "torch.tensor([1j], dtype=torch.float32)", "torch.tensor([1.5], dtype=torch.cfloat)",
    "torch.tensor([1+2j], dtype=torch.cdouble)", "torch.tensor([1+2j], dtype=torch.int64)",
    "torch.zeros(3, dtype=torch.cfloat)", "torch.ones(2, 2, dtype=torch.cdouble)",
    "torch.eye(2, dtype=torch.cfloat)", "torch.full((2,), 1+1j)", "torch.full((2,), 2, dtype=torch.cfloat)",
    "torch.empty(0, dtype=torch.cfloat)", "torch.zeros(0, 2, dtype=torch.cdouble)",
    "torch.randn(3, dtype=torch.cfloat)", "torch.randn(2, 5, dtype=torch.cfloat)",
    "torch.randn(4, dtype=torch.cdouble)", "torch.randn(10, dtype=torch.cfloat)",
    "torch.cfloat", "torch.cdouble", "torch.chalf", "torch.complex64 is torch.cfloat",
    "torch.complex64.is_complex", "torch.complex64.is_floating_point", "torch.float32.is_complex",
    "torch.complex128.itemsize", "torch.complex64.is_signed",
    "a.is_complex()", "r.is_complex()", "torch.is_complex(a)", "a.is_floating_point()",
    "a.element_size()", "a.type()", "d.type()",
    "r.to(torch.cfloat)", "r.cdouble()", "torch.arange(3).to(torch.complex64)",
    "a.to(torch.cdouble)", "a.cfloat() is a",
    # promotion
    "torch.promote_types(torch.float64, torch.complex64)",
    "torch.promote_types(torch.int64, torch.complex64)",
    "torch.promote_types(torch.float16, torch.complex128)",
    "torch.promote_types(torch.complex64, torch.complex128)",
    "torch.result_type(r, 1j)", "torch.result_type(a, 2.0)",
    "(torch.ones(2, dtype=torch.float64) * 1j).dtype", "(torch.ones(2, dtype=torch.int64) * 1j).dtype",
    "(torch.ones(2) + torch.tensor(1j, dtype=torch.complex128)).dtype",
    "(torch.ones(2, dtype=torch.float64) + torch.tensor(1j)).dtype",
    "(a + d).dtype", "(a + torch.tensor([1, 2])).dtype", "(torch.tensor(True) + a).dtype",
    "r * 1j", "torch.arange(3) * (1 + 1j)", "2 * a", "a * 2.5", "a + True",
    # printing
    "torch.tensor([1.5+2j, -3.25-4j, 0j])", "torch.tensor([[1+1e-5j, 2e6+1j], [3+0j, -1j]])",
    "torch.tensor([1e10+1j, 1+1j])", "d", "torch.tensor([complex('nan')+1j, complex('inf')-2j, 1+1j])",
    "torch.arange(30).reshape(3, 10) * (1.5 + 0.25j)", "torch.arange(2000) * 1j",
    "torch.arange(2000).reshape(40, 50) * (1 - 2j)",
    "torch.tensor([1.123456789+9.87654321j], dtype=torch.cdouble)",
    "torch.tensor([-0.0-0.0j, 0.0+0.0j])", "torch.tensor([12345.678+0.001j, 1j])",
    "torch.tensor([[[1+2j]]])", "torch.tensor([0.1+1e-8j])", "torch.tensor([1e-5+1e5j, 3+4j])",
    "torch.linspace(0, 1, 12) * (1 + 1j)",
    "str(a)", "repr(m)", "a.tolist()", "a[0].item()", "d[1].item()", "complex(a[1])",
    "torch.ones(1, dtype=torch.cfloat).item()", "float(a[0])", "int(a[0])", "bool(a[0])",
    "a.numpy()", "m.tolist()",
    # views and parts
    "a.real", "a.imag", "r.real", "r.imag", "torch.real(a)", "torch.imag(d)",
    "write(a.clone(), lambda t: t.real.mul_(10))", "write(a.clone(), lambda t: t.imag.fill_(0))",
    "torch.view_as_real(a)", "torch.view_as_real(m)", "torch.view_as_real(r)",
    "torch.view_as_complex(torch.tensor([[1., 2.], [3., 4.]]))",
    "torch.view_as_complex(torch.tensor([1., 2., 3.]))", "torch.view_as_complex(torch.tensor([[1, 2]]))",
    "torch.view_as_complex(torch.ones(2, 2).t())",
    "write(a.clone(), lambda t: torch.view_as_real(t)[0, 1].fill_(7))",
    "torch.complex(torch.tensor([1., 2.]), torch.tensor([3., 4.]))",
    "torch.complex(torch.tensor([1., 2.], dtype=torch.float64), torch.tensor([3., 4.], dtype=torch.float64))",
    "torch.complex(torch.tensor([1, 2]), torch.tensor([3, 4]))",
    "torch.complex(torch.tensor([1.]), torch.tensor([3.], dtype=torch.float64))",
    "torch.complex(torch.ones(2, 1), torch.zeros(3))",
    "torch.polar(torch.tensor([1., 2.]), torch.tensor([0., 1.5707963267948966]))",
    "torch.polar(torch.tensor([2.], dtype=torch.float64), torch.tensor([3.0], dtype=torch.float64))",
    "a.conj()", "a.conj().is_conj()", "r.conj() is r", "a.conj_physical()", "torch.conj_physical(r)",
    "a.resolve_conj()", "a.angle()", "r.angle()", "torch.tensor([-1, 0, 2]).angle()",
    "a.abs()", "d.abs()", "torch.abs(m)", "a.sgn()", "torch.tensor([0j, 3+4j]).sgn()",
    "torch.isreal(torch.tensor([1+2j, 3+0j]))", "torch.isreal(r)",
    # arithmetic and functions
    "a + b", "a - b", "a * b", "a / b", "-a", "a ** 2", "a ** 0.5", "a ** b", "2 ** a",
    "a / 2", "1 / a", "a - 1j", "1j - a", "a * r", "r / a",
    "a.exp()", "a.log()", "a.sqrt()", "a.sin()", "a.cos()", "a.tanh()", "d.exp()", "d.sqrt()",
    "torch.exp(m)", "torch.tensor([0j, -1+0j]).log()", "torch.tensor([-4+0j]).sqrt()",
    "m @ m", "m @ a", "a @ a", "torch.matmul(m, m.t())", "torch.mm(m, m)", "m @ r",
    "a.sum()", "m.sum(0)", "m.sum(1, keepdim=True)", "a.mean()", "m.mean(0)", "a.prod()",
    "d.sum()", "d.mean()",
    # shapes and indexing
    "torch.cat([a, b])", "torch.cat([a, r])", "torch.stack([a, b])", "m.reshape(4)", "m.t()",
    "m.view(4)", "m[0]", "m[:, 1]", "m[m.real > 0.5]", "a[torch.tensor([1, 0])]",
    "m.flatten()", "m.unsqueeze(0).shape", "m.transpose(0, 1)", "m.flip(0)", "m.clone()",
    "write(a.clone(), lambda t: t.__setitem__(0, 5j))", "write(a.clone(), lambda t: t.zero_())",
    "write(torch.zeros(2, dtype=torch.cfloat), lambda t: t.copy_(r))",
    "write(r.clone(), lambda t: t.copy_(a))",
    # comparisons
    "a == b", "a == a", "a != torch.tensor([1+2j, 0j])", "a == 1+2j", "a != 3-4j",
    "torch.equal(a, a.clone())", "a < b", "a > 1", "a <= b", "a >= 1", "a.max()", "a.min()",
    "torch.maximum(a, b)", "a.argmax()", "a.sort()", "torch.isnan(a)", "torch.isfinite(a)",
    # ops not built for complex
    "a.relu()", "a.floor()", "a.clamp(0, 1)", "a.sign()", "a.round()", "a % 2", "a // 2",
    "a.erf()", "torch.softmax(a, 0)", "a.sigmoid()", "a.cumsum(0)", "a.atan2(a)",
    # autograd: complex leaves and outputs
    "torch.tensor([1+1j], requires_grad=True)", "a.requires_grad_().requires_grad",
    "(a.clone().requires_grad_() * 2).sum().backward()",
    "(a.clone().requires_grad_() * 2).backward()",
    "(a.clone().requires_grad_() * 2).sum().backward(torch.tensor(1+0j))",
    "type((a.clone().requires_grad_() * 2).sum().grad_fn).__name__",
    "torch.autograd.grad((a.clone().requires_grad_() * 2).sum(), [a])",
    "a.sum().backward()",
    "torch.tensor([1+1j], requires_grad=True).abs().sum().backward()",
    "G(lambda z: z * torch.tensor([2-1j, 1j, 1, 2, 3j, -1], dtype=torch.cdouble), xc)",
    "G(lambda z: z * z, xc)", "G(lambda z: z / (z + 3), xc)", "G(lambda z: z ** 2, xc)",
    "G(lambda z: z ** 0.5, xc)", "G(lambda z: z.exp(), xc)", "G(lambda z: z.log(), xc)",
    "G(lambda z: z.sqrt(), xc)", "G(lambda z: z.sin(), xc)", "G(lambda z: z.cos(), xc)",
    "G(lambda z: z.tanh(), xc)", "G(lambda z: z.sigmoid(), xc)", "G(lambda z: 1 / z, xc)",
    "G(lambda z: z.abs(), xc)", "G(lambda z: z.angle(), xc)", "G(lambda z: z.sgn(), xc)",
    "G(lambda z: z.conj(), xc)", "G(lambda z: z.conj_physical(), xc)", "G(lambda z: z.real, xc)",
    "G(lambda z: z.imag, xc)", "G(lambda z: torch.view_as_real(z), xc)",
    "G(lambda z: z.sum(), xc)", "G(lambda z: z.mean(), xc)", "G(lambda z: z.prod(), xc)",
    "G(lambda z: z.cumsum(0), xc)", "G(lambda z: z.reshape(2, 3) @ z.reshape(3, 2), xc)",
    "G(lambda z: torch.cat([z, z * 1j]), xc)", "G(lambda z: z[1:4].flip(0), xc)",
    "G(lambda z: z.to(torch.cfloat), xc)", "G(lambda x: x * 1j, xr)", "G(lambda x: (x * (1 + 2j)).exp(), xr)",
    "G(lambda x: x.to(torch.cdouble) * torch.tensor(2j, dtype=torch.cdouble), xr)",
    "G(lambda x: torch.complex(x, x * 2), xr)", "G(lambda x: torch.polar(x.abs() + 1, x), xr)",
    "G(lambda x: torch.view_as_complex(x.reshape(3, 2)), xr)",
    "G(lambda x: torch.complex(x, -x).abs(), xr)", "G(lambda x: x.angle(), xr)",
    "torch.autograd.grad((xc * 2).sum(), xc, torch.tensor(1 + 1j, dtype=torch.cdouble))",
    "torch.autograd.grad((xc * 2).sum(), xc, torch.tensor(1.0, dtype=torch.float64))",
    "torch.autograd.grad((xr * 2).sum(), xr, torch.tensor(1j, dtype=torch.cdouble))",
    "torch.autograd.grad(L(xc * xc), xc, create_graph=True)",
    # second derivatives through complex values (branch fid15): values, not node names
    *["H(lambda z: %s, %s)" % (f, x) for f in (
        "z * z", "z.exp()", "z / (z + 3)", "z ** 3", "z.sin()", "z.conj() * z", "z.log()",
        "z.tanh()", "1 / z", "z.real * z.imag", "torch.view_as_real(z) ** 2", "z.angle()",
        "z.sgn() * z", "z.reshape(3, 2) @ z.reshape(2, 3)", "z.cumsum(0) * z",
        "z.prod() * z", "z.sigmoid()", "z.conj_physical() * z", "z.abs() * z", "z.sum() * z")
      for x in ("xc", "torch.complex(xr, xr * 2)")],
    "H(lambda x: torch.complex(x, x * x).exp(), xr)",
    # the lazy conjugate bit
    "torch.view_as_real(a.conj())", "torch.view_as_real(a.conj().resolve_conj())",
    "a.conj().conj().is_conj()", "a.conj()[0].is_conj()", "a.conj().clone().is_conj()",
    "a.conj().resolve_conj().is_conj()", "a.conj().detach().is_conj()", "(a.conj() * 1).is_conj()",
    "a.conj().real.is_conj()", "torch.is_conj(m.conj().t())", "a.is_conj()", "r.conj().is_conj()",
    "a.conj().conj_physical().is_conj()", "a.conj().reshape(2, 1).is_conj()", "a.conj().resolve_conj()",
    "(a.resolve_conj() is a, r.resolve_conj() is r)",
    "type(a.clone().requires_grad_().conj().resolve_conj().grad_fn).__name__",
    "type(a.clone().requires_grad_().conj().conj().grad_fn).__name__",
    # torch.fft: values, nodes, gradients, norm modes
    "torch.fft.fft(torch.arange(4))", "torch.fft.fft(torch.tensor([1., 2., 0.5]))",
    "torch.fft.ifft(torch.tensor([1+1j, 2, 3j]))", "torch.fft.rfft(torch.arange(6.))",
    "torch.fft.irfft(torch.tensor([1+0j, 2-1j, 0.5j]))", "torch.fft.fft(torch.ones(3), norm='bad')",
    "torch.fft.fft(torch.ones(3, dtype=torch.float64)).dtype", "torch.fft.rfft(a)",
    "torch.fft.fftfreq(5)", "torch.fft.fftfreq(6, 0.5)", "torch.fft.rfftfreq(6, 0.1)",
    "torch.fft.rfftfreq(7)", "torch.fft.fftfreq(4, dtype=torch.float64)",
    "torch.fft.fftshift(torch.arange(6))", "torch.fft.ifftshift(torch.arange(7))",
    "torch.fft.fftshift(torch.arange(12).reshape(3, 4))", "torch.fft.fftshift(torch.arange(12).reshape(3, 4), dim=1)",
    "G(lambda x: torch.fft.fftshift(x), xm)",
    "G(lambda x: torch.fft.fft(x), xr)",
    "G(lambda x: torch.fft.fft(x, norm='ortho'), xr)",
    "G(lambda x: torch.fft.fft(x, norm='forward'), xr)",
    "G(lambda x: torch.fft.fft(x), xc)",
    "G(lambda x: torch.fft.fft(x, norm='ortho'), xc)",
    "G(lambda x: torch.fft.fft(x, norm='forward'), xc)",
    "G(lambda x: torch.fft.ifft(x), xc)",
    "G(lambda x: torch.fft.ifft(x, norm='ortho'), xc)",
    "G(lambda x: torch.fft.ifft(x, norm='forward'), xc)",
    "G(lambda x: torch.fft.ifft(x), xr)",
    "G(lambda x: torch.fft.ifft(x, norm='ortho'), xr)",
    "G(lambda x: torch.fft.ifft(x, norm='forward'), xr)",
    "G(lambda x: torch.fft.rfft(x), xr)",
    "G(lambda x: torch.fft.rfft(x, norm='ortho'), xr)",
    "G(lambda x: torch.fft.rfft(x, norm='forward'), xr)",
    "G(lambda x: torch.fft.irfft(x), xc)",
    "G(lambda x: torch.fft.irfft(x, norm='ortho'), xc)",
    "G(lambda x: torch.fft.irfft(x, norm='forward'), xc)",
    "G(lambda x: torch.fft.hfft(x), xc)",
    "G(lambda x: torch.fft.hfft(x, norm='ortho'), xc)",
    "G(lambda x: torch.fft.hfft(x, norm='forward'), xc)",
    "G(lambda x: torch.fft.ihfft(x), xr)",
    "G(lambda x: torch.fft.ihfft(x, norm='ortho'), xr)",
    "G(lambda x: torch.fft.ihfft(x, norm='forward'), xr)",
    "G(lambda x: torch.fft.fft2(x), xm)",
    "G(lambda x: torch.fft.fft2(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.fft2(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.ifft2(x), xm)",
    "G(lambda x: torch.fft.ifft2(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.ifft2(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.fftn(x), xm)",
    "G(lambda x: torch.fft.fftn(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.fftn(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.ifftn(x), xm)",
    "G(lambda x: torch.fft.ifftn(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.ifftn(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.rfftn(x), xm)",
    "G(lambda x: torch.fft.rfftn(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.rfftn(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.rfft2(x), xm)",
    "G(lambda x: torch.fft.rfft2(x, norm='ortho'), xm)",
    "G(lambda x: torch.fft.rfft2(x, norm='forward'), xm)",
    "G(lambda x: torch.fft.irfftn(x), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.irfftn(x, norm='ortho'), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.irfftn(x, norm='forward'), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.irfft2(x), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.irfft2(x, norm='ortho'), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.irfft2(x, norm='forward'), xc.reshape(2, 3))",
    "G(lambda x: torch.fft.fftn(x), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.fftn(x, norm='ortho'), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.fftn(x, norm='forward'), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.ifftn(x), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.ifftn(x, norm='ortho'), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.ifftn(x, norm='forward'), xc.reshape(3, 2))",
    "G(lambda x: torch.fft.fft(x, n=8), xr)", "G(lambda x: torch.fft.fft(x, n=4), xc)",
    "G(lambda x: torch.fft.rfft(x, n=5), xr)", "G(lambda x: torch.fft.irfft(x, n=7), xc)",
    "G(lambda x: torch.fft.irfft(x, n=3), xc)", "G(lambda x: torch.fft.hfft(x, n=9), xc)",
    "G(lambda x: torch.fft.ihfft(x, n=4), xr)", "G(lambda x: torch.fft.fftn(x, s=(3, 4)), xm)",
    "G(lambda x: torch.fft.rfftn(x, s=(2, 5)), xm)", "G(lambda x: torch.fft.fft(x, dim=0), xm)",
    "G(lambda x: torch.fft.irfftn(x, s=(2, 4)), xc.reshape(2, 3))",
    "torch.linalg.eig(torch.tensor([[2., 0.], [0., 3.]]))",
    "torch.eig(torch.ones(2, 2))",
    "torch.linalg.eig(torch.tensor([[0., -1.], [1., 0.]]))", "torch.linalg.eigvals(torch.tensor([[0., -1.], [1., 0.]]))",
    "torch.linalg.eig(torch.ones(2, 3))", "torch.linalg.eig(torch.ones(3))",
    "torch.linalg.eig(torch.ones(2, 2, dtype=torch.int64))", "torch.linalg.eig(torch.zeros(0, 0))",
    "torch.linalg.eig(torch.tensor([[1., float('nan')], [0., 1.]]))",
    "torch.linalg.eigvals(torch.tensor([[1+1j, 2], [0, 3j]]))",
    "torch.linalg.eig(torch.tensor([[2., 1.], [1., 3.]], dtype=torch.float64))",
    "G(lambda A: torch.linalg.eigvals(A), xm[:, :2] * torch.tensor([[1., 2.], [-3., 1.]], dtype=torch.float64))",
    "G(lambda A: torch.linalg.eig(A)[0], torch.tensor([[2., 1., 0.], [-1., 3., 1.], [0.5, 0., 1.]], dtype=torch.float64, requires_grad=True))",
    "G(lambda A: torch.linalg.eig(A)[1].abs(), torch.tensor([[2., 1., 0.], [-1., 3., 1.], [0.5, 0., 1.]], dtype=torch.float64, requires_grad=True))",
    "G(lambda A: torch.linalg.eig(A)[1], torch.tensor([[2., 1., 0.], [-1., 3., 1.], [0.5, 0., 1.]], dtype=torch.float64, requires_grad=True))",
    # conj() shares its base's memory and version counter (branch gaps15), conj_physical_
    "conj_then(lambda z, c: None)", "conj_then(lambda z, c: z.__setitem__(0, 5 + 5j))",
    "conj_then(lambda z, c: c.__setitem__(1, 7j))", "conj_then(lambda z, c: z.mul_(2))",
    "conj_then(lambda z, c: c.detach().add_(1))", "conj_then(lambda z, c: c.conj().zero_())",
    "conj_then(lambda z, c: z[1:].copy_(torch.tensor([2j])))",
    "conj_then(lambda z, c: c[0].fill_(1))",
    "conj_then(lambda z, c: (c.resolve_conj().zero_(), c.conj_physical().zero_()))",
    "conj_then(lambda z, c: z.conj_physical_())",
    "(lambda z: (z, z[1:].conj(), z.__setitem__(1, 1j)))(a.clone())[1]",
    "xc.conj().mul_(2)",
    "(lambda c: (xc.detach().mul_(1), c)[1])(xc.conj())",
    "(lambda z: (z.conj(), z.mul_(2))[0])(xc * 1)", "(lambda z: (z, z.conj().mul_(2))[0])(xc * 1)",
    "write(a.clone(), lambda z: z.conj_physical_())", "torch.conj_physical_(a.clone())",
    "r.clone().conj_physical_()", "(lambda z: (z.conj_physical_() is z, z._version))(a.clone())",
    "G(lambda z: (z * 1).conj_physical_(), xc)", "H(lambda z: (z * 1).conj_physical_(), xc)",
    "type((xc * 1).conj_physical_().grad_fn).__name__",
    # the holomorphic unary ops (branch cplx2): values, nodes, gradients, in place
    "a.tan()", "G(lambda z: z.tan(), xc)", "torch.tan(d)",
    "a.sinh()", "G(lambda z: z.sinh(), xc)", "torch.sinh(d)",
    "a.cosh()", "G(lambda z: z.cosh(), xc)", "torch.cosh(d)",
    "a.asin()", "G(lambda z: z.asin(), xc)", "torch.asin(d)",
    "a.acos()", "G(lambda z: z.acos(), xc)", "torch.acos(d)",
    "a.atan()", "G(lambda z: z.atan(), xc)", "torch.atan(d)",
    "a.asinh()", "G(lambda z: z.asinh(), xc)", "torch.asinh(d)",
    "a.acosh()", "G(lambda z: z.acosh(), xc)", "torch.acosh(d)",
    "a.atanh()", "G(lambda z: z.atanh(), xc)", "torch.atanh(d)",
    "a.log2()", "G(lambda z: z.log2(), xc)", "torch.log2(d)",
    "a.log10()", "G(lambda z: z.log10(), xc)", "torch.log10(d)",
    "a.log1p()", "G(lambda z: z.log1p(), xc)", "torch.log1p(d)",
    "a.expm1()", "G(lambda z: z.expm1(), xc)", "torch.expm1(d)",
    "a.exp2()", "G(lambda z: z.exp2(), xc)", "torch.exp2(d)",
    "a.square()", "G(lambda z: z.square(), xc)", "torch.square(d)",
    "a.rsqrt()", "G(lambda z: z.rsqrt(), xc)", "torch.rsqrt(d)",
    "H(lambda z: z.tan(), xc)", "H(lambda z: z.asinh(), xc)", "H(lambda z: z.log1p(), xc)",
    "write(a.clone(), lambda z: z.sinh_())", "write(d.clone(), lambda z: z.rsqrt_())",
    "torch.log1p(torch.tensor([1e-8+1e-8j, -1e-9j], dtype=torch.cdouble)).imag * 1e8",
    "torch.log1p(torch.tensor([1e-8+1e-8j, -1e-9j], dtype=torch.cdouble)).real * 1e8",
    "torch.expm1(torch.tensor([1e-8+1e-8j, -1e-9j], dtype=torch.cdouble)) * 1e8",
    "G(lambda x: (x * (1 + 1j)).atan(), xr)",
    # the matmul family (branch cplx2): the real rules conjugated around (A^H for A^T)
    "G(lambda z: torch.outer(z[:3], z[3:] * 1j), xc)", "G(lambda z: torch.einsum('ij,jk->ik', z.reshape(2, 3), z.reshape(3, 2)), xc)",
    "G(lambda z: torch.einsum('i,i->', z, z.conj()), xc)", "G(lambda z: torch.einsum('ii', z[:4].reshape(2, 2)), xc)",
    "G(lambda z: torch.bmm(z.reshape(1, 2, 3), z.reshape(1, 3, 2)), xc)", "G(lambda z: torch.mv(z.reshape(2, 3), z[:3]), xc)",
    "G(lambda z: torch.tensordot(z.reshape(2, 3), z.reshape(3, 2), dims=([1], [0])), xc)",
    "G(lambda z: torch.kron(z[:2], z[2:].reshape(2, 2)), xc)", "G(lambda z: torch.trace(z[:4].reshape(2, 2)), xc)",
    "G(lambda z: torch.diag(z[:4].reshape(2, 2)), xc)", "G(lambda z: torch.diag(z[:3]), xc)",
    "G(lambda z: torch.diag_embed(z.reshape(2, 3)), xc)", "G(lambda z: torch.inner(z.reshape(2, 3), z[3:]), xc)",
    "G(lambda z: torch.cross(z[:3], z[3:], dim=0), xc)", "G(lambda z: torch.addmm(z[:4].reshape(2, 2), z[:4].reshape(2, 2), z[2:].reshape(2, 2)), xc)",
    "G(lambda z: torch.addmv(z[:2], z[:4].reshape(2, 2), z[4:]), xc)", "G(lambda z: torch.addr(z[:4].reshape(2, 2), z[:2], z[4:]), xc)",
    "G(lambda z: torch.baddbmm(z[:4].reshape(1, 2, 2), z.reshape(1, 2, 3), z.reshape(1, 3, 2)), xc)",
    "G(lambda z: torch.linalg.multi_dot([z.reshape(2, 3), z.reshape(3, 2), z[:4].reshape(2, 2)]), xc)",
    "G(lambda x: torch.outer(x, x * 1j), xr)", "G(lambda x: torch.mv(x.reshape(2, 3) * 1j, x[:3]), xr)",
    "torch.einsum('ij,j->i', m, a)", "torch.kron(a, b)", "torch.trace(m)", "torch.outer(a, b)",
    "H(lambda z: torch.outer(z, z * 1j), xc)", "H(lambda z: torch.einsum('i,i->', z, z), xc)",
    "torch.bmm(m[None], torch.ones(1, 2, 2))", "torch.addmm(m, m, m, beta=1j, alpha=2)",
    # inv, det, solve of complex matrices (branch cplx2): the real rules conjugated around
    "G(lambda z: torch.linalg.inv(z[:4].reshape(2, 2)), xc)", "G(lambda z: torch.inverse(z[1:5].reshape(2, 2)), xc)",
    "G(lambda z: torch.linalg.inv_ex(z[:4].reshape(2, 2)).inverse, xc)",
    "G(lambda z: torch.linalg.det(z[:4].reshape(2, 2)), xc)", "G(lambda z: z[2:].reshape(2, 2).det(), xc)",
    "G(lambda z: torch.linalg.solve(z[:4].reshape(2, 2), z[4:]), xc)",
    "G(lambda z: torch.linalg.solve(z[:4].reshape(2, 2), z.reshape(2, 3)), xc)",
    "G(lambda z: torch.linalg.solve(z[:4].reshape(2, 2), z.reshape(3, 2), left=False), xc)",
    "G(lambda x: torch.linalg.det(x[:4].reshape(2, 2) * (1 + 1j)), xr)",
    "G(lambda x: torch.linalg.inv(x[:4].reshape(2, 2) + 1j), xr)",
    "H(lambda z: torch.linalg.inv(z[:4].reshape(2, 2)), xc)", "H(lambda z: torch.linalg.det(z[:4].reshape(2, 2)), xc)",
    "torch.linalg.inv(m)", "torch.linalg.det(m)", "torch.linalg.solve(m, a)", "torch.linalg.solve(m, r)",
    "torch.linalg.inv(torch.tensor([[1j, 2j], [1, 2]]))", "torch.linalg.det(torch.tensor([[1j, 2j], [1, 2]]))",
    "torch.linalg.inv_ex(torch.tensor([[1j, 2j], [1, 2]]))",
    "torch.linalg.solve(torch.tensor([[1j, 2j], [1, 2]]), a)",
    "torch.linalg.vecdot(a, b)", "torch.linalg.vecdot(m, m)", "G(lambda z: torch.linalg.vecdot(z.reshape(2, 3), z.reshape(2, 3) * 1j), xc)",
    "G(lambda z: torch.linalg.vecdot(z, z[[1, 2, 3, 4, 5, 0]]), xc)", "G(lambda x: torch.linalg.vecdot(x, x), xr)",
    # slogdet and logdet of complex matrices (branch cplx2): both outputs differentiable
    "torch.linalg.slogdet(m)", "torch.slogdet(m.to(torch.cdouble))", "torch.logdet(m)",
    "G(lambda z: torch.linalg.slogdet(z[:4].reshape(2, 2)).logabsdet, xc)",
    "G(lambda z: torch.linalg.slogdet(z[:4].reshape(2, 2)).sign, xc)",
    "G(lambda z: (lambda s: s.sign * s.logabsdet)(torch.linalg.slogdet(z[1:5].reshape(2, 2))), xc)",
    "G(lambda z: torch.logdet(z[:4].reshape(2, 2)), xc)", "G(lambda x: torch.linalg.slogdet(x[:4].reshape(2, 2) * (1 - 1j))[1], xr)",
    "H(lambda z: torch.linalg.slogdet(z[:4].reshape(2, 2)).logabsdet, xc)",
    "torch.linalg.slogdet(torch.tensor([[1j, 2j], [1, 2]]))", "torch.logdet(torch.tensor([[1j, 2j], [1, 2]]))",
    # the SVD of complex matrices (branch cplx2): real singular values, the phase term
    "torch.linalg.svdvals(m)", "torch.linalg.svd(m.to(torch.cdouble))[1]", "torch.linalg.svd(m)[1].dtype",
    "G(lambda z: torch.linalg.svdvals(z.reshape(2, 3)), xc)", "G(lambda z: torch.linalg.svd(z.reshape(3, 2), full_matrices=False).S, xc)",
    "G(lambda z: torch.linalg.svd(z.reshape(2, 3), full_matrices=False).U, xc)",
    "G(lambda z: torch.linalg.svd(z.reshape(2, 3), full_matrices=False).U.abs(), xc)",
    "G(lambda z: (lambda r: r.U @ r.Vh)(torch.linalg.svd(z.reshape(3, 2), full_matrices=False)), xc)",
    "G(lambda z: torch.linalg.svd(z.reshape(2, 3), full_matrices=False).Vh.abs(), xc)",
    "G(lambda z: torch.linalg.matrix_norm(z.reshape(2, 3), 2), xc)", "G(lambda z: torch.linalg.matrix_norm(z.reshape(2, 3), 'nuc'), xc)",
    "G(lambda x: torch.linalg.svdvals(x.reshape(2, 3) * (1 + 2j)), xr)", "torch.linalg.matrix_norm(m, -2)",
    "torch.svd(m)", "torch.svd(m).V.is_conj()", "torch.svd(m, compute_uv=False)",
    "G(lambda z: torch.svd(z.reshape(2, 3)).S, xc)", "G(lambda z: torch.svd(z.reshape(3, 2)).V.abs(), xc)",
    # eigh and eigvalsh of Hermitian matrices (branch cplx2): real eigenvalues, the phase refusal
    "torch.linalg.eigvalsh(m + m.mH)", "torch.linalg.eigh(m + m.mH).eigenvectors.abs()",
    "torch.linalg.eigh(m.to(torch.cdouble) + m.mH, UPLO='U').eigenvalues",
    "G(lambda z: torch.linalg.eigvalsh(z[:4].reshape(2, 2)), xc)", "G(lambda z: torch.linalg.eigh(z[:4].reshape(2, 2)).eigenvalues, xc)",
    "G(lambda z: torch.linalg.eigh(z[:4].reshape(2, 2)).eigenvectors, xc)",
    "G(lambda z: torch.linalg.eigh(z[:4].reshape(2, 2)).eigenvectors.abs(), xc)",
]


def run(torch, case):
    """The fact of one case: repr of its value, or `!! Kind: message`."""
    env = {"torch": torch}
    torch.manual_seed(0)
    exec(SETUP, env)
    try:
        value = eval(case, env)
    except Exception as e:  # noqa: BLE001 - the exception is the fact
        return f"!! {type(e).__name__}: {e}"
    text = repr(value)
    if type(value).__name__ == "ndarray":
        text = f"ndarray {value.dtype} {value.tolist()}"
    return text
