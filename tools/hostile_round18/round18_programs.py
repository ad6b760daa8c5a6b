"""Round 18 of hostile programs (issue 16): the surfaces merged last (torch.return_types and
match patterns over them, `import torch.x.y as z` for every importable module path, functions'
`__name__`s, `torch.__version__`, chains of complex views mixing conj()/t()/real/imag/
view_as_real), `**mapping` into torch calls, float32 norm kernels at huge, empty and odd
shapes, optimizer and state_dict hooks, default_collate of nested structures, a program's
classes whose `__repr__`/`__eq__`/`__hash__` recurse when used as keys inside torch's ops,
generators that raise inside torch calls, deep nesting through torch.Size, return_types and
namedtuples, and size-like parameters given huge, negative, bool, NaN and inf values or
objects whose `__index__`/`__float__`/`__len__` raise. Replayed by tools/replay_hostile.py; the
table is tests/cli/hostile_round18.py."""
import json
import os

PROGRAMS = []


def P(i, s):
    PROGRAMS.append((i, s.strip("\n") + "\n"))


T = "import torch\n"
NN = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"

# --- torch.return_types and match patterns --------------------------------------------------
for name, src in [
    ("rt-max-fields", "r = torch.max(torch.rand(3, 4), 1)\nprint(r.values.shape, r.indices.shape, type(r).__name__)"),
    ("rt-match-class", "r = torch.sort(torch.tensor([3., 1., 2.]))\nmatch r:\n    case torch.return_types.sort(values=v, indices=i):\n        print(v, i)"),
    ("rt-match-positional", "r = torch.min(torch.rand(3, 4), 0)\nmatch r:\n    case torch.return_types.min(v, i):\n        print(v.shape, i.shape)"),
    ("rt-match-positional-too-many", "r = torch.min(torch.rand(3, 4), 0)\nmatch r:\n    case torch.return_types.min(a, b, c):\n        print(1)"),
    ("rt-match-sequence", "r = torch.topk(torch.arange(5.), 2)\nmatch r:\n    case [a, b]:\n        print(a, b)"),
    ("rt-match-star", "r = torch.topk(torch.arange(5.), 2)\nmatch r:\n    case [*rest]:\n        print(len(rest))"),
    ("rt-match-mapping", "r = torch.topk(torch.arange(5.), 2)\nmatch r:\n    case {'values': v}:\n        print(v)\n    case _:\n        print('no')"),
    ("rt-construct-huge", "r = torch.return_types.max((torch.ones(1),) * 10 ** 7)\nprint(len(r))"),
    ("rt-construct-wrong-len", "r = torch.return_types.max((torch.ones(1), torch.ones(1), torch.ones(1)))\nprint(r)"),
    ("rt-construct-ints", "r = torch.return_types.sort((1, 2))\nprint(r.values, r.indices)"),
    ("rt-construct-gen", "def g():\n    yield 1\n    raise ValueError('in gen')\nr = torch.return_types.sort(g())\nprint(r)"),
    ("rt-construct-endless", "import itertools\nr = torch.return_types.sort(itertools.count())\nprint(r)"),
    ("rt-subclass", "class R(torch.return_types.max):\n    pass\nprint(R((1, 2)))"),
    ("rt-setattr", "r = torch.max(torch.rand(3, 4), 1)\nr.values = 1\nprint(r)"),
    ("rt-nested-self", "r = torch.return_types.max((1, 2))\nfor i in range(10 ** 5):\n    r = torch.return_types.max((r, r))\nprint(hash(r))"),
    ("rt-nested-print", "r = torch.return_types.max((1, 2))\nfor i in range(10 ** 5):\n    r = torch.return_types.max((r, 1))\nprint(r)"),
    ("rt-nested-eq", "r = torch.return_types.max((1, 2))\ns = r\nfor i in range(10 ** 5):\n    r = torch.return_types.max((r, 1))\n    s = torch.return_types.max((s, 1))\nprint(r == s)"),
    ("rt-shared-repr", "r = torch.return_types.max((1, 2))\nfor i in range(60):\n    r = torch.return_types.max((r, r))\nprint(repr(r)[:10])"),
    ("rt-dict-key", "r = torch.max(torch.rand(3, 4), 1)\nd = {r: 1}\nprint(d)"),
    ("rt-new-direct", "print(torch.return_types.max.__new__(torch.return_types.max, (1, 2)))"),
    ("rt-fields", "print(torch.return_types.max._fields, torch.return_types.max.n_fields)"),
    ("rt-mul", "r = torch.max(torch.rand(3, 4), 1)\nprint(len(r * 10 ** 8))"),
    ("rt-add-self", "r = torch.max(torch.rand(3, 4), 1)\nfor i in range(40):\n    r = r + r\nprint(len(r))"),
    ("rt-reduce", "r = torch.max(torch.rand(3, 4), 1)\nprint(r.__reduce__())"),
    ("rt-all-names", "for n in dir(torch.return_types):\n    print(n)"),
    ("rt-getitem-huge", "r = torch.max(torch.rand(3, 4), 1)\nprint(r[10 ** 30])"),
    ("rt-slice", "r = torch.max(torch.rand(3, 4), 1)\nprint(r[::-10 ** 30])"),
    ("rt-backward-through", "x = torch.rand(3, 4, requires_grad=True)\nv, i = torch.max(x, 1)\nv.sum().backward()\nprint(x.grad)"),
]:
    P(name, T + src)

# --- module paths: `import torch.x.y as z` -----------------------------------------------------
_here = os.path.dirname(os.path.abspath(__file__))
_paths = json.load(open(os.path.join(_here, "..", "..", "tests", "data", "module_paths.json")))["modules"]
_paths = sorted(_paths)
P("mp-all-135", "".join("import %s as m%d\n" % (p, i) for i, p in enumerate(_paths))
  + "print(len([%s]))" % ", ".join("m%d" % i for i in range(len(_paths))))
