"""Round 11 of hostile programs (issue 16): what the last session added, given huge, negative,
NaN, empty, 0-d and wrong-type arguments and pushed at the limits (memory, time, nesting,
string sizes): torch.save/load in memory, testing.assert_close/make_tensor, distributions, the
LU family, igamma/Bessel/airy, triangular_solve, CTC loss, nn.utils.parametrize, weight_norm/
spectral_norm, Lazy modules, grid_sample/affine_grid, fractional max pools, upsample,
AdaptiveLogSoftmaxWithLoss, swa_utils, Adafactor, Muon, the *_copy ops, unfold, resize_,
cauchy_/log_normal_/geometric_/poisson/binomial, legacy FloatTensor types, compile/jit identity.
Replayed by tools/replay_hostile.py and, under PyTorch, by tools/record_hostile_torch.py; the
table is tests/cli/hostile_round11.py."""
PROGRAMS = []


def P(i, s):
    PROGRAMS.append((i, s.strip("\n") + "\n"))


F = "import torch.nn.functional as F\n"
NN = "import torch.nn as nn\n"
IO = "import io\n"
BAD = [("nan", "float('nan')"), ("inf", "float('inf')"), ("neg", "-1"), ("huge", "10 ** 30"),
       ("big64", "2 ** 63"), ("str", "'a'"), ("none", "None"), ("list", "[1, 2]"),
       ("tensor2", "torch.ones(2)"), ("zero", "0")]

# --- torch.save / torch.load in memory -----------------------------------------------------------
SAVE = [
    ("int", "torch.save(1, b)"), ("deep-list", "x = []\nfor i in range(10 ** 5):\n    x = [x]\ntorch.save(x, b)"),
    ("self-list", "x = []\nx.append(x)\ntorch.save(x, b)"), ("big-tensor", "torch.save(torch.zeros(10 ** 7), b)"),
    ("many-tensors", "torch.save([torch.ones(1)] * 10 ** 5, b)"), ("lambda", "torch.save(lambda: 1, b)"),
    ("class-instance", "class A:\n    pass\ntorch.save(A(), b)"), ("generator", "torch.save((i for i in range(3)), b)"),
    ("module", "torch.save(torch.nn.Linear(2, 2), b)"), ("str-huge", "torch.save('a' * 10 ** 8, b)"),
    ("not-a-file", "torch.save(torch.ones(2), 5)"), ("path-escape", "torch.save(torch.ones(2), '/etc/x')"),
    ("path-dotdot", "torch.save(torch.ones(2), '../../x.pt')"), ("dict-tensor-keys", "torch.save({torch.ones(1): 1}, b)"),
]
for name, body in SAVE:
    P("sl-save-" + name, "import torch\n" + IO + "b = io.BytesIO()\n" + body + "\nb.seek(0)\nprint(type(torch.load(b)))")
LOAD = [
    ("empty", "b = io.BytesIO()"), ("garbage", "b = io.BytesIO(b'\\x80\\x04garbage')"),
    ("zip-header", "b = io.BytesIO(b'PK\\x03\\x04' + b'\\x00' * 100)"), ("truncated", "b = io.BytesIO()\ntorch.save(torch.ones(100), b)\nb = io.BytesIO(b.getvalue()[:50])"),
    ("flipped", "b = io.BytesIO()\ntorch.save({'a': torch.ones(3)}, b)\nv = bytearray(b.getvalue())\nv[len(v) // 2] ^= 255\nb = io.BytesIO(bytes(v))"),
    ("str-arg", "b = 'no-such-file.pt'"), ("int-arg", "b = 3"), ("none-arg", "b = None"),
    ("huge-bytes", "b = io.BytesIO(b'\\x00' * 10 ** 8)"), ("pickle-global", "b = io.BytesIO(b'\\x80\\x02cos\\nsystem\\nq\\x00X\\x02\\x00\\x00\\x00lsq\\x01\\x85q\\x02Rq\\x03.')"),
]
for name, body in LOAD:
    P("sl-load-" + name, "import torch\n" + IO + body + "\nprint(torch.load(b))")
P("sl-load-weights-only-false", "import torch\n" + IO + "b = io.BytesIO()\ntorch.save([1, 2], b)\nb.seek(0)\nprint(torch.load(b, weights_only=False))")
P("sl-load-map-location-bad", "import torch\n" + IO + "b = io.BytesIO()\ntorch.save(torch.ones(2), b)\nb.seek(0)\nprint(torch.load(b, map_location='cuda:0'))")
P("sl-bytesio-seek-huge", "import io\nb = io.BytesIO()\nb.seek(10 ** 12)\nb.write(b'x')\nprint(b.tell())")
P("sl-bytesio-seek-neg", "import io\nb = io.BytesIO(b'abc')\nb.seek(-5)")
P("sl-bytesio-write-loop", "import io\nb = io.BytesIO()\nfor i in range(10 ** 4):\n    b.write(b'x' * 10 ** 5)\nprint(b.tell())")
P("sl-bytesio-read-huge", "import io\nb = io.BytesIO(b'abc')\nprint(b.read(10 ** 18))")
P("sl-bytesio-str", "import io\nb = io.BytesIO('abc')")

# --- testing.assert_close / make_tensor ------------------------------------------------------------
AC = [("nan-nan", "torch.tensor(float('nan')), torch.tensor(float('nan'))"), ("nan-equal-nan", "torch.tensor(float('nan')), torch.tensor(float('nan')), equal_nan=True"),
      ("shape", "torch.ones(2), torch.ones(3)"), ("dtype", "torch.ones(2), torch.ones(2, dtype=torch.float64)"),
      ("lists", "[1, 2], [1, 3]"), ("nested", "{'a': [torch.ones(2)]}, {'a': [torch.zeros(2)]}"),
      ("rtol-only", "torch.ones(2), torch.ones(2), rtol=1e-3"), ("neg-tol", "torch.ones(2), torch.ones(2), rtol=-1.0, atol=-1.0"),
      ("nan-tol", "torch.ones(2), torch.ones(2) * 2, rtol=float('nan'), atol=float('nan')"), ("str", "'a', 'b'"),
      ("huge-mismatch", "torch.zeros(10 ** 6), torch.ones(10 ** 6)"), ("int-big", "2 ** 100, 2 ** 100 + 1"),
      ("msg-callable", "torch.ones(1), torch.zeros(1), msg=lambda m: m * 10 ** 8"), ("msg-int", "torch.ones(1), torch.zeros(1), msg=5"),
      ("self-list", "x, x"), ("inf", "torch.tensor(float('inf')), torch.tensor(float('-inf'))")]
