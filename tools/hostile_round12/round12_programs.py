"""Round 12 of hostile programs (issue 16): what landed since round 11, given huge, negative,
overlapping, NaN, empty, 0-d and wrong-type arguments and pushed at the limits (memory, time,
nesting, string sizes): as_strided/as_strided_scatter/empty_strided/slice_inverse, complex64/128
(printing, fft, view_as_real/view_as_complex, dtype objects), nn.Parameter subclasses,
torch.utils.checkpoint (reentrant recursion, hooks), nn.utils.prune (hooks calling back),
torch.gradient (spacing), index_reduce, asarray, fill, func.stack_module_state, and issue 16's
limit classes tried again through these names. Replayed by tools/replay_hostile.py; the table
is tests/cli/hostile_round12.py."""
PROGRAMS = []


def P(i, s):
    PROGRAMS.append((i, s.strip("\n") + "\n"))


T = "import torch\n"
NN = "import torch\nimport torch.nn as nn\n"

# --- as_strided --------------------------------------------------------------------------------
AS = [
    ("huge-view-zero-stride", "x = torch.zeros(10)\ny = x.as_strided((10 ** 6, 10 ** 6), (0, 0))\nprint(y.shape)"),
    ("huge-view-sum", "x = torch.ones(10)\nprint(x.as_strided((10 ** 5, 10 ** 5), (0, 0)).sum())"),
    ("neg-size", "x = torch.zeros(10)\nprint(x.as_strided((-1,), (1,)))"),
    ("neg-stride", "x = torch.zeros(10)\nprint(x.as_strided((2,), (-1,)))"),
    ("neg-offset", "x = torch.zeros(10)\nprint(x.as_strided((2,), (1,), -3))"),
    ("out-of-bounds", "x = torch.zeros(10)\nprint(x.as_strided((11,), (1,)))"),
    ("huge-stride", "x = torch.zeros(10)\nprint(x.as_strided((2,), (2 ** 62,)))"),
    ("stride-past-int64", "x = torch.zeros(10)\nprint(x.as_strided((2,), (2 ** 64,)))"),
    ("size-past-int64", "x = torch.zeros(10)\nprint(x.as_strided((2 ** 64,), (0,)))"),
    ("offset-past-int64", "x = torch.zeros(10)\nprint(x.as_strided((1,), (1,), 2 ** 70))"),
    ("empty-huge-size", "x = torch.zeros(10)\nprint(x.as_strided((0, 2 ** 62), (1, 1)).shape)"),
    ("empty-huge-size2", "x = torch.zeros(10)\nprint(x.as_strided((2 ** 62, 0, 2 ** 62), (1, 1, 1)).shape)"),
    ("empty-too-wide", "x = torch.zeros(10)\nprint(x.as_strided((2 ** 63 - 1, 0), (1, 1)).shape)"),
    ("mismatch-len", "x = torch.zeros(10)\nprint(x.as_strided((2, 2), (1,)))"),
    ("65-dims", "x = torch.zeros(10)\nprint(x.as_strided((1,) * 65, (1,) * 65).shape)"),
    ("100-dims", "x = torch.zeros(10)\nprint(x.as_strided((1,) * 100, (0,) * 100).dim())"),
    ("1000-dims", "x = torch.zeros(10)\nprint(x.as_strided((1,) * 1000, (0,) * 1000).dim())"),
    ("str-size", "x = torch.zeros(10)\nprint(x.as_strided('ab', (1, 1)))"),
    ("float-size", "x = torch.zeros(10)\nprint(x.as_strided((2.5,), (1,)))"),
    ("none-stride", "x = torch.zeros(10)\nprint(x.as_strided((2,), None))"),
    ("tensor-size", "x = torch.zeros(10)\nprint(x.as_strided(torch.tensor([2]), (1,)))"),
    ("overlap-grad", "x = torch.arange(6.0, requires_grad=True)\ny = x.as_strided((4, 3), (1, 1))\ny.sum().backward()\nprint(x.grad)"),
    ("overlap-input-grad", "x = torch.arange(6.0, requires_grad=True)\nz = x.as_strided((4, 3), (1, 1))\nw = z.as_strided((2, 2), (2, 1))\nw.sum().backward()\nprint(x.grad)"),
    ("overlap-write", "x = torch.zeros(6)\ny = x.as_strided((4, 3), (1, 1))\ny.add_(1)\nprint(x)"),
    ("overlap-inplace-grad", "x = torch.zeros(6, requires_grad=True)\nz = x.clone()\ny = z.as_strided((4, 3), (1, 1))\ny.mul_(2)\nprint(z)"),
    ("inplace-huge", "x = torch.zeros(10)\nx.as_strided_((10 ** 6, 10 ** 6), (0, 0))\nprint(x.shape)"),
    ("inplace-leaf", "x = torch.zeros(10, requires_grad=True)\nx.as_strided_((2,), (1,))"),
    ("inplace-neg", "x = torch.zeros(10)\nx.as_strided_((2,), (1,), -1)"),
    ("copy-huge", "x = torch.zeros(10)\nprint(torch.as_strided_copy(x, (10 ** 5, 10 ** 5), (0, 0)).shape)"),
    ("copy-ok", "x = torch.arange(10.0)\nprint(torch.as_strided_copy(x, (3, 3), (3, 1), 1))"),
    ("of-expanded", "x = torch.ones(1).expand(10 ** 6)\ny = x.as_strided((10,), (1,))\nprint(y)"),
    ("of-expanded-grad", "w = torch.ones(1, requires_grad=True)\nx = w.expand(10 ** 6)\ny = x.as_strided((10 ** 6,), (0,))\ny.sum().backward()\nprint(w.grad)"),
    ("of-transposed", "x = torch.arange(12.0).reshape(3, 4).t()\nprint(x.as_strided((2, 2), (1, 4)))"),
    ("of-view-offset", "x = torch.arange(12.0)[5:]\nprint(x.as_strided((3,), (1,), 0), x.as_strided((3,), (1,)))"),
    ("of-empty", "x = torch.zeros(0)\nprint(x.as_strided((1,), (1,)))"),
    ("of-empty-zero", "x = torch.zeros(0)\nprint(x.as_strided((0,), (1,)))"),
    ("of-0d", "x = torch.tensor(3.0)\nprint(x.as_strided((5,), (0,)))"),
    ("loop-views", "x = torch.arange(100.0)\nfor i in range(10 ** 5):\n    x = x.as_strided((100,), (1,))\nprint(x.sum())"),
    ("loop-views-grad", "x = torch.arange(100.0, requires_grad=True)\ny = x\nfor i in range(3000):\n    y = y.as_strided((100,), (1,))\ny.sum().backward()\nprint(x.grad.sum())"),
    ("grad-huge-storage", "x = torch.zeros(4 * 10 ** 6, requires_grad=True)\ny = x.as_strided((2,), (2 * 10 ** 6 - 1,))\ny.sum().backward()\nprint(x.grad.sum())"),
    ("double-backward", "x = torch.arange(4.0, requires_grad=True)\ny = x.as_strided((2, 2), (1, 1))\ng, = torch.autograd.grad((y ** 2).sum(), x, create_graph=True)\nprint(torch.autograd.grad(g.sum(), x))"),
    ("complex", "x = torch.arange(4, dtype=torch.complex64)\nprint(x.as_strided((2, 2), (1, 1)))"),
    ("bool", "x = torch.tensor([True, False, True])\nprint(x.as_strided((2, 2), (1, 1)))"),
    ("print-huge-view", "x = torch.arange(10.0)\ntorch.set_printoptions(threshold=float('inf'))\nprint(x.as_strided((4000, 4000), (0, 1 - 1)))"),
]
for name, body in AS:
    P("as-" + name, T + body)