P("mp-all-from-star", "".join("from %s import *\n" % p for p in _paths[:40]) + "print('ok')")
P("mp-all-dir", "".join("import %s as m%d\nprint(len(dir(m%d)) > 0)\n" % (p, i, i) for i, p in enumerate(_paths[::5])))
for name, src in [
    ("mp-deep-dots", "import torch" + ".x" * 10 ** 5 + " as z"),
    ("mp-long-name", "import torch." + "a" * 10 ** 6 + " as z"),
    ("mp-not-a-module", "import torch.nn.modules.linear.Linear as L"),
    ("mp-private", "import torch._C as C\nprint(C)"),
    ("mp-private-deep", "import torch.nn.modules._functions as f\nprint(f)"),
    ("mp-dunder", "import torch.__init__ as i\nprint(i)"),
    ("mp-setattr-leaks", "import torch.nn.modules.linear as L\nL.Linear = None\nprint(torch.nn.Linear)"),
    ("mp-delattr", "import torch.nn.modules.linear as L\ndel L.Linear\nprint(torch.nn.Linear(1, 1))"),
    ("mp-setattr-optim", "import torch.optim.sgd as s\ns.SGD = 1\nprint(torch.optim.SGD)"),
    ("mp-path", "import torch.nn.modules as m\nprint(m.__path__)"),
    ("mp-file", "import torch.nn.modules.linear as L\nprint(L.__file__)"),
    ("mp-spec", "import torch.nn.modules.linear as L\nprint(L.__spec__)"),
    ("mp-loader", "import torch.nn.modules.linear as L\nprint(L.__loader__)"),
    ("mp-dict", "import torch.nn.modules.linear as L\nprint(len(vars(L)))"),
    ("mp-vars-write", "import torch.nn.modules.linear as L\nvars(L)['Linear'] = 5\nprint(torch.nn.Linear)"),
    ("mp-name", "import torch.nn.modules.linear as L\nprint(L.__name__)\nL.__name__ = 'os'\nprint(L.__name__)"),
    ("mp-import-loop", "for i in range(10 ** 5):\n    import torch.nn.modules.linear as L\nprint(L.Linear)"),
    ("mp-import-in-func-rec", "def f(n):\n    import torch.distributions.kl as kl\n    return f(n + 1)\nf(0)"),
    ("mp-import-os-via-torch", "import torch.serialization as s\nprint(s.os)"),
    ("mp-serialization-pickle", "import torch.serialization as s\nprint(s.pickle)"),
    ("mp-storage-internals", "import torch.storage as s\nprint([n for n in dir(s) if n.startswith('_')][:5])"),
    ("mp-utils-data-graph", "import torch.utils.data.graph as g\nprint(g.traverse_dps(None))"),
    ("mp-testing-assert", "import torch.testing as t\nt.assert_close(torch.ones(10 ** 7), torch.zeros(10 ** 7))"),
    ("mp-jit-script", "import torch.jit as j\nprint(j.script(lambda x: x)(1))"),
    ("mp-kl-register-loop", "import torch.distributions.kl as kl\nfrom torch.distributions import Normal\nfor i in range(10 ** 4):\n    kl.register_kl(Normal, Normal)(lambda p, q: 0)\nprint(kl.kl_divergence(Normal(0, 1), Normal(0, 1)))"),
    ("mp-from-import-dunder", "from torch.nn.modules.linear import __builtins__ as b\nprint(b)"),
    ("mp-from-import-huge", "from torch.nn.modules.linear import " + ", ".join("a%d" % i for i in range(10 ** 4))),
    ("mp-common-types", "import torch.nn.common_types as ct\nprint(ct._size_2_t)"),
    ("mp-types", "import torch.types as tt\nprint(tt.Number)"),
    ("mp-cuda-calls", "import torch.cuda as c\nprint(c.is_available(), c.device_count())\nc.set_device(10 ** 9)"),
    ("mp-mps", "import torch.mps as m\nm.manual_seed(10 ** 30)"),
]:
    P(name, T + src)

# --- __name__, __version__ -----------------------------------------------------------------------
for name, src in [
    ("nm-name-all", "n = 0\nfor k in dir(torch):\n    f = getattr(torch, k)\n    if callable(f):\n        n += len(getattr(f, '__name__', ''))\nprint(n > 0)"),
    ("nm-name-set", "torch.sum.__name__ = 'x' * 10 ** 8\nprint(torch.sum.__name__[:3])"),
    ("nm-name-set-nonstr", "torch.sum.__name__ = 1\nprint(torch.sum)"),
    ("nm-qualname", "print(torch.nn.Linear.forward.__qualname__, torch.Tensor.add.__qualname__)"),
    ("nm-module", "print(torch.sum.__module__, torch.nn.functional.relu.__module__)"),
    ("nm-module-set", "torch.nn.functional.relu.__module__ = 'os'\nprint(torch.nn.functional.relu.__module__)"),
    ("nm-doc-huge", "torch.sum.__doc__ = 'd' * 10 ** 8\nhelp(torch.sum)"),
    ("nm-version-ops", "v = torch.__version__\nprint(v, v.split('+'), v > '2', v * 3)"),
    ("nm-version-set", "torch.__version__ = 'x' * 10 ** 8\nprint(len(torch.__version__))"),
    ("nm-version-del", "del torch.__version__\nprint(torch.__version__)"),
    ("nm-version-attrs", "v = torch.__version__\nprint(v.major, v.minor)"),
    ("nm-version-compare-tuple", "print(torch.__version__ >= (2, 0))"),
    ("nm-version-format", "print(f'{torch.__version__:>{10 ** 8}}'[:3])"),
    ("nm-name-of-lambda-huge", "f = lambda: 0\nf.__name__ = 'n' * 10 ** 7\nprint(torch.autograd.Function)\nprint(len(f.__name__))"),
    ("nm-class-name-huge", "class A(torch.nn.Module):\n    pass\nA.__name__ = 'A' * 10 ** 7\nprint(len(repr(A())))"),
    ("nm-class-name-nonstr", "class A(torch.nn.Module):\n    pass\nA.__name__ = 5\nprint(A())"),
    ("nm-fn-name-in-error", "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x * 2\n    @staticmethod\n    def backward(ctx, g):\n        return 'bad'\nF.__name__ = 'Z' * 10 ** 6\nx = torch.ones(2, requires_grad=True)\nF.apply(x).sum().backward()"),
    ("nm-grad-fn-name", "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.grad_fn.name(), type(y.grad_fn).__name__)\ntype(y.grad_fn).__name__ = 'os'\nprint(y.grad_fn)"),
]:
    P(name, T + src)

# --- chains of complex views ---------------------------------------------------------------------
_Z = "z = torch.randn(3, 3, dtype=torch.complex64)\n"
for name, body, n in [
    ("cv-conj-t", "z = z.conj().t()", 10 ** 6),
    ("cv-conj-T", "z = z.conj().T", 10 ** 6),
    ("cv-conj-mT", "z = z.conj().mT", 10 ** 6),
    ("cv-conj-transpose", "z = z.conj().transpose(0, 1)", 10 ** 6),
    ("cv-conj-view", "z = z.conj().view(3, 3)", 10 ** 6),
    ("cv-conj-index", "z = z.conj()[:, :]", 10 ** 6),
    ("cv-conj-unsqueeze", "z = z.conj().unsqueeze(0).squeeze(0)", 10 ** 6),
    ("cv-H", "z = z.H", 10 ** 6),
    ("cv-adjoint", "z = z.adjoint()", 10 ** 6),
    ("cv-real-complex", "z = torch.view_as_complex(torch.view_as_real(z)[:, :])", 10 ** 6),
    ("cv-real-t-complex", "z = torch.view_as_complex(torch.view_as_real(z.t()).contiguous()) if i % 1000 == 0 else torch.view_as_complex(torch.view_as_real(z)[:])", 10 ** 6),
    ("cv-real-real", "r = torch.view_as_real(z)\nz = torch.view_as_complex(r)", 10 ** 6),
    ("cv-conj-real-complex", "z = torch.view_as_complex(torch.view_as_real(z.conj().resolve_conj()))", 10 ** 5),
    ("cv-imag-loop", "w = z.imag\nz = torch.complex(w, w) if i % 2 else z", 10 ** 5),
    ("cv-mixed-all", "z = z.conj().t().conj().unsqueeze(0)[0].t()", 10 ** 6),
]:
    P(name, T + _Z + "for i in range(%d):\n    %s\nprint(z.shape, z.is_conj())" % (n, body.replace("\n", "\n    ")))
