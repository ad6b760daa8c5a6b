"""Completion and inspection for the kernel, from the REPL's completer and `help`."""

import io
import re

_NAME_AT = re.compile(r"[A-Za-z_][\w.]*$")
_NAME_FROM = re.compile(r"^\w*")


def complete(state, code, cursor_pos):
    """complete_reply content: what the REPL's Tab would offer at the cursor."""
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli.completer import GradshCompleter
    document = Document(code, cursor_pos)
    matches, start, types = [], cursor_pos, []
    for c in GradshCompleter(state).get_completions(document, CompleteEvent(
            completion_requested=True)):
        if c.text in matches:
            continue
        matches.append(c.text)
        start = cursor_pos + c.start_position
        types.append({"start": start, "end": cursor_pos, "text": c.text,
                      "type": c.display_meta_text or ""})
    return {"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": cursor_pos,
            "metadata": {"_jupyter_types_experimental": types}}


def name_at(code, cursor_pos):
    """The dotted name under (or just before) the cursor: `x.backward` in `x.backward(`."""
    before = code[:cursor_pos]
    before = before.removesuffix("(")  # Shift-Tab after "f(" asks about the callee
    m = _NAME_AT.search(before)
    head = m.group(0) if m else ""
    tail = _NAME_FROM.match(code[cursor_pos:]).group(0) if not before.endswith(".") else ""
    return (head + tail).strip(".")


def inspect_at(state, code, cursor_pos):
    """inspect_reply content: help(NAME) for the name at the cursor (signature and summary)."""
    name = name_at(code, cursor_pos)
    if not name or name[0].isdigit() or not _reachable(state, name):
        return {"status": "ok", "found": False, "data": {}, "metadata": {}}
    text = help_text(state, name)
    if text is None:
        return {"status": "ok", "found": False, "data": {}, "metadata": {}}
    return {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}


def _reachable(state, name):
    """Can NAME be looked up without running the program's code? help(NAME) evaluates it, and
    inspecting `obj.prop` must not run a program's property or __getattr__ (it may never end):
    the completer's resolver, which reads attributes only where that runs no program code."""
    from gradsh.cli.completer import GradshCompleter, MISSING
    return GradshCompleter(state).resolve(name) is not MISSING


def help_text(state, name):
    """What `help(NAME)` prints in the session, or None when NAME is not there."""
    from gradsh.lang import GradshError
    session = state.session
    out = io.StringIO()
    saved = session.stdout
    session.stdout = out
    try:
        session.run("help(%s)" % name, "<inspect>")
    except GradshError:
        return None
    finally:
        session.stdout = saved
    return out.getvalue().rstrip("\n")
