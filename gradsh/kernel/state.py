"""The REPL's state object, wired to a kernel: the session's reports become Jupyter messages."""

from gradsh.cli.args import parse_args
from gradsh.cli.env import Environment
from gradsh.cli.loader import SessionLoader
from gradsh.cli.run import make_session
from gradsh.cli.state import ReplState


class KernelState(ReplState):
    """ReplState whose session reports values and gradients to the kernel, not to a console."""

    def __init__(self, env, opts, loader, kernel):
        super().__init__(env, opts, loader, colour=False)
        self.kernel = kernel

    def _hook(self, session):
        session.max_print_chars = self.max_chars
        session.on_value = self.kernel.on_value
        session.on_grads = self.kernel.on_grads


def make_state(stdout, stderr, width, kernel):
    env = Environment(stdout=stdout, stderr=stderr, stdin_isatty=False, stdout_isatty=False,
                      width=width)
    opts = parse_args([])
    loader = SessionLoader(lambda: make_session(env, [""]))
    state = KernelState(env, opts, loader, kernel)
    state.session  # noqa: B018 - load the language now, not on the first cell
    return state