for name, body, n in [
    ("cv-grad-conj-t", "z = z.conj().t()", 10 ** 5),
    ("cv-grad-real-complex", "z = torch.view_as_complex(torch.view_as_real(z)[:, :])", 10 ** 5),
]:
    P(name, T + "a = torch.randn(3, 3, dtype=torch.complex64, requires_grad=True)\nz = a * 1\nfor i in range(%d):\n    %s\nz.abs().sum().backward()\nprint(a.grad.shape)" % (n, body))
for name, src in [
    ("cv-inplace-through-chain", _Z + "a = z.clone()\nv = a\nfor i in range(10 ** 5):\n    v = v.conj().t()\nv.mul_(2)\nprint(a.shape)"),
    ("cv-inplace-grad-chain", "a = torch.randn(3, 3, dtype=torch.complex64, requires_grad=True)\nb = a * 1\nv = b\nfor i in range(100):\n    v = v.conj().t()\nv.mul_(2)\nb.abs().sum().backward()\nprint(a.grad.shape)"),
    ("cv-view-as-real-huge", "z = torch.zeros(10 ** 8, dtype=torch.complex64)\nprint(torch.view_as_real(z).shape)"),
    ("cv-real-of-expand", "z = torch.zeros(1, dtype=torch.complex64).expand(10 ** 9)\nprint(z.real.shape, z.conj().imag.shape)"),
    ("cv-print-chain", _Z + "for i in range(10 ** 5):\n    z = z.conj().t()\nprint(z)"),
    ("cv-base-chain", _Z + "for i in range(10 ** 5):\n    z = z.conj().t()\nprint(z._base is not None, z._is_view())"),
]:
    P(name, T + src)

# --- **mapping into torch calls ------------------------------------------------------------------
for name, src in [
    ("dm-size-kwargs", "print(torch.Size(**{'sizes': (1, 2)}))"),
    ("dm-tensor-keys", "class K:\n    def keys(self):\n        return [torch.ones(2)]\n    def __getitem__(self, k):\n        return 0\nprint(torch.sum(torch.ones(3), **K()))"),
    ("dm-keys-returns-tensor", "class K:\n    def keys(self):\n        return torch.ones(10 ** 7)\n    def __getitem__(self, k):\n        return 0\nprint(torch.sum(torch.ones(3), **K()))"),
    ("dm-keys-returns-int", "class K:\n    def keys(self):\n        return 5\n    def __getitem__(self, k):\n        return 0\nprint(torch.sum(torch.ones(3), **K()))"),
    ("dm-getitem-huge-tensor", "class K:\n    def keys(self):\n        return ['dim']\n    def __getitem__(self, k):\n        return torch.zeros(10 ** 10)\nprint(torch.sum(torch.ones(3), **K()))"),
    ("dm-module-kwargs", "import torch.nn as nn\nprint(nn.Linear(**{'in_features': 10 ** 9, 'out_features': 10 ** 9}))"),
    ("dm-optim-kwargs", "p = [torch.ones(2, requires_grad=True)]\nprint(torch.optim.SGD(p, **{'lr': float('nan'), 'momentum': -1}))"),
    ("dm-return-types", "r = torch.max(torch.rand(3, 4), 1)\nprint(dict(**r))"),
    ("dm-tensor-as-mapping", "t = torch.ones(3)\nprint(torch.sum(**t))"),
    ("dm-state-dict", "import torch.nn as nn\nm = nn.Linear(2, 2)\nprint(nn.Linear(**m.state_dict()))"),
    ("dm-namedtuple", "from collections import namedtuple\nP = namedtuple('P', 'input dim')\nprint(torch.sum(**P(torch.ones(3), 0)._asdict()))"),
    ("dm-nested-star", "d = {'dim': 0}\nfor i in range(10 ** 5):\n    d = {**d}\nprint(torch.sum(torch.ones(3), **d))"),
]:
    P(name, T + src)

# --- float32 norm kernels ------------------------------------------------------------------------
for name, src in [
    ("nk-vector-norm-huge", "x = torch.ones(10 ** 8)\nprint(torch.linalg.vector_norm(x))"),
    ("nk-vector-norm-empty", "print(torch.linalg.vector_norm(torch.ones(0, 5), dim=0), torch.linalg.vector_norm(torch.ones(0)))"),
    ("nk-vector-norm-inf-empty", "print(torch.linalg.vector_norm(torch.ones(0), ord=float('inf')))"),
    ("nk-vector-norm-ord-huge", "print(torch.linalg.vector_norm(torch.rand(1000), ord=10 ** 30))"),
    ("nk-vector-norm-ord-nan", "print(torch.linalg.vector_norm(torch.rand(10), ord=float('nan')))"),
    ("nk-vector-norm-dim-huge", "print(torch.linalg.vector_norm(torch.rand(3), dim=10 ** 20))"),
    ("nk-vector-norm-dims-many", "x = torch.rand(*([1] * 60))\nprint(torch.linalg.vector_norm(x, dim=tuple(range(60))))"),
    ("nk-layer-norm-odd", "x = torch.rand(7, 13, 1, 3)\nprint(torch.nn.functional.layer_norm(x, (1, 3)).shape)"),
    ("nk-layer-norm-huge-shape", "x = torch.rand(1, 10 ** 8)\nprint(torch.nn.functional.layer_norm(x, (10 ** 8,)).shape)"),
    ("nk-layer-norm-empty", "x = torch.rand(0, 4)\nprint(torch.nn.functional.layer_norm(x, (4,)))"),
    ("nk-layer-norm-shape-wrong", "x = torch.rand(3, 4)\nprint(torch.nn.functional.layer_norm(x, (10 ** 20,)))"),
    ("nk-layer-norm-eps-nan", "x = torch.rand(3, 4)\nprint(torch.nn.functional.layer_norm(x, (4,), eps=float('nan')))"),
    ("nk-group-norm-groups-huge", "x = torch.rand(2, 4, 3)\nprint(torch.nn.functional.group_norm(x, 10 ** 20))"),
    ("nk-group-norm-groups-zero", "x = torch.rand(2, 4, 3)\nprint(torch.nn.functional.group_norm(x, 0))"),
    ("nk-group-norm-groups-neg", "x = torch.rand(2, 4, 3)\nprint(torch.nn.functional.group_norm(x, -2))"),
    ("nk-group-norm-empty", "x = torch.rand(0, 4, 3)\nprint(torch.nn.functional.group_norm(x, 2))"),
    ("nk-batch-norm-huge", "x = torch.rand(10 ** 7, 3)\nprint(torch.nn.functional.batch_norm(x, None, None, training=True).shape)"),
    ("nk-batch-norm-one", "x = torch.rand(1, 3)\nprint(torch.nn.functional.batch_norm(x, None, None, training=True))"),
    ("nk-instance-norm-empty", "x = torch.rand(2, 3, 0)\nprint(torch.nn.functional.instance_norm(x))"),
    ("nk-rms-norm-huge", "x = torch.rand(10 ** 7, 4)\nprint(torch.nn.functional.rms_norm(x, (4,)).shape)"),
    ("nk-normalize-p-huge", "x = torch.rand(4, 4)\nprint(torch.nn.functional.normalize(x, p=10 ** 30))"),
    ("nk-normalize-dim-huge", "x = torch.rand(4, 4)\nprint(torch.nn.functional.normalize(x, dim=-10 ** 20))"),
    ("nk-matrix-norm-empty", "print(torch.linalg.matrix_norm(torch.rand(0, 0)))"),
    ("nk-norm-odd-strides", "x = torch.rand(1001, 997)[::7, ::3].t()\nprint(torch.linalg.vector_norm(x, dim=1).shape)"),
    ("nk-norm-float16-huge", "x = torch.full((10 ** 7,), 60000., dtype=torch.float16)\nprint(torch.linalg.vector_norm(x))"),
    ("nk-norm-backward-huge", "x = torch.rand(10 ** 7, requires_grad=True)\ntorch.linalg.vector_norm(x).backward()\nprint(x.grad.shape)"),
    ("nk-local-response-norm", "x = torch.rand(1, 10 ** 4, 10)\nprint(torch.nn.functional.local_response_norm(x, 10 ** 9).shape)"),
    ("nk-weight-norm-dim-huge", "import torch.nn as nn\nm = nn.utils.weight_norm(nn.Linear(2, 2), dim=10 ** 9)\nprint(m)"),
    ("nk-renorm-maxnorm", "print(torch.renorm(torch.rand(3, 3), 2, 10 ** 9, 1.0))"),
]:
    P(name, T + src)