for name, args in AC:
    P("ac-" + name, "import torch\nx = []\nx.append(x)\ntorch.testing.assert_close(" + args + ")\nprint('same')")
MT = [("huge", "(10 ** 6, 10 ** 6), dtype=torch.float32, device='cpu'"), ("neg", "(-1,), dtype=torch.float32, device='cpu'"),
      ("low-high", "(2,), dtype=torch.float32, device='cpu', low=5, high=1"), ("nan-low", "(2,), dtype=torch.float32, device='cpu', low=float('nan')"),
      ("inf-high", "(2,), dtype=torch.float32, device='cpu', high=float('inf')"), ("int-huge-high", "(2,), dtype=torch.int64, device='cpu', high=10 ** 30"),
      ("bool", "(3,), dtype=torch.bool, device='cpu'"), ("no-dtype", "(3,)"), ("str-shape", "'ab', dtype=torch.float32, device='cpu'"),
      ("dtype-str", "(2,), dtype='float32', device='cpu'"), ("noncontig", "(2, 3), dtype=torch.float32, device='cpu', noncontiguous=True"),
      ("exclude-zero", "(4,), dtype=torch.int8, device='cpu', low=0, high=1, exclude_zero=True"), ("empty", "(0, 5), dtype=torch.float64, device='cpu'"),
      ("many-dims", "(1,) * 100, dtype=torch.float32, device='cpu'")]
for name, args in MT:
    P("mt-" + name, "import torch\nt = torch.testing.make_tensor(" + args + ")\nprint(t.shape, t.dtype)")

# --- distributions ---------------------------------------------------------------------------------
D = "import torch\nfrom torch.distributions import Normal, Categorical, Bernoulli\n"
for name, args in [("normal-nan", "Normal(float('nan'), 1.0)"), ("normal-neg-scale", "Normal(0.0, -1.0)"),
                   ("normal-zero-scale", "Normal(0.0, 0.0)"), ("normal-str", "Normal('a', 1.0)"), ("normal-shape", "Normal(torch.zeros(2), torch.ones(3))"),
                   ("normal-huge", "Normal(torch.zeros(10 ** 7), 1.0)"), ("cat-empty", "Categorical(probs=torch.tensor([]))"),
                   ("cat-neg", "Categorical(probs=torch.tensor([-1.0, 2.0]))"), ("cat-nan", "Categorical(probs=torch.tensor([float('nan'), 1.0]))"),
                   ("cat-both", "Categorical(probs=torch.ones(2), logits=torch.ones(2))"), ("cat-none", "Categorical()"),
                   ("cat-0d", "Categorical(probs=torch.tensor(1.0))"), ("bern-2", "Bernoulli(2.0)"), ("bern-nan", "Bernoulli(float('nan'))"),
                   ("bern-logits-inf", "Bernoulli(logits=float('inf'))"), ("cat-huge-logits", "Categorical(logits=torch.tensor([1e30, -1e30]))")]:
    P("di-" + name, D + "d = " + args + "\nprint(d.sample(), d.log_prob(d.sample()), d.entropy())")
for name, shape in [("huge", "(10 ** 6, 10 ** 6)"), ("neg", "(-1,)"), ("str", "('a',)"), ("float", "(2.5,)"), ("big64", "(2 ** 63,)"), ("nested", "((2,),)"), ("deep", "(1,) * 200")]:
    P("di-sample-" + name, D + "d = Normal(0.0, 1.0)\nprint(d.sample(" + shape + ").shape)")
    P("di-rsample-cat-" + name, D + "d = Categorical(probs=torch.ones(3))\nprint(d.sample(" + shape + ").shape)")
P("di-log-prob-out-of-support", D + "print(Bernoulli(0.5).log_prob(torch.tensor(3.0)))")
P("di-validate-off", D + "torch.distributions.Distribution.set_default_validate_args(False)\nprint(Normal(0.0, -1.0).log_prob(torch.tensor(0.0)))")
P("di-validate-str", D + "torch.distributions.Distribution.set_default_validate_args('x')\nprint(Normal(0.0, -1.0).sample())")
P("di-kl-unknown", D + "print(torch.distributions.kl_divergence(Normal(0.0, 1.0), Bernoulli(0.5)))")
P("di-subclass-loop", D + "class N(Normal):\n    @property\n    def mean(self):\n        return self.mean\nprint(N(0.0, 1.0).mean)")

# --- LU family, triangular_solve ------------------------------------------------------------------
L = "import torch\n"
for name, a in [("empty", "torch.zeros(0, 0)"), ("0d", "torch.tensor(1.0)"), ("1d", "torch.ones(3)"), ("nan", "torch.full((3, 3), float('nan'))"),
                ("inf", "torch.full((2, 2), float('inf'))"), ("singular", "torch.zeros(3, 3)"), ("nonsquare", "torch.ones(2, 3)"),
                ("int", "torch.ones(2, 2, dtype=torch.int64)"), ("batch-huge", "torch.eye(2).expand(10 ** 6, 2, 2)"),
                ("big", "torch.ones(3000, 3000)"), ("bool", "torch.ones(2, 2, dtype=torch.bool)"), ("list", "[[1.0, 2.0], [3.0, 4.0]]")]:
    P("lu-factor-" + name, L + "A = " + a + "\nLU, piv = torch.linalg.lu_factor(A)\nprint(LU.shape, piv)")
    P("lu-full-" + name, L + "A = " + a + "\nprint(torch.linalg.lu(A)[0].shape)")
    P("lu-det-" + name, L + "A = " + a + "\nprint(torch.linalg.det(A))")
