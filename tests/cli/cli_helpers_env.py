"""Environments for the colour-decision tests."""

import io

from gradsh.cli.env import Environment


def env_for(stdout_tty, **environ):
    return Environment(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(),
                       stdin_isatty=False, stdout_isatty=stdout_tty, environ=environ)