# --- optimizer hooks -----------------------------------------------------------------------------
_OP = "p = torch.ones(2, requires_grad=True)\nopt = torch.optim.SGD([p], lr=0.1)\np.sum().backward()\n"
for name, src in [
    ("oh-pre-hook-recurse", _OP + "def h(o, a, k):\n    o.step()\nopt.register_step_pre_hook(h)\nopt.step()"),
    ("oh-post-hook-recurse", _OP + "def h(o, a, k):\n    o.step()\nopt.register_step_post_hook(h)\nopt.step()"),
    ("oh-pre-hook-returns-huge", _OP + "def h(o, a, k):\n    return ((1,) * 10 ** 6, {})\nopt.register_step_pre_hook(h)\nopt.step()\nprint(p)"),
    ("oh-pre-hook-returns-bad", _OP + "def h(o, a, k):\n    return 5\nopt.register_step_pre_hook(h)\nopt.step()\nprint(p)"),
    ("oh-million-hooks", _OP + "for i in range(10 ** 6):\n    opt.register_step_pre_hook(lambda o, a, k: None)\nopt.step()\nprint(p)"),
    ("oh-hook-registers-hook", _OP + "def h(o, a, k):\n    o.register_step_pre_hook(h)\nopt.register_step_pre_hook(h)\nfor i in range(20):\n    opt.step()\nprint(p)"),
    ("oh-hook-raises", _OP + "def h(o, a, k):\n    raise KeyError('hook')\nopt.register_step_post_hook(h)\nopt.step()"),
    ("oh-global-hook", _OP + "from torch.optim.optimizer import register_optimizer_step_pre_hook\ndef h(o, a, k):\n    o.step()\nregister_optimizer_step_pre_hook(h)\nopt.step()"),
    ("oh-state-dict-hook", _OP + "def h(o, sd):\n    sd['x'] = sd\n    return sd\nopt.register_state_dict_post_hook(h)\nprint(opt.state_dict())"),
    ("oh-load-state-dict-pre-hook", _OP + "def h(o, sd):\n    return 'bad'\nopt.register_load_state_dict_pre_hook(h)\nopt.load_state_dict(opt.state_dict())\nprint(1)"),
    ("oh-zero-grad-hook", _OP + "for i in range(10 ** 5):\n    h = opt.register_step_pre_hook(lambda o, a, k: None)\n    h.remove()\n    h.remove()\nopt.step()\nprint(p)"),
    ("oh-step-closure-recurse", _OP + "def c():\n    return opt.step(c)\nopt.step(c)"),
    ("oh-lbfgs-closure-huge", "p = torch.ones(2, requires_grad=True)\nopt = torch.optim.LBFGS([p], max_iter=10 ** 9, tolerance_grad=-1, tolerance_change=-1)\ndef c():\n    opt.zero_grad()\n    l = (p * p).sum()\n    l.backward()\n    return l\nopt.step(c)\nprint(p)"),
    ("oh-param-groups-huge", "ps = [torch.ones(1, requires_grad=True) for i in range(10 ** 5)]\nopt = torch.optim.Adam([{'params': [q]} for q in ps])\nprint(len(opt.param_groups))"),
    ("oh-add-param-group-self", _OP + "opt.add_param_group({'params': [p]})"),
]:
    P(name, T + src)