P("lu-solve-bad-piv", L + "A = torch.eye(3)\nLU, piv = torch.linalg.lu_factor(A)\nprint(torch.linalg.lu_solve(LU, piv * 100, torch.ones(3, 1)))")
P("lu-solve-neg-piv", L + "A = torch.eye(3)\nLU, piv = torch.linalg.lu_factor(A)\nprint(torch.linalg.lu_solve(LU, -piv, torch.ones(3, 1)))")
P("lu-solve-float-piv", L + "A = torch.eye(3)\nLU, piv = torch.linalg.lu_factor(A)\nprint(torch.linalg.lu_solve(LU, piv.float(), torch.ones(3, 1)))")
P("lu-solve-shape", L + "A = torch.eye(3)\nLU, piv = torch.linalg.lu_factor(A)\nprint(torch.linalg.lu_solve(LU, piv, torch.ones(4, 1)))")
P("lu-unpack-huge-piv", L + "LU = torch.eye(3)\nprint(torch.lu_unpack(LU, torch.tensor([10 ** 9, 1, 1], dtype=torch.int32)))")
P("lu-unpack-zero-piv", L + "LU = torch.eye(3)\nprint(torch.lu_unpack(LU, torch.tensor([0, 0, 0], dtype=torch.int32)))")
P("lu-unpack-mismatch", L + "print(torch.lu_unpack(torch.eye(3), torch.tensor([1, 2], dtype=torch.int32)))")
for name, args in [("shape", "torch.ones(3, 1), torch.ones(2, 2)"), ("empty", "torch.ones(0, 1), torch.ones(0, 0)"), ("nan", "torch.ones(2, 1), torch.full((2, 2), float('nan'))"),
                   ("singular", "torch.ones(2, 1), torch.zeros(2, 2)"), ("1d", "torch.ones(2), torch.eye(2)"), ("int", "torch.ones(2, 1, dtype=torch.int64), torch.eye(2, dtype=torch.int64)"),
                   ("upper-str", "torch.ones(2, 1), torch.eye(2), upper='yes'"), ("batch-broadcast", "torch.ones(5, 2, 1), torch.eye(2).expand(3, 2, 2)")]:
    P("ts-" + name, L + "print(torch.triangular_solve(" + args + "))")
    P("st-" + name, L + "print(torch.linalg.solve_triangular(*reversed((" + args.split(", upper")[0] + ",)), upper=True))")

# --- special: igamma, Bessel, airy -----------------------------------------------------------------
for fn in ["torch.igamma", "torch.igammac", "torch.special.gammainc", "torch.special.gammaincc"]:
    for name, args in [("nan", "torch.tensor(float('nan')), torch.tensor(1.0)"), ("neg", "torch.tensor(-1.0), torch.tensor(-1.0)"),
                       ("huge", "torch.tensor(1e30), torch.tensor(1e30)"), ("int", "torch.tensor(2), torch.tensor(3)"),
                       ("shape", "torch.ones(2), torch.ones(3)"), ("number", "2.0, torch.ones(2)")]:
        P("sp-%s-%s" % (fn.split(".")[-1], name), L + "print(%s(%s))" % (fn, args))
for fn in ["bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0", "modified_bessel_k1", "airy_ai", "scaled_modified_bessel_k0", "i1e", "spherical_bessel_j0"]:
    P("sp-%s-edges" % fn, L + "print(torch.special.%s(torch.tensor([0.0, -1.0, 1e30, -1e30, float('nan'), float('inf'), float('-inf')])))" % fn)
    P("sp-%s-int-bool" % fn, L + "print(torch.special.%s(torch.tensor([True, False])), torch.special.%s(torch.tensor([3])))" % (fn, fn))
    P("sp-%s-grad" % fn, L + "x = torch.tensor([0.5, 0.0], requires_grad=True)\ntorch.special.%s(x).sum().backward()\nprint(x.grad)" % fn)

# --- CTC loss --------------------------------------------------------------------------------------
C = "import torch\nimport torch.nn.functional as F\nlp = torch.randn(5, 1, 4).log_softmax(2)\n"
for name, args in [("target-long", "torch.ones(1, 10, dtype=torch.long), [5], [10]"), ("len-huge", "torch.ones(1, 2, dtype=torch.long), [10 ** 9], [2]"),
                   ("len-neg", "torch.ones(1, 2, dtype=torch.long), [-1], [2]"), ("tlen-neg", "torch.ones(1, 2, dtype=torch.long), [5], [-3]"),
                   ("blank-out", "torch.ones(1, 2, dtype=torch.long), [5], [2], blank=10"), ("blank-neg", "torch.ones(1, 2, dtype=torch.long), [5], [2], blank=-1"),
                   ("target-blank", "torch.zeros(1, 2, dtype=torch.long), [5], [2]"), ("target-big", "torch.full((1, 2), 99, dtype=torch.long), [5], [2]"),
                   ("empty-target", "torch.zeros(1, 0, dtype=torch.long), [5], [0]"), ("float-target", "torch.ones(1, 2), [5], [2]"),
                   ("reduction-bad", "torch.ones(1, 2, dtype=torch.long), [5], [2], reduction='bogus'"), ("lens-str", "torch.ones(1, 2, dtype=torch.long), 'a', [2]"),
                   ("lens-big64", "torch.ones(1, 2, dtype=torch.long), [2 ** 63], [2]"), ("nan-input", "torch.ones(1, 2, dtype=torch.long), [5], [2]")]:
    pre = "lp = torch.full((5, 1, 4), float('nan'))\n" if name == "nan-input" else ""
    P("ctc-" + name, C + pre + "print(F.ctc_loss(lp, " + args + "))")
P("ctc-huge-T", "import torch\nimport torch.nn.functional as F\nlp = torch.zeros(10 ** 6, 1, 2)\nprint(F.ctc_loss(lp, torch.ones(1, 10 ** 5, dtype=torch.long), [10 ** 6], [10 ** 5]))")
P("ctc-module-zero-inf", "import torch\nm = torch.nn.CTCLoss(zero_infinity=True)\nlp = torch.randn(2, 1, 3).log_softmax(2)\nprint(m(lp, torch.ones(1, 5, dtype=torch.long), [2], [5]))")

