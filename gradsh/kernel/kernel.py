"""The gradsh kernel: ipykernel's wrapper-kernel base over the REPL's session and meta-commands.

A cell is one REPL input. What the REPL prints as it runs goes out as Jupyter messages instead:
`print` to the stdout stream, the last expression's value as the execute_result (the values of
earlier expression statements as display_data where the REPL shows them), the gradients a
backward changed as a display_data (the REPL's plain text, and an HTML table), a program error
as an `error` reply carrying gradsh's located message. Interrupt is SIGINT, which the session
already turns into KeyboardInterrupt with every variable kept; Restart starts a new process.
"""

import sys

from ipykernel.kernelbase import Kernel

from gradsh import __version__

from . import display

# what the REPL caps too: one value or one print at most this many characters
MAX_CHARS = 20_000
WIDTH = 100  # the console width of meta-command output in a notebook
# ipykernel flushes stdout and stderr after each control message, waiting up to the streams'
# flush_timeout (10 s) for its IO thread to send them; after a shutdown request that thread is
# already stopping when an interrupt ended the last cell, so the process took 11 s to end
SHUTDOWN_FLUSH_SECONDS = 0.5


class _Stream:
    """Writes to whatever sys.stdout / sys.stderr is now (ipykernel swaps in its own streams),
    telling the kernel that something was shown; nothing while a silent request runs."""

    def __init__(self, name, kernel):
        self.name = name
        self.kernel = kernel

    def write(self, text):
        if self.kernel.silent:
            return len(text)
        self.kernel.shown()
        return getattr(sys, self.name).write(text)

    def flush(self):
        getattr(sys, self.name).flush()

    def isatty(self):
        return False


