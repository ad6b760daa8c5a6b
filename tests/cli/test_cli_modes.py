"""The command line in-process: every mode, the echo rules, exit codes, streams.

Expected tensor text is PyTorch's (torch.ones(2) + 1 prints `tensor([2., 2.])`; the
tutorial's x.grad is recorded in the oracle) or follows from the arithmetic.
"""

import json
import os
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def oracle_fact(key):
    with open(os.path.join(DATA, "graph_introspection.json")) as f:
        return json.load(f)[key]


TUTORIAL_GRAPH = "x = ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()\n"


def test_command_prints_and_echoes_expression_values(run_cli):
    r = run_cli(["-c", "print(ones(2) + 1)\nones(2) * 3\nx = 5\nNone"])
    assert (r.status, r.out, r.err) == (0, "tensor([2., 2.])\ntensor([3., 3.])\n", "")


def test_no_echo_turns_off_expression_values_for_command(run_cli):
    r = run_cli(["--no-echo", "-c", "ones(2) * 3\nprint(7)"])
    assert (r.status, r.out) == (0, "7\n")


def test_stdin_pipe_shows_values_and_plain_gradients(run_cli):
    # piped expressions show their values (`echo 'ones(2) * 3' | gradsh`) and a backward its
    # gradients, one plain line each
    r = run_cli([], stdin=TUTORIAL_GRAPH + "out\nout.backward()\n")
    assert r.status == 0
    assert r.out == ("tensor(27., grad_fn=<MeanBackward0>)\nx.grad = %s\n"
                     % oracle_fact("tutorial x.grad"))


def test_no_echo_on_a_pipe_prints_only_what_the_program_prints(run_cli):
    # as `python < prog.py`: no values, no gradients, PyTorch's text and nothing more
    r = run_cli(["--no-echo"], stdin="ones(2)\n" + TUTORIAL_GRAPH + "out.backward()\nprint(out)\n")
    assert (r.status, r.out, r.err) == (0, "tensor(27., grad_fn=<MeanBackward0>)\n", "")


def test_dash_reads_program_from_stdin_even_on_a_terminal(run_cli):
    r = run_cli(["-"], stdin="2 + 3\nprint(2 * 3)\n", tty=True)
    assert (r.status, r.out) == (0, "5\n6\n")


def test_script_file_has_no_echo_by_default(run_cli, tmp_path):
    prog = tmp_path / "p.grad"
    prog.write_text("ones(2)\n" + TUTORIAL_GRAPH + "out.backward()\nprint(x.grad[0, 0].item())\n")
    r = run_cli([str(prog)])
    assert (r.status, r.out, r.err) == (0, "4.5\n", "")


def test_echo_flag_turns_echo_on_for_a_script(run_cli, tmp_path):
    prog = tmp_path / "p.grad"
    prog.write_text("1 + 1\n")
    assert run_cli(["--echo", str(prog)]).out == "2\n"


def test_program_arguments_follow_the_program(run_cli, tmp_path):
    prog = tmp_path / "args.grad"
    prog.write_text("print(argv)\n")
    assert run_cli([str(prog), "a", "--no-echo"]).out == "[%r, 'a', '--no-echo']\n" % str(prog)
    assert run_cli(["-c", "print(argv)", "x", "-i"]).out == "['-c', 'x', '-i']\n"


def test_shebang_line_is_a_comment(run_cli, tmp_path):
    prog = tmp_path / "s.grad"
    prog.write_text("#!/usr/bin/env gradsh\nprint(3 * 4)\n")
    assert run_cli([str(prog)]).out == "12\n"


def test_syntax_error_exits_1_and_nothing_runs(run_cli):
    r = run_cli(["-c", "print('ran')\nx = (1 +\n"])
    assert r.status == 1
    assert r.out == ""
    assert "<string>:" in r.err and "SyntaxError" in r.err
    assert "Traceback" not in r.err


def test_runtime_error_exits_1_after_earlier_output(run_cli):
    r = run_cli(["-c", "print('before')\n1 / 0\nprint('after')"])
    assert r.status == 1
    assert r.out == "before\n"
    assert r.err.startswith("<string>:2:1: ZeroDivisionError: division by zero\n")
    assert "Traceback" not in r.err


def test_errors_go_to_stderr_results_to_stdout(run_cli):
    r = run_cli([], stdin="print(1)\nundefined_name\n")
    assert r.out == "1\n"
    assert "NameError" in r.err and "undefined_name" in r.err


