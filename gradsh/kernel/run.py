"""One cell: program text, `NAME?` help, or meta-commands (one per line).

Returns the execute_reply content. A program error is the REPL's located message (never a
Python traceback of gradsh); an interrupt is a KeyboardInterrupt error and the session stays.
"""

import ast
import re

_HELP = re.compile(r"^\s*(\?{1,2})?([A-Za-z_][\w.]*)(\?{1,2})?\s*$")


def run_cell(kernel, code, store_history=True):
    """The reply to one execute_request. `store_history` False: the cell is not one of the
    inputs :save writes (a front end's own silent or history-less requests)."""
    state = kernel.state
    try:
        if not code.strip():
            return {"status": "ok"}
        m = _HELP.match(code)
        if m and (m.group(1) or m.group(3)) and not (m.group(1) and m.group(3)):
            return _help(state, m.group(2))
        if code.lstrip().startswith(":"):
            return _meta_cell(kernel, code)
        return _program(kernel, code, store_history)
    except KeyboardInterrupt:
        return error_reply("KeyboardInterrupt", "", ["KeyboardInterrupt"])
    except Exception as exc:  # noqa: BLE001 - a bug of the shell: one line, never ipykernel's traceback
        from gradsh.cli.run import BUG_NOTE
        line = "gradsh: internal error in the kernel: %s: %s" % (type(exc).__name__, exc)
        return error_reply("InternalError", str(exc), [line, BUG_NOTE.rstrip("\n") % ""])


def error_reply(ename, evalue, lines):
    return {"status": "error", "ename": ename, "evalue": evalue, "traceback": lines}


def _filename(kernel):
    return "<cell %d>" % kernel.execution_count


def _program(kernel, code, store_history=True):
    from gradsh.lang import GradshError, InternalError
    state = kernel.state
    session = state.session
    try:
        ends_with_expression = _ends_with_expression(code)
        session.forget_warned_places()
        session.run_interactive(code, _filename(kernel))
    except GradshError as err:
        lines = err.render().split("\n")
        if isinstance(err, InternalError):
            from gradsh.cli.run import BUG_NOTE
            lines.append(BUG_NOTE.rstrip("\n") % "")
        return error_reply(err.kind, _evalue(err), lines)
    if store_history:
        state.inputs.append(code)
    if ends_with_expression and _ends_quiet(code):
        return {"status": "ok", "show_last": False, "drop_last": True}
    return {"status": "ok", "show_last": ends_with_expression}


def _evalue(err):
    """The error's message as IPython's evalue, Python's str(exc): without the "Did you mean"
    Python adds only when it prints a traceback (the traceback lines keep it), nor the notes
    (`e.add_note(...)`) and a group's members printed below it; a cell that does
    not parse as `message (<cell N>, line L)`, as str() of Python's SyntaxError."""
    from gradsh.lang import GradshSyntaxError
    tip = getattr(err, "suggestion", "")
    if tip and err.message.endswith(tip):
        return err.message[:-len(tip)]
    below = getattr(err, "below", "")  # an exception's notes (and a group's members)
    if below and err.message.endswith(below):
        return err.message[:-len(below)]
    if isinstance(err, GradshSyntaxError) and err.line is not None:
        return "%s (%s, line %d)" % (err.message, err.filename, err.line)
    return err.message


def _ends_quiet(code):
    """Does the cell end with `;` (comments and blank lines after it aside)? IPython then shows
    no value for it."""
    import io
    import tokenize
    last = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                  tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                last = token
    except (tokenize.TokenError, SyntaxError):
        return False
    return last is not None and last.type == tokenize.OP and last.string == ";"


def _ends_with_expression(code):
    """Is the cell's last top-level statement an expression (whose value Jupyter shows)?"""
    from gradsh.lang.syntax.parser import parse_source
    try:
        module = parse_source(code, "<cell>")[2]
    except Exception:  # the run that follows reports the error properly
        return False
    return bool(module.body) and isinstance(module.body[-1], ast.Expr)


def _help(state, name):
    """`NAME?`: the help text as the reply's page payload, as IPython sends it (JupyterLab shows
    it below the cell, `jupyter console` prints it); NAME's error as the REPL reports it."""
    from gradsh.cli.execute import run_source

    from .assist import help_text
    text = help_text(state, name)
    if text is None:
        run_source(state, "help(%s)" % name, "<help>", record=False, echo=False)
        return {"status": "ok"}
    return {"status": "ok", "payload": [{"source": "page", "data": {"text/plain": text},
                                         "start": 0}]}


def _meta_cell(kernel, code):
    """Each non-empty line is a meta-command, run in order."""
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    for k, line in enumerate(lines, start=1):
        if not line.startswith(":"):
            return error_reply("SyntaxError", "a cell of meta-commands holds only meta-commands",
                               ["%s:%d: a cell that starts with a meta-command holds only "
                                "meta-commands (one per line); put program code in its own cell"
                                % (_filename(kernel), k)])
        _meta(kernel, line)
    return {"status": "ok"}


def _meta(kernel, line):
    from gradsh.cli.meta import run_meta
    name, _, rest = line[1:].partition(" ")
    name = name.strip()
    if name == "graph" and not rest.lstrip().startswith("--"):
        from .pictures import show_graph
        show_graph(kernel, rest.strip())
    elif name == "plot":
        from .pictures import show_plot
        show_plot(kernel, rest.strip())
    elif name in ("quit", "exit", "q"):
        kernel.state.err_console.print("the kernel keeps running: use the front end's "
                                       "Shut Down (or Restart) to end it")
    else:
        run_meta(kernel.state, line)
