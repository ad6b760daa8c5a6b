"""The CLI's pure parts: argument parsing, auto-indent, the lexer, rendering, completion."""

import io

import pytest

from gradsh.cli.args import UsageError, parse_args


# ---------------------------------------------------------------- arguments

def test_options_stop_at_the_script_name():
    opts = parse_args(["--no-echo", "prog.grad", "--echo", "-c", "x"])
    assert (opts.mode, opts.file, opts.args, opts.echo) == ("file", "prog.grad",
                                                             ["--echo", "-c", "x"], False)
    assert opts.program_argv() == ["prog.grad", "--echo", "-c", "x"]


def test_grouped_short_options_and_attached_code():
    opts = parse_args(["-ic", "x = 1", "rest"])
    assert (opts.interactive, opts.code, opts.args) == (True, "x = 1", ["rest"])
    assert parse_args(["-cprint(1)"]).code == "print(1)"


def test_color_and_max_memory_take_values_both_ways():
    assert parse_args(["--color", "never"]).color == "never"
    assert parse_args(["--color=always"]).color == "always"
    assert parse_args(["--max-memory=2G"]).max_memory == "2G"
    assert parse_args(["--max-memory", "512M"]).max_memory == "512M"


def test_double_dash_ends_options():
    opts = parse_args(["--", "-weird-name.grad", "a"])
    assert (opts.file, opts.args) == ("-weird-name.grad", ["a"])


def test_modes():
    assert parse_args([]).mode == "default"
    assert parse_args(["-"]).mode == "stdin"
    assert parse_args(["-c", "1"]).mode == "command"
    assert parse_args(["-i"]).interactive


@pytest.mark.parametrize("argv", [["--nope"], ["-x"], ["-c"], ["--color=red"], ["--help=1"]])
def test_bad_command_lines_raise_usage_error(argv):
    with pytest.raises(UsageError):
        parse_args(argv)


# ---------------------------------------------------------------- auto-indent

@pytest.mark.parametrize("before, indent", [
    ("x = 1", ""),
    ("if x:", "    "),
    ("    for i in y:  # loop", "        "),
    ("    return x", ""),
    ("        pass", "    "),
    ("f(1,", "    "),
    ("    y = 2", "    "),
    ("def f():\n    x = 1", "    "),
    ("s = 'a:'", ""),
])
def test_next_line_indent_follows_python_habits(before, indent):
    from gradsh.cli.indent import next_indent
    assert next_indent(before) == indent


def test_backspace_in_indentation_goes_back_one_level():
    from gradsh.cli.indent import dedent_width
    assert dedent_width("if x:\n        ") == 4
    assert dedent_width("if x:\n      ") == 2
    assert dedent_width("x = 1") == 1


# ---------------------------------------------------------------- lexer

def _tokens(code):
    from gradsh.cli.lexer import GradshLexer
    return [(str(t), v) for t, v in GradshLexer().get_tokens(code) if v.strip()]


def test_lexer_tokens_of_a_small_program():
    toks = _tokens("def f(a=1.5e-3):\n    return a ** 2  # sq\n")
    assert ("Token.Keyword", "def") in toks
    assert ("Token.Name.Function", "f") in toks
    assert ("Token.Literal.Number.Float", "1.5e-3") in toks
    assert ("Token.Keyword", "return") in toks
    assert ("Token.Operator", "**") in toks
    assert ("Token.Comment.Single", "# sq") in toks


def test_lexer_colours_imaginary_literals_as_one_number():
    toks = _tokens("z = 2j + 1.5e3J + .5j + 1_0j\n")
    for text in ("2j", "1.5e3J", ".5j", "1_0j"):
        assert ("Token.Literal.Number.Float", text) in toks
    assert not [v for t, v in toks if t == "Token.Name"][1:]  # only `z`: no name `j`


def test_lexer_strings_fstrings_constants_and_torch_names():
    toks = _tokens("x = torch.ones(2, requires_grad=True)\nprint(f'{x}', \"a#b\")\n")
    assert ("Token.Name.Builtin.Pseudo", "torch") in toks
    assert ("Token.Name.Attribute", "ones") in toks
    assert ("Token.Keyword.Constant", "True") in toks
    assert ("Token.Literal.String.Interpol", "f'{x}'") in toks
    assert ("Token.Literal.String", '"a#b"') in toks   # '#' inside a string is no comment
    assert ("Token.Name.Builtin", "print") in toks


