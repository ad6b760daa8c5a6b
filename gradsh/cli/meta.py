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
        fn(state, rest.strip())
    except MetaError as e:
        _error(state, "%s\nusage: %s" % (e, fn.usage))


def _error(state, message):
    from .render import Text
    state.err_console.print(Text(message))


def _show(state, renderable):
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
    if type(value).__name__ != "Tensor":
        raise MetaError("%s needs a tensor, not %s" % (what, type(value).__name__))
    return value


# ---------------------------------------------------------------- commands

@command("help", "h", usage=":help [TOPIC | COMMAND | NAME]", summary="this help, or a topic")
def help_(state, rest):
    from .render import help_text
    topic = rest.lstrip(":").strip()
    if not topic:
        lines = []
        for fn in _unique_commands():
            lines.append("%-28s %s" % (fn.usage, fn.summary))
        _show(state, help_text(OVERVIEW.format(commands="\n".join(lines))))
    elif topic in TOPICS:
        _show(state, help_text(TOPICS[topic]))
    elif topic in COMMANDS:
        fn = COMMANDS[topic]
        # docstrings are wrapped for the source; let the console wrap them for the screen
        prose = " ".join((fn.__doc__ or "").split())
        _show(state, help_text("%s  %s\n\n%s" % (fn.usage, fn.summary, prose)))
    elif topic.replace(".", "").replace("_", "").isalnum():
        from .execute import run_source
        run_source(state, "help(%s)" % topic, "<:help>", record=False, echo=False)
    else:
        raise MetaError("no help topic %r" % topic)


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
    for name, value in sorted(state.session.variables().items()):
        row = _var_row(name, value)
        if row is not None:
            rows.append(row)
    _show(state, vars_table(rows) if rows else note("no variables yet"))


def _var_row(name, value):
    kind = type(value).__name__
    if kind == "Namespace":
        return None
    if kind == "Tensor":
        fn = value.grad_fn
        grad = leaf_grad(value)
        return (name, "tensor", str(tuple(value.shape)), str(value.dtype),
                str(value.requires_grad), "" if fn is None else fn.name().rsplit("::", 1)[-1],
                "" if grad is None else "yes %s" % (tuple(grad.shape),))
    text = repr(value) if isinstance(value, (int, float, bool, str, type(None))) else ""
    if len(text) > 30:
        text = text[:27] + "..."
    if callable(value):
        kind = "function"
    return (name, kind, text, "", "", "", "")


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
    value = evaluate(state, expr, ":graph")
    if value is None:
        return
    try:
        root = graph.build(value, state.session.variables())
    except ValueError as e:
        raise MetaError(str(e)) from None
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
    if pairs:
        print_grads(state.console, pairs, title=".grad of the variables")
    else:
        _show(state, note("no variable has a .grad yet (run a backward first)"))


def leaf_grad(t):
    """t.grad where PyTorch keeps one (leaves, retain_grad), without its non-leaf warning."""
    return t.grad if t.is_leaf or t.retains_grad else None


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


@command("quit", "exit", "q", usage=":quit", summary="leave the shell (as Ctrl-D)")
def quit_(state, rest):
    state.exit_status = 0
