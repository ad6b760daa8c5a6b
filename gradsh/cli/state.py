"""The REPL's state, small and passed around: the session, the console, what was typed."""

import sys

# the REPL caps what one print() or one echoed value writes (issue 7: output is bounded)
MAX_PRINT_CHARS = 20_000


class ReplState:
    def __init__(self, env, opts, loader, colour=False):
        self.env = env
        self.opts = opts
        self.loader = loader
        self.colour = colour
        self._console = None
        self._err_console = None
        self.echo = opts.echo is not False
        self.inputs = []        # what ran without error, in order: what :save writes
        self.warnings = []      # lines to show before the next prompt
        self.exit_status = None  # set by :quit
        self.max_chars = MAX_PRINT_CHARS
        self._hooked = None
        self.plain = False      # line mode without a screen (stdout is not a terminal)

    @property
    def session(self):
        """The language Session (waits for the background load on first use)."""
        session = self.loader.get()
        if self._hooked is not session:
            self._hook(session)
            self._hooked = session
        return session

    @property
    def console(self):
        """The Rich console on stdout (Rich is imported on first use, not at start-up)."""
        if self._console is None:
            from . import render
            self._console = render.make_console(self.env.stdout, self.colour, self.env.width,
                                                terminal=self.env.stdout_isatty)
        return self._console

    @property
    def err_console(self):
        """The Rich console on stderr, where errors go."""
        if self._err_console is None:
            from . import render
            self._err_console = render.make_console(self.env.stderr, self.colour, self.env.width,
                                                    terminal=self.env.stdout_isatty)
        return self._err_console

    def _hook(self, session):
        from . import render
        console, state = self.console, self
        session.max_print_chars = self.max_chars
        builtins = session.globals["__builtins__"]

        def on_value(value):
            # as in Python's REPL, `_` is the last value shown; a builtin, not a variable
            builtins["_"] = value
            render.print_value(console, value, state.max_chars)

        session.on_value = on_value
        # help() in the shell wraps its prose at word boundaries to the terminal
        from gradsh.lang.runtime.pybuiltins import make_help
        builtins["help"] = make_help(None, lambda text: render.print_help(console, text))
        if self.plain:
            session.on_grads = lambda pairs: render.print_grad_lines(console,
                                                                      self.name_grads(pairs))
        else:
            session.on_grads = lambda pairs: render.print_grads(console, self.name_grads(pairs))

    def name_grads(self, pairs):
        """The gradients of a backward in the order their variables were defined, a model's
        parameters named as `model.0.weight`."""
        from .meta import model_parameters
        session = self.session
        variables = session.variables()
        order = {name: k for k, name in enumerate(variables)}
        models = [(name, params) for name, params in
                  ((name, model_parameters(session, v)) for name, v in variables.items())
                  if params is not None]
        named = []
        for name, leaf in pairs:
            if name == "(unnamed leaf)":
                name = _parameter_name(models, leaf) or name
            root = name.split("[", 1)[0].split(".", 1)[0]
            named.append((order.get(root, len(order)), name, leaf))
        named.sort(key=lambda item: item[0])
        return [(name, leaf) for _, name, leaf in named]

    def check_complete(self, text):
        status = self.session.check_complete(text)
        if status == "invalid" and _ends_with_block_header(text):
            # the language says "invalid" for a nested block header at the very end
            # ("def f():\n    if a:"); more lines can still make it valid
            return "incomplete"
        return status

    def warn(self, line):
        self.warnings.append(line)

    def flush_warnings(self):
        while self.warnings:
            self.env.stderr.write(self.warnings.pop(0) + "\n")
        self.env.stderr.flush()

    def grad_enabled(self):
        """The grad mode now, without waiting for (or triggering) the core's import."""
        grad_mode = sys.modules.get("gradsh.core.grad_mode")
        if grad_mode is None:
            return True
        from gradsh import is_grad_enabled
        return is_grad_enabled()


def _parameter_name(models, leaf):
    for model_name, params in models:
        for name, param in params:
            if param is leaf:
                return "%s.%s" % (model_name, name)
    return None


def _ends_with_block_header(text):
    from .indent import next_indent
    last = text.rsplit("\n", 1)[-1]
    if not last.strip():
        return False
    return len(next_indent(text)) > len(last) - len(last.lstrip()) and last.rstrip().endswith(":")