def test_lexer_knows_meta_commands_and_shebang():
    assert _tokens(":graph out")[:2] == [("Token.Punctuation", ":"),
                                         ("Token.Keyword.Pseudo", "graph")]
    assert _tokens("#!/usr/bin/env gradsh\n1\n")[0] == ("Token.Comment.Hashbang",
                                                          "#!/usr/bin/env gradsh")


def test_lexer_round_trips_any_text():
    from gradsh.cli.lexer import GradshLexer
    text = "x = [1, 'a', \"\"\"b\nc\"\"\"] @ y\t# é \\\n $ ?\n"
    assert "".join(v for _, v in GradshLexer().get_tokens(text)) == text


def test_pygments_finds_the_lexer_for_grad_files():
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    assert type(get_lexer_for_filename("train.grad")).__name__ == "GradshLexer"
    assert type(get_lexer_by_name("gradsh")).__name__ == "GradshLexer"


# ---------------------------------------------------------------- rendering

def _console(colour=False, width=80):
    from gradsh.cli import render
    buf = io.StringIO()
    return render.make_console(buf, colour, width), buf


def test_tensor_text_only_adds_colour():
    from gradsh.cli import render
    text = "tensor([[ 1.5000e+01, -2.0000e-03]], dtype=torch.float64, grad_fn=<AddBackward0>)"
    t = render.tensor_text(text)
    assert t.plain == text
    styled = {text[s.start:s.end] for s in t.spans}
    assert {"1.5000e+01", "-2.0000e-03", "grad_fn=<AddBackward0>", "dtype=torch.float64"} <= styled
    assert "64" not in styled and "0" not in styled   # no digits inside names


def test_user_strings_are_never_rich_markup():
    import gradsh
    from gradsh.cli import render
    console, buf = _console()
    render.print_value(console, "[bold red]not markup[/]")
    render.print_value(console, gradsh.ones(1))
    assert buf.getvalue() == "'[bold red]not markup[/]'\ntensor([1.])\n"


def test_error_text_has_the_characters_of_render():
    from gradsh.cli import render
    from gradsh.lang import GradshError, Session
    s = Session(stdout=io.StringIO())
    with pytest.raises(GradshError) as info:
        s.run("def f(a):\n    return a / 0\ny = f(1)\n", "p.grad")
    err = info.value
    assert render.error_text(err).plain == err.render()
    console, buf = _console(colour=True)
    render.print_error(console, err)
    assert "\x1b[1;31mZeroDivisionError" in buf.getvalue()


def test_gradients_without_room_for_a_panel_keep_rows_whole():
    import gradsh
    from gradsh.cli import render
    x = gradsh.ones(2, 2, requires_grad=True)
    x.grad = gradsh.full((2, 2), 4.5)
    console, buf = _console(width=25)
    render.print_grads(console, [("x", x)])
    # PyTorch 2.13 with torch.set_printoptions(linewidth=16): the widest layout whose rows fit
    # the 16 columns left after `x.grad = ` (no room for the panel's borders)
    torch_text = ("tensor([[4.5000,\n         4.5000],\n"
                  "        [4.5000,\n         4.5000]])")
    assert buf.getvalue() == ("── gradients\n"
                              + render.assignment_text("x.grad = ", torch_text).plain + "\n")


def test_value_text_caps_long_values():
    from gradsh.cli import render
    t = render.value_text("x" * 100, max_chars=10)
    assert t.plain == "'xxxxxxxxx\n[... 92 more characters not shown]"


# ---------------------------------------------------------------- completion

class _Loader:
    ready = True


class _State:
    def __init__(self, session):
        self.session = session
        self.loader = _Loader()


