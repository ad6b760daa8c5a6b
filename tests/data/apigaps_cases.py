"""Cases of the learner-reachable API closed on branch apigaps (issue 15): torch.stft/istft,
torch.signal.windows, nn.utils.parametrizations.orthogonal, Tensor.as_subclass,
torch.embedding_bag, histogramdd, the low-rank and Householder/LDL factorizations. Each a
snippet run with `torch` bound, whose printed text (and `!! Kind: message` for an escaping
exception) is recorded from PyTorch 2.13 by tools/record_apigaps.py into apigaps.json and
compared by tests/core/test_apigaps.py. Each starts from torch.manual_seed(0). Values are
printed through R (rounded to 3 decimals, complex as (re, im) pairs, -0 made 0): the FFTs of
numpy and PyTorch round their last bits differently; the live test compares the digits."""

HELPERS = """
def R(t):
    t = t.detach()
    if t.is_complex():
        t = torch.view_as_real(t)
    return (t * 1e3).round() / 1e3 + 0.0
"""

CASES = {
    # ----- stft / istft -----------------------------------------------------------------------
    "stft_rect_window_grad": """
x = torch.linspace(-1, 2, 16, requires_grad=True)
s = torch.stft(x, 8, window=torch.ones(8), return_complex=True)
print(s.shape, s.dtype, type(s.grad_fn).__name__)
print(R(s))
(s.real ** 2 + 3 * s.imag).sum().backward()
print(R(x.grad))
""",
    "stft_hann_hop_normalized_grad": """
x = torch.sin(torch.arange(37.) * 0.3).requires_grad_()
w = torch.hann_window(7)
s = torch.stft(x, 10, hop_length=3, win_length=7, window=w, normalized=True, return_complex=True)
print(s.shape, type(s.grad_fn).__name__)
print(R(s.abs()))
(s.real * 2 + s.imag).sum().backward()
print(R(x.grad))
""",
    "stft_batched_pad_modes": """
x = torch.sin(torch.arange(40.).reshape(2, 20) * 0.7)
for mode in ["constant", "reflect", "replicate", "circular"]:
    s = torch.stft(x, 8, hop_length=4, window=torch.hamming_window(8), pad_mode=mode,
                   return_complex=True)
    print(mode, s.shape, R(s[1, :, :2]))
""",
    "stft_onesided_false_and_real_format": """
x = torch.cos(torch.arange(20.) * 0.4)
print(torch.stft(x, 6, window=torch.hann_window(6), onesided=False, return_complex=True).shape)
r = torch.stft(x, 6, window=torch.hann_window(6), return_complex=False)
print(r.shape, r.dtype, R(r[:2, :2]))
""",
    "stft_complex_input_and_window_dtype": """
z = torch.complex(torch.arange(12.), torch.ones(12)).requires_grad_()
s = torch.stft(z, 4, window=torch.hann_window(4), return_complex=True)
print(s.shape, s.dtype, type(s.grad_fn).__name__)
s.abs().sum().backward()
print(R(z.grad))
print(torch.stft(torch.arange(12.), 4, window=torch.hann_window(4, dtype=torch.float64),
                 return_complex=True).dtype)
""",
    "stft_center_false_and_method": """
x = torch.arange(16.) ** 0.5
print(torch.stft(x, 8, center=False, window=torch.ones(8), return_complex=True).shape)
print(R(x.stft(4, hop_length=2, window=torch.ones(4), return_complex=True)[:, 0]))
print(R(torch.stft(x, 8, win_length=4, window=torch.hann_window(4), center=False,
                 align_to_window=True, return_complex=True).abs()))
""",
    "stft_window_grad": """
w = torch.hann_window(8).requires_grad_()
x = torch.sin(torch.arange(30.))
s = torch.stft(x, 8, window=w, return_complex=True)
s.abs().pow(2).sum().backward()
print(R(w.grad))
""",
    "stft_needs_return_complex": "torch.stft(torch.arange(16.), 8)",
    "stft_n_fft_too_long": "torch.stft(torch.arange(16.), 20, center=False, return_complex=True)",
    "stft_hop_zero": "torch.stft(torch.arange(16.), 8, hop_length=0, return_complex=True)",
    "stft_win_length_long": "torch.stft(torch.arange(16.), 8, win_length=9, return_complex=True)",
    "stft_window_size": "torch.stft(torch.arange(16.), 8, window=torch.ones(5), return_complex=True)",
    "stft_3d_input": "torch.stft(torch.ones(2, 2, 16), 8, return_complex=True)",
    "stft_integer_input": "torch.stft(torch.arange(16), 8, return_complex=True)",
    "stft_bad_pad_mode": "torch.stft(torch.arange(16.), 8, pad_mode='foo', return_complex=True)",
    "stft_onesided_complex": """
torch.stft(torch.ones(16, dtype=torch.complex64), 8, onesided=True, return_complex=True)
""",
    "stft_align_with_center": """
torch.stft(torch.arange(16.), 8, win_length=4, align_to_window=True, return_complex=True)
""",
    "stft_align_odd_overrun": """
torch.stft(torch.arange(37.), 8, win_length=5, window=torch.hann_window(5), center=False,
           align_to_window=True, return_complex=True)
""",
    "istft_round_trip_grad": """
w = torch.hann_window(8)
x = torch.sin(torch.arange(40.) * 0.37).requires_grad_()
y = torch.istft(torch.stft(x, 8, window=w, return_complex=True), 8, window=w)
print(y.shape, type(y.grad_fn).__name__, (y - x).abs().max() < 1e-5)
(y * torch.arange(40.)).sum().backward()
print(R(x.grad))
""",
    "istft_spectrum_grad": """
s = torch.complex(torch.linspace(-1, 1, 45).reshape(5, 9),
                  torch.linspace(0, 2, 45).reshape(5, 9)).requires_grad_()
y = torch.istft(s, 8, window=torch.hann_window(8))
print(R(y))
(y * y).sum().backward()
print(R(s.grad))
""",
    "istft_lengths_batched_onesided_false": """
w = torch.hann_window(8)
x = torch.sin(torch.arange(40.) * 0.37).reshape(2, 20).requires_grad_()
s = torch.stft(x, 8, hop_length=3, window=w, return_complex=True, normalized=True)
print(R(torch.istft(s, 8, hop_length=3, window=w, normalized=True)))
print(torch.istft(s, 8, hop_length=3, window=w, normalized=True, length=25).grad_fn.name())
print(torch.istft(s, 8, hop_length=3, window=w, normalized=True, length=12).shape)
s2 = torch.stft(x[0].detach(), 8, window=w, onesided=False, return_complex=True)
print(R(torch.istft(s2, 8, window=w)), torch.istft(s2, 8, window=w, return_complex=True).dtype)
w6 = torch.hann_window(6)
s3 = torch.stft(x[0].detach(), 8, win_length=6, window=w6, return_complex=True)
print(R(torch.istft(s3, 8, win_length=6, window=w6)))
""",
    "istft_real_input": "torch.istft(torch.ones(5, 9), 8)",
    "istft_wrong_freq": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 10)