SCAT = [
    ("basic", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(2, 2), (2, 2), (1, 1)))"),
    ("src-shape", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(3), (2, 2), (1, 1)))"),
    ("src-not-tensor", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, 5, (2, 2), (1, 1)))"),
    ("oob", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(10), (10,), (1,)))"),
    ("huge", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(1).expand(10 ** 6, 10 ** 6), (10 ** 6, 10 ** 6), (0, 0)))"),
    ("neg-stride", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(2), (2,), (-1,)))"),
    ("overlap-src", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.arange(6.0).reshape(2, 3), (2, 3), (0, 1)))"),
    ("grad", "x = torch.zeros(6, requires_grad=True)\ns = torch.ones(2, 2, requires_grad=True)\ntorch.as_strided_scatter(x, s, (2, 2), (1, 1)).sum().backward()\nprint(x.grad, s.grad)"),
    ("noncontig-grad", "x = torch.zeros(3, 2, requires_grad=True)\nprint(torch.as_strided_scatter(x.t(), torch.ones(2), (2,), (1,)))"),
    ("noncontig-leaf-grad", "x = torch.zeros(2, 3).t().requires_grad_()\nprint(torch.as_strided_scatter(x, torch.ones(2), (2,), (1,)))"),
    ("dtype-mix", "x = torch.zeros(6, dtype=torch.int64)\nprint(torch.as_strided_scatter(x, torch.full((2,), 2.7), (2,), (1,)))"),
    ("complex-into-real", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(2, dtype=torch.complex64), (2,), (1,)))"),
    ("empty", "x = torch.zeros(0)\nprint(torch.as_strided_scatter(x, torch.ones(0), (0,), (1,)))"),
    ("offset-huge", "x = torch.zeros(6)\nprint(torch.as_strided_scatter(x, torch.ones(1), (1,), (1,), 10 ** 20))"),
    ("method", "x = torch.zeros(6)\nprint(x.as_strided_scatter(torch.ones(2), (2,), (3,)))"),
]
for name, body in SCAT:
    P("ass-" + name, T + body)

ES = [
    ("huge-zero-stride", "x = torch.empty_strided((10 ** 6, 10 ** 6), (0, 0))\nprint(x.shape)"),
    ("huge", "x = torch.empty_strided((10 ** 5, 10 ** 5), (10 ** 5, 1))\nprint(x.shape)"),
    ("neg-size", "print(torch.empty_strided((-2,), (1,)))"),
    ("neg-stride", "print(torch.empty_strided((2,), (-1,)))"),
    ("stride-huge", "print(torch.empty_strided((2,), (2 ** 62,)).shape)"),
    ("stride-past-int64", "print(torch.empty_strided((2,), (2 ** 64,)).shape)"),
    ("size-past-int64", "print(torch.empty_strided((2 ** 64,), (1,)).shape)"),
    ("len-mismatch", "print(torch.empty_strided((2, 2), (1,)))"),
    ("str", "print(torch.empty_strided('ab', 'cd'))"),
    ("none", "print(torch.empty_strided(None, None))"),
    ("100-dims", "print(torch.empty_strided((1,) * 100, (1,) * 100).dim())"),
    ("overlap-write", "x = torch.empty_strided((3, 3), (1, 1))\nx.fill_(1)\nx[0, 1] = 5\nprint(x)"),
    ("overlap-add", "x = torch.empty_strided((3, 3), (1, 1), requires_grad=True)\n(x * 2).sum().backward()\nprint(x.grad)"),
    ("dtype-complex", "print(torch.empty_strided((2, 2), (2, 1), dtype=torch.complex128))"),
    ("dtype-str", "print(torch.empty_strided((2, 2), (2, 1), dtype='float32'))"),
    ("device-bad", "print(torch.empty_strided((2,), (1,), device='cuda'))"),
    ("new-huge", "x = torch.ones(2)\nprint(x.new_empty_strided((10 ** 6, 10 ** 6), (10 ** 6, 1)).shape)"),
    ("new-neg", "x = torch.ones(2)\nprint(x.new_empty_strided((2,), (-5,)))"),
    ("empty-big", "print(torch.empty_strided((0, 2 ** 62), (1, 1)).shape)"),
    ("loop", "for i in range(10 ** 4):\n    x = torch.empty_strided((100,), (1,))\nprint(x.shape)"),
]
for name, body in ES:
    P("es-" + name, T + body)

SI = [
    ("basic", "base = torch.arange(12.0).reshape(3, 4)\nv = base[1:]\nprint(torch.slice_inverse(v, base, 0, 1))"),
    ("src-not-tensor", "v = torch.ones(2)\nprint(torch.slice_inverse(v, 5))"),
    ("src-bigger", "v = torch.ones(2)\nprint(torch.slice_inverse(v, torch.ones(100)))"),
    ("src-huge-view", "v = torch.ones(2)\nprint(torch.slice_inverse(v, torch.ones(1).expand(10 ** 7)))"),
    ("dim-huge", "base = torch.arange(12.0)\nv = base[2:]\nprint(torch.slice_inverse(v, base, 10 ** 9))"),
    ("dim-past-int64", "base = torch.arange(12.0)\nv = base[2:]\nprint(torch.slice_inverse(v, base, 2 ** 64))"),
    ("grad", "base = torch.arange(6.0)\nv = base[2:].clone().requires_grad_()\nout = torch.slice_inverse(v, base, 0, 2)\nout.sum().backward()\nprint(v.grad)"),
    ("step-zero", "base = torch.arange(6.0)\nv = base[::2]\nprint(torch.slice_inverse(v, base, 0, None, None, 0))"),
    ("empty-src", "v = torch.ones(2)\nprint(torch.slice_inverse(v, torch.ones(0)))"),
    ("0d-src", "v = torch.ones(2)\nprint(torch.slice_inverse(v, torch.tensor(1.0)))"),
]
for name, body in SI:
    P("si-" + name, T + body)