# --- parametrize, weight_norm, spectral_norm -----------------------------------------------------------
PZ = "import torch\nimport torch.nn as nn\nimport torch.nn.utils.parametrize as P\nm = nn.Linear(3, 3)\n"
for name, body in [("returns-int", "class R(nn.Module):\n    def forward(self, x):\n        return 1"),
                   ("returns-shape", "class R(nn.Module):\n    def forward(self, x):\n        return x[0]"),
                   ("raises", "class R(nn.Module):\n    def forward(self, x):\n        raise ValueError('r')"),
                   ("recursive", "class R(nn.Module):\n    def forward(self, x):\n        return m.weight"),
                   ("not-module", "R = lambda: (lambda x: x)"),
                   ("right-inverse-bad", "class R(nn.Module):\n    def forward(self, x):\n        return x\n    def right_inverse(self, x):\n        return 'a'"),
                   ("nan", "class R(nn.Module):\n    def forward(self, x):\n        return x * float('nan')")]:
    P("pz-" + name, PZ + body + "\nP.register_parametrization(m, 'weight', R())\nprint(m.weight.shape)\nprint(m(torch.ones(3)).shape)")
P("pz-missing-tensor", PZ + "class R(nn.Module):\n    def forward(self, x):\n        return x\nP.register_parametrization(m, 'nope', R())")
P("pz-many", PZ + "class R(nn.Module):\n    def forward(self, x):\n        return x\nfor i in range(2000):\n    P.register_parametrization(m, 'weight', R())\nprint(m.weight.sum() * 0)")
P("pz-remove-twice", PZ + "class R(nn.Module):\n    def forward(self, x):\n        return x\nP.register_parametrization(m, 'weight', R())\nP.remove_parametrizations(m, 'weight')\nP.remove_parametrizations(m, 'weight')")
P("pz-cached-loop", PZ + "class R(nn.Module):\n    def forward(self, x):\n        return x\nP.register_parametrization(m, 'weight', R())\nwith P.cached():\n    with P.cached():\n        print(m.weight.shape)")
for fn in ["torch.nn.utils.weight_norm", "torch.nn.utils.spectral_norm", "torch.nn.utils.parametrizations.weight_norm", "torch.nn.utils.parametrizations.spectral_norm"]:
    short = fn.split(".")[-2][:5] + "-" + fn.split(".")[-1]
    for name, kw in [("dim-huge", "dim=10 ** 9"), ("dim-big64", "dim=2 ** 63"), ("name-missing", "name='nope'"), ("name-int", "name=3"), ("module-int", None)]:
        if "spectral" in fn and name.startswith("dim"):
            kw = "n_power_iterations=10 ** 9" if name == "dim-huge" else "eps=-1.0"
        call = "%s(5)" % fn if kw is None else "%s(torch.nn.Linear(3, 3), %s)" % (fn, kw)
        P("wn-%s-%s" % (short, name), "import torch\nm = " + call + "\nprint(m(torch.ones(3)).shape)")
    P("wn-%s-empty" % short, "import torch\nm = %s(torch.nn.Linear(0, 0))\nprint(m(torch.ones(0)).shape)" % fn)
    P("wn-%s-nan" % short, "import torch\nl = torch.nn.Linear(3, 3)\nwith torch.no_grad():\n    l.weight.fill_(float('nan'))\nm = %s(l)\nprint(m(torch.ones(3)))" % fn)

# --- Lazy modules -------------------------------------------------------------------------------
for cls, x in [("LazyLinear(3)", "torch.ones(2, 4)"), ("LazyConv1d(2, 3)", "torch.ones(1, 2, 5)"), ("LazyConv2d(2, 3)", "torch.ones(1, 2, 5, 5)"), ("LazyBatchNorm1d()", "torch.ones(4, 3)")]:
    short = cls.split("(")[0]
    P("lz-%s-0d" % short, "import torch\nm = torch.nn.%s\nprint(m(torch.tensor(1.0)))" % cls)
    P("lz-%s-empty" % short, "import torch\nm = torch.nn.%s\nprint(m(torch.ones(0, 0)))" % cls)
    P("lz-%s-twice" % short, "import torch\nm = torch.nn.%s\nm(%s)\nprint(m(torch.ones(2, 9)))" % (cls, x))
    P("lz-%s-huge" % short, "import torch\nm = torch.nn.%s\nprint(m(torch.ones(1, 10 ** 6)).shape)" % cls)
    P("lz-%s-params-before" % short, "import torch\nm = torch.nn.%s\nprint([p.shape for p in m.parameters()])\nprint(m.weight.shape)" % cls)
    P("lz-%s-str-input" % short, "import torch\nm = torch.nn.%s\nprint(m('abc'))" % cls)
P("lz-linear-out-neg", "import torch\nm = torch.nn.LazyLinear(-3)\nprint(m(torch.ones(2, 2)))")
P("lz-linear-out-huge", "import torch\nm = torch.nn.LazyLinear(10 ** 9)\nprint(m(torch.ones(2, 2)).shape)")

# --- grid_sample / affine_grid ------------------------------------------------------------------------
for name, args in [("size-huge", "torch.zeros(1, 2, 3), [1, 1, 10 ** 6, 10 ** 6]"), ("size-neg", "torch.zeros(1, 2, 3), [1, 1, -2, 2]"),
                   ("size-short", "torch.zeros(1, 2, 3), [1, 1]"), ("theta-shape", "torch.zeros(1, 3, 3), [1, 1, 2, 2]"),
                   ("theta-nan", "torch.full((1, 2, 3), float('nan')), [1, 1, 2, 2]"), ("size-big64", "torch.zeros(1, 2, 3), [1, 1, 2 ** 63, 1]"),
                   ("size-str", "torch.zeros(1, 2, 3), 'abcd'"), ("theta-int", "torch.zeros(1, 2, 3, dtype=torch.int64), [1, 1, 2, 2]"),
                   ("5d-huge", "torch.zeros(1, 3, 4), [1, 1, 2000, 2000, 2000]"), ("batch-mismatch", "torch.zeros(2, 2, 3), [1, 1, 2, 2]")]:
    P("ag-" + name, F + "import torch\nprint(F.affine_grid(" + args + ", align_corners=False).shape)")
