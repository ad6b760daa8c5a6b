"""The REPL end to end in a real pseudo-terminal (pexpect): what a person at a terminal sees."""

import os
import re
import time

import pytest

from cli_helpers import GRADSH, VENV_BIN

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(not os.path.exists(GRADSH), reason="console script not installed")

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|[\r\x08\x07]")


class Terminal:
    """A gradsh REPL in a pty; `wait_for` reads the screen text (control codes removed)."""

    def __init__(self, history, width=100, args=()):
        env = dict(os.environ, GRADSH_HISTORY=history, TERM="xterm", NO_COLOR="1",
                   PROMPT_TOOLKIT_NO_CPR="1",
                   PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
        env.pop("FORCE_COLOR", None)
        self.child = pexpect.spawn(GRADSH, list(args), env=env, encoding="utf-8", timeout=30,
                                   dimensions=(40, width))
        self.text = ""
        self.pos = 0

    def _read(self, timeout):
        try:
            self.text += _CONTROL.sub("", self.child.read_nonblocking(65536, timeout=timeout))
        except pexpect.TIMEOUT:
            pass

    def wait_for(self, needle, timeout=30):
        """Block until `needle` appears after the previous match; return the text between."""
        deadline = time.monotonic() + timeout
        while True:
            k = self.text.find(needle, self.pos)
            if k >= 0:
                seen = self.text[self.pos:k]
                self.pos = k + len(needle)
                return seen
            if time.monotonic() > deadline or not self.child.isalive():
                raise AssertionError("never saw %r; screen text after the last match:\n%s"
                                     % (needle, self.text[self.pos:]))
            self._read(0.2)

    def send_line(self, line):
        self.child.send(line + "\r")

    def shows(self, line, expected):
        """Type `line` and Enter; wait until `expected` is shown, then for the next prompt."""
        self.send_line(line)
        self.wait_for(expected)
        self.wait_for(">>> ")
        return True

    def quit(self):
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def terminal(tmp_path):
    terminals = []

    def start(*args):
        t = Terminal(str(tmp_path / "history"), args=args)
        terminals.append(t)
        t.wait_for(">>> ")
        return t
    yield start
    for t in terminals:
        if t.child.isalive():
            t.child.terminate(force=True)


def test_session_with_a_backward_shows_the_gradients(terminal):
    t = terminal()
    t.send_line("x = ones(2, 2, requires_grad=True)")
    assert t.shows("out = ((x + 2) * (x + 2) * 3).mean(); out",
                   "tensor(27., grad_fn=<MeanBackward0>)")
    t.send_line("out.backward()")
    t.wait_for("gradients")
    t.wait_for("x.grad = tensor([[4.5000, 4.5000],")
    t.wait_for("[4.5000, 4.5000]])")
    t.wait_for(">>> ")
    assert t.quit() == 0


def test_with_block_over_several_lines_and_a_resize(terminal):
    t = terminal()
    t.send_line("w = ones(3, requires_grad=True)")
    t.send_line("with no_grad():")
    t.wait_for("...")
    t.send_line("v = w * 2")   # the REPL indents the body itself
    t.wait_for("...")
    t.send_line("")
    assert t.shows("v.requires_grad", "False")
    assert t.shows("v", "tensor([2., 2., 2.])")
    t.child.setwinsize(20, 50)   # a terminal resize: the session goes on
    assert t.shows("v.sum() * 10", "tensor(60.)")
    assert t.quit() == 0


def test_ctrl_c_stops_a_long_loop_and_keeps_the_variables(terminal):
    t = terminal()
    t.send_line("n = 0")
    t.send_line("while True:")
    t.wait_for("...")
    t.send_line("n += 1")
    t.wait_for("...")
    t.send_line("")
    time.sleep(1.0)
    t.child.sendintr()
    t.wait_for("KeyboardInterrupt")
    t.wait_for(">>> ")
    assert t.shows("n > 0", "True")
    assert t.quit() == 0


def test_history_persists_across_sessions(terminal, tmp_path):
    t = terminal()
    assert t.shows("remembered = 1234; 'saved' + '!'", "saved!")
    assert t.quit() == 0
    with open(tmp_path / "history") as f:
        assert "+remembered = 1234; " in f.read()
    t = terminal()
    t.child.send("\x1b[A")            # Up: the last input of the previous session
    t.wait_for("remembered = 1234; ")
    t.send_line("")
    t.wait_for(">>> ")
    assert t.shows("remembered * 2", "2468")
    assert t.quit() == 0


def test_interactive_flag_runs_the_file_then_opens_the_repl(terminal, tmp_path):
    prog = tmp_path / "setup.grad"
    prog.write_text("print('setup ran')\nw = ones(2) * 21\n")
    t = terminal("-i", str(prog))
    assert "setup ran" in t.text
    assert t.shows("w.sum()", "tensor(42.)")
    assert t.quit() == 0


def test_ctrl_c_during_output_and_a_resize_while_running_keep_the_session(terminal):
    t = terminal()
    t.send_line("kept = 7")
    t.send_line("for i in range(10 ** 7):")
    t.wait_for("...")
    t.send_line("print(i)")
    t.wait_for("...")
    t.send_line("")
    t.wait_for("\n2000\n")         # the program is printing
    t.child.setwinsize(30, 60)     # a resize while it runs
    t.wait_for("\n4000\n")
    t.child.sendintr()             # Ctrl-C in the middle of the output
    t.wait_for("KeyboardInterrupt")
    t.wait_for(">>> ")
    assert t.shows("kept * 6, i > 4000", "(42, True)")
    assert t.quit() == 0
