"""Meta-commands (`:vars`, `:graph EXPR`...): one small function each, registered by name.

A misused command shows its usage; every failure is reported and the session goes on.
"""

import os
import shlex

from .helptext import OVERVIEW, TOPICS


class MetaError(Exception):
    """A misused meta-command: the message is shown, with the command's usage."""


COMMANDS = {}
HELP_TOPICS = set(TOPICS)


def command(*names, usage, summary):
    def register(fn):
        fn.usage, fn.summary, fn.names = usage, summary, names
        for name in names:
            COMMANDS[name] = fn
        HELP_TOPICS.add(names[0])
        return fn
    return register


def run_meta(state, text):
    name, _, rest = text[1:].partition(" ")
    fn = COMMANDS.get(name.strip())
    if fn is None:
        _error(state, "unknown command :%s (:help lists the commands)" % name.strip())
        return
    try:
        if rest.strip() and " " not in fn.usage:
            # `:quit now`, `:reset all`: a typo or a misunderstanding, not something to ignore
            raise MetaError(":%s takes no arguments" % fn.names[0])
        fn(state, rest.strip())
    except MetaError as e:
        _error(state, "%s\nusage: %s" % (e, fn.usage))
    except (RuntimeError, TypeError, ValueError) as e:
        # a value the command looks at refuses what it is asked, as it would refuse a program
        # (PyTorch's error for the grad_fn of a no_grad view whose base was changed in place):
        # the error of the value, said in one line, not a failure of the shell
        if not _raised_by_the_core(e):
            raise
        _error(state, ":%s: %s: %s" % (name.strip(), type(e).__name__, e))


def _raised_by_the_core(exc):
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename.replace("\\", "/")
    return "/gradsh/core/" in filename or "/gradsh/autograd/" in filename


def _error(state, message):
    from .render import Text
    state.err_console.print(Text(message))


def _show(state, renderable):
    from .render import Text, print_lines
    if isinstance(renderable, Text):
        print_lines(state.console, renderable)
    else:
        state.console.print(renderable)


# ---------------------------------------------------------------- arguments

def split_options(rest, flags, valued=()):
    """Leading --options of `rest` and the text after them (an expression, kept verbatim)."""
    found = {}
    while rest.startswith("--"):
        word, _, after = rest.partition(" ")
        if word in flags:
            found[word] = True
            rest = after.lstrip()
        elif word in valued:
            # the value is one word or one quoted string; the expression after it stays raw
            after = after.lstrip()
            if after[:1] in ("'", '"'):
                end = after.find(after[0], 1)
                if end < 0:
                    raise MetaError("no closing quotation for the value of %s" % word)
                value, rest = after[1:end], after[end + 1:].lstrip()
            else:
                value, _, rest = after.partition(" ")
                rest = rest.lstrip()
            if not value:
                raise MetaError("%s needs a value" % word)
            found[word] = value
        else:
            raise MetaError("unknown option %s" % word)
    return found, rest


def one_path(rest):
    try:
        parts = shlex.split(rest)
    except ValueError as e:
        raise MetaError(str(e)) from None
    if len(parts) != 1:
        raise MetaError("give one file name")
    return os.path.expanduser(parts[0])


def evaluate(state, expr, what):
    """The value of `expr` in the session (None if it failed: the error is already shown)."""
    from .execute import run_source
    if not expr:
        raise MetaError("%s needs an expression" % what)
    session = state.session
    captured = []
    saved = session.on_value
    session.on_value = captured.append
    try:
        ok = run_source(state, expr, "<%s>" % what, record=False, echo=True)
    finally:
        session.on_value = saved
    if not ok:
        return None
    if len(captured) != 1:
        raise MetaError("%s needs an expression whose value is a tensor" % what)
    value = captured[0]
    from ..core.tensor import Tensor  # (a Parameter is one; a program's class named Tensor not)
    if not isinstance(value, Tensor):
        raise MetaError("%s needs a tensor, not %s" % (what, type(value).__name__))
    return value


# ---------------------------------------------------------------- commands