for name, grid, kw in [("nan-grid", "torch.full((1, 2, 2, 2), float('nan'))", ""), ("inf-grid", "torch.full((1, 2, 2, 2), float('inf'))", ""),
                       ("huge-grid", "torch.full((1, 2, 2, 2), 1e30)", ""), ("mode-bad", "torch.zeros(1, 2, 2, 2)", ", mode='cubic'"),
                       ("padding-bad", "torch.zeros(1, 2, 2, 2)", ", padding_mode='wrap'"), ("bicubic-nan", "torch.full((1, 2, 2, 2), float('nan'))", ", mode='bicubic'"),
                       ("reflection-huge", "torch.full((1, 2, 2, 2), 1e30)", ", padding_mode='reflection'"), ("grid-shape", "torch.zeros(1, 2, 2, 3)", ""),
                       ("grid-empty", "torch.zeros(1, 0, 2, 2)", ""), ("grid-huge-count", "torch.zeros(1, 3000, 3000, 2)", ""),
                       ("nearest-reflect-inf", "torch.full((1, 1, 1, 2), float('-inf'))", ", mode='nearest', padding_mode='reflection'"),
                       ("int-input", "torch.zeros(1, 2, 2, 2)", "")]:
        x = "torch.ones(1, 1, 3, 3, dtype=torch.int64)" if name == "int-input" else "torch.ones(1, 1, 3, 3)"
        P("gs-" + name, F + "import torch\nprint(F.grid_sample(%s, %s%s, align_corners=False))" % (x, grid, kw))

# --- fractional max pools, upsample ------------------------------------------------------------------
for name, kw in [("out-huge", "output_size=10 ** 6"), ("out-bigger", "output_size=9"), ("out-zero", "output_size=0"), ("ratio-1", "output_ratio=1.0"),
                 ("ratio-2", "output_ratio=2.0"), ("ratio-nan", "output_ratio=float('nan')"), ("ratio-neg", "output_ratio=-0.5"), ("both", "output_size=2, output_ratio=0.5"),
                 ("neither", ""), ("kernel-huge", "output_size=2, kernel_size=10 ** 6"), ("kernel-zero", "output_size=2, kernel_size=0"),
                 ("samples-bad", "output_size=2, _random_samples=torch.full((1, 1, 2), 5.0)"), ("samples-shape", "output_size=2, _random_samples=torch.rand(3, 3, 3)")]:
    k = "" if "kernel" in name else "kernel_size=2, "
    P("fmp2-" + name, F + "import torch\nprint(F.fractional_max_pool2d(torch.rand(1, 1, 8, 8), %s%s).shape)" % (k, kw))
    if name in ("out-huge", "ratio-nan", "neither", "kernel-zero", "samples-bad"):
        P("fmp3-" + name, F + "import torch\nprint(F.fractional_max_pool3d(torch.rand(1, 1, 8, 8, 8), %s%s).shape)" % (k, kw.replace("torch.full((1, 1, 2), 5.0)", "torch.full((1, 1, 3), 5.0)")))
P("fmp2-nan-input", F + "import torch\nprint(F.fractional_max_pool2d(torch.full((1, 1, 4, 4), float('nan')), 2, output_size=2))")
P("fmp2-empty", F + "import torch\nprint(F.fractional_max_pool2d(torch.rand(1, 0, 4, 4), 2, output_size=2).shape)")
P("fmp2-return-indices-grad", F + "import torch\nx = torch.rand(1, 1, 4, 4, requires_grad=True)\ny, i = F.fractional_max_pool2d(x, 2, output_size=2, return_indices=True)\ny.sum().backward()\nprint(x.grad.sum(), i.dtype)")
for name, kw in [("scale-huge", "scale_factor=1e10"), ("scale-neg", "scale_factor=-2.0"), ("scale-nan", "scale_factor=float('nan')"), ("scale-inf", "scale_factor=float('inf')"),
                 ("scale-zero", "scale_factor=0.0"), ("size-huge", "size=10 ** 9"), ("size-neg", "size=-4"), ("size-zero", "size=0"), ("both", "size=4, scale_factor=2.0"),
                 ("neither", ""), ("mode-bad", "scale_factor=2.0, mode='cubic'"), ("bicubic-1d", "scale_factor=2.0, mode='bicubic'"), ("size-big64", "size=2 ** 63"),
                 ("scale-tuple-short", "scale_factor=(2.0, 2.0)"), ("size-str", "size='ab'"), ("align-nearest", "scale_factor=2.0, align_corners=True"),
                 ("antialias-linear", "scale_factor=0.5, mode='linear', antialias=True"), ("recompute", "scale_factor=1e-9, recompute_scale_factor=True")]:
    P("up-" + name, F + "import torch\nprint(F.interpolate(torch.ones(1, 1, 4), %s).shape)" % kw)
P("up-module-huge", "import torch\nm = torch.nn.Upsample(scale_factor=10 ** 4, mode='nearest')\nprint(m(torch.ones(1, 1, 100, 100)).shape)")
P("up-bilinear-nan", F + "import torch\nprint(F.interpolate(torch.full((1, 1, 2, 2), float('nan')), scale_factor=2, mode='bilinear'))")
P("up-trilinear-empty", F + "import torch\nprint(F.interpolate(torch.ones(1, 0, 2, 2, 2), scale_factor=2, mode='trilinear').shape)")