# --- utils.data collate of nested structures -----------------------------------------------------
_DC = "from torch.utils.data import default_collate, DataLoader\n"
for name, src in [
    ("dc-deep-dict", "d = 1\nfor i in range(10 ** 5):\n    d = {'a': d}\nprint(default_collate([d, d]))"),
    ("dc-deep-list", "d = [1]\nfor i in range(10 ** 5):\n    d = [d]\nprint(default_collate([d, d]))"),
    ("dc-deep-tuple", "d = (1,)\nfor i in range(900):\n    d = (d,)\nprint(len(default_collate([d, d])))"),
    ("dc-cycle-list", "d = [1]\nd.append(d)\nprint(default_collate([d, d]))"),
    ("dc-cycle-dict", "d = {'a': 1}\nd['b'] = d\nprint(default_collate([d, d]))"),
    ("dc-namedtuple", "from collections import namedtuple\nP = namedtuple('P', 'a b')\nprint(default_collate([P(torch.ones(2), 1), P(torch.zeros(2), 2)]))"),
    ("dc-namedtuple-deep", "from collections import namedtuple\nP = namedtuple('P', 'a')\nd = P(1)\nfor i in range(10 ** 4):\n    d = P(d)\nprint(type(default_collate([d, d])))"),
    ("dc-return-types", "r = torch.max(torch.rand(3, 4), 1)\nprint(default_collate([r, r]))"),
    ("dc-size", "print(default_collate([torch.Size([1, 2]), torch.Size([3, 4])]))"),
    ("dc-mismatched-len", "print(default_collate([[1, 2], [1, 2, 3]]))"),
    ("dc-mismatched-keys", "print(default_collate([{'a': 1}, {'b': 2}]))"),
    ("dc-wide", "print(len(default_collate([list(range(10 ** 6)), list(range(10 ** 6))])))"),
    ("dc-many-samples", "print(default_collate([1] * 10 ** 7).shape)"),
    ("dc-strings-huge", "print(len(default_collate(['x' * 10 ** 7] * 20)))"),
    ("dc-program-class", "class A:\n    def __len__(self):\n        raise ValueError('len')\nprint(default_collate([A(), A()]))"),
    ("dc-mapping-class", "from collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return self\n    def __iter__(self):\n        return iter(['a'])\n    def __len__(self):\n        return 1\nprint(default_collate([M(), M()]))"),
    ("dc-sequence-class", "from collections.abc import Sequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i > 10 ** 9:\n            raise IndexError\n        return i\n    def __len__(self):\n        return 10 ** 9\nprint(default_collate([S(), S()]))"),
    ("dc-loader-nested", "ds = [{'x': [torch.ones(2), (1, {'y': torch.zeros(1)})]} for i in range(8)]\nfor b in DataLoader(ds, batch_size=4):\n    print(b['x'][1][1]['y'].shape)"),
    ("dc-loader-collate-recurse", "def c(b):\n    return c(b)\nfor b in DataLoader([1, 2], collate_fn=c):\n    print(b)"),
    ("dc-tensors-mixed", "print(default_collate([torch.ones(2), torch.ones(3)]))"),
    ("dc-tensors-dtypes", "print(default_collate([torch.ones(2), torch.ones(2, dtype=torch.int64)]).dtype)"),
    ("dc-default-convert-deep", "from torch.utils.data import default_convert\nd = [1]\nfor i in range(10 ** 5):\n    d = [d]\nprint(type(default_convert(d)))"),
]:
    P(name, T + _DC + src)

# --- nn.Module state_dict hooks ------------------------------------------------------------------
_M = "import torch.nn as nn\nm = nn.Linear(2, 2)\n"
for name, src in [
    ("sd-post-hook-recurse", _M + "def h(mod, sd, prefix, local_metadata):\n    mod.state_dict()\nm._register_state_dict_hook(h)\nprint(m.state_dict())"),
    ("sd-pre-hook-public", _M + "def h(mod, prefix, keep_vars):\n    mod.state_dict()\nm.register_state_dict_pre_hook(h)\nprint(m.state_dict())"),
    ("sd-post-hook-public", _M + "def h(mod, sd, prefix, local_metadata):\n    sd['huge'] = torch.zeros(10 ** 10)\nm.register_state_dict_post_hook(h)\nprint(m.state_dict().keys())"),
    ("sd-load-pre-hook", _M + "def h(mod, sd, prefix, lm, strict, missing, unexpected, errors):\n    sd.clear()\nm._register_load_state_dict_pre_hook(h, with_module=True)\nprint(m.load_state_dict(m.state_dict()))"),
    ("sd-load-post-hook", _M + "def h(mod, keys):\n    mod.load_state_dict(mod.state_dict())\nm.register_load_state_dict_post_hook(h)\nprint(m.load_state_dict(m.state_dict()))"),
    ("sd-load-post-hook-keys", _M + "def h(mod, keys):\n    keys.missing_keys.extend(range(10 ** 8))\nm.register_load_state_dict_post_hook(h)\nprint(m.load_state_dict(m.state_dict()))"),
    ("sd-hook-returns-other", _M + "def h(mod, sd, prefix, local_metadata):\n    return 5\nm._register_state_dict_hook(h)\nprint(m.state_dict())"),
    ("sd-million-hooks", _M + "for i in range(10 ** 6):\n    m.register_state_dict_pre_hook(lambda *a: None)\nprint(len(m.state_dict()))"),
    ("sd-prefix-huge", _M + "print(len(m.state_dict(prefix='p' * 10 ** 8)))"),
    ("sd-destination-odd", _M + "print(m.state_dict(destination=[]))"),
    ("sd-destination-self", _M + "d = {}\nd['x'] = d\nprint(len(m.state_dict(destination=d)))"),
    ("sd-deep-modules", "import torch.nn as nn\nm = nn.Linear(1, 1)\nfor i in range(10 ** 4):\n    s = nn.Sequential()\n    s.add_module('a', m)\n    m = s\nprint(len(m.state_dict()))"),
    ("sd-load-huge-key", _M + "sd = m.state_dict()\nsd['k' * 10 ** 8] = torch.ones(1)\nprint(m.load_state_dict(sd, strict=False))"),
]:
    P(name, T + src)

# --- program classes recursing when used as keys inside ops ------------------------------------
for name, src in [
    ("rk-hash-recurse-dim", "class D:\n    def __hash__(self):\n        return hash(self)\n    def __index__(self):\n        return 0\nprint(torch.sum(torch.ones(3), dim=D()))"),
    ("rk-eq-recurse-dims", "class D:\n    def __eq__(self, o):\n        return self == o\n    def __hash__(self):\n        return 0\n    def __index__(self):\n        return 0\nprint(torch.sum(torch.ones(3, 3), dim=(D(), D())))"),
    ("rk-repr-recurse-error", "class D:\n    def __repr__(self):\n        return repr(self)\nprint(torch.sum(torch.ones(3), dim=D()))"),
    ("rk-repr-huge-error", "class D:\n    def __repr__(self):\n        return 'r' * 10 ** 8\nprint(torch.ones(3).view(D()))"),
    ("rk-dict-key-moduledict", "import torch.nn as nn\nclass K(str):\n    pass\nclass H:\n    def __hash__(self):\n        return hash(self)\nd = nn.ModuleDict()\nd[H()] = nn.Linear(1, 1)"),
    ("rk-parameterdict-key", "import torch.nn as nn\nclass H:\n    def __hash__(self):\n        raise ValueError('h')\nd = nn.ParameterDict({H(): nn.Parameter(torch.ones(1))})"),
    ("rk-state-key-recurse", "p = torch.ones(2, requires_grad=True)\nopt = torch.optim.SGD([p], lr=0.1)\nclass H:\n    def __hash__(self):\n        return hash(self)\nopt.state[H()] = 1\nprint(opt.state_dict())"),
    ("rk-einsum-eq-obj", "class S:\n    def __eq__(self, o):\n        return self == o\nprint(torch.einsum(S(), torch.ones(2)))"),
    ("rk-dtype-key", "class H:\n    def __eq__(self, o):\n        raise ValueError('eq')\n    def __hash__(self):\n        return hash(torch.float32)\nprint(torch.zeros(2, dtype=H()))"),
    ("rk-device-eq", "class H:\n    def __eq__(self, o):\n        return self == o\nprint(torch.zeros(2, device=H()))"),
    ("rk-reduction-str", "class R:\n    def __eq__(self, o):\n        return self == o\n    def __hash__(self):\n        return 1\nprint(torch.nn.functional.mse_loss(torch.ones(2), torch.ones(2), reduction=R()))"),
    ("rk-mode-str", "class R(object):\n    def __eq__(self, o):\n        return self == o\nprint(torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=2, mode=R()))"),
    ("rk-tensor-in-set", "class H:\n    def __hash__(self):\n        return hash(self)\nprint({torch.ones(1), H()})"),
    ("rk-index-recurse", "class I:\n    def __index__(self):\n        return torch.ones(3)[I()]\nprint(torch.ones(3)[I()])"),
]:
    P(name, T + src)

