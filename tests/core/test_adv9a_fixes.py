"""Fixes found by running PyTorch's own tutorials and notes as a learner would (branch adv9a,
tests/data/learner_programs/adv9a_*.grad): one test per class of difference. Expected values
are PyTorch 2.13's (run here when it is installed) or mathematics."""

import io
import warnings

import numpy as np
import pytest

import gradsh
from gradsh.lang import GradshError, Session


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


def _run(source):
    """What a .grad program prints (an escaping error as its last line)."""
    out = io.StringIO()
    try:
        Session(stdout=out, stderr=io.StringIO()).run(source.encode(), "prog.grad")
    except GradshError as e:
        out.write("!! %s: %s\n" % (e.kind, e.message))
    return out.getvalue()


# ----- factories fill out= (the YouTube series' `torch.rand(2, 2, out=c)`) --------------------
FACTORY_CALLS = {
    "rand": lambda L, c: L.rand(2, 2, out=c),
    "randn": lambda L, c: L.randn(2, 2, out=c),
    "rand_resized": lambda L, c: L.rand(3, out=c),
    "zeros": lambda L, c: L.zeros(2, 2, out=c),
    "ones": lambda L, c: L.ones(2, 3, out=c),
    "full": lambda L, c: L.full((2, 2), 1.5, out=c),
    "eye": lambda L, c: L.eye(2, out=c),
    "linspace": lambda L, c: L.linspace(0, 1, 4, out=c),
    "logspace": lambda L, c: L.logspace(0, 1, 3, out=c),
    "randint": lambda L, c: L.randint(0, 5, (2, 2), out=c),
    "randperm": lambda L, c: L.randperm(4, out=c),
    "normal": lambda L, c: L.normal(L.zeros(2, 2), 1.0, out=c),
    "dtype_given": lambda L, c: L.zeros(2, 2, dtype=L.float64, out=c),
    "rand_into_int": lambda L, c: L.rand(2, out=c.long()),
    "full_into_int": lambda L, c: L.full((2,), 1.5, out=c.long()),
}


def _factory_result(lib, call):
    lib.manual_seed(0)
    c = lib.zeros(2, 2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = call(lib, c)
    except Exception as e:  # noqa: BLE001 - the error is the result compared
        return type(e).__name__, str(e).split("\n")[0]
    return r is c or None, str(r.dtype), tuple(r.shape), np.asarray(r.tolist()).round(6).tolist()


@pytest.mark.parametrize("name", sorted(FACTORY_CALLS))
def test_factories_write_into_out_as_pytorch(name):
    torch = _torch()
    call = FACTORY_CALLS[name]
    assert _factory_result(gradsh, call) == _factory_result(torch, call)


def test_factory_out_refuses_a_tensor_that_requires_grad():
    torch = _torch()
    for lib in (torch, gradsh):
        with pytest.raises(RuntimeError) as e:
            lib.zeros(2, out=lib.zeros(2, requires_grad=True))
        assert str(e.value).startswith("aten::zeros(): functions with out=...")


# ----- torch.backends.cudnn flags (the reproducibility note's `cudnn.benchmark = False`) -------
def test_cudnn_flags_can_be_set_read_and_scoped_in_a_program():
    # (process-wide flags, as PyTorch's: an earlier program may have set them)
    out = _run("torch.backends.cudnn.deterministic = False\n"
               "torch.backends.cudnn.benchmark = True\n"
               "print(torch.backends.cudnn.benchmark)\n"
               "torch.backends.cudnn.benchmark = False\n"
               "with torch.backends.cudnn.flags(enabled=True, deterministic=True):\n"
               "    print(torch.backends.cudnn.deterministic)\n"
               "print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)\n"
               "try:\n"
               "    torch.backends.cudnn.deterministic = 1\n"
               "except RuntimeError as e:\n"
               "    print(e)\n"
               "torch.backends.cudnn.version = 3\n")
    lines = out.splitlines()
    assert lines[:4] == ["True", "True", "False False",
                         "set_deterministic_cudnn expects a bool, but got int"]
    assert lines[4].startswith("!! AttributeError: cannot assign torch.backends.cudnn.version")


# ----- dir() of a node lists its saved values (the autograd mechanics note) --------------------
def test_dir_of_a_node_lists_the_saved_values_pytorch_lists():
    torch = _torch()
    expected = [n for n in dir(torch.randn(3, requires_grad=True).pow(2).grad_fn)
                if "saved" in n and not n.startswith("__")]
    out = _run("x = torch.randn(3, requires_grad=True)\n"
               "print([n for n in dir(x.pow(2).grad_fn) if 'saved' in n])\n")
    assert out == "%s\n" % expected


# ----- modules the tutorials import -------------------------------------------------------------
def test_torch_functional_offers_pytorchs_names():
    _torch()
    import torch.functional as tf
    import gradsh.functional as gf
    assert gf.__all__ == tf.__all__
    out = _run("import torch.functional as F\nprint(F.einsum('i,i->', torch.ones(3), torch.ones(3)))\n"
               "import torch.nn.parallel\nprint(torch.nn.parallel.DataParallel)\n")
    assert out == "tensor(3.)\n<class 'torch.nn.parallel.data_parallel.DataParallel'>\n"


def test_unicodedata_strips_accents_as_nlp_from_scratch_does():
    out = _run("import unicodedata\n"
               "s = 'Ślusàrski'\n"
               "print(''.join(c for c in unicodedata.normalize('NFD', s)"
               " if unicodedata.category(c) != 'Mn'))\n"
               "print(unicodedata.name('a'), unicodedata.is_normalized('NFC', s))\n")
    assert out == "Slusarski\nLATIN SMALL LETTER A True\n"


# ----- torch.func.vjp / jvp with a dict of parameters (the NTK tutorial) ------------------------
def test_vjp_and_jvp_take_pytree_primals():
    torch = _torch()

    def run(lib):
        from_lib = lib.func
        params = {"w": lib.tensor([1.0, 2.0], dtype=lib.float64),
                  "b": lib.tensor(0.5, dtype=lib.float64)}

        def f(p):
            return (p["w"] ** 2).sum() * p["b"] + p["w"]

        out, vjp_fn = from_lib.vjp(f, params)
        (cot,) = vjp_fn(lib.tensor([1.0, -1.0], dtype=lib.float64))
        _, tangent_out = from_lib.jvp(f, (params,), (cot,))
        return (out.tolist(), sorted(cot), cot["w"].tolist(), cot["b"].item(),
                tangent_out.tolist())

    assert run(gradsh) == run(torch)
