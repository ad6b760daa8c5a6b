"""Running a whole program (file, -c, stdin) and turning its outcome into an exit status.

This is the pipe path: it imports the language and nothing of prompt_toolkit, Rich or Pygments
unless colour was asked for.
"""

import os
import sys

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
# a closed pipe ends the process as SIGPIPE would (128 + 13), without a word
EXIT_BROKEN_PIPE = 141

BUG_NOTE = ("gradsh: this is an internal error: a bug in gradsh, not in your program. Please "
            "report it with the program that caused it%s.\n")


class Reporter:
    """Writes errors to stderr, plain or coloured, and knows the exit status of each."""

    def __init__(self, env, colour=False, debug=False):
        self.env = env
        self.colour = colour
        self.debug = debug

    def program_error(self, err):
        """A GradshError from a program; returns the exit status."""
        from gradsh.lang import InternalError
        if isinstance(err, InternalError):
            if is_broken_pipe(err.original):
                return self.broken_pipe()
            return self.internal_error(err.original, err)
        self._write_error(err)
        return EXIT_ERROR

    def internal_error(self, exc, err=None):
        if err is not None:
            self._write_error(err)
        else:
            self.env.stderr.write("gradsh: internal error: %s: %s\n" % (type(exc).__name__, exc))
        if self.debug:
            import traceback
            self.env.stderr.write("".join(traceback.format_exception(type(exc), exc,
                                                                     exc.__traceback__)))
            self.env.stderr.write(BUG_NOTE % " and the traceback above")
        else:
            self.env.stderr.write(BUG_NOTE % " (--debug shows the Python traceback)")
        return EXIT_INTERNAL

    def interrupted(self):
        self.env.stderr.write("KeyboardInterrupt\n")
        return EXIT_INTERRUPTED

    def broken_pipe(self):
        silence_stdout(self.env)
        return EXIT_BROKEN_PIPE

    def _write_error(self, err):
        if self.colour:
            from . import render
            render.print_error(render.make_console(self.env.stderr, True, self.env.width), err)
        else:
            self.env.stderr.write(err.render() + "\n")
        self.env.stderr.flush()


def is_broken_pipe(exc):
    seen = set()  # (a program may make its exceptions' chain a cycle: `a.__cause__ = b`...)
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, BrokenPipeError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def silence_stdout(env):
    """After the reader of our stdout went away, make the final flush at exit harmless."""
    if env.is_real_stdout():
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def make_session(env, argv, max_print_chars=None):
    from gradsh.lang import Session
    return Session(stdout=env.stdout, stderr=env.stderr, argv=argv,
                   max_print_chars=max_print_chars)


def run_program(session, source, filename, echo, reporter, colour_echo=False):
    """Run a whole program; the exit status."""
    from gradsh.lang import GradshError
    if echo and colour_echo:
        from . import render
        console = render.make_console(reporter.env.stdout, True, reporter.env.width)
        session.on_value = lambda value: render.print_value(console, value)
        session.on_grads = lambda pairs: render.print_grads(console, pairs)
    try:
        if echo:
            session.run_interactive(source, filename)
        else:
            session.run(source, filename)
        reporter.env.stdout.flush()
    except KeyboardInterrupt:
        return reporter.interrupted()
    except GradshError as err:
        flush_quietly(reporter.env.stdout)
        return reporter.program_error(err)
    except BrokenPipeError:
        return reporter.broken_pipe()
    return EXIT_OK


def flush_quietly(stream):
    try:
        stream.flush()
    except (OSError, ValueError):
        pass


def read_source(opts, env):
    """(source, filename) of the program the options name; OSError for an unreadable file."""
    mode = opts.mode
    if mode == "command":
        return opts.code, "<string>"
    if mode == "file":
        with open(opts.file, "rb") as f:
            return read_program(f), opts.file
    return read_program(env.stdin_bytes), "<stdin>"


def read_program(stream):
    """A program's bytes, read no further than one byte past the language's size limit (the
    session refuses it then): `gradsh /dev/zero` must not fill memory."""
    from gradsh.lang.runtime.limits import MAX_SOURCE_BYTES
    return stream.read(MAX_SOURCE_BYTES + 1)
