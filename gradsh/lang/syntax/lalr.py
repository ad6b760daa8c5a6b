"""The LALR(1) driver: runs Lark's parse table over our tokens, calling the compiler per rule.

Why not `Lark.parse`: Python's precedence levels make every operand climb a chain of about
fifteen single-child rules (atom -> power -> factor -> term -> ... -> test), and Lark performs
each of those reductions, and four wrapper calls per callback, in Python. Here every run of
one-symbol reductions (the operand's own rule, `atom -> NAME -> name`, then the `?rule`s and
`_rule`s it climbs unchanged) is worked out once per (state below, state, lookahead) and
remembered as the callbacks to apply and the state it ends in. Each rule's callback is one
function that shapes the children as Lark documents it (anonymous tokens dropped, `_rule`s
spliced, `[x]` as None) and calls the compiler method named after the rule's alias. The
parser is not built (GrammarMismatch, naming the rule) when the compiler has no method for a
rule, or when a method cannot take the number of children its rule gives it: a grammar edit
then fails when the parser is built, not while parsing a program. The table is Lark's, as
plain data (tables.py); tests/lang/test_parser_vs_lark.py compares the results with Lark's own
parser.
"""

import inspect
import math
from operator import itemgetter

__all__ = ["Driver", "Unexpected", "TooDeep", "GrammarMismatch"]

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


class GrammarMismatch(Exception):
    """The grammar and the compiler disagree: a rule has no method, or gives its method a
    number of children the method does not take."""


class Driver:
    def __init__(self, tables, handler):
        """tables: the analysed grammar (tables.py); handler: the object with a method per rule.
        GrammarMismatch if they disagree."""
        rules = tables["rules"]
        shapes = tables.get("shapes") or rule_shapes(rules)
        single = frozenset(shapes["single"])
        check_arities(rules, handler, single, shapes["children"])
        starts = set(tables["start"])
        # per rule: (symbols matched, callback or None to pass the one child on, the rule's
        # name, whether it joins a run of one-symbol reductions)
        # (a rule's callback is made when the rule is first reduced: a program reduces a few
        # of the some 500 rules, and making them all cost 11 million instructions of each
        # start; check_arities above still fails a mismatch when the parser is built)
        self._rules = []
        for index, rule in enumerate(rules):
            size = len(rule["expansion"])
            unit = size == 1 and rule["origin"] not in starts
            # None: the rule passes its one child on (as a `?rule` does)
            callback = None if _passes_through(rule, single) else \
                _Pending(self, index, rule, handler, single)
            self._rules.append((size, callback, rule["origin"], unit))
        # per state: symbol -> shift or goto target (>= 0) or ~rule index (reduce)
        self._rows = tables["states"]
        self._start = tables["start"]
        self._end = tables["end"]
        # (state below, state, lookahead) -> (callbacks, state after the run, action there)
        self._runs = {}

    def _run(self, below, state, kind):
        """The one-symbol reductions from `state` on lookahead `kind`: their callbacks, in order,
        the state they end in (`below` stays under them all) and the action there (None: an
        error)."""
        rules, rows = self._rules, self._rows
        callbacks = []
        while True:
            code = rows[state].get(kind)
            if code is None or code >= 0 or not rules[~code][3]:
                return tuple(callbacks), state, code
            _, callback, origin, _ = rules[~code]
            if type(callback) is _Pending:
                callback = callback.make()
            if callback is not None:
                callbacks.append(callback)
            state = rows[below][origin]

    def _unexpected(self, tok, state):
        row = self._rows[state]
        return Unexpected(tok, {s for s in row if s.isupper() or s == "$END"})

    def parse(self, tokens, start):
        """Parse the token stream, which ends with a "$END" token."""
        rows, rules, runs = self._rows, self._rules, self._runs
        end_state = self._end[start]
        state = self._start[start]
        states = []  # the states under `state`; values[i] was shifted or reduced to reach
        values = []  # states[i + 1] (or `state`, for the last)
        pop = values.pop
        for tok in tokens:
            kind = tok.type
            try:
                code = rows[state][kind]
            except KeyError:
                raise self._unexpected(tok, state) from None
            while code < 0:  # reduce (a shift's code is the next state, >= 0)
                size, callback, origin, unit = rules[~code]
                if unit:
                    key = (states[-1], state, kind)
                    run = runs.get(key)
                    if run is None:
                        run = runs[key] = self._run(states[-1], state, kind)
                    callbacks, state, code = run
                    if callbacks:
                        value = values[-1]
                        for callback in callbacks:
                            value = callback(value)
                        values[-1] = value
                    if code is None:
                        raise self._unexpected(tok, state)
                    continue
                # the children come off the stack one by one and are passed one by one: for
                # the usual sizes that costs half of slicing both stacks and calling with *args
                if size == 2:
                    states.pop()
                    b = pop()
                    value = callback(pop(), b)
                elif size == 3:
                    states.pop()
                    states.pop()
                    c = pop()
                    b = pop()
                    value = callback(pop(), b, c)
                elif size == 4:
                    del states[-3:]
                    d = pop()
                    c = pop()
                    b = pop()
                    value = callback(pop(), b, c, d)
                elif size:
                    if size > 1:
                        del states[1 - size:]
                    value = callback(*values[-size:])
                    del values[-size:]
                else:
                    states.append(state)
                    value = callback()
                below = states[-1]
                values.append(value)
                state = rows[below][origin]
                if state == end_state and kind == "$END":
                    return value
                try:
                    code = rows[state][kind]
                except KeyError:
                    raise self._unexpected(tok, state) from None
            states.append(state)
            values.append(tok)
            state = code
            if len(states) >= MAX_STACK:
                raise TooDeep(tok)
        raise AssertionError("the parser ended without accepting or failing")