@command("help", "h", usage=":help [TOPIC | COMMAND | NAME]", summary="this help, or a topic")
def help_(state, rest):
    """The overview; a topic (keys, echo, autograd, language, config, torch); a command's
    details; or help(NAME) for a function or method, found also as a Tensor method
    (:help backward) or in torch's namespaces (:help relu)."""
    from .render import print_help
    topic = rest.lstrip(":").strip()
    if not topic:
        lines = []
        for fn in _unique_commands():
            lines.append("%-28s %s" % (fn.usage, fn.summary))
        print_help(state.console, OVERVIEW.format(commands="\n".join(lines)))
    elif topic in TOPIC_VIEWS:
        TOPIC_VIEWS[topic](state)
    elif topic in TOPICS:
        print_help(state.console, TOPICS[topic])
    elif topic in COMMANDS:
        fn = COMMANDS[topic]
        # docstrings are wrapped for the source; let the console wrap them for the screen
        prose = " ".join((fn.__doc__ or "").split())
        print_help(state.console, "%s  %s\n\n%s" % (fn.usage, fn.summary, prose))
    elif topic.replace(".", "").replace("_", "").isalnum():
        from .execute import run_source
        found = find_name(state.session, topic)
        if found is None:
            raise MetaError("no help topic or name %s%s" % (_quoted(topic), _suggest(state, topic)))
        run_source(state, "help(%s)" % found, "<:help>", record=False, echo=False)
    else:
        raise MetaError("no help topic %s" % _quoted(topic))


def _quoted(text, limit=60):
    """repr(text) for a message, cut to `limit` characters: what was typed may be huge."""
    return repr(text) if len(text) <= limit else repr(text[:limit - 5])[:-1] + "...'"


# where :help NAME looks for a name the session does not define, in order
SEARCHED = ("torch.Tensor", "torch", "torch.autograd", "torch.nn.functional", "torch.nn",
            "torch.linalg", "torch.special", "math")


def find_name(session, name):
    """The expression naming `name` for help(): as typed if the session knows it, else the
    first of SEARCHED that has it (`backward` -> `torch.Tensor.backward`); None if none."""
    from gradsh.lang import GradshError
    first = name.split(".", 1)[0]
    if first in session.variables() or first in session.globals["__builtins__"] or \
            first in session.first_use_names():
        return name
    for space in SEARCHED:
        candidate = "%s.%s" % (space, name)
        try:
            session.run("%s\n" % candidate, "<:help>")
        except GradshError:
            continue
        return candidate
    return None


def _suggest(state, name):
    from gradsh.lang.runtime.suggest import suggestion
    words = set(TOPICS) | set(TOPIC_VIEWS) | set(COMMANDS) | set(state.session.names())
    best = suggestion(name, sorted(words))
    return "; did you mean %r?" % best if best else ""


def torch_names(state):
    """Every name under torch, by namespace: what :help torch lists."""
    session = state.session
    torch = session.globals["__builtins__"].get("torch")
    sections = [("torch", torch)]
    for sub in ("autograd", "nn", "nn.functional", "linalg", "special"):
        obj = torch
        for part in sub.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        if obj is not None:
            sections.append(("torch." + sub, obj))
    return [(title, session.attribute_names(obj)) for title, obj in sections if obj is not None]


def _help_torch(state):
    from .render import NameColumns
    _paged(state, NameColumns(torch_names(state)))


def _help_config(state):
    from .render import print_help
    print_help(state.console, config_text(state))


def config_text(state):
    """The settings in force now, and where each comes from."""
    from gradsh.core import memory

    from .history import history_path
    env = state.env.environ
    colour = state.opts.color or "auto"
    if colour == "auto":
        why = "NO_COLOR is set" if env.get("NO_COLOR") else \
            "FORCE_COLOR is set" if env.get("FORCE_COLOR") not in (None, "", "0") else \
            "stdout is %sa terminal" % ("" if state.env.stdout_isatty else "not ")
    else:
        why = "--color=%s" % colour
    rows = [
        ("history file", history_path(env) or "(none)",
         "GRADSH_HISTORY" if env.get("GRADSH_HISTORY") else "default"),
        ("max tensor size", memory.fmt_bytes(memory.max_bytes()),
         "--max-memory or GRADSH_MAX_MEMORY" if env.get("GRADSH_MAX_MEMORY") else
         "default: a quarter of physical memory; --max-memory or GRADSH_MAX_MEMORY"),
        ("colour", "on" if state.colour else "off", why),
        ("echo", "on" if state.echo else "off", "--echo / --no-echo"),
        ("editor", env.get("EDITOR") or env.get("VISUAL") or "(none)", "EDITOR (Ctrl-X Ctrl-E)"),
    ]
    lines = ["Configuration (now in force):"]
    for what, value, source in rows:
        lines.append("%-16s %s (%s)" % (what, value, source))
    lines.append("")
    lines.append("NO_COLOR turns colour off and FORCE_COLOR on (NO_COLOR wins if both are set); "
                 "--color=always or --color=never wins over both.")
    return "\n".join(lines)


