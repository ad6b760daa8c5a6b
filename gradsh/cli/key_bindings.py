"""The REPL's own keys: Enter decides by the parser, Tab and Backspace know indentation,
a bracketed paste runs as written. Everything else is prompt_toolkit's Emacs set (Ctrl-R
searches history, Ctrl-C clears, Ctrl-D on an empty line exits)."""

from prompt_toolkit.filters import Condition, has_completions, has_focus, has_selection
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys

from .indent import INDENT, dedent_width, next_indent


def is_meta_command(text):
    return text.lstrip().startswith(":")


def wants_run(state, text):
    """True when Enter should run `text`, False when it needs another line."""
    if not text.strip() or is_meta_command(text) and "\n" not in text.strip():
        return True
    return state.check_complete(text) != "incomplete"


def load_repl_bindings(state):
    kb = KeyBindings()

    @Condition
    def in_indentation():
        doc = _app_buffer().document
        return doc.current_line_before_cursor.strip() == "" and doc.current_line_before_cursor != ""

    @Condition
    def at_line_start_or_indent():
        return _app_buffer().document.current_line_before_cursor.strip() == ""

    @kb.add("enter", filter=has_focus("DEFAULT_BUFFER"))
    def _enter(event):
        """Run the input if it is complete; otherwise open a new, indented line."""
        buf = event.current_buffer
        buf.exit_selection()
        if buf.complete_state and buf.complete_state.current_completion:
            buf.apply_completion(buf.complete_state.current_completion)
            return
        doc = buf.document
        on_last_line = doc.text_after_cursor.strip() == ""
        if on_last_line and wants_run(state, buf.text):
            buf.validate_and_handle()
            return
        buf.insert_text("\n" + next_indent(doc.text_before_cursor))

    @kb.add("escape", "enter")
    def _force_newline(event):
        """Alt-Enter: a new line without running, whatever the parser says."""
        buf = event.current_buffer
        buf.insert_text("\n" + next_indent(buf.document.text_before_cursor))

    @kb.add("tab", filter=at_line_start_or_indent & ~has_completions)
    def _indent(event):
        """Tab in leading whitespace indents; elsewhere it completes."""
        event.current_buffer.insert_text(INDENT)

    @kb.add("backspace", filter=in_indentation & ~has_selection)
    def _dedent(event):
        """Backspace in leading whitespace goes back one indentation level."""
        buf = event.current_buffer
        buf.delete_before_cursor(dedent_width(buf.document.text_before_cursor))

    @kb.add(Keys.BracketedPaste)
    def _paste(event):
        """A pasted block goes in as written, and runs if it ends with a newline and is complete."""
        data = event.data.replace("\r\n", "\n").replace("\r", "\n")
        buf = event.current_buffer
        buf.insert_text(data)
        if data.endswith("\n") and buf.document.text_after_cursor.strip() == "" \
                and wants_run(state, buf.text):
            buf.validate_and_handle()

    return kb


def _app_buffer():
    from prompt_toolkit.application.current import get_app
    return get_app().current_buffer
