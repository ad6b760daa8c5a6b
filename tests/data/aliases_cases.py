"""The cases of tests/core/test_aliases.py and tools/record_aliases.py: each new name of branch
aliases (issue 15) called with good and bad arguments. A case is one expression over `torch`
and the tensors of `setup()`; its fact is the printed result (repr, graph node names, gradients)
or the exception's type and message, with the warnings it gave. Run under manual_seed(0)."""

import re
import warnings

SETUP = """
x = torch.tensor([[0.0, -1.5, 2.0], [2.0, -0.0, 0.5]], requires_grad=True)
v = torch.tensor([0.5, -1.0, 2.0, 3.0, -0.25, 1.0], requires_grad=True)
c = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
n = torch.tensor([4, 1, 5])
p = torch.tensor([0.0, 0.25, 0.5, 1.0, 0.75, 0.5])
"""

CASES = [
    # Tensor.unfold (a view: its base sees writes), UnfoldBackward0
    "v.unfold(0, 2, 2)", "v.unfold(0, 4, 1)", "x.unfold(1, 2, 1)", "x.t().unfold(0, 1, 1)",
    "grad(v.unfold(0, 3, 2).sum(), v)", "grad((v.unfold(0, 4, 1) ** 2).sum(), v)",
    "v.unfold(0, 7, 1)", "v.unfold(0, 2, 0)", "v.unfold(2, 1, 1)", "torch.tensor(2.0).unfold(0, 1, 1)",
    "c.unfold(1, 2, 1)._base is c", "write(c.clone(), lambda t: t.unfold(1, 2, 1)[0, 0].fill_(9))",
    # Tensor.new: the legacy constructor
    "x.new()", "x.new([1, 2])", "x.new((2, 3))", "x.new(torch.Size([2])).shape", "x.new(2, 3).shape",
    "n.new([1.5, 2.5])", "x.new(x)", "x.new(x).requires_grad", "x.new('a')", "x.new(2, [1])",
    "x.new(n)", "x.new(2, dtype=torch.int64)",
    # sizes and properties
    "x.nbytes", "x.itemsize", "n.itemsize", "x[:, 0].nbytes", "x.is_meta", "x.is_mps", "x.is_xpu",
    "x.is_sparse", "x.is_quantized", "x.is_nested", "x.is_mkldnn", "x.is_vulkan", "x.is_sparse_csr",
    "x.is_xla", "x.is_ipu", "x.is_maia", "x.is_mtia", "c.is_shared()", "c.share_memory_() is c",
    "shared(c)", "c.is_pinned()", "c.is_pinned('a')", "c.pin_memory()", "x.dim_order()",
    "x.t().dim_order()", "torch.ones(2, 3, 4).permute(2, 0, 1).dim_order()",
    "x.const_data_ptr() == x.data_ptr()",
    "torch.tensor([0.0]).is_nonzero()", "torch.tensor(3).is_nonzero()", "x.is_nonzero()",
    "torch.tensor([]).is_nonzero()", "torch.is_nonzero(torch.tensor([True]))",
    "torch.is_nonzero(1)",
    # random fills as PyTorch draws them
    "torch.empty(5).cauchy_()", "torch.empty(3, dtype=torch.float64).cauchy_(1, 2)",
    "torch.empty(5).log_normal_()", "torch.empty(4, dtype=torch.float64).log_normal_(0, 0.5)",
    "torch.empty(5).geometric_(0.3)", "torch.empty(3, dtype=torch.int64).geometric_(0.5)",
    "x.clone().cauchy_().grad_fn.name()", "x.clone().log_normal_().grad_fn.name()",
    "x.clone().geometric_(0.2).grad_fn.name()",
    "torch.empty(2).cauchy_(0, -1)", "torch.empty(2).log_normal_(0, -1)",
    "torch.empty(2).geometric_(0)", "torch.empty(2).geometric_(1.5)",
    "torch.empty(2, dtype=torch.int64).cauchy_()", "torch.empty(2, dtype=torch.int64).log_normal_()",
    "torch.empty(2, dtype=torch.bool).geometric_(0.5)", "x.cauchy_()",
    "p.bernoulli()", "p.bernoulli(0.3)", "torch.bernoulli(p)",
    "torch.bernoulli(p.clone().requires_grad_())", "grad(torch.bernoulli(v.sigmoid()).sum(), v)",
    "grad(v.bernoulli(0.5).sum(), v)",
    "torch.poisson(torch.tensor([0.0, 0.5, 3.0, 9.9, 10.0, 25.0, 1000.0]))",
    "torch.poisson(torch.tensor([[2.0, 40.0], [7.0, 0.1]], dtype=torch.float64))",
    "torch.poisson(torch.tensor([-1.0]))", "torch.poisson(torch.tensor([1]))",
    "grad(torch.poisson(v.abs()).sum(), v)",
    "torch.binomial(torch.tensor([0.0, 5.0, 10.0, 20.0, 100.0, 1000.0, 7.0, 50.0, 3.0]), "
    "torch.tensor([0.5, 0.3, 0.05, 0.5, 0.9, 0.3, 1.0, 0.99, 0.0]))",
    "torch.binomial(torch.full((12,), 40.0), torch.linspace(0, 1, 12))",
    "torch.binomial(torch.tensor([5.0]), 0.5)", "torch.binomial(torch.tensor([5]), torch.tensor([0.5]))",
    "grad(torch.binomial(v.abs(), torch.full((6,), 0.5)).sum(), v)",
    # apply_, map_, map2_
    "c.clone().apply_(lambda a: a * 2)", "n.clone().apply_(lambda a: a / 2)",
    "c.clone().map_(torch.tensor([1.0, 0.0, 1.0]), lambda a, b: a + b)",
    "c.clone().map2_(c, c, lambda a, b, d: a + b * d)", "x.apply_(lambda a: a)",
    "c.clone().apply_(lambda a: 'a')", "c.clone().map_(2, max)",
    # resize, resize_as, resize_as_, addmm_
    "x.resize(3, 2)", "x.resize((6,))", "grad((x.resize(6) * v).sum(), x)", "x.resize(4)",
    "x.resize_as(c.t())", "c.clone().resize_as_(torch.ones(2, 2))",
    "torch.resize_as_(c.clone(), torch.ones(3))", "x.resize_as_(c)", "c.clone().resize_as_(3)",
    "c.clone().addmm_(torch.ones(2, 2), c, beta=2, alpha=3)", "x.addmm_(c, c.t())",
    "c.clone().addmm_(c, c)",
    # torch.detach, torch.detach_
    "torch.detach(x)", "torch.detach(x)._version", "torch.detach_(x.detach())", "torch.detach_(x[0])",
    "torch.detach(1)",
    # torch-level nn functions (ATen's signatures)
    "torch.conv1d(torch.ones(1, 1, 4), torch.ones(1, 1, 2))",
    "torch.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2), None, 1, 'same')",
    "torch.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 2), stride=2)",
    "torch.layer_norm(x, [3])", "torch.layer_norm(x, (3,), None, None, 1e-5, True)",
    "torch.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False)",
    "torch.batch_norm(x, None, None, torch.zeros(3), torch.ones(3), False, 0.1, 1e-5, False)",
    "torch.batch_norm(x)",
    "torch.instance_norm(x.unsqueeze(0), None, None, None, None, True, 0.1, 1e-5, False)",
    "torch.embedding(x.t(), torch.tensor([0, 2]))", "torch.embedding(x.t(), torch.tensor([0, 2]), 0)",
    "grad(torch.embedding(x.t(), torch.tensor([0, 0, 2]), 0).sum(), x)",
    "torch.embedding(torch.tensor([0, 2]), x.t())",
    "torch.dropout(v, 0.5, True)", "torch.dropout(v, 0.5, False) is v", "torch.dropout(v, 1.5, True)",
    "torch.dropout(v, p=0.5, train=True)", "torch.dropout(v, 0.5, training=True)",
    "torch.dropout_(v.clone(), 0.5, True)", "torch.dropout_(v, 0.5, True)",
    "torch.alpha_dropout(v, 0.5, True)", "torch.alpha_dropout_(v.clone(), 0.5, True)",
    "torch.feature_dropout(x, 0.5, True)", "torch.feature_dropout_(x.clone(), 0.5, True)",
    "torch.feature_dropout(v, 0.5, True)", "torch.feature_alpha_dropout(x, 0.5, True)",
    "torch.feature_alpha_dropout_(x.clone(), 0.5, True)",
    "torch.nn.functional.dropout(v.clone(), 0.5, inplace=True)",
    "torch.selu(x)", "torch.selu(x, False)",
    "torch.kl_div(v, p)", "torch.kl_div(v, p, 1)", "torch.kl_div(v, p, 2, log_target=True)",
    "torch.kl_div(v, p, reduction='mean')",
    "torch.bilinear(x, x, torch.ones(1, 3, 3))",
    "torch.binary_cross_entropy_with_logits(v, p)", "torch.binary_cross_entropy_with_logits(v, p, None, None, 1)",
    "torch.binary_cross_entropy_with_logits(v, p, pos_weight=torch.full((6,), 2.0), reduction=2)",
    "torch.hinge_embedding_loss(v, torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, 1.0]))",
    "torch.margin_ranking_loss(v, p, torch.ones(6), 0.5, 1)",
    "torch.cosine_embedding_loss(x, c, torch.tensor([1.0, -1.0]))",
    "torch.triplet_margin_loss(x, c, c.flip(0), 1.0, 2, 1e-6, False, 2)",
    "torch.poisson_nll_loss(v, p, True, False, 1e-8, 1)", "torch.poisson_nll_loss(v, p)",
    "torch.max_pool1d_with_indices(x.unsqueeze(0), 2)",
    "torch.max_pool1d_with_indices(x.unsqueeze(0), 2, 1, 1)",
    # top-level in-place functions
    "torch.erfc_(c.clone())", "torch.exp2_(c.clone())", "torch.i0_(c.clone())",
    "torch.sinc_(c.clone())", "torch.xlogy_(c.clone(), 2.0)", "torch.nan_to_num_(torch.tensor([float('nan'), 1.0]))",
    "torch.addmv_(torch.ones(2), c, torch.ones(3))", "torch.erfc_(x)", "torch.exp2_(1.0)",
    "torch.index_put(c, (torch.tensor([0]),), torch.tensor(9.0))",
    "torch.index_put_(c.clone(), (torch.tensor([1]), torch.tensor([2])), torch.tensor(9.0), True)",
    # the *_copy family
    "torch.alias_copy(x)", "torch.detach_copy(x)", "grad(torch.detach_copy(x).sum(), x)",
    "torch.diagonal_copy(x)", "torch.diagonal_copy(torch.ones(2, 3, 4), 1, 0, 2)",
    "torch.expand_copy(v[:1], (2, 3))", "torch.expand_copy(v, (2, 3))",
    "torch.narrow_copy(x, 1, 0, 2)", "x.narrow_copy(1, 1, 2)", "torch.narrow_copy(x, 1, 2, 5)",
    "torch.permute_copy(x, (1, 0))", "torch.permute_copy(x, (0, 0))",
    "torch.select_copy(x, 1, 2)", "torch.select_copy(x, 1, 5)",
    "torch.slice_copy(x, 1, 1)", "torch.slice_copy(v, 0, 1, 5, 2)", "torch.slice_copy(x.t())",
    "torch.split_copy(v, 4)", "torch.split_with_sizes_copy(x, [1, 2], 1)",
    "torch.split_with_sizes_copy(x, [1, 1], 1)",
    "torch.squeeze_copy(x.unsqueeze(0))", "torch.squeeze_copy(x.unsqueeze(1), 1)",
    "torch.t_copy(x)", "torch.transpose_copy(x, 0, 1)", "torch.transpose_copy(x, 0, 2)",
    "torch.unbind_copy(x, 1)", "torch.unfold_copy(v, 0, 2, 2)", "torch.unsqueeze_copy(x, 2)",
    "torch.view_copy(x, (3, 2))", "torch.view_copy(x.t(), [6])", "torch.view_copy(x, (4,))",
    "[t.is_contiguous() for t in (torch.t_copy(x), torch.transpose_copy(x, 0, 1), torch.slice_copy(x, 1, 0, 2))]",
    "grad((torch.t_copy(x) * torch.ones(3, 2)).sum(), x)",
    "grad(sum(t.sum() * k for k, t in enumerate(torch.unbind_copy(x, 1))), x)",
    "grad((torch.expand_copy(v[:2], (3, 2)) ** 2).sum(), v)",
    "grad(torch.diagonal_copy(x, 1).sum() * 2, x)", "torch.t_copy(1)",
    "torch.split_with_sizes(v, [2, 4])", "v.split_with_sizes([1, 5])", "torch.split_with_sizes(v, [1, 2])",
    "torch.unsafe_split_with_sizes(v, [3, 3])", "torch.unsafe_split_with_sizes(v, [3, 4])",
    "grad(sum(t.sum() * (k + 1) for k, t in enumerate(torch.unsafe_split_with_sizes(v, [2, 4]))), v)",
    # nanmedian, unravel_index, nonzero_static, isreal, typename, is_storage
    "torch.nanmedian(torch.tensor([1.0, float('nan'), 3.0, 2.0]))", "torch.nanmedian(torch.tensor([float('nan')]))",
    "torch.tensor([[1.0, float('nan'), 3.0, 2.0], [float('nan')] * 4, [4.0, 1.0, float('nan'), 1.0]]).nanmedian(1)",
    "torch.tensor([[float('nan')] * 5] * 2).nanmedian(1)", "x.nanmedian(0, keepdim=True)",
    "grad(x.nanmedian(), x)", "grad(x.nanmedian(1).values.sum(), x)", "torch.ones(2, 0).nanmedian(1)",
    "torch.nanmedian(n)",
    "torch.unravel_index(torch.tensor([4, 1]), (2, 3))", "torch.unravel_index(torch.tensor(5), (2, 3))",
    "torch.unravel_index(torch.tensor([-1]), (2, 3))", "torch.unravel_index(torch.tensor([3]), 4)",
    "torch.unravel_index(torch.tensor([1.0]), (2, 3))", "torch.unravel_index(torch.tensor([1]), (2, -3))",
    "torch.unravel_index(torch.tensor([1]), (2, 3.0))", "torch.unravel_index(torch.tensor([1]), 'a')",
    "torch.nonzero_static(c > 2, size=3)", "torch.nonzero_static(n, size=1, fill_value=7)",
    "n.nonzero_static(size=5, fill_value=-5)", "torch.nonzero_static(torch.tensor(3), size=2)",
    "torch.nonzero_static(n, size=-1)", "torch.nonzero_static(n)",
    "torch.isreal(x)", "torch.isreal(n)", "x.isreal()",
    "torch.typename(x)", "torch.typename(n)", "torch.typename(3)", "torch.typename([1])",
    "torch.is_storage(x)", "torch.is_storage(x.untyped_storage())",
]