# --- complex -----------------------------------------------------------------------------------
CX = [
    ("print-huge", "print(torch.tensor([complex(1e38, 1e38), complex(0, 3.4e38)], dtype=torch.complex64))"),
    ("print-inf-nan", "print(torch.tensor([complex(float('inf'), float('nan')), complex(-float('inf'), 0)]))"),
    ("print-tiny", "print(torch.tensor([complex(1e-45, 1e-45), complex(0, 5e-324)], dtype=torch.complex128))"),
    ("print-mixed", "print(torch.tensor([complex(1e300, 1e-300), complex(1, 1)], dtype=torch.complex128))"),
    ("print-precision", "torch.set_printoptions(precision=10000)\nprint(torch.tensor([1 / complex(3, 2) / 3], dtype=torch.complex128))"),
    ("print-sci", "torch.set_printoptions(sci_mode=True)\nprint(torch.tensor([complex(1, 1), complex(0, 1e10)]))"),
    ("print-threshold", "torch.set_printoptions(threshold=float('inf'))\nprint(torch.zeros(10 ** 6, dtype=torch.complex64))"),
    ("print-threshold-medium", "torch.set_printoptions(threshold=float('inf'), precision=30)\nprint(torch.randn(10 ** 5, dtype=torch.complex128))"),
    ("repr-many", "x = torch.randn(300, 300, dtype=torch.complex128)\nprint(len(repr(x)))"),
    ("item", "print(torch.tensor(complex(1e38, 1e38), dtype=torch.complex64).item())"),
    ("tolist", "print(torch.tensor([[complex(1, 2)]]).tolist())"),
    ("format", "x = torch.tensor(complex(1, 2))\nprint(f'{x:.3f}', '{:>10}'.format(x))"),
    ("format-width", "x = torch.tensor(complex(1, 2))\nprint(f'{x:>{10 ** 7}}')"),
    ("int-of", "print(int(torch.tensor(complex(1, 2))))"),
    ("float-of", "print(float(torch.tensor(complex(1, 0))))"),
    ("bool-of", "print(bool(torch.tensor(complex(0, 1))))"),
    ("compare", "print(torch.tensor(complex(1, 1)) < torch.tensor(complex(2, 0)))"),
    ("sort", "print(torch.sort(torch.tensor([complex(1, 1), complex(0, 0)])))"),
    ("max", "print(torch.tensor([complex(1, 1), complex(0, 0)]).max())"),
    ("abs-overflow", "print(torch.tensor([complex(3e38, 3e38)], dtype=torch.complex64).abs())"),
    ("pow-huge", "print(torch.tensor([complex(1, 1)]) ** 10 ** 30)"),
    ("pow-int-huge", "print(torch.tensor([complex(1, 1)]) ** (2 ** 70))"),
    ("pow-complex-exp", "print(torch.tensor([complex(0, 0), complex(0, 1)]) ** torch.tensor([complex(0, 0), complex(0, 1e30)]))"),
    ("div-zero", "print(torch.tensor([complex(1, 1)]) / 0)"),
    ("grad-real-output", "x = torch.tensor([complex(1, 1)], requires_grad=True)\nx.abs().sum().backward()\nprint(x.grad)"),
    ("grad-complex-output", "x = torch.tensor([complex(1, 1)], requires_grad=True)\n(x * 2).sum().backward()"),
    ("grad-complex-output-grad", "x = torch.tensor([complex(1, 1)], requires_grad=True)\ny = (x * x).sum()\ny.backward(torch.tensor(complex(1, 0)))\nprint(x.grad)"),
    ("dtype-call", "print(torch.complex64(3))"),
    ("dtype-attrs", "d = torch.complex64\nprint(d.is_complex, d.is_floating_point, d.itemsize, d.to_real(), torch.float32.to_complex())"),
    ("dtype-to-real-int", "print(torch.int64.to_complex())"),
    ("dtype-eq", "print(torch.complex64 == torch.cfloat, torch.complex128 is torch.cdouble, hash(torch.complex64) == hash(torch.cfloat))"),
    ("dtype-type", "print(type(torch.complex64)('complex64'))"),
    ("dtype-setattr", "torch.complex64.itemsize = 100"),
    ("dtype-dunder", "print(torch.complex64.__reduce__())"),
    ("dtype-class-sub", "class D(type(torch.complex64)):\n    pass"),
    ("chalf", "print(torch.ones(2, dtype=torch.complex32))"),
    ("default-dtype", "torch.set_default_dtype(torch.complex64)"),
    ("promote", "print(torch.promote_types(torch.complex64, torch.float64), torch.result_type(torch.ones(1, dtype=torch.complex64), 1e300))"),
    ("to-int", "print(torch.tensor([complex(1.5, 2)]).to(torch.int64))"),
    ("to-bool", "print(torch.tensor([complex(0, 0), complex(0, 1)]).bool())"),
    ("real-imag-set", "x = torch.zeros(2, dtype=torch.complex64)\nx.real = torch.ones(2)\nx.imag.fill_(3)\nprint(x)"),
    ("real-of-real", "x = torch.zeros(2)\nprint(x.real, x.imag)"),
    ("conj-physical-inplace", "x = torch.tensor([complex(1, 1)])\ny = x.conj()\ny.add_(1)\nprint(x, y, y.is_conj())"),
    ("conj-resolve", "x = torch.tensor([complex(1, 1)]).conj()\nprint(x.resolve_conj(), x.resolve_conj().is_conj())"),
    ("angle-grad-zero", "x = torch.tensor([complex(0, 0)], requires_grad=True)\nx.angle().sum().backward()\nprint(x.grad)"),
    ("polar-huge", "print(torch.polar(torch.tensor([1e38]), torch.tensor([1e38])))"),
    ("polar-shape", "print(torch.polar(torch.ones(2), torch.ones(3)))"),
    ("polar-int", "print(torch.polar(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64)))"),
    ("complex-fn-mixed", "print(torch.complex(torch.ones(2), torch.ones(2, dtype=torch.float64)))"),
    ("complex-fn-huge", "print(torch.complex(torch.ones(1, 10 ** 5), torch.ones(10 ** 5, 1)).shape)"),
    ("complex-fn-int", "print(torch.complex(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64)))"),
    ("linalg-det", "print(torch.linalg.det(torch.eye(3, dtype=torch.complex128) * (complex(1, 1))))"),
    ("matmul", "print(torch.ones(2, 2, dtype=torch.complex64) @ torch.ones(2, 2))"),
    ("sum-overflow", "print(torch.full((4,), complex(3e38, 3e38), dtype=torch.complex64).sum())"),
    ("python-complex-huge", "print(complex(10 ** 400, 1))"),
    ("python-complex-str", "print(complex('1e400+complex(0, 1e400)'), complex('x'))"),
    ("python-complex-attrs", "z = complex(1, 2)\nprint(z.real, z.imag, z.conjugate(), abs(z))"),
    ("python-complex-pow", "print((complex(1, 1)) ** 10 ** 6)"),
    ("python-complex-pow-int", "print((complex(1, 1)) ** (10 ** 30))"),
    ("tensor-of-python-complex", "print(torch.tensor(complex(1e300, 1e300), dtype=torch.complex64))"),
    ("isin", "print(torch.isin(torch.tensor([complex(1, 1)]), torch.tensor([complex(1, 1)])))"),
    ("cumsum-huge", "print(torch.ones(10 ** 7, dtype=torch.complex128).cumsum(0)[-1])"),
]
for name, body in CX:
    P("cx-" + name, T + body)

VR = [
    ("real-of-complex", "x = torch.tensor([complex(1, 2), complex(3, 4)])\nr = torch.view_as_real(x)\nr[0, 1] = 9\nprint(x)"),
    ("real-of-real", "print(torch.view_as_real(torch.ones(2)))"),
    ("real-of-conj", "print(torch.view_as_real(torch.tensor([complex(1, 2)]).conj()))"),
    ("complex-of-bad-last", "print(torch.view_as_complex(torch.ones(2, 3)))"),
    ("complex-of-double", "print(torch.view_as_complex(torch.ones(2, 2, dtype=torch.float64)))"),
    ("complex-of-int", "print(torch.view_as_complex(torch.ones(2, 2, dtype=torch.int64)))"),
    ("complex-of-0d", "print(torch.view_as_complex(torch.tensor(1.0)))"),
    ("complex-of-stride", "print(torch.view_as_complex(torch.ones(2, 4)[:, ::2]))"),
    ("complex-of-transposed", "print(torch.view_as_complex(torch.ones(2, 2).t()))"),
    ("complex-of-offset", "print(torch.view_as_complex(torch.arange(6.0)[1:5].reshape(2, 2)))"),
    ("complex-of-expanded", "print(torch.view_as_complex(torch.ones(1, 2).expand(10 ** 6, 2)).shape)"),
    ("complex-of-as-strided", "x = torch.arange(8.0)\nprint(torch.view_as_complex(x.as_strided((3, 2), (1, 1))))"),
    ("roundtrip-loop", "x = torch.ones(4, 2)\nfor i in range(10 ** 4):\n    x = torch.view_as_real(torch.view_as_complex(x))\nprint(x.shape)"),
    ("roundtrip-grad", "x = torch.ones(3, 2, requires_grad=True)\nz = torch.view_as_complex(x)\ntorch.view_as_real(z * complex(0, 1)).sum().backward()\nprint(x.grad)"),
    ("write-through", "x = torch.zeros(2, 2)\nz = torch.view_as_complex(x)\nz.mul_(0).add_(complex(1, 1))\nprint(x)"),
    ("inplace-after-view-grad", "x = torch.zeros(2, 2, requires_grad=True)\ny = x.clone()\nz = torch.view_as_complex(y)\ny.add_(1)\nprint(z.abs().sum())\nz.abs().sum().backward()\nprint(x.grad)"),
    ("nograd-view-stale", "x = torch.zeros(2, 2, requires_grad=True)\ny = x * 1\nwith torch.no_grad():\n    z = torch.view_as_complex(y)\ny.add_(1)\nprint(z.grad_fn)"),
]
for name, body in VR:
    P("vr-" + name, T + body)

