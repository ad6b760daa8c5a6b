"""The prompt_toolkit PromptSession of the REPL, put together from the one-job modules."""

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.lexers import PygmentsLexer
from prompt_toolkit.output import ColorDepth

from .key_bindings import load_repl_bindings
from .lexer import GradshLexer
from .style import make_style
from .toolbar import make_toolbar

PROMPT = [("class:prompt", ">>> ")]


def continuation(width, line_number, is_soft_wrap):
    return [("class:continuation", "...".ljust(width))]


def make_prompt_session(state, history, completer=None, input=None, output=None):
    colour = state.colour
    return PromptSession(
        PROMPT,
        multiline=True,
        prompt_continuation=continuation,
        # --color never (or NO_COLOR): no colour anywhere, the prompt and the input included
        lexer=PygmentsLexer(GradshLexer) if colour else None,
        color_depth=None if colour else ColorDepth.DEPTH_1_BIT,
        completer=completer,
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        history=history,
        key_bindings=load_repl_bindings(state),
        bottom_toolbar=make_toolbar(state),
        style=make_style(colour),
        include_default_pygments_style=False,
        enable_suspend=True,
        enable_open_in_editor=True,
        tempfile_suffix=".grad",
        input=input,
        output=output,
    )