@pytest.mark.parametrize("argv, fragment", [
    (["--bogus"], "unknown option --bogus"),
    (["-z"], "unknown option -z"),
    (["-c"], "-c needs an argument"),
    (["--color=sometimes", "-c", "1"], "--color must be one of"),
    (["--max-memory", "lots", "-c", "1"], "bad --max-memory"),
    (["--max-memory"], "--max-memory needs a value"),
    (["--echo=yes", "-c", "1"], "takes no value"),
])
def test_usage_errors_exit_2_with_a_message(run_cli, argv, fragment):
    r = run_cli(argv)
    assert r.status == 2
    assert r.err.startswith("gradsh: error: ")
    assert fragment in r.err
    assert r.out == ""


def test_missing_file_exits_2(run_cli, tmp_path):
    r = run_cli([str(tmp_path / "nope.grad")])
    assert r.status == 2
    assert "can't open file" in r.err and "No such file or directory" in r.err


def test_directory_as_file_exits_2(run_cli, tmp_path):
    r = run_cli([str(tmp_path)])
    assert r.status == 2
    assert "Is a directory" in r.err


def test_unreadable_file_exits_2(run_cli, tmp_path):
    prog = tmp_path / "secret.grad"
    prog.write_text("1\n")
    prog.chmod(0)
    if os.access(prog, os.R_OK):  # running as root: permissions do not stop reading
        pytest.skip("file permissions are not enforced for this user")
    assert run_cli([str(prog)]).status == 2


def test_help_and_version_exit_0(run_cli):
    import gradsh
    r = run_cli(["--help"])
    assert r.status == 0 and r.out.startswith("usage: gradsh")
    assert "--color=WHEN" in r.out and "130 interrupted" in r.out
    r = run_cli(["-V"])
    assert (r.status, r.out) == (0, "gradsh %s\n" % gradsh.__version__)


def test_max_memory_limits_tensor_size(run_cli):
    from gradsh.core import factories
    try:
        r = run_cli(["--max-memory", "1K", "-c", "zeros(1000)"])
    finally:
        factories.set_max_memory(None)
    assert r.status == 1
    assert "zeros(1000)" in r.err  # the caret line quotes the failing call


def test_internal_error_exits_70_with_a_bug_report_request(run_cli, monkeypatch):
    from gradsh.lang import InternalError, Session

    def broken(self, source, filename="<stdin>"):
        try:
            raise ValueError("boom")  # raised for real, so it has a traceback
        except ValueError as e:
            raise InternalError(e, filename, 1, 1, None, "x = 1") from e
    monkeypatch.setattr(Session, "run_interactive", broken)
    r = run_cli(["-c", "x = 1"])
    assert r.status == 70
    assert "bug in gradsh" in r.err and "ValueError: boom" in r.err
    assert "Traceback" not in r.err
    r = run_cli(["--debug", "-c", "x = 1"])
    assert r.status == 70 and "Traceback (most recent call last)" in r.err


def test_bug_in_the_command_itself_exits_70(run_cli, monkeypatch):
    import gradsh.cli.main as cli_main

    def broken(*args, **kw):
        raise AttributeError("oops")
    monkeypatch.setattr(cli_main, "make_session", broken)
    r = run_cli(["-c", "1"])
    assert r.status == 70 and "internal error" in r.err and "oops" in r.err


def test_interrupt_exits_130(run_cli, monkeypatch):
    from gradsh.lang import Session

    def interrupted(self, source, filename="<stdin>"):
        raise KeyboardInterrupt
    monkeypatch.setattr(Session, "run", interrupted)
    r = run_cli(["--no-echo", "-c", "1"])
    assert (r.status, r.err) == (130, "KeyboardInterrupt\n")


def test_broken_pipe_while_printing_ends_quietly(run_cli, monkeypatch):
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    from gradsh.cli import env as env_module
    real_init = env_module.Environment.__init__

    def init(self, *a, **kw):
        real_init(self, *a, **kw)
        self.stdout = ClosedPipe()
    monkeypatch.setattr(env_module.Environment, "__init__", init)
    r = run_cli(["-c", "for i in range(3):\n    print(i)"])
    assert r.status == 141
    assert r.err == ""


