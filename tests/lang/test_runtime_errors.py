"""Runtime errors: FILE:LINE:COL, the kind and message, the source line and a caret under the
failing expression, after the chain of .grad calls; never a Python frame of gradsh itself."""

import io
import sys
import types

import pytest

from gradsh.lang import GradshError, InternalError, Session
from gradsh.lang.runtime.namespaces import Provider

from .helpers import HAS_COLUMNS, needs_columns, run_error

# program, kind, message, (line, col, end_col)
CASES = [
    ("x = 1\ny = x / 0\n", "ZeroDivisionError", "division by zero", (2, 5, 10)),
    ("print(undefined_name)\n", "NameError", "name 'undefined_name' is not defined", (1, 7, 21)),
    ("x = [1, 2]\nprint(x[5])\n", "IndexError", "list index out of range", (2, 7, 11)),
    ("d = {'a': 1}\nd['b']\n", "KeyError", "'b'", (2, 1, 7)),
    ("x = 1 + 'a'\n", "TypeError", "unsupported operand type(s) for +: 'int' and 'str'", (1, 5, 12)),
    ("x = -'a'\n", "TypeError", "bad operand type for unary -: 'str'", (1, 5, 9)),
    ("x = torch.ones(2) @ torch.ones(3)\n", "RuntimeError", "", (1, 5, 34)),
    ("x = torch.ones(2, 3)\ny = x[5]\n", "IndexError", "index 5 is out of bounds", (2, 5, 9)),
    ("assert 1 == 2, 'not equal'\n", "AssertionError", "not equal", (1, 8, 14)),  # 3.12: 1, 1, 27
    ("x = int('abc')\n", "ValueError", "invalid literal for int()", (1, 5, 15)),
    ("def f():\n    y = y + 1\nf()\n", "UnboundLocalError", "'y'", (2, 9, 10)),
    ("x = None\nx.grad\n", "AttributeError", "'NoneType' object has no attribute 'grad'", (2, 1, 7)),
    ("x = torch.ones(2)\nx.foo()\n", "AttributeError", "'Tensor' object has no attribute 'foo'",
     (2, 1, 6)),
    ("for i in 3:\n    pass\n", "TypeError", "'int' object is not iterable", (1, 10, 11)),
    ("a, b = [1, 2, 3]\n", "ValueError", "too many values to unpack", (1, 1, 5)),
    ("x = f'{1 / 0:.2f}'\n", "ZeroDivisionError", "division by zero", (1, 8, 13)),
    ("x = torch.ones(2, requires_grad=True)\nx.backward()\n", "RuntimeError",
     "grad can be implicitly created only for scalar outputs", (2, 1, 13)),
]


@pytest.mark.parametrize("program, kind, message, where", CASES, ids=[c[0][:30] for c in CASES])
def test_runtime_error_kind_message_and_span(program, kind, message, where):
    error, _ = run_error(program)
    assert not isinstance(error, InternalError), error.render()
    assert error.kind == kind
    assert message in error.message
    if HAS_COLUMNS and error.kind == "AssertionError":
        # Python 3.11 locates a failed assert at its test, 3.12 at the whole statement
        assert (error.line, error.col, error.end_col) in (where, (1, 1, len(program)))
    elif HAS_COLUMNS:
        assert (error.line, error.col, error.end_col) == where
    else:
        assert (error.line, error.col) == (where[0], None)
    assert error.source_line == program.split("\n")[where[0] - 1]


@needs_columns
def test_render_shows_call_chain_then_error_with_caret():
    error, printed = run_error(
        "def inner(v):\n    return v[0] / v[1]\n\ndef outer(v):\n    return inner(v) + 1\n\n"
        "print('start')\nouter([1, 0])\n", filename="chain.grad")
    assert printed == "start\n"
    assert error.render() == (
        "chain.grad:8:1: in <module>\n"
        "    outer([1, 0])\n"
        "    ^^^^^^^^^^^^^\n"
        "chain.grad:5:12: in outer\n"
        "    return inner(v) + 1\n"
        "           ^^^^^^^^\n"
        "chain.grad:2:12: ZeroDivisionError: division by zero\n"
        "    return v[0] / v[1]\n"
        "           ^^^^^^^^^^^")
    assert [(f.line, f.function) for f in error.frames] == [(8, "<module>"), (5, "outer"),
                                                            (2, "inner")]


@needs_columns
def test_error_inside_a_lambda_called_by_a_builtin_shows_the_lambda():
    error, _ = run_error("xs = [3, 'a', 1]\nys = sorted(xs, key=lambda v: v + 1)\n")
    assert error.kind == "TypeError"
    assert [(f.line, f.function) for f in error.frames] == [(2, "<module>"), (2, "<lambda>")]
    assert error.col == 31


