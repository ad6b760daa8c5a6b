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
    """The name Shift-Tab asks about, as IPython chooses it: inside a call's parentheses the
    callee (`torch.zeros` anywhere in `torch.zeros(3, `), otherwise the dotted name under (or
    just before) the cursor; nothing for an attribute of an expression that is not a name
    (`torch.ones(2).sum`: IPython does not evaluate the call to find it)."""
    before = code[:cursor_pos]
    call = _open_call(before)
    if call is not None:
        return _dotted_name_before(before[:call])
    head = _dotted_name_before(before)
    if head is None:
        return ""
    tail = _NAME_FROM.match(code[cursor_pos:]).group(0) if not before.endswith(".") else ""
    return (head + tail).strip(".")


def _dotted_name_before(text):
    """The dotted name that ends `text` ("" when none); None when it is an attribute of an
    expression that is not a name (`(...).sum`, `x[0].sum`)."""
    m = _NAME_AT.search(text)
    if m is None:
        return ""
    if text[:m.start()].endswith(".") or (m.group(0).startswith(".")):
        return None
    return m.group(0)


def _open_call(text):
    """Where the innermost call still open at the end of `text` opens (its "(" right after a
    name), or None."""
    from gradsh.cli.scan import scan
    for bracket, at in reversed(scan(text)[1]):
        if bracket == "(" and _dotted_name_before(text[:at]):
            return at
    return None


def inspect_at(state, code, cursor_pos):
    """inspect_reply content: help(NAME) for the name at the cursor (signature and summary);
    for a value that is not a function or class, its type and text first, as IPython's
    `Type:` and `String form:` lines."""
    name = name_at(code, cursor_pos)
    obj = _resolve(state, name) if name and not name[0].isdigit() else MISSING
    text = None if obj is MISSING else help_text(state, name)
    if text is None:
        return {"status": "ok", "found": False, "data": {}, "metadata": {}}
    if not isinstance(obj, type) and not callable(obj) or _is_module(obj):
        form = _string_form(obj)
        text = "Type:        %s\n%s\n%s" % (type(obj).__name__, (
            "String form: %s\n" % form) if form is not None else "", text)
    return {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}


def _is_module(obj):
    """An nn.Module instance (callable, but a value: IPython shows its Type and String form)."""
    return not isinstance(obj, type) and any(c.__name__ == "Module" and (
        c.__module__ or "").startswith("gradsh.core.") for c in type(obj).__mro__)


MISSING = object()
FORM_CHARS = 200  # IPython cuts a long string form around "<...>" too


def _resolve(state, name):
    """The value NAME names, if it is found without running the program's code: help(NAME)
    evaluates it, and inspecting `obj.prop` must not run a program's property or __getattr__
    (it may never end): the completer's resolver reads attributes only where that runs no
    program code."""
    from gradsh.cli.completer import GradshCompleter, MISSING as NOT_FOUND
    obj = GradshCompleter(state).resolve(name)
    return MISSING if obj is NOT_FOUND else obj


def _string_form(obj):
    """The value's text, when making it runs none of the program's code (_shown_safely), else
    None."""
    if not _shown_safely(obj, 3):
        return None
    text = repr(obj)
    if len(text) > FORM_CHARS:
        text = text[:FORM_CHARS // 2] + " <...> " + text[-FORM_CHARS // 2:]
    return text


_CORE_VALUES = ("Tensor", "Parameter", "dtype", "device", "Size")
MAX_FORM_ITEMS = 100


def _shown_safely(obj, depth):
    """A tensor, number, string, dtype, device or Size; a list, tuple or dict of Python's own
    of at most MAX_FORM_ITEMS such values (`depth` levels deep); or a module of gradsh's whose
    modules are all gradsh's: never a program's object, whose __repr__ is the program's."""
    kind = type(obj)
    core = (kind.__module__ or "").startswith("gradsh.core.")
    if kind in (int, float, bool, complex, str, type(None)) or (core and
                                                                 kind.__name__ in _CORE_VALUES):
        return True
    if depth and kind in (list, tuple, dict) and len(obj) <= MAX_FORM_ITEMS:
        items = list(obj.items()) if kind is dict else [(v,) for v in obj]
        return all(_shown_safely(v, depth - 1) for item in items for v in item)
    if core and callable(getattr(obj, "modules", None)) and hasattr(obj, "_modules"):
        return all((type(m).__module__ or "").startswith("gradsh.core.")
                   for m in obj.modules())
    return False


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
