"""Branch adv11a (issue 15's blind adversarial round over PyTorch's intermediate tutorials and
recipes: checkpointing, parametrize, pruning, CPU autocast, save/load, torch.func): each class
of difference the adv11a_* learner programs found, as a short program run by gradsh as a .grad
program and by Python under `import gradsh as torch`, against PyTorch itself (the oracle;
skipped without it)."""

import pytest

from gradsh.lang import GradshError

from .helpers import run_program
from .test_adv5d_fixes import assert_like_pytorch  # (the program both ways, against torch)

# non-reentrant checkpoint: an input changed in place between the forward and the backward's
# recomputation is PyTorch's version error (gradsh recomputed with the changed value, silently)
CHECKPOINT_INPUT_VERSIONS = """import torch
checkpoint = torch.utils.checkpoint.checkpoint
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
for change in ["add_", "mul_", "none", "kwarg"]:
    b = a * 1
    if change == "kwarg":
        y = checkpoint(lambda t, s=None: t * s, b, s=b.detach(), use_reentrant=False)
    else:
        y = checkpoint(lambda t: (t * t).sum(0, keepdim=True), b, use_reentrant=False)
    if change == "add_":
        b.add_(1)
    elif change == "mul_":
        b.mul_(2)
    try:
        y.sum().backward()
        print(change, a.grad)
    except RuntimeError as e:
        print(change, type(e).__name__, e)
    a.grad = None
leaf = torch.tensor([2.0], requires_grad=True)
y = checkpoint(torch.exp, leaf, use_reentrant=False)
with torch.no_grad():
    leaf.mul_(3)
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, e)
with torch.inference_mode():
    frozen = torch.ones(2)
for reentrant in [False, True]:
    try:
        checkpoint(lambda u, v: u * v, frozen, leaf.detach().requires_grad_(),
                   use_reentrant=reentrant).sum().backward()
        print("no error")
    except RuntimeError as e:
        print(type(e).__name__, e)
with torch.no_grad():
    print(checkpoint(lambda u: u * 2, frozen, use_reentrant=False))
"""


def test_non_reentrant_checkpoint_checks_its_inputs_versions():
    assert_like_pytorch(CHECKPOINT_INPUT_VERSIONS)


# torch.amp.custom_fwd / custom_bwd: the forward in the region as it is or (cast_inputs) with
# its floating inputs cast and autocast off; the backward in the forward's autocast state
CUSTOM_FWD = """import torch
def make(cast):
    class MM(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu", cast_inputs=cast)
        def forward(ctx, a, b, scale=1.0):
            ctx.save_for_backward(a, b)
            print("fwd", a.dtype, b.dtype, torch.is_autocast_enabled("cpu"))
            return a.mm(b) * scale
        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            print("bwd", g.dtype, torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
            return g.mm(b.t()), a.t().mm(g), None
    return MM
a = torch.ones(2, 3, requires_grad=True)
b = torch.ones(3, 2, dtype=torch.float64, requires_grad=True)
c = torch.ones(3, 2, requires_grad=True)
for cast in [None, torch.float32, torch.bfloat16]:
    for on in [True, False]:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=on):
            out = make(cast).apply(a, c)
            out2 = make(cast).apply(a.bfloat16(), c.bfloat16(), 2.0)
            out3 = make(cast).apply(a.double(), b)
        print(cast, on, out.dtype, out2.dtype, out3.dtype)
        out.sum().backward()
        print(a.grad.dtype)
        a.grad = None
for bad in [lambda: torch.amp.custom_fwd(lambda ctx: 0, device_type=None),
            lambda: torch.amp.custom_bwd(device_type=3)]:
    try:
        bad()
    except ValueError as e:
        print(type(e).__name__, e)
"""


def test_amp_custom_fwd_and_custom_bwd():
    assert_like_pytorch(CUSTOM_FWD)


