"""Hostile input at the command line and in the REPL (issue 7's CLI and REPL cases): each gets
its exit status, a message on stderr naming the problem, no Python traceback, and a time bound."""

import time

import pytest
from cli_helpers import body

# (id, argv, stdin bytes, exit status, stderr fragment, seconds)
PIPE_CASES = [
    ("nul-byte", [], b"print(1)\0\n", 1, "NUL", 5),
    ("invalid-utf8", [], b"print('\xff')\n", 1, "UTF-8", 5),
    ("utf16-bom", [], "print(1)\n".encode("utf-16"), 1, "UTF-16", 5),
    ("utf8-bom-accepted", [], b"\xef\xbb\xbfprint(1)\n", 0, "", 5),
    ("crlf-accepted", [], b"x = 2\r\nprint(x)\r\n", 0, "", 5),
    ("empty-program", [], b"", 0, "", 5),
    ("only-a-comment", [], b"# nothing\n", 0, "", 5),
    ("deep-brackets", [], b"(" * 100000 + b")" * 100000 + b"\n", 1, "nested", 10),
    ("deep-unary-minus", [], b"-" * 100000 + b"1\n", 1, "nested", 10),
    ("unterminated-string", [], b"s = 'abc\n", 1, "SyntaxError", 5),
    ("unclosed-bracket", [], b"x = [1, 2\n", 1, "SyntaxError", 5),
    ("tabs-and-spaces", [], b"if True:\n\tx = 1\n        y = 2\n", 1, "Error", 5),
    ("huge-power", [], b"2 ** 10 ** 10\n", 1, "limit", 10),
    ("huge-repeat", [], b"'a' * 10 ** 10\n", 1, "limit", 10),
    ("host-escape", [], b"().__class__.__mro__\n", 1, "AttributeError", 5),
    ("open-is-absent", [], b"open('/etc/passwd')\n", 1, "NameError", 5),
    ("import-os", [], b"import os\n", 1, "can be imported", 5),
    ("deep-recursion", [], b"def f(n):\n    return f(n + 1)\nf(0)\n", 1, "RecursionError", 20),
    ("backward-non-scalar", [], b"x = ones(3, requires_grad=True)\n(x * 2).backward()\n", 1,
     "only for scalar outputs", 5),
    ("backward-twice", [], b"x = ones(1, requires_grad=True)\ny = (x * x).sum()\n"
     b"y.backward()\ny.backward()\n", 1, "second time", 5),
    ("tensor-too-large", ["--max-memory", "1M"], b"zeros(10 ** 7)\n", 1, "zeros(10 ** 7)", 5),
    ("negative-size", [], b"ones(-1)\n", 1, "RuntimeError", 5),
    ("unknown-option", ["--frobnicate"], b"", 2, "unknown option", 5),
    ("missing-file", ["/nonexistent/x.grad"], b"", 2, "can't open file", 5),
]


@pytest.mark.parametrize("argv, stdin, status, fragment, seconds",
                         [case[1:] for case in PIPE_CASES], ids=[c[0] for c in PIPE_CASES])
def test_hostile_pipe_input_fails_cleanly(run_cli, argv, stdin, status, fragment, seconds):
    from gradsh.core import factories
    t0 = time.monotonic()
    try:
        r = run_cli(argv, stdin=stdin)
    finally:
        factories.set_max_memory(None)
    elapsed = time.monotonic() - t0
    assert r.status == status, r
    assert fragment in r.err
    assert "Traceback" not in r.err
    if status == 0:
        assert r.err == ""
    assert elapsed < seconds


# (id, keys, stdout after the banner, stderr fragment)
REPL_CASES = [
    ("error-then-variables-intact", "a = 1\ra.nope\ra\r", "1\n", "AttributeError"),
    ("syntax-error-then-go-on", "def (:\r\r1\r", "1\n", "SyntaxError"),
    ("nul-in-pasted-input", "\x1b[200~x = '\x00'\n\x1b[201~2\r", "2\n", "NUL"),
    ("escape-attempt", "print.__self__\r3\r", "3\n", "AttributeError"),
    ("meta-on-a-non-tensor", ":trace 5\r4\r", "4\n", "needs a tensor"),
    ("trace-non-scalar", "v = ones(2, requires_grad=True) * 2\r:trace v\r5\r", "5\n",
     "only for scalar outputs"),
    ("load-a-binary-file", ":load /bin/sh\r6\r", "6\n", "Error"),
    ("save-onto-a-directory", "q = 1\r:save /\r7\r", "7\n", "is a directory"),
    ("save-where-it-cannot", "q = 1\r:save /nonexistent/dir/s.grad\r7\r", "7\n",
     "cannot write"),
    ("unknown-meta-option", ":graph --bogus x\r8\r", "8\n", "unknown option --bogus"),
    ("unbalanced-meta-quotes", ":load 'oops\r9\r", "9\n", "quotation"),
]


@pytest.mark.parametrize("keys, out, fragment", [c[1:] for c in REPL_CASES],
                         ids=[c[0] for c in REPL_CASES])
def test_hostile_repl_input_is_reported_and_the_session_goes_on(repl, keys, out, fragment):
    r = repl(keys)
    assert r.status == 0
    assert body(r.out).endswith(out)
    assert fragment in r.err
    assert "Traceback" not in r.err
