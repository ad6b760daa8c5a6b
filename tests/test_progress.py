"""gradsh's tqdm (gradsh/progress.py): the common forms of tqdm's API, silent when stderr is
not a terminal, drawn with Rich when it is. Expected values are tqdm's documented behaviour:
iterating yields the items unchanged, `n` counts the steps, trange(n) is tqdm(range(n))."""

import io

import pytest

from gradsh.progress import tqdm, trange


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_tqdm_yields_the_items_and_counts_them():
    bar = tqdm([3, 1, 2], desc="data")
    assert list(bar) == [3, 1, 2]
    assert (bar.n, bar.total, bar.desc) == (3, 3, "data")


def test_trange_is_tqdm_over_range():
    bar = trange(2, 8, 3)
    assert list(bar) == [2, 5]
    assert bar.total == 2 and len(bar) == 2


def test_manual_update_with_a_context_manager():
    with tqdm(total=10) as bar:
        bar.update(4)
        bar.update()
        bar.set_postfix(loss=0.123456, step=5)
        bar.set_description("epoch 1")
    assert bar.n == 5
    assert bar.postfix == "loss=0.123, step=5"
    assert bar.desc == "epoch 1"


def test_silent_when_the_stream_is_not_a_terminal(capsys):
    out = io.StringIO()
    for _ in tqdm(range(100), file=out, desc="x"):
        pass
    assert out.getvalue() == ""
    for _ in trange(5):        # default stream: stderr, captured (not a terminal) here
        pass
    assert capsys.readouterr() == ("", "")


def test_drawn_with_rich_on_a_terminal():
    term = Terminal()
    bar = tqdm(range(40), file=term, desc="train", mininterval=0)
    for i in bar:
        if i == 39:
            bar.set_postfix(loss=0.5)
    text = term.getvalue()
    assert "train" in text and "40/40" in text and "loss=0.5" in text
    assert "━" in text   # Rich's bar


def test_leave_false_removes_the_bar():
    term = Terminal()
    for _ in tqdm(range(3), file=term, leave=False):
        pass
    assert "3/3" not in term.getvalue().rsplit("\r", 1)[-1]


def test_disable_draws_nothing_even_on_a_terminal():
    term = Terminal()
    assert list(tqdm(range(3), file=term, disable=True)) == [0, 1, 2]
    assert term.getvalue() == ""


def test_a_bar_without_iterable_cannot_be_iterated():
    with pytest.raises(TypeError):
        list(tqdm(total=3))


def test_break_out_of_the_loop_closes_the_bar():
    term = Terminal()
    bar = tqdm(range(100), file=term)
    for i in bar:
        if i == 9:
            break
    bar.close()    # a second close is harmless
    assert bar.n == 9


PROGRAM = """from tqdm import tqdm, trange
for i in trange(3):
    print(i)
bar = tqdm([10, 20], desc="data")
for v in bar:
    bar.set_postfix(v=v)
print(bar.n, bar.total, bar.desc, bar.postfix)
with tqdm(total=4) as b:
    b.update(2)
    b.set_description("half")
print(b.n, b.desc)
"""


def _run(source):
    from gradsh.lang import Session
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(source, "prog.grad")
    return out.getvalue(), err.getvalue()


def test_a_grad_program_uses_tqdm_and_its_stdout_stays_its_own():
    out, err = _run(PROGRAM)
    assert out == "0\n1\n2\n2 2 data v=20\n2 half\n"
    assert err == ""


def test_a_program_cannot_reach_the_bars_insides():
    from gradsh.lang import GradshError
    for attr in ("_iterable", "_drawing", "_stream"):
        with pytest.raises(GradshError) as e:
            _run("from tqdm import tqdm\nb = tqdm([1])\nb.%s\n" % attr)
        assert e.value.kind == "AttributeError"


def test_script_draws_on_a_terminal_stderr_and_keeps_stdout_clean(tmp_path):
    import os
    import pty
    import subprocess
    import sys
    script = tmp_path / "train.grad"
    script.write_text("from tqdm import trange\ntotal = 0\nfor i in trange(50, desc='steps'):\n"
                      "    total += i\nprint(total)\n")
    master, slave = pty.openpty()
    gradsh = os.path.join(os.path.dirname(sys.executable), "gradsh")
    done = subprocess.run([gradsh, str(script)], stdout=subprocess.PIPE, stderr=slave,
                          timeout=60, env=dict(os.environ, COLUMNS="100"))
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert done.returncode == 0
    assert done.stdout == b"1225\n"          # sum(range(50)): stdout is the program's alone
    text = drawn.decode("utf-8", "replace")
    assert "steps" in text and "50/50" in text
