"""Cases of torch.bfloat16 tensors (issue 15), each a snippet run with `torch` bound, whose
printed text (and `!! Kind: message` for an escaping exception) is recorded from PyTorch 2.13
by tools/record_bf16.py into bf16.json and compared by tests/core/test_bfloat16.py. Each starts
from torch.manual_seed(0)."""

import runtime_services_cases

_SETUP = """
bf = torch.bfloat16
x = torch.tensor([0.1, -1.7, 3.3, 1000.5, 2.0], dtype=bf)
y = torch.tensor([2.5, 0.3, -0.7, 7.1, 1.25], dtype=bf)
def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, str(e).splitlines()[0])
"""

CASES = {
    "creation": """
show("tensor", lambda: x)
show("0-d", lambda: x[1])
show("zeros", lambda: torch.zeros(2, 3, dtype=bf))
show("ones_like", lambda: torch.ones_like(x))
show("arange", lambda: torch.arange(0, 3, 0.5, dtype=bf))
show("arange past 256", lambda: torch.arange(250, 270, dtype=bf))
show("linspace", lambda: torch.linspace(0, 1, 7, dtype=bf))
show("full", lambda: torch.full((2,), 0.1, dtype=bf))
show("full overflow", lambda: torch.full((3,), 1e39, dtype=bf))
show("to", lambda: torch.tensor([1.23456, 7.777, -2.7, 255.9, 256.0]).to(bf))
show("bfloat16()", lambda: torch.tensor([1.23456, 7.777]).bfloat16())
show("type", lambda: torch.tensor([1.23456, 7.777]).type(torch.bfloat16))
show("type()", lambda: x.type())
show("float()", lambda: x.float())
show("long()", lambda: x.long())
show("from ints", lambda: torch.tensor([1, 0, 3], dtype=bf))
show("empty", lambda: torch.tensor([], dtype=bf))
""",
    "printing": """
show("nan inf", lambda: torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5], dtype=bf))
show("wide", lambda: torch.tensor([1e30, 3e38, 1e-30], dtype=bf))
show("long", lambda: torch.arange(20, dtype=bf) / 7)
show("integral", lambda: torch.tensor([1., 2., 300.], dtype=bf))
show("2-d", lambda: torch.arange(6, dtype=bf).reshape(2, 3) / 3)
show("requires_grad", lambda: torch.ones(2, dtype=bf, requires_grad=True))
fi = torch.finfo(bf)
show("limits", lambda: torch.tensor([fi.max, fi.tiny, fi.eps], dtype=bf))
show("finfo", lambda: fi)
show("item", lambda: x[0].item())
show("tolist", lambda: x.tolist())
show("float", lambda: float(x[2]))
show("int", lambda: int(x[3]))
show("is_floating_point", lambda: (x.is_floating_point(), x.element_size(), x.dtype.itemsize))
""",
    "promotion": """
show("float16", lambda: x + torch.ones(5, dtype=torch.float16))
show("float32", lambda: x + torch.ones(5))
show("float64", lambda: (x + torch.ones(5, dtype=torch.float64)).dtype)
show("int64", lambda: x + torch.ones(5, dtype=torch.int64))
show("int", lambda: x + 3)
show("float number", lambda: x * 0.1)
show("float number add", lambda: x + 0.3)
show("0-d float32", lambda: x * torch.tensor(0.1))
show("int tensor * 0-d bf16", lambda: torch.arange(3) * torch.tensor(1.5, dtype=bf))
show("promote_types", lambda: (torch.promote_types(bf, torch.float16), torch.promote_types(bf, torch.int64), torch.promote_types(torch.float32, bf)))
show("result_type", lambda: torch.result_type(x, 1.0))
show("can_cast", lambda: (torch.can_cast(bf, torch.int32), torch.can_cast(torch.int32, bf)))
show("cat mixed", lambda: torch.cat([x, y.float()]))
show("complex", lambda: (x + torch.ones(5, dtype=torch.complex64)).dtype)
""",
    "elementwise": """
for name, f in [("add", lambda: x + y), ("sub", lambda: x - y), ("mul", lambda: x * y),
                ("div", lambda: x / y), ("pow", lambda: x ** 2), ("pow tensor", lambda: y ** y),
                ("neg", lambda: -x), ("abs", lambda: x.abs()), ("clamp", lambda: x.clamp(-1, 2.5)),
                ("maximum", lambda: torch.maximum(x, y)), ("where", lambda: torch.where(x > y, x, y)),
                ("gt", lambda: x > y), ("eq", lambda: x == torch.tensor(2.0, dtype=bf)),
                ("gelu", lambda: torch.nn.functional.gelu(y)), ("silu", lambda: torch.nn.functional.silu(y)),
                ("softplus", lambda: torch.nn.functional.softplus(y))]:
    show(name, f)
for name in ["exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt", "rsqrt", "relu", "erf", "log1p",
             "expm1", "floor", "round", "reciprocal", "atan", "asinh"]:
    show(name, lambda: getattr(y.abs() if name in ("log", "sqrt", "rsqrt") else y, name)())
""",
    "reductions": """
tenth = torch.full((1000,), 0.1, dtype=bf)
show("sum", lambda: x.sum())
show("sum of 1000", lambda: tenth.sum())
show("sum dim", lambda: torch.full((3, 500), 0.1, dtype=bf).sum(1))
show("sum float32", lambda: x.sum(dtype=torch.float32))
show("mean", lambda: tenth.mean())
show("mean dim", lambda: torch.full((3, 500), 0.1, dtype=bf).mean(1))
show("prod", lambda: y.prod())
show("cumsum", lambda: torch.full((300,), 0.1, dtype=bf).cumsum(0)[-3:])
show("max", lambda: (x.max(), x.argmax()))
show("min dim", lambda: torch.stack([x, y]).min(0))
show("std", lambda: y.std())
show("var", lambda: tenth.var())
show("norm", lambda: y.norm())
show("softmax", lambda: torch.softmax(y, 0))
show("log_softmax", lambda: torch.log_softmax(y, 0))
r = (torch.randn(6, 9) * 3).to(bf)
show("log_softmax rows", lambda: torch.log_softmax(r, 1))
show("softmax rows", lambda: torch.softmax(r, 1))
show("log_softmax cols", lambda: torch.log_softmax(r, 0))
show("logsumexp", lambda: torch.logsumexp(y, 0))
show("sort", lambda: x.sort())
show("topk", lambda: x.topk(2))
""",
    "matmul": """
a = torch.arange(12, dtype=torch.float32).reshape(3, 4).mul(0.37).to(bf)
b = torch.arange(8, dtype=torch.float32).reshape(4, 2).mul(-0.53).to(bf)
show("mm", lambda: a @ b)
show("mv", lambda: a @ b[:, 0])
show("dot", lambda: x.dot(y))
show("bmm", lambda: torch.bmm(a.unsqueeze(0), b.unsqueeze(0)))
show("mixed", lambda: a @ b.float())
show("linear", lambda: torch.nn.functional.linear(a, b.t(), torch.tensor([0.1, 0.2], dtype=bf)))
show("mse", lambda: torch.nn.functional.mse_loss(x, y))
""",
    "backward": """
z = torch.tensor([1.1, 2.2, -3.3], dtype=bf, requires_grad=True)
w = torch.tensor([0.5, 0.25, 0.125], dtype=bf, requires_grad=True)
out = (z.exp() * w).sum() + (z * z).mean()
print(out)
out.backward()
print(z.grad, w.grad)
z2 = torch.tensor([[1.1, 2.2], [-3.3, 0.4]], dtype=bf, requires_grad=True)
m = torch.tensor([[0.3, -0.2], [0.7, 1.5]], dtype=bf)
l = torch.softmax(z2 @ m, 1).log().sum()
print(l)
l.backward()
print(z2.grad)
z3 = torch.tensor([1.1, 2.2], requires_grad=True)
(z3.to(bf) * 3).sum().backward()
print(z3.grad)
torch.manual_seed(1)
lin = torch.nn.Linear(3, 2).to(bf)
print(lin.weight)
o = lin(torch.tensor([[1.0, 2.0, 3.0]], dtype=bf))
print(o)
o.sum().backward()
print(lin.weight.grad, lin.bias.grad)
t = torch.tensor([0.5, -1.5], dtype=bf, requires_grad=True)
(torch.tanh(t) * torch.sigmoid(t)).sum().backward()
print(t.grad)
""",
    "random": """
torch.manual_seed(3)
print(torch.randn(5, dtype=bf), torch.randn(37, dtype=bf), torch.rand(20, dtype=bf))
print(torch.empty(30, dtype=bf).uniform_(-2, 5), torch.empty(7, dtype=bf).normal_(1, 3))
print(torch.nn.functional.dropout(torch.ones(20, dtype=bf), 0.3))
print(torch.randint(0, 10, (5,), dtype=bf), torch.randn(3, 4).to(bf))
""",
    "nn": """
F = torch.nn.functional
torch.manual_seed(0)
r = torch.randn(2, 6).to(bf)
show("rms_norm", lambda: F.rms_norm(r, (6,)))
show("rms_norm graph", lambda: F.rms_norm(r.clone().requires_grad_(), (6,)).grad_fn.name())
show("layer_norm", lambda: F.layer_norm(r, (6,)))
show("lerp", lambda: torch.lerp(r, r * 2, 0.3))
show("softshrink refused", lambda: F.softshrink(r, -1.0))
v = r.clone().requires_grad_()
F.silu(v).sum().backward()
show("silu grad", lambda: v.grad)
v = r.clone().requires_grad_()
F.cross_entropy(v, torch.tensor([1, 4])).backward()
show("cross_entropy grad", lambda: v.grad)
v = r.clone().requires_grad_()
y = torch.logcumsumexp(v, 1)
y.sum().backward()
show("logcumsumexp", lambda: (y, v.grad))
xc = torch.randn(2, 3, 6, 6).to(bf)
wc = torch.randn(4, 3, 3, 3).to(bf)
show("conv2d", lambda: F.conv2d(xc, wc, torch.randn(4).to(bf), padding=1)[0, :2, :2])
show("addbmm", lambda: torch.addbmm(torch.ones(6, 6, dtype=bf), xc[0, :2], xc[0, 1:3])[:2, :3])
for name, f in [("det", lambda: torch.det(torch.eye(2, dtype=bf))),
                ("inv", lambda: torch.linalg.inv(torch.eye(2, dtype=bf))),
                ("cholesky", lambda: torch.linalg.cholesky(torch.eye(2, dtype=bf))),
                ("qr", lambda: torch.linalg.qr(torch.eye(2, dtype=bf)))]:
    show(name, f)
show("Module.bfloat16", lambda: torch.nn.Linear(2, 2).bfloat16().weight.dtype)
""",
}

CASES = {name: _SETUP + source for name, source in CASES.items()}

run_case = runtime_services_cases.run_case  # (the same way of running a case)
