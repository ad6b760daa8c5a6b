"""`gradsh`: the console command. Chooses the mode, runs it, returns the exit status.

Start-up matters: this module and run.py import only the language on the pipe path; the REPL's
machinery is imported inside `_repl` only.
"""

import sys

from .args import HELP, USAGE, UsageError, parse_args
from .env import Environment
from .run import (EXIT_OK, EXIT_USAGE, Reporter, flush_quietly, make_session, read_program,
                  read_source, run_program)


def main(argv=None, env=None):
    """Run the command with `argv` (default: sys.argv[1:]) in `env`; return the exit status."""
    # only the real process gets a ceiling on its memory, not a test calling main() in-process
    real_process = env is None
    env = env if env is not None else Environment.from_system()
    argv = sys.argv[1:] if argv is None else list(argv)
    reporter = Reporter(env, debug="--debug" in argv)
    try:
        return _main(argv, env, reporter, real_process)
    except KeyboardInterrupt:
        return reporter.interrupted()
    except BrokenPipeError:
        return reporter.broken_pipe()
    except Exception as exc:  # a bug in the command itself: say so, never a bare traceback
        return reporter.internal_error(exc)


def _main(argv, env, reporter, real_process=False):
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
        from .python_mode import run_python
        return run_python(opts, env)
    # scripts, -c and pipes print plain text unless colour is asked for: Rich costs start-up
    reporter.colour = env.use_colour(opts.color, terminal_counts=False)

    mode = opts.mode
    wants_repl = mode == "default" and env.stdin_isatty
    if wants_repl:
        return _repl(env, opts, None)

    try:
        source, filename = read_source(opts, env)
    except OSError as e:
        return usage_error(env, "can't open file %r: [Errno %s] %s"
                           % (opts.file, e.errno, e.strerror), show_usage=False)
    echo = opts.echo if opts.echo is not None else mode != "file"
    session = make_session(env, opts.program_argv())
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


def _repl(env, opts, session):
    from .repl import start_repl
    return start_repl(env, opts, session)


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
    sys.exit(main())
