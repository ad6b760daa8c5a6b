"""The Session API the command line and the REPL are written against."""

import io
import os

import pytest

from gradsh.lang import GradshError, GradshSyntaxError, Session, check_complete

from .helpers import new_session


def test_variables_persist_between_runs():
    s = new_session()
    s.run("x = 2\ndef double(v):\n    return v * 2\n")
    s.run("print(double(x))\n")
    assert s.output.getvalue() == "4\n"
    assert s.variables()["x"] == 2
    assert "double" in s.variables()


def test_globals_is_the_live_namespace_and_variables_hides_builtins():
    s = new_session()
    s.run("a = 1\n")
    s.globals["b"] = 5
    s.run("print(a + b)\n")
    assert s.output.getvalue() == "6\n"
    assert set(s.variables()) == {"a", "b"}
    assert "__builtins__" in s.globals


def test_reset_forgets_everything():
    s = new_session()
    s.run("a = 1\n")
    s.reset()
    assert s.variables() == {}
    with pytest.raises(GradshError) as info:
        s.run("print(a)\n")
    assert info.value.kind == "NameError"


def test_print_goes_to_the_injected_stdout_only(capsys):
    s = new_session()
    s.run("print('to the session')\n")
    assert s.output.getvalue() == "to the session\n"
    assert capsys.readouterr().out == ""


def test_run_does_not_echo_expression_values():
    s = new_session()
    s.run("1 + 1\n'text'\n")
    assert s.output.getvalue() == ""


def test_run_interactive_reports_expression_values_except_none():
    s = new_session()
    values = []
    s.on_value = values.append
    s.run_interactive("1 + 1\nx = 5\nx\nNone\nprint('p')\n'abc'\n")
    assert values == [2, 5, "abc"]
    assert s.output.getvalue() == "p\n"


def test_default_value_report_prints_the_repr():
    s = new_session()
    s.run_interactive("'abc'\ntorch.ones(2)\n[1, 2]\n")
    assert s.output.getvalue() == "'abc'\ntensor([1., 1.])\n[1, 2]\n"


def test_echo_option_makes_run_report_values():
    s = new_session(echo=True)
    s.run("3 * 3\n")
    assert s.output.getvalue() == "9\n"


def test_gradients_changed_by_a_statement_are_reported_with_names():
    s = new_session()
    reports = []
    s.on_grads = lambda pairs: reports.append(sorted((name, t.grad.tolist()) for name, t in pairs))
    s.run_interactive(
        "w = torch.ones(2, requires_grad=True)\nparams = [torch.ones(1, requires_grad=True)]\n"
        "loss = (w * 3).sum() + (params[0] * 2).sum()\n"
        "loss.backward()\n"
        "print('no backward here')\n")
    assert reports == [[("params[0]", [2.0]), ("w", [3.0, 3.0])]]


def test_a_model_too_deep_to_walk_does_not_stop_the_gradients_report():
    # a chain of 5,000 modules is deeper than named_parameters can recurse: the leaf is still
    # reported (the kernel failed here with an internal RecursionError)
    s = new_session()
    reports = []
    s.on_grads = lambda pairs: reports.append([name for name, t in pairs])
    s.run_interactive("import torch.nn as nn\nm = nn.Linear(1, 1)\nfor i in range(5000):\n"
                      "    n = nn.Sequential()\n    n.inner = m\n    m = n\n")
    s.run_interactive("y = torch.ones(2, requires_grad=True).exp()\ny.sum().backward()\n")
    assert reports == [["(unnamed leaf)"]]


def test_a_loop_with_several_backwards_reports_once_after_the_loop():
    s = new_session()
    reports = []
    s.on_grads = reports.append
    s.run_interactive("w = torch.ones(1, requires_grad=True)\nfor i in range(3):\n"
                      "    (w * i).sum().backward()\n")
    assert len(reports) == 1
    assert reports[0][0][0] == "w"
    assert reports[0][0][1].grad.tolist() == [3.0]


def test_default_grads_report():
    s = new_session()
    s.run_interactive("x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n")
    assert s.output.getvalue() == "x.grad = tensor([2., 2.])\n"


def test_interactive_statements_before_an_error_have_run():
    s = new_session()
    with pytest.raises(GradshError):
        s.run_interactive("a = 1\nb = 1 / 0\nc = 2\n")
    assert s.variables() == {"a": 1}


def test_syntax_error_in_interactive_input_runs_nothing():
    s = new_session()
    with pytest.raises(GradshSyntaxError):
        s.run_interactive("print('no')\nx = (\n")
    assert s.output.getvalue() == ""


class _InterruptingStream(io.StringIO):
    def write(self, text):
        if "stop" in text:
            raise KeyboardInterrupt
        return super().write(text)