def _child(child):
    return child


class _Pending:
    """A rule's callback until the rule is first reduced: then made (make_callback) and put in
    the driver's table in its place."""

    __slots__ = ("driver", "index", "rule", "handler", "single")

    def __init__(self, driver, index, rule, handler, single):
        self.driver, self.index, self.rule = driver, index, rule
        self.handler, self.single = handler, single

    def make(self):
        """The rule's callback (None: a one-symbol run's rule that passes its child on),
        replacing this one in the table."""
        size, _, origin, unit = self.driver._rules[self.index]
        callback = make_callback(self.rule, self.handler, self.single)
        if callback is None and not unit:
            callback = _child  # a start rule is reduced on its own (it may accept)
        self.driver._rules[self.index] = (size, callback, origin, unit)
        return callback

    def __call__(self, *children):
        callback = self.make()
        return children[0] if callback is None else callback(*children)


class Splice(list):
    """The children of a `_rule`, to be spliced into its parent's children."""


def rule_shapes(rules):
    """What the grammar alone decides about the callbacks' children (tables.py caches it with
    the tables): the single-valued `_rule`s, and per rule the (fewest, most) children its
    callback receives. (Changing how they are worked out: bump tables.FORMAT, or the caches
    made before keep the old answers.)"""
    single = _single_valued(rules)
    low, high = _spliced_counts(rules, single)
    return {"single": sorted(single), "children": [_counts(rule, low, high) for rule in rules]}


def _single_valued(rules):
    """The `_rule`s every alternative of which leaves exactly one child: their parents take
    that child as it is (no Splice list is built), and their one-symbol alternatives pass
    their child on like a `?rule`'s."""
    by_origin = {}
    for rule in rules:
        by_origin.setdefault(rule["origin"], []).append(rule)
    single = {origin for origin in by_origin if origin.startswith("_")}
    changed = True
    while changed:
        changed = False
        for origin in sorted(single):
            if any(_children_left(rule, single) != 1 for rule in by_origin[origin]):
                single.discard(origin)
                changed = True
    return frozenset(single)


