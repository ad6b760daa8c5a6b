"""The REPL loop: read an input, run it (program or meta-command), show what happened, repeat.

Nothing here ends the session except Ctrl-D on an empty line and :quit: every error, Ctrl-C
while typing or running, and any failure of the display itself are reported and the loop goes on.
"""

from .execute import flush, internal, interrupted, run_source
from .key_bindings import is_meta_command
from .loader import SessionLoader
from .run import make_session
from .state import ReplState

BANNER = "gradsh %s: PyTorch's autograd in a shell. :help for help, Ctrl-D to quit.\n"


def start_repl(env, opts, session=None, input=None, output=None):
    """Run the interactive shell until Ctrl-D or :quit; the exit status."""
    from gradsh import __version__

    from .history import open_history
    from .prompt import make_prompt_session

    def load():
        made = make_session(env, [""])
        from . import render  # noqa: F401 - warm Rich up off the prompt's critical path
        return made

    state = ReplState(env, opts, SessionLoader(load, session), env.use_colour(opts.color))
    history = open_history(env.environ, state.warn)
    prompt = make_prompt_session(state, history, completer=_completer(state), input=input,
                                 output=output)
    if session is None:
        env.stdout.write(BANNER % __version__)
        env.stdout.flush()
    return Repl(state, prompt).run()


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
            flush(state.env.stdout)
        return state.exit_status

    def execute(self, text):
        if not text.strip():
            return
        if is_meta_command(text):
            from .meta import run_meta
            run_meta(self.state, text.strip())
            return
        run_source(self.state, text)