# --- generators that raise inside torch calls ------------------------------------------------------
_G = "def g(n):\n    for i in range(n):\n        yield i\n    raise ValueError('gen %d' % n)\n"
for name, src in [
    ("gr-tensor", _G + "print(torch.tensor(g(3)))"),
    ("gr-tensor-list", _G + "print(torch.tensor([g(2)]))"),
    ("gr-size", _G + "print(torch.Size(g(2)))"),
    ("gr-zeros", _G + "print(torch.zeros(*g(2)))"),
    ("gr-stack", _G + "print(torch.stack(torch.ones(1) for i in g(3)))"),
    ("gr-cat", _G + "print(torch.cat(torch.ones(1) for i in g(3)))"),
    ("gr-permute", _G + "print(torch.ones(2, 2).permute(*g(2)))"),
    ("gr-sum-dims", _G + "print(torch.ones(2, 2).sum(tuple(g(2))))"),
    ("gr-optim-params", _G + "print(torch.optim.SGD((torch.ones(1, requires_grad=True) for i in g(2)), lr=0.1))"),
    ("gr-sequential", _G + "import torch.nn as nn\nprint(nn.Sequential(*(nn.Linear(1, 1) for i in g(2))))"),
    ("gr-modulelist", _G + "import torch.nn as nn\nprint(nn.ModuleList(nn.Linear(1, 1) for i in g(2)))"),
    ("gr-dataloader", _G + "from torch.utils.data import DataLoader, IterableDataset\nclass D(IterableDataset):\n    def __iter__(self):\n        return g(3)\nfor b in DataLoader(D(), batch_size=2):\n    print(b)"),
    ("gr-autograd-grad", _G + "x = torch.ones(2, requires_grad=True)\nprint(torch.autograd.grad(x.sum(), (x for i in g(1))))"),
    ("gr-backward-inputs", _G + "x = torch.ones(2, requires_grad=True)\nx.sum().backward(inputs=(x for i in g(1)))"),
    ("gr-clip-grad", _G + "x = torch.ones(2, requires_grad=True)\nx.sum().backward()\nprint(torch.nn.utils.clip_grad_norm_((x for i in g(1)), 1.0))"),
    ("gr-send-into-torch", "def g():\n    x = yield\n    yield torch.ones(x)\nit = g()\nnext(it)\nprint(it.send(10 ** 10))"),
    ("gr-throw-inside", "def g():\n    while True:\n        yield torch.ones(2)\nit = g()\nnext(it)\nprint(torch.stack([next(it), it.throw(ValueError('thrown'))]))"),
    ("gr-keyboard", _G.replace("ValueError", "KeyboardInterrupt") + "print(torch.tensor(list(g(2))))"),
    ("gr-systemexit", _G.replace("ValueError", "SystemExit") + "print(torch.tensor(list(g(2))))"),
    ("gr-stopiteration-inside", "def g():\n    yield 1\n    raise StopIteration\nprint(torch.tensor(list(g())))"),
]:
    P(name, T + src)

# --- deep nesting through torch.Size / return_types / namedtuples --------------------------------
for name, src in [
    ("dn-size-of-sizes", "s = torch.Size([1])\nfor i in range(10 ** 5):\n    s = torch.Size([s])\nprint(s)"),
    ("dn-size-nested-tuple", "s = (1,)\nfor i in range(10 ** 5):\n    s = (s,)\nprint(torch.Size(s))"),
    ("dn-namedtuple-chain", "from collections import namedtuple\nP = namedtuple('P', 'a')\np = P(1)\nfor i in range(10 ** 6):\n    p = P(p)\nprint(hash(p))"),
    ("dn-namedtuple-chain-dict", "from collections import namedtuple\nP = namedtuple('P', 'a')\np = P(1)\nfor i in range(10 ** 6):\n    p = P(p)\nd = {p: 1}"),
    ("dn-namedtuple-repr", "from collections import namedtuple\nP = namedtuple('P', 'a')\np = P(1)\nfor i in range(10 ** 5):\n    p = P(p)\nprint(p)"),
    ("dn-typing-namedtuple", "from typing import NamedTuple\nclass P(NamedTuple):\n    a: object\np = P(1)\nfor i in range(10 ** 6):\n    p = P(p)\nprint(p == p)"),
    ("dn-rt-chain-dict", "r = torch.return_types.max((1, 2))\nfor i in range(10 ** 6):\n    r = torch.return_types.max((r, 1))\nd = {r: 1}"),
    ("dn-rt-chain-del", "r = torch.return_types.max((1, 2))\nfor i in range(10 ** 6):\n    r = torch.return_types.max((r, 1))\ndel r\nprint('ok')"),
    ("dn-size-in-tensor", "s = (1,)\nfor i in range(10 ** 5):\n    s = (s,)\nprint(torch.tensor(s))"),
    ("dn-tensor-nested-list", "s = [1.0]\nfor i in range(10 ** 5):\n    s = [s]\nprint(torch.tensor(s).shape)"),
    ("dn-pytree-rt", "from torch.utils._pytree import tree_map\nr = torch.return_types.max((1, 2))\nfor i in range(10 ** 5):\n    r = torch.return_types.max((r, 1))\nprint(tree_map(lambda x: x, r))"),
    ("dn-func-vmap-nested-rt", "r = torch.ones(3)\nfor i in range(10 ** 4):\n    r = torch.return_types.max((r, r))\nprint(torch.func.vmap(lambda x: x)(r))"),
    ("dn-namedtuple-huge-fields", "from collections import namedtuple\nP = namedtuple('P', ['f%d' % i for i in range(10 ** 6)])\nprint(len(P._fields))"),
    ("dn-namedtuple-field-name", "from collections import namedtuple\nP = namedtuple('P', ['f' * 10 ** 7])\nprint(len(P._fields[0]))"),
]:
    P(name, T + src)

