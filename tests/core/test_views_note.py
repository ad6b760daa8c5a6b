"""Every op PyTorch's "Tensor Views" note lists as a view, against torch itself: `_is_view()`,
`_base`, the shared version counter, the view's node before and after an in-place write on it
or on its base, its base's node (CopySlices), the gradients that flow through the write, and the
refusal of an in-place write on a view of a leaf. The complex views (view_as_real,
view_as_complex, real, imag, conj) share memory by other means in gradsh (a dtype view; a
conjugated copy kept in step) and are checked with chains of other views around them."""

import importlib
import re

import pytest

REAL_VIEWS = {
    "slice": "lambda x: x[1:]", "as_strided": "lambda x: x.as_strided((2,), (1,))",
    "detach": "lambda x: x.detach()", "diagonal": "lambda x: x.diagonal()",
    "expand": "lambda x: x[:1].expand(3, 3)", "movedim": "lambda x: x.movedim(0, 1)",
    "narrow": "lambda x: x.narrow(0, 0, 2)", "permute": "lambda x: x.permute(1, 0)",
    "select": "lambda x: x.select(0, 1)", "split": "lambda x: x.split(1)[0]",
    "split_with_sizes": "lambda x: x.split_with_sizes([1, 2])[1]",
    "squeeze": "lambda x: x[None].squeeze(0)", "swapaxes": "lambda x: x.swapaxes(0, 1)",
    "swapdims": "lambda x: x.swapdims(0, 1)", "t": "lambda x: x.t()", "T": "lambda x: x.T",
    "H": "lambda x: x.H", "mT": "lambda x: x.mT", "mH": "lambda x: x.mH",
    "adjoint": "lambda x: x.adjoint()", "transpose": "lambda x: x.transpose(0, 1)",
    "unflatten": "lambda x: x.unflatten(1, (3, 1))", "unfold": "lambda x: x.unfold(0, 2, 1)",
    "unsqueeze": "lambda x: x.unsqueeze(0)", "view": "lambda x: x.view(9)",
    "view_as": "lambda x: x.view_as(x)", "view_dtype": "lambda x: x.view(torch.int32)",
    "unbind": "lambda x: x.unbind()[0]", "chunk": "lambda x: x.chunk(3)[1]",
    "tensor_split": "lambda x: x.tensor_split(3)[1]", "reshape": "lambda x: x.reshape(9)",
    "reshape_copy": "lambda x: x.t().reshape(9)", "contiguous": "lambda x: x.contiguous()",
    "flatten": "lambda x: x.flatten()", "ravel": "lambda x: x.ravel()",
}

COMPLEX_VIEWS = {
    "view_as_real": "torch.view_as_real", "real": "lambda t: t.real", "imag": "lambda t: t.imag",
    "conj": "lambda t: t.conj()", "view_as_real_row": "lambda t: torch.view_as_real(t)[0]",
    "conj_row": "lambda t: t.conj()[0]", "conj_real": "lambda t: t.conj().real",
    "conj_imag": "lambda t: t.conj().imag", "conj_conj": "lambda t: t.conj().conj()",
    "slice_conj": "lambda t: t[1:].conj()", "slice_view_as_real": "lambda t: torch.view_as_real(t[1:])",
    "round_trip": "lambda t: torch.view_as_complex(torch.view_as_real(t))",
}

REAL_PROGRAM = """
def node(t):
    return None if t.grad_fn is None else t.grad_fn.name()
f = {f}
w = torch.arange(9., requires_grad=True).view(3, 3) * 1
v = f(w)
print(v._is_view(), v._base is w, w._version, node(v))
try:
    v.mul_(2)
    print(w._version, v._version, node(v), node(w))
except RuntimeError as e:
    print("RuntimeError", e)
try:
    f(torch.arange(9., requires_grad=True).view(3, 3)).mul_(2)
except RuntimeError as e:
    print("RuntimeError", e)
"""

