"""Fixes of hostile round 20 (issue 16, docs/security.md "A twentieth round") in the language:
`|` and `|=` on a program class's `__dict__` (a mappingproxy view) and on a module's read-only
state views, checked against Python (the class's dict) and PyTorch (the module's dicts)."""

import contextlib
import io

import pytest

from .helpers import run_error, run_program, run_python

CLASS = "class C:\n    x = 1\n    def f(self):\n        return 2\n"


def test_or_of_a_class_dict_is_a_new_dict_as_in_python():
    source = CLASS + ("d = C.__dict__ | {'y': 1}\nprint(type(d).__name__, d['y'], hasattr(C, 'y'))\n"
                      "e = {'z': 2} | C.__dict__\nprint(type(e).__name__, sorted(e)[-3:])\n")
    assert run_program(source) == run_python(source)


def test_in_place_or_of_a_class_dict_is_pythons_type_error():
    source = CLASS + "d = C.__dict__\nd |= {'y': 1}\n"
    with pytest.raises(TypeError) as python:
        run_python(source)
    error, _ = run_error(source)
    assert (error.kind, error.message, error.line) == ("TypeError", str(python.value), 6)


def _pytorchs(source):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the module's dicts")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<torch>", "exec"), {"torch": torch})
    return out.getvalue()


def test_or_of_a_module_state_view_is_a_new_dict_as_in_pytorch():
    source = ("import torch\nm = torch.nn.Linear(1, 1)\nd = m._parameters | {'x': None}\n"
              "print(type(d).__name__, list(d), list(m._parameters))\n"
              "print(type({'a': 1} | m._forward_hooks).__name__)\n")
    assert run_program(source) == _pytorchs(source)


def test_in_place_or_of_a_module_state_view_is_the_read_only_refusal():
    error, _ = run_error("import torch\nm = torch.nn.Linear(1, 1)\np = m._parameters\n"
                         "p |= {'x': None}\nprint(list(m._parameters))\n")
    assert (error.kind, error.line) == ("TypeError", 4)
    assert error.message.startswith("module._parameters is a read-only view in gradsh")


def test_an_error_at_the_memory_ceiling_is_the_programs_without_a_suggestion(monkeypatch):
    """At the process ceiling (a UserDict filled in a loop under a 6 GiB cap) the lazy import of
    the did-you-mean helper failed with MemoryError and the program's located error became an
    internal error (exit 70): the error now goes without a suggestion."""
    import builtins
    real = builtins.__import__

    def import_at_the_ceiling(name, *args, **kwargs):
        if name == "suggest":
            raise MemoryError
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", import_at_the_ceiling)
    error, _ = run_error("x = [1]\nx.appendd(2)\n")
    assert (error.kind, error.line) == ("AttributeError", 2)
    assert error.message == "'list' object has no attribute 'appendd'"