FFT = [
    ("n-huge", "print(torch.fft.fft(torch.ones(4), n=10 ** 12))"),
    ("n-big", "print(torch.fft.fft(torch.ones(4), n=10 ** 9).shape)"),
    ("n-zero", "print(torch.fft.fft(torch.ones(4), n=0))"),
    ("n-neg", "print(torch.fft.fft(torch.ones(4), n=-3))"),
    ("n-past-int64", "print(torch.fft.fft(torch.ones(4), n=2 ** 64))"),
    ("n-float", "print(torch.fft.fft(torch.ones(4), n=2.5))"),
    ("n-str", "print(torch.fft.fft(torch.ones(4), n='a'))"),
    ("dim-huge", "print(torch.fft.fft(torch.ones(4), dim=10 ** 9))"),
    ("norm-bad", "print(torch.fft.fft(torch.ones(4), norm='bogus'))"),
    ("empty", "print(torch.fft.fft(torch.ones(0)))"),
    ("0d", "print(torch.fft.fft(torch.tensor(1.0)))"),
    ("int", "print(torch.fft.fft(torch.arange(4)))"),
    ("bool", "print(torch.fft.fft(torch.tensor([True, False])))"),
    ("nan", "print(torch.fft.fft(torch.tensor([float('nan'), 1.0])))"),
    ("rfft-complex", "print(torch.fft.rfft(torch.ones(4, dtype=torch.complex64)))"),
    ("irfft-n-huge", "print(torch.fft.irfft(torch.ones(3, dtype=torch.complex64), n=10 ** 10))"),
    ("irfft-n-1", "print(torch.fft.irfft(torch.ones(3, dtype=torch.complex64), n=1))"),
    ("fft2-s-huge", "print(torch.fft.fft2(torch.ones(2, 2), s=(10 ** 5, 10 ** 5)))"),
    ("fftn-s-many", "print(torch.fft.fftn(torch.ones(2), s=(2,) * 100))"),
    ("fftn-dim-dup", "print(torch.fft.fftn(torch.ones(2, 2), dim=(0, 0)))"),
    ("fftn-s-dim-len", "print(torch.fft.fftn(torch.ones(2, 2), s=(2,), dim=(0, 1)))"),
    ("hfft-n-huge", "print(torch.fft.hfft(torch.ones(3, dtype=torch.complex64), n=10 ** 11))"),
    ("fftfreq-huge", "print(torch.fft.fftfreq(10 ** 12))"),
    ("fftfreq-neg", "print(torch.fft.fftfreq(-1))"),
    ("rfftfreq-d-zero", "print(torch.fft.rfftfreq(4, d=0.0))"),
    ("fftshift-dim-huge", "print(torch.fft.fftshift(torch.ones(4), dim=10 ** 9))"),
    ("grad", "x = torch.ones(4, requires_grad=True)\ntorch.fft.fft(x).abs().sum().backward()\nprint(x.grad)"),
    ("grad-n-pad", "x = torch.ones(4, requires_grad=True)\ntorch.fft.rfft(x, n=8).abs().sum().backward()\nprint(x.grad)"),
    ("stft-huge-n", "print(torch.stft(torch.ones(100), n_fft=10 ** 9, return_complex=True))"),
    ("istft-bad", "print(torch.istft(torch.ones(3, 3), n_fft=4))"),
]
for name, body in FFT:
    P("fft-" + name, T + body)

# --- nn.Parameter subclasses -------------------------------------------------------------------
PA = [
    ("subclass", "class Q(nn.Parameter):\n    pass\nq = Q(torch.ones(2))\nprint(q, type(q).__name__, isinstance(q, nn.Parameter))"),
    ("subclass-repr-raises", "class Q(nn.Parameter):\n    def __repr__(self):\n        raise ValueError('no')\nm = nn.Linear(2, 2)\nm.weight = Q(torch.ones(2, 2))\nprint(m)"),
    ("subclass-repr-recursive", "class Q(nn.Parameter):\n    def __repr__(self):\n        return repr(self)\nprint(Q(torch.ones(2)))"),
    ("subclass-new", "class Q(nn.Parameter):\n    def __new__(cls, data):\n        return 5"),
    ("subclass-init", "class Q(nn.Parameter):\n    def __init__(self, data, extra):\n        self.extra = extra\nq = Q(torch.ones(2), 7)\nprint(q.extra)"),
    ("subclass-getattr", "class Q(nn.Parameter):\n    def __getattr__(self, name):\n        return getattr(self, name)\nq = Q(torch.ones(2))\nprint(q.nothing)"),
    ("subclass-in-module", "class Q(nn.Parameter):\n    pass\nm = nn.Linear(2, 2)\nm.weight = Q(torch.ones(2, 2))\nprint(type(m.weight).__name__, [type(p).__name__ for p in m.parameters()])\nprint(m(torch.ones(2)))"),
    ("subclass-deepcopy", "import copy\nclass Q(nn.Parameter):\n    pass\nm = nn.Linear(2, 2)\nm.weight = Q(torch.ones(2, 2))\nprint(type(copy.deepcopy(m).weight).__name__)"),
    ("subclass-state-dict", "class Q(nn.Parameter):\n    pass\nm = nn.Linear(2, 2)\nm.weight = Q(torch.ones(2, 2))\nprint(m.state_dict())"),
    ("subclass-optim", "class Q(nn.Parameter):\n    pass\nq = Q(torch.ones(2))\nopt = torch.optim.SGD([q], lr=0.1)\nq.sum().backward()\nopt.step()\nprint(q)"),
    ("of-parameter", "p = nn.Parameter(nn.Parameter(torch.ones(2)))\nprint(p, type(p).__name__)"),
    ("of-int", "print(nn.Parameter(torch.ones(2, dtype=torch.int64)))"),
    ("of-int-no-grad", "print(nn.Parameter(torch.ones(2, dtype=torch.int64), requires_grad=False))"),
    ("of-complex", "p = nn.Parameter(torch.ones(2, dtype=torch.complex64))\n(p.abs()).sum().backward()\nprint(p.grad)"),
    ("of-non-tensor", "print(nn.Parameter([1.0, 2.0]))"),
    ("of-none", "print(nn.Parameter(None))"),
    ("of-huge-view", "print(nn.Parameter(torch.ones(1).expand(10 ** 6, 10 ** 6)).shape)"),
    ("of-as-strided", "x = torch.arange(4.0)\np = nn.Parameter(x.as_strided((3, 2), (1, 1)))\nprint(p, p.stride())"),
    ("of-nonleaf", "x = torch.ones(2, requires_grad=True)\np = nn.Parameter(x * 2)\nprint(p.is_leaf, p.grad_fn)"),
    ("requires-grad-str", "print(nn.Parameter(torch.ones(2), requires_grad='yes'))"),
    ("buffer-subclass", "class B(nn.Buffer):\n    pass\nm = nn.Module()\nm.b = B(torch.ones(2))\nprint(m.state_dict())"),
    ("subclass-many-levels", "C = nn.Parameter\nfor i in range(2000):\n    class D(C):\n        pass\n    C = D\nprint(C(torch.ones(1)))"),
    ("subclass-eq-hash", "class Q(nn.Parameter):\n    def __eq__(self, o):\n        return True\n    def __hash__(self):\n        return 1\nm = nn.Linear(2, 2)\nm.weight = Q(torch.ones(2, 2))\nm.bias = Q(torch.ones(2))\nprint(len(list(m.parameters())))"),
    ("subclass-torch-function", "class Q(nn.Parameter):\n    @classmethod\n    def __torch_function__(cls, func, types, args=(), kwargs=None):\n        return 5\nprint(Q(torch.ones(2)) + 1)"),
    ("subclass-data-set", "class Q(nn.Parameter):\n    pass\nq = Q(torch.ones(2))\nq.data = torch.ones(10 ** 6, 10 ** 6)"),
    ("subclass-grad-set", "class Q(nn.Parameter):\n    pass\nq = Q(torch.ones(2))\nq.grad = torch.ones(3)"),
    ("parameter-list-subclass", "class Q(nn.Parameter):\n    pass\nl = nn.ParameterList([Q(torch.ones(1)) for i in range(3)])\nprint(l)"),
    ("uninitialized", "p = nn.parameter.UninitializedParameter()\nprint(p)"),
    ("uninitialized-use", "p = nn.parameter.UninitializedParameter()\nprint(p + 1)"),
    ("uninitialized-materialize-huge", "p = nn.parameter.UninitializedParameter()\np.materialize((10 ** 6, 10 ** 6))\nprint(p.shape)"),
]
for name, body in PA:
    P("pa-" + name, NN + body)

