"""Everything gradsh shows with Rich: values, gradients, errors, tables, the graph, traces.

The core and the language know nothing of Rich: tensors keep PyTorch's text (copyable) and this
module only adds colour. User text is never read as Rich markup (Text objects, markup=False).
"""

import re

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from . import palette as P

S = P.rich_style

# tensor text: numbers (PyTorch's formats, nan/inf too), grad_fn=<...>, requires_grad=True, dtype
_NUMBER = re.compile(r"(?<![\w.<])-?(?:\d+\.?\d*(?:e[+-]\d+)?|nan|inf)(?![\w>])|\bTrue\b|\bFalse\b")
_GRAD_FN = re.compile(r"grad_fn=<\w+>")
_REQUIRES_GRAD = re.compile(r"requires_grad=True")
_DTYPE = re.compile(r"dtype=torch\.\w+")
_NODE_REPR = re.compile(r"^<(\w+) object at 0x[0-9a-f]+>$")

CUT_NOTE = "[... %d more character%s not shown]"


def make_console(file, colour, width=None, terminal=None):
    """A console on `file`: coloured or plain, never interpreting markup or emoji. `terminal`
    (default: `colour`) lets Rich follow the terminal's width even without colour."""
    terminal = bool(colour) if terminal is None else bool(terminal or colour)
    return Console(file=file, force_terminal=terminal, no_color=not colour,
                   color_system="standard" if colour else None, width=width, markup=False,
                   emoji=False, highlight=False, soft_wrap=False)


# ---------------------------------------------------------------- values

def tensor_text(text):
    """PyTorch's tensor text with colour; the characters are unchanged."""
    out = Text(text)
    out.highlight_regex(_NUMBER, S(P.NUMBER))
    out.highlight_regex(_GRAD_FN, S(P.GRAD_FN))
    out.highlight_regex(_REQUIRES_GRAD, S(P.REQUIRES_GRAD))
    out.highlight_regex(_DTYPE, S(P.DTYPE))
    return out


def capped(text, max_chars):
    if max_chars is None or len(text) <= max_chars:
        return text, ""
    cut = len(text) - max_chars
    return text[:max_chars], "\n" + CUT_NOTE % (cut, "" if cut == 1 else "s")


def value_text(value, max_chars=None):
    """How the REPL echoes a value: its repr (PyTorch's text for tensors), coloured."""
    text, note = capped(repr(value), max_chars)
    if _is_tensor(value):
        out = tensor_text(text)
    else:
        m = _NODE_REPR.match(text)
        out = Text(text)
        if m:
            out.stylize(S(P.NODE), 1, 1 + len(m.group(1)))
        elif isinstance(value, (int, float)):
            out.stylize(S(P.NUMBER))
        elif isinstance(value, str):
            out.stylize(S(P.TOKENS["Literal.String"]))
    if note:
        out.append(note, S(P.DIM))
    return out


def print_value(console, value, max_chars=None):
    console.print(value_text(value, max_chars), soft_wrap=True)


def _is_tensor(value):
    from gradsh import Tensor
    return isinstance(value, Tensor)


def fitted_repr(tensor, room):
    """PyTorch's text of `tensor` with rows that fit in `room` columns: the current print
    options, with the linewidth lowered just enough (PyTorch's own layout for that linewidth).
    Unchanged when it fits; a row too wide even at the smallest linewidth is left long."""
    from gradsh import get_printoptions
    from gradsh.core.printing import printoptions
    text = repr(tensor)
    if _widest(text) <= room or not _is_tensor(tensor):
        return text
    opts = get_printoptions()
    linewidth = min(opts["linewidth"], room)
    while linewidth >= 10:
        with printoptions(**dict(opts, linewidth=linewidth)):
            text = repr(tensor)
        if _widest(text) <= room:
            break
        linewidth -= max(1, _widest(text) - room)
    return text


def _widest(text):
    return max(len(row) for row in text.split("\n"))


def assignment_text(prefix, value_repr):
    """`x.grad = tensor([[...],` with the tensor's continuation rows shifted under its first."""
    pad = " " * len(prefix)
    out = Text(prefix)
    out.append_text(tensor_text(value_repr.replace("\n", "\n" + pad)))
    return out


# ---------------------------------------------------------------- gradients

def gradient_lines(pairs, room=None):
    """`name.grad = tensor(...)` for each pair, each tensor laid out to fit in `room` columns
    after its prefix (None: PyTorch's layout as it is)."""
    lines = []
    for name, leaf in pairs:
        prefix = "%s.grad = " % name
        text = repr(leaf.grad) if room is None else fitted_repr(leaf.grad, room - len(prefix))
        lines.append(assignment_text(prefix, text))
    return lines


