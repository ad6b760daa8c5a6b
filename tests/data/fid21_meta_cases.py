"""Expressions over 'meta' tensors, run under PyTorch (tools/record_fid21_meta.py) and gradsh
(tests/core/test_fid21.py): what each gives, summarized by `run_case`."""

SETUP = """
a = torch.empty(2, 3, 4, device='meta')
m = torch.empty(3, 4, device='meta')
v = torch.empty(4, device='meta')
s = torch.empty((), device='meta')
i = torch.empty(2, 3, dtype=torch.int64, device='meta')
bo = torch.empty(2, 3, dtype=torch.bool, device='meta')
img = torch.empty(2, 3, 8, 8, device='meta')
w = torch.empty(3, 4, device='meta', requires_grad=True)
c = torch.ones(3, 4)
F = torch.nn.functional
"""

CASES = [
    # pointwise
    "a + a", "a - 1", "a * 2.5", "a / a", "a ** 2", "-a", "a.abs()", "a.exp()", "a.log()",
    "a.sqrt()", "a.sin()", "a.tanh()", "a.sigmoid()", "a.relu()", "a.clamp(0, 1)",
    "a.clamp(min=0)", "torch.where(a > 0, a, 0.0)", "a.floor()", "a.round()", "a.sign()",
    "a.reciprocal()", "a.rsqrt()", "a.erf()", "a.lerp(a, 0.5)", "torch.maximum(a, a)",
    "a.pow(v)", "a + v", "m + v", "i + 1", "i / 2", "i // 2", "i % 2", "i * 1.5", "i > 0",
    "bo & bo", "~bo", "a.float()", "a.double()", "a.half()", "i.float()", "a.to(torch.int32)",
    "a.bool()", "a.nan_to_num()", "a.isnan()", "a.atan2(a)", "a.fmod(2)", "a.addcmul(a, a)",
    "a + c", "c + a", "a * c", "m @ c.T", "m + torch.tensor(1.0)", "a + 1j",
    # reductions
    "a.sum()", "a.sum(1)", "a.sum((0, 2))", "a.sum(1, keepdim=True)", "a.mean()", "a.mean(0)",
    "a.prod(1)", "a.amax(1)", "a.amin((0, 1))", "a.max()", "a.max(1)", "a.min(0)",
    "a.argmax()", "a.argmax(1)", "a.argmin(2)", "a.std()", "a.var(1)", "a.std(0, keepdim=True)",
    "a.norm()", "a.norm(dim=1)", "a.logsumexp(1)", "a.all()", "a.any(1)", "i.sum()",
    "i.sum(0)", "bo.sum()", "a.cumsum(1)", "a.cumprod(0)", "a.softmax(-1)", "a.log_softmax(1)",
    "a.median()", "a.median(1)", "a.sort(1)", "a.topk(2)", "a.count_nonzero()", "a.nansum()",
    "a.sum(-1).sum(-1)",
    # linear algebra
    "m @ m.T", "a @ m.T", "m @ v", "v @ v", "torch.mm(m, m.T)", "torch.bmm(a, a.transpose(1, 2))",
    "torch.matmul(a, v)", "torch.outer(v, v)", "torch.dot(v, v)", "torch.einsum('ij,kj->ik', m, m)",
    "torch.addmm(v, m.T, m)", "F.linear(a, m)", "F.linear(a, m, torch.empty(3, device='meta'))",
    "torch.linalg.inv(torch.empty(3, 3, device='meta'))", "torch.det(torch.empty(3, 3, device='meta'))",
    "torch.linalg.norm(m)", "torch.cross(m[:, :3], m[:, :3], dim=1)", "m.t()",
    # shape and views
    "a.view(6, 4)", "a.reshape(-1)", "a.flatten()", "a.flatten(1)", "a.permute(2, 0, 1)",
    "a.transpose(0, 1)", "m.T", "a.unsqueeze(1)", "a.squeeze()",
    "a[0]", "a[:, 1:]", "a[..., ::2]", "a[None]", "a[:, [0, 2]]", "a[bo]", "a[0, 1, 2]",
    "a.expand(5, 2, 3, 4)", "a.repeat(2, 1, 1)", "torch.cat([a, a], 1)", "torch.stack([a, a])",
    "a.chunk(2, 2)", "a.split(1)", "a.unbind(1)", "a.narrow(2, 1, 2)", "a.flip(0)", "a.roll(1, 1)",
    "a.contiguous()", "a.clone()", "a.detach()", "m.t().contiguous()",
    "a.movedim(0, 2)", "torch.tril(m)", "torch.triu(m, 1)", "a.unfold(2, 2, 1)", "a.diagonal()",
    "torch.diag(v)", "a.gather(1, i.unsqueeze(-1).expand(2, 3, 4))", "a.index_select(1, i[0])",
    "a.masked_fill(bo.unsqueeze(-1), 0.0)", "a.scatter(1, i.unsqueeze(-1).expand(2, 3, 4), a)",
    "torch.broadcast_to(v, (3, 4))", "a.new_zeros(2)", "a.new_ones((2, 3))", "a.new_empty(5)",
    "a.new_full((2,), 3.0)", "a.new_tensor([1.0, 2.0])", "torch.zeros_like(a)",
    "torch.empty_like(a, device='cpu').shape", "torch.full_like(a, 2)",
    # nn.functional
    "F.relu(a)", "F.gelu(a)", "F.silu(a)", "F.leaky_relu(a)", "F.softplus(a)", "F.elu(a)",
    "F.dropout(a, 0.5)", "F.conv2d(img, torch.empty(5, 3, 3, 3, device='meta'))",
    "F.conv2d(img, torch.empty(5, 3, 3, 3, device='meta'), stride=2, padding=1)",
    "F.conv1d(a, torch.empty(2, 3, 2, device='meta'))", "F.max_pool2d(img, 2)",
    "F.avg_pool2d(img, 2)", "F.adaptive_avg_pool2d(img, 1)", "F.batch_norm(img, None, None, training=True)",
    "F.layer_norm(a, (4,))", "F.group_norm(img, 3)", "F.embedding(i, m)",
    "F.cross_entropy(m, torch.empty(3, dtype=torch.int64, device='meta'))",
    "F.mse_loss(a, a)", "F.nll_loss(m, torch.empty(3, dtype=torch.int64, device='meta'))",
    "F.binary_cross_entropy(a.sigmoid(), a)", "F.pad(a, (1, 1))", "F.interpolate(img, scale_factor=2)",
    "F.one_hot(i, 5)", "F.normalize(a)", "F.cosine_similarity(a, a)", "F.softmax(a, 0)",
    "F.scaled_dot_product_attention(a, a, a)", "F.unfold(img, 2)", "F.pixel_shuffle(torch.empty(1, 4, 2, 2, device='meta'), 2)",
    # data-dependent
    "a.nonzero()", "a[a > 0]", "torch.unique(a)", "a.item()", "a.tolist()", "bool(s)", "float(s)",
    "torch.equal(a, a)", "a.allclose(a)", "a.masked_select(bo.unsqueeze(-1))", "s.item()",
    "int(s)", "a.numpy()", "a.cpu()", "a.to('cpu')", "torch.histc(a)",
    "torch.multinomial(v.abs(), 2)", "a.repeat_interleave(2)",
    # autograd
    "(w * 2).sum()", "torch.autograd.grad((w * 2).sum(), w)[0]", "torch.autograd.grad((w @ w.T).relu().mean(), w)[0]",
    "torch.autograd.grad(F.mse_loss(w, m), w)[0]", "(w.exp() * w).sum().grad_fn.next_functions[0][0]",
    # random and in-place
    "torch.rand(2, 3, device='meta')", "torch.randint(5, (3,), device='meta')",
    "torch.randperm(4, device='meta')", "torch.randn_like(a)", "a.clone().uniform_()",
    "a.clone().normal_()", "a.clone().zero_()", "a.clone().fill_(2)", "a.clone().add_(1)",
    "a.clone().mul_(a)", "a.clone().copy_(a)", "a.clone().bernoulli_(0.5)", "F.dropout(a, 0.5, training=True)",
    "a.clone().copy_(torch.ones(2, 3, 4))", "c.clone().copy_(m)",
    "torch.linspace(0, 1, 5, device='meta')", "torch.eye(3, device='meta')", "torch.arange(0, 1, 0.25, device='meta')",
    "torch.full((2,), True, device='meta')", "torch.tensor(3, device='meta')",
]

_SUMMARY = ("shape", "dtype", "device", "grad_fn")


def _summary(torch, r):
    if isinstance(r, torch.Tensor):
        fn = r.grad_fn
        return ["tensor", list(r.shape), str(r.dtype), str(r.device),
                type(fn).__name__ if fn is not None else None, bool(r.requires_grad)]
    if isinstance(r, (tuple, list)):
        return ["seq", [_summary(torch, x) for x in r]]
    if isinstance(r, (bool, int, float, complex, str)) or r is None:
        return ["value", repr(r)]
    if type(r).__name__.endswith("Backward0") or type(r).__name__.endswith("Backward1"):
        return ["node", type(r).__name__]
    return ["object", type(r).__name__]


def run_case(torch, expr):
    """What `expr` gives after SETUP, under `torch` (PyTorch or gradsh): a summary of the
    result, or ["error", class name, first line of the message]."""
    env = {"torch": torch}
    exec(SETUP, env)
    try:
        r = eval(expr, env)
    except Exception as e:  # noqa: BLE001 - every error is a fact to compare
        return ["error", type(e).__name__, str(e).split("\n")[0]]
    return _summary(torch, r)
