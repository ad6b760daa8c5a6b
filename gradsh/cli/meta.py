"""Meta-commands (`:vars`, `:graph EXPR`...): parsed here, each handled by one small function."""

import shlex


class MetaError(Exception):
    """A misused meta-command: the message is shown, the session goes on."""


COMMANDS = {}


def command(*names, usage, summary):
    def register(fn):
        fn.usage, fn.summary, fn.names = usage, summary, names
        for name in names:
            COMMANDS[name] = fn
        return fn
    return register


def run_meta(state, text):
    name, _, rest = text[1:].partition(" ")
    fn = COMMANDS.get(name.strip())
    if fn is None:
        state.err_console.print("unknown command :%s (type :help for the list)" % name.strip())
        return
    try:
        fn(state, rest.strip())
    except MetaError as e:
        state.err_console.print("%s\nusage: %s" % (e, fn.usage))


@command("quit", "exit", "q", usage=":quit", summary="leave the shell (as Ctrl-D)")
def quit_(state, rest):
    state.exit_status = 0


def split_args(rest):
    try:
        return shlex.split(rest)
    except ValueError as e:
        raise MetaError(str(e)) from None
HELP_TOPICS = {}