def test_colour_always_colours_echo_and_errors(run_cli):
    r = run_cli(["--color=always", "-c", "ones(2, requires_grad=True)\n1 / 0"])
    assert "\x1b[" in r.out and "\x1b[" in r.err
    plain = run_cli(["--color=never", "-c", "ones(2, requires_grad=True)\n1 / 0"])
    assert plain.out == "tensor([1., 1.], requires_grad=True)\n"
    assert "\x1b[" not in plain.err
    stripped = _strip_ansi(r.out)
    assert stripped == plain.out  # colour never changes the characters


def test_colour_auto_follows_terminal_no_color_and_force_color():
    from cli_helpers_env import env_for
    assert env_for(stdout_tty=True).use_colour("auto") is True
    assert env_for(stdout_tty=False).use_colour("auto") is False
    assert env_for(stdout_tty=True, NO_COLOR="1").use_colour("auto") is False
    assert env_for(stdout_tty=False, FORCE_COLOR="1").use_colour("auto") is True
    assert env_for(stdout_tty=False, FORCE_COLOR="0").use_colour("auto") is False
    assert env_for(stdout_tty=True, NO_COLOR="1").use_colour("always") is True
    assert env_for(stdout_tty=True).use_colour("never") is False
    assert env_for(stdout_tty=True).use_colour("auto", terminal_counts=False) is False


def test_pipe_path_is_plain_on_a_terminal_unless_colour_is_asked_for(run_cli):
    assert "\x1b[" not in run_cli(["-c", "ones(1)"], stdout_tty=True).out
    assert "\x1b[" in run_cli(["-c", "ones(1)"], stdout_tty=True,
                                environ={"FORCE_COLOR": "1"}).out
    assert "\x1b[" not in run_cli(["-c", "ones(1)"], environ={"FORCE_COLOR": "1",
                                                               "NO_COLOR": "1"}).out


def test_interactive_flag_without_terminal_runs_stdin_after_the_file(run_cli, tmp_path):
    prog = tmp_path / "setup.grad"
    prog.write_text("x = ones(2) * 2\n")
    r = run_cli(["-i", str(prog)], stdin="x + 1\n")
    assert (r.status, r.out) == (0, "tensor([3., 3.])\n")


def test_utf16_program_is_a_clear_error_not_a_crash(run_cli, tmp_path):
    prog = tmp_path / "u16.grad"
    prog.write_bytes("print(1)\n".encode("utf-16"))
    r = run_cli([str(prog)])
    assert r.status == 1
    assert "UTF-16" in r.err and "Traceback" not in r.err


def _strip_ansi(text):
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_a_dumb_terminal_gets_the_plain_line_shell(run_cli):
    # TERM=dumb (Emacs' shell): no screen drawing or colour, prompts and results as Python's
    # basic REPL shows them
    r = run_cli([], stdin="x = ones(2, requires_grad=True)\nfor i in range(2):\n    x * i\n\n"
                          "(x * 3).sum().backward()\n", tty=True, stdout_tty=True,
                environ={"TERM": "dumb"})
    assert r.status == 0
    assert r.out == ("tensor([0., 0.], grad_fn=<MulBackward0>)\n"
                     "tensor([1., 1.], grad_fn=<MulBackward0>)\nx.grad = tensor([3., 3.])\n")
    assert r.err.endswith("\n>>> >>> ... ... >>> >>> \n") and "\x1b[" not in r.err


def test_the_plain_shell_ends_an_open_line_with_the_prompt_on_stderr(run_cli):
    # `gradsh | tee log`: the log holds what the program printed, as `python -i | tee log`'s
    r = run_cli([], stdin='print("a", end="")\nprint("b")\n', tty=True)
    assert (r.status, r.out) == (0, "ab\n")
    assert r.err.endswith(">>> \n>>> >>> \n")


def test_help_shows_torch_functions_with_pytorchs_input_and_program_methods_with_self(run_cli):
    r = run_cli(["-c", "help(torch.sum)\nclass P:\n    def norm(self, k):\n        return k\n"
                       "help(P.norm)\nhelp(ones(1).sum)"])
    lines = r.out.split("\n")
    # (dim left out is "every dim", which records SumBackward0; an explicit None records
    # SumBackward1: PyTorch's two overloads, shown as its documentation shows them, fid21)
    assert lines[:2] == ["sum(input, *, dtype=None)",
                         "sum(input, dim, keepdim=False, *, dtype=None)"]
    # a program's function is shown as Python's help() shows it (pydoc's text, nb23)
    assert "Help on function norm in module __main__:" in lines and "norm(self, k)" in lines
    assert "sum(*, dtype=None)" in lines and "sum(dim, keepdim=False, *, dtype=None)" in lines