""",
    "istft_wrong_freq_twosided": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, onesided=False)
""",
    "istft_hop_long": "torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, hop_length=9)",
    "istft_window_shape": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, window=torch.ones(5))
""",
    "istft_zero_envelope": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, window=torch.zeros(8))
""",
    "istft_center_false_envelope": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, window=torch.hann_window(8), center=False)
""",
    "istft_onesided_return_complex": """
torch.istft(torch.ones(5, 9, dtype=torch.complex64), 8, return_complex=True)
""",
    "istft_dims": "torch.istft(torch.ones(2, 2, 5, 9, dtype=torch.complex64), 8)",
    # ----- torch.signal.windows ---------------------------------------------------------------
    "windows_values": """
W = torch.signal.windows
for M in [0, 1, 2, 5, 8]:
    for sym in [True, False]:
        print(M, sym, R(W.hann(M, sym=sym)), R(W.hamming(M, sym=sym)), R(W.blackman(M, sym=sym)))
        print(R(W.bartlett(M, sym=sym)), R(W.cosine(M, sym=sym)), R(W.nuttall(M, sym=sym)))
        print(R(W.kaiser(M, sym=sym, beta=6.5)), R(W.gaussian(M, sym=sym, std=1.5)))
        print(R(W.exponential(M, sym=sym, tau=2.0)), R(W.general_hamming(M, sym=sym, alpha=0.6)))
        print(R(W.general_cosine(M, a=[0.5, 0.3, 0.2], sym=sym)))