class GradshKernel(Kernel):
    implementation = "gradsh"
    implementation_version = __version__
    language = "gradsh"
    language_version = __version__
    language_info = {
        "name": "gradsh",
        "version": __version__,
        "mimetype": "text/x-gradsh",
        "file_extension": ".grad",
        "pygments_lexer": "gradsh",
        "codemirror_mode": "python",
    }
    banner = "gradsh %s: PyTorch's autograd in a notebook. :help for help." % __version__
    help_links = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from .state import make_state
        self._pending = None    # [value]: the latest expression value, not yet shown
        # an execute_request with silent=True: it runs, but nothing of it goes out on iopub
        # (Jupyter's messaging spec; its errors are in the reply only)
        self.silent = False
        # IPython's output history: Out[n] (and _n) the value cell n showed, In[n] its text
        self.history_out = {}
        self.history_in = [""]
        # the kernel's own copies, from which `_N` and `_iN` are made: In and Out are the
        # program's to change, as in IPython (`Out['x'] = 1` made every later cell fail in
        # the kernel, `In.extend([''] * 10**7)` made each cell name ten million `_iN`)
        self._outputs = {}
        self._inputs = [""]
        self._history_home = None  # the builtins they were put in (a :reset makes new ones)
        self.state = make_state(_Stream("stdout", self), _Stream("stderr", self), WIDTH, self)
        self.display = display.display_builtin(self, MAX_CHARS)

    def shown(self):
        """Something else is shown: an expression value before it goes out first (as the REPL
        shows it), as a display_data; only the cell's final value is its execute_result."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self.publish(display.value(pending[0], MAX_CHARS))

    def set_parent(self, ident, parent, channel="shell"):
        """Also tag our print output with the request (ipykernel's IPython kernel does this in
        its shell; the base class leaves it to wrapper kernels)."""
        super().set_parent(ident, parent, channel)
        if channel == "shell":
            for stream in (sys.stdout, sys.stderr):
                if hasattr(stream, "set_parent"):
                    stream.set_parent(parent)

    # ------------------------------------------------------------ hooks from the session
    def on_value(self, value):
        self.shown()
        self._pending = [value]

    def on_grads(self, pairs):
        self.shown()
        self.publish(display.gradients(pairs, MAX_CHARS))

    def publish(self, data, kind="display_data"):
        """Send a MIME bundle to the front end, after what was printed before it."""
        if self.silent:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        content = {"data": data, "metadata": {}}
        if kind == "execute_result":
            content["execution_count"] = self.execution_count
        else:
            content["transient"] = {}
        self.send_response(self.iopub_socket, kind, content)

    def clear_output(self):
        """Clear the cell's output before what comes next (`display(..., clear=True)`)."""
        if not self.silent:
            sys.stdout.flush()
            sys.stderr.flush()
            self.send_response(self.iopub_socket, "clear_output", {"wait": True})

    # ------------------------------------------------------------ execute
    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, *, cell_meta=None, cell_id=None):
        from .run import run_cell
        self._pending = None
        self.silent = silent
        if store_history and not silent:
            for inputs in (self.history_in, self._inputs):
                inputs.extend([""] * (self.execution_count + 1 - len(inputs)))
                inputs[self.execution_count] = code.rstrip()  # as IPython keeps it
        self.install_history()
        try:
            reply = run_cell(self, code, store_history=store_history and not silent)
            last, self._pending = self._pending, None
        finally:
            self.silent = False
        if reply.pop("drop_last", False):  # the cell ends with `;`: its value is not shown
            last = None
        if silent:
            reply.pop("show_last", None)
        elif last is not None:
            shown = reply.pop("show_last", False)
            try:
                data = display.value(last[0], MAX_CHARS)
            except Exception as exc:  # noqa: BLE001 - the program's __repr__, or nesting too deep
                reply = self._display_error(exc)
            else:
                self.publish(data, "execute_result" if shown else "display_data")
                # IPython keeps no value that is the output history itself (`Out`): it would
                # hold itself, and `_` stays what it was
                if shown and store_history and last[0] is not self.history_out:
                    self.history_out[self.execution_count] = last[0]
                    self._outputs[self.execution_count] = last[0]
                    builtins = self.install_history()
                    builtins["_"] = builtins["_%d" % self.execution_count] = last[0]
        if reply["status"] == "ok":
            reply.setdefault("payload", [])
            reply.setdefault("user_expressions", {})
        else:
            if not silent:
                self.send_response(self.iopub_socket, "error",
                                   {k: v for k, v in reply.items() if k != "status"})
        reply["execution_count"] = self.execution_count
        return reply

    def _display_error(self, exc):
        """The cell's value could not be shown (its class's __repr__ raised, or it is nested
        too deeply): an error, as IPython shows one, with gradsh's one line."""
        from .run import error_reply
        kind = getattr(type(exc), "gradsh_kind", type(exc).__name__)
        message = str(exc)
        line = "<cell %d>: %s: %s (showing the cell's value)" % (self.execution_count, kind,
                                                                 message)
        return error_reply(kind, message, [line])

    def install_history(self):
        """`In`, `Out`, `_`, `_N`, `_i`, `_ii`, `_iii`, `_iN` and `display` as builtins of the session's
        program (IPython keeps them in the user's namespace; here they are builtins, as the
        REPL's `_`, so `:vars` does not list them). A `:reset` forgets the outputs, as IPython's
        `%reset` forgets its output history."""
        builtins = self.state.session.globals["__builtins__"]
        fresh = self._history_home is None
        if not fresh and builtins is not self._history_home:
            self.history_out.clear()  # a new session: `:reset` ran
            self._outputs.clear()
        self._history_home = builtins
        builtins["In"], builtins["Out"] = self.history_in, self.history_out
        builtins["display"] = self.display
        for count, value in self._outputs.items():
            builtins["_%d" % count] = value
        if self._outputs and "_" not in builtins:
            builtins["_"] = self._outputs[max(self._outputs)]
        elif fresh:  # IPython's `_` is '' until a cell shows a value (not after %reset: unset)
            builtins.setdefault("_", "")
        inputs = self._inputs
        for count in range(1, len(inputs)):
            builtins["_i%d" % count] = inputs[count]
        for k, name in enumerate(("_i", "_ii", "_iii"), start=2):  # the cells before this one
            builtins[name] = inputs[-k] if len(inputs) >= k else ""
        return builtins

    async def do_is_complete(self, code):
        from gradsh.cli.indent import next_indent
        status = self.state.check_complete(code)
        if status == "incomplete":
            return {"status": "incomplete", "indent": next_indent(code)}
        return {"status": status}

    async def do_complete(self, code, cursor_pos):
        from .assist import complete
        return complete(self.state, code, cursor_pos)

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        from .assist import inspect_at
        return inspect_at(self.state, code, cursor_pos)

    async def do_shutdown(self, restart):
        """Flush the output streams now, and make the flushes ipykernel runs after the request
        wait SHUTDOWN_FLUSH_SECONDS at most for its IO thread, which may be gone by then."""
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "flush_timeout"):  # ipykernel's OutStream
                stream.flush()
                stream.flush_timeout = SHUTDOWN_FLUSH_SECONDS
        return {"status": "ok", "restart": restart}
