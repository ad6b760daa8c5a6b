"""The gradsh command on programs that abuse classes, exceptions and generators: exit status 1,
a located one-line error (or a one-line warning), never a Python traceback."""

import subprocess

import pytest
from cli_helpers import GRADSH

CASES = [
    # (program, exit status, fragment of the error line on stderr, what stdout must be)
    ("while True:\n    try:\n        x = [0] * 10 ** 9\n    except:\n        pass\n", 1,
     "t.grad:3:13: LimitError", ""),
    ("def f():\n    try:\n        f()\n    finally:\n        while True:\n            pass\nf()\n", 1,
     "RecursionError: maximum recursion depth exceeded", ""),
    ("class E(Exception):\n    def __str__(self):\n        return 1 / 0\nraise E()\n", 1,
     "t.grad:4:1: E: <exception str() failed>", ""),
    ("raise 42\n", 1, "t.grad:1:1: TypeError: exceptions must derive from BaseException", ""),
    ("def g():\n    try:\n        yield 1\n    finally:\n        print(1 / 0)\n"
     "print(next(g()))\nprint('after')\n", 0,
     "warning: an exception was ignored while a generator was closed: ZeroDivisionError", "1\nafter\n"),
    ("class Net(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
     "        return x * 2\n    @staticmethod\n    def backward(ctx, g):\n        return g * 2\n"
     "print(Net.apply(torch.ones(2, requires_grad=True)))\n", 0, "",
     "tensor([2., 2.], grad_fn=<NetBackward>)\n"),
]


@pytest.mark.parametrize("source, status, err, out", CASES,
                         ids=[c[0].split("\n")[0][:30] for c in CASES])
def test_command_on_class_and_exception_programs(tmp_path, source, status, err, out):
    program = tmp_path / "t.grad"
    program.write_text(source)
    done = subprocess.run([GRADSH, "t.grad"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    located = [line for line in done.stderr.splitlines() if not line.startswith(" ")]
    assert err in (located[-1] if located else "")
    assert done.stdout == out


def test_ctrl_c_is_not_swallowed_by_a_bare_except_or_a_looping_finally():
    import os
    import signal
    env = dict(os.environ, PYTHONUNBUFFERED="1")  # "started" must not wait in a pipe's buffer
    program = ("print('started')\nwhile True:\n    try:\n        x = sum(range(10 ** 5))\n"
               "    except:\n        pass\n    finally:\n        for i in range(10 ** 5):\n"
               "            pass\n")
    proc = subprocess.Popen([GRADSH, "-c", program], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline() == b"started\n"
        proc.send_signal(signal.SIGINT)  # the loop never ends by itself: no timing needed
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == b"KeyboardInterrupt\n"