# --- huge integers to every size-like parameter ---------------------------------------------------
_BIG = ["10 ** 30", "2 ** 63", "2 ** 63 - 1", "-2 ** 63 - 1", "2 ** 31"]
_SIZE_CALLS = [
    ("dim-sum", "torch.sum(torch.ones(3), dim=%s)"),
    ("dim-softmax", "torch.softmax(torch.ones(3), %s)"),
    ("dim-cumsum", "torch.cumsum(torch.ones(3), %s)"),
    ("dim-flip", "torch.flip(torch.ones(3), (%s,))"),
    ("dim-roll", "torch.roll(torch.ones(3), 1, %s)"),
    ("shift-roll", "torch.roll(torch.ones(3), %s)"),
    ("n-diff", "torch.diff(torch.ones(3), n=%s)"),
    ("n-fft", "torch.fft.fft(torch.ones(3), n=%s)"),
    ("steps-linspace", "torch.linspace(0, 1, %s)"),
    ("steps-logspace", "torch.logspace(0, 1, %s)"),
    ("bins-histc", "torch.histc(torch.ones(3), bins=%s)"),
    ("bins-histogram", "torch.histogram(torch.ones(3), bins=%s)"),
    ("bins-bincount", "torch.bincount(torch.tensor([1]), minlength=%s)"),
    ("num-samples", "torch.multinomial(torch.ones(3), %s, replacement=True)"),
    ("kernel-maxpool", "torch.nn.functional.max_pool1d(torch.ones(1, 1, 4), %s)"),
    ("kernel-avgpool", "torch.nn.functional.avg_pool2d(torch.ones(1, 1, 4, 4), %s)"),
    ("kernel-unfold", "torch.nn.functional.unfold(torch.ones(1, 1, 4, 4), %s)"),
    ("stride-maxpool", "torch.nn.functional.max_pool1d(torch.ones(1, 1, 4), 2, %s)"),
    ("padding-conv", "torch.nn.functional.conv1d(torch.ones(1, 1, 4), torch.ones(1, 1, 2), padding=%s)"),
    ("groups-conv", "torch.nn.functional.conv1d(torch.ones(1, 2, 4), torch.ones(2, 1, 2), groups=%s)"),
    ("repeats-interleave", "torch.repeat_interleave(torch.ones(3), %s)"),
    ("repeat", "torch.ones(3).repeat(%s)"),
    ("tile", "torch.tile(torch.ones(3), (%s,))"),
    ("k-topk", "torch.topk(torch.ones(3), %s)"),
    ("k-kthvalue", "torch.kthvalue(torch.ones(3), %s)"),
    ("chunks", "torch.chunk(torch.ones(3), %s)"),
    ("split-size", "torch.split(torch.ones(3), %s)"),
    ("unfold-size", "torch.ones(3).unfold(0, %s, 1)"),
    ("narrow-len", "torch.narrow(torch.ones(3), 0, 0, %s)"),
    ("diagonal-offset", "torch.diagonal(torch.ones(3, 3), %s)"),
    ("tril-diag", "torch.tril(torch.ones(3, 3), %s)"),
    ("triu-indices", "torch.triu_indices(%s, 3)"),
    ("eye-n", "torch.eye(%s, 0)"),
    ("randperm-n", "torch.randperm(%s)"),
    ("randint-high", "torch.randint(%s, (2,))"),
    ("one-hot-classes", "torch.nn.functional.one_hot(torch.tensor([0]), %s)"),
    ("embedding-num", "torch.nn.Embedding(%s, 0)"),
    ("pixel-shuffle", "torch.nn.functional.pixel_shuffle(torch.ones(1, 4, 2, 2), %s)"),
    ("combinations-r", "torch.combinations(torch.ones(3), %s)"),
    ("movedim", "torch.movedim(torch.ones(3), 0, %s)"),
    ("select", "torch.ones(3).select(0, %s)"),
    ("gather-index", "torch.gather(torch.ones(3), 0, torch.tensor([%s]))"),
    ("index-select", "torch.ones(3).index_select(0, torch.tensor([%s]))"),
    ("manual-seed", "torch.manual_seed(%s)"),
    ("set-num-threads", "torch.set_num_threads(%s)"),
    ("printoptions-edge", "torch.set_printoptions(edgeitems=%s) or torch.ones(10)"),
    ("rnn-layers", "torch.nn.RNN(1, 1, num_layers=%s)"),
    ("adaptive-pool", "torch.nn.functional.adaptive_avg_pool1d(torch.ones(1, 1, 4), %s)"),
    ("interpolate-size", "torch.nn.functional.interpolate(torch.ones(1, 1, 2), size=%s)"),
    ("stft-nfft", "torch.stft(torch.ones(16), %s, return_complex=True)"),
]
for i, (name, call) in enumerate(_SIZE_CALLS):
    big = _BIG[i % len(_BIG)]
    P("big-%s" % name, T + "print(%s)" % (call % big))

# --- negative and bool sizes ----------------------------------------------------------------------
for name, src in [
    ("neg-zeros", "print(torch.zeros(-1))"),
    ("neg-zeros-big", "print(torch.zeros(2, -10 ** 18))"),
    ("neg-view", "print(torch.ones(6).view(-2, 3))"),
    ("neg-expand", "print(torch.ones(1).expand(-2))"),
    ("neg-linspace", "print(torch.linspace(0, 1, -5))"),
    ("neg-histc", "print(torch.histc(torch.ones(3), bins=-1))"),
    ("neg-multinomial", "print(torch.multinomial(torch.ones(3), -1))"),
    ("neg-repeat", "print(torch.ones(3).repeat(-1))"),
    ("neg-randperm", "print(torch.randperm(-3))"),
    ("neg-topk", "print(torch.topk(torch.ones(3), -1))"),
    ("neg-kernel", "print(torch.nn.functional.max_pool1d(torch.ones(1, 1, 4), -2))"),
    ("neg-groups", "print(torch.nn.functional.conv1d(torch.ones(1, 2, 4), torch.ones(2, 1, 2), groups=-2))"),
    ("neg-linear", "print(torch.nn.Linear(-1, 2))"),
    ("neg-embedding", "print(torch.nn.Embedding(-5, 2))"),
    ("bool-zeros", "print(torch.zeros(True, False))"),
    ("bool-view", "print(torch.ones(1).view(True))"),
    ("bool-sum-dim", "print(torch.ones(2, 2).sum(dim=True))"),
    ("bool-linspace", "print(torch.linspace(0, 1, True))"),
    ("bool-topk", "print(torch.topk(torch.ones(3), True))"),
    ("bool-repeat", "print(torch.ones(3).repeat(True, False))"),
    ("bool-randperm", "print(torch.randperm(True))"),
    ("bool-linear", "print(torch.nn.Linear(True, True))"),
    ("bool-index", "print(torch.ones(3)[True, False])"),
    ("bool-tensor-size", "print(torch.zeros(torch.tensor(True)))"),
    ("bool-numpy-size", "import numpy as np\nprint(torch.zeros(np.bool_(True)))"),
]:
    P(name, T + src)