# --- torch.utils.checkpoint ----------------------------------------------------------------------
CK = "import torch\nfrom torch.utils.checkpoint import checkpoint, checkpoint_sequential\n"
for reent in ("True", "False"):
    tag = "re" if reent == "True" else "nr"
    CKS = [
        ("basic", "x = torch.ones(2, requires_grad=True)\ny = checkpoint(lambda a: (a * 2).sin(), x, use_reentrant=%s)\ny.sum().backward()\nprint(x.grad)"),
        ("recursive", "def f(a, n):\n    if n == 0:\n        return a * 2\n    return checkpoint(f, a, n - 1, use_reentrant=%s)\nx = torch.ones(2, requires_grad=True)\nf(x, 5000).sum().backward()\nprint(x.grad)"),
        ("recursive-shallow", "def f(a, n):\n    if n == 0:\n        return a * 2\n    return checkpoint(f, a, n - 1, use_reentrant=%s)\nx = torch.ones(2, requires_grad=True)\nf(x, 50).sum().backward()\nprint(x.grad)"),
        ("backward-inside", "x = torch.ones(2, requires_grad=True)\ndef f(a):\n    y = (a * 2).sum()\n    y.backward(retain_graph=True)\n    return a * 3\ncheckpoint(f, x, use_reentrant=%s).sum().backward()\nprint(x.grad)"),
        ("raises", "x = torch.ones(2, requires_grad=True)\ndef f(a):\n    raise ValueError('boom')\ncheckpoint(f, x, use_reentrant=%s)"),
        ("returns-int", "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: 5, x, use_reentrant=%s))"),
        ("returns-none", "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: None, x, use_reentrant=%s))"),
        ("nondeterministic", "import random\nx = torch.ones(2, requires_grad=True)\ndef f(a):\n    return a * torch.ones(random.randint(1, 5))\ny = checkpoint(f, x, use_reentrant=%s)\ny.sum().backward()\nprint(x.grad)"),
        ("hook-recheckpoint", "x = torch.ones(2, requires_grad=True)\ndef hook(g):\n    return checkpoint(lambda a: a * 2, g, use_reentrant=%s)\nx.register_hook(hook)\nY = checkpoint(lambda a: a * 3, x, use_reentrant=%s)\nY.sum().backward()\nprint(x.grad)"),
        ("hook-backward-again", "x = torch.ones(2, requires_grad=True)\ny = checkpoint(lambda a: a * 2, x, use_reentrant=%s)\ndef hook(g):\n    y.sum().backward()\n    return g\ny.register_hook(hook)\ny.sum().backward()"),
        ("no-grad-input", "print(checkpoint(lambda a: a * 2, torch.ones(2), use_reentrant=%s))"),
        ("fn-not-callable", "print(checkpoint(5, torch.ones(2, requires_grad=True), use_reentrant=%s))"),
        ("twice-backward", "x = torch.ones(2, requires_grad=True)\ny = checkpoint(lambda a: a.exp(), x, use_reentrant=%s).sum()\ny.backward()\ny.backward()"),
        ("huge-output", "x = torch.ones(1, requires_grad=True)\ny = checkpoint(lambda a: a.expand(10 ** 6, 10 ** 6) * 2, x, use_reentrant=%s)"),
        ("kwargs", "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a, b=1: a * b, x, b=3, use_reentrant=%s))"),
        ("grad-inside", "x = torch.ones(2, requires_grad=True)\ndef f(a):\n    return torch.autograd.grad((a ** 2).sum(), a, create_graph=True)[0]\ncheckpoint(f, x, use_reentrant=%s).sum().backward()\nprint(x.grad)"),
        ("mutates-input", "x = torch.ones(2, requires_grad=True)\nz = x * 1\ndef f(a):\n    return a * 2\ny = checkpoint(f, z, use_reentrant=%s)\nwith torch.no_grad():\n    z.add_(1)\ny.sum().backward()\nprint(x.grad)"),
        ("saved-hooks", "x = torch.ones(2, requires_grad=True)\nwith torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 0):\n    y = checkpoint(lambda a: a.exp(), x, use_reentrant=%s)\ny.sum().backward()\nprint(x.grad)"),
    ]
    for name, body in CKS:
        P("ck-%s-%s" % (tag, name), CK + body.replace("%s", reent))
P("ck-seq-segments-huge", CK + "m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())\nx = torch.ones(1, 2, requires_grad=True)\nprint(checkpoint_sequential(m, 10 ** 9, x, use_reentrant=False))")
P("ck-seq-segments-zero", CK + "m = torch.nn.Sequential(torch.nn.Linear(2, 2))\nx = torch.ones(1, 2, requires_grad=True)\nprint(checkpoint_sequential(m, 0, x, use_reentrant=False))")
P("ck-seq-many", CK + "m = torch.nn.Sequential(*[torch.nn.Identity() for i in range(10 ** 4)])\nx = torch.ones(1, 2, requires_grad=True)\ncheckpoint_sequential(m, 100, x, use_reentrant=False).sum().backward()\nprint(x.grad)")
P("ck-seq-list", CK + "x = torch.ones(1, 2, requires_grad=True)\nprint(checkpoint_sequential([lambda a: a * 2] * 4, 2, x, use_reentrant=True))")
P("ck-no-reentrant-arg", CK + "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: a * 2, x))")
P("ck-context-fn-bad", CK + "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: a * 2, x, use_reentrant=False, context_fn=lambda: 5))")
P("ck-debug-str", CK + "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: a * 2, x, use_reentrant=False, debug='x'))")
P("ck-determinism-bad", CK + "x = torch.ones(2, requires_grad=True)\nprint(checkpoint(lambda a: a * 2, x, use_reentrant=False, determinism_check='bogus'))")

# --- nn.utils.prune ------------------------------------------------------------------------------
PR = NN + "import torch.nn.utils.prune as prune\nm = nn.Linear(4, 4)\n"
PRS = [
    ("amount-neg", "prune.l1_unstructured(m, 'weight', amount=-1)"),
    ("amount-huge", "prune.l1_unstructured(m, 'weight', amount=10 ** 9)"),
    ("amount-float-big", "prune.l1_unstructured(m, 'weight', amount=1.5)"),
    ("amount-nan", "prune.l1_unstructured(m, 'weight', amount=float('nan'))"),
    ("amount-str", "prune.l1_unstructured(m, 'weight', amount='a')"),
    ("amount-past-int64", "prune.random_unstructured(m, 'weight', amount=2 ** 64)"),
    ("name-missing", "prune.l1_unstructured(m, 'nope', amount=1)"),
    ("name-int", "prune.l1_unstructured(m, 3, amount=1)"),
    ("twice", "prune.l1_unstructured(m, 'weight', amount=2)\nprune.l1_unstructured(m, 'weight', amount=2)\nprint(int((m.weight == 0).sum()))"),
    ("many-times", "for i in range(300):\n    prune.random_unstructured(m, 'weight', amount=0)\nprint(m(torch.ones(4)).shape)"),
    ("many-times-big", "for i in range(3000):\n    prune.random_unstructured(m, 'weight', amount=0)\nprint(m(torch.ones(4)).shape)"),
    ("remove-unpruned", "prune.remove(m, 'weight')"),
    ("remove-twice", "prune.identity(m, 'weight')\nprune.remove(m, 'weight')\nprune.remove(m, 'weight')"),
    ("ln-n-bad", "prune.ln_structured(m, 'weight', amount=1, n='bogus', dim=0)"),
    ("ln-dim-huge", "prune.ln_structured(m, 'weight', amount=1, n=2, dim=10 ** 9)"),
    ("ln-n-inf", "prune.ln_structured(m, 'weight', amount=1, n=float('inf'), dim=0)\nprint(m.weight)"),
    ("random-structured-dim", "prune.random_structured(m, 'weight', amount=1, dim=-5)"),
    ("custom-mask-bad-shape", "prune.custom_from_mask(m, 'weight', mask=torch.ones(3))"),
    ("custom-mask-huge", "prune.custom_from_mask(m, 'weight', mask=torch.ones(1).expand(10 ** 6, 10 ** 6))"),
    ("custom-mask-float", "prune.custom_from_mask(m, 'weight', mask=torch.full((4, 4), 0.5))\nprint(m.weight)"),
    ("global-empty", "prune.global_unstructured([], pruning_method=prune.L1Unstructured, amount=1)"),
    ("global-bad-method", "prune.global_unstructured([(m, 'weight')], pruning_method=5, amount=1)"),
    ("global-amount-huge", "prune.global_unstructured([(m, 'weight')], pruning_method=prune.L1Unstructured, amount=100)"),
    ("global-generator", "import itertools\nprune.global_unstructured(((m, 'weight') for i in itertools.count()), pruning_method=prune.L1Unstructured, amount=1)"),
    ("hook-calls-prune", "class M(prune.BasePruningMethod):\n    PRUNING_TYPE = 'unstructured'\n    def compute_mask(self, t, default_mask):\n        prune.l1_unstructured(m, 'weight', amount=1)\n        return default_mask\nM.apply(m, 'weight')\nprint(m(torch.ones(4)).shape)"),
    ("compute-mask-recursive", "class M(prune.BasePruningMethod):\n    PRUNING_TYPE = 'unstructured'\n    def compute_mask(self, t, default_mask):\n        return self.compute_mask(t, default_mask)\nM.apply(m, 'weight')"),
    ("compute-mask-returns-int", "class M(prune.BasePruningMethod):\n    PRUNING_TYPE = 'unstructured'\n    def compute_mask(self, t, default_mask):\n        return 3\nM.apply(m, 'weight')\nprint(m.weight)"),
    ("compute-mask-huge", "class M(prune.BasePruningMethod):\n    PRUNING_TYPE = 'unstructured'\n    def compute_mask(self, t, default_mask):\n        return torch.ones(1000, 1000)\nM.apply(m, 'weight')\nprint(m.weight.shape)"),
    ("pre-hook-forward-recursion", "prune.identity(m, 'weight')\ndef h(mod, inp):\n    return mod(inp[0])\nm.register_forward_pre_hook(h)\nm(torch.ones(4))"),
    ("type-bad", "class M(prune.BasePruningMethod):\n    PRUNING_TYPE = 'bogus'\n    def compute_mask(self, t, default_mask):\n        return default_mask\nM.apply(m, 'weight')\nprune.l1_unstructured(m, 'weight', amount=1)"),
    ("is-pruned-odd", "print(prune.is_pruned(5), prune.is_pruned(m))"),
    ("container-repr", "prune.identity(m, 'weight')\nprune.identity(m, 'weight')\nprint(list(m._forward_pre_hooks.values()))"),
    ("deepcopy", "import copy\nprune.l1_unstructured(m, 'weight', amount=3)\nm2 = copy.deepcopy(m)\nprint(int((m2.weight == 0).sum()))"),
    ("state-dict", "prune.l1_unstructured(m, 'weight', amount=3)\nprint(sorted(m.state_dict().keys()))"),
]
for name, body in PRS:
    P("pr-" + name, PR + body)

