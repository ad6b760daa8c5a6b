"""The LALR driver's shortcuts give what Lark's tree shaping documents, rule by rule."""

import ast

import pytest

from gradsh.lang.syntax import lalr
from gradsh.lang.syntax.indentation import Layout
from gradsh.lang.syntax.parser import get_parser, parse
from gradsh.lang.syntax.tables import build_tables, grammar_text, load_tables

RULES = load_tables()["rules"]


class _Child:
    """A child value that only knows its name, so a callback's output shows where it came from."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


def _lark_children(rule, children, single):
    """Lark's documented shaping, written out plainly: filtered tokens dropped, `_rule`
    children spliced in, None for each `[x]` that did not match (empty_indices lists the
    symbols in order, with True where a placeholder stands)."""
    def kept(i):
        symbol, is_term, filter_out = rule["expansion"][i]
        if is_term and filter_out and not rule["keep_all_tokens"]:
            return []
        if not is_term and symbol.startswith("_") and symbol not in single:
            return list(children[i])
        return [children[i]]

    out, i = [], 0
    for is_empty in rule["empty_indices"] or [False] * len(children):
        if is_empty:
            out.append(None)
        else:
            out.extend(kept(i))
            i += 1
    return out


class _Recorder:
    """A handler whose every method returns (its name, its arguments)."""

    def __getattr__(self, name):
        return lambda *args: (name, list(args))


@pytest.mark.parametrize("index", range(len(RULES)))
def test_each_rule_callback_shapes_children_as_lark_documents(index):
    rule = RULES[index]
    single = lalr._single_valued(RULES)
    children = []
    for i, (symbol, is_term, _) in enumerate(rule["expansion"]):
        if not is_term and symbol.startswith("_") and symbol not in single:
            children.append(lalr.Splice([_Child("%s.a" % i), _Child("%s.b" % i)]))
        else:
            children.append(_Child(str(i)))
    expected = _lark_children(rule, list(children), single)
    if lalr._passes_through(rule, single):
        assert expected == [children[0]]
        return
    callback = lalr.make_callback(rule, _Recorder(), single)
    if callback is None:  # the compiler method passes its one child on
        assert len(expected) == 1
        return
    got = callback(*children)
    if rule["origin"].startswith("_") and not rule["alias"]:
        if rule["origin"] in single:
            assert [got] == expected
        else:
            assert isinstance(got, lalr.Splice) and list(got) == expected
    elif rule["expand1"] and not rule["alias"] and len(expected) == 1:
        assert got is expected[0]
    else:
        assert got == (rule["alias"] or rule["origin"], expected)


def test_one_symbol_runs_and_the_driver_give_the_same_tree_as_a_fresh_parser():
    # the runs of one-symbol reductions are remembered across parses: a second parse with the
    # memory filled must build the same tree as a parser that has seen nothing
    source = ("def f(a, b=2, *args, **kw):\n    return [x * b for x in args if x] or {'k': a}\n"
              "y = f(1, 2, 3)[0:1, ::2] @ z.T if not q else -w ** 2\nprint(f'{y!r:>{n}}')\n")
    first = ast.dump(parse(source), include_attributes=True)
    again = ast.dump(parse(source), include_attributes=True)
    from gradsh.lang.syntax import compiler
    from gradsh.lang.syntax.parser import Parser
    tree = Parser(load_tables()).parse(source)
    compiler.wrap_tuple_displays(tree)  # parse()'s pass after the parser's
    fresh = ast.dump(tree, include_attributes=True)
    assert first == again == fresh


def test_callbacks_made_at_a_rules_first_reduction_build_the_tree_of_callbacks_made_first():
    # (the driver makes a rule's callback when the rule is first reduced: docs/speed.md, the
    # nineteenth pass)
    from gradsh.lang.syntax import compiler
    from gradsh.lang.syntax.parser import Parser
    lazy, eager = Parser(load_tables()), Parser(load_tables())
    pending = [r[1] for r in eager.driver._rules if type(r[1]) is lalr._Pending]
    assert len(pending) > 100
    for callback in pending:
        callback.make()
    assert not any(type(r[1]) is lalr._Pending for r in eager.driver._rules)
    sources = ("x = 1\n", "class C(B, A):\n    @d\n    def f(self, *, k=1): pass\n"
               "try:\n    pass\nexcept (A, B) as e:\n    raise X from e\nfinally:\n    del a[1:2]\n",
               "def f(a, b=2, *args, **kw):\n    return [x * b for x in args if x] or {'k': a}\n"
               "y = f(1, 2, 3)[0:1, ::2] @ z.T if not q else -w ** 2\nprint(f'{y!r:>{n}}')\n")
    for source in sources:
        trees = []
        for parser in (lazy, eager):
            tree = parser.parse(source)
            compiler.wrap_tuple_displays(tree)
            trees.append(ast.dump(tree, include_attributes=True))
        assert trees[0] == trees[1], source
    assert any(type(r[1]) is lalr._Pending for r in lazy.driver._rules)  # (the rest unmade)


def test_lexer_positions_are_the_ast_positions_of_the_tokens():
    tokens = list(get_parser().lexer.tokens("x = 'a\\\nb' + f(\n  1)\n", Layout()))
    spans = [(t.type, t.lineno, t.col_offset, t.end_lineno, t.end_col_offset) for t in tokens]
    assert spans[:8] == [("NAME", 1, 0, 1, 1), ("EQUAL", 1, 2, 1, 3), ("STRING", 1, 4, 2, 2),
                         ("PLUS", 2, 3, 2, 4), ("NAME", 2, 5, 2, 6), ("LPAR", 2, 6, 2, 7),
                         ("NUMBER", 3, 2, 3, 3), ("RPAR", 3, 3, 3, 4)]
    assert (tokens[0].line, tokens[0].column, tokens[0].end_column) == (1, 1, 2)


# ---------------------------------------------------------------- the grammar meets the compiler

def _edited_grammar(pattern, replacement):
    """The grammar with one rule edited (a temporary copy: grammar/gradsh.lark is untouched)."""
    import re
    text = grammar_text()
    edited, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1, "the grammar no longer has %r: update this test" % pattern
    return edited


def _build(text):
    from gradsh.lang.syntax.compiler import Compiler
    return lalr.Driver(build_tables(text), Compiler())


def test_a_rule_that_gives_its_method_another_number_of_children_stops_the_build():
    # the example: `while` given an `else` the compiler's method does not take (or, once
    # the language has while-else, the `else` taken away from a method that expects it)
    import re
    line = re.search(r"^while_stmt: .*$", grammar_text(), flags=re.M).group(0)
    if "[else_clause]" in line:
        text = _edited_grammar(r"^(while_stmt: .*?) ?\[else_clause\](.*)$", r"\1\2")
    else:
        text = _edited_grammar(r"^(while_stmt: .*)$", r"\1 [else_clause]")
    with pytest.raises(lalr.GrammarMismatch) as e:
        _build(text)
    message = str(e.value)
    assert message.startswith("grammar rule while_stmt: WHILE test COLON suite ")
    assert "Compiler.while_stmt(" in message
    assert message.endswith("Change the method or the rule.")


def test_a_repetition_given_to_a_method_of_fixed_arguments_stops_the_build():
    text = _edited_grammar(r"^import_star: STAR$", 'import_star: STAR ("," STAR)*')
    with pytest.raises(lalr.GrammarMismatch, match=r"import_star\(\) 2 or more children \(STAR, \*__import_star_star_\d+\)"):
        _build(text)


def test_a_rule_without_a_compiler_method_stops_the_build():
    text = _edited_grammar(r"^(pass_stmt: PASS)$", r"\1 -> no_such_method")
    with pytest.raises(lalr.GrammarMismatch, match="Unknown rule 'no_such_method'"):
        _build(text)


def test_the_grammar_and_the_compiler_agree():
    _build(grammar_text())   # GrammarMismatch otherwise


def test_cached_rule_shapes_are_what_the_rules_give(tmp_path, monkeypatch):
    """The driver takes the single-valued rules and each callback's child counts from the
    cache (start-up); read back from the file they equal a fresh analysis of the rules."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_tables()
    cached = load_tables()  # from the file
    assert cached["shapes"] == lalr.rule_shapes(cached["rules"])
    assert len(cached["shapes"]["children"]) == len(cached["rules"])