print(R(W.exponential(6, center=1.0, sym=False, tau=0.5)))
print(W.hann(4, dtype=torch.float64).dtype, W.kaiser(3).dtype)
""",
    "windows_requires_grad": """
W = torch.signal.windows
for f in [W.hann, W.blackman, W.bartlett, W.cosine, W.exponential, W.gaussian, W.kaiser]:
    w = f(5, requires_grad=True)
    print(f.__name__, w.requires_grad, w.is_leaf, type(w.grad_fn).__name__)
print(W.hann(1, requires_grad=True).is_leaf, W.cosine(1, requires_grad=True).grad_fn is None)
""",
    "windows_negative_length": "torch.signal.windows.hann(-1)",
    "windows_negative_length_kaiser": "torch.signal.windows.kaiser(-2)",
    "windows_integer_dtype": "torch.signal.windows.blackman(4, dtype=torch.int64)",
    "windows_half_dtype": "torch.signal.windows.gaussian(4, dtype=torch.float16)",
    "windows_gaussian_std": "torch.signal.windows.gaussian(4, std=0)",
    "windows_exponential_tau": "torch.signal.windows.exponential(4, tau=-1)",
    "windows_exponential_center_sym": "torch.signal.windows.exponential(4, center=1.0)",
    "windows_kaiser_beta": "torch.signal.windows.kaiser(4, beta=-1)",
    "windows_general_cosine_empty": "torch.signal.windows.general_cosine(4, a=[])",
    "windows_general_cosine_not_list": "torch.signal.windows.general_cosine(4, a=1)",
    "windows_module": """
print(torch.signal.windows.__all__)
print(R(torch.signal.windows.cosine(3)))
""",
    # ----- geqrf, householder_product / orgqr, ormqr -----------------------------------------
    "geqrf_values": """
A = torch.tensor([[1., 2, 0], [3, -1, 2], [0.5, 0, 1], [2, 2, -3]], dtype=torch.float64)
a, tau = torch.geqrf(A)
print(R(a), R(tau), type(torch.geqrf(A)).__name__, R(A.geqrf().tau))
print(R(torch.geqrf(A[:2]).a), R(torch.geqrf(A.float()).tau))
print(torch.geqrf(A.requires_grad_()).a.grad_fn.name())
""",
    "householder_product_grads": """
A = torch.tensor([[1., 2, 0], [3, -1, 2], [0.5, 0, 1], [2, 2, -3]], dtype=torch.float64)
a, tau = torch.geqrf(A)
a.requires_grad_()
tau.requires_grad_()
Q = torch.linalg.householder_product(a, tau)
print(R(Q), Q.grad_fn.name(), R(torch.linalg.qr(A).Q - Q))
(Q * torch.arange(12., dtype=torch.float64).reshape(4, 3)).sum().backward()
print(R(a.grad), R(tau.grad))
Q2 = torch.orgqr(a, tau[:2])
print(R(Q2), Q2.grad_fn.name(), R(a.detach().orgqr(tau.detach())))
""",
    "householder_product_batched_double_backward": """
A = torch.tensor([[[1., 2, 0], [3, -1, 2], [0.5, 0, 1], [2, 2, -3]],
                  [[0., 1, 1], [1, 0, 2], [-1, 3, 0], [2, 1, 1]]], dtype=torch.float64)
a, tau = torch.geqrf(A)
a.requires_grad_()
Q = torch.linalg.householder_product(a, tau)
g, = torch.autograd.grad((Q * Q.detach() * 3).sum(), a, create_graph=True)
g.pow(2).sum().backward()
print(R(Q), R(g), R(a.grad))
""",
    "ormqr_grads": """
