"""The REPL driven headless (prompt_toolkit pipe input, DummyOutput), checked on exact text.

Keys are what a terminal sends: "\\r" Enter, "\\x03" Ctrl-C, "\\x04" Ctrl-D, "\\t" Tab.
Expected gradient and tensor text: PyTorch's (the oracle's tutorial x.grad) or arithmetic.
"""

import json
import os
import pathlib
import re

import pytest
from cli_helpers import Until, body

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
ORACLE = json.loads((DATA / "graph_introspection.json").read_text())

TUTORIAL = "x = ones(2, 2, requires_grad=True)\ry = x + 2\rz = y * y * 3\rout = z.mean()\r"


def indent_continuation(text, prefix):
    return text.replace("\n", "\n" + " " * len(prefix))


def test_expression_values_echo_and_assignments_are_silent(repl):
    r = repl("a = 3\ra * 2\rNone\r'hi'\r")
    assert r.status == 0
    assert body(r.out) == "6\n'hi'\n"


def test_backward_shows_the_changed_gradients_in_a_titled_panel(repl):
    r = repl(TUTORIAL + "out.backward()\r")
    grad = indent_continuation(ORACLE["tutorial x.grad"], "x.grad = ")
    lines = ["x.grad = " + line if k == 0 else line for k, line in enumerate(grad.split("\n"))]
    width = max(len(line) for line in lines)
    expected = ("╭─ gradients " + "─" * (width - 10) + "╮\n"
                + "".join("│ %s │\n" % line.ljust(width) for line in lines)
                + "╰" + "─" * (width + 2) + "╯\n")
    assert body(r.out) == expected


def test_multi_line_for_block_runs_after_an_empty_line(repl):
    # the body line is typed without indentation: the REPL indents it after the colon
    r = repl("for i in range(3):\rprint(i)\r\r")
    assert body(r.out) == "0\n1\n2\n"


def test_indentation_typed_by_hand_replaces_the_automatic_one(repl):
    # a program typed (or fed) line by line with its own indentation keeps exactly that
    r = repl("def f(a):\r    if a:\r        return 1\r    return 2\r\rf(0), f(1)\r"
             "for i in range(2):\r    for j in range(2):\r        k = j\r    print(i, k)\r\r")
    assert (body(r.out), r.err) == ("(2, 1)\n0 1\n1 1\n", "")


def test_else_typed_level_with_its_if_stays_there(repl):
    r = repl("for i in range(2):\r    if i:\r        y = 1\r    else:\r        y = 0\r"
             "    print(y)\r\r")
    assert (body(r.out), r.err) == ("0\n1\n", "")


def test_a_clause_begun_at_column_0_among_lines_indented_by_hand_stays_there(repl):
    # as Python's REPL takes it: the outer try's except and the for's else, where the nearest
    # header less indented than the automatic indentation is the inner try's or an if's
    r = repl("try:\r    try:\r        1 / 0\r    except ZeroDivisionError:\r"
             "        print('inner')\r        raise\rexcept ZeroDivisionError:\r"
             "    print('outer')\r\r"
             "for i in range(3):\r    if i > 5:\r        break\relse:\r    print('all')\r\r")
    assert (body(r.out), r.err) == ("inner\nouter\nall\n", "")


def test_a_clause_typed_on_the_automatic_indentation_goes_to_the_nearest_header(repl):
    # typed without indentation of one's own: auto-indent, then `else` dedents to the if
    r = repl("for i in range(2):\rif i:\rprint('one')\relse:\rprint('zero')\r\r")
    assert (body(r.out), r.err) == ("zero\none\n", "")


def test_output_left_open_is_ended_on_the_screen_not_in_stdout(repl):
    # the new line before the next prompt is the prompt's: stdout is what Python's REPL prints
    r = repl('print("a", end="")\rprint("b")\r')
    assert (body(r.out), r.err) == ("ab\n", "")