# --- AdaptiveLogSoftmaxWithLoss ------------------------------------------------------------------------
A = "import torch\nimport torch.nn as nn\n"
for name, args in [("unsorted", "8, 10, [5, 3]"), ("dup", "8, 10, [3, 3]"), ("too-big", "8, 10, [11]"), ("equal-n", "8, 10, [10]"), ("zero", "8, 10, [0]"),
                   ("neg", "8, 10, [-1]"), ("empty", "8, 10, []"), ("float", "8, 10, [2.5]"), ("huge-classes", "8, 10 ** 9, [5]"), ("div-zero", "8, 10, [5], div_value=0.0"),
                   ("div-nan", "8, 10, [5], div_value=float('nan')"), ("features-zero", "0, 10, [5]"), ("str", "8, 10, 'ab'")]:
    P("al-" + name, A + "m = nn.AdaptiveLogSoftmaxWithLoss(%s)\nout = m(torch.randn(4, 8), torch.tensor([0, 1, 2, 3]))\nprint(out.output.shape, out.loss)" % args)
P("al-target-big", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m(torch.randn(2, 8), torch.tensor([0, 99])))")
P("al-target-neg", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m(torch.randn(2, 8), torch.tensor([0, -1])))")
P("al-shape", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m(torch.randn(2, 7), torch.tensor([0, 1])))")
P("al-batch-mismatch", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m(torch.randn(3, 8), torch.tensor([0, 1])))")
P("al-predict-empty", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m.predict(torch.randn(0, 8)))")
P("al-log-prob-nan", A + "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])\nprint(m.log_prob(torch.full((1, 8), float('nan'))))")

# --- swa_utils, Adafactor, Muon ---------------------------------------------------------------------
S = "import torch\nfrom torch.optim.swa_utils import AveragedModel, SWALR, update_bn\nm = torch.nn.Linear(2, 2)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\n"
for name, body in [("avg-int", "a = AveragedModel(5)\nprint(a)"), ("avg-fn-raises", "def f(a, b, n):\n    raise ValueError('f')\na = AveragedModel(m, avg_fn=f)\na.update_parameters(m)\na.update_parameters(m)"),
                   ("avg-fn-returns-int", "a = AveragedModel(m, avg_fn=lambda a, b, n: 1)\na.update_parameters(m)\na.update_parameters(m)\nprint(list(a.parameters()))"),
                   ("avg-both-fns", "a = AveragedModel(m, avg_fn=lambda a, b, n: a, multi_avg_fn=lambda a, b, n: None)"),
                   ("avg-other-model", "a = AveragedModel(m)\na.update_parameters(torch.nn.Linear(3, 3))"),
                   ("avg-many", "a = AveragedModel(m)\nfor i in range(10 ** 4):\n    a.update_parameters(m)\nprint(a.n_averaged)"),
                   ("swalr-neg", "s = SWALR(opt, swa_lr=-1.0)\ns.step()\nprint(opt.param_groups[0]['lr'])"),
                   ("swalr-anneal-zero", "s = SWALR(opt, swa_lr=0.05, anneal_epochs=0)\ns.step()\nprint(opt.param_groups[0]['lr'])"),
                   ("swalr-anneal-neg", "s = SWALR(opt, swa_lr=0.05, anneal_epochs=-3)"),
                   ("swalr-strategy", "s = SWALR(opt, swa_lr=0.05, anneal_strategy='bogus')"),
                   ("swalr-nan", "s = SWALR(opt, swa_lr=float('nan'))\nfor i in range(3):\n    s.step()\nprint(opt.param_groups[0]['lr'])"),
                   ("swalr-list-wrong", "s = SWALR(opt, swa_lr=[0.1, 0.2])"),
                   ("update-bn-empty", "update_bn([], m)\nprint('ok')"), ("update-bn-strs", "update_bn(['a', 'b'], torch.nn.BatchNorm1d(2))"),
                   ("update-bn-endless", "def g():\n    while True:\n        yield torch.ones(2, 2)\nupdate_bn(g(), m)\nprint('ok')"),
                   ("update-bn-bn", "b = torch.nn.Sequential(torch.nn.BatchNorm1d(2))\nupdate_bn([torch.full((3, 2), float('nan'))], b)\nprint(b[0].running_mean)")]:
    P("swa-" + name, S + body)
for optname in ["Adafactor", "Muon"]:
    shape = "(3, 3)"
    O = "import torch\np = torch.nn.Parameter(torch.ones%s)\n" % shape
    for name, kw in [("lr-neg", "lr=-1.0"), ("lr-nan", "lr=float('nan')"), ("lr-str", "lr='a'"), ("lr-tensor", "lr=torch.tensor(0.1)"), ("lr-huge", "lr=1e308"),
                     ("wd-neg", "lr=0.1, weight_decay=-1.0"), ("eps-neg", "lr=0.1, eps=-1.0" if optname == "Muon" else "lr=0.1, eps=(-1.0, 1e-3)"),
                     ("beta-bad", "lr=0.1, beta2_decay=1.0" if optname == "Adafactor" else "lr=0.1, momentum=-1.0"), ("kw-unknown", "lr=0.1, bogus=1"),
                     ("ns-huge", "lr=0.1, ns_steps=10 ** 7" if optname == "Muon" else "lr=0.1, d=-1.0")]:
        P("op-%s-%s" % (optname.lower(), name), O + "opt = torch.optim.%s([p], %s)\n(p * 2).sum().backward()\nopt.step()\nprint(p)" % (optname, kw))
    P("op-%s-nan-grad" % optname.lower(), O + "opt = torch.optim.%s([p], lr=0.1)\np.grad = torch.full_like(p, float('nan'))\nopt.step()\nprint(p)" % optname)
    P("op-%s-0d" % optname.lower(), "import torch\np = torch.nn.Parameter(torch.tensor(1.0))\nopt = torch.optim.%s([p], lr=0.1)\np.grad = torch.tensor(1.0)\nopt.step()\nprint(p)" % optname)
    P("op-%s-1d" % optname.lower(), "import torch\np = torch.nn.Parameter(torch.ones(4))\nopt = torch.optim.%s([p], lr=0.1)\np.grad = torch.ones(4)\nopt.step()\nprint(p)" % optname)
    P("op-%s-empty" % optname.lower(), "import torch\np = torch.nn.Parameter(torch.ones(0, 3))\nopt = torch.optim.%s([p], lr=0.1)\np.grad = torch.ones(0, 3)\nopt.step()\nprint(p)" % optname)
    P("op-%s-no-params" % optname.lower(), "import torch\nopt = torch.optim.%s([], lr=0.1)" % optname)
    P("op-%s-state-dict-bad" % optname.lower(), O + "opt = torch.optim.%s([p], lr=0.1)\nopt.load_state_dict({'state': 5, 'param_groups': 'x'})" % optname)
    P("op-%s-4d" % optname.lower(), "import torch\np = torch.nn.Parameter(torch.ones(2, 2, 2, 2))\nopt = torch.optim.%s([p], lr=0.1)\np.grad = torch.ones(2, 2, 2, 2)\nopt.step()\nprint(p.shape)" % optname)

