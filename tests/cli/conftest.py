"""Helpers for the command-line and REPL tests: in-process runs with injected streams, a
headless REPL on prompt_toolkit's pipe input, and the installed console script."""

import io
import os
import threading
import time

import pytest

from gradsh.cli.env import Environment


class Result:
    def __init__(self, status, out, err):
        self.status, self.out, self.err = status, out, err

    def __repr__(self):
        return "Result(%r, out=%r, err=%r)" % (self.status, self.out, self.err)


def make_env(stdin="", tty=False, environ=None, width=80, stdout_tty=False):
    stdin_stream = io.StringIO(stdin if isinstance(stdin, str) else "")
    stdin_bytes = io.BytesIO(stdin if isinstance(stdin, bytes) else stdin.encode("utf-8"))
    base = {"HOME": os.environ.get("HOME", "/tmp")}
    base.update(environ or {})
    return Environment(stdin=stdin_stream, stdout=io.StringIO(), stderr=io.StringIO(),
                       stdin_isatty=tty, stdout_isatty=stdout_tty, environ=base,
                       stdin_bytes=stdin_bytes, width=width)


@pytest.fixture
def run_cli():
    """run_cli(argv, stdin="", ...) -> Result: the command in-process."""
    from gradsh.cli.main import main

    def run(argv, stdin="", **kw):
        env = make_env(stdin, **kw)
        status = main(list(argv), env)
        return Result(status, env.stdout.getvalue(), env.stderr.getvalue())
    return run


@pytest.fixture
def history_file(tmp_path):
    return str(tmp_path / "history")


@pytest.fixture
def repl(history_file):
    """repl(keys, argv=(), environ=None, session=None) -> Result: a headless REPL fed `keys`.

    Keys are what a terminal sends: "\\r" is Enter, "\\x03" Ctrl-C, "\\x04" Ctrl-D. A final
    Ctrl-D is added so the loop always ends. A list of strings is typed in bursts, `pause`
    seconds apart.
    """
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from gradsh.cli.args import parse_args
    from gradsh.cli.repl import start_repl

    def run(keys, argv=(), environ=None, session=None, width=80, colour=False, pause=0.3):
        env_vars = {"GRADSH_HISTORY": history_file}
        env_vars.update(environ or {})
        env = make_env("", tty=True, environ=env_vars, width=width, stdout_tty=colour)
        chunks = [keys] if isinstance(keys, str) else list(keys)
        with create_pipe_input() as inp:
            # a test that forgets to end its session fails instead of hanging
            watchdog = threading.Timer(60, inp.close)
            watchdog.daemon = True
            watchdog.start()
            inp.send_text(chunks[0])
            if len(chunks) > 1:
                # typed in bursts, as a person types: asynchronous work (completion) can finish
                def feed():
                    for chunk in chunks[1:]:
                        time.sleep(pause)
                        inp.send_text(chunk)
                    inp.send_text("\x04")
                threading.Thread(target=feed, daemon=True).start()
            else:
                inp.send_text("\x04")
            try:
                status = start_repl(env, parse_args(list(argv)), session, input=inp,
                                    output=DummyOutput())
            finally:
                watchdog.cancel()
        return Result(status, env.stdout.getvalue(), env.stderr.getvalue())
    return run