def _paged(state, renderable):
    """Show through a pager (less) when it is taller than the terminal, as Python's help()."""
    import sys
    console = state.console
    env = state.env
    real = getattr(env.stdout, "stream", env.stdout) is sys.stdout
    lines = console.render_lines(renderable, console.options, pad=False)
    if real and env.stdout_isatty and len(lines) > console.height - 2:
        with console.pager(styles=state.colour):
            console.print(renderable)
    else:
        console.print(renderable)


TOPIC_VIEWS = {"torch": _help_torch, "config": _help_config}
HELP_TOPICS.update(TOPIC_VIEWS)


def _unique_commands():
    seen = []
    for fn in COMMANDS.values():
        if fn not in seen:
            seen.append(fn)
    return seen


@command("vars", usage=":vars", summary="a table of the variables")
def vars_(state, rest):
    """Every variable of the session: for tensors its shape, dtype, requires_grad, grad_fn, and
    whether it has a .grad."""
    from .render import note, vars_table
    rows = []
    session = state.session
    for name, value in sorted(session.variables().items()):
        row = _var_row(name, value, model_parameters(session, value))
        if row is not None:
            rows.append(row)
    _show(state, vars_table(rows) if rows else note("no variables yet"))


def _var_row(name, value, params=None):
    from gradsh.lang.runtime.namespaces import Namespace
    if isinstance(value, Namespace):  # an imported module: not a variable to list
        return None
    kind = type(value).__name__
    if kind == "Tensor":
        try:
            fn = value.grad_fn
            fn_name = "" if fn is None else fn.name().rsplit("::", 1)[-1]
        except RuntimeError:  # a no_grad view whose base was changed in place: PyTorch refuses
            fn_name = "(error)"
        grad = leaf_grad(value)
        return (name, "tensor", str(tuple(value.shape)), str(value.dtype),
                str(value.requires_grad), fn_name,
                "" if grad is None else "yes %s" % (tuple(grad.shape),))
    if params is not None:
        params = [p for _, p in params]
        count = sum(p.numel() for p in params)
        grads = sum(1 for p in params if p.grad is not None)
        return (name, kind, "%d parameters" % count, str(params[0].dtype) if params else "",
                str(any(p.requires_grad for p in params)), "",
                "%d of %d" % (grads, len(params)) if grads else "")
    text = short_repr(value)
    if callable(value):
        kind = "function"
    return (name, kind, text, "", "", "", "")



def graph_root(state, expr):
    """The root of the graph tree of EXPR's value (None when EXPR shows nothing); MetaError when
    the value has no graph. The terminal's :graph and the notebook's picture both start here."""
    from . import graph
    value = evaluate(state, expr, ":graph")
    if value is None:
        return None
    try:
        return graph.build(value, state.session.variables())
    except ValueError as e:
        raise MetaError(str(e)) from None

@command("graph", usage=":graph [--dot|--svg|--png FILE] EXPR",
         summary="the backward graph under EXPR")
def graph_(state, rest):
    """The graph that EXPR.backward() would walk, from EXPR's grad_fn down to the leaves
    (AccumulateGrad, named after their variable), with the shape of each node's output.
    --dot FILE also writes it as Graphviz DOT (render with `dot -Tpng FILE -o graph.png`);
    --svg FILE and --png FILE write the picture, when Graphviz's dot is installed."""
    from . import graph
    from .render import GraphTree, note
    opts, expr = split_options(rest, (), ("--dot", "--svg", "--png"))
    root = graph_root(state, expr)
    if root is None:
        return
    _show(state, GraphTree(root, "backward graph of %s" % expr))
    if "--dot" in opts:
        path = os.path.expanduser(opts["--dot"])
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(graph.to_dot(root, "backward graph of %s" % expr))
        except OSError as e:
            raise MetaError("cannot write %s: %s" % (path, e.strerror or e)) from None
        _show(state, note("wrote %s (Graphviz DOT)" % path))
    for fmt in ("svg", "png"):
        if "--" + fmt in opts:
            from .graph_svg import write_picture_command
            write_picture_command(state, root, "backward graph of %s" % expr, fmt,
                                  opts["--" + fmt])