A = torch.tensor([[1., 2, 0], [3, -1, 2], [0.5, 0, 1], [2, 2, -3]], dtype=torch.float64)
a, tau = torch.geqrf(A)
a.requires_grad_()
tau.requires_grad_()
C = torch.tensor([[1., 2], [0, 1], [3, -1], [2, 2]], dtype=torch.float64, requires_grad=True)
for left, transpose in [(True, False), (True, True), (False, False), (False, True)]:
    other = C if left else C.t()
    o = torch.ormqr(a, tau, other, left=left, transpose=transpose)
    (o ** 2 * torch.arange(8., dtype=torch.float64).reshape(o.shape)).sum().backward()
    print(left, transpose, o.grad_fn.name(), R(o), R(a.grad), R(tau.grad), R(C.grad))
    a.grad = tau.grad = C.grad = None
print(R(a.detach().ormqr(tau.detach(), torch.eye(4, dtype=torch.float64))))
""",
    "geqrf_backward_refused": """
a = torch.geqrf(torch.ones(3, 3, requires_grad=True))
a.a.sum().backward()
""",
    "geqrf_1d": "torch.geqrf(torch.ones(4))",
    "geqrf_integer": "torch.geqrf(torch.ones(3, 3).long())",
    "householder_product_wide": "torch.linalg.householder_product(torch.ones(3, 4), torch.ones(2))",
    "householder_product_long_tau": "torch.linalg.householder_product(torch.ones(4, 3), torch.ones(4))",
    "householder_product_1d": "torch.linalg.householder_product(torch.ones(4), torch.ones(1))",
    "householder_product_tau_dtype": """
torch.linalg.householder_product(torch.ones(4, 3), torch.ones(2).double())
""",
    "householder_product_batch": "torch.linalg.householder_product(torch.ones(2, 4, 3), torch.ones(3, 3))",
    "householder_product_integer": "torch.linalg.householder_product(torch.ones(4, 3).long(), torch.ones(2).long())",
    "orgqr_wide": "torch.orgqr(torch.ones(3, 4), torch.ones(3))",
    "ormqr_tau_length": "torch.ormqr(torch.ones(4, 3), torch.ones(2), torch.ones(4, 2))",
    "ormqr_other_rows": "torch.ormqr(torch.ones(4, 3), torch.ones(3), torch.ones(2, 4))",
    "ormqr_other_cols": "torch.ormqr(torch.ones(4, 3), torch.ones(3), torch.ones(4, 5), left=False)",
    "ormqr_tau_dtype": "torch.ormqr(torch.ones(4, 3), torch.ones(3).double(), torch.ones(4, 2))",
    "ormqr_other_dtype": "torch.ormqr(torch.ones(4, 3), torch.ones(3), torch.ones(4, 2).double())",
    "ormqr_other_1d": "torch.ormqr(torch.ones(4, 3), torch.ones(3), torch.ones(2))",
    "ormqr_wide_input": "torch.ormqr(torch.ones(2, 3), torch.ones(2), torch.ones(2, 5)).shape",
    # ----- nn.utils.parametrizations.orthogonal ----------------------------------------------
    "orthogonal_maps_weights_and_grads": """
P = torch.nn.utils.parametrizations
for shape in [(3, 3), (4, 2), (2, 4)]:
    for mp in [None, "matrix_exp", "cayley", "householder"]:
        for triv in [True, False]:
            torch.manual_seed(0)
            m = torch.nn.Linear(shape[1], shape[0], bias=False)
            P.orthogonal(m, orthogonal_map=mp, use_trivialization=triv)
            p = m.parametrizations.weight
            W = m.weight
            x = torch.arange(2. * shape[1]).reshape(2, shape[1]) / 7
            (m(x) ** 3).sum().backward()
            print(shape, mp, triv, W.grad_fn.name(), R(W), R(p.original), R(p.original.grad))
            print(R(W @ W.mT if shape[0] <= shape[1] else W.mT @ W))
            if triv:
                print(R(p[0].base))
print(torch.randn(2))
""",
    "orthogonal_module_repr_and_names": """
torch.manual_seed(0)
m = torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(2, 3))
print(m)
print([n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()])
print(sorted(m.state_dict()))
c = torch.nn.utils.parametrizations.orthogonal(torch.nn.Conv2d(2, 3, 2))
print(c.weight.shape, c.parametrizations.weight[0].base.shape, R(c.weight[0, 0] @ c.weight[0, 0].mT))
""",
    "orthogonal_assign_and_train": """
