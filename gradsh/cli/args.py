"""The command line, parsed by hand: options stop at the program (FILE, -c CODE or -), as in
python, so everything after it belongs to the program's `argv`. (argparse would cost start-up
time and cannot say "the rest is the script's" as simply.)"""

USAGE = "usage: gradsh [options] [-c CODE | -i | FILE | -] [ARGS...]"

HELP = USAGE + """

Run gradsh programs: PyTorch's autograd in a small Python-like language.

  gradsh                   the interactive shell (when stdin is a terminal), or
                           run the program read from stdin (when it is a pipe)
  gradsh FILE [ARGS...]    run a .grad script; ARGS are the program's argv[1:]
  gradsh -c CODE [ARGS...] run CODE
  gradsh - [ARGS...]       run the program read from stdin
  gradsh -i FILE           run FILE, then start the shell with its variables
  gradsh --python FILE [ARGS...]
                           run FILE as an ordinary Python program (unsandboxed), with
                           gradsh standing in for `torch` (see docs/nn.md)

options:
  -c CODE              run CODE (ends the options)
  -i                   start the interactive shell after running the program
  --echo, --no-echo    show (or not) each top-level expression's value and the gradients
                       a backward changed; default: on for the shell, stdin and -c,
                       off for script files (--no-echo: a pipe prints as python < FILE)
  --color=WHEN         auto (default), always or never; auto colours only a terminal,
                       NO_COLOR turns it off and FORCE_COLOR on
  --max-memory SIZE    refuse tensors bigger than SIZE (e.g. 512M, 2G); default: a quarter
                       of physical memory, or GRADSH_MAX_MEMORY
  --debug              show Python tracebacks of internal errors
  --install-kernel [--user | --sys-prefix]
                       register the "gradsh" Jupyter kernel (needs gradsh[jupyter]);
                       default: --sys-prefix in a virtual environment, else --user
  -V, --version        print the version and exit
  -h, --help           print this help and exit

exit status: 0 ok, 1 error in the program, 2 usage, 70 internal error (a bug in gradsh),
130 interrupted.
environment: GRADSH_HISTORY (history file of the shell), GRADSH_MAX_MEMORY, NO_COLOR,
FORCE_COLOR. See docs/repl.md.
"""

COLOR_CHOICES = ("auto", "always", "never")


class UsageError(Exception):
    """A bad command line: the CLI prints the message and exits 2."""


class Options:
    """What the command line asked for."""

    def __init__(self):
        self.code = None          # -c CODE
        self.file = None          # FILE, or "-" for stdin
        self.args = []            # the program's arguments after FILE / CODE
        self.interactive = False  # -i
        self.echo = None          # None: the mode's default
        self.color = "auto"
        self.max_memory = None
        self.debug = False
        self.version = False
        self.help = False
        self.install_kernel = False
        self.kernel_place = None    # --user or --sys-prefix (with --install-kernel)
        self.python = False       # --python: FILE is a Python program run with gradsh as torch

    @property
    def mode(self):
        """"command", "file", "stdin" (FILE is "-") or "default" (nothing named)."""
        if self.code is not None:
            return "command"
        if self.file == "-":
            return "stdin"
        if self.file is not None:
            return "file"
        return "default"

    def program_argv(self):
        if self.code is not None:
            return ["-c"] + self.args
        return [self.file if self.file is not None else ""] + self.args


def parse_args(argv):
    """Options from the arguments after the program name; raises UsageError."""
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            if i < len(argv):
                opts.file = argv[i]
                opts.args = argv[i + 1:]
            return opts
        if arg == "-" or not arg.startswith("-"):
            opts.file = arg
            opts.args = argv[i:]
            return opts
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in ("--color", "--colour", "--max-memory"):
                if not eq:
                    if i >= len(argv):
                        raise UsageError("option %s needs a value" % name)
                    value = argv[i]
                    i += 1
                if name == "--max-memory":
                    opts.max_memory = value
                elif value not in COLOR_CHOICES:
                    raise UsageError("--color must be one of auto, always, never (not %r)" % value)
                else:
                    opts.color = value
                continue
            if eq:
                raise UsageError("option %s takes no value" % name)
            flag = _LONG_FLAGS.get(name)
            if flag is None:
                raise UsageError("unknown option %s" % name)
            flag(opts)
            continue
        # short options, possibly grouped (-ic CODE)
        for k, letter in enumerate(arg[1:], start=1):
            if letter == "c":
                rest = arg[k + 1:]
                if rest:
                    opts.code = rest
                elif i < len(argv):
                    opts.code = argv[i]
                    i += 1
                else:
                    raise UsageError("option -c needs an argument (the code to run)")
                opts.args = argv[i:]
                return opts
            flag = _SHORT_FLAGS.get(letter)
            if flag is None:
                raise UsageError("unknown option -%s" % letter)
            flag(opts)
    return opts


def _set(attr, value):
    def apply(opts):
        setattr(opts, attr, value)
    return apply


_LONG_FLAGS = {
    "--echo": _set("echo", True), "--no-echo": _set("echo", False),
    "--debug": _set("debug", True), "--version": _set("version", True),
    "--help": _set("help", True), "--interactive": _set("interactive", True),
    "--install-kernel": _set("install_kernel", True),
    "--user": _set("kernel_place", "user"), "--sys-prefix": _set("kernel_place", "sys-prefix"),
    "--python": _set("python", True),
}
_SHORT_FLAGS = {"i": _set("interactive", True), "h": _set("help", True),
                "V": _set("version", True)}
