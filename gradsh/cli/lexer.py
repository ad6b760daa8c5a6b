"""GradshLexer: Pygments tokens for .grad programs and REPL input.

Registered as a Pygments plugin (pyproject's "pygments.lexers" entry point) for *.grad files;
the REPL highlights input with it and the error and help views highlight code with it. It must
not import gradsh itself (Pygments may load plugins in any process), so the torch names it
knows are a fixed list of the common ones.
"""

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String, Text,
                            Whitespace)

__all__ = ["GradshLexer"]

KEYWORDS = ("if", "elif", "else", "while", "for", "in", "with", "as", "def", "return", "pass",
            "break", "continue", "del", "assert", "import", "from", "lambda", "not", "and",
            "or", "is")
CONSTANTS = ("True", "False", "None")
BUILTINS = ("print", "range", "len", "abs", "min", "max", "sum", "round", "float", "int", "bool",
            "str", "list", "tuple", "dict", "enumerate", "zip", "reversed", "sorted",
            "isinstance", "help", "repr", "any", "all", "argv")
# torch names worth a colour of their own; any other name still works, it is just plain
TORCH_NAMES = ("torch", "math", "tensor", "ones", "zeros", "rand", "randn", "randint", "arange",
               "linspace", "eye", "full", "empty", "ones_like", "zeros_like", "randn_like",
               "manual_seed", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
               "autograd", "nn", "float32", "float64", "int64", "exp", "log", "tanh", "sigmoid",
               "relu", "sin", "cos", "sqrt", "matmul", "mm", "stack", "cat")
META_COMMANDS = ("vars", "graph", "trace", "grads", "reset", "load", "save", "help", "quit",
                 "exit", "q")

# (each written as "a run of plain characters, then escapes each followed by a run": a
# repeated alternation would cost the regex engine hundreds of bytes per character)
_STRING_BODY = (r'("""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|\'\'\'[^\'\\]*(?:(?:\\.|\'(?!\'\'))'
                r'[^\'\\]*)*\'\'\'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\\\n]*(?:\\.[^\'\\\n]*)*\')')


class GradshLexer(RegexLexer):
    """gradsh: the Python subset of PyTorch's autograd programs, plus REPL meta-commands."""

    name = "gradsh"
    aliases = ["gradsh", "grad"]
    filenames = ["*.grad"]
    mimetypes = ["text/x-gradsh"]
    url = "https://github.com/gradsh/gradsh"

    tokens = {
        "root": [
            (r"\A#!.*$", Comment.Hashbang),
            # a meta-command is the whole input of a REPL line: `:graph out`
            (r"\A(\s*)(:)(" + "|".join(META_COMMANDS) + r")\b",
             bygroups(Whitespace, Punctuation, Keyword.Pseudo)),
            (r"\n", Whitespace),
            (r"[^\S\n]+", Whitespace),
            (r"#.*$", Comment.Single),
            (r"\\\n", Text),
            (r"(def)(\s+)", bygroups(Keyword, Whitespace), "funcname"),
            (r"(?i)(f|rf|fr)" + _STRING_BODY, String.Interpol),
            (r"(?i)(r|u|b|br|rb)?" + _STRING_BODY, String),
            (r"0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+", Number.Hex),
            (r"(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]",
             Number.Float),
            (r"(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?", Number.Float),
            (r"\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?", Number.Float),
            (r"\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*", Number.Float),
            (r"\d(?:_?\d)*", Number.Integer),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (r"(\.)([A-Za-z_]\w*)", bygroups(Punctuation, Name.Attribute)),
            (words(BUILTINS, prefix=r"(?<![\w.])", suffix=r"\b"), Name.Builtin),
            (words(TORCH_NAMES, prefix=r"(?<![\w.])", suffix=r"\b"), Name.Builtin.Pseudo),
            (r"[A-Za-z_]\w*", Name),
            (r"\*\*=?|//=?|>>=?|<<=?|[-+*/%@&|^~<>=!]=?", Operator),
            (r"\.\.\.", Name.Builtin.Pseudo),
            (r"[()\[\]{},:;.]", Punctuation),
            (r".", Text),
        ],
        "funcname": [
            (r"[A-Za-z_]\w*", Name.Function, "#pop"),
            (r"", Text, "#pop"),
        ],
    }