# --- the *_copy ops, unfold, resize_ ----------------------------------------------------------------
for name, call in [("expand-huge", "torch.expand_copy(torch.ones(1), [10 ** 12])"), ("expand-neg", "torch.expand_copy(torch.ones(1), [-2])"),
                   ("expand-big64", "torch.expand_copy(torch.ones(1), [2 ** 63])"), ("view-huge", "torch.view_copy(torch.ones(4), [10 ** 12])"),
                   ("permute-dup", "torch.permute_copy(torch.ones(2, 2), [0, 0])"), ("select-huge", "torch.select_copy(torch.ones(2), 0, 10 ** 30)"),
                   ("slice-step0", "torch.slice_copy(torch.ones(4), 0, 0, 4, 0)"), ("narrow-neg", "torch.narrow_copy(torch.ones(4), 0, 0, -1)"),
                   ("split-zero", "torch.split_copy(torch.ones(4), 0)"), ("split-huge-n", "torch.split_copy(torch.ones(10 ** 6), 1)"),
                   ("unbind-0d", "torch.unbind_copy(torch.tensor(1.0))"), ("diagonal-dims", "torch.diagonal_copy(torch.ones(2, 2), 0, 0, 0)"),
                   ("transpose-huge", "torch.transpose_copy(torch.ones(2), 0, 10 ** 9)"), ("unsqueeze-huge", "torch.unsqueeze_copy(torch.ones(2), 10 ** 9)"),
                   ("t-3d", "torch.t_copy(torch.ones(2, 2, 2))"), ("squeeze-huge", "torch.squeeze_copy(torch.ones(2), 10 ** 9)"),
                   ("unfold-huge-size", "torch.unfold_copy(torch.ones(4), 0, 10 ** 9, 1)"), ("unfold-step-0", "torch.unfold_copy(torch.ones(4), 0, 2, 0)"),
                   ("unfold-step-big64", "torch.ones(4).unfold(0, 2, 2 ** 63)"), ("unfold-many", "torch.ones(10 ** 5).unfold(0, 10 ** 4, 1).sum()"),
                   ("unfold-chain", "x = torch.ones(64)\nfor i in range(5):\n    x = x.unfold(-1, 2, 1)\nprint(x.shape, x.sum())"),
                   ("F-unfold-kernel-huge", "torch.nn.functional.unfold(torch.ones(1, 1, 4, 4), 10 ** 6)"), ("F-unfold-many", "torch.nn.functional.unfold(torch.ones(1, 1, 2000, 2000), 30).shape"),
                   ("F-fold-bad", "torch.nn.functional.fold(torch.ones(1, 4, 5), (3, 3), 2)"), ("F-unfold-dil-0", "torch.nn.functional.unfold(torch.ones(1, 1, 4, 4), 2, dilation=0)"),
                   ("resize-huge", "torch.ones(2).resize_(10 ** 12)"), ("resize-neg", "torch.ones(2).resize_(-1)"), ("resize-big64", "torch.ones(2).resize_(2 ** 63)"),
                   ("resize-grad", "torch.ones(2, requires_grad=True).resize_(3)"), ("resize-view", "x = torch.ones(4)\ny = x[:2]\ny.resize_(100)\nprint(x, y.shape)"),
                   ("resize-as-huge", "torch.ones(2).resize_as_(torch.ones(3000, 3000))"), ("resize-many-dims", "torch.ones(2).resize_(*([1] * 100))"),
                   ("resize-loop", "x = torch.ones(1)\nfor i in range(1, 10 ** 4):\n    x.resize_(i)\nprint(x.shape)"), ("resize-str", "torch.ones(2).resize_('a')")]:
    body = call if "\n" in call else "print(" + call + ")"
    P("cp-" + name, "import torch\n" + body)