def grad(out, inputs):
    """The gradient of out for inputs, through the library's autograd."""
    return out.grad_fn.__class__ and _lib.autograd.grad(out, inputs, allow_unused=True)


_lib = None


def _shared(t):
    t.share_memory_()
    return t.is_shared(), t[0].is_shared(), t.clone().is_shared()


def _write(t, f):
    f(t)
    return t


def namespace(lib):
    """The names a case sees: the library as `torch` and the tensors of SETUP."""
    global _lib
    _lib = lib
    ns = {"torch": lib, "grad": grad, "shared": _shared, "write": _write}
    exec(SETUP, ns)
    return ns


_ADDRESS = re.compile(r" object at 0x[0-9a-f]+")


def text(value):
    return _ADDRESS.sub("", repr(value)).replace("gradsh", "torch")


def run(lib, case):
    """[result text or None, error [type, message] or None, warning messages]."""
    ns = namespace(lib)
    lib.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = eval(case, ns)
        except Exception as e:  # noqa: BLE001 - the type and message are the fact
            return [None, [type(e).__name__, str(e)], _warnings(caught)]
    return [text(value), None, _warnings(caught)]


def _warnings(caught):
    """The warnings' messages, without the C++ source PyTorch names where it raised one."""
    return [re.sub(r" \(Triggered internally at [^)]*\.\)$", "", str(w.message)) for w in caught]
