"""The gradsh kernel: ipykernel's wrapper-kernel base over the REPL's session and meta-commands.

A cell is one REPL input. What the REPL prints as it runs goes out as Jupyter messages instead:
`print` to the stdout stream, the last expression's value as the execute_result, the gradients a
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


class _Stream:
    """Writes to whatever sys.stdout / sys.stderr is now (ipykernel swaps in its own streams)."""

    def __init__(self, name):
        self.name = name

    def write(self, text):
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
        self.state = make_state(_Stream("stdout"), _Stream("stderr"), WIDTH, self)
        self._value = None      # (event number, value) of the latest echoed value
        self._events = 0        # outputs so far in this cell (values, gradients)

    # ------------------------------------------------------------ hooks from the session
    def on_value(self, value):
        self._events += 1
        self._value = (self._events, value)

    def on_grads(self, pairs):
        self._events += 1
        self.publish(display.gradients(pairs, MAX_CHARS))

    def publish(self, data, kind="display_data"):
        """Send a MIME bundle to the front end, after what was printed before it."""
        sys.stdout.flush()
        sys.stderr.flush()
        content = {"data": data, "metadata": {}}
        if kind == "execute_result":
            content["execution_count"] = self.execution_count
        else:
            content["transient"] = {}
        self.send_response(self.iopub_socket, kind, content)

    # ------------------------------------------------------------ execute
    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, *, cell_meta=None, cell_id=None):
        from .run import run_cell
        self._value, self._events = None, 0
        reply = run_cell(self, code)
        if reply["status"] == "ok":
            last = self._value
            if last is not None and last[0] == self._events and reply.pop("show_last", False):
                self.publish(display.value(last[1], MAX_CHARS), "execute_result")
            reply.pop("show_last", None)
            reply.setdefault("payload", [])
            reply.setdefault("user_expressions", {})
        else:
            if not silent:
                self.send_response(self.iopub_socket, "error",
                                   {k: v for k, v in reply.items() if k != "status"})
        self._value = None
        reply["execution_count"] = self.execution_count
        return reply

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
        return {"status": "ok", "restart": restart}
