"""The REPL as a person sees it: the real `gradsh` in a pseudo-terminal at 60, 80 and 120
columns, its output drawn by a terminal emulator (pyte), assertions on the screen's text.

Every wait is for a state of the screen (a new empty prompt, a text appearing), never for a
time. Expected tensor text: PyTorch's, recorded in tests/data/repl_screen_torch.json.
"""

import json
import os
import re
import subprocess
import time

import pytest

from cli_helpers import GRADSH, VENV_BIN

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
pytestmark = pytest.mark.skipif(not os.path.exists(GRADSH), reason="console script not installed")

with open(os.path.join(os.path.dirname(__file__), "..", "data", "repl_screen_torch.json")) as f:
    TORCH = json.load(f)

# SGR sequences that set a colour (foreground, background, 256-colour, true colour)
_COLOUR_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_COLOUR_CODES = {str(n) for n in [*range(30, 39), *range(40, 49), *range(90, 98),
                                  *range(100, 108)]}


def colour_codes(raw):
    found = set()
    for params in _COLOUR_SGR.findall(raw):
        found.update(p for p in params.split(";") if p in _COLOUR_CODES)
    return found


class _Scrolling(pyte.Screen):
    """A pyte screen that keeps the lines scrolled off its top."""

    def __init__(self, cols, rows):
        super().__init__(cols, rows)
        self.gone = []

    def index(self):
        top, bottom = self.margins or (0, self.lines - 1)
        if self.cursor.y == bottom:
            row = self.buffer[top]
            self.gone.append("".join(row[x].data for x in range(self.columns)).rstrip())
        super().index()


