"""The installed console script as a process: what only a real process can show (signals, a
closed pipe, the shebang, what the pipe path imports)."""

import os
import pathlib
import re
import signal
import subprocess
import sys

import pytest

from cli_helpers import GRADSH, VENV_BIN

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"

pytestmark = pytest.mark.skipif(not os.path.exists(GRADSH), reason="console script not installed")


def _env(**extra):
    env = dict(os.environ, PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return env


def test_pipe_program_through_the_console_script():
    done = subprocess.run([GRADSH], input=b"print(ones(2) + 1)\n", capture_output=True,
                          env=_env(), timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"tensor([2., 2.])\n", b"")


def test_python_dash_m_gradsh_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "gradsh", "-c", "ones(2) * 2"],
                          capture_output=True, env=_env(), timeout=60)
    assert (done.returncode, done.stdout) == (0, b"tensor([2., 2.])\n")


def test_pipe_path_imports_no_terminal_libraries():
    code = ("import sys; from gradsh.cli.main import main; status = main(['-c', 'print(1)']); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('prompt_toolkit', 'rich', 'pygments')); print(status, bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(),
                          timeout=60)
    assert done.stdout.decode() == "1\n0 []\n"


def test_tutorial_script_prints_what_pytorch_prints():
    """The seed tutorial (with the oracle's seed) through the command: no echo for scripts."""
    done = subprocess.run([GRADSH, os.path.join(DATA, "tutorial.grad")], capture_output=True,
                          env=_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    with open(os.path.join(DATA, "tutorial.expected")) as f:
        expected = f.read()
    addr = re.compile(r"0x[0-9a-f]+")
    assert addr.sub("0x?", done.stdout.decode()) == addr.sub("0x?", expected)


def test_executable_script_with_shebang(tmp_path):
    prog = tmp_path / "run_me.grad"
    prog.write_text("#!/usr/bin/env gradsh\nprint(argv[1:], ones(1) * 7)\n")
    prog.chmod(0o755)
    done = subprocess.run([str(prog), "a"], capture_output=True, env=_env(), timeout=60)
    assert (done.returncode, done.stdout) == (0, b"['a'] tensor([7.])\n")


def test_interrupt_of_a_running_program_exits_130():
    # (unbuffered: on a pipe, "started" would otherwise wait in the buffer, as under python)
    proc = subprocess.Popen([GRADSH, "-c", "print('started')\nwhile True:\n    pass\n"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(PYTHONUNBUFFERED="1"))
    try:
        assert proc.stdout.readline() == b"started\n"   # the program runs: interrupt it
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == b"KeyboardInterrupt\n"


def test_closed_pipe_ends_quietly():
    proc = subprocess.Popen([GRADSH, "-c", "for i in range(200000):\n    print(i)\n"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(PYTHONUNBUFFERED="1"))
    try:
        assert proc.stdout.readline() == b"0\n"
        proc.stdout.close()  # as `head -1` does
        err = proc.stderr.read()
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert err == b""
    assert proc.returncode == 141