torch.manual_seed(0)
P = torch.nn.utils.parametrizations
m = P.orthogonal(torch.nn.Linear(3, 3, bias=False))
m.weight = torch.tensor([[0., 1, 0], [1, 0, 0], [0, 0, -1]])
print(R(m.weight), R(m.parametrizations.weight.original), R(m.parametrizations.weight[0].base))
m.weight = torch.randn(3, 3)
print(R(m.weight))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = ((m(torch.ones(1, 3)) - torch.tensor([[1., 0, 0]])) ** 2).sum()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(R(m.weight @ m.weight.mT))
h = P.orthogonal(torch.nn.Linear(3, 3, bias=False), orthogonal_map="householder",
                 use_trivialization=False)
for Q in [-torch.eye(3), torch.eye(3), torch.tensor([[2., 1, 0], [1, 3, 0], [0, 0, -5]])]:
    h.weight = Q
    print(R(h.parametrizations.weight.original), R(h.weight))
""",
    "orthogonal_assign_refused_without_trivialization": """
m = torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(3, 3, bias=False),
                                               use_trivialization=False)
m.weight = torch.eye(3)
""",
    "orthogonal_assign_wrong_shape": """
m = torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(3, 3, bias=False))
m.weight = torch.ones(3, 4)
""",
    "orthogonal_vector": """
torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(2, 3), name="bias")
""",
    "orthogonal_no_such_name": """
torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(2, 3), name="foo")
""",
    "orthogonal_bad_map": """
torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(2, 3), orthogonal_map="foo")
""",
    "spectral_and_weight_norm_parametrizations": """
torch.manual_seed(0)
P = torch.nn.utils.parametrizations
m = P.spectral_norm(torch.nn.Linear(4, 3))
print(R(m.weight), R(torch.linalg.matrix_norm(m.weight, 2)))
w = P.weight_norm(torch.nn.Linear(4, 3))
print(R(w.weight), [n for n, _ in w.named_parameters()])
(w(torch.ones(2, 4)) ** 2).sum().backward()
print(R(w.parametrizations.weight.original0.grad), R(w.parametrizations.weight.original1.grad))
""",
    # ----- torch.embedding_bag (the 4-tuple op under F.embedding_bag) ------------------------
    "torch_embedding_bag_modes": """
w = (torch.arange(12.).reshape(4, 3) * torch.tensor([1., -1, 0.5])).requires_grad_()
i = torch.tensor([0, 2, 1, 3, 3])
o = torch.tensor([0, 2])
for mode in [0, 1, 2]:
    r = torch.embedding_bag(w, i, o, False, mode)
    print(type(r).__name__, len(r), r)
    (r[0] ** 2).sum().backward()
    print(w.grad)
    w.grad = None
print(torch.embedding_bag(w, i, o))
""",
    "torch_embedding_bag_options": """
w = (torch.arange(12.).reshape(4, 3) * torch.tensor([1., -1, 0.5])).requires_grad_()
i = torch.tensor([0, 2, 1, 3, 3])
o = torch.tensor([0, 2])
E = torch.embedding_bag
psw = torch.tensor([1., 2, 0.5, -1, 3], requires_grad=True)
r = E(w, i, o, False, 0, False, psw)
print(r)
r[0].sum().backward()
print(w.grad, psw.grad)
print(E(w, i, o, False, 0, False, None, False, 3))
print(E(w, i, o, False, 0, False, None, False, -1))
print(E(w, i, o, False, 1, False, None, False, 3))
print(E(w, i, o, False, 2, False, None, False, 3))
print(E(w, i, torch.tensor([0, 2, 5]), False, 1, False, None, True))
print(E(w, i, torch.tensor([0, 2, 5]), False, 0, False, None, True))
print(E(w, i, torch.tensor([0, 2, 2]), False, 2))
print(E(w, i, torch.tensor([0, 2, 2]), False, 1))
""",
    "torch_embedding_bag_offsets_none": "torch.embedding_bag(torch.ones(4, 3), torch.tensor([0, 1]), None)",
    # ----- torch.histogramdd ------------------------------------------------------------------
    "histogramdd_00": """
x = torch.tensor([[0., 1.], [1., 0.], [2., 0.], [2., 2.]])
print(torch.histogramdd(x, bins=[3, 3], weight=torch.tensor([1., 2., 4., 8.])))
""",
    "histogramdd_01": """