def _children_left(rule, single):
    """How many children a rule's callback receives after shaping (None: it varies)."""
    if rule["alias"]:
        return 1  # the compiler's result
    count = sum(1 for is_empty in rule["empty_indices"] if is_empty)
    for symbol, is_term, filter_out in rule["expansion"]:
        if is_term:
            count += rule["keep_all_tokens"] or not filter_out
        elif symbol.startswith("_") and symbol not in single:
            return None
        else:
            count += 1
    return count


def _passes_through(rule, single):
    """A one-symbol alternative whose result is its child, unchanged: of a `?rule`, or of a
    `_rule` that always leaves one child."""
    if rule["alias"] or len(rule["expansion"]) != 1 or any(rule["empty_indices"]):
        return False
    if not (rule["expand1"] or rule["origin"] in single):
        return False
    symbol, is_term, filter_out = rule["expansion"][0]
    if is_term:
        return rule["keep_all_tokens"] or not filter_out
    return not symbol.startswith("_") or symbol in single


def make_callback(rule, handler, single=frozenset()):
    """The function that turns a rule's matched symbols (as arguments) into the compiler's
    result."""
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
            expand = not is_term and symbol.startswith("_") and symbol not in single
            steps.append((i, expand, pending))
            pending = 0
    trailing = pending + nones[len(expansion)]
    keep = [i for i, _, _ in steps]

    def shape(children):
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
        if rule["origin"] in single:
            if not keep:
                return lambda *children: None  # the child is an `[x]` that did not match
            only = keep[0]  # the one child left (a one-symbol alternative passes through)
            return lambda *children: children[only]
        return _fast_shape(steps, trailing, len(expansion), Splice) \
            or (lambda *children: shape(children))
    method = getattr(handler, name, None)
    if getattr(method, "passes_child", False) and len(keep) == 1 and not trailing \
            and not any(n for _, _, n in steps):
        only = keep[0]
        return None if len(expansion) == 1 else (lambda *children: children[only])
    unknown = "Unknown rule %r: the grammar and the compiler disagree" % name
    if method is None and not (rule["expand1"] and not rule["alias"]):
        raise GrammarMismatch(unknown)
    if rule["expand1"] and not rule["alias"]:
        # a `?rule` passes a single child through; it needs a method only for several
        def call_or_pass(*children):
            shaped = shape(children)
            if len(shaped) == 1:
                return shaped[0]
            if method is None:
                raise NotImplementedError(unknown)
            return method(*shaped)
        return call_or_pass
    return _fast_shape(steps, trailing, len(expansion), method) \
        or (lambda *children: method(*shape(children)))


# ---------------------------------------------------------------- checks when building

def _spliced_counts(rules, single):
    """For each `_rule` spliced into its parent: (fewest, most) children it leaves there,
    most = math.inf for a repetition."""
    alternatives = {}
    for rule in rules:
        if rule["origin"].startswith("_") and rule["origin"] not in single:
            alternatives.setdefault(rule["origin"], []).append(rule)
    low = {origin: math.inf for origin in alternatives}
    high = {origin: 0 for origin in alternatives}
    # Lark's repetitions are left-recursive (`__x_star: __x_star item | item`): unbounded at
    # once, so that the rounds below settle after a few
    for origin, rules_ in alternatives.items():
        if any(origin in [s for s, _, _ in r["expansion"]] and _counts(r, low, high)[1] >= 1
               for r in rules_):
            high[origin] = math.inf
    # fewest: shrinks to its fixed point; most: still growing after as many rounds as there are
    # `_rule`s means a cycle that adds children (a repetition)
    for _ in range(len(alternatives) + 1):
        shrunk = {o: min(_counts(r, low, high)[0] for r in rs) for o, rs in alternatives.items()}
        if shrunk == low:
            break
        low = shrunk
    for round_ in range(2 * len(alternatives) + 2):
        grown = {o: max(_counts(r, low, high)[1] for r in rs) for o, rs in alternatives.items()}
        if grown == high:
            break
        if round_ >= len(alternatives):
            grown = {o: math.inf if grown[o] != high[o] else grown[o] for o in grown}
        high = grown
    return low, high