def test_a_summary_of_gradients_set_to_none_later_in_the_statement(repl):
    # a training loop typed as one block: backward, then zero_grad() sets the .grad to None
    # (the summary leaves out a gradient set back to None: it has nothing to show)
    r = repl("a, b, c, d, e, f = [ones(1, requires_grad=True) for i in range(6)]\r"
             "for i in range(2):\r    (a + b + c + d + e + f).backward()\r    a.grad = None\r\r")
    assert r.status == 0 and "internal error" not in r.err, r.err
    assert "a.grad" not in body(r.out), r.out
    assert re.search(r"^ *b\.grad +\(1,\) +2\.0000 *$", body(r.out), re.M), r.out


def test_a_decorator_or_a_try_body_typed_in_a_block_waits_for_the_next_line(repl):
    r = repl("class A:\r    @staticmethod\r    def g():\r        return 3\r\rA.g()\r"
             "for i in range(2):\r    try:\r        1 / i\r    except ZeroDivisionError:\r"
             "        print('zero')\r\r")
    assert (body(r.out), r.err) == ("3\nzero\n1.0\n", "")


def test_expression_statements_in_top_level_blocks_echo_as_in_python(repl):
    # Python's REPL prints every expression statement of the module's own code, in loops too,
    # but not inside a function
    r = repl("for i in range(2):\r    i * 10\r    None\r\rdef f():\r    5\r\rf()\r"
             "with no_grad():\r    ones(1)\r\r")
    assert (body(r.out), r.err) == ("0\n10\ntensor([1.])\n", "")


def test_nested_blocks_indent_and_dedent_after_return(repl):
    r = repl("def f(a):\rif a:\rreturn 1\rreturn 2\r\rf(0), f(1)\r")
    assert body(r.out) == "(2, 1)\n"
    assert r.err == ""


def test_open_bracket_continues_the_statement(repl):
    r = repl("v = [1,\r2,\r3]\rsum(v)\r")
    assert body(r.out) == "6\n"


def test_with_no_grad_block(repl):
    r = repl("x = ones(2, requires_grad=True)\rwith no_grad():\ry = x * 2\r\ry.requires_grad\r")
    assert body(r.out) == "False\n"


def test_error_is_shown_and_the_session_goes_on(repl):
    r = repl("keep = 5\r1 / 0\rkeep + 1\r")
    assert body(r.out) == "6\n"
    assert r.err == ("<stdin>:1:1: ZeroDivisionError: division by zero\n"
                     "    1 / 0\n"
                     "    ^^^^^\n")


def test_syntax_error_in_a_block_is_reported_and_the_session_goes_on(repl):
    r = repl("x = )\r2 + 2\r")
    assert body(r.out) == "4\n"
    assert "SyntaxError" in r.err


def test_failure_while_displaying_a_value_does_not_end_the_session(repl, monkeypatch):
    from gradsh.cli import render
    real = render.print_value
    calls = []

    def flaky(console, value, max_chars=None):
        calls.append(value)
        if len(calls) == 1:
            raise RuntimeError("display failed")
        real(console, value, max_chars)
    monkeypatch.setattr(render, "print_value", flaky)
    r = repl("1\r2\r")
    assert body(r.out) == "2\n"
    assert "display failed" in r.err


def test_ctrl_c_clears_the_input(repl):
    r = repl("lost = 1\x03kept = 2\rkept\rlost\r")
    assert body(r.out) == "2\n"
    assert "NameError" in r.err and "lost" in r.err


def test_ctrl_d_on_an_empty_line_exits_0_and_not_on_text(repl):
    r = repl("x = 1\rx\x04\x04\r")  # Ctrl-D on "x" deletes nothing; Enter runs x
    assert r.status == 0
    assert body(r.out) == "1\n"


def test_bracketed_paste_runs_a_block_as_written(repl):
    paste = "\x1b[200~for i in range(2):\n    print(i * 10)\nprint('done')\n\x1b[201~"
    r = repl(paste)
    assert body(r.out) == "0\n10\ndone\n"