class Gradients:
    """The leaves a backward changed and their new .grad, in a titled panel."""

    def __init__(self, pairs, title="gradients", room=None):
        self.lines = gradient_lines(pairs, room)
        self.title = title

    def width(self):
        return max((len(row) for t in self.lines for row in t.plain.split("\n")), default=0) + 4

    def __rich_console__(self, console, options):
        yield Panel(Group(*self.lines), title=Text(self.title, S(P.TITLE)), title_align="left",
                    expand=False, border_style=S(P.DIM))


def print_grad_lines(console, pairs):
    """`x.grad = tensor(...)` lines, as on a pipe (no panel, PyTorch's layout)."""
    for line in gradient_lines(pairs):
        console.print(line, soft_wrap=True)


# a backward that changed more gradients than this shows their shapes and norms, not values
MAX_FULL_GRADS = 4


class GradSummary:
    """Many gradients (a model's parameters): one row each, name, shape and norm."""

    def __init__(self, pairs, title):
        self.pairs = pairs
        self.title = title

    def __rich_console__(self, console, options):
        table = Table(title=Text("%s (%d tensors; :grads shows the values)"
                                 % (self.title, len(self.pairs)), S(P.TITLE)),
                      title_justify="left", box=box.SIMPLE_HEAD, header_style="bold",
                      show_edge=False, padding=(0, 1, 0, 0), pad_edge=False, expand=False)
        for col in ("name", "shape", "norm"):
            table.add_column(col, no_wrap=True, justify="right" if col == "norm" else "left")
        for name, leaf in self.pairs:
            if leaf.grad is None:   # set to None later in the statement (zero_grad() in a loop)
                table.add_row(Text(name + ".grad", S(P.LEAF)), Text("None"), Text(""))
                continue
            table.add_row(Text(name + ".grad", S(P.LEAF)), Text(str(tuple(leaf.grad.shape))),
                          Text(_norm(leaf.grad), S(P.NUMBER)))
        yield table


def _norm(t):
    import numpy as np
    try:
        return "%.4f" % float(np.linalg.norm(np.asarray(t.tolist(), dtype=float)))
    except (TypeError, ValueError):
        return "?"


def print_grads(console, pairs, title="gradients", summarize=True):
    if not pairs:
        return
    if summarize and len(pairs) > MAX_FULL_GRADS:
        console.print(GradSummary(pairs, title))
        return
    # the panel's borders and padding take 4 columns
    panel = Gradients(pairs, title, console.width - 4)
    if panel.width() <= console.width:
        console.print(panel)
        return
    # too narrow for a panel even with narrower rows: the rows alone, whole (copyable)
    console.print(Text("── ", S(P.DIM)) + Text(title, S(P.TITLE)))
    for line in gradient_lines(pairs, console.width):
        console.print(line, soft_wrap=True)


# ---------------------------------------------------------------- code and errors

def _token_style(token_type):
    while token_type:
        name = ".".join(token_type)
        entry = P.TOKENS.get(name)
        if entry is not None:
            return S(entry)
        token_type = token_type.parent
    return None


def code_text(code):
    """gradsh source coloured by GradshLexer (trailing newline kept as in `code`)."""
    from .lexer import GradshLexer
    out = Text()
    lexer = GradshLexer(stripnl=False, ensurenl=False)
    for token_type, value in lexer.get_tokens(code):
        out.append(value, _token_style(token_type))
    return out


_FRAME_LINE = re.compile(r"^(.*?): in (.*)$")
_CARET_LINE = re.compile(r"^    [ \t]*\^+$")


def error_text(err):
    """err.render() with colour: the same characters, line for line."""
    headline = err.headline()
    lines = err.render().split("\n")
    out = Text()
    for k, line in enumerate(lines):
        if k:
            out.append("\n")
        if line == headline:
            # `WHERE: Kind: message`, or `WHERE: Kind` when there is no message (`raise
            # ValueError`: this showed `ValueError: ValueError: `)
            rest = ": " + err.message if err.message else ""
            where = line[:len(line) - len(": %s%s" % (err.kind, rest))]
            out.append(where + ": ", S(P.DIM))
            out.append(err.kind, S(P.ERROR))
            out.append(rest)
        elif _CARET_LINE.match(line):
            out.append(line, S(P.CARET))
        elif line.startswith("    "):
            out.append("    ")
            out.append_text(code_text(line[4:]))
        elif line.startswith("hint: "):
            out.append(line, S(P.HINT))
        elif _FRAME_LINE.match(line) or line.startswith("  [the call above"):
            out.append(line, S(P.DIM))
        else:
            out.append(line)
    return out


