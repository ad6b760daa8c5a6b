"""The one place that reads Lark's internals: the analysed grammar as plain data.

gradsh parses with its own LALR driver (lalr.py) over Lark's parse table. Lark has no public
API for the table, the shaping options of each rule (`?rule`, `_rule`, filtered tokens,
`[x]` placeholders) or the lexer's ignore list, so this module reads them from Lark's objects:

    Lark.parser.parser._parse_table   the LALR table (private)     states, start/end states
    lark.parsers.lalr_analysis.Shift  the shift action (internal)  shift or reduce
    Lark.rules, rule.options          expand1, keep_all_tokens, empty_indices (internal)
    symbol.filter_out                 anonymous tokens dropped from the tree (internal)
    Lark.lexer_conf.ignore            %ignore'd terminals (internal)
    Lark.terminals, pattern           terminal names and patterns (public)

These names have been stable across the Lark versions tested (TESTED); pyproject.toml pins
Lark below the next untested minor version. A version outside the range is refused with a
message rather than risk a silently different table; tests/lang/test_parser_vs_lark.py checks
the whole against Lark's own parser on every test run.
"""

import re

__all__ = ["TESTED", "analyse", "check_version"]

# the Lark versions whose internals this module has been checked against (lowest, below)
TESTED = ((1, 1, 9), (1, 4))


def _version_tuple(text):
    """(1, 3, 1) for "1.3.1" (and for "1.3.1rc1")."""
    found = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(n) for n in found.groups() if n is not None) if found else ()


def check_version(version):
    """Refuse a Lark version whose internals were never checked; None if it is in range."""
    low, below = TESTED
    if not (low <= _version_tuple(version) < below):
        raise ImportError(
            "gradsh reads Lark's parse table, which is not public API, and was tested with "
            "lark %s up to (not including) %s; this is lark %s. Install a tested version: "
            "pip install 'lark>=%s,<%s'" % (".".join(map(str, low)), ".".join(map(str, below)),
                                            version, ".".join(map(str, low)),
                                            ".".join(map(str, below))))


def analyse(text, start=("file_input", "fexpr")):
    """Lark's analysis of grammar `text`: terminals, rules and LALR table as plain data."""
    import lark
    from lark import Lark
    from lark.parsers.lalr_analysis import Shift

    check_version(lark.__version__)
    built = Lark(text, parser="lalr", lexer="basic", start=list(start), maybe_placeholders=True)
    terminals = [(t.name, t.pattern.type, t.pattern.to_regexp() if t.pattern.type == "re"
                  else t.pattern.value) for t in built.terminals]
    rules = list(built.rules)
    index = {rule: i for i, rule in enumerate(rules)}
    rule_data = [{
        "origin": str(rule.origin.name),
        "alias": None if rule.alias is None else str(rule.alias),
        "expansion": [(str(sym.name), sym.is_term, bool(getattr(sym, "filter_out", False)))
                      for sym in rule.expansion],
        "expand1": bool(rule.options.expand1),
        "keep_all_tokens": bool(rule.options.keep_all_tokens),
        "empty_indices": list(rule.options.empty_indices or ()),
    } for rule in rules]
    table = built.parser.parser._parse_table
    number = {state: i for i, state in enumerate(table.states)}
    states = [None] * len(number)
    for state, actions in table.states.items():
        states[number[state]] = {str(symbol): (number[arg] if action is Shift else ~index[arg])
                                 for symbol, (action, arg) in actions.items()}
    return {
        "terminals": terminals,
        "ignore": [str(name) for name in built.lexer_conf.ignore],
        "rules": rule_data,
        "states": states,
        "start": {str(k): number[v] for k, v in table.start_states.items()},
        "end": {str(k): number[v] for k, v in table.end_states.items()},
    }