# --- torch.gradient ------------------------------------------------------------------------------
GR = [
    ("spacing-endless", "import itertools\nprint(torch.gradient(torch.ones(4), spacing=itertools.count()))"),
    ("spacing-generator", "print(torch.gradient(torch.ones(4), spacing=(i for i in range(10 ** 9))))"),
    ("spacing-range-huge", "print(torch.gradient(torch.ones(4), spacing=range(10 ** 12)))"),
    ("spacing-str", "print(torch.gradient(torch.ones(4), spacing='ab'))"),
    ("spacing-zero", "print(torch.gradient(torch.ones(4), spacing=0))"),
    ("spacing-nan", "print(torch.gradient(torch.arange(4.0), spacing=float('nan')))"),
    ("spacing-tensor-2d", "print(torch.gradient(torch.ones(4), spacing=[torch.ones(2, 2)]))"),
    ("spacing-tensor-short", "print(torch.gradient(torch.ones(4), spacing=[torch.ones(2)]))"),
    ("spacing-tensor-equal", "print(torch.gradient(torch.arange(4.0), spacing=[torch.zeros(4)]))"),
    ("spacing-tensor-int", "print(torch.gradient(torch.arange(4.0), spacing=[torch.arange(4)]))"),
    ("spacing-tensor-complex", "print(torch.gradient(torch.arange(4.0), spacing=[torch.arange(4, dtype=torch.complex64)]))"),
    ("spacing-mixed", "print(torch.gradient(torch.ones(4, 4), spacing=[1.0, torch.arange(4.0)]))"),
    ("spacing-too-many", "print(torch.gradient(torch.ones(4), spacing=[1.0, 2.0, 3.0]))"),
    ("spacing-list-nested", "print(torch.gradient(torch.ones(4), spacing=[[1.0]]))"),
    ("spacing-huge-int", "print(torch.gradient(torch.arange(4.0), spacing=10 ** 400))"),
    ("spacing-big-list", "print(torch.gradient(torch.ones(4), spacing=[1.0] * 10 ** 7))"),
    ("dim-huge", "print(torch.gradient(torch.ones(4), dim=10 ** 9))"),
    ("dim-dup", "print(torch.gradient(torch.ones(4, 4), dim=[0, 0]))"),
    ("dim-endless", "import itertools\nprint(torch.gradient(torch.ones(4), dim=itertools.count()))"),
    ("dim-big-list", "print(torch.gradient(torch.ones(4), dim=[0] * 10 ** 7))"),
    ("edge-order-3", "print(torch.gradient(torch.ones(4), edge_order=3))"),
    ("edge-order-str", "print(torch.gradient(torch.ones(4), edge_order='1'))"),
    ("too-short", "print(torch.gradient(torch.ones(1)))"),
    ("0d", "print(torch.gradient(torch.tensor(1.0)))"),
    ("int", "print(torch.gradient(torch.arange(4)))"),
    ("bool", "print(torch.gradient(torch.tensor([True, False, True])))"),
    ("complex", "print(torch.gradient(torch.arange(4, dtype=torch.complex64)))"),
    ("many-dims", "print(len(torch.gradient(torch.ones((2,) * 20))))"),
    ("huge", "print(torch.gradient(torch.ones(4000, 4000))[0].shape)"),
    ("grad", "x = torch.arange(5.0, requires_grad=True)\ntorch.gradient(x ** 2)[0].sum().backward()\nprint(x.grad)"),
    ("spacing-requires-grad", "x = torch.arange(5.0)\nh = torch.arange(5.0, requires_grad=True)\ntorch.gradient(x ** 2, spacing=[h])[0].sum().backward()\nprint(h.grad)"),
]
for name, body in GR:
    P("gr-" + name, T + body)

# --- index_reduce --------------------------------------------------------------------------------
IR = [
    ("bad-reduce", "print(torch.ones(3).index_reduce(0, torch.tensor([0]), torch.ones(1), 'sum'))"),
    ("reduce-int", "print(torch.ones(3).index_reduce(0, torch.tensor([0]), torch.ones(1), 5))"),
    ("index-oob", "print(torch.ones(3).index_reduce(0, torch.tensor([5]), torch.ones(1), 'prod'))"),
    ("index-neg", "print(torch.ones(3).index_reduce(0, torch.tensor([-1]), torch.ones(1), 'prod'))"),
    ("index-huge", "print(torch.ones(3).index_reduce(0, torch.tensor([2 ** 62]), torch.ones(1), 'amax'))"),
    ("index-float", "print(torch.ones(3).index_reduce(0, torch.tensor([0.0]), torch.ones(1), 'mean'))"),
    ("index-2d", "print(torch.ones(3).index_reduce(0, torch.zeros(1, 1, dtype=torch.long), torch.ones(1), 'mean'))"),
    ("index-len", "print(torch.ones(3).index_reduce(0, torch.tensor([0, 1]), torch.ones(1), 'mean'))"),
    ("dim-huge", "print(torch.ones(3).index_reduce(10 ** 9, torch.tensor([0]), torch.ones(1), 'amin'))"),
    ("dim-past-int64", "print(torch.ones(3).index_reduce(2 ** 64, torch.tensor([0]), torch.ones(1), 'amin'))"),
    ("source-dtype", "print(torch.ones(3).index_reduce(0, torch.tensor([0]), torch.ones(1, dtype=torch.float64), 'prod'))"),
    ("source-shape", "print(torch.ones(3, 2).index_reduce(0, torch.tensor([0]), torch.ones(1, 3), 'prod'))"),
    ("int-mean", "print(torch.ones(3, dtype=torch.int64).index_reduce(0, torch.tensor([0, 0]), torch.tensor([2, 3]), 'mean'))"),
    ("int-mean-exclude", "print(torch.ones(3, dtype=torch.int64).index_reduce(0, torch.tensor([0, 0]), torch.tensor([2, 3]), 'mean', include_self=False))"),
    ("bool", "print(torch.ones(3, dtype=torch.bool).index_reduce(0, torch.tensor([0]), torch.zeros(1, dtype=torch.bool), 'prod'))"),
    ("complex", "print(torch.ones(3, dtype=torch.complex64).index_reduce(0, torch.tensor([0]), torch.ones(1, dtype=torch.complex64), 'prod'))"),
    ("nan", "print(torch.ones(3).index_reduce(0, torch.tensor([0, 0]), torch.tensor([float('nan'), 1.0]), 'amax'))"),
    ("empty", "print(torch.ones(3).index_reduce(0, torch.tensor([], dtype=torch.long), torch.ones(0), 'prod'))"),
    ("0d", "print(torch.tensor(2.0).index_reduce(0, torch.tensor([0]), torch.tensor([3.0]), 'prod'))"),
    ("huge-index", "print(torch.ones(3).index_reduce(0, torch.zeros(10 ** 7, dtype=torch.long), torch.ones(10 ** 7), 'prod'))"),
    ("inplace", "x = torch.ones(3)\nx.index_reduce_(0, torch.tensor([0, 0]), torch.tensor([2.0, 3.0]), 'prod')\nprint(x)"),
    ("inplace-leaf", "x = torch.ones(3, requires_grad=True)\nx.index_reduce_(0, torch.tensor([0]), torch.ones(1), 'prod')"),
    ("grad-prod-zero", "x = torch.ones(3, requires_grad=True)\ns = torch.tensor([0.0, 2.0], requires_grad=True)\nx.index_reduce(0, torch.tensor([0, 0]), s, 'prod').sum().backward()\nprint(x.grad, s.grad)"),
    ("grad-amax-ties", "x = torch.ones(3, requires_grad=True)\ns = torch.tensor([1.0, 1.0], requires_grad=True)\nx.index_reduce(0, torch.tensor([0, 0]), s, 'amax').sum().backward()\nprint(x.grad, s.grad)"),
    ("grad-mean", "x = torch.ones(3, requires_grad=True)\ns = torch.tensor([4.0, 2.0], requires_grad=True)\nx.index_reduce(0, torch.tensor([0, 0]), s, 'mean', include_self=False).sum().backward()\nprint(x.grad, s.grad)"),
    ("self-alias", "x = torch.ones(3)\nprint(x.index_reduce_(0, torch.tensor([0, 1, 2]), x, 'prod'))"),
    ("function-form", "print(torch.index_reduce(torch.ones(3), 0, torch.tensor([1]), torch.ones(1) * 5, 'amin'))"),
]
for name, body in IR:
    P("ir-" + name, T + body)