def print_error(console, err):
    """The error, its prose wrapped at word boundaries to the console; code lines and their
    carets are never wrapped by Rich (they would lose their alignment)."""
    print_lines(console, error_text(err))


def print_lines(console, text):
    """Text line by line: prose wrapped at word boundaries to the console's width; lines
    indented by four (code, carets) left whole for the terminal."""
    for line in text.split("\n"):
        console.print(line, soft_wrap=line.plain.startswith("    "))


_TABLE_ROW = re.compile(r"^( *)(?:\S.*?\S {2,}(?=\S)|\S {2,}(?=\S))?")


def print_help(console, text):
    """Help text: paragraphs wrapped at word boundaries; a two-column row (`Tab   complete...`)
    wraps under its second column, a code line under its comment or its own start."""
    width = console.width
    for line in help_text(text).split("\n"):
        plain = line.plain
        if len(plain) <= width:
            console.print(line, soft_wrap=True)
            continue
        # under the second column (or a code line's comment), else under the line's start
        hang = _TABLE_ROW.match(plain).end()
        if hang > width - 16:
            hang = len(plain) - len(plain.lstrip(" "))
        head, body = line[:hang], line[hang:]
        for k, part in enumerate(body.wrap(console, width - hang)):
            console.print((head if k == 0 else Text(" " * hang)) + part, soft_wrap=True)


def exception_text(exc):
    """A Python exception raised outside a program (a meta-command's backward, say)."""
    out = Text(type(exc).__name__, S(P.ERROR))
    out.append(": " + str(exc))
    return out


# ---------------------------------------------------------------- :graph

def _node_label(node):
    if node.fn is None:
        return Text.assemble(("None", S(P.DIM)), ("  (an input that needs no gradient)", S(P.DIM)))
    out = Text()
    if node.var:
        out.append(node.var, S(P.LEAF))
        out.append(": ")
    out.append(node.name, S(P.NODE))
    if node.shape is not None:
        out.append("  %s" % (node.shape,), S(P.DIM))
    if node.repeat:
        out.append("  (shown above)", S(P.DIM))
    return out