def test_keyboard_interrupt_propagates_and_keeps_variables():
    s = Session(stdout=_InterruptingStream())
    with pytest.raises(KeyboardInterrupt):
        s.run("a = 1\nprint('stop')\nb = 2\n")
    assert s.variables() == {"a": 1}
    s.run("def f(n):\n    return f(n - 1) if n else 0\n")
    with pytest.raises(KeyboardInterrupt):
        s.run("def g(n):\n    if n == 0:\n        print('stop')\n    return g(n - 1)\ng(500)\n")
    s.run("print(f(900))\n")  # the depth counter was unwound by the interrupt


def test_max_print_chars_caps_long_output_with_a_note():
    s = new_session(max_print_chars=10)
    s.run("print('x' * 25)\nprint('short')\n")
    assert s.output.getvalue() == "xxxxxxxxxx\n[... 16 more characters not shown]\nshort\n"
    s = new_session()
    s.run("print('x' * 25)\n")
    assert s.output.getvalue() == "x" * 25 + "\n"


def test_argv_is_visible_to_the_program():
    s = new_session(argv=["prog.grad", "--lr", "0.1"])
    s.run("print(argv)\n")
    assert s.output.getvalue() == "['prog.grad', '--lr', '0.1']\n"


def test_bytes_source_and_filename_in_errors():
    s = new_session()
    with pytest.raises(GradshError) as info:
        s.run(b"x = 1\nx.foo\n", "my_script.grad")
    assert info.value.filename == "my_script.grad"
    assert info.value.render().startswith(("my_script.grad:2:1: AttributeError",
                                           "my_script.grad:2: AttributeError"))


def test_names_lists_variables_builtins_and_torch_names_but_no_helpers():
    s = new_session()
    s.run("my_var = 1\n")
    names = s.names()
    for name in ("my_var", "print", "torch", "math", "ones", "no_grad", "range"):
        assert name in names
    assert not any(name.startswith(".") for name in names)
    assert "getattr" in names and "delattr" in names and "eval" not in names


def test_torch_names_are_available_unprefixed_and_python_builtins_win():
    s = new_session()
    s.run("print(ones(2), sum([1, 2]), max(1, 3), abs(-2), float(1), round(2.5))\n"
          "with no_grad():\n    print(is_grad_enabled())\n")
    assert s.output.getvalue() == "tensor([1., 1.]) 3 3 2 1.0 2\nFalse\n"


def test_torch_and_math_are_available_without_import():
    s = new_session()
    s.run("print(torch.ones(1), math.sqrt(4))\nimport torch as t\nprint(t is torch)\n")
    assert s.output.getvalue() == "tensor([1.]) 2.0\nTrue\n"


def test_import_forms():
    s = new_session()
    s.run("import torch\nimport torch.nn.functional as F\nimport torch.nn.functional\n"
          "from torch import ones, no_grad as ng\nfrom torch.nn import functional\nimport math as m\n"
          "print(F.relu(torch.tensor([-1.0, 2.0])), functional is F, torch.nn.functional is F, "
          "ones(1), m.floor(1.5))\nwith ng():\n    pass\n")
    assert s.output.getvalue() == "tensor([0., 2.]) True True tensor([1.]) 1\n"


@pytest.mark.parametrize("text, state", [
    ("x = 1", "complete"),
    ("", "complete"),
    ("print(1)\n", "complete"),
    ("if x:", "incomplete"),
    ("if x:\n    y = 1", "incomplete"),
    ("if x:\n    y = 1\n", "complete"),
    ("for i in range(3):\n    print(i)\n    ", "complete"),
    ("def f():\n    return 1\n\n", "complete"),
    ("f(1,", "incomplete"),
    ("x = [1,\n 2", "incomplete"),
    ("x = '''abc", "incomplete"),
    ("x = \\", "incomplete"),
    ("x +", "invalid"),
    (")", "invalid"),
    ("x = 'abc", "invalid"),
    ("if x:\nprint(1)", "invalid"),
    ("class A:", "incomplete"),
    ("class A:\n    pass\n\n", "complete"),
    ("try:\n    pass\nexcept:\n    pass\n\n", "complete"),
    ("x = $", "invalid"),
    # blocks closing at the end before what they need: the next line may bring it (codeop)
    ("class A:\n    @staticmethod", "incomplete"),
    ("class A:\n    @staticmethod\n", "invalid"),
    ("for i in x:\n    try:\n        y = i", "incomplete"),
    ("for i in x:\n    try:\n        y = i\n", "invalid"),
    # match is a block; `match` and `case` stay names elsewhere
    ("match x:", "incomplete"),
    ("match x:\n    case 1:", "incomplete"),
    ("match x:\n    case [a, *b] if a:\n        print(b)", "incomplete"),
    ("match x:\n    case {'k': v}:\n        print(v)\n", "complete"),
    ("match x:\n    case (1,\n          2):\n        pass\n", "complete"),
    ("match = 3", "complete"),
    ("match(x)", "complete"),
    ("case.y = 1", "complete"),
    ("match x:\n    print(1)\n", "invalid"),
    ("try:\n    pass\nexcept* ValueError:\n    pass", "incomplete"),
    ("try:\n    pass\nexcept* ValueError:\n    pass\n", "complete"),
    # a backslash continues the line, in a block too (the Bi-LSTM CRF tutorial's `return a + \\`)
    ("x = 1 + \\", "incomplete"),
    ("def f(a):\n    return a + \\", "incomplete"),
    ("x = 1 + \\\n    2", "complete"),
    ("x = 1  # ends in \\", "complete"),
])
def test_check_complete_is_decided_by_the_parser(text, state):
    assert check_complete(text) == state
    assert Session(stdout=io.StringIO()).check_complete(text) == state


