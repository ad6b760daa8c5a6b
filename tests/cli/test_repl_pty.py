"""The REPL end to end in a real pseudo-terminal (pexpect): what a person at a terminal sees."""

import os
import re
import time

import pytest

from cli_helpers import GRADSH, VENV_BIN

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(not os.path.exists(GRADSH), reason="console script not installed")

# Bracketed paste is switched on when a prompt starts drawing (after prompt_toolkit has put the
# terminal in raw mode) and off when it ends (before the terminal goes back to cooked mode). So
# "a prompt is up, keys go to it" is a state the screen shows: the last of these two codes seen
# is "on". The tests type only then: keys typed while a statement runs would meet a cooked
# terminal (echoed by the tty, Enter turned into Ctrl-J) and the session would depend on timing.
PASTE_ON, PASTE_OFF = "\x1b[?2004h", "\x1b[?2004l"
PROMPT_UP, PROMPT_DONE = "\x00<prompt up>\x00", "\x00<prompt done>\x00"
_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|[\r\x08\x07]")
_UNFINISHED = re.compile(r"\x1b(\[[0-9;?]*|[()])?$")   # a code cut in two by a read
# a safety net, not a synchronisation: a passing test never waits for it
TIMEOUT = 120


def _screen_text(raw):
    raw = raw.replace(PASTE_ON, PROMPT_UP).replace(PASTE_OFF, PROMPT_DONE)
    return _CODES.sub("", raw)


