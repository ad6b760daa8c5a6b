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

Topics: :help keys, :help echo, :help autograd, :help language, :help config,
and :help torch (every torch name); :help COMMAND for a command; :help NAME for
a function or method (:help backward finds Tensor.backward); x.backward? too.
Leave with Ctrl-D, exit, quit, exit() or quit(). `_` is the last value shown."""

TOPICS = {
    "keys": """\
Keys:
Enter         run the input if it is complete, else open a new indented line;
              while typing a block, an empty line ends it. A recalled (Up) or
              edited block runs with Enter wherever the cursor is, once whole
Alt-Enter     run the input now if it is whole, even a block without its
              closing empty line (Esc, then Enter, is the same key)
Ctrl-O        a new line at the cursor, never running
Escape        close the completion menu
Tab           complete names, attributes after '.', keyword arguments and
              file names; in leading whitespace it indents
Backspace     in leading whitespace, back one indentation level
else: elif except finally: dedent themselves to their block when typed
Up, Down      earlier and later inputs; Ctrl-R searches the history
Right         take the grey suggestion (from the history)
Ctrl-C        clear the input, or stop a running statement (variables stay)
Ctrl-D        leave the shell (on an empty line); so do exit, quit, exit(),
              quit() and :quit
Ctrl-X Ctrl-E edit the input in $EDITOR
Ctrl-Z        suspend gradsh (fg resumes it)
A pasted block goes in as written; if it ends with a newline it runs.
NAME? or ?NAME shows help(NAME), as in IPython.""",

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

}
