"""The colours of gradsh, in one table, for both Rich (output) and prompt_toolkit (input).

Only the 16 standard ANSI colours, so every terminal and colour system shows the same thing.
Each entry is (colour, bold); render.py and style.py convert it to their own style strings.
"""

# Pygments token names (as dotted strings, so this module imports nothing) -> (colour, bold)
TOKENS = {
    "Keyword": ("magenta", True),
    "Keyword.Constant": ("magenta", False),
    "Keyword.Pseudo": ("blue", True),
    "Name.Builtin": ("cyan", False),
    "Name.Builtin.Pseudo": ("cyan", False),
    "Name.Function": ("blue", True),
    "Literal.String": ("green", False),
    "Literal.Number": ("yellow", False),
    "Comment": ("bright_black", False),
    "Operator": (None, False),
}

# Parts of tensor text and of the REPL's own output
NUMBER = ("yellow", False)
GRAD_FN = ("magenta", False)
REQUIRES_GRAD = ("bright_red", False)
DTYPE = ("green", False)
NODE = ("magenta", True)
LEAF = ("green", True)
ERROR = ("red", True)
CARET = ("red", True)
HINT = ("yellow", False)
DIM = ("bright_black", False)
TITLE = ("cyan", True)


def rich_style(entry):
    colour, bold = entry
    parts = (["bold"] if bold else []) + ([colour] if colour else [])
    return " ".join(parts) or "none"


def ptk_style(entry):
    colour, bold = entry
    parts = (["bold"] if bold else []) + (["ansi" + colour.replace("_", "")] if colour else [])
    return " ".join(parts)