def _counts(rule, low, high):
    """(fewest, most) children the callback of `rule` receives, after Lark's shaping."""
    if rule["origin"].startswith("_") and rule["alias"]:
        return 1, 1
    fewest = most = sum(1 for is_empty in rule["empty_indices"] if is_empty)
    for symbol, is_term, filter_out in rule["expansion"]:
        if is_term:
            kept = int(rule["keep_all_tokens"] or not filter_out)
            fewest, most = fewest + kept, most + kept
        elif symbol in low:
            fewest, most = fewest + low[symbol], most + high[symbol]
        else:
            fewest, most = fewest + 1, most + 1
    return fewest, most


def _takes(method):
    """(fewest, most) positional arguments `method` accepts (most = math.inf for *args); None
    if it has a keyword-only argument without a default."""
    function = getattr(method, "__func__", method)
    code = getattr(function, "__code__", None)
    if code is None:  # not a plain function: ask inspect (slower; never the case today)
        return _takes_by_signature(method)
    # read from the code object: inspect.signature would cost 25 ms at every start
    bound = 1 if hasattr(method, "__func__") else 0
    most = code.co_argcount - bound
    fewest = most - len(function.__defaults__ or ())
    if code.co_kwonlyargcount > len(function.__kwdefaults__ or {}):
        return None
    return fewest, math.inf if code.co_flags & inspect.CO_VARARGS else most


def _takes_by_signature(method):
    fewest = most = 0
    for p in inspect.signature(method).parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            fewest += p.default is p.empty
        elif p.kind == p.VAR_POSITIONAL:
            most = math.inf
        elif p.kind == p.KEYWORD_ONLY and p.default is p.empty:
            return None
    return fewest, most


def _children_text(rule, low):
    """The children a rule's callback receives, in words: "IF, test, suite, elifs, None"."""
    names, slot = [], 0
    kept = [(symbol, is_term and not rule["keep_all_tokens"] and filter_out)
            for symbol, is_term, filter_out in rule["expansion"]]
    for is_empty in rule["empty_indices"] or [False] * len(kept):
        if is_empty:
            names.append("None")
            continue
        symbol, dropped = kept[slot]
        slot += 1
        if not dropped:
            names.append("*" + symbol if symbol in low else symbol)
    return ", ".join(names)


def check_arities(rules, handler, single, children=None):
    """GrammarMismatch unless every rule that calls a compiler method gives it a number of
    children the method takes. children: rule_shapes()'s counts, if at hand."""
    if children is None:
        children = rule_shapes(rules)["children"]
    for rule, (fewest, most) in zip(rules, children):
        if rule["origin"].startswith("_") and not rule["alias"]:
            continue  # spliced into the parent, which is checked
        name = rule["alias"] or rule["origin"]
        if rule["expand1"] and not rule["alias"]:
            if most < 2:
                continue  # a `?rule` with one child passes it on: no method is called
            fewest = max(fewest, 2)
        method = getattr(handler, name, None)
        if method is None:
            raise GrammarMismatch("Unknown rule %r: the grammar and the compiler disagree (the "
                                  "compiler has no method %s)" % (name, name))
        takes = _takes(method)
        if takes is not None and takes[0] <= fewest and most <= takes[1]:
            continue
        if takes is None:
            accepted = "has a keyword-only argument without a default"
        else:
            accepted = "takes " + _how_many(*takes)
        rhs = " ".join(symbol for symbol, _, _ in rule["expansion"])
        low, _ = _spliced_counts(rules, single)
        raise GrammarMismatch(
            "grammar rule %s: %s%s gives the compiler's %s() %s children (%s), but %s.%s%s %s. "
            "Change the method or the rule." % (
                rule["origin"], rhs or "<empty>",
                " -> %s" % rule["alias"] if rule["alias"] else "", name, _how_many(fewest, most),
                _children_text(rule, low), type(handler).__name__, name,
                inspect.signature(method), accepted))