def test_long_output_is_capped_in_the_repl(repl):
    r = repl("print('a' * 50000)\r")
    out = body(r.out)
    assert out.startswith("a" * 20000 + "\n[... ")
    assert "not shown" in out and len(out) < 20100


def test_interactive_after_a_file_keeps_its_variables(repl, tmp_path):
    from gradsh.cli.run import make_session
    from cli_helpers_env import env_for
    session = make_session(env_for(False), ["setup.grad"])
    session.run("w = ones(3) * 4\n", "setup.grad")
    r = repl("w.sum()\r", session=session)
    assert r.out == "tensor(12.)\n"  # no banner after -i


# ---------------------------------------------------------------- meta-commands

def test_vars_lists_tensors_with_their_autograd_facts(repl):
    r = repl("a = ones(2, 3, requires_grad=True)\rb = (a * 2).sum()\rn = 4\r:vars\r")
    out = body(r.out)
    rows = {line.split()[0]: line.split() for line in out.splitlines()[3:] if line.strip()}
    assert rows["a"] == ["a", "tensor", "(2,", "3)", "torch.float32", "True"]
    assert rows["b"] == ["b", "tensor", "()", "torch.float32", "True", "SumBackward0"]
    assert rows["n"] == ["n", "int", "4"]
    assert out.splitlines()[0].strip() == "variables"


def test_graph_shows_the_tutorial_graph_as_a_tree(repl):
    # PyTorch's facts (oracle): out.grad_fn is MeanBackward0, z's MulBackward0 has edges
    # (MulBackward0, None), y's AddBackward0 has edges (AccumulateGrad of x, None); y * y uses
    # y's node twice.
    r = repl(TUTORIAL + ":graph out\r")
    mean = ORACLE["out"].split("grad_fn=<")[1].rstrip(">)")
    assert body(r.out) == (
        "backward of out\n"
        "out: %s  ()\n"
        "└── z: MulBackward0  (2, 2)\n"
        "    ├── MulBackward0  (2, 2)\n"
        "    │   ├── y: AddBackward0  (2, 2)\n"
        "    │   │   ├── x: AccumulateGrad  (2, 2)\n"
        "    │   │   └── None  (an input that needs no gradient)\n"
        "    │   └── y: AddBackward0  (2, 2)  (shown above)\n"
        "    └── None  (an input that needs no gradient)\n" % mean).replace(
            "backward of out", "backward graph of out")


def test_graph_dot_file_is_graphviz_text(repl, tmp_path, monkeypatch):
    # a path relative to the working folder: a long temporary path would wrap at 80 columns
    monkeypatch.chdir(tmp_path)
    r = repl(TUTORIAL + ":graph --dot g.dot out\r")
    assert "wrote g.dot" in r.out
    text = (tmp_path / "g.dot").read_text()
    assert text.startswith("digraph backward {") and text.rstrip().endswith("}")
    assert text.count("->") == 5   # out->z, z->mul, mul->y twice, y->x
    assert 'x: AccumulateGrad' in text


def test_graph_of_a_parameter_shows_it_and_a_class_named_tensor_is_refused(repl):
    # round 21 (issue 16's leftover): `:graph` refused a Parameter ("needs a tensor, not
    # Parameter": its check read the class's name, which a program's class can also have)
    r = repl("w = nn.Parameter(ones(2))\r:graph w\r:graph w * 2\rclass Tensor:\r"
             "pass\r\r:graph Tensor()\r")
    assert "needs a tensor, not Parameter" not in r.err
    assert "is a leaf" in r.err
    assert "MulBackward0" in r.out
    assert ":graph needs a tensor, not Tensor" in r.err


def test_graph_of_a_leaf_or_a_non_tensor_explains_itself(repl):
    r = repl("x = ones(2, requires_grad=True)\r:graph x\r:graph 3\r:graph\r")
    assert "is a leaf" in r.err
    assert ":graph needs a tensor, not int" in r.err
    assert ":graph needs an expression" in r.err