# --- NaN and inf where integers are expected ------------------------------------------------------
for name, src in [
    ("nan-zeros", "print(torch.zeros(float('nan')))"),
    ("inf-zeros", "print(torch.zeros(float('inf')))"),
    ("nan-linspace", "print(torch.linspace(0, 1, float('nan')))"),
    ("inf-arange", "print(torch.arange(0, float('inf')))"),
    ("nan-arange-step", "print(torch.arange(0, 10, float('nan')))"),
    ("nan-dim", "print(torch.ones(3).sum(float('nan')))"),
    ("inf-topk", "print(torch.topk(torch.ones(3), float('inf')))"),
    ("nan-histc", "print(torch.histc(torch.ones(3), bins=float('nan')))"),
    ("nan-histc-range", "print(torch.histc(torch.ones(3), bins=3, min=float('nan'), max=float('inf')))"),
    ("inf-histogram-range", "print(torch.histogram(torch.ones(3), bins=3, range=(0, float('inf'))))"),
    ("nan-repeat", "print(torch.ones(3).repeat(float('nan')))"),
    ("nan-randint", "print(torch.randint(float('nan'), (2,)))"),
    ("inf-randint", "print(torch.randint(0, float('inf'), (2,)))"),
    ("nan-kernel", "print(torch.nn.functional.max_pool1d(torch.ones(1, 1, 4), float('nan')))"),
    ("nan-scale-factor", "print(torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=float('nan')))"),
    ("inf-scale-factor", "print(torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=float('inf')))"),
    ("huge-scale-factor", "print(torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=1e30))"),
    ("nan-dropout-p", "print(torch.nn.functional.dropout(torch.ones(3), p=float('nan')))"),
    ("nan-lr", "p = torch.ones(2, requires_grad=True)\nprint(torch.optim.SGD([p], lr=float('nan')))"),
    ("inf-max-norm", "print(torch.nn.functional.embedding(torch.tensor([0]), torch.ones(2, 2), max_norm=float('inf')))"),
    ("nan-quantile", "print(torch.quantile(torch.ones(3), float('nan')))"),
    ("inf-manual-seed", "torch.manual_seed(float('inf'))"),
    ("nan-tensor-as-size", "print(torch.zeros(torch.tensor(float('nan'))))"),
    ("inf-printoptions", "torch.set_printoptions(precision=float('inf'))\nprint(torch.ones(2))"),
    ("nan-step-lr", "p = torch.ones(2, requires_grad=True)\no = torch.optim.SGD([p], lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(o, step_size=float('nan'))\ns.step()\nprint(o.param_groups[0]['lr'])"),
]:
    P(name, T + src)

# --- exceptions from __index__ / __float__ / __len__ of a program's objects ---------------------
_RAISES = "class R:\n    def __index__(self):\n        raise KeyError('index')\n    def __float__(self):\n        raise KeyError('float')\n    def __int__(self):\n        raise KeyError('int')\n    def __len__(self):\n        raise KeyError('len')\n    def __iter__(self):\n        raise KeyError('iter')\n    def __getitem__(self, i):\n        raise KeyError('getitem')\n"
for name, call in [
    ("ex-zeros", "torch.zeros(R())"),
    ("ex-zeros-tail", "torch.zeros(2, R())"),
    ("ex-view", "torch.ones(3).view(R())"),
    ("ex-sum-dim", "torch.ones(3).sum(R())"),
    ("ex-getitem", "torch.ones(3)[R()]"),
    ("ex-index-fill", "torch.ones(3).index_fill_(0, torch.tensor([0]), R())"),
    ("ex-tensor-data", "torch.tensor(R())"),
    ("ex-tensor-list", "torch.tensor([1.0, R()])"),
    ("ex-full-fill", "torch.full((2,), R())"),
    ("ex-add-scalar", "torch.ones(2) + R()"),
    ("ex-mul-alpha", "torch.add(torch.ones(2), torch.ones(2), alpha=R())"),
    ("ex-clamp", "torch.clamp(torch.ones(2), min=R())"),
    ("ex-linspace", "torch.linspace(0, 1, R())"),
    ("ex-arange", "torch.arange(R())"),
    ("ex-randint", "torch.randint(R(), (2,))"),
    ("ex-manual-seed", "torch.manual_seed(R())"),
    ("ex-size", "torch.Size(R())"),
    ("ex-size-elem", "torch.Size([R()])"),
    ("ex-linear", "torch.nn.Linear(R(), 2)"),
    ("ex-dropout", "torch.nn.Dropout(R())"),
    ("ex-sgd-lr", "torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=R())"),
    ("ex-pow", "torch.ones(2) ** R()"),
    ("ex-stack-list", "torch.stack(R())"),
    ("ex-cat-list", "torch.cat(R())"),
    ("ex-dataloader", "list(torch.utils.data.DataLoader(R(), batch_size=2))"),
    ("ex-random-split", "torch.utils.data.random_split(R(), [1])"),
    ("ex-permute", "torch.ones(2, 2).permute(R())"),
    ("ex-reshape-list", "torch.ones(2).reshape([R()])"),
    ("ex-float-tensor", "float(torch.tensor(1.0)) + float(R())"),
    ("ex-interpolate", "torch.nn.functional.interpolate(torch.ones(1, 1, 2), scale_factor=R())"),
    ("ex-set-printoptions", "torch.set_printoptions(precision=R())"),
    ("ex-isclose", "torch.isclose(torch.ones(1), torch.ones(1), rtol=R())"),
]:
    P(name, T + _RAISES + "print(%s)" % call)
# the same, with __index__ returning odd values
for name, ret in [("idx-huge", "10 ** 30"), ("idx-float", "1.5"), ("idx-bool", "True"),
                  ("idx-tensor", "torch.ones(1)"), ("idx-self", "self"), ("idx-str", "'3'"),
                  ("idx-neg", "-10 ** 20")]:
    P("ret-" + name, T + "class I:\n    def __index__(self):\n        return %s\nprint(torch.zeros(I()))\n" % ret)
    P("ret-" + name + "-dim", T + "class I:\n    def __index__(self):\n        return %s\nprint(torch.ones(2, 2).sum(I()))\n" % ret)
for name, ret in [("len-huge", "10 ** 30"), ("len-neg", "-1"), ("len-float", "2.5"), ("len-2-62", "2 ** 62")]:
    P("ret-" + name, T + "class L:\n    def __len__(self):\n        return %s\n    def __getitem__(self, i):\n        if i >= 2:\n            raise IndexError(i)\n        return 1.0\nprint(torch.tensor(L()))\n" % ret)
    P("ret-" + name + "-loader", T + "class L:\n    def __len__(self):\n        return %s\n    def __getitem__(self, i):\n        return i\nprint(len(torch.utils.data.DataLoader(L(), batch_size=2)))\n" % ret)
for name, ret in [("float-huge", "1e308 * 10"), ("float-str", "'1.0'"), ("float-tensor", "torch.ones(2)"), ("float-int", "10 ** 400")]:
    P("ret-" + name, T + "class F:\n    def __float__(self):\n        return %s\nprint(torch.full((2,), F()))\nprint(torch.ones(2) * F())\n" % ret)
