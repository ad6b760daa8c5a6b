"""The words of `:help` and its topics (four-space lines are gradsh code, highlighted)."""

OVERVIEW = """\
gradsh: PyTorch's autograd, in a shell. Type Python-like code; tensors print
as PyTorch prints them.

    x = ones(2, 2, requires_grad=True)
    out = ((x + 2) * (x + 2) * 3).mean()
    out.backward()

After a statement that runs a backward, the gradients it changed are shown.

Commands:
{commands}

Topics: :help keys, :help echo, :help autograd, :help language, :help config;
:help COMMAND for a command; :help NAME for a function or method."""

TOPICS = {
    "keys": """\
Keys:
Enter         run the input if it is complete, else open a new indented line
Alt-Enter     a new line without running (or Esc, then Enter)
              an empty line ends a block (if/for/while/with/def)
Tab           complete names, attributes after '.', keyword arguments and
              file names; in leading whitespace it indents
Up, Down      earlier and later inputs; Ctrl-R searches the history
Right         take the grey suggestion (from the history)
Ctrl-C        clear the input, or stop a running statement (variables stay)
Ctrl-D        leave the shell (on an empty line)
Ctrl-X Ctrl-E edit the input in $EDITOR
A pasted block goes in as written; if it ends with a newline it runs.""",

    "echo": """\
Echo:
In the shell, the value of an expression statement is shown (PyTorch's
text), and after a statement that ran backward() or autograd.grad(), each
named leaf tensor it changed is shown with its new .grad. None is not shown,
as in Python. The same happens for `gradsh -c CODE` and for programs piped
into gradsh (plain `x.grad = tensor(...)` lines), but not for script files:
a script prints what it prints. --echo and --no-echo change the default.""",

    "autograd": """\
Autograd in four lines:
    x = ones(2, 2, requires_grad=True)  # a leaf: its gradient goes to x.grad
    y = x + 2                            # y.grad_fn is AddBackward0
    out = (y * y * 3).mean()
    out.backward()                       # walks the graph back, fills x.grad
Then try:
    :graph out       the graph that backward() walked, from out down to x
    :trace out       a backward step by step (recompute out first)
    x.grad           d(out)/dx: 4.5 everywhere
    x.grad = None    gradients add up: clear them between backward passes
    with no_grad():  nothing inside is recorded""",

    "language": """\
The language:
A subset of Python: assignments, if/elif/else, for, while, def, lambda, with,
list comprehensions, f-strings, import torch, import math. Every torch name
is also there without the prefix (ones, no_grad, autograd.grad...). Programs
cannot reach files or the host Python. A .grad script also runs under python
with PyTorch, and prints the same text. See docs/language.md.""",

    "config": """\
Configuration:
GRADSH_HISTORY     the history file; default $XDG_STATE_HOME/gradsh/history,
                   that is ~/.local/state/gradsh/history
GRADSH_MAX_MEMORY  the largest tensor allowed (e.g. 2G); or --max-memory
NO_COLOR           no colour; FORCE_COLOR: colour even without a terminal;
                   --color=auto|always|never overrides both
See docs/repl.md.""",
}