# --- random fills: cauchy_, log_normal_, geometric_, poisson, binomial ---------------------------------
for name, call in [("cauchy-neg-sigma", "torch.empty(3).cauchy_(0.0, -1.0)"), ("cauchy-nan", "torch.empty(3).cauchy_(float('nan'), 1.0)"),
                   ("cauchy-int", "torch.empty(3, dtype=torch.int64).cauchy_()"), ("cauchy-huge", "torch.empty(10 ** 9).cauchy_()"),
                   ("lognormal-neg-std", "torch.empty(3).log_normal_(0.0, -1.0)"), ("lognormal-huge-mean", "torch.empty(3).log_normal_(1e10, 1.0)"),
                   ("lognormal-int", "torch.empty(3, dtype=torch.int64).log_normal_()"), ("geometric-0", "torch.empty(3).geometric_(0.0)"),
                   ("geometric-1", "torch.empty(3).geometric_(1.0)"), ("geometric-2", "torch.empty(3).geometric_(2.0)"), ("geometric-nan", "torch.empty(3).geometric_(float('nan'))"),
                   ("geometric-tiny", "torch.empty(3).geometric_(1e-300)"), ("geometric-int8", "torch.empty(3, dtype=torch.int8).geometric_(1e-10)"),
                   ("geometric-bool", "torch.empty(3, dtype=torch.bool).geometric_(0.5)"), ("exponential-neg", "torch.empty(3).exponential_(-1.0)"),
                   ("poisson-neg", "torch.poisson(torch.tensor([-1.0]))"), ("poisson-nan", "torch.poisson(torch.tensor([float('nan')]))"),
                   ("poisson-huge", "torch.poisson(torch.tensor([1e30]))"), ("poisson-inf", "torch.poisson(torch.tensor([float('inf')]))"),
                   ("poisson-int", "torch.poisson(torch.tensor([3]))"), ("poisson-empty", "torch.poisson(torch.ones(0))"), ("poisson-big-count", "torch.poisson(torch.full((10 ** 6,), 1e15)).sum()"),
                   ("binomial-neg-count", "torch.binomial(torch.tensor([-5.0]), torch.tensor([0.5]))"), ("binomial-p-2", "torch.binomial(torch.tensor([5.0]), torch.tensor([2.0]))"),
                   ("binomial-nan", "torch.binomial(torch.tensor([float('nan')]), torch.tensor([0.5]))"), ("binomial-huge", "torch.binomial(torch.tensor([1e30]), torch.tensor([0.5]))"),
                   ("binomial-inf", "torch.binomial(torch.tensor([float('inf')]), torch.tensor([0.5]))"), ("binomial-shape", "torch.binomial(torch.ones(2), torch.ones(3))"),
                   ("binomial-int", "torch.binomial(torch.tensor([5]), torch.tensor([0.5]))"), ("binomial-many-huge", "torch.binomial(torch.full((10 ** 6,), 1e18), torch.full((10 ** 6,), 0.5)).sum()"),
                   ("bernoulli-p-nan", "torch.bernoulli(torch.tensor([float('nan')]))"), ("multinomial-huge", "torch.multinomial(torch.ones(3), 10 ** 9, replacement=True).shape"),
                   ("normal-std-neg", "torch.normal(0.0, -1.0, (2,))"), ("random-huge-to", "torch.empty(2, dtype=torch.int8).random_(0, 10 ** 3)")]:
    P("rf-" + name, "import torch\ntorch.manual_seed(0)\nprint(" + call + ")")

# --- legacy tensor types -------------------------------------------------------------------------------
for name, call in [("huge", "torch.FloatTensor(10 ** 12)"), ("neg", "torch.FloatTensor(-1)"), ("big64", "torch.FloatTensor(2 ** 63)"), ("str", "torch.FloatTensor('abc')"),
                   ("ragged", "torch.FloatTensor([[1], [2, 3]])"), ("nested-deep", "torch.FloatTensor([[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]])"),
                   ("float-size", "torch.FloatTensor(2.5)"), ("none", "torch.FloatTensor(None)"), ("long-of-floats", "torch.LongTensor([1.5, 2.5])"),
                   ("long-huge-value", "torch.LongTensor([2 ** 64])"), ("byte-neg", "torch.ByteTensor([-1, 256])"), ("bool-of-str", "torch.BoolTensor(['a'])"),
                   ("many-sizes", "torch.FloatTensor(*([1] * 100))"), ("mixed", "torch.FloatTensor(2, [1])"), ("tensor-arg", "torch.FloatTensor(torch.ones(2, dtype=torch.int64))"),
                   ("double-of-tensor-grad", "torch.DoubleTensor(torch.ones(2, requires_grad=True))"), ("type-str", "torch.ones(2).type('torch.FooTensor')"),
                   ("type-cuda", "torch.ones(2).type('torch.cuda.FloatTensor')"), ("isinstance", "isinstance(torch.ones(2), torch.FloatTensor)"),
                   ("subclass", "class T(torch.FloatTensor):\n    pass\nprint(T(2))"), ("generator-arg", "torch.FloatTensor(i for i in range(3))"),
                   ("range-huge", "torch.FloatTensor(range(10 ** 9))"), ("kw", "torch.FloatTensor(size=(2,))")]:
    body = call if "\n" in call else "print(" + call + ")"
    P("lt-" + name, "import torch\n" + body)

# --- compile / jit identity ---------------------------------------------------------------------------
for name, body in [("compile-int", "f = torch.compile(5)\nprint(f(1))"), ("compile-none", "f = torch.compile(None)\nprint(f)"),
                   ("compile-mode", "f = torch.compile(lambda x: x * 2, mode='bogus')\nprint(f(torch.ones(2)))"),
                   ("compile-backend", "f = torch.compile(lambda x: x, backend='inductor', fullgraph=True, dynamic=True)\nprint(f(torch.ones(2)))"),
                   ("compile-recursive", "def f(n):\n    return f(n + 1)\ng = torch.compile(f)\ng(0)"),
                   ("compile-twice-deep", "f = lambda x: x\nfor i in range(10 ** 5):\n    f = torch.compile(f)\nprint(f(1))"),
                   ("compile-module", "m = torch.compile(torch.nn.Linear(2, 2))\nprint(m(torch.ones(2)).shape, type(m).__name__)"),
                   ("compile-decorator-kw", "@torch.compile(options={'x': 1})\ndef f(x):\n    return x + 1\nprint(f(torch.ones(1)))"),
                   ("jit-script-int", "print(torch.jit.script(3))"), ("jit-script-recursive", "def f(n):\n    return f(n)\ntorch.jit.script(f)(1)"),
                   ("jit-trace-bad-inputs", "print(torch.jit.trace(lambda x: x * 2, 'a'))"), ("jit-trace-raises", "def f(x):\n    raise ValueError('t')\ntorch.jit.trace(f, torch.ones(1))"),
                   ("jit-trace-module", "m = torch.jit.trace(torch.nn.Linear(2, 2), torch.ones(2))\nprint(m(torch.ones(2)).shape)"),
                   ("jit-ignore", "@torch.jit.ignore\ndef f(x):\n    return x\nprint(f(2))"), ("jit-unused-loop", "f = lambda x: x\nfor i in range(10 ** 5):\n    f = torch.jit.script(f)\nprint(f(1))"),
                   ("compiler-disable", "f = torch.compiler.disable(lambda: 1)\nprint(f())"), ("dynamo-reset", "torch._dynamo.reset()")]:
    P("cj-" + name, "import torch\n" + body)
