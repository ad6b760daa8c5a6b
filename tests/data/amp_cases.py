"""Cases of torch.autocast on the CPU and torch.amp.GradScaler (issue 15), each a snippet run
with `torch` bound, whose printed text (and `!! Kind: message` for an escaping exception) is
recorded from PyTorch 2.13 by tools/record_amp.py into amp.json and compared by
tests/nn/test_amp.py. Each starts from torch.manual_seed(0); warnings are printed by `caught`
(their category and first line) where a case records them."""

import runtime_services_cases

_SETUP = """
import warnings
def caught(f):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        r = f()
    for w in ws:
        print(w.category.__name__ + ":", str(w.message).split(" (Triggered internally")[0])
    return r
"""

CASES = {
    "autocast_ops": """torch.manual_seed(0)
F = torch.nn.functional
a = torch.randn(3, 4); b = torch.randn(4, 2); v = torch.randn(4)
h = torch.randn(3, 4).bfloat16(); t = torch.tensor([0, 1, 1])
print(torch.is_autocast_enabled(), torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"), torch.get_autocast_dtype("cuda"))
with torch.autocast("cpu") as ac:
    print(torch.is_autocast_enabled(), torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
    for n, f in [("matmul", lambda: a @ b), ("mm", lambda: torch.mm(a, b)), ("linear", lambda: F.linear(a, b.t())),
                 ("add", lambda: a + 1), ("relu", lambda: torch.relu(a)), ("double", lambda: a.double() @ b.double()),
                 ("einsum", lambda: torch.einsum("ij,jk->ik", a, b)), ("mv", lambda: a.mv(v)), ("dot", lambda: v.dot(v)),
                 ("baddbmm", lambda: torch.baddbmm(torch.zeros(1,3,2), a[None], b[None])), ("bmm", lambda: torch.bmm(a[None], b[None])),
                 ("addbmm", lambda: torch.addbmm(torch.zeros(3,2), a[None], b[None])),
                 ("conv1d", lambda: F.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 2))),
                 ("conv2d", lambda: F.conv2d(torch.randn(1, 2, 5, 5), torch.randn(3, 2, 2, 2), torch.randn(3))),
                 ("convT", lambda: F.conv_transpose2d(torch.randn(1, 2, 5, 5), torch.randn(2, 3, 2, 2))),
                 ("prelu", lambda: F.prelu(a, torch.tensor([0.25]))),
                 ("sdpa", lambda: F.scaled_dot_product_attention(a[None], a[None], a[None])),
                 ("tensordot", lambda: torch.tensordot(a, b, 1)),
                 ("ce", lambda: F.cross_entropy(h[:, :2], t)), ("nll", lambda: F.nll_loss(h, t)), ("mse", lambda: F.mse_loss(h, h)),
                 ("l1", lambda: F.l1_loss(h, h)), ("smoothl1", lambda: F.smooth_l1_loss(h, h)), ("huber", lambda: F.huber_loss(h, h)),
                 ("bce", lambda: F.binary_cross_entropy(h.sigmoid(), h.sigmoid())), ("bcel", lambda: F.binary_cross_entropy_with_logits(h, h)),
                 ("kl", lambda: F.kl_div(h, h, reduction="batchmean")), ("prod", lambda: h.prod()), ("cumprod", lambda: h.cumprod(0)), ("sum", lambda: h.sum()),
                 ("softmax", lambda: h.softmax(0)), ("layer_norm", lambda: F.layer_norm(h, (4,))),
                 ("cdist", lambda: torch.cdist(h, h)), ("trace", lambda: h.trace()), ("inverse", lambda: torch.inverse(h[:, :3])),
                 ("cat", lambda: torch.cat([h, a])), ("stack", lambda: torch.stack([h, a])), ("add2", lambda: h + a)]:
        try:
            r = f()
            print(n, r.dtype)
        except Exception as e:
            print(n, type(e).__name__, e)
    lin = torch.nn.Linear(4, 2)
    y = lin(a)
    print(y, y.grad_fn.name(), [type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions])
    with torch.autocast("cpu", enabled=False):
        print("inner", (a @ b).dtype, torch.is_autocast_enabled("cpu"))
    print("after inner", (a @ b).dtype, torch.is_autocast_enabled("cpu"))
    y.sum().backward()
    print(lin.weight.grad, lin.weight.grad.dtype)
print("out", (a @ b).dtype, torch.is_autocast_enabled("cpu"))
with torch.autocast("cpu", dtype=torch.float16):
    print("f16", a @ b)
with torch.amp.autocast(device_type="cpu", dtype=torch.bfloat16):
    print("amp", a @ b)
""",
    "autocast_switches": """a = torch.randn(3, 4); b = torch.randn(4, 2)
with caught(lambda: torch.autocast("cpu", dtype=torch.float64)):
    print("f64", (a @ b).dtype)
for bad in [lambda: torch.autocast("foo"), lambda: torch.autocast(torch.device("cpu"))]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
with caught(lambda: torch.autocast("cuda")):
    print("cuda", (a @ b).dtype, torch.is_autocast_enabled())
with caught(lambda: torch.cuda.amp.autocast()):
    print("cuda.amp", (a @ b).dtype)
@torch.autocast("cpu")
def f(x, y):
    return x @ y
print(f(a, b).dtype, (a @ b).dtype, f.__name__)
print(torch.amp.is_autocast_available("cpu"), torch.amp.is_autocast_available("cuda"))
print(caught(torch.is_autocast_cpu_enabled), caught(torch.get_autocast_cpu_dtype))
torch.set_autocast_enabled("cpu", True); print(torch.is_autocast_enabled("cpu"), (a@b).dtype); torch.set_autocast_enabled("cpu", False)
torch.set_autocast_dtype("cpu", torch.float16); print(torch.get_autocast_dtype("cpu")); torch.set_autocast_dtype("cpu", torch.bfloat16)
print((a @ b).dtype)
""",
    "grad_scaler": """torch.manual_seed(0)
m = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
def t(f):
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
s = torch.amp.GradScaler("cpu")
print(s.get_scale(), s.is_enabled(), s.state_dict(), s.get_growth_factor(), s.get_backoff_factor(), s.get_growth_interval())
x = torch.randn(4, 3)
loss = m(x).pow(2).mean()
sl = s.scale(loss); print(sl)
print(s.scale([loss, (loss,)]))
sl.backward(); print(m.weight.grad)
s.unscale_(opt); print(m.weight.grad)
t(lambda: s.unscale_(opt))
r = s.step(opt); print(r, m.weight)
t(lambda: s.step(opt))
t(lambda: s.unscale_(opt))
s.update(); print(s.get_scale(), s.state_dict())
opt.zero_grad(); loss = m(x).sum() * float("inf"); s.scale(loss).backward(); w = m.weight.clone()
print(s.step(opt), torch.equal(w, m.weight)); s.update(); print(s.get_scale(), s.state_dict())
t(lambda: s.step(opt, closure=lambda: 1))
s2 = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
for i in range(3):
    opt.zero_grad(); s2.scale(m(x).sum()).backward(); s2.step(opt); s2.update(); print(s2.get_scale(), s2.state_dict()["_growth_tracker"])
s2.update(new_scale=8.0); print(s2.get_scale())
t(lambda: s2.update(new_scale=torch.tensor([3.0, 1.0])))
s2.update(torch.tensor(5.0)); print(s2.get_scale())
s3 = torch.amp.GradScaler("cpu"); s3.load_state_dict(s2.state_dict()); print(s3.state_dict())
t(lambda: s3.update())
loss = m(x).sum()
s4 = torch.amp.GradScaler("cpu", enabled=False); print(s4.scale(loss) is loss, s4.get_scale(), s4.state_dict(), s4.step(opt), s4.update())
s5 = caught(lambda: torch.amp.GradScaler("cuda")); print(s5.is_enabled(), s5.scale(loss) is loss)
s6 = caught(lambda: torch.cuda.amp.GradScaler()); print(s6.is_enabled())
s7 = caught(lambda: torch.amp.GradScaler()); print(s7.is_enabled())
t(lambda: torch.amp.GradScaler("cpu").step(opt))
t(lambda: torch.amp.GradScaler("cpu").unscale_(opt))
t(lambda: torch.amp.GradScaler("cpu").scale(3.0))
m16 = torch.nn.Linear(2, 1).half(); o16 = torch.optim.SGD(m16.parameters(), lr=0.1); g = torch.amp.GradScaler("cpu")
g.scale(m16(torch.ones(1, 2, dtype=torch.half)).sum()).backward()
t(lambda: g.unscale_(o16))
mb = torch.nn.Linear(2, 1).bfloat16(); ob = torch.optim.SGD(mb.parameters(), lr=0.1); g = torch.amp.GradScaler("cpu")
print(g.scale(mb(torch.ones(1, 2, dtype=torch.bfloat16)).sum()))
def f():
    g.scale(mb(torch.ones(1, 2, dtype=torch.bfloat16)).sum()).backward(); g.step(ob); return mb.weight.grad, mb.weight
t(f)
t(lambda: torch.amp.GradScaler("cpu").load_state_dict({}))
t(lambda: torch.amp.GradScaler("cpu", enabled=False).load_state_dict({"scale": 1.0}))
print(torch.amp.GradScaler("cpu").state_dict())
g = torch.amp.GradScaler("cpu"); g.scale(loss)
g.set_growth_factor(3.0); g.set_backoff_factor(0.25); g.set_growth_interval(10); print(g.state_dict())
t(lambda: torch.amp.GradScaler("cpu", growth_factor=0.5))
t(lambda: torch.amp.GradScaler("cpu", backoff_factor=1.5))
g = torch.amp.GradScaler("cpu", init_scale=3.0e38, growth_interval=1)
opt.zero_grad(); g.scale(m(x).sum() * 1e-30).backward(); g.step(opt); g.update(); print(g.get_scale())
g = torch.amp.GradScaler("cpu", init_scale=1024.)
opt.zero_grad(); g.scale(m(x).sum()).backward(); g.unscale_(opt); torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5); g.step(opt); g.update(); print(m.weight, g.state_dict())
t(lambda: g.update())
""",
}

CASES = {name: _SETUP + source for name, source in CASES.items()}

run_case = runtime_services_cases.run_case  # (the same way of running a case)