@command("plot", usage=":plot EXPR", summary="a line chart of a list or 1-d tensor")
def plot_(state, rest):
    """Draws EXPR, a list of numbers (or of 0-d tensors) or a 1-d tensor, as a line chart:
    values by index, both axes labelled, fitted to the terminal's width. A loss history:
    collect `losses.append(loss.item())` in the loop, then `:plot losses`."""
    from .plot import plot_command
    plot_command(state, rest)


@command("trace", usage=":trace [--retain] EXPR", summary="run EXPR's backward step by step")
def trace_(state, rest):
    """Runs EXPR.backward() and shows every node as the engine runs it, in order: the gradient
    flowing in, and the gradient it sends to each of its next_functions. Leaves accumulate into
    .grad as with backward(). --retain keeps the graph (retain_graph=True) for another pass."""
    from . import graph, trace
    from .render import TraceView, exception_text
    opts, expr = split_options(rest, ("--retain",))
    value = evaluate(state, expr, ":trace")
    if value is None:
        return
    try:
        root = graph.build(value, state.session.variables())
    except ValueError as e:
        raise MetaError(str(e)) from None
    by_id = {id(n.fn): n for n in graph.walk(root) if n.fn is not None and not n.repeat}
    try:
        steps = trace.trace_backward(value, root, retain_graph="--retain" in opts)
    except RuntimeError as e:
        state.err_console.print(exception_text(e))
        return
    labels = [trace.edge_labels(step, by_id) for step in steps]
    _show(state, TraceView(steps, labels, "backward of %s, %d steps" % (expr, len(steps))))


@command("grads", usage=":grads", summary="every variable's .grad")
def grads_(state, rest):
    """The .grad of every tensor variable that has one (leaf tensors after a backward)."""
    from . import graph
    from .render import note, print_grads
    variables = state.session.variables()
    names = graph.variable_names(variables)
    pairs = []
    for value in _tensors(variables):
        if leaf_grad(value) is not None:
            pairs.append((names.get(id(value), "?"), value))
    for model_name, model in variables.items():
        params = model_parameters(state.session, model)
        pairs += [("%s.%s" % (model_name, name), p) for name, p in params or ()
                  if p.grad is not None]
    if pairs:
        print_grads(state.console, pairs, title=".grad of the variables", summarize=False)
    else:
        _show(state, note("no variable has a .grad yet (run a backward first)"))


def model_parameters(session, value):
    """[(name, parameter)] of a model (torch.nn.Module and the like: anything offering
    named_parameters()), else None. The shell runs no code of the program's to learn it: a
    program's class with its own named_parameters (or a __getattr__ answering for it) is not
    taken for a model, and one whose listing fails is shown as a plain value."""
    if isinstance(value, type):
        return None
    try:
        method = session.peek(value, "named_parameters", to_call=True)
        return list(method()) if callable(method) else None
    except Exception:  # noqa: BLE001 - a value the shell cannot list is not a model to it
        return None


SHORT_REPR = 30


