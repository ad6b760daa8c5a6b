"""Session: run gradsh programs from files or strings, keeping their variables between runs.

The command line and the REPL use only this class (see docs/language.md, "Embedding").
A program is parsed and compiled whole before any of it runs; then it runs as Python code
whose every attribute access and value-building operator goes through the runtime's checks.
"""

import ast
import contextlib
import gc
import os
import re
import sys
import types
import warnings

from ..syntax import compiler
from ..errors import GradshError, GradshSyntaxError, InternalError, shown_text
from .limits import MAX_SOURCE_BYTES, LimitError
from .namespaces import Provider
from ..syntax.parser import check_complete, parse_source
from .runtime import Runtime
from .classes import ProgramKeyboardInterrupt
from .tracing import CodeRegistry, _message, convert, current_frame, program_frame_of

__all__ = ["Session"]

_PROVIDERS = {}


def _provider(spec):
    if isinstance(spec, Provider):
        return spec
    if spec not in _PROVIDERS:
        _PROVIDERS[spec] = Provider(spec)
    return _PROVIDERS[spec]


_CORE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "core") + os.sep


def _inside_core(filename):
    """Was a warning located in gradsh's core (an op's own line, not the caller's)?"""
    return bool(filename) and os.path.abspath(filename).startswith(_CORE)



def _session_filters():
    """The filters a run starts with: every warning reaches the session's reporter, which
    shows each once per place; numpy's "encountered in" warnings never (PyTorch gives none for
    the same values). (`warnings.resetwarnings()` in a program comes back to these.)"""
    warnings.simplefilter("always")
    warnings.filters.insert(0, ("ignore", _NumpyNotice(), RuntimeWarning, None, 0))
    warnings._filters_mutated()


class _NumpyNotice:
    """The message pattern of numpy's floating-point notices, as a filter holds it (Python's
    would raise on a message that is no string: a program's warnings.warn(None))."""

    _text = re.compile(r".* encountered in ", re.I)

    def match(self, text):
        return self._text.match(text) if isinstance(text, str) else None

# different warnings a session shows (and remembers, to show each once per place)
MAX_WARNINGS = 10_000

