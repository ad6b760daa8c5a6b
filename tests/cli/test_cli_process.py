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
            "('prompt_toolkit', 'rich', 'pygments')); import gc; print(status, bad, "
            "gc.isenabled())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(),
                          timeout=60)
    assert done.stdout.decode() == "1\n0 [] True\n"


# What the pipe path must not import: the terminal libraries (the REPL's), Lark (the parser
# starts from cached tables), importlib.resources (~20 ms of imports for one file's text), and
# the torch sub-packages a program does not use (its builtins name them without importing),
# and what only some kernels need on first use: numpy.random (the generators), libm's search
# (ctypes.util runs ldconfig), numpy.polynomial (Bessel's quadrature nodes), fractions (expf's
# table)
NOT_ON_THE_PIPE_PATH = ("prompt_toolkit", "rich", "pygments", "lark", "importlib.resources",
                        "gradsh.cli.repl", "gradsh.cli.render", "gradsh.kernel", "gradsh.nn",
                        "gradsh.optim", "gradsh.func", "gradsh.autograd.forward_ad",
                        "gradsh.autograd.functional", "numpy.random", "numpy.polynomial",
                        "ctypes.util", "fractions", "gradsh.core.random")


def _imported(stderr):
    """The modules `python -X importtime` reported importing."""
    return {m.group(1) for m in re.finditer(r"^import time:.*\| *(\S+)$", stderr.decode(),
                                            flags=re.M)}


@pytest.mark.parametrize("command", [[GRADSH], [sys.executable, "-m", "gradsh"]],
                         ids=["console script", "python -m gradsh"])
def test_pipe_path_start_up_imports_only_what_it_needs(command):
    """The start-up deferral, kept (README, W5): the whole process, as `gradsh` starts it."""
    done = subprocess.run(command, input=b"print(ones(2) + 1)\n", capture_output=True,
                          env=_env(PYTHONPROFILEIMPORTTIME="1"), timeout=60)
    assert (done.returncode, done.stdout) == (0, b"tensor([2., 2.])\n")
    imported = _imported(done.stderr)
    assert "numpy" in imported and "gradsh.lang.runtime.session" in imported  # it did report
    found = sorted(m for m in imported
                   if any(m == bad or m.startswith(bad + ".") for bad in NOT_ON_THE_PIPE_PATH))
    assert found == []


def test_quick_exit_still_delivers_all_output_and_the_status():
    """After a program the process leaves without Python's teardown (os._exit): what the
    program printed into the pipe's buffer, and the error on stderr, must all be out first."""
    done = subprocess.run([GRADSH, "-c", "for i in range(20000):\n    print(i)\nprint(1 / 0)"],
                          capture_output=True, env=_env(), timeout=60)
    assert done.returncode == 1
    assert done.stdout == "".join("%d\n" % i for i in range(20000)).encode()
    assert done.stderr.decode().startswith("<string>:3:7: ZeroDivisionError: division by zero")


def test_collector_is_on_again_for_the_program_and_after_main():
    """Start-up runs without the cyclic garbage collector; a Python program (--python) and
    whoever called main() get it back."""
    code = ("import gc, sys; from gradsh.cli.main import main; "
            "status = main(['--python', sys.argv[1]]); print(status, gc.isenabled())")
    done = subprocess.run([sys.executable, "-c", code, str(DATA / "gc_state.py")],
                          capture_output=True, env=_env(), timeout=60)
    assert done.stdout.decode() == "collector on: True\n0 True\n", done.stderr


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


def test_pipe_process_adds_no_python_error_handlers_and_keeps_pytorch_argument_errors():
    """The command's program paths skip the handlers a Python program's argument errors need
    (core/library_errors.py: a .grad program has its own translation), a tenth of the pipe's
    start-up; the program still gets PyTorch's TypeError (clamp's, as PyTorch 2.13 words it).
    main() called in a process of its own (not the command's) leaves them on."""
    program = "print(clamp(ones(2), mn=0))\n"
    done = subprocess.run([GRADSH], input=program.encode(), capture_output=True, env=_env(),
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode().startswith(
        "<stdin>:1:7: TypeError: clamp() received an invalid combination of arguments - got "
        "(Tensor, mn=int), but expected one of:\n"
        " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n")
    code = ("import sys, gradsh; from gradsh.cli.main import main; "
            "from gradsh.core import library_errors as le; status = main(['-c', 'print(1)'], "
            "real_process=sys.argv[1] == 'real'); "
            "print(status, le.translate in gradsh.clamp.__code__.co_consts)")
    for real, installed in (("real", False), ("in-process", True)):
        done = subprocess.run([sys.executable, "-c", code, real], capture_output=True,
                              env=_env(), timeout=60)
        assert done.stdout.decode() == "1\n0 %s\n" % installed, done.stderr


def test_pipe_process_layers_only_the_torch_functions_its_program_names():
    """The API gives an op function its layers (PyTorch's keywords, number slots, the
    dispatch, PyTorch's name) when it is first read, and a session's builtins resolve only the
    names a program's code reads (gradsh/_api.py; docs/speed.md, the nineteenth pass): of the
    448 op functions, the pipe layers the two its program names, as global and as torch.*."""
    code = ("import sys, gradsh; from gradsh.cli.main import main; "
            "status = main(['-c', 'print(cumsum(ones(2), 0), torch.sigmoid(zeros(1)))'], "
            "real_process=True); api = sys.modules['gradsh._api']; "
            "print(status, sorted(n for n in api._LAYERED_ON_READ if n in vars(api)), "
            "len(api._LAYERED_ON_READ) > 400)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(),
                          timeout=60)
    assert done.stdout.decode() == (
        "tensor([1., 2.]) tensor([0.5000])\n0 ['cumsum', 'sigmoid'] True\n"), done.stderr


def test_a_program_catching_keyboard_interrupt_still_ends_at_ctrl_c():
    # (branch lang19a) the program's `except KeyboardInterrupt` catches what it raises itself,
    # never the signal's: the loop ends at the first Ctrl-C, as an interrupt (130)
    proc = subprocess.Popen([GRADSH, "-c", "try:\n    raise KeyboardInterrupt\n"
                             "except KeyboardInterrupt:\n    print('started')\n"
                             "while True:\n    try:\n        pass\n"
                             "    except KeyboardInterrupt:\n        pass\n"
                             "    except BaseException:\n        pass\n"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(PYTHONUNBUFFERED="1"))
    try:
        assert proc.stdout.readline() == b"started\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert (proc.returncode, err) == (130, b"KeyboardInterrupt\n")