x = torch.tensor([[0., 1.], [1., 0.], [2., 0.], [2., 2.]])
print(torch.histogramdd(x, bins=[2, 2], range=[0., 1., 0., 1.], density=True))
""",
    "histogramdd_02": """
x = torch.tensor([[0., 1.], [1., 0.], [2., 0.], [2., 2.]])
print(torch.histogramdd(x, bins=2))
""",
    "histogramdd_03": """
x = torch.tensor([[0., 1.], [1., 0.], [2., 0.], [2., 2.]])
print(torch.histogramdd(x, bins=[torch.tensor([0.,1,2]), torch.tensor([0., 0.5, 3])]))
""",
    "histogramdd_04": """
torch.manual_seed(0)
print(torch.histogramdd(torch.rand(20,3,3), bins=(2,3,4), density=True))
""",
    "histogramdd_05": """
torch.manual_seed(0)
print(torch.histogramdd(torch.randn(200,2), bins=5))
""",
    "histogramdd_06": """
torch.manual_seed(0)
print(torch.histogramdd(torch.randn(200,2).double(), bins=[4,3], range=[-1,1,-2,2.5], weight=torch.rand(200).double()))
""",
    "histogramdd_07": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x, bins=[2,2,2]))
""",
    "histogramdd_08": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x, bins=[2,0]))
""",
    "histogramdd_09": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x, bins=2, range=[0.,1.]))
""",
    "histogramdd_10": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x.long(), bins=2))
""",
    "histogramdd_11": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x, bins=2, weight=torch.ones(3)))
""",
    "histogramdd_12": """
print(torch.histogramdd(torch.ones(4), bins=2))
""",
    "histogramdd_13": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x, bins=2, range=[1.,0.,0,1]))
""",
    "histogramdd_14": """
x = torch.tensor([[0., 1.], [1., 0.]])
print(torch.histogramdd(x.requires_grad_(), bins=2))
""",
    "histogramdd_15": """
x = torch.tensor([[0., 1.], [1., 1.]])
print(torch.histogramdd(x, bins=3))
""",
    "histogramdd_16": """
print(torch.histogramdd(torch.zeros(0, 2), bins=2))
""",
    # ----- svd_lowrank / pca_lowrank: shapes, reconstruction, messages ------------------------
    "lowrank_shapes_and_reconstruction": """
A = torch.randn(6, 4) @ torch.randn(4, 5)
U, S, V = torch.svd_lowrank(A, q=4)
print(U.shape, S.shape, V.shape, torch.dist(U @ torch.diag(S) @ V.T, A) < 1e-4, U.grad_fn)
print([t.shape for t in torch.svd_lowrank(A)], [t.shape for t in torch.svd_lowrank(A, q=7)])
print([t.shape for t in torch.pca_lowrank(A)], [t.shape for t in torch.pca_lowrank(A, 3, False)])
print([t.shape for t in torch.svd_lowrank(torch.ones(2, 3, 4), q=2)])
print(torch.randn(2))
""",
    "pca_lowrank_q_too_large": "torch.pca_lowrank(torch.ones(6, 5), q=7)",
    "pca_lowrank_q_negative": "torch.pca_lowrank(torch.ones(6, 5), q=-1)",
    "pca_lowrank_vector": "torch.pca_lowrank(torch.ones(3))",
    "svd_lowrank_vector": "torch.svd_lowrank(torch.ones(3))",
    # ----- Tensor.as_subclass, torch.frombuffer --------------------------------------------
    "as_subclass": """
class M(torch.Tensor):
    def hello(self):
        return "hi"
y = torch.tensor([1., 2.], requires_grad=True)
for bad in (int, 3):
    try:
        y.as_subclass(bad)
    except Exception as e:
        print(type(e).__name__, e)
z = y.as_subclass(M)
print(type(z).__name__, z, z.requires_grad, z._base is y, z.is_leaf, z.grad_fn.name(), z.hello())
z2 = torch.tensor([1, 2]).as_subclass(M)
print(z2, z2.requires_grad, z2.dtype, z2.is_leaf)
y2 = torch.tensor([1., 2.])
z3 = y2.as_subclass(M)
z3[0] = 5
print(y2, z3.grad_fn, z3.is_leaf, y2._version, z3._version)
(z * 3).sum().backward()
print(y.grad, type(z.as_subclass(torch.Tensor)).__name__)
""",
    "frombuffer": """