@pytest.fixture
def complete():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli.completer import GradshCompleter
    from gradsh.lang import Session
    session = Session(stdout=io.StringIO())
    session.run("weights = ones(3, requires_grad=True)\nwidth = 4\n"
                "def train(steps, lr=0.1, *, verbose=False):\n    pass\n"
                "import torch.nn.functional as F\n")
    completer = GradshCompleter(_State(session))

    def run(text, requested=True):
        event = CompleteEvent(completion_requested=requested)
        return [c.text for c in completer.get_completions(Document(text), event)]
    return run


def test_completes_variables_first_then_torch_names(complete):
    got = complete("w")
    assert got[:2] == ["weights", "width"]
    assert "where" in got  # torch.where, unprefixed


def test_completes_keywords_and_builtins(complete):
    assert "while" in complete("wh")
    assert "print" in complete("pri")


def test_completes_tensor_attributes_without_private_or_denied_names(complete):
    got = complete("weights.")
    assert "requires_grad_" in got and "backward" in got and "grad_fn" in got
    assert not [n for n in got if n.startswith("_")]
    assert "numpy" in got and "set_" not in got   # t.numpy() is offered (np1)
    assert complete("weights.ba") == ["backward", "baddbmm", "baddbmm_"]


def test_completes_through_namespaces(complete):
    assert "relu" in complete("F.re")
    assert "functional" in complete("torch.nn.")
    assert "grad" in complete("torch.autograd.g")


def test_completes_keyword_arguments_inside_a_call(complete):
    assert complete("train(3, l")[0] == "lr="
    assert "verbose=" in complete("train(3, v")
    assert "requires_grad=" in complete("ones(2, requ")


def test_no_completion_inside_strings_or_comments(complete):
    assert complete("print('wei") == []
    assert complete("x = 1  # wei") == []


def test_no_menu_of_everything_while_typing_a_space(complete):
    assert complete("x = ", requested=False) == []
    assert complete("x = ", requested=True) != []


def test_completes_meta_commands_help_topics_and_paths(complete, tmp_path, monkeypatch):
    assert complete(":gr") == ["grads", "graph"]
    assert complete(":help ke") == ["keys"]
    (tmp_path / "model.grad").write_text("1\n")
    monkeypatch.chdir(tmp_path)
    assert complete(':load "mo') == ["del.grad"]
    assert complete(":save mo") == ["del.grad"]
    assert complete(":graph wei") == ["ghts"][:0] + ["weights"]


def test_scan_finds_strings_comments_and_open_brackets():
    from gradsh.cli.completer import scan
    assert scan("f(a, 'x") == ("string", [("(", 1)])
    assert scan("f(a, 'x', [1") == ("code", [("(", 1), ("[", 10)])
    assert scan("x = 1  # (") == ("comment", [])
    assert scan('s = """a\nb') == ("string", [])
    assert scan("s = 'a\\'b'") == ("code", [])


def test_meta_options_leave_the_expression_verbatim():
    from gradsh.cli.meta import MetaError, split_options
    assert split_options('--dot "a b.dot" f("x") + 1', (), ("--dot",)) == (
        {"--dot": "a b.dot"}, 'f("x") + 1')
    assert split_options("--retain out", ("--retain",)) == ({"--retain": True}, "out")
    with pytest.raises(MetaError):
        split_options("--dot", (), ("--dot",))
    with pytest.raises(MetaError):
        split_options("--nope x", ("--retain",))


# ---------------------------------------------------------------- models (issue 14, generic)

class _Model:
    """Anything with named_parameters() is a model to the shell (torch.nn.Module's API)."""

    def __init__(self, **params):
        self.params = params

    def named_parameters(self):
        return iter(self.params.items())


def _repl_state(session):
    from gradsh.cli.args import parse_args
    from gradsh.cli.state import ReplState
    from cli_helpers_env import env_for

    class Loaded:
        def get(self):
            return session
    return ReplState(env_for(False), parse_args([]), Loaded())


