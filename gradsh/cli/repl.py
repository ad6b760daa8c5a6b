"""The REPL loop: read an input, run it (program or meta-command), show what happened, repeat.

Nothing here ends the session except Ctrl-D on an empty line and :quit: every error, Ctrl-C
while typing or running, and any failure of the display itself are reported and the loop goes on.
"""

import re

from .execute import flush, internal, interrupted, run_source
from .key_bindings import EXIT, is_meta_command
from .loader import SessionLoader
from .run import make_session
from .state import ReplState

BANNER = "gradsh %s: PyTorch's autograd in a shell. :help for help, Ctrl-D to quit.\n"


def start_repl(env, opts, session=None, input=None, output=None, when_loaded=None):
    """Run the interactive shell until Ctrl-D or :quit; the exit status. `when_loaded` is
    called once the language has loaded (in the loader's thread), whether or not it could."""
    from gradsh import __version__

    from .history import open_history
    from .prompt import make_prompt_session

    def load():
        try:
            made = make_session(env, [""])
            from . import render  # noqa: F401 - warm Rich up off the prompt's critical path
            return made
        finally:
            if when_loaded is not None:
                when_loaded()

    env.stdout = LastChar(env.stdout)
    if session is not None:
        session.stdout = env.stdout
    state = ReplState(env, opts, SessionLoader(load, session), env.use_colour(opts.color))
    if input is None and (not env.stdout_isatty or env.environ.get("TERM") == "dumb"):
        # stdin is a terminal, stdout a pipe or a file, or a terminal that cannot draw (Emacs'
        # shell): Python's plain line mode, as Python 3.13 falls back to its basic REPL
        from .plain import run_plain
        return run_plain(state, show_banner=session is None)
    history = open_history(env.environ, state.warn)
    prompt = make_prompt_session(state, history, completer=_completer(state), input=input,
                                 output=output)
    if session is None:
        env.stdout.write(_fit(BANNER % __version__, env))
        env.stdout.flush()
    return Repl(state, prompt).run()


def _fit(text, env):
    """The banner wrapped at word boundaries to the terminal's width."""
    import os
    import textwrap
    try:
        width = env.width or os.get_terminal_size(env.stdout.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return text
    return textwrap.fill(text.rstrip("\n"), max(width, 20)) + "\n"


def _completer(state):
    from .completer import GradshCompleter
    return GradshCompleter(state)


class Repl:
    def __init__(self, state, prompt):
        self.state = state
        self.prompt = prompt

    def run(self):
        state = self.state
        while state.exit_status is None:
            state.flush_warnings()
            try:
                text = self.prompt.prompt(pre_run=state.loader.start)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return 0
            try:
                self.execute(text)
            except KeyboardInterrupt:
                interrupted(state)
            except Exception as exc:  # a failure of the REPL itself: report, carry on
                internal(state, exc)
            end_line(state.env.stdout, _Screen(self.prompt.output))
        return state.exit_status

    def execute(self, text):
        execute(self.state, text)


_HELP_SUFFIX = re.compile(r"\s*\??\s*([A-Za-z_][\w.]*)\s*\?\s*|\s*\?\s*([A-Za-z_][\w.]*)\s*")


def execute(state, text):
    """Run one input of the REPL: a meta-command, Python's habits (exit, x?), or a program."""
    if not text.strip():
        return
    if is_meta_command(text):
        from .meta import run_meta
        run_meta(state, text.strip())
        return
    if EXIT.fullmatch(text):
        # Python 3.13: exit and quit leave, with or without parentheses
        state.exit_status = 0
        return
    asked = _HELP_SUFFIX.fullmatch(text)
    if asked:
        # IPython's `x.backward?` (or `?x.backward`): help(x.backward)
        run_source(state, "help(%s)" % (asked.group(1) or asked.group(2)), record=False)
        return
    run_source(state, text)


class _Screen:
    """prompt_toolkit's output (where the prompt is drawn) as a stream."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write_raw(text)

    def flush(self):
        self.output.flush()


class LastChar:
    """stdout that remembers its last character: output left without a final newline
    (`print("abc", end="")`) gets one before the next prompt, instead of being drawn over."""

    def __init__(self, stream):
        self.stream = stream
        self.last = "\n"

    def write(self, text):
        if text:
            self.last = text[-1]
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def end_line(stream, screen):
    """End a line the program left open before the next prompt. The new line is the prompt's,
    written where it is drawn (`screen`: the terminal, stderr in the plain shell), not the
    program's: stdout holds what the program printed, as in Python's REPL
    (`print("a", end="")` then `print("b")` leaves `ab` in `gradsh | tee log`)."""
    flush(stream)
    if getattr(stream, "last", "\n") != "\n":
        screen.write("\n")
        flush(screen)
        stream.last = "\n"
