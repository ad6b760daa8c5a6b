"""The shell without a screen: stdin is a terminal but stdout is not (`gradsh | tee log`).

Python does the same: no line editor or full-screen drawing, the banner and the prompts on
stderr (the terminal), results on stdout (the pipe), so the log holds just the output.
The input is read a line at a time; the parser decides when a statement is whole, and an empty
line ends a block, as in the full REPL.
"""

from .execute import flush, internal, interrupted
from .key_bindings import wants_run
from .repl import BANNER, end_line, execute


def run_plain(state, show_banner=True):
    """Read, run, repeat until end of input or exit; the exit status."""
    from gradsh import __version__
    env = state.env
    state.plain = True    # gradients as the pipe shows them: `x.grad = tensor(...)` lines
    if show_banner:
        env.stderr.write(BANNER % __version__)
    state.loader.start()
    while state.exit_status is None:
        state.flush_warnings()
        lines = []
        try:
            while True:
                env.stderr.write("... " if lines else ">>> ")
                flush(env.stderr)
                line = env.stdin.readline()
                if not line:
                    if lines:
                        break
                    env.stderr.write("\n")
                    return 0
                lines.append(line.rstrip("\n"))
                if wants_run(state, "\n".join(lines)):
                    break
        except KeyboardInterrupt:
            env.stderr.write("\nKeyboardInterrupt\n")
            continue
        try:
            execute(state, "\n".join(lines))
        except KeyboardInterrupt:
            interrupted(state)
        except Exception as exc:  # a failure of the shell itself: report, carry on
            internal(state, exc)
        end_line(env.stdout, env.stderr)
    return state.exit_status
