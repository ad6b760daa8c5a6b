"""`gradsh`: the console command. Chooses the mode, runs it, returns the exit status.

Start-up matters: this module and run.py import only the language on the pipe path; the REPL's
machinery is imported inside `_repl` only. The command's own process (`entry`) also starts
without Python's cyclic garbage collector (the imports make ~100,000 objects and no garbage:
each collection only costs time) and, when what ran was a gradsh program, ends without
Python's teardown (docs/repl.md, "Start-up").
"""

import gc
import os
import sys

from .args import HELP, USAGE, UsageError, parse_args
from .env import Environment
from .run import (EXIT_OK, EXIT_USAGE, Reporter, flush_quietly, make_session, read_program,
                  read_source, run_program)


def entry():
    """The console command (`gradsh`, `python -m gradsh`): main() in this process, then, if
    only a gradsh program ran (a file, -c or a pipe: no REPL, no --python), leave at once.

    A gradsh program cannot open files, start threads or register exit handlers, so all that
    is left to do at exit is flushing stdout and stderr; Python's teardown of some 500 modules
    would cost more than a tenth of the start-up."""
    env = Environment.from_system()
    status = main(env=env, real_process=True)
    if env.program_only:
        for stream in (env.stdout, env.stderr):
            flush_quietly(stream)  # a reader gone at this point: the status stands
        os._exit(status)
    return status


def main(argv=None, env=None, real_process=None):
    """Run the command with `argv` (default: sys.argv[1:]) in `env`; return the exit status.

    real_process (default: no env given): the command owns this process, so it caps the
    memory, and starts without the garbage collector until the program runs."""
    # only the real process gets a ceiling on its memory, not a test calling main() in-process
    real_process = env is None if real_process is None else real_process
    env = env if env is not None else Environment.from_system()
    argv = sys.argv[1:] if argv is None else list(argv)
    reporter = Reporter(env, debug="--debug" in argv)
    startup = StartupCollector(real_process)
    try:
        return _main(argv, env, reporter, real_process, startup)
    except KeyboardInterrupt:
        return reporter.interrupted()
    except BrokenPipeError:
        return reporter.broken_pipe()
    except Exception as exc:  # a bug in the command itself: say so, never a bare traceback
        return reporter.internal_error(exc)
    finally:
        startup.over()


class StartupCollector:
    """The garbage collector held off while the command starts (imports, the session's
    builtins): every collection then walks the new modules' objects and frees nothing, about
    a tenth of the start-up. `over()` turns it back on, first moving what start-up made out of
    its reach for good (gc.freeze), so the program's own collections do not walk it either."""

    def __init__(self, active):
        self.active = active and gc.isenabled()
        if self.active:
            gc.disable()

    def over(self):
        if self.active:
            self.active = False
            gc.freeze()
            gc.enable()


def _main(argv, env, reporter, real_process=False, startup=None):
    startup = startup or StartupCollector(False)
    try:
        opts = parse_args(argv)
        if opts.max_memory is not None:
            _set_max_memory(opts.max_memory, "--max-memory")
        elif env.environ.get("GRADSH_MAX_MEMORY"):
            _set_max_memory(env.environ["GRADSH_MAX_MEMORY"], "GRADSH_MAX_MEMORY")
    except UsageError as e:
        return usage_error(env, str(e))
    if real_process:
        from .ceiling import cap_process_memory, raise_stack_limit
        cap_process_memory()
        raise_stack_limit()
    if opts.help:
        env.stdout.write(HELP)
        return EXIT_OK
    if opts.install_kernel or opts.kernel_place:
        return _install_kernel(env, opts)
    if opts.version:
        from gradsh import __version__
        env.stdout.write("gradsh %s\n" % __version__)
        return EXIT_OK
    if opts.python:
        startup.over()  # a Python program runs as Python would run it
        from .python_mode import run_python
        return run_python(opts, env)
    # scripts, -c and pipes print plain text unless colour is asked for: Rich costs start-up
    reporter.colour = env.use_colour(opts.color, terminal_counts=False)

    mode = opts.mode
    wants_repl = mode == "default" and env.stdin_isatty
    if wants_repl:
        # the prompt comes first; the collector comes back once the language has loaded
        return _repl(env, opts, None, when_loaded=startup.over)

    if real_process and not opts.interactive:
        # (before the API loads: a .grad program needs no Python program's error handlers)
        from gradsh.core import library_errors
        library_errors.programs_only()
    try:
        source, filename = read_source(opts, env)
    except OSError as e:
        return usage_error(env, "can't open file %r: [Errno %s] %s"
                           % (opts.file, e.errno, e.strerror), show_usage=False)
    # a script prints what it prints, as `python FILE`; piped expressions show their values
    # (`echo 'ones(2) * 3' | gradsh`), and --no-echo makes a pipe print as `python < FILE`
    echo = opts.echo if opts.echo is not None else mode != "file"
    session = make_session(env, opts.program_argv())
    startup.over()
    env.program_only = not opts.interactive
    status = run_program(session, source, filename, echo, reporter, colour_echo=reporter.colour)
    if not opts.interactive or status not in (0, 1):
        return status
    # -i: the program's variables live on in the shell, even after an error (as python -i)
    if env.stdin_isatty:
        return _repl(env, opts, session)
    if mode == "stdin" or mode == "default":
        return status
    rest = read_program(env.stdin_bytes)
    return run_program(session, rest, "<stdin>", opts.echo is not False, reporter,
                       colour_echo=reporter.colour)


def _repl(env, opts, session, when_loaded=None):
    from .repl import start_repl
    return start_repl(env, opts, session, when_loaded=when_loaded)


def _install_kernel(env, opts):
    if not opts.install_kernel:
        return usage_error(env, "--user and --sys-prefix go with --install-kernel")
    if opts.mode != "default":
        return usage_error(env, "--install-kernel takes no program")
    from gradsh.kernel.spec import install_command
    return install_command(env, opts.kernel_place)


def _set_max_memory(text, where):
    from gradsh.core import memory
    try:
        limit = memory.parse_memory(text)
    except (ValueError, TypeError, OverflowError) as e:
        raise UsageError("bad %s %r: %s" % (where, text, e)) from None
    memory.set_max_memory(limit)


def usage_error(env, message, show_usage=True):
    env.stderr.write("gradsh: error: %s\n" % message)
    if show_usage:
        env.stderr.write(USAGE + "\nTry 'gradsh --help' for more information.\n")
    flush_quietly(env.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(entry())
