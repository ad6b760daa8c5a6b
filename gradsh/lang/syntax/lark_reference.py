"""Lark's own LALR parser in the driver's place: the reference lalr.py is checked against
(tests/lang/test_parser_vs_lark.py) and measured against (benchmarks/parser_bench.py).

The same tokens (gradsh's lexer) go through `Lark(grammar, parser="lalr")` whose inline
Transformer calls the same compiler methods, at the same reductions, as the driver does. Never
used to run programs: Lark shapes each reduction through several wrapper calls in Python, and
building it means importing Lark and analysing the grammar at every start (docs/parser.md).
"""

from . import compiler, lalr
from .parser import Parser
from .tables import grammar_text, load_tables

__all__ = ["LarkDriver", "lark_parser"]


def _calling_the_compiler(handler, names):
    """An inline Transformer with a method per rule name that calls the compiler's method."""
    from lark import Transformer

    def method(compile_rule):
        return lambda self, children: compile_rule(*children)
    methods = {name: method(getattr(handler, name)) for name in names
               if getattr(handler, name, None) is not None}
    return type("CallTheCompiler", (Transformer,), methods)()


class LarkDriver:
    """Lark's LALR parser fed gradsh's tokens, its reductions calling the compiler; `parse`
    raises lalr.Unexpected as the driver does."""

    def __init__(self, cache=False):
        from lark import Lark
        handler = compiler.Compiler()
        names = {rule["alias"] or rule["origin"] for rule in load_tables()["rules"]}
        self.lark = Lark(grammar_text(), parser="lalr", lexer="basic",
                         start=["file_input", "fexpr"], maybe_placeholders=True, cache=cache,
                         transformer=_calling_the_compiler(handler, names))

    def parse(self, tokens, start):
        from lark.exceptions import UnexpectedInput
        interactive = self.lark.parse_interactive(start=start)
        for tok in tokens:
            try:
                result = interactive.feed_token(tok)
            except UnexpectedInput as e:
                # as the driver reports it: the token, and the terminals that could come
                raise lalr.Unexpected(tok, set(e.expected) | _end(interactive)) from None
            if tok.type == "$END":
                return result
        raise AssertionError("the tokens ended without $END")


def _end(interactive):
    """{"$END"} if the input could end where the parser stopped (Lark leaves it out)."""
    state = interactive.parser_state
    return {"$END"} & set(state.parse_conf.parse_table.states[state.position])


def lark_parser(cache=False):
    """A gradsh Parser (same lexer, same error messages) whose driver is Lark's parser."""
    p = Parser(load_tables())
    p.driver = LarkDriver(cache)
    return p