def short_repr(value):
    """The repr of a number, string or None cut to SHORT_REPR characters (other values: ''),
    at a cost bounded by the cut: a 10**5000 or a million-character string is not written
    out whole (nor refused, as Python refuses str() of an int over 4,300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 96:
        return "%s(%d bits)" % ("-" if value < 0 else "", value.bit_length())
    if isinstance(value, str) and len(value) > SHORT_REPR:
        value = value[:SHORT_REPR]
        text = repr(value)[:SHORT_REPR - 3]
        return text + "..."
    if not isinstance(value, (int, float, bool, str, type(None))):
        return ""
    text = repr(value)
    return text if len(text) <= SHORT_REPR else text[:SHORT_REPR - 3] + "..."


def leaf_grad(t):
    """t.grad where PyTorch keeps one (leaves, retain_grad), without its non-leaf warning; None
    for a tensor PyTorch refuses to look at (a no_grad view whose base changed in place): a
    listing of every variable shows the others."""
    try:
        return t.grad if t.is_leaf or t.retains_grad else None
    except RuntimeError:
        return None


def _tensors(variables):
    seen = set()
    for value in variables.values():
        items = value.values() if isinstance(value, dict) else \
            value if isinstance(value, (list, tuple)) else (value,)
        for item in items:
            if type(item).__name__ == "Tensor" and id(item) not in seen:
                seen.add(id(item))
                yield item


@command("reset", usage=":reset", summary="forget every variable")
def reset_(state, rest):
    """A fresh session: every variable forgotten, gradient recording enabled again, and the
    record of inputs that :save writes cleared."""
    from .render import note
    state.session.reset()
    import gradsh
    gradsh.set_grad_enabled(True)
    state.inputs.clear()
    _show(state, note("session reset: all variables forgotten"))


@command("load", usage=":load FILE", summary="run a .grad file in this session")
def load_(state, rest):
    """Runs FILE as a script in this session (its variables stay; no echo, as for scripts)."""
    from .execute import run_source
    path = one_path(rest)
    from .run import read_program
    try:
        with open(path, "rb") as f:
            source = read_program(f)
    except OSError as e:
        raise MetaError("cannot read %s: %s" % (path, e.strerror or e)) from None
    text = source.decode("utf-8", errors="replace")
    run_source(state, source, path, record="# :load %s\n%s" % (path, text.rstrip()), echo=False)


@command("save", usage=":save [--force] FILE", summary="save this session's input as a script")
def save_(state, rest):
    """Writes what was typed (the inputs that ran without error, and loaded files) as a .grad
    script. An existing file is only replaced with --force."""
    from .render import note
    opts, rest = split_options(rest, ("--force",))
    path = one_path(rest)
    if os.path.isdir(path):
        raise MetaError("%s is a directory" % path)
    if os.path.exists(path) and "--force" not in opts:
        raise MetaError("%s exists; use :save --force %s to replace it" % (path, rest))
    body = "\n".join(entry.rstrip() for entry in state.inputs if entry)
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(body + "\n" if body else "")
    except OSError as e:
        raise MetaError("cannot write %s: %s" % (path, e.strerror or e)) from None
    _show(state, note("saved %d input%s to %s" % (len(state.inputs),
                                                   "" if len(state.inputs) == 1 else "s", path)))


@command("time", usage=":time STATEMENT", summary="run STATEMENT and show how long it took")
def time_(state, rest):
    """Runs STATEMENT once, as if typed (its value is shown), then the CPU and wall-clock time
    it took, as IPython's %time prints them."""
    from .execute import run_source
    from .render import note
    from .timing import format_time, measure_once
    if not rest:
        raise MetaError(":time needs a statement")
    ok, (user, system, wall) = measure_once(lambda: run_source(state, rest, "<:time>"))
    if ok:
        _show(state, note("CPU times: user %s, sys: %s, total: %s\nWall time: %s"
                          % (format_time(user), format_time(system),
                             format_time(user + system), format_time(wall))))


@command("timeit", usage=":timeit STATEMENT", summary="time STATEMENT over many runs")
def timeit_(state, rest):
    """Runs STATEMENT many times (without showing values) and prints the mean and standard
    deviation per run, as IPython's %timeit: 7 rounds, each of as many loops as fill 0.2 s."""
    from .execute import run_source
    from .render import note
    from .timing import timeit_report
    if not rest:
        raise MetaError(":timeit needs a statement")
    # once through the normal path: an error is reported as usual and nothing is timed
    if not run_source(state, rest, "<:timeit>", record=False, echo=False):
        return
    run = state.session.compile(rest, "<:timeit>")
    try:
        report = timeit_report(run)
    except Exception as e:  # noqa: BLE001 - a later run failed where the first did not
        raise MetaError("the statement failed while being timed: %s: %s"
                        % (type(e).__name__, e)) from None
    _show(state, note(report))


@command("quit", "exit", "q", usage=":quit", summary="leave the shell (as Ctrl-D)")
def quit_(state, rest):
    state.exit_status = 0