def _how_many(fewest, most):
    if fewest == most:
        return "%d" % fewest
    return "%d or more" % fewest if most == math.inf else "%d to %d" % (fewest, most)


_NONE = (None,)


def _append(out, item):
    out.append(item)
    return out


# The most frequent shapes as functions of exactly as many arguments as the rule has symbols
# (the driver passes the children one by one; a fixed signature is the cheapest call):
# (symbols, children kept) -> maker of the callback from the method...
_PICK_CALL = {
    (2, (0,)): lambda f: lambda a, b: f(a),
    (2, (1,)): lambda f: lambda a, b: f(b),
    (3, (0, 2)): lambda f: lambda a, b, c: f(a, c),
    (3, (1,)): lambda f: lambda a, b, c: f(b),
}
# ... or, for a `_rule`, of its list of children
_PICK_SPLICE = {
    (1, (0,)): lambda a: Splice((a,)),
    (2, (0,)): lambda a, b: Splice((a,)),
    (2, (1,)): lambda a, b: Splice((b,)),
    (3, (0, 2)): lambda a, b, c: Splice((a, c)),
}
# (symbols, the spliced child, the other child kept or None) -> maker from the method
_SPREAD_CALL = {
    (1, 0, None): lambda f: lambda a: f(*a),
    (2, 1, 0): lambda f: lambda a, b: f(a, *b),
    (4, 2, None): lambda f: lambda a, b, c, d: f(*c),
}
# a `_rule` repetition going on: the list so far takes the new item
_EXTEND_SPLICE = {
    (2, 1): lambda a, b: _append(a, b),
    (3, 2): lambda a, b, c: _append(a, c),
}


def _fast_shape(steps, trailing, size, build):
    """The callback for the shapes most rules have: `build` (the compiler method, or Splice for
    a `_rule`) applied to the kept children, with None for the `[x]` that did not match; or to
    one spliced child, or a `_rule` repetition extended by its new items. None for other shapes
    (the general `shape` does those)."""
    splice = build is Splice
    expanded = [i for i, expand, _ in steps if expand]
    if not expanded:
        order = []  # child indices; `size` stands for None (appended to the children)
        for i, _, n in steps:
            order += [size] * n + [i]
        order += [size] * trailing
        if not splice and order == list(range(size)):
            return build
        key = (size, tuple(order))
        if splice and key in _PICK_SPLICE:
            return _PICK_SPLICE[key]
        if not splice and key in _PICK_CALL:
            return _PICK_CALL[key](build)
        if not order:
            return (lambda *children: Splice()) if splice else (lambda *children: build())
        if len(order) == 1:
            i = order[0]
            if i == size:
                return (lambda *children: Splice(_NONE)) if splice \
                    else (lambda *children: build(None))
            return (lambda *children: Splice((children[i],))) if splice \
                else (lambda *children: build(children[i]))
        pick = itemgetter(*order)
        if size in order:
            return (lambda *children: Splice(pick(children + _NONE))) if splice \
                else (lambda *children: build(*pick(children + _NONE)))
        return (lambda *children: Splice(pick(children))) if splice \
            else (lambda *children: build(*pick(children)))
    if trailing or any(n for _, _, n in steps) or len(expanded) > 1:
        return None
    j = expanded[0]
    others = [i for i, expand, _ in steps if not expand]
    if splice:
        if steps[0][0] != j:
            return None
        if not others:
            return lambda *children: children[j]
        if len(others) == 1 and (size, others[0]) in _EXTEND_SPLICE and j == 0:
            return _EXTEND_SPLICE[size, others[0]]
        if len(others) == 1:
            k = others[0]
            return lambda *children: _append(children[j], children[k])
        return None
    if len(others) <= 1 and (size, j, others[0] if others else None) in _SPREAD_CALL:
        return _SPREAD_CALL[size, j, others[0] if others else None](build)
    if not others:
        return lambda *children: build(*children[j])
    if len(others) == 1 and others[0] < j:
        k = others[0]
        return lambda *children: build(children[k], *children[j])
    return None