def test_gradients_of_a_model_are_named_after_its_parameters_in_definition_order():
    import gradsh
    from gradsh.lang import Session
    s = Session(stdout=io.StringIO())
    w0, b0 = gradsh.ones(2, 2, requires_grad=True), gradsh.ones(2, requires_grad=True)
    s.globals["later"] = gradsh.ones(1, requires_grad=True)
    s.globals["model"] = _Model(**{"0.weight": w0, "0.bias": b0})
    s.globals["later2"] = s.globals["later"]
    state = _repl_state(s)
    named = state.name_grads([("later", s.globals["later"]), ("(unnamed leaf)", b0),
                              ("(unnamed leaf)", w0)])
    assert [name for name, _ in named] == ["later", "model.0.bias", "model.0.weight"]


def test_more_than_a_few_gradients_show_shapes_and_norms():
    import gradsh
    from gradsh.cli import render
    pairs = []
    for k in range(render.MAX_FULL_GRADS + 1):
        t = gradsh.ones(3, 4, requires_grad=True)
        t.grad = gradsh.full((3, 4), float(k))
        pairs.append(("model.%d.weight" % k, t))
    console, buf = _console(width=80)
    render.print_grads(console, pairs)
    out = buf.getvalue()
    # the norm of a 3x4 tensor full of k is sqrt(12) * k
    for k in range(render.MAX_FULL_GRADS + 1):
        row = next(line for line in out.split("\n") if ("model.%d.weight.grad" % k) in line)
        assert row.split()[1:] == ["(3,", "4)", "%.4f" % (12 ** 0.5 * k)]
    assert "tensor(" not in out


def test_vars_shows_a_model_as_one_row():
    import gradsh
    from gradsh.cli.meta import _var_row
    w, b = gradsh.ones(2, 3, requires_grad=True), gradsh.ones(2, requires_grad=True)
    w.grad = gradsh.ones(2, 3)
    model = _Model(**{"0.weight": w, "0.bias": b})
    row = _var_row("model", model, list(model.named_parameters()))
    assert row == ("model", "_Model", "8 parameters", "torch.float32", "True", "", "1 of 2")


def test_vars_leaves_out_imported_modules_and_lists_the_rest():
    from gradsh.cli.meta import _var_row
    from gradsh.lang import Session
    session = Session(stdout=io.StringIO())
    session.run("import torch\nimport math as m\nimport torch.nn as nn\nx = 3\n")
    rows = [_var_row(name, value) for name, value in sorted(session.variables().items())]
    assert [row[0] for row in rows if row is not None] == ["x"]


# ---------------------------------------------------------------- typing blocks

@pytest.mark.parametrize("before, indent", [
    ("if a:\n    b\n    else:", ""),
    ("if a:\n    b\n    elif ", ""),
    ("for i in x:\n    if a:\n        b\n        else:", "    "),
    ("try:\n    b\n    except ", ""),
    ("try:\n    b\n    except:", ""),
    ("try:\n    b\n    except* ", ""),            # an except* clause (Python 3.11)
    ("try:\n    b\nexcept* E:\n    c\n    except*", None),   # `except*` not yet followed
    ("try:\n    b\nexcept E:\n    c\n    finally:", ""),
    ("while a:\n    b\n    else:", ""),
    ("x = 1\n    else:", None),              # no header to belong to: left alone
    ("if a:\n    b\nelse:", None),           # already at its header's level
    ("if a:\n    b\n    elsewhere ", None),  # a name that starts like a keyword
    ("match x:\n    case 1:\n        b\n        case ", "    "),   # back to the case before
    ("match x:\n    case ", None),          # the first case: under its match, where it is
    ("if a:\n    case ", None),             # `case` as a name: no case to go back to
])
def test_clause_keywords_find_the_header_they_belong_to(before, indent):
    from gradsh.cli.indent import clause_indent
    assert clause_indent(before) == indent


@pytest.mark.parametrize("text, runs", [
    ("for i in range(3):\n    ", True),        # Python's IndentationError, not a wait
    ("def f():\n", True),
    ("if a:\n    b\nelse:\n    ", True),
    ("for i in range(3):\n    print(i)", False),
    ("d = {1:\n    ", False),                  # inside brackets: more lines come
    ("x = 1\n", False),
])
def test_an_empty_line_after_a_header_runs(text, runs):
    from gradsh.cli.key_bindings import _empty_block
    assert _empty_block(text) is runs