# --- asarray -----------------------------------------------------------------------------------
AA = [
    ("deep-list", "x = 1.0\nfor i in range(10 ** 5):\n    x = [x]\nprint(torch.asarray(x).shape)"),
    ("deep-list-100", "x = 1.0\nfor i in range(100):\n    x = [x]\nprint(torch.asarray(x).shape)"),
    ("deep-tuple", "x = 1.0\nfor i in range(999):\n    x = (x,)\nprint(torch.asarray(x).shape)"),
    ("self-list", "x = [1.0]\nx.append(x)\nprint(torch.asarray(x))"),
    ("self-list-only", "x = []\nx.append(x)\nprint(torch.asarray(x))"),
    ("shared-rows", "r = [1.0] * 3000\nx = [r] * 3000\nprint(torch.asarray(x).shape)"),
    ("shared-2-pow-60", "x = [1.0]\nfor i in range(60):\n    x = [x, x]\nprint(torch.asarray(x).shape)"),
    ("range-huge", "print(torch.asarray(range(10 ** 12)))"),
    ("range-10-7", "print(torch.asarray(range(10 ** 7)).shape)"),
    ("range-past-int64", "print(torch.asarray(range(2 ** 63, 2 ** 63 + 2)))"),
    ("string", "print(torch.asarray('abc'))"),
    ("strings-list", "print(torch.asarray(['a', 'b']))"),
    ("bytes-like", "print(torch.asarray(b'abc'))"),
    ("dict", "print(torch.asarray({1: 2}))"),
    ("set", "print(torch.asarray({1, 2}))"),
    ("generator", "print(torch.asarray(i for i in range(3)))"),
    ("endless", "import itertools\nprint(torch.asarray(itertools.count()))"),
    ("none", "print(torch.asarray(None))"),
    ("bool", "print(torch.asarray(True), torch.asarray([True, 2]))"),
    ("complex", "print(torch.asarray([complex(1, 1), 2]))"),
    ("huge-int", "print(torch.asarray(2 ** 64))"),
    ("huge-int-list", "print(torch.asarray([1, 2 ** 64]))"),
    ("ragged", "print(torch.asarray([[1, 2], [3]]))"),
    ("tensors-inside", "print(torch.asarray([torch.ones(2), torch.ones(2)]))"),
    ("scalar-tensors-inside", "print(torch.asarray([torch.tensor(1.0), torch.tensor(2)]))"),
    ("tensor-requires-grad-inside", "x = torch.tensor(1.0, requires_grad=True)\nprint(torch.asarray([x, x]))"),
    ("tensor-copy-false-dtype", "print(torch.asarray(torch.ones(2), dtype=torch.int64, copy=False))"),
    ("tensor-copy-true", "x = torch.ones(2)\ny = torch.asarray(x, copy=True)\ny.add_(1)\nprint(x, y)"),
    ("tensor-shared", "x = torch.ones(2)\ny = torch.asarray(x)\ny.add_(1)\nprint(x)"),
    ("tensor-grad", "x = torch.ones(2, requires_grad=True)\ny = torch.asarray(x)\nprint(y.requires_grad, y is x)"),
    ("requires-grad-int", "print(torch.asarray([1, 2], requires_grad=True))"),
    ("requires-grad-str", "print(torch.asarray([1.0], requires_grad='yes'))"),
    ("dtype-str", "print(torch.asarray([1.0], dtype='float32'))"),
    ("device-cuda", "print(torch.asarray([1.0], device='cuda'))"),
    ("program-sequence", "class S:\n    def __len__(self):\n        return 10 ** 9\n    def __getitem__(self, i):\n        return 1.0\nprint(torch.asarray(S()))"),
    ("program-sequence-liar", "class S:\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        raise IndexError\nprint(torch.asarray(S()))"),
    ("program-float", "class F:\n    def __float__(self):\n        return 1.5\nprint(torch.asarray(F()))"),
    ("program-index", "class F:\n    def __index__(self):\n        return 2 ** 70\nprint(torch.asarray([F()]))"),
    ("big-list", "print(torch.asarray([0.0] * 10 ** 7).shape)"),
    ("wide-nested-big", "print(torch.asarray([[0.0] * 10 ** 4] * 10 ** 4).shape)"),
    ("many-dims", "x = 1.0\nfor i in range(65):\n    x = [x]\nprint(torch.asarray(x).shape)"),
    ("deque", "import collections\nprint(torch.asarray(collections.deque([1, 2])))"),
    ("nan-int", "print(torch.asarray([float('nan')], dtype=torch.int64))"),
]
for name, body in AA:
    P("aa-" + name, T + body)

# --- fill ---------------------------------------------------------------------------------------
FI = [
    ("int-huge", "print(torch.fill(torch.ones(2, dtype=torch.int64), 2 ** 70))"),
    ("int8-wrap", "print(torch.fill(torch.ones(2, dtype=torch.int8), 300))"),
    ("uint8-neg", "print(torch.fill(torch.ones(2, dtype=torch.uint8), -1))"),
    ("int-nan", "print(torch.fill(torch.ones(2, dtype=torch.int64), float('nan')))"),
    ("int-inf", "print(torch.fill(torch.ones(2, dtype=torch.int32), float('inf')))"),
    ("bool-val", "print(torch.fill(torch.ones(2, dtype=torch.bool), 5))"),
    ("str", "print(torch.fill(torch.ones(2), 'a'))"),
    ("none", "print(torch.fill(torch.ones(2), None))"),
    ("list", "print(torch.fill(torch.ones(2), [1]))"),
    ("complex-into-real", "print(torch.fill(torch.ones(2), complex(1, 1)))"),
    ("complex-into-complex", "print(torch.fill(torch.ones(2, dtype=torch.complex64), complex(1, 1)))"),
    ("tensor-1d", "print(torch.fill(torch.ones(2), torch.ones(1)))"),
    ("tensor-0d-grad", "x = torch.ones(2, requires_grad=True)\nv = torch.tensor(3.0, requires_grad=True)\ntorch.fill(x, v).sum().backward()\nprint(x.grad, v.grad)"),
    ("tensor-0d-int", "print(torch.fill(torch.ones(2), torch.tensor(2 ** 40)))"),
    ("float32-overflow", "print(torch.fill(torch.ones(2), 1e300))"),
    ("expanded", "x = torch.ones(1).expand(10 ** 6)\nprint(torch.fill(x, 2.0).shape)"),
    ("expanded-huge", "x = torch.ones(1).expand(10 ** 4, 10 ** 4)\nprint(torch.fill(x, 2.0).shape)"),
    ("as-strided-layout", "x = torch.arange(8.0).as_strided((3, 3), (1, 2))\ny = torch.fill(x, 1.0)\nprint(y, y.stride())"),
    ("inplace-expanded", "x = torch.ones(1).expand(5)\nx.fill_(2)"),
    ("inplace-overlap", "x = torch.zeros(6).as_strided((3, 3), (1, 1))\nx.fill_(2)\nprint(x)"),
    ("inplace-int-huge", "x = torch.ones(2, dtype=torch.int64)\nx.fill_(2 ** 63)"),
    ("inplace-tensor-1d", "x = torch.ones(2)\nx.fill_(torch.ones(2))"),
    ("program-float", "class F:\n    def __float__(self):\n        return 2.0\nprint(torch.fill(torch.ones(2), F()))"),
    ("program-index", "class F:\n    def __index__(self):\n        return 3\nprint(torch.fill(torch.ones(2, dtype=torch.int64), F()))"),
    ("not-tensor", "print(torch.fill([1, 2], 3))"),
]
for name, body in FI:
    P("fi-" + name, T + body)

