"""The LALR(1) driver: runs Lark's parse table over our tokens, calling the compiler per rule.

Why not `Lark.parse`: Python's precedence levels make every operand climb a chain of about
fifteen single-child rules (atom -> power -> factor -> term -> ... -> test), and Lark performs
each of those reductions, and four wrapper calls per callback, in Python. Here the `?rule`
reductions that only change state are followed once per (state below, state, lookahead) and
remembered, and each rule's callback is one function that shapes the children as Lark
documents it (anonymous tokens dropped, `_rule`s spliced, `[x]` as None) and calls the compiler
method named after the rule's alias. A rule the compiler has no method for stops the parser
from being built ("Unknown rule"). The table is Lark's, as plain data (tables.py).
"""

__all__ = ["Driver", "Unexpected", "TooDeep"]

# Right-nested input (100,000 unary minuses, `a if b else a if b else ...`) is shifted whole
# before anything is reduced; a parse stack this deep means nesting far beyond what the
# compiler accepts, so it stops here instead of after reading everything.
MAX_STACK = 10_000


class TooDeep(Exception):
    """The parse stack grew past MAX_STACK at `token`."""

    def __init__(self, token):
        super().__init__("parse stack too deep")
        self.token = token


class Unexpected(Exception):
    """`token` cannot come here; `expected` is the set of terminal names that could."""

    def __init__(self, token, expected):
        super().__init__("unexpected %r" % (token,))
        self.token = token
        self.expected = expected


class Driver:
    def __init__(self, tables, handler):
        """tables: the analysed grammar (tables.py); handler: the object with a method per rule."""
        rules = tables["rules"]
        # (children count, callback, origin name, pass-through?) per rule
        self._rules = [(len(rule["expansion"]), make_callback(rule, handler), rule["origin"],
                        _passes_through(rule)) for rule in rules]
        # per state: symbol -> shift or goto target (>= 0) or ~rule index (reduce)
        self._rows = tables["states"]
        self._start = tables["start"]
        self._end = tables["end"]
        self._chains = {}  # (state below, state, lookahead) -> state after pass-through reductions

    def _chain(self, below, state, kind):
        """Follow pass-through reductions from `state` on lookahead `kind`."""
        rules, rows = self._rules, self._rows
        while True:
            code = rows[state].get(kind)
            if code is None or code >= 0 or not rules[~code][3]:
                return state
            state = rows[below][rules[~code][2]]

    def parse(self, tokens, start):
        """Parse the token stream, which ends with a "$END" token."""
        rows, rules, chains, chain = self._rows, self._rules, self._chains, self._chain
        end_state = self._end[start]
        states = [self._start[start]]
        values = []
        for tok in tokens:
            kind = tok.type
            while True:
                state = states[-1]
                code = rows[state].get(kind)
                if code is None:
                    raise Unexpected(tok, {s for s in rows[state] if s.isupper() or s == "$END"})
                if code >= 0:
                    states.append(code)
                    values.append(tok)
                    if len(states) > MAX_STACK:
                        raise TooDeep(tok)
                    break
                size, callback, origin, passes = rules[~code]
                if passes:
                    below = states[-2]
                    key = (below, state, kind)
                    target = chains.get(key)
                    if target is None:
                        target = chains[key] = chain(below, state, kind)
                    states[-1] = target
                    continue
                if size:
                    children = values[-size:]
                    del values[-size:]
                    del states[-size:]
                else:
                    children = []
                values.append(callback(children))
                target = rows[states[-1]][origin]
                if target == end_state and kind == "$END":
                    return values[-1]
                states.append(target)
        raise AssertionError("the parser ended without accepting or failing")


class Splice(list):
    """The children of a `_rule`, to be spliced into its parent's children."""


def make_callback(rule, handler):
    """The function that turns a rule's matched symbols into the compiler's result."""
    name = rule["alias"] or rule["origin"]
    expansion = rule["expansion"]
    nones = [0] * (len(expansion) + 1)  # placeholders for `[x]` that did not match
    slot = 0
    for is_empty in rule["empty_indices"]:
        if is_empty:
            nones[slot] += 1
        else:
            slot += 1
    steps, pending = [], 0
    for i, (symbol, is_term, filter_out) in enumerate(expansion):
        pending += nones[i]
        if rule["keep_all_tokens"] or not (is_term and filter_out):
            steps.append((i, not is_term and symbol.startswith("_"), pending))
            pending = 0
    trailing = pending + nones[len(expansion)]
    simple = trailing == 0 and not any(expand or n for _, expand, n in steps)
    keep = [i for i, _, _ in steps]

    def shape(children):
        if simple:
            return Splice([children[i] for i in keep])
        out = None
        for i, expand, n in steps:
            if out is None:
                # take over a spliced list instead of copying it: repetitions are
                # left-recursive, so copying would make long programs quadratic
                out = children[i] if expand and not n else Splice()
                if out is children[i]:
                    continue
            if n:
                out.extend([None] * n)
            if expand:
                out.extend(children[i])
            else:
                out.append(children[i])
        if out is None:
            out = Splice()
        if trailing:
            out.extend([None] * trailing)
        return out

    if rule["origin"].startswith("_") and not rule["alias"]:
        return shape
    method = getattr(handler, name, None)
    unknown = "Unknown rule %r: the grammar and the compiler disagree" % name
    if rule["expand1"] and not rule["alias"]:
        # a `?rule` passes a single child through; it needs a method only for several
        def call_or_pass(children):
            shaped = shape(children)
            if len(shaped) == 1:
                return shaped[0]
            if method is None:
                raise NotImplementedError(unknown)
            return method(*shaped)
        return call_or_pass
    if method is None:
        raise NotImplementedError(unknown)
    if simple and keep == list(range(len(expansion))):
        return lambda children: method(*children)
    return lambda children: method(*shape(children))


def _passes_through(rule):
    """A `?rule` alternative with one nonterminal child: its result is that child, unchanged."""
    if not rule["expand1"] or rule["alias"] or len(rule["expansion"]) != 1:
        return False
    symbol, is_term, _ = rule["expansion"][0]
    return not is_term and not symbol.startswith("_")