import array
b = bytearray(b"\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00\\x03\\x00\\x00\\x00")
t = torch.frombuffer(b, dtype=torch.int32)
b[0] = 9
print(t, torch.frombuffer(b, dtype=torch.int32, count=2, offset=4))
print(torch.frombuffer(array.array("f", [1.5, 2.5]), dtype=torch.float32, requires_grad=True))
print(torch.frombuffer(b"\\x01\\x02", dtype=torch.uint8))
for kwargs in [dict(), dict(count=2), dict(offset=5), dict(count=0), dict(offset=-1)]:
    try:
        torch.frombuffer(b"abcd", dtype=torch.int32, **kwargs)
    except ValueError as e:
        print(e)
for buffer in [[1, 2], b"", b"abc"]:
    try:
        torch.frombuffer(buffer, dtype=torch.int32)
    except ValueError as e:
        print(e)
""",
    "frombuffer_no_dtype": "torch.frombuffer(b'abcd')",
    # ----- linalg.ldl_factor / ldl_factor_ex / ldl_solve -------------------------------------
    "ldl_factor_and_solve": """
S = torch.tensor([[0.01, 1, 2, -1], [1, 0.02, 3, 0.5], [2, 3, -0.01, 1], [-1, 0.5, 1, 4]],
                 dtype=torch.float64)
LD, piv = torch.linalg.ldl_factor(S)
print(R(LD), piv)
print(torch.linalg.ldl_factor_ex(S.float()))
B = torch.tensor([[1., 2], [0, 1], [3, -1], [2, 2]], dtype=torch.float64)
print(R(torch.linalg.ldl_solve(LD, piv, B)), R(torch.linalg.solve(S, B)))
print(torch.linalg.ldl_factor(torch.eye(2)), torch.linalg.ldl_factor(S, hermitian=True).pivots)
a = S.clone().requires_grad_()
r = torch.linalg.ldl_factor(a)
print(r.LD.grad_fn.name(), torch.linalg.ldl_solve(r.LD, r.pivots, B).grad_fn.name())
""",
    "ldl_factor_singular_ex": """
print(torch.linalg.ldl_factor_ex(torch.tensor([[4., 1, 2], [1, -3, 0.5], [2, 0.5, 1]])))
""",
    "ldl_factor_singular": "torch.linalg.ldl_factor(torch.tensor([[4., 1, 2], [1, -3, 0.5], [2, 0.5, 1]]))",
    "ldl_factor_backward": """
r = torch.linalg.ldl_factor(torch.eye(3, requires_grad=True))
r.LD.sum().backward()
""",
    "ldl_factor_not_square": "torch.linalg.ldl_factor(torch.ones(2, 3))",
    "ldl_factor_vector": "torch.linalg.ldl_factor(torch.ones(3))",
    "ldl_factor_integer": "torch.linalg.ldl_factor(torch.ones(3, 3).long())",
    "ldl_solve_sizes": """
LD, piv = torch.linalg.ldl_factor(torch.eye(5))
torch.linalg.ldl_solve(LD, piv, torch.ones(4, 2))
""",
    "ldl_solve_dtype": """
LD, piv = torch.linalg.ldl_factor(torch.eye(5, dtype=torch.float64))
torch.linalg.ldl_solve(LD, piv, torch.ones(5, 2))
""",
}


def run_case(torch, source):
    """What the case prints with `torch`, and `!! Kind: message` for an escaping exception
    (each from torch.manual_seed(0), the default dtype float32, warnings not shown). A one-line
    case is an expression whose repr is printed."""
    import contextlib
    import io
    import warnings
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    out = io.StringIO()
    source = source.strip()
    env = {"torch": torch}
    exec(HELPERS, env)
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if "\n" not in source:
                print(repr(eval(source, env)))
            else:
                exec(source, env)
    except Exception as e:  # noqa: BLE001 - recorded as the case's last line
        out.write("!! %s: %s\n" % (type(e).__name__, e))
    return out.getvalue()