def test_trace_shows_each_node_in_engine_order_and_leaves_no_hooks(repl):
    r = repl(TUTORIAL + ":trace --retain out\r:trace out\rx.grad\r")
    out = body(r.out)
    first, second = out.split("backward of out")[1:]
    order = ["out: MeanBackward0", "z: MulBackward0", "MulBackward0", "y: AddBackward0",
             "x: AccumulateGrad"]
    for trace in (first, second):
        heads = [line[4:] for line in trace.splitlines() if line[:2].strip().isdigit()]
        assert heads == order   # hooks left behind would show nodes twice
    assert "grad in   tensor(1.)" in first
    # two backward passes accumulate: 2 * 4.5
    assert out.endswith("tensor([[9., 9.],\n        [9., 9.]])\n")


def test_trace_after_the_graph_was_freed_reports_pytorchs_error(repl):
    r = repl(TUTORIAL + "out.backward()\r:trace out\r1 + 1\r")
    assert "backward through the graph a second time" in r.err
    assert body(r.out).endswith("2\n")


def test_grads_lists_every_variable_with_a_grad(repl):
    r = repl(TUTORIAL + ":grads\rout.backward()\r:grads\r")
    out = body(r.out)
    assert out.startswith("no variable has a .grad yet")
    assert out.count("x.grad = tensor([[4.5000, 4.5000],") == 2
    assert "╭─ .grad of the variables" in out


def test_reset_forgets_every_variable(repl):
    r = repl("gone = 1\r:reset\rgone\r")
    assert "session reset" in r.out
    assert "NameError" in r.err


def test_save_then_load_replays_the_session(repl, tmp_path):
    path = tmp_path / "s.grad"
    r = repl("a = 2\r1 / 0\rfor i in range(2):\ra = a * 3\r\r:save %s\r" % path)
    assert "saved 2 inputs" in r.out
    assert path.read_text() == "a = 2\nfor i in range(2):\n    a = a * 3\n"
    r = repl(":load %s\ra\r" % path)
    assert body(r.out) == "18\n"


def test_save_refuses_to_overwrite_without_force(repl, tmp_path):
    path = tmp_path / "s.grad"
    path.write_text("old\n")
    r = repl("a = 1\r:save %s\r:save --force %s\r" % (path, path))
    assert "exists" in r.err
    assert path.read_text() == "a = 1\n"


def test_help_lists_commands_and_topics_and_names(repl):
    r = repl(":help\r:help keys\r:help ones\r:help trace\r:help nosuch!\r")
    out = body(r.out)
    for cmd in (":vars", ":graph", ":trace", ":grads", ":reset", ":load", ":save", ":quit"):
        assert cmd in out
    assert "Ctrl-R searches the history" in out
    assert out.count("ones(") >= 1 and "requires_grad" in out
    assert ":trace [--retain] EXPR" in out
    assert "no help topic" in r.err


def test_unknown_meta_command_is_reported(repl):
    r = repl(":frobnicate\r1\r")
    assert "unknown command :frobnicate" in r.err
    assert body(r.out) == "1\n"


def test_quit_ends_the_session_with_status_0(repl):
    r = repl(":quit\r1\r")
    assert r.status == 0 and body(r.out) == ""


# ---------------------------------------------------------------- completion through the keys

def test_tab_completes_an_attribute(repl):
    # typing offers completions, Tab picks the first (requires_grad), Enter takes it, a second
    # Enter runs
    r = repl(["t = ones(2)\r", "t.requires_gr",
              Until(lambda b: b.text == "t.requires_gr" and b.complete_state is not None
                    and b.complete_state.completions, "completions offered"),
              "\t",
              Until(lambda b: b.complete_state.current_completion.text == "requires_grad",
                    "requires_grad chosen"),
              "\r",
              Until(lambda b: b.text == "t.requires_grad" and (
                  b.complete_state is None or b.complete_state.current_completion is None),
                    "the completion taken"),
              "\r"])
    assert body(r.out) == "False\n"