class Terminal:
    """A gradsh REPL in a pty; `wait_for` reads the screen text (control codes removed, the
    prompt's start and end kept as markers)."""

    def __init__(self, history, width=100, args=(), environ=None):
        env = dict(os.environ, GRADSH_HISTORY=history, TERM="xterm", NO_COLOR="1",
                   PROMPT_TOOLKIT_NO_CPR="1",
                   PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
        env.pop("FORCE_COLOR", None)
        for name, value in (environ or {}).items():   # None: unset
            env.pop(name, None) if value is None else env.__setitem__(name, value)
        self.child = pexpect.spawn(GRADSH, list(args), env=env, encoding="utf-8",
                                   timeout=TIMEOUT, dimensions=(40, width))
        self.text = ""
        self.pos = 0
        self.pending = ""         # the start of a control code whose end has not been read
        self.prompt_up = False    # a prompt is known to be up and waiting for keys

    def _read(self):
        try:
            chunk = self.child.read_nonblocking(65536, timeout=1)
        except pexpect.TIMEOUT:
            return
        raw = self.pending + chunk
        cut = _UNFINISHED.search(raw)
        self.pending = raw[cut.start():] if cut else ""
        self.text += _screen_text(raw[:cut.start()] if cut else raw)

    def _wait(self, found, what):
        deadline = time.monotonic() + TIMEOUT
        while True:
            k = found()
            if k is not None:
                return k
            if time.monotonic() > deadline or not self.child.isalive():
                raise AssertionError("never saw %s; screen text after the last match:\n%s"
                                     % (what, self.text[self.pos:]))
            self._read()

    def wait_for(self, needle):
        """Block until `needle` appears after the previous match; return the text between."""
        def found():
            k = self.text.find(needle, self.pos)
            return None if k < 0 else k
        k = self._wait(found, repr(needle))
        seen = self.text[self.pos:k]
        self.pos = k + len(needle)
        return seen

    def wait_prompt(self):
        """Block until a prompt is up: its start marker, with no end marker after it."""
        if self.prompt_up:
            return
        def found():
            k = self.text.rfind(PROMPT_UP, self.pos)
            return None if k < 0 or self.text.find(PROMPT_DONE, k) >= 0 else k
        self.pos = self._wait(found, "a prompt") + len(PROMPT_UP)
        self.prompt_up = True

    def send_line(self, line):
        """At the prompt, type `line` and Enter (which may run the input: wait for the prompt
        again before typing more, unless the input goes on: then use `more`)."""
        self.wait_prompt()
        self.child.send(line + "\r")
        self.prompt_up = False

    def more(self, line):
        """Type a further line of an input the prompt is still reading (a block's body)."""
        self.child.send(line + "\r")

    def send_keys(self, keys):
        """Keys that edit the input at the prompt, without ending it."""
        self.wait_prompt()
        self.child.send(keys)

    def shows(self, line, expected):
        """Type `line` and Enter; wait until `expected` is shown, then for the next prompt."""
        self.send_line(line)
        self.wait_for(expected)
        self.wait_prompt()
        return True

    def resize_at_prompt(self, rows, cols):
        """A terminal resize while the prompt is up; returns when the prompt is redrawn."""
        self.wait_prompt()
        self.child.setwinsize(rows, cols)
        self.wait_for(PROMPT_DONE)     # prompt_toolkit erases the prompt, then draws it again
        self.prompt_up = False
        self.wait_prompt()

    def quit(self):
        self.wait_prompt()
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def terminal(tmp_path):
    terminals = []

    def start(*args, environ=None):
        t = Terminal(str(tmp_path / "history"), args=args, environ=environ)
        terminals.append(t)
        t.wait_prompt()
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
    assert t.quit() == 0


def test_with_block_over_several_lines_and_a_resize(terminal):
    t = terminal()
    t.send_line("w = ones(3, requires_grad=True)")
    t.send_line("with no_grad():")
    t.wait_for("...")
    t.more("v = w * 2")   # the REPL indents the body itself
    t.wait_for("...")
    t.more("")
    assert t.shows("v.requires_grad", "False")
    assert t.shows("v", "tensor([2., 2., 2.])")
    t.resize_at_prompt(20, 50)   # a terminal resize: the session goes on
    assert t.shows("v.sum() * 10", "tensor(60.)")
    assert t.quit() == 0


def test_ctrl_c_stops_a_long_loop_and_keeps_the_variables(terminal):
    t = terminal()
    t.send_line("n = 0")
    t.send_line("while True:")
    t.wait_for("...")
    t.more("n += 1")
    t.wait_for("...")
    t.more("if n == 1000: print('still' + ' running')")   # (its echo does not hold the marker)
    t.wait_for("...")
    t.more("")
    t.wait_for("still running")       # the loop runs: Ctrl-C now reaches the program
    t.child.sendintr()
    t.wait_for("KeyboardInterrupt")
    assert t.shows("n >= 1000", "True")
    assert t.quit() == 0


def test_history_persists_across_sessions(terminal, tmp_path):
    t = terminal()
    assert t.shows("remembered = 1234; 'saved' + '!'", "saved!")
    assert t.quit() == 0
    with open(tmp_path / "history") as f:
        assert "+remembered = 1234; " in f.read()
    t = terminal()
    t.send_keys("\x1b[A")            # Up: the last input of the previous session
    t.wait_for("remembered = 1234; ")
    assert t.shows("", "saved!")
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
    t.more("print(i)")
    t.wait_for("...")
    t.more("")
    t.wait_for("\n2000\n")         # the program is printing
    t.child.setwinsize(30, 60)     # a resize while it runs (no prompt is up to redraw)
    t.wait_for("\n4000\n")
    t.child.sendintr()             # Ctrl-C in the middle of the output
    t.wait_for("KeyboardInterrupt")
    # i >= 4000: on a loaded machine the interrupt can land inside print(4000), after its
    # text was written
    assert t.shows("kept * 6, i >= 4000", "(42, True)")
    assert t.quit() == 0


def _interrupt_while_running(t, code, started):
    """Type `code` (a block: an empty line ends it), wait until it prints `started`, Ctrl-C."""
    t.send_line(code)
    t.wait_for(started)
    t.child.sendintr()
    t.wait_for("KeyboardInterrupt")


def test_hostile_keys_and_programs_never_end_the_session(terminal, tmp_path):
    # one session for many cases (a pty start costs a second): after each the prompt is back
    # and the variables are intact. HOME unset, the history file impossible to write,
    # a 256-colour TERM with NO_COLOR
    t = terminal(environ={"HOME": None, "GRADSH_HISTORY": str(tmp_path / "no" / "dir" / "h"),
                          "TERM": "xterm-256color"})
    t.send_line("kept = ones(2, requires_grad=True)")
    t.send_line("def h(g):\r    print('in' + ' hook')\r    while True:\r        pass\r\r")
    t.send_line("kept.register_hook(h)")
    # Ctrl-C inside a hook, inside a custom Function's backward
    _interrupt_while_running(t, "(kept * 2).sum().backward()", "in hook")
    t.send_line("kept = ones(2, requires_grad=True)")
    t.send_line("class F(torch.autograd.Function):\r@staticmethod\rdef forward(ctx, x):\r"
                "return x * 2\r@staticmethod\rdef backward(ctx, g):\r"
                "print('in' + ' backward')\rwhile True:\rpass\r\r")
    _interrupt_while_running(t, "F.apply(kept).sum().backward()", "in backward")
    # Ctrl-C at the continuation prompt, Ctrl-D inside a block: the input goes, the session stays
    t.send_line("for i in range(3):")
    t.wait_for("...")
    t.child.sendcontrol("d")
    t.child.sendintr()
    t.prompt_up = False
    assert t.shows("kept.sum() + 40", "tensor(42., grad_fn=<AddBackward0>)")
    # invalid UTF-8 typed or pasted, a very long line pasted, a huge bracketed paste (typed,
    # a long line costs prompt_toolkit a few ms a key: test_shell_hostile checks that the
    # completer adds nothing quadratic)
    t.send_keys("bad = 'a")
    os.write(t.child.child_fd, b"\xff\xfe\xc3")
    t.child.send("'\r")
    t.prompt_up = False
    assert t.shows("len(bad) > 1", "True")
    t.send_keys("\x1b[200~long = [" + "1, " * 20000 + "1]; len(long)\x1b[201~")
    assert t.shows("", "20001")
    block = "".join("v%d = %d\n" % (k, k) for k in range(2000))
    t.send_keys("\x1b[200~" + block + "\x1b[201~")
    t.prompt_up = False
    assert t.shows("v1999 + v1", "2000")
    # completion on a value whose property never returns: Tab offers nothing, runs nothing
    t.send_line("class Loops:\r@property\rdef prop(self):\rwhile True:\rpass\r\r")
    t.send_line("lp = Loops()")
    t.send_keys("lp.prop.\t")
    t.child.sendintr()                     # clears the input
    t.prompt_up = False
    assert t.shows("kept.sum() * 21", "tensor(42., grad_fn=<MulBackward0>)")
    assert t.quit() == 0