class GraphTree:
    """The backward graph under a tensor as a Rich Tree (root: the tensor's grad_fn).

    A long chain or a big graph is cut (max_nodes, max_depth) with a note: the tree is for
    reading; `:graph --dot` writes all of it.
    """

    def __init__(self, root, title, max_nodes=300, max_depth=40):
        self.root = root
        self.title = title
        self.max_nodes = max_nodes
        self.max_depth = max_depth

    def __rich_console__(self, console, options):
        tree = Tree(Text.assemble((self.title, S(P.TITLE)), "\n", _node_label(self.root)),
                    guide_style=S(P.DIM))
        # each level indents by 4 columns: stop while a label still fits
        max_depth = min(self.max_depth, max(4, (options.max_width - 30) // 4))
        shown, cut = 1, 0
        stack = [(self.root, tree, 0)]
        while stack:
            node, branch, depth = stack.pop(0)
            for child in node.children:
                if shown >= self.max_nodes or depth >= max_depth:
                    cut += _count(child)
                    continue
                shown += 1
                stack.append((child, branch.add(_node_label(child)), depth + 1))
        yield tree
        if cut:
            yield Text("... %d more node%s not shown (:graph --dot FILE writes the whole graph)"
                       % (cut, "" if cut == 1 else "s"), S(P.DIM))


def _count(node):
    n, stack = 0, [node]
    while stack:
        x = stack.pop()
        n += 1
        stack.extend(x.children)
    return n


# ---------------------------------------------------------------- :trace

class TraceView:
    """Each node of a backward as it ran: the gradient in, the gradients out to next_functions."""

    def __init__(self, steps, labels, title, max_steps=100):
        self.steps = steps
        self.labels = labels    # per step: labels of its next_functions
        self.title = title
        self.max_steps = max_steps

    def __rich_console__(self, console, options):
        yield Text(self.title, S(P.TITLE))
        pairs = list(zip(self.steps, self.labels))
        for k, (step, labels) in enumerate(pairs, start=1):
            if k > self.max_steps:
                yield Text("... %d more steps not shown" % (len(pairs) - self.max_steps),
                           S(P.DIM))
                return
            head = Text("%2d  " % k, S(P.DIM))
            if step.var:
                head.append(step.var, S(P.LEAF))
                head.append(": ")
            head.append(step.name, S(P.NODE))
            yield head
            room = options.max_width
            for g in step.grad_in:
                yield _indented("      grad in   ", g, room)
            if step.leaf is not None:
                yield _indented("      %s.grad = " % (step.var or "leaf"), step.leaf.grad, room)
                continue
            for label, g in zip(labels, step.grad_out or ()):
                yield _indented("      → %s  " % label, g, room)


def _indented(prefix, tensor, room):
    text = Text(prefix, S(P.DIM))
    body = fitted_repr(tensor, room - len(prefix))
    body = tensor_text(body.replace("\n", "\n" + " " * len(prefix)))
    text.append_text(body)
    return text


# ---------------------------------------------------------------- :vars, help

VARS_COLUMNS = ("name", "type", "shape", "dtype", "requires_grad", "grad_fn", "grad")


class VarsTable:
    """:vars as a table that fits the console: names always in full; the other columns drop
    from the least important (grad, then grad_fn, requires_grad, dtype, shape, type)."""

    def __init__(self, rows):
        self.rows = rows    # (name, type, shape, dtype, requires_grad, grad_fn, grad) strings

    def table(self, ncols):
        # columns one space apart (the box's blank divider, no padding): room for names
        table = Table(title=Text("variables", S(P.TITLE)), title_justify="left",
                      box=box.SIMPLE_HEAD, header_style="bold", show_edge=False,
                      padding=(0, 1, 0, 0), pad_edge=False, expand=False)
        for col in VARS_COLUMNS[:ncols]:
            table.add_column(col, no_wrap=True, overflow="fold" if col == "name" else "ellipsis")
        for name, kind, shape, dtype, req, fn, grad in self.rows:
            cells = [Text(name, S(P.LEAF)), Text(kind), Text(shape), Text(dtype, S(P.DTYPE)),
                     Text(req, S(P.REQUIRES_GRAD) if req == "True" else ""),
                     Text(fn, S(P.GRAD_FN)), Text(grad)]
            table.add_row(*cells[:ncols])
        return table

    def __rich_console__(self, console, options):
        # drop columns while the table is wider than the console (never the names)
        ncols, wide = len(VARS_COLUMNS), options.update_width(10_000)
        while ncols > 1 and console.measure(self.table(ncols), options=wide).maximum \
                > options.max_width:
            ncols -= 1
        yield self.table(ncols)


def vars_table(rows):
    return VarsTable(rows)


def is_help_code(line):
    """In help text, gradsh code is indented by exactly four spaces (deeper indentation
    continues a row of a two-column table)."""
    return line.startswith("    ") and line[4:5] not in ("", " ")


def reflow(text):
    """Join the lines of each prose paragraph (wrapped for the source, not for the screen)."""
    out = []
    for line in text.split("\n"):
        if out and _prose(line) and _prose(out[-1]) and not out[-1].endswith(":"):
            out[-1] += " " + line
        elif out and out[-1].strip() and not is_help_code(out[-1]) \
                and line.startswith("     ") and line.strip():
            out[-1] += " " + line.strip()   # the next line of a two-column row's cell
        else:
            out.append(line)
    return "\n".join(out)


def _prose(line):
    return bool(line) and not line.startswith((" ", ":")) and "  " not in line


def help_text(text):
    """Help prose (paragraphs reflowed for the screen); lines indented by four spaces are
    gradsh code and get highlighted."""
    out = Text()
    for k, line in enumerate(reflow(text).split("\n")):
        if k:
            out.append("\n")
        if is_help_code(line):
            out.append("    ")
            out.append_text(code_text(line[4:]))
        elif line.startswith(":"):
            cmd, sep, rest = line.partition("  ")
            out.append(cmd, S(P.TOKENS["Keyword.Pseudo"]))
            out.append(sep + rest)
        elif line.endswith(":") and not line.startswith(" "):
            out.append(line, S(P.TITLE))
        else:
            out.append(line)
    return out


def note(text):
    return Text(text, S(P.DIM))


class NameColumns:
    """Sections of names (`torch`, `torch.autograd`...) in as many columns as fit."""

    def __init__(self, sections):
        self.sections = sections    # (title, [names])

    def __rich_console__(self, console, options):
        for title, names in self.sections:
            yield Text("%s (%d names)" % (title, len(names)), S(P.TITLE))
            if not names:
                continue
            cell = max(len(n) for n in names) + 2
            ncols = max(1, (options.max_width + 2) // cell)
            nrows = -(-len(names) // ncols)
            for r in range(nrows):
                row = [names[c * nrows + r] for c in range(ncols) if c * nrows + r < len(names)]
                yield Text("".join(n.ljust(cell) for n in row).rstrip())
            yield Text("")