# torch.func.vjp: vjp_fn takes the cotangents as one pytree shaped as f's output; any other
# structure is PyTorch's error naming both structures (gradsh took the first leaves it found)
VJP_STRUCTURE = """import torch
vjp = torch.func.vjp
x = torch.tensor([1.0, 2.0])
o = torch.ones(2)
cases = [(lambda a: (a, a * 2), o), (lambda a: (a, a * 2), [o, o]),
         (lambda a: (a, a * 2), (o, o, o)), (lambda a: a * 2, (o,)), (lambda a: a * 2, [o]),
         (lambda a: {"u": a, "v": [a, a]}, {"u": o, "v": (o, o)}),
         (lambda a: {"u": a, "v": [a, a]}, {"u": o, "w": [o, o]}),
         (lambda a: {"u": a, "v": [a, a]}, {"u": o, "v": [o, o]}),
         (lambda a: [a], (o,)), (lambda a: (a, (a, a)), (o, (o, o))), (lambda a: a, o)]
for f, cot in cases:
    try:
        _, fn = vjp(f, x)
        print(fn(cot))
    except RuntimeError as e:
        print(type(e).__name__, e)
"""


def test_func_vjp_checks_the_cotangents_structure():
    assert_like_pytorch(VJP_STRUCTURE)


# functional_call: keys in several dicts are listed (as a list) in PyTorch's message; tied names
# given different tensors are refused before strict's missing/unexpected keys
FUNCTIONAL_CALL_CHECKS = """import torch
nn = torch.nn
functional_call = torch.func.functional_call
class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2, bias=False)
        self.b = self.a
        self.register_buffer("s", torch.zeros(2))
    def forward(self, x):
        return self.b(self.a(x)) + self.s
x = torch.ones(1, 2)
e = torch.eye(2)
for strict in [True, False]:
    for given in [{"a.weight": e, "b.weight": 2 * e}, ({"a.weight": e}, {"a.weight": e}),
                  ({"a.weight": e, "s": e[0]}, {"s": e[0], "a.weight": e}),
                  ({"a.weight": e}, {"s": e[0]}, {"s": e[0], "a.weight": e}),
                  {"a.weight": e, "nope": e}, {"a.weight": e}]:
        try:
            print(functional_call(Tied(), given, (x,), strict=strict).shape)
        except (ValueError, RuntimeError) as err:
            print(type(err).__name__, err)
"""


def test_functional_call_checks_in_pytorchs_order_and_words():
    assert_like_pytorch(FUNCTIONAL_CALL_CHECKS)


# torch.save/torch.load: one tensor object saved in several places loads as one object (pickle's
# memo, which PyTorch's format keeps); an empty buffer, or one read from its end, is EOFError
SAVE_LOAD_IDENTITY = """import io
import torch
lin = torch.nn.Linear(2, 2)
t = torch.arange(4.0)
buf = io.BytesIO()
torch.save({"a": t, "b": [t, t[1:]], "p": lin.weight, "q": (lin.weight,), "c": t.clone()}, buf)
print(torch.load(io.BytesIO(buf.getvalue())).keys())
d = torch.load(io.BytesIO(buf.getvalue()))
print(d["a"] is d["b"][0], d["a"] is d["c"], d["p"] is d["q"][0], type(d["p"]).__name__)
d["b"][1][0] = 7.0
print(d["a"], d["c"])
try:
    torch.load(buf)
except EOFError as e:
    print("EOFError", repr(str(e)))
try:
    torch.load(io.BytesIO(b""))
except EOFError as e:
    print("EOFError", repr(str(e)))
"""


def test_save_load_keeps_tensor_identity_and_an_empty_buffer_is_eof():
    assert_like_pytorch(SAVE_LOAD_IDENTITY)


