"""Running REPL input in the session and reporting how it went (never raising for a program's
failure: the REPL goes on)."""

FILENAME = "<stdin>"


def run_source(state, text, filename=FILENAME, record=True, echo=None):
    """Run program text; True if it ran without error. `record`: what :save keeps of it (True:
    the text, False: nothing, or a string). Values echo as in Python's REPL: also those of
    expression statements inside top-level blocks (`for p in params: p.grad.zero_()`)."""
    from gradsh.lang import GradshError, InternalError

    from . import render
    session = state.session
    echo = state.echo if echo is None else echo
    try:
        if echo:
            session.run_interactive(text, filename, blocks=True)
        else:
            session.run(text, filename)
    except KeyboardInterrupt:
        interrupted(state)
        return False
    except GradshError as err:
        flush(state.env.stdout)
        render.print_error(state.err_console, err)
        if isinstance(err, InternalError):
            bug_note(state, err.original)
        return False
    if record:
        state.inputs.append(text if record is True else record)
    return True


def interrupted(state):
    flush(state.env.stdout)
    state.env.stderr.write("KeyboardInterrupt\n")
    flush(state.env.stderr)


def internal(state, exc):
    state.env.stderr.write("gradsh: internal error in the shell: %s: %s\n"
                           % (type(exc).__name__, exc))
    bug_note(state, exc)


def bug_note(state, exc):
    from .run import BUG_NOTE
    env = state.env
    if state.opts.debug:
        import traceback
        env.stderr.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    env.stderr.write(BUG_NOTE % " (--debug shows the Python traceback)")
    flush(env.stderr)


def flush(stream):
    try:
        stream.flush()
    except (OSError, ValueError):
        pass
