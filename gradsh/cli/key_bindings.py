"""The REPL's own keys: Enter decides by the parser, Tab and Backspace know indentation,
clause keywords dedent themselves, a bracketed paste runs as written. Everything else is
prompt_toolkit's Emacs set (Ctrl-R searches history, Ctrl-C clears, Ctrl-D on an empty line
exits)."""

import re

from prompt_toolkit.filters import Condition, has_completions, has_focus, has_selection
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys

from .indent import INDENT, clause_indent, dedent_width, next_indent
from .scan import scan


def is_meta_command(text):
    return text.lstrip().startswith(":")


# Python 3.13's REPL leaves on these, parentheses or not
EXIT = re.compile(r"\s*(exit|quit)\s*(\(\s*\))?\s*")


def wants_run(state, text):
    """True when Enter should run `text`, False when it needs another line."""
    if not text.strip() or is_meta_command(text) and "\n" not in text.strip():
        return True
    if EXIT.fullmatch(text):
        return True     # without waiting for the parser to load
    if state.check_complete(text) != "incomplete":
        return True
    return _empty_block(text)


def is_closed(state, text):
    """True when `text` is a whole input once its block is closed by an empty line."""
    return state.check_complete(text.rstrip() + "\n") == "complete"


def _empty_block(text):
    """An empty line typed right after a block header (`for i in range(3):`): run it, so that
    the parser reports Python's IndentationError instead of waiting for a body for ever."""
    lines = text.split("\n")
    if len(lines) < 2 or lines[-1].strip():
        return False
    code = [line for line in lines[:-1] if line.strip() and not line.strip().startswith("#")]
    if not code:
        return False
    last = code[-1]
    if scan(text)[1]:
        return False    # inside brackets (`d = {1:`): more lines are coming
    return last.rstrip().endswith(":") and \
        len(next_indent(last)) > len(last) - len(last.lstrip())


def _recalled(buf):
    """The input came from the history (Up, Ctrl-R), not typed at this prompt."""
    lines = getattr(buf, "_working_lines", None)
    return lines is not None and buf.working_index < len(lines) - 1


class AutoIndent:
    """The indentation Enter inserts, and whether it is still untouched: typing a space there
    replaces it with your own, so a program typed (or fed) line by line with its indentation
    keeps exactly that indentation, as in Python's REPL, instead of getting it twice."""

    def __init__(self):
        self.untouched = None   # (text, cursor) of the buffer right after the auto-indent
        self.indented = None    # the buffer's text up to the end of the last auto-indent
        self.own = None         # the input, up to its line, where you typed your own indentation

    def new_line(self, buf, text_before_cursor):
        buf.insert_text("\n" + next_indent(text_before_cursor))
        self.untouched = (buf.text, buf.cursor_position)
        self.indented = buf.text

    def take_over(self, buf):
        """A space typed as the first key of an auto-indented line: drop the automatic part."""
        if self.untouched == (buf.text, buf.cursor_position):
            buf.delete_before_cursor(len(buf.document.current_line_before_cursor))
            self.own, self.indented = buf.text, None
        self.untouched = None

    def written_at_column_0(self, doc):
        """True for a line you began without indentation in an input whose other lines carry
        the indentation you typed yourself (as into Python's REPL, or a paste without
        bracketed-paste markers): there the automatic indentation is not yours."""
        before = doc.text_before_cursor
        return (self.own is not None and before.startswith(self.own)
                and self.indented is not None and before.startswith(self.indented)
                and "\n" not in before[len(self.indented):])


def load_repl_bindings(state):
    kb = KeyBindings()
    auto = AutoIndent()

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
        typing_at_end = doc.text_after_cursor.strip() == "" and not _recalled(buf)
        if typing_at_end:
            # typing a block: as Python's REPL, an empty line ends it
            run = wants_run(state, buf.text)
        else:
            # a recalled or edited block runs wherever the cursor is, once it is whole
            run = is_closed(state, buf.text) or wants_run(state, buf.text) and "\n" not in buf.text
        if run:
            buf.validate_and_handle()
            return
        auto.new_line(buf, doc.text_before_cursor)

    @kb.add("escape", "enter")
    def _run_now(event):
        """Alt-Enter: run the input if it is whole (a block needs no closing empty line); else
        a new line. Never a surprise newline after Esc closed a menu."""
        buf = event.current_buffer
        buf.cancel_completion()
        if is_closed(state, buf.text) or wants_run(state, buf.text) and "\n" not in buf.text:
            buf.validate_and_handle()
            return
        auto.new_line(buf, buf.document.text_before_cursor)

    @kb.add("c-o")
    def _newline(event):
        """Ctrl-O: a new line at the cursor without running, whatever the parser says."""
        buf = event.current_buffer
        auto.new_line(buf, buf.document.text_before_cursor)

    @kb.add("escape", filter=has_completions, eager=True)
    def _close_menu(event):
        """Escape closes the completion menu (the typed text stays)."""
        event.current_buffer.cancel_completion()

    @kb.add(":")
    @kb.add(" ")
    @kb.add("(")
    def _clause(event):
        """else:, elif, except, finally: dedent to the header they belong to when typed; a
        space typed first on an auto-indented line replaces the automatic indentation."""
        buf = event.current_buffer
        if event.data == " ":
            auto.take_over(buf)
        buf.insert_text(event.data * event.arg)
        doc = buf.document
        if doc.text_after_cursor.split("\n", 1)[0].strip():
            return
        target = clause_indent(doc.text_before_cursor, auto.written_at_column_0(doc))
        if target is None:
            return
        line = doc.current_line_before_cursor
        current = len(line) - len(line.lstrip())
        if current > len(target):
            buf.cursor_position -= len(line) - current
            buf.delete_before_cursor(current - len(target))
            buf.cursor_position += len(line) - current

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