class Session:
    """One program state: its variables, its output stream and its limits.

    stdout: where print() and the default reports write (default: sys.stdout at the time).
    argv: the program's arguments, visible to it as the list `argv`.
    echo: if true, `run` reports expression values and gradients as `run_interactive` does.
    max_print_chars: cap on the text one print() or one echoed value writes (None: no cap).
    max_depth: how deep program functions may call each other (RecursionError beyond).
    stderr: where warnings go (default: sys.stderr at the time).
    provider: the package behind `torch` ("gradsh"; tests may pass "torch").
    """

    def __init__(self, stdout=None, argv=None, echo=False, max_print_chars=None, max_depth=1000,
                 stderr=None, provider="gradsh"):
        self.stdout = stdout
        self.stderr = stderr
        self.argv = list(argv) if argv else []
        self.echo = echo
        self.max_print_chars = max_print_chars
        self.max_depth = max_depth
        self.on_value = self._print_value
        self.on_grads = self._print_grads
        self._provider = _provider(provider)
        self._registry = CodeRegistry()
        self._warned = set()   # the (place, warning) pairs already shown
        self.reset()

    # ------------------------------------------------------------ state
    def reset(self):
        """Forget every variable; start as a fresh program (with the default dtype float32,
        anomaly mode off and grad mode on: a program's set_default_dtype, set_anomaly_enabled or
        set_grad_enabled does not outlive it, nor its default device or global module hooks)."""
        self._warning_filters = None  # the filters after the last run (warnings.filterwarnings)
        torch = self._provider.module
        if hasattr(torch, "set_default_dtype"):  # (a test's stand-in provider may have none)
            torch.set_default_dtype(torch.float32)
        if hasattr(torch, "set_anomaly_enabled"):  # nor anomaly mode switched on
            torch.set_anomaly_enabled(False, True)
        if hasattr(torch, "set_grad_enabled"):  # nor grad mode switched off
            torch.set_grad_enabled(True)
        self._provider.reset_settings()
        self._files = self._provider.new_files()  # the run's in-memory files (torch.save)
        self._runtime = Runtime(self._provider, self._write, self.max_depth, self.argv,
                                echo=lambda value: self.on_value(value),
                                registry=self._registry)
        self._runtime.write_err = self._write_err  # sys.stderr (runtime/sysmodule.py)
        self._redirecting = False
        self._builtins = self._runtime.builtins()
        self._drop(getattr(self, "_globals", None))
        self._globals = {"__builtins__": self._builtins, "__name__": "__main__"}

    @property
    def globals(self):
        """The program's global variables (the live dict; also holds `__builtins__`)."""
        return self._globals

    def variables(self):
        """The program's own variables, without `__builtins__`, `__name__` and temporaries."""
        return {k: v for k, v in self._globals.items()
                if not k.startswith(("__", "."))}

    def names(self):
        """Every name a program can use here (variables, builtins, torch names): for completion."""
        names = set(self.variables())
        names.update(k for k in self._builtins if not k.startswith("."))
        names.update(self.first_use_names())
        return sorted(names)

    def first_use_names(self):
        """The torch names a program can use that are not yet in its builtins: their op
        modules load when a program first names them (`builtin`)."""
        return sorted(n for n in self._builtins.get(".first_use", ()) if n not in self._builtins)

    def builtin(self, name, default=None):
        """The builtin `name` (a first-use torch name resolved into the builtins now), else
        `default`: what a program naming it would get."""
        try:
            return self._builtins[name]
        except KeyError:
            pass
        if name not in self._builtins.get(".first_use", ()):
            return default
        try:
            value = self._builtins[name] = self._provider.torch.get(name)
        except AttributeError:
            return default
        return value

    def attribute_names(self, obj):
        """The attributes a program may use on `obj` (what the gate allows): for completion."""
        return self._runtime.gate.attribute_names(obj)

    def peek(self, obj, name, to_call=False):
        """obj.name for the shell's own views (completion, :vars, the gradients panel), never
        running the program's code: AttributeError where reading it would (a program's
        property, its __getattr__), and with `to_call` where calling it would (the program's
        own method). The gate is not consulted: see attribute_names."""
        return self._runtime.gate.peek(obj, name, to_call)

    def check_complete(self, text):
        """"complete", "incomplete" or "invalid": does this REPL input need more lines?"""
        return check_complete(text)

    # ------------------------------------------------------------ running
    def run(self, source, filename="<stdin>"):
        """Parse, compile and run a whole program; raise GradshError if it fails."""
        self._run(source, filename, interactive=self.echo)

    def run_interactive(self, source, filename="<stdin>", blocks=False):
        """Like run, and report top-level expression values (on_value) and changed gradients
        (on_grads) after each top-level statement. blocks: also the values of expression
        statements inside top-level if/for/while/with/try blocks (not in functions or classes),
        as Python's REPL shows them."""
        self._run(source, filename, interactive=True, blocks=blocks)

    def compile(self, source, filename="<stdin>"):
        """A function running `source` each time it is called, parsed and compiled once (for
        timing it). It raises the program's exceptions as Python raised them."""
        codes = self._compile(source, filename, False)

        def run():
            self._runtime.counter.depth = 0
            with self._running():
                for code in codes:
                    exec(code, self._globals)
        return run

    def _run(self, source, filename, interactive, blocks=False):
        codes = self._compile(source, filename, interactive, blocks)
        self._runtime.counter.depth = 0
        self._runtime.counter.dying = self._runtime.counter.recursing = None
        with self._running():
            for code in codes:
                before = self._provider.backward_epoch() if interactive else None
                try:
                    exec(code, self._globals)
                except BaseException as e:  # noqa: B902 - every failure becomes a GradshError
                    if isinstance(e, KeyboardInterrupt) and not isinstance(
                            e, ProgramKeyboardInterrupt):
                        raise  # Ctrl-C (a program's own `raise KeyboardInterrupt` is its error)
                    error = convert(e, self._registry, self._provider.describe_memory_error,
                                    self._provider.argument_types)
                    if error.hint is None and error.kind == getattr(type(e), "gradsh_kind",
                                                                   type(e).__name__):
                        try:
                            from .suggest import did_you_mean  # errors only: not on start-up
                            # kept apart too: a notebook's evalue is the message without it, as
                            # Python's str(exc) (the suggestion is only in its traceback's text)
                            error.suggestion = did_you_mean(e, self._runtime.gate, self._registry)
                            error.message += error.suggestion
                        except MemoryError:  # (at the process ceiling the import itself fails:
                            pass             # the error goes without a suggestion; round 20)
                    error.__cause__ = None
                    raise error from (e if isinstance(error, InternalError) else None)
                if before is not None and self._provider.backward_epoch() != before:
                    self._report_grads(before)

    def _compile(self, source, filename, interactive, blocks=False):
        if len(source) > MAX_SOURCE_BYTES:
            raise GradshSyntaxError("the program is larger than %d MiB (gradsh's limit for one "
                                    "program)" % (MAX_SOURCE_BYTES >> 20), filename)
        try:
            text, lines, module = parse_source(source, filename)
        except GradshError:
            raise
        except RecursionError:
            raise GradshSyntaxError("the program is too deeply nested", filename) from None
        except Exception as e:
            raise InternalError(e, filename) from e
        if interactive:
            units = [ast.Module(body=[_echoed(stmt, blocks)], type_ignores=[])
                     for stmt in module.body]
        else:
            units = [module]
        codes = []
        collecting = gc.isenabled()
        gc.disable()
        old_limit = sys.getrecursionlimit()
        # Python's compiler recurses over the AST; the parser caps nesting (MAX_NESTING) so
        # this headroom is enough and a deep program fails as a syntax error, not a crash
        sys.setrecursionlimit(max(old_limit, 4000))
        try:
            for unit in units:
                codes.append(self._compile_unit(unit, filename, lines))
        finally:
            sys.setrecursionlimit(old_limit)
            if collecting:
                gc.enable()
        self._resolve_first_use(codes)
        return codes

    def _resolve_first_use(self, codes):
        """The first-use torch names the code can read as globals (`conv2d(x, w)`), put into the
        builtins before it runs: every global a code object reads is in its co_names."""
        first_use = self._builtins.get(".first_use")
        if not first_use:
            return
        stack = list(codes)
        while stack:
            code = stack.pop()
            for name in code.co_names:
                if name in first_use and name not in self._builtins:
                    self.builtin(name)
            stack.extend(c for c in code.co_consts if type(c) is types.CodeType)

    def _compile_unit(self, unit, filename, lines):
        try:
            with warnings.catch_warnings(record=True) as caught:
                # Python's own compile-time warnings ("'int' object is not callable; perhaps you
                # missed a comma?", "is" with a literal) are reported in gradsh's format
                warnings.simplefilter("always")
                code = compile(unit, filename, "exec", dont_inherit=True, optimize=0)
            for w in caught:
                self._report_compile_warning(w, filename, lines)
        except SyntaxError as e:
            line = e.lineno
            source_line = lines[line - 1] if line and 0 < line <= len(lines) else None
            raise GradshSyntaxError(e.msg, filename, line, e.offset, None, source_line) from None
        except (RecursionError, MemoryError):
            raise GradshSyntaxError(
                "the program is too deeply nested for Python's compiler", filename,
                hint="each elif of a chain nests one level deeper; very long chains (thousands) "
                     "and deep nesting do not compile") from None
        except Exception as e:
            raise InternalError(e, filename) from e
        self._registry.add(code, lines)
        return code

    @contextlib.contextmanager
    def _running(self):
        old_limit = sys.getrecursionlimit()
        # each program call uses a frame or two, plus the core's own frames below it
        needed = self.max_depth * 3 + 1000
        if needed > old_limit:
            sys.setrecursionlimit(needed)
        old_hook = sys.unraisablehook
        old_frames = self._provider.show_frames(program_frame_of(self._registry))
        generator = self._provider.generator_mark()  # (a fresh process seeds at random)
        # an exception in a generator's cleanup (a `finally` run when the generator is dropped)
        # is reported in one line, as a warning, never with Python's traceback
        sys.unraisablehook = self._unraisable
        try:
            with warnings.catch_warnings():
                # every warning reaches _show_warning, which keeps Python's "once per place"
                # rule with the program's place (a property read such as `y.grad` warns from
                # the sandbox's frame, the same for every line of the program)
                if self._warning_filters is None:
                    _session_filters()
                else:  # the last run's, with a program's own (`import warnings`)
                    warnings.filters[:] = self._warning_filters
                    warnings._filters_mutated()
                warnings.showwarning = self._show_warning
                try:
                    with self._provider.program_files(self._files):
                        yield
                finally:
                    self._warning_filters = list(warnings.filters)
        finally:
            sys.setrecursionlimit(old_limit)
            sys.unraisablehook = old_hook
            self._provider.show_frames(old_frames)
            self._provider.generator_used(generator)

    def _drop(self, names):
        """Forget a program's variables (`:reset`) as a run would: a generator they alone held,
        whose cleanup fails when it is dropped, is reported by the session's one-line warning,
        not by Python's traceback of gradsh's own code (round 23)."""
        if not names:
            return
        old_hook, sys.unraisablehook = sys.unraisablehook, self._unraisable
        try:
            names.clear()
        finally:
            sys.unraisablehook = old_hook

    def _unraisable(self, info):
        if isinstance(info.exc_value, GeneratorExit):
            return
        text = "warning: an exception was ignored while a generator was closed: %s: %s\n" % (
            type(info.exc_value).__name__, _message(info.exc_value))
        (self.stderr if self.stderr is not None else sys.stderr).write(text)

    # ------------------------------------------------------------ output
    def _write(self, text):
        if self._redirected("stdout", text):  # contextlib.redirect_stdout (runtime/textio.py)
            return
        cap = self.max_print_chars
        if cap is not None and len(text) > cap:
            cut = len(text) - cap
            plural = "" if cut == 1 else "s"
            text = text[:cap] + "\n[... %d more character%s not shown]\n" % (cut, plural)
        (self.stdout if self.stdout is not None else sys.stdout).write(text)

    def _write_err(self, text):
        if self._redirected("stderr", text):
            return
        (self.stderr if self.stderr is not None else sys.stderr).write(text)

    def _redirected(self, which, text):
        """Write to the innermost redirect_stdout/redirect_stderr target, if any (once: a
        target that is sys.stdout itself writes to the output)."""
        stack = getattr(getattr(self, "_runtime", None), "__dict__", {}).get("redirects")
        if not stack or not stack[which] or self._redirecting:
            return False
        self._redirecting = True
        try:
            stack[which][-1](text)
        finally:
            self._redirecting = False
        return True

    def _print_value(self, value):
        self._write(repr(value) + "\n")

    def _print_grads(self, pairs):
        for name, leaf in pairs:
            self._write("%s.grad = %r\n" % (name, leaf.grad))

    def forget_warned_places(self):
        """Show again a warning already shown at a place of the program (not the core's): a
        notebook kernel's cell starts so, as IPython's does (a function defined in an earlier
        cell warns again in each cell that calls it)."""
        self._warned = {key for key in self._warned if key is None or not key[0]}

    def _show_warning(self, message, category, filename, lineno, file=None, line=None):
        frame = current_frame(self._registry)
        if frame is not None and not _inside_core(filename):
            # (Python's: per line)
            key = (True, frame.filename, frame.line, category, str(message))
        else:   # located inside the core (as PyTorch's inside torch): once per session
            key = (False, filename, lineno, category, str(message))
        if key in self._warned:
            return
        if len(self._warned) >= MAX_WARNINGS:  # (each shown one is remembered: bounded)
            if len(self._warned) == MAX_WARNINGS:
                self._warned.add(None)
                (self.stderr if self.stderr is not None else sys.stderr).write(
                    "warning: %d different warnings were shown; gradsh shows no more in this "
                    "session\n" % MAX_WARNINGS)
            return
        self._warned.add(key)
        if frame is not None:
            # Python's own form (warnings.formatwarning): file:line, then the line indented by
            # two spaces (none typed at the REPL's <stdin>, as Python's REPL shows none). The
            # message is the program's (warnings.warn('\x1b[2J' * 10 ** 7)): bounded, and its
            # escape codes as pictures, as in an error line
            text = "%s:%d: %s: %s\n" % (frame.filename, frame.line, shown_text(category.__name__),
                                        shown_text(str(message)))
            if frame.source_line and frame.filename != "<stdin>":
                text += "  %s\n" % shown_text(frame.source_line.strip())
        else:
            text = "%s: %s\n" % (shown_text(category.__name__), shown_text(str(message)))
        self._write_err(text)  # (into a program's redirect_stderr target, as Python's)

    def _report_compile_warning(self, w, filename, lines):
        line = w.lineno
        text = "%s:%s: %s: %s\n" % (filename, line, w.category.__name__, w.message)
        if line and 0 < line <= len(lines) and lines[line - 1].strip() and filename != "<stdin>":
            text += "  %s\n" % lines[line - 1].strip()
        (self.stderr if self.stderr is not None else sys.stderr).write(text)

    def _report_grads(self, since):
        # a leaf whose .grad the statement set back to None (a loop's zero_grad() after its
        # step) has no gradient to show
        leaves = [t for t in self._provider.touched_leaves(since) if t.grad is not None]
        if leaves:
            self.on_grads([(self._name_of(t), t) for t in leaves])

    def _name_of(self, tensor):
        """The program's name for a leaf: `w`, or `params[0]`, `layers['w']` one level down, or
        a model's parameter by PyTorch's name (`model.0.weight`)."""
        later = []
        models = []
        for name, value in self.variables().items():
            if value is tensor:
                return name
            if isinstance(value, (list, tuple, dict)):
                later.append((name, value))
            elif (callable(getattr(type(value), "named_parameters", None))
                  and self._provider.owns_type(type(value))):
                models.append((name, value))
        for name, value in later:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if item is tensor and nameable_key(key):
                    return "%s[%r]" % (name, key)
        for name, model in models:
            try:
                for pname, p in model.named_parameters():
                    if p is tensor:
                        return "%s.%s" % (name, pname)
            except (RecursionError, LimitError):  # a model nested deeper than Python recurses
                continue  # (a chain of 5,000 modules): the name is only a label
        return "(unnamed leaf)"


