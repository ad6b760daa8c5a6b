"""Helpers for the command-line and REPL tests: in-process runs with injected streams, a
headless REPL on prompt_toolkit's pipe input, and the installed console script."""

import io
import os
import signal
import threading

import pytest
from cli_helpers import Until

from gradsh.cli.env import Environment

# A suite started in the background by a shell without job control inherits SIGINT ignored, and
# so would every gradsh it starts (Python installs its KeyboardInterrupt handler only where
# SIGINT is not ignored): the Ctrl-C tests would wait forever. Python's own handler here gives
# the children the default disposition, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


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
def repl(history_file, monkeypatch):
    """repl(keys, argv=(), environ=None, session=None) -> Result: a headless REPL fed `keys`.

    Keys are what a terminal sends: "\\r" is Enter, "\\x03" Ctrl-C, "\\x04" Ctrl-D. A final
    Ctrl-D is added so the loop always ends. A list is typed in order, and an `Until(test)` in
    it waits until test(buffer) holds for the prompt's input buffer before the next keys
    (asynchronous work such as completion has finished): a state, never a time.
    """
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from gradsh.cli import prompt as prompt_module
    from gradsh.cli.args import parse_args
    from gradsh.cli.repl import start_repl

    made = []
    make = prompt_module.make_prompt_session

    def keep(*args, **kw):
        made.append(make(*args, **kw))
        return made[-1]
    monkeypatch.setattr(prompt_module, "make_prompt_session", keep)

    def run(keys, argv=(), environ=None, session=None, width=80, colour=False):
        env_vars = {"GRADSH_HISTORY": history_file}
        env_vars.update(environ or {})
        env = make_env("", tty=True, environ=env_vars, width=width, stdout_tty=colour)
        chunks = [keys] if isinstance(keys, str) else list(keys)
        never = []
        with create_pipe_input() as inp:
            # a test that forgets to end its session fails instead of hanging
            watchdog = threading.Timer(60, inp.close)
            watchdog.daemon = True
            watchdog.start()

            def feed():
                for chunk in chunks:
                    if isinstance(chunk, Until):
                        if not chunk.wait(made):
                            never.append(chunk)
                            inp.close()
                            return
                    else:
                        inp.send_text(chunk)
                inp.send_text("\x04")
            if all(isinstance(c, str) for c in chunks):
                feed()
            else:
                threading.Thread(target=feed, daemon=True).start()
            try:
                status = start_repl(env, parse_args(list(argv)), session, input=inp,
                                    output=DummyOutput())
            finally:
                watchdog.cancel()
        assert not never, "the REPL never reached the state %r" % never
        return Result(status, env.stdout.getvalue(), env.stderr.getvalue())
    return run
