"""Cases of the non-op torch services (torch.save/load, torch.testing, the process switches,
the legacy tensor types, torch.distributions): each a snippet run with `torch` (and `io`)
bound, whose printed text (and `!! Kind: message` for an escaping exception) is recorded from
PyTorch 2.13 by tools/record_runtime_services.py into runtime_services.json and compared by
tests/core/test_runtime_services.py. Each starts from torch.manual_seed(0)."""

CASES = {
    # torch.save / torch.load (into a BytesIO: a test writes no file)
    "save_load_views": """
x = torch.arange(12.).reshape(3, 4)
buf = io.BytesIO()
torch.save({"x": x.requires_grad_(), "row": x.detach()[1], "t": x.detach().t()}, buf)
buf.seek(0)
r = torch.load(buf)
print(r["x"], r["x"].is_leaf, r["row"], r["t"].stride(), r["t"].is_contiguous())
print(r["row"].storage_offset(), r["t"].storage_offset(), r["x"].storage_offset())
r["row"][0] = 100.0
print(r["t"])
""",
    "save_load_containers": """
import collections
obj = [torch.Size([2, 3]), torch.float64, torch.int8, (1, 2.5, "s", None, True), {"a": {1, 2}},
       collections.OrderedDict(b=torch.ones(2, dtype=torch.int64)), b"xy", 3 + 4j]
buf = io.BytesIO()
torch.save(obj, buf)
buf.seek(0)
print(torch.load(buf))
""",
    "save_load_module_weights_only": """
m = torch.nn.Linear(2, 1)
buf = io.BytesIO()
torch.save(m, buf)
buf.seek(0)
torch.load(buf)
""",
    "save_load_module_full": """
m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh())
buf = io.BytesIO()
torch.save(m, buf)
buf.seek(0)
m2 = torch.load(buf, weights_only=False)
print(m2, torch.equal(m2[0].weight, m[0].weight), m2[0].weight)
""",
    "save_load_slice_refused": """
buf = io.BytesIO()
torch.save(slice(1, 2), buf)
buf.seek(0)
torch.load(buf)
""",
    "save_load_state_dicts": """
m = torch.nn.Linear(3, 2)
opt = torch.optim.Adam(m.parameters(), lr=0.01)
m(torch.randn(4, 3)).sum().backward()
opt.step()
buf = io.BytesIO()
torch.save({"m": m.state_dict(), "o": opt.state_dict()}, buf)
buf.seek(0)
ck = torch.load(buf)
m2 = torch.nn.Linear(3, 2)
print(m2.load_state_dict(ck["m"]), ck["o"])
opt2 = torch.optim.Adam(m2.parameters())
opt2.load_state_dict(ck["o"])
print(opt2.state_dict()["param_groups"][0]["lr"], torch.equal(m2.weight, m.weight))
p = torch.nn.Parameter(torch.ones(2))
buf = io.BytesIO()
torch.save(p, buf)
buf.seek(0)
print(torch.load(buf))
""",
    # torch.testing.assert_close
    **{f"assert_close_{i}": f"torch.testing.assert_close({a})\nprint('close')\n" for i, a in enumerate([
        "torch.tensor([1., 2., 3.]), torch.tensor([1., 2.5, 3.])",
        "torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([[1., 2.1], [3.3, 4.]])",
        "torch.tensor(1.), torch.tensor(1.5)",
        "torch.tensor([1, 2]), torch.tensor([1, 3])",
        "torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64)",
        "torch.tensor([1., 2.]), torch.tensor([1., 2., 3.])",
        "torch.tensor([1., 2.]), [1., 2.]",
        "1.0, 1.1",
        "1, 2",
        "[torch.tensor(1.)], [torch.tensor(2.)]",
        "{'a': torch.tensor(1.)}, {'a': torch.tensor(2.)}",
        "torch.tensor([float('nan')]), torch.tensor([float('nan')])",
        "torch.tensor([float('nan')]), torch.tensor([float('nan')]), equal_nan=True",
        "torch.tensor([0., 1.]), torch.tensor([1e-9, 1.])",
        "torch.tensor([1., 2.]), torch.tensor([1.1, 2.]), rtol=0.1, atol=0",
        "torch.tensor([1., 2.]), torch.tensor([1.1, 2.]), rtol=0.1",
        "torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64), check_dtype=False",
        "torch.tensor([1., 2.]), torch.tensor([1., 3.]), msg='custom'",
        "torch.tensor([True]), torch.tensor([False])",
        "torch.tensor([0.]), torch.tensor([float('inf')])",
        "'a', 'b'",
        "torch.randn(3, 4), torch.randn(3, 4)",
        "torch.randn(3, 4, dtype=torch.float64), torch.randn(3, 4, dtype=torch.float64) * 1e-8",
        "torch.tensor([1, 2, 3], dtype=torch.int32), torch.tensor([1, 5, 3], dtype=torch.int32)",
        "[1.0, 2.0], [1.0, 2.0, 3.0]",
        "torch.tensor([1., 2.]), torch.tensor([1., 2.5]).half()",
        "torch.tensor([1., 2.], dtype=torch.float16), torch.tensor([1., 2.001], dtype=torch.float16)",
    ])},
    "make_tensor": """
import functools
mt = functools.partial(torch.testing.make_tensor, device="cpu")
print(mt(2, 3, dtype=torch.float32), mt((4,), dtype=torch.float64, low=-1, high=1))
print(mt(5, dtype=torch.int64), mt(5, dtype=torch.int8, low=-200), mt(6, dtype=torch.bool))
print(mt(2, 2, dtype=torch.float32, noncontiguous=True).stride(), mt(3, dtype=torch.uint8))
print(mt(3, dtype=torch.float32, requires_grad=True), mt(4, dtype=torch.int32, low=0, high=2,
                                                          exclude_zero=True))
print(mt(3, dtype=torch.float16), mt(2, dtype=torch.float32, low=-1e38, high=3e38))
for bad in [lambda: mt(2, dtype=torch.int64, requires_grad=True),
            lambda: mt(2, dtype=torch.float32, low=2, high=1),
            lambda: mt(2, dtype=torch.uint8, low=-5, high=-1),
            lambda: mt(2, dtype=torch.float32, low=float("nan"))]:
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
""",
    # the process-wide switches and torch.compile/jit
    "switches": """
torch.set_num_threads(3); print(torch.get_num_threads())
torch.set_num_interop_threads(2); print(torch.get_num_interop_threads())
for bad in [lambda: torch.set_num_threads(0), lambda: torch.set_num_threads(1.5),
            lambda: torch.use_deterministic_algorithms(1),
            lambda: torch.use_deterministic_algorithms(True, warn_only=1),
            lambda: torch.set_deterministic_debug_mode("x"),
            lambda: torch.set_deterministic_debug_mode(5),
            lambda: torch.set_deterministic_debug_mode(1.5),
            lambda: torch.set_flush_denormal(1), lambda: torch.set_warn_always(1),
            lambda: torch.set_default_tensor_type(torch.IntTensor),
            lambda: torch.set_default_tensor_type(torch.float64),
            lambda: torch.set_default_tensor_type("torch.Nope")]:
    try:
        bad()
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
print(torch.are_deterministic_algorithms_enabled(), torch.get_deterministic_debug_mode())
torch.use_deterministic_algorithms(False, warn_only=True)
print(torch.is_deterministic_algorithms_warn_only_enabled(), torch.get_deterministic_debug_mode())
torch.use_deterministic_algorithms(True, warn_only=True)
print(torch.get_deterministic_debug_mode())
torch.set_deterministic_debug_mode("error")
print(torch.get_deterministic_debug_mode(), torch.is_deterministic_algorithms_warn_only_enabled())
torch.set_deterministic_debug_mode(0)
print(torch.are_deterministic_algorithms_enabled())
print(torch.get_float32_matmul_precision())
torch.set_float32_matmul_precision("medium"); print(torch.get_float32_matmul_precision())
torch.set_float32_matmul_precision("highest")
print(torch.set_flush_denormal(True), torch.set_flush_denormal(False), torch.is_warn_always_enabled())
torch.set_default_tensor_type(torch.DoubleTensor); print(torch.tensor([1.5]).dtype)
torch.set_default_tensor_type("torch.FloatTensor"); print(torch.tensor([1.5]).dtype)
torch.set_num_threads(1)
""",
    "compile": """
m = torch.nn.Linear(2, 1)
print(torch.equal(torch.compile(m)(torch.ones(1, 2)), m(torch.ones(1, 2))))
print(torch.compile(backend="eager")(torch.sin)(torch.tensor(1.)), torch.compiler.is_compiling())
for bad in [lambda: torch.compile(5), lambda: torch.compile(torch.sin, mode="fast"),
            lambda: torch.compile(torch.sin, mode="default", options={}),
            lambda: torch.compile(torch.sin, backend="nope")]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
""",
    "misuse": """
x = torch.ones(2)
D = torch.distributions
for bad in [lambda: torch.save(x, 5), lambda: torch.save(x, None), lambda: torch.load(5),
            lambda: torch.save(x, io.BytesIO(), pickle_protocol=99),
            lambda: torch.FloatTensor(None), lambda: torch.set_float32_matmul_precision(5),
            lambda: D.Normal("a", 1), lambda: D.Normal(x, 1).log_prob("a"),
            lambda: D.kl_divergence(1, 2), lambda: D.Normal(x, 1).sample("a"),
            lambda: D.Bernoulli(), lambda: D.Categorical(torch.tensor(1.)),
            lambda: D.MultivariateNormal(x, x), lambda: D.MultivariateNormal(x),
            lambda: D.Independent(D.Normal(x, 1), 2),
            lambda: D.kl_divergence(D.MultivariateNormal(x, torch.eye(2)),
                                    D.MultivariateNormal(torch.ones(3), torch.eye(3))),
            lambda: D.Uniform(x, x + 1).rsample((2, -1))]:
    try:
        bad()
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)
""",
    # the legacy tensor types
    "legacy_types": """
print(torch.FloatTensor, torch.BFloat16Tensor, torch.FloatTensor.dtype, torch.LongTensor.is_cuda)
print(torch.FloatTensor([1, 2]), torch.LongTensor([1.7, 2]), torch.BoolTensor([1, 0]))
print(torch.DoubleTensor(), torch.IntTensor(torch.Size([2])).shape, torch.FloatTensor(2, 3).shape)
print(torch.HalfTensor([1]), torch.ByteTensor([1]), torch.CharTensor([1]), torch.ShortTensor([1]))
t = torch.tensor([1., 2.])
print(isinstance(t, torch.FloatTensor), isinstance(t, torch.DoubleTensor),
      isinstance(t.double(), torch.DoubleTensor), isinstance(torch.tensor(1), torch.LongTensor),
      isinstance(t, torch.Tensor), isinstance(1, torch.FloatTensor), type(t))
print(t.type(), t.type(torch.DoubleTensor), t.type("torch.IntTensor"), t.type(torch.float16),
      t.type(torch.Tensor), torch.tensor(True).type(), torch.tensor([1], dtype=torch.uint8).type())
y = t.requires_grad_() * 2
print(y.type(torch.DoubleTensor), y.type(torch.FloatTensor) is y)
for bad in [lambda: torch.FloatTensor("a"), lambda: torch.FloatTensor(2.5),
            lambda: torch.FloatTensor(torch.tensor([1, 2])), lambda: torch.FloatTensor(2, [1]),
            lambda: t.type("foo"), lambda: t.type(1)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
""",
    "distributions": 'D = torch.distributions\ntorch.manual_seed(0)\nloc = torch.tensor([0.5, -1.0], requires_grad=True); scale = torch.tensor([1.0, 2.0], requires_grad=True)\nn = D.Normal(loc, scale)\nprint(n, n.batch_shape, n.event_shape, n.mean, n.stddev, n.variance)\nprint(n.sample(), n.sample((2,)))\nr = n.rsample((3,)); print(r)\nlp = n.log_prob(r); print(lp); lp.sum().backward()\nprint(loc.grad, scale.grad)\nprint(n.entropy(), n.cdf(torch.tensor([0., 0.])), n.icdf(torch.tensor([0.3, 0.7])))\nprint(D.Normal(0., 1.), D.Normal(0., 1.).sample())\nchecks = [lambda: D.Normal(0., -1.), lambda: D.Normal(torch.zeros(3), torch.tensor([1., 0., 2.])), lambda: D.Normal(0., 1.).log_prob(1.0), lambda: D.Normal(torch.zeros(2), 1.).log_prob(torch.zeros(3)),\n          lambda: D.Uniform(1., 0.), lambda: D.Uniform(0., 1.).log_prob(torch.tensor(2.)), lambda: D.Bernoulli(probs=1.5), lambda: D.Bernoulli(), lambda: D.Categorical(torch.tensor([0.5, -0.1, 0.6])), lambda: D.Bernoulli(0.3).log_prob(torch.tensor(0.5)),\n          lambda: D.Independent(D.Normal(0., 1.), 1), lambda: D.kl_divergence(D.Normal(0., 1.), D.Bernoulli(0.3)), lambda: D.Categorical(torch.tensor([0.2, 0.8])).log_prob(torch.tensor(2)),\n          lambda: D.MultivariateNormal(torch.zeros(2), torch.tensor([[1., 2.], [2., 1.]])), lambda: D.MultivariateNormal(torch.zeros(2))]\nfor f in checks:\n    try:\n        print(f())\n    except (ValueError, NotImplementedError) as e:\n        print(type(e).__name__, e)\nu = D.Uniform(torch.tensor([0., 1.]), torch.tensor([2., 5.]))\nprint(u, u.sample(), u.rsample((2,)), u.log_prob(torch.tensor([1., 2.])), u.entropy(), u.mean, u.stddev, u.variance)\nb = D.Bernoulli(torch.tensor([0.2, 0.7]))\nprint(b, b.sample(), b.sample((3,)), b.log_prob(torch.tensor([1., 0.])), b.entropy(), b.mean, b.variance, b.logits)\nbl = D.Bernoulli(logits=torch.tensor([0.3, -1.]))\nprint(bl, bl.probs, bl.entropy())\nc = D.Categorical(torch.tensor([0.1, 0.2, 0.7]))\nprint(c, c.sample(), c.sample((5,)), c.log_prob(torch.tensor([0, 2])), c.entropy(), c.probs, c.logits, c.batch_shape, c.event_shape)\ncl = D.Categorical(logits=torch.tensor([[1., 2., 3.], [0., 0., 0.]]))\nprint(cl, cl.sample((2,)), cl.entropy(), cl.enumerate_support())\ncov = torch.tensor([[2., 0.5], [0.5, 1.]])\nm = D.MultivariateNormal(torch.tensor([1., -1.]), cov)\nprint(m, m.batch_shape, m.event_shape, m.sample(), m.rsample((2,)), m.log_prob(torch.tensor([0., 0.])), m.entropy(), m.variance, m.scale_tril, m.covariance_matrix, m.precision_matrix)\nm2 = D.MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1., 0.], [0.3, 2.]]))\nprint(m2, D.kl_divergence(m, m2), D.kl_divergence(m2, m))\nind = D.Independent(D.Normal(torch.zeros(3, 2), torch.ones(3, 2)), 1)\nprint(ind, ind.batch_shape, ind.event_shape, ind.log_prob(torch.ones(3, 2)), ind.entropy(), ind.sample().shape)\nprint(D.kl_divergence(ind, D.Independent(D.Normal(torch.ones(3, 2), 2 * torch.ones(3, 2)), 1)))\nprint(D.kl_divergence(D.Normal(loc, scale), D.Normal(0., 1.)))\nprint(D.kl_divergence(u, D.Uniform(torch.tensor([-1., 2.]), torch.tensor([3., 4.]))))\nprint(D.kl_divergence(b, D.Bernoulli(torch.tensor([0.5, 0.]))))\nprint(D.kl_divergence(c, D.Categorical(torch.tensor([0.3, 0.3, 0.4]))))\nprint(D.kl_divergence(D.Normal(0., 1.), D.Uniform(0., 1.)), D.kl_divergence(D.Uniform(0., 1.), D.Normal(0., 1.)))\nx = torch.tensor(0.3, requires_grad=True)\nlp = D.Bernoulli(logits=x).log_prob(torch.tensor(1.)); print(lp); lp.backward(); print(x.grad)\nmu = torch.tensor([0., 1.], requires_grad=True)\ns = D.MultivariateNormal(mu, cov).rsample(); print(s); s.sum().backward(); print(mu.grad)\nprint(D.Normal(0., 1.).perplexity(), D.constraints.positive, D.Uniform(0., 1.).support)\n\n# gradients through rsample (the reparameterization trick) and log_prob\ntorch.manual_seed(1)\nmu = torch.tensor(0.5, requires_grad=True)\nsigma = torch.tensor(1.5, requires_grad=True)\nq = D.Normal(mu, sigma)\nz = q.rsample((4,))\nprint(z)\nloss = (z ** 2).mean() + D.kl_divergence(q, D.Normal(0.0, 1.0))\nprint(loss)\nloss.backward()\nprint(mu.grad, sigma.grad)\nlogits = torch.tensor([0.2, -0.4, 1.0], requires_grad=True)\ncat = D.Categorical(logits=logits)\naction = cat.sample()\nprint(action, cat.log_prob(action))\n(-cat.log_prob(action) - 0.01 * cat.entropy()).backward()\nprint(logits.grad)\n',
}

# last: PyTorch's torch.compile turns distribution argument checks off for the whole process
# (torch/_dynamo/eval_frame.py), which gradsh does not do (docs/nn.md)
CASES["compile"] = CASES.pop("compile")


def run_case(torch, source):
    """What the case prints with `torch`, and `!! Kind: message` for an escaping exception
    (each from torch.manual_seed(0), the default dtype float32, warnings not shown)."""
    import contextlib
    import io
    import warnings
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(source, {"torch": torch, "io": io})
    except Exception as e:  # noqa: BLE001 - recorded as the case's last line
        out.write("!! %s: %s\n" % (type(e).__name__, e))
    return out.getvalue()