def test_grammar_tables_are_cached_and_rebuilt_when_missing_or_damaged(tmp_path, monkeypatch):
    import ast
    from gradsh.lang.syntax import tables
    from gradsh.lang.syntax.parser import Parser

    def parsed(data):
        return ast.dump(Parser(data).parse("x = [i ** 2 for i in range(3)]\nprint(f'{x!r}')\n"))

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = tables.load_tables()
    files = list((tmp_path / "gradsh").glob("grammar-*.marshal"))
    assert len(files) == 1
    again = tables.load_tables()  # read back from the file
    assert again["states"] == first["states"]
    files[0].write_bytes(b"damaged")
    rebuilt = tables.load_tables()  # Lark may number the states differently: compare results
    assert len(rebuilt["states"]) == len(first["states"])
    assert parsed(rebuilt) == parsed(first)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX's")
def test_grammar_tables_are_read_only_from_a_private_file(tmp_path, monkeypatch):
    """A cache file someone else may write is not read (rebuilt instead); the files are
    written for the user alone, and are marshal data, never a pickle (which runs code)."""
    import marshal
    from gradsh.lang.syntax import tables
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = tables.load_tables()
    (path,) = (tmp_path / "gradsh").glob("grammar-*.marshal")
    assert path.stat().st_mode & 0o777 == 0o600
    assert marshal.loads(path.read_bytes()) == first
    planted = dict(first, states=[])  # what a foreign file could make the parser do
    path.write_bytes(marshal.dumps(planted))
    path.chmod(0o622)  # others may write it: not read (rebuilt: Lark may number states anew)
    assert len(tables.load_tables()["states"]) == len(first["states"])
    path.write_bytes(marshal.dumps(planted))
    path.chmod(0o600)
    (tmp_path / "gradsh").chmod(0o777)  # a folder anyone may write to: no cache at all
    try:
        assert len(tables.load_tables()["states"]) == len(first["states"])
        assert marshal.loads(path.read_bytes())["states"] == []  # left alone, not rewritten
    finally:
        (tmp_path / "gradsh").chmod(0o700)
    assert tables.load_tables()["states"] == []  # private again: read (the check is the mode)


def test_unwritable_cache_directory_means_no_cache_not_an_error(tmp_path, monkeypatch):
    from gradsh.lang.syntax import tables
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert tables.load_tables()["states"]


def test_attribute_names_are_what_the_gate_allows():
    s = new_session()
    s.run("x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n")
    v = s.variables()
    tensor_names = s.attribute_names(v["x"])
    assert {"backward", "grad", "sum", "requires_grad", "tolist"} <= set(tensor_names)
    assert "numpy" in tensor_names and not any(n.startswith("_") for n in tensor_names)
    assert set(s.attribute_names(v["y"].grad_fn)) == {"metadata", "name", "next_functions",
                                                      "register_hook", "register_prehook",
                                                      "requires_grad"}
    # (str.isprintable is offered since adv13c; str.maketrans is a class method, not listed)
    assert "upper" in s.attribute_names("text") and "maketrans" not in s.attribute_names("text")
    assert s.attribute_names(len) == []
    torch_names = s.attribute_names(s.globals["__builtins__"]["torch"])
    assert "ones" in torch_names and "core" not in torch_names and "from_file" not in torch_names
    s.run("a = x.detach().numpy()\n")
    assert set(s.attribute_names(s.variables()["a"])) >= {"shape", "dtype", "sum", "reshape"}
    assert not {"base", "ctypes", "tofile", "view"} & set(s.attribute_names(s.variables()["a"]))


def test_the_torch_namespace_provider_is_injectable():
    pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    s = new_session(provider="torch")
    s.run("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
          "y.backward()\nprint(y.grad_fn.name(), x.grad)\n")
    assert s.output.getvalue() == "SumBackward0 tensor([2., 2.])\n"
    assert type(s.variables()["x"]).__module__ == "torch"