def nameable_key(key):
    """Can a leaf be named `d[key]`? Only by a key whose repr is Python's, short and cheap: not
    a program object's own __repr__ (its code, run by a view of the shell), not a string of a
    million characters."""
    return type(key) is int or (type(key) is str and len(key) <= 40)


# the statements whose blocks belong to the module's own code (Python's REPL echoes in them)
_MODULE_BLOCKS = (ast.If, ast.For, ast.While, ast.With, ast.Try)


def _echoed(stmt, blocks=False):
    """A top-level expression statement reports its value (the REPL's echo); with `blocks`,
    so do those in the blocks of a top-level if/for/while/with/try (Python compiles REPL input
    in "single" mode, which prints every expression statement of the module's own code)."""
    if isinstance(stmt, ast.Expr):
        call = ast.Call(func=ast.Name(id=compiler.ECHO, ctx=ast.Load()), args=[stmt.value],
                        keywords=[])
        for node in (call, call.func):
            ast.copy_location(node, stmt.value)
        return ast.copy_location(ast.Expr(value=call), stmt)
    if blocks and isinstance(stmt, _MODULE_BLOCKS):
        for owner in [stmt] + getattr(stmt, "handlers", []):
            for field in ("body", "orelse", "finalbody"):
                if hasattr(owner, field):
                    setattr(owner, field, [_echoed(s, True) for s in getattr(owner, field)])
    return stmt