class Screen:
    """gradsh in a pty of `cols` x `rows`, drawn on a pyte screen (lines scrolled off the
    top are kept: `lines()` is everything shown since the start)."""

    def __init__(self, tmp_path, cols=80, rows=60, args=(), environ=None, command=None):
        env = dict(os.environ, GRADSH_HISTORY=str(tmp_path / "history"), TERM="xterm",
                   PROMPT_TOOLKIT_NO_CPR="1", LC_ALL="C.UTF-8",
                   PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
        for name in ("NO_COLOR", "FORCE_COLOR", "PAGER", "MANPAGER", "LESS"):
            env.pop(name, None)
        env.update(environ or {})
        self.cols = cols
        self.screen = _Scrolling(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw = ""
        self._lines = None      # the screen's lines, cached until more output arrives
        if command is None:
            self.child = pexpect.spawn(GRADSH, list(args), env=env, encoding="utf-8",
                                       timeout=30, dimensions=(rows, cols))
        else:
            self.child = pexpect.spawn("/bin/sh", ["-c", command], env=env, encoding="utf-8",
                                       timeout=30, dimensions=(rows, cols))

    # ------------------------------------------------------------ reading the screen
    def lines(self):
        if self._lines is None:
            self._lines = self.screen.gone + [line.rstrip() for line in self.screen.display]
        return self._lines

    def cursor_line(self):
        return len(self.screen.gone) + self.screen.cursor.y

    def text(self):
        return "\n".join(self.lines()).rstrip()

    def _pump(self):
        try:
            data = self.child.read_nonblocking(65536, timeout=0.1)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            raise AssertionError("gradsh ended; the screen:\n" + self.text()) from None
        self.raw += data
        self.stream.feed(data)
        self._lines = None

    def wait(self, ready, what, timeout=30):
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise AssertionError("never saw %s; the screen:\n%s" % (what, self.text()))
            self._pump()

    def wait_for(self, needle):
        self.wait(lambda: needle in self.text(), repr(needle))

    def prompts(self):
        return [k for k, line in enumerate(self.lines()) if line.startswith(">>>")]

    def idle(self):
        """True when the last line with text is an empty prompt (and the cursor is on it)."""
        lines = self.lines()
        filled = [k for k, line in enumerate(lines) if line]
        return bool(filled) and lines[filled[-1]] == ">>>" and self.cursor_line() == filled[-1]

    def start(self):
        self.wait(self.idle, "the first prompt")
        return self

    # ------------------------------------------------------------ typing
    def run(self, line, keys="\r"):
        """Type `line` and Enter; wait for the next empty prompt; the lines shown in between
        (the input's own lines excluded)."""
        before = len(self.prompts())
        self.child.send(line + keys)
        self.wait(lambda: len(self.prompts()) > before and self.idle(),
                  "a new prompt after %r" % line)
        lines = self.lines()
        start, end = self.prompts()[before - 1], self.prompts()[-1]
        shown = [x for x in lines[start + 1:end] if not x.startswith("...")]
        return "\n".join(shown)

    def block(self, *lines):
        """Type a block line by line (the REPL indents), then the empty line that ends it."""
        for line in lines[:-1]:
            self.child.send(line + "\r")
            count = self.text().count("...")
            self.wait(lambda c=count: self.text().count("...") > c, "a continuation prompt")
        return self.run(lines[-1] + "\r" if lines[-1] else "")

    def quit(self):
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def screen(tmp_path):
    started = []

    def make(cols=80, **kw):
        s = Screen(tmp_path, cols, **kw)
        started.append(s)
        return s
    yield make
    for s in started:
        if s.child.isalive():
            s.child.terminate(force=True)


def assert_fits(text, cols):
    for line in text.split("\n"):
        assert len(line) <= cols, line


def words(text):
    return " ".join(text.split())


# ---------------------------------------------------------------- broken at ordinary widths

LONG = "schedule_for_the_second_layer"


@pytest.mark.parametrize("cols", [60, 80, 120])
def test_the_shells_displays_at_each_width(screen, cols):
    """:vars, a 2x8 gradient and a training loop's :trace in one session per width."""
    s = screen(cols, rows=40).start()
    check_vars(s, cols)
    check_gradient_2x8(s, cols)
    check_trace_of_a_training_loop(s, cols)
    assert s.quit() == 0


def check_vars(s, cols):
    s.run("w = ones(2, 8, requires_grad=True)")
    s.run("%s = torch.ones(3, dtype=torch.float64)" % LONG)
    s.run("out = (w * 2).sum(); n = 3")
    shown = s.run(":vars")
    lines = shown.split("\n")
    assert lines[0] == "variables"
    rule = next(k for k, line in enumerate(lines) if line.strip().startswith("───"))
    header = lines[rule - 1].split()
    rows = {line.split()[0]: line.split() for line in lines[rule + 1:] if line.strip()}
    assert set(rows) == {"w", LONG, "out", "n"}      # every name whole, none cut
    assert header[:3] == ["name", "type", "shape"]
    assert rows["w"][1:3] == ["tensor", "(2,"]       # type and shape always kept
    if cols >= 80:
        # the important columns stay; the least important go first
        assert header[:5] == ["name", "type", "shape", "dtype", "requires_grad"]
        assert rows[LONG][3] == "torch.float64"
    if cols >= 120:
        assert header == ["name", "type", "shape", "dtype", "requires_grad", "grad_fn", "grad"]
        assert "SumBackward0" in rows["out"]
    assert "…" not in shown
    assert_fits(shown, cols)


def _panel_body(shown):
    """The rows inside the gradients panel's borders (or the rows after a plain title)."""
    lines = shown.split("\n")
    if lines[0].startswith("╭"):
        assert lines[-1].startswith("╰")
        return [line[2:-2].rstrip() for line in lines[1:-1]]
    assert lines[0].startswith("── gradients")
    return lines[1:]


def _torch_layout_that_fits(prefix, room):
    """PyTorch's text of the 2x8 tensor at the largest linewidth whose rows fit in `room`
    columns after `prefix`."""
    texts = TORCH["tensor_2x8_by_linewidth"]
    for lw in range(80, 15, -1):
        text = texts[str(lw)]
        if max(len(row) for row in text.split("\n")) + len(prefix) <= room:
            return text
    raise AssertionError("no recorded layout fits")


def check_gradient_2x8(s, cols):
    """The panel's tensor takes PyTorch's layout for the room left after `w.grad = `."""
    s.run("w = ((torch.arange(16.).reshape(2, 8) - 5.5) * 1.2345).requires_grad_()")
    shown = s.run("(w * w / 2).sum().backward()")       # w.grad == w
    body = _panel_body(shown)
    prefix = "w.grad = "
    expected = _torch_layout_that_fits(prefix, cols - 4)
    if cols >= 120:
        assert expected == TORCH["tensor_2x8_by_linewidth"]["80"]   # unchanged when it fits
    pad = " " * len(prefix)
    assert body == (prefix + expected.replace("\n", "\n" + pad)).split("\n")
    assert_fits(shown, cols)


_NUMBER = re.compile(r"-?\d+\.\d+")


def check_trace_of_a_training_loop(s, cols):
    s.run("w = ones(2, 8, requires_grad=True); x = torch.arange(16.).reshape(2, 8) / 7")
    s.block("for step in range(3):", "loss = ((w * x).sum() - 1) ** 2", "loss.backward()",
            "with no_grad():", "w -= 0.01 * w.grad", "w.grad = None")
    s.run("loss = ((w * x).sum() - 1) ** 2")
    shown = s.run(":trace loss")
    assert shown.startswith("backward of loss, ")
    assert "w: AccumulateGrad" in shown
    assert_fits(shown, cols)
    # every 2x8 tensor shown (the gradients into and out of MulBackward0, w.grad) keeps its
    # 16 numbers whole: a number cut by a wrap would count twice or lose its decimals
    blocks = re.findall(r"tensor\(\[\[.*?\]\]\)", shown, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        numbers = _NUMBER.findall(block)
        assert len(numbers) == 16, block
        assert all(len(n.split(".")[1]) == 4 for n in numbers), block


def test_long_messages_wrap_at_word_boundaries(screen):
    from gradsh.lang import GradshError, Session
    from gradsh.lang.runtime.pybuiltins import describe
    import gradsh
    s = screen(60).start()
    shown = s.run("ones(10 ** 6, 10 ** 6)")
    with pytest.raises(GradshError) as info:
        Session().run("ones(10 ** 6, 10 ** 6)\n")
    message = info.value.message
    headline_lines = shown.split("\n")[:-2]            # the source line and the caret follow
    assert " ".join(headline_lines).split() == ("<stdin>:1:1: TensorTooLarge: " + message).split()
    assert_fits("\n".join(headline_lines), 60)
    s.run("x = ones(2, requires_grad=True)")
    shown = s.run("help(x.backward)")
    assert shown.split() == describe(gradsh.ones(2).backward).split()
    assert_fits(shown, 60)
    from gradsh.cli.helptext import TOPICS
    for topic in ("autograd", "keys"):
        shown = s.run(":help " + topic)
        assert_fits(shown, 60)
        assert shown.split() == TOPICS[topic].split()      # no word cut in two
    # a two-column row wraps under its second column
    lines = s.run(":help keys").split("\n")
    row = lines.index(next(line for line in lines if line.startswith("Enter ")))
    assert lines[row + 1].startswith(" " * 14) and lines[row + 1][14] != " "
    assert s.quit() == 0


@pytest.mark.parametrize("how", [["--color", "never"], "NO_COLOR"])
def test_color_never_sends_no_colour_at_all(screen, how):
    environ = {"NO_COLOR": "1"} if how == "NO_COLOR" else {}
    s = screen(80, args=how if how != "NO_COLOR" else (), environ=environ).start()
    s.run("x = ones(2, requires_grad=True)  # a comment, a 'string'")
    s.child.send("x.su")
    s.wait_for("subtract")                       # the completion menu
    s.child.send("\x1b")
    s.wait(lambda: "subtract" not in s.text(), "the menu closed")
    s.run("m")
    s.run("(x * 2).sum()")
    s.run("undefined_name")
    assert colour_codes(s.raw) == set()
    assert s.quit() == 0


def test_escape_closes_the_menu_and_esc_enter_runs_without_a_surprise_newline(screen):
    s = screen(80).start()
    s.run("x = ones(2, requires_grad=True)")
    s.child.send("x.su")
    s.wait_for("subtract")
    s.child.send("\x1b")
    s.wait(lambda: "subtract" not in s.text(), "the menu closed")
    # Esc then Enter (what Alt-Enter sends) runs the complete input: no new line
    assert s.run("m()", keys="\x1b\r") == "tensor(2., grad_fn=<SumBackward0>)"
    # colour is on by default in a terminal: the --color never check above can fail
    assert colour_codes(s.raw)
    assert s.quit() == 0


# ---------------------------------------------------------------- Python's habits

@pytest.mark.parametrize("word", ["exit", "quit", "exit()", "quit()"])
def test_exit_and_quit_leave_the_shell(screen, word):
    s = screen(80).start()
    s.child.send(word + "\r")
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert s.child.exitstatus == 0


@pytest.mark.parametrize("cols", [60, 120])
def test_python_habits_in_one_session(screen, cols):
    s = screen(cols).start()
    # `_` holds the last value shown
    assert s.run("3 + 4") == "7"
    assert s.run("_ * 2") == "14"
    # did you mean, as Python 3.12 (and a swapped pair of letters)
    s.run("x = ones(2, requires_grad=True); out = (x * 3).sum()")
    assert "has no attribute 'gard'. Did you mean: 'grad'?" in words(s.run("x.gard"))
    assert "name 'prnt' is not defined. Did you mean: 'print'?" in words(s.run("prnt(1)"))
    assert "Did you mean: 'backward'?" in words(s.run("out.backwards()"))
    # values as PyTorch and Python show them
    assert re.fullmatch(r"<torch\._C\.Generator object at 0x[0-9a-f]+>",
                        s.run("torch.manual_seed(0)"))
    assert s.run("print") == "<built-in function print>"
    # help with signature and summary: help(x.backward), x.backward?, :help backward
    signature = "gradient=None, retain_graph=None, create_graph=False, inputs=None)"
    for asked in ("help(x.backward)", "x.backward?", ":help backward"):
        shown = words(s.run(asked))
        # the method of x, or torch.Tensor.backward (with self, as Python's help shows it)
        self_ = "self, " if asked.startswith(":") else ""
        assert shown.startswith("Tensor.backward(" + self_ + signature), asked
        assert "Compute the gradient of this tensor" in shown, asked
    assert s.quit() == 0


def test_typing_blocks_as_in_python(screen):
    s = screen(80).start()
    # output without a final newline is kept
    assert s.run('print("abc", end="")') == "abc"
    assert s.block("for i in range(3):", 'print(i, end=" ")') == "0 1 2"
    # an empty line right after a block header: Python's IndentationError
    shown = words(s.block("for i in range(3):", ""))
    assert "IndentationError: expected an indented block after 'for' statement on line 1" \
        in shown
    # else dedents itself; syntax errors speak of statements and expressions
    assert s.block("if 1 > 2:", "print('no')", "else:", "print('yes')") == "yes"
    lines = s.lines()
    assert "... else:" in lines                       # typed at the body's level, dedented
    assert "...     print('yes')" in lines
    shown = words(s.block("else:", ""))
    assert "'else' without a matching 'if', 'for', 'while' or 'try' block" in shown
    assert "expected an expression, '*'" not in shown
    assert "found number 2 right after an expression" in words(s.run("print(1 2)"))
    assert s.quit() == 0


def test_a_recalled_block_runs_with_enter_or_alt_enter(screen):
    s = screen(80).start()
    assert s.block("for i in range(2):", "print('round', i)") == "round 0\nround 1"
    s.child.send("\x1b[A")                            # Up: the whole block comes back
    s.wait(lambda: s.lines()[s.screen.cursor.y].startswith("...") and not s.idle(),
           "the recalled block")
    assert s.run("", keys="\r") == "round 0\nround 1"  # Enter: runs at once, no empty line
    s.child.send("\x1b[A")
    s.wait(lambda: not s.idle(), "the recalled block")
    s.child.send("\x1b[A")                            # cursor up into the block
    assert s.run("", keys="\x1b\r") == "round 0\nround 1"  # Alt-Enter runs it too
    assert s.quit() == 0


def test_help_keys_time_timeit_and_the_gradient_order(screen):
    s = screen(80).start()
    keys = s.run(":help keys")
    for key in ("Alt-Enter", "Ctrl-O", "Escape", "exit", "Ctrl-R"):
        assert key in keys
    assert "exit, quit" in s.run(":help").replace("\n", " ")
    shown = s.run(":time ones(3).sum()")
    assert re.fullmatch(r"tensor\(3\.\)\nCPU times: user .+, sys: .+, total: .+\n"
                        r"Wall time: [\d.]+ (s|ms|µs|ns)", shown), shown
    shown = s.run(":timeit ones(3).sum()")
    assert re.fullmatch(r"[\d.]+ (s|ms|µs|ns) ± [\d.]+ (s|ms|µs|ns) per loop \(mean ± std\. "
                        r"dev\. of \d runs, [\d,]+ loops? each\)", shown), shown
    # the gradients panel lists tensors in the order their variables were defined
    s.run("b = ones(2, requires_grad=True); a = ones(2, requires_grad=True)")
    shown = s.run("(a * b * 2).sum().backward()")
    assert shown.index("b.grad") < shown.index("a.grad")
    assert s.quit() == 0


def test_help_config_shows_the_settings_in_force(screen, tmp_path):
    s = screen(120, environ={"GRADSH_MAX_MEMORY": "1G"}).start()   # room for the tmp path
    shown = s.run(":help config")
    assert str(tmp_path / "history") in shown
    assert re.search(r"max tensor size +1(\.0)? GiB", shown), shown
    assert re.search(r"colour +on", shown)
    assert s.quit() == 0


def test_help_torch_lists_every_name_in_a_pager(screen):
    s = screen(80, rows=24).start()
    s.child.send(":help torch\r")
    s.wait(lambda: "torch (" in s.text() and "names)" in s.text(), "the list of names")
    s.wait(lambda: s.lines()[-1].startswith(":") or "(END)" in s.lines()[-1],
           "the pager's prompt")
    assert "abs" in s.text()
    s.child.send("q")
    s.wait(s.idle, "the prompt after the pager")
    assert s.quit() == 0


def test_a_pipe_on_stdout_gives_pythons_plain_line_mode(screen, tmp_path):
    log = tmp_path / "log"
    s = screen(80, command="%s | cat > %s" % (GRADSH, log))
    s.wait_for(">>>")
    s.child.send("x = ones(2, requires_grad=True)\r")
    s.wait(lambda: s.text().count(">>>") >= 2, "the second prompt")
    s.child.send("(x * 3).sum().backward()\r")
    s.wait(lambda: s.text().count(">>>") >= 3, "the third prompt")
    s.child.send("for i in range(2):\r")
    s.wait_for("...")
    s.child.send("    print(i)\r")
    s.wait(lambda: s.text().count("...") >= 2, "the second continuation prompt")
    s.child.send("\r")
    s.wait(lambda: s.text().count(">>>") >= 4, "the fourth prompt")
    s.child.send("exit\r")
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert colour_codes(s.raw) == set()
    # the log holds the results, as `python | tee log` does; prompts stayed on the terminal
    assert log.read_text() == "x.grad = tensor([3., 3.])\n0\n1\n"
    assert ">>> x = ones(2" in s.text()


def test_did_you_mean_in_a_file_too(tmp_path):
    prog = tmp_path / "typo.grad"
    prog.write_text("x = torch.ones(2, requires_grad=True)\nprnt(x.gard)\n")
    r = subprocess.run([GRADSH, str(prog)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "NameError: name 'prnt' is not defined. Did you mean: 'print'?" in r.stderr