def test_error_inside_a_hook_called_by_backward_shows_program_frames_only():
    error, _ = run_error(
        "x = torch.ones(2, requires_grad=True)\n"
        "def hook(g):\n    return g / undefined\n"
        "x.register_hook(hook)\n(x * 2).sum().backward()\n")
    assert error.kind == "NameError"
    assert [(f.line, f.function) for f in error.frames] == [(5, "<module>"), (3, "hook")]
    assert all(f.filename == "t.grad" for f in error.frames)
    assert "gradsh" not in error.render().replace("gradsh never", "")


@needs_columns
def test_assertion_without_message_renders_the_kind_alone():
    error, _ = run_error("assert False\n")
    assert error.kind == "AssertionError" and error.message == ""
    assert error.render().splitlines()[0] == "t.grad:1:1: AssertionError"


@needs_columns
def test_error_spanning_lines_puts_a_single_caret_at_its_start():
    error, _ = run_error("x = (1 +\n     'a')\n")
    assert (error.line, error.col, error.end_col) == (1, 6, None)
    assert error.render().splitlines()[-1] == "         ^"


def test_variables_assigned_before_an_error_stay():
    s = Session(stdout=io.StringIO())
    with pytest.raises(GradshError):
        s.run("a = 1\nb = a / 0\nc = 3\n")
    assert s.variables() == {"a": 1}


def _fake_provider(monkeypatch):
    """A provider whose function fails the way a bug in gradsh would (an AttributeError inside)."""
    module = types.ModuleType("fake_gradsh_provider")

    class Tensor:
        pass

    def broken():
        return None.missing_attribute  # noqa: B018 - the simulated bug

    def user_mistake():
        raise RuntimeError("a PyTorch-style error for a misuse")

    Tensor.__module__ = broken.__module__ = user_mistake.__module__ = module.__name__
    module.Tensor, module.broken, module.user_mistake = Tensor, broken, user_mistake
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return Provider(module.__name__)


def test_unexpected_exception_inside_gradsh_is_an_internal_error(monkeypatch):
    s = Session(stdout=io.StringIO(), provider=_fake_provider(monkeypatch))
    with pytest.raises(InternalError) as info:
        s.run("x = 1\nbroken()\n", "bug.grad")
    error = info.value
    assert isinstance(error.original, AttributeError)
    assert (error.line, error.kind) == (2, "InternalError")
    assert "please report" in error.render()


def test_expected_error_from_gradsh_code_is_a_user_error(monkeypatch):
    s = Session(stdout=io.StringIO(), provider=_fake_provider(monkeypatch))
    with pytest.raises(GradshError) as info:
        s.run("user_mistake()\n")
    assert not isinstance(info.value, InternalError)
    assert info.value.kind == "RuntimeError"


def test_warnings_are_located_in_the_program_and_go_to_the_session_stderr():
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.grad)\n", "w.grad")
    assert out.getvalue() == "None\n"
    # Python's form: file:line, the message, the line indented by two spaces
    assert err.getvalue().startswith("w.grad:3: UserWarning: The .grad attribute of a Tensor "
                                     "that is not a leaf Tensor is being accessed.")
    assert err.getvalue().endswith("\n  print(y.grad)\n")


def test_numpy_floating_point_warnings_never_print():
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(
        "print(torch.tensor([1.0]) / 0, torch.log(torch.tensor([-1.0])), torch.exp(torch.tensor([1e4])))\n")
    assert out.getvalue() == "tensor([inf]) tensor([nan]) tensor([inf])\n"
    assert err.getvalue() == ""


def test_python_compile_warnings_are_reported_in_pythons_format():
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run("x = 1\nif x is 1:\n    print('one')\n", "w.grad")
    assert out.getvalue() == "one\n"
    # the wording is Python's own ('"is" with a literal', '"is" with \'int\' literal' in 3.12)
    assert err.getvalue().startswith('w.grad:2: SyntaxWarning: "is" with ')
    assert err.getvalue().endswith('Did you mean "=="?\n  if x is 1:\n')


def test_frames_are_five_tuples_with_an_end_column():
    error, _ = run_error("def f(v):\n    return v / 0\nf(1)\n")
    (file1, line1, col1, fn1, src1), (file2, line2, col2, fn2, src2) = error.frames
    assert (file1, line1, fn1, src1) == ("t.grad", 3, "<module>", "f(1)")
    assert (file2, line2, fn2, src2) == ("t.grad", 2, "f", "    return v / 0")
    if HAS_COLUMNS:
        assert (col2, error.frames[1].end_col) == (12, 17)