COMPLEX_PROGRAM = """
f = {f}
z = torch.tensor([1 + 2j, 3 - 4j], requires_grad=True)
w = z * 1
v = f(w)
print(v._is_view(), v._base is w, v.grad_fn.name(), v.is_conj())
w.mul_(2)
print(v._version, v.grad_fn.name(), v)
w = z * 1
v = f(w)
v.mul_(2)
print(w._version, v.grad_fn.name(), w.grad_fn.name(), w)
w.abs().sum().backward()
print(z.grad)
z.grad = None
w = z * 1
v = f(w)
v.mul_(2)
v.abs().sum().backward()
print(z.grad)
z.grad = None
w = z * 1
v = f(w)
w[0].mul_(3)
(v * v).abs().sum().backward()
print(z.grad)
try:
    f(torch.tensor([1 + 2j], requires_grad=True)).mul_(2)
except RuntimeError as e:
    print("RuntimeError", e)
"""

# the sign of a zero: PyTorch's gradient has -0 where gradsh's has +0
ZERO_SIGN = {"conj_imag"}


def _run(module, program, zero_sign=False):
    torch = importlib.import_module(module)
    lines = []
    env = {"torch": torch, "print": lambda *a: lines.append(" ".join(map(str, a)))}
    exec(program, env)
    text = "\n".join(lines)
    return re.sub(r"-(0\.0*)(?![0-9])", r"\1", text) if zero_sign else text


def _compare(program, zero_sign=False):
    pytest.importorskip("torch", reason="PyTorch is the oracle of the views sweep")
    assert _run("gradsh", program, zero_sign) == _run("torch", program, zero_sign)


@pytest.mark.parametrize("name", sorted(REAL_VIEWS))
def test_view_op_is_a_view_as_in_pytorch(name):
    _compare(REAL_PROGRAM.format(f=REAL_VIEWS[name]))


@pytest.mark.parametrize("name", sorted(COMPLEX_VIEWS))
def test_complex_view_is_a_view_with_pytorch_history_and_gradients(name):
    _compare(COMPLEX_PROGRAM.format(f=COMPLEX_VIEWS[name]), zero_sign=name in ZERO_SIGN)


def test_view_as_complex_is_a_view_of_its_real_input():
    _compare("""
x = torch.arange(6., requires_grad=True).view(3, 2) * 1
c = torch.view_as_complex(x)
print(c._is_view(), c._base is x, c.grad_fn.name())
x.mul_(2)
print(c.grad_fn.name(), c, c._version)
c.mul_(1j)
print(x, x.grad_fn.name(), c.grad_fn.name())
""")


def test_complex_views_made_under_no_grad_refuse_a_write_with_grad():
    _compare("""
z = torch.tensor([1 + 2j, 3 - 4j], requires_grad=True)
w = z * 1
with torch.no_grad():
    c = w.conj()
    r = w.real
for t in (c, r):
    try:
        t.mul_(2)
    except RuntimeError as e:
        print(e)
w.mul_(2)
try:
    (c * 1).sum()
except RuntimeError as e:
    print(e)
""")


def test_view_as_real_write_gives_the_gradient_of_the_written_values():
    # torch-free: w = z with w[0]'s imaginary part tripled, L = sum |w|^2, dL/dz = 2w (PyTorch's
    # convention: the conjugate Wirtinger gradient times 2) with the tripled part times 3
    import gradsh as torch
    z = torch.tensor([1 + 2j, 3 - 4j], dtype=torch.complex128, requires_grad=True)
    w = z * 1
    torch.view_as_real(w)[0, 1].mul_(3)
    assert w.grad_fn.name() == "torch::autograd::CopySlices"
    (w.abs() ** 2).sum().backward()
    assert z.grad.tolist() == [2 + 36j, 6 - 8j]


@pytest.mark.parametrize("f", ["lambda t: t.H", "lambda t: t.mH", "lambda t: t.adjoint()",
                               "lambda t: t.conj().t()", "lambda t: t.real.t()",
                               "lambda t: torch.view_as_real(t)[:, 0]"])
def test_conjugate_transposes_and_chains_of_complex_views_match_pytorch(f):
    _compare(f"""
f = {f}
z = torch.tensor([[1 + 2j, 3 - 4j], [5j, 6.]], requires_grad=True)
w = z * 1
v = f(w)
print(v._is_view(), v._base is w, v.grad_fn.name(), v.is_conj())
v.mul_(2)
print(v.grad_fn.name(), w.grad_fn.name(), w)
w.abs().sum().backward()
print(z.grad)
""")