def test_tab_in_leading_whitespace_indents(repl):
    # Backspace removes the automatic indent (one level), Tab puts it back
    r = repl("if True:\r\x7f\tv = 9\r\rv\r")
    assert body(r.out) == "9\n"


# ---------------------------------------------------------------- history

def test_history_is_written_and_read_back(repl, history_file):
    repl("hist_a = 41\r")
    with open(history_file) as f:
        assert "+hist_a = 41\n" in f.read()
    r = repl("\x1b[A\rhist_a + 1\r")  # Up recalls the previous session's input
    assert body(r.out) == "42\n"


def test_unusable_history_path_warns_once_and_keeps_working(repl, tmp_path):
    r = repl("1 + 1\r", environ={"GRADSH_HISTORY": str(tmp_path)})
    assert body(r.out) == "2\n"
    assert r.err.count("\n") == 1 and "in memory" in r.err


def test_corrupted_history_file_is_read_leniently(repl, history_file):
    with open(history_file, "wb") as f:
        f.write(b"\x00\xff\xfe garbage\n+ok_a = 7\n\n# t\n+\xc3\x28bad\n")
    r = repl("\x1b[A\x1b[A\rok_a\r")
    assert body(r.out) == "7\n"


def test_history_path_follows_xdg_state_home():
    from gradsh.cli.history import history_path
    assert history_path({"XDG_STATE_HOME": "/s", "HOME": "/h"}) == "/s/gradsh/history"
    assert history_path({"HOME": "/h"}) == "/h/.local/state/gradsh/history"
    assert history_path({"GRADSH_HISTORY": "/x/y", "HOME": "/h"}) == "/x/y"


# ---------------------------------------------------------------- toolbar

def test_toolbar_shows_the_grad_mode(repl):
    import gradsh
    from gradsh.cli.toolbar import make_toolbar

    class State:
        def grad_enabled(self):
            return gradsh.is_grad_enabled()

    text = "".join(part for _, part in make_toolbar(State())())
    assert "grad: enabled" in text and "Ctrl-D" in text
    gradsh.set_grad_enabled(False)
    try:
        text = "".join(part for _, part in make_toolbar(State())())
    finally:
        gradsh.set_grad_enabled(True)
    assert "grad: no_grad" in text


def test_colour_in_the_repl_only_decorates(repl):
    plain = repl("ones(2, requires_grad=True)\r")
    coloured = repl("ones(2, requires_grad=True)\r", colour=True)
    import re
    assert "\x1b[" in coloured.out
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.out) == plain.out


@pytest.mark.parametrize("text", ["x = 1", ":vars", "   "])
def test_enter_runs_complete_input(text):
    from gradsh.cli.key_bindings import wants_run

    class State:
        def check_complete(self, t):
            from gradsh.lang import check_complete
            return check_complete(t)
    assert wants_run(State(), text)


@pytest.mark.parametrize("text", ["if x:", "f(1,", "x = '''abc", "for i in y:\n    z = i"])
def test_enter_continues_incomplete_input(text):
    from gradsh.cli.key_bindings import wants_run

    class State:
        def check_complete(self, t):
            from gradsh.lang import check_complete
            return check_complete(t)
    assert not wants_run(State(), text)


def test_graph_and_trace_of_a_long_chain_are_cut_with_a_note(repl):
    r = repl("x = ones(1, requires_grad=True)\ry = x\rfor i in range(300):\ry = y * 2\r\r"
             ":graph y\r:trace y\r")
    out = body(r.out)
    # 300 MulBackward0 nodes (the root is one), each with a None edge, and x's AccumulateGrad:
    # 600 nodes below the root
    shown = out.split("backward graph of y\n")[1].split("...")[0].count("── ")
    assert "... %d more nodes not shown" % (600 - shown) in out
    assert "... 201 more steps not shown" in out   # 301 steps, 100 shown