# CPU autocast widens the LAPACK ops' bfloat16/float16 inputs to float32 (PyTorch's float32
# list); gradsh ran them on bfloat16 and refused it
AUTOCAST_LAPACK = """import torch
la = torch.linalg
sq = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])
L = la.cholesky(sq)
ops = {"cholesky": lambda m: la.cholesky(m), "cholesky_ex": lambda m: la.cholesky_ex(m)[0],
       "cholesky_solve": lambda m: torch.cholesky_solve(m, L.to(m.dtype)),
       "cholesky_inverse": lambda m: torch.cholesky_inverse(L.to(m.dtype)),
       "inv": lambda m: la.inv(m), "inv_ex": lambda m: la.inv_ex(m)[0],
       "inverse": lambda m: m.inverse(), "solve": lambda m: la.solve(m, m),
       "eigh": lambda m: la.eigh(m)[0], "eigvalsh": lambda m: la.eigvalsh(m),
       "eig": lambda m: la.eig(m)[0], "eigvals": lambda m: la.eigvals(m),
       "svd": lambda m: la.svd(m)[1], "svdvals": lambda m: la.svdvals(m),
       "qr": lambda m: la.qr(m)[1], "lstsq": lambda m: la.lstsq(m, m)[0],
       "geqrf": lambda m: torch.geqrf(m)[0],
       "householder_product": lambda m: la.householder_product(m, m[0]),
       "cond": lambda m: la.cond(m), "tensorinv": lambda m: la.tensorinv(m, 1),
       "det": lambda m: la.det(m), "lu_factor": lambda m: la.lu_factor(m)[0]}
for name, f in ops.items():
    for dtype in [torch.float32, torch.bfloat16, torch.float16, torch.float64]:
        try:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                print(name, dtype, f(sq.to(dtype)).dtype)
        except (RuntimeError, NotImplementedError) as e:
            print(name, dtype, type(e).__name__, e)
x = sq.bfloat16().requires_grad_()
with torch.autocast("cpu", dtype=torch.bfloat16):
    y = la.inv(x)
print(y.dtype, y.grad_fn.name())
y.sum().backward()
print(x.grad.dtype)
"""


def test_cpu_autocast_widens_the_lapack_ops():
    assert_like_pytorch(AUTOCAST_LAPACK)


# .grad programs: a torch class's constant class attributes are readable, and so are a torch
# module's parameters and buffers registered under '_' names (its other '_' names are not)
READABLE_NAMES = """import torch
nn = torch.nn
print(nn.Linear.call_super_init)
torch.manual_seed(0)
lin = nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2))
sn = lin.parametrizations.weight[0]
print(sn._u.shape, sn._v.shape, sn._u is dict(sn.named_buffers())["_u"])
"""


def test_class_constants_and_underscore_registered_state_are_readable():
    assert_like_pytorch(READABLE_NAMES)


def test_pruning_methods_pruning_type_is_readable():
    pytest.importorskip("torch", reason="PyTorch is the oracle")
    import torch.nn.utils.prune as prune
    names = ("L1Unstructured", "RandomUnstructured", "LnStructured", "RandomStructured",
             "Identity", "CustomFromMask")
    source = "import torch.nn.utils.prune as prune\n" + "".join(
        "print(prune.%s.PRUNING_TYPE)\n" % n for n in names)
    assert run_program(source) == "".join(
        "%s\n" % getattr(prune, n).__dict__.get("PRUNING_TYPE", None) for n in names)


@pytest.mark.parametrize("source, refused", [
    ("import torch\nfrom torch import nn\nnn.Linear(2, 2)._apply\n", "_apply"),
    # (nn.Linear(2, 2)._version is PyTorch's data, readable since branch lang21)
    ("import torch\nfrom torch import nn\nnn.Linear(2, 2)._SIZES\n", "_SIZES"),
    ("import torch\nfrom torch import nn\nm = nn.utils.parametrizations.spectral_norm("
     "nn.Linear(3, 2))\nm.parametrizations.weight[0]._power_method\n", "_power_method"),
    ("import torch\nimport torch.nn.utils.prune as prune\nprune.L1Unstructured._tensor_name\n",
     "_tensor_name"),
])
def test_other_private_names_stay_refused(source, refused):
    with pytest.raises(GradshError, match="'%s' is not accessible" % refused):
        run_program(source)