# --- func.stack_module_state -------------------------------------------------------------------
SM = NN + "from torch.func import stack_module_state\n"
SMS = [
    ("basic", "p, b = stack_module_state([nn.Linear(2, 2) for i in range(3)])\nprint({k: v.shape for k, v in p.items()})"),
    ("empty", "print(stack_module_state([]))"),
    ("not-modules", "print(stack_module_state([1, 2]))"),
    ("mixed-shapes", "print(stack_module_state([nn.Linear(2, 2), nn.Linear(3, 3)]))"),
    ("mixed-types", "print(stack_module_state([nn.Linear(2, 2), nn.ReLU()]))"),
    ("generator", "print(stack_module_state(nn.Linear(2, 2) for i in range(3)))"),
    ("endless", "import itertools\nprint(stack_module_state(itertools.repeat(nn.Linear(2, 2))))"),
    ("many", "m = nn.Linear(100, 100)\np, b = stack_module_state([m] * 10 ** 5)\nprint(p['weight'].shape)"),
    ("same-module", "m = nn.Linear(2, 2)\np, b = stack_module_state([m, m])\nprint(p['weight'].requires_grad, p['weight'].is_leaf)"),
    ("buffers", "p, b = stack_module_state([nn.BatchNorm1d(2) for i in range(2)])\nprint(sorted(b))"),
    ("no-grad-params", "ms = [nn.Linear(2, 2) for i in range(2)]\nfor m in ms:\n    m.weight.requires_grad_(False)\np, b = stack_module_state(ms)\nprint(p['weight'].requires_grad)"),
    ("dict", "print(stack_module_state({'a': nn.Linear(2, 2)}))"),
    ("str", "print(stack_module_state('ab'))"),
    ("tuple", "p, b = stack_module_state((nn.Linear(2, 2),))\nprint(p['weight'].shape)"),
    ("huge-param", "m = nn.Module()\nm.w = nn.Parameter(torch.ones(1).expand(10 ** 4, 10 ** 4))\np, b = stack_module_state([m, m])"),
    ("functional-call", "ms = [nn.Linear(2, 2) for i in range(3)]\np, b = stack_module_state(ms)\nprint(torch.func.functional_call(ms[0], ({k: v[0] for k, v in p.items()}, b), (torch.ones(2),)).shape)"),
    ("vmap", "ms = [nn.Linear(2, 2) for i in range(3)]\np, b = stack_module_state(ms)\nprint(torch.vmap(lambda pp, x: torch.func.functional_call(ms[0], pp, (x,)))(p, torch.ones(3, 2)).shape)"),
]
for name, body in SMS:
    P("sm-" + name, SM + body)

# --- limit classes through the new names --------------------------------------------------------
LM = [
    ("str-of-complex-list", "x = [complex(1, 1)] * 10 ** 7\nprint(len(str(x)))"),
    ("tolist-complex-huge", "x = torch.zeros(2 * 10 ** 6, dtype=torch.complex64)\nprint(len(x.tolist()))"),
    ("tolist-as-strided-huge", "x = torch.zeros(10)\nprint(len(x.as_strided((10 ** 4, 10 ** 4), (0, 0)).tolist()))"),
    ("repr-as-strided-threshold", "x = torch.zeros(10)\ntorch.set_printoptions(threshold=float('inf'))\nprint(x.as_strided((5000, 5000), (0, 0)))"),
    ("cat-as-strided-views", "x = torch.zeros(10)\nv = x.as_strided((3000, 3000), (0, 0))\nprint(torch.cat([v] * 100).shape)"),
    ("nested-tuple-size", "t = ()\nfor i in range(10 ** 5):\n    t = (t,)\nprint(torch.asarray(t))"),
    ("nested-zip-asarray", "z = [1.0]\nfor i in range(10 ** 5):\n    z = zip(z)\nprint(torch.asarray(z))"),
    ("size-of-range", "print(torch.empty_strided(range(10 ** 9), range(10 ** 9)))"),
    ("size-of-generator", "print(torch.empty_strided((i for i in range(10 ** 9)), (1,)))"),
    ("as-strided-endless", "import itertools\nprint(torch.zeros(3).as_strided(itertools.count(), itertools.count()))"),
    ("as-strided-huge-list", "print(torch.zeros(3).as_strided([1] * 10 ** 7, [0] * 10 ** 7))"),
    ("as-strided-program-index", "class I:\n    def __index__(self):\n        return 2\nprint(torch.arange(4.0).as_strided((I(),), (I(),)))"),
    ("as-strided-program-index-huge", "class I:\n    def __index__(self):\n        return 2 ** 70\nprint(torch.arange(4.0).as_strided((I(),), (1,)))"),
    ("as-strided-bool-size", "print(torch.arange(4.0).as_strided((True,), (1,)))"),
    ("view-complex-huge-text", "x = torch.zeros(4000, 4000, 2)\nprint(len(str(torch.view_as_complex(x))))"),
    ("complex-repr-in-list", "x = [torch.ones(3000, dtype=torch.complex64)] * 10 ** 4\nprint(len(str(x)))"),
    ("parameter-in-nested", "p = torch.nn.Parameter(torch.ones(1))\nt = p\nfor i in range(10 ** 4):\n    t = [t]\nprint(len(str(t)))"),
    ("index-reduce-inplace-loop", "x = torch.ones(1000)\nidx = torch.arange(1000)\nfor i in range(10 ** 4):\n    x.index_reduce_(0, idx, x, 'prod')\nprint(x.sum())"),
    ("fill-loop-graph", "x = torch.ones(2, requires_grad=True)\ny = x\nfor i in range(10 ** 4):\n    y = torch.fill(y, 1.0)\ny.sum().backward()\nprint(x.grad)"),
    ("fft-chain-loop", "x = torch.ones(64, dtype=torch.complex64)\nfor i in range(10 ** 4):\n    x = torch.fft.ifft(torch.fft.fft(x))\nprint(x.abs().sum())"),
    ("checkpoint-in-nested-graph", "from torch.utils.checkpoint import checkpoint\nx = torch.ones(2, requires_grad=True)\ny = x\nfor i in range(2000):\n    y = checkpoint(lambda a: a * 1.0, y, use_reentrant=False)\ny.sum().backward()\nprint(x.grad)"),
    ("checkpoint-reentrant-chain", "from torch.utils.checkpoint import checkpoint\nx = torch.ones(2, requires_grad=True)\ny = x\nfor i in range(2000):\n    y = checkpoint(lambda a: a * 1.0, y, use_reentrant=True)\ny.sum().backward()\nprint(x.grad)"),
    ("gradient-huge-out", "print(len(torch.gradient(torch.ones(2, 3000, 3000))))"),
    ("slice-inverse-huge-src-stride", "v = torch.ones(2)\nsrc = torch.empty_strided((2,), (2 ** 40,))"),
]
for name, body in LM:
    P("lm-" + name, T + body)
P("cx-literal", T + "print(torch.tensor([1 + 2j]))")
