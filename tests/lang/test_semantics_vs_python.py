"""Pure-Python programs print exactly what Python prints for them: gradsh keeps Python's semantics
where the languages overlap (precedence, scoping, closures, arguments, comprehensions...)."""

import pytest

from .helpers import new_session, run_program, run_python

PROGRAMS = {
    "power_binds_tighter_than_unary_minus": "print(-2**2, (-2)**2, 2**-1)",
    "power_is_right_associative": "print(2**3**2, (2**3)**2)",
    "arithmetic_precedence": "print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 7 // 2 * 2 % 5, -7 // 2, -7 % 3)",
    "bitwise_precedence": "print(1 | 2 ^ 3 & 4, 1 << 2 + 1, 256 >> 2 >> 1, ~5, 6 & 3 | 8)",
    "chained_comparisons": "print(1 < 2 < 3, 1 < 3 < 2, 1 == 1.0 != 2, 3 > 2 >= 2 > 1)",
    "chained_comparisons_where_python_refuses_walrus": (
        "def f(v):\n    print('f', v)\n    return v\n"
        "print([x for x in [1 < f(2) < 3, 1 < f(0) < f(9), f(2) is not None is not f(5)]])\n"
        "print({x for x in (1 in [1] == True, 0 < 1 > 0 == 0)},\n"
        "      [y for x in [1] for y in [x < 2 < f(4)]])\n"
        "class C:\n    k = 5\n    v = [x for x in [1 < k < 9]]\n"
        "    w = [y for y in [1, 4] if 0 < y < f(3) < 9]\n"
        "print(C.v, C.w)"),
    "membership_and_identity": "a = [1, 2]\nprint(1 in a, 3 not in a, None is None, a is not a, not 1 in a)",
    "boolean_operators_return_operands": "print(0 or 'x', 1 and 2, None or 0 or [], not 0, 1 and 0 or 5)",
    "short_circuit_skips_evaluation": (
        "def f(v):\n    print('f', v)\n    return v\n"
        "x = f(0) and f(1)\ny = f(1) or f(2)\nz = f(0) or f(3) and f(0)\nprint(x, y, z)"),
    "conditional_expression": "x = 5\nprint('big' if x > 3 else 'small', 1 if 0 else 2 if 0 else 3)",
    "integer_and_float_arithmetic": (
        "print(7 / 2, 7 // 2, 2 ** 100, 10 ** -2, 1e3, 1_000_000, 0x1F, 0o17, 0b101, .5, 1.)"),
    "complex_literals_and_arithmetic": (
        "z = 3 + 4j\nprint(2j, 1.5e3J, 1_0j, 01j, .5j, 1.j, 1e400j, 0j, -0j, 1E-3j)\n"
        "print(z * z, z / (1 - 2j), abs(z), z.conjugate(), z ** 2, z ** 0.5, 2 ** z, -z, +z)\n"
        "print(z == complex(3, 4), complex('1+2j'), complex(1), complex(1j, 1j), type(z), z.real,"
        " z.imag, hash(1j) == hash(complex(0, 1)), {1j: 2}[1j], bool(0j), sum([1j, 2]))\n"
        "print(f'{z:.2f} {z!r} {z:>12}', '%s %r' % (1j, 2j), str([1j, 2+0j]), 1 + 1j - 1j == 1)\n"
        "for bad in [lambda: 1j < 2j, lambda: int(1j), lambda: float(1j), lambda: round(1j),"
        " lambda: 1j // 2, lambda: 1j % 2, lambda: 0j ** -1, lambda: 1 / 0j,"
        " lambda: complex(10**400), lambda: (1+1j) ** 10**18, lambda: [1][int is None or 0j]]:\n"
        "    try:\n        print(bad())\n    except (TypeError, ZeroDivisionError, "
        "OverflowError) as e:\n        print(type(e).__name__, e)"),
    "float_formatting": "print(0.1 + 0.2, 1 / 3, 2.0, 1e-7, 1e16, float('inf'), -0.0)",
    "string_literals": (
        "print('a' \"b\" '''c''' \"\"\"d\"\"\", 'it\\'s', \"tab\\tend\", r'\\n', '\\x41\\u00e9\\N{BULLET}')"),
    "string_methods": (
        "s = ' Hello, World '\nprint(s.strip().lower(), s.split(','), '-'.join(['a', 'b']), "
        "s.replace('l', 'L', 2), s.startswith(' H'), 'abc'.upper().center(9, '*'), "
        "'{} and {:.2f} and {x}'.format(1, 3.14159, x='y'), '%5.1f|%s' % (2.25, 'q'))"),
    "fstrings": (
        "x = 3.14159\nn = 7\nname = 'w'\n"
        "print(f'{x:.2f} {n:>4} {n!r} {name!r:>5} {x=} {n * 2} {{literal}} {\"q\"}', f\"{n:{n}}|\")"),
    "fstring_nested_spec_and_conversions": "w = 6\np = 2\nprint(f'[{3.14159:{w}.{p}f}] [{\"ab\"!s:^{w}}]')",
    "sets_displays_operators_and_comprehensions": (
        "a = {3, 1, 2}\nb = {x * x for x in range(5) if x}\nprint(sorted(a), sorted(b), 2 in a, set(), "
        "{*[1, 1], *(2,)} == {1, 2})\nprint(sorted(a | b), a & b, sorted(a - b), sorted(a ^ b), "
        "a <= a | b, a < a, {1} > set(), type(a) == set, isinstance(a, set), len({'x', 'x'}))\n"
        "a |= {7}\na -= {1}\nprint(sorted(a), {True, 1, 1.0}, {(1, 2), (1, 2)}, {'q'})"),
    "set_methods": (
        "s = set([1, 1, 2])\ns.add(3)\ns.discard(9)\ns.remove(1)\ns.update([4], (5,), range(6, 8))\n"
        "print(sorted(s), sorted(s.union([0])), s.intersection({2, 3, 99}), sorted(s.difference([2])),"
        " s.issubset(range(10)), s.issuperset([2]), s.isdisjoint([0]), sorted(s.copy()))\n"
        "s.intersection_update({2, 3})\ns.symmetric_difference_update([3, 9])\nprint(s, s.pop(), s)\n"
        "try:\n    s.remove(5)\nexcept KeyError as e:\n    print('KeyError', e)\n"
        "try:\n    {[1]}\nexcept TypeError as e:\n    print(e)\n"
        "try:\n    set().pop()\nexcept KeyError as e:\n    print(repr(e))"),
    "frozensets": (
        "a = frozenset([3, 1, 2])\nb = frozenset({2, 5})\n"
        "print(a, frozenset(), frozenset('aba') == frozenset('ab'), a == {1, 2, 3}, {a: 1}[frozenset((1, 2, 3))])\n"
        "print(a | b, a & b, a - b, a ^ b, type(a | b), type({1} | a), a.union([9], (8,)), a.copy() is a)\n"
        "print(a.issubset(range(10)), a.issuperset([1]), a.isdisjoint(b), a.intersection([1, 7]),"
        " a.difference(b), a.symmetric_difference([1]), frozenset.union(a, b))\n"
        "print(type(a), isinstance(a, frozenset), type(a) == frozenset, len({frozenset([1]), frozenset([1])}))\n"
        "try:\n    a.add(3)\nexcept AttributeError as e:\n    print(e)\n"
        "try:\n    frozenset([[1]])\nexcept TypeError as e:\n    print(e)"),
    "namedtuples": (
        "from collections import namedtuple\n"
        "T = namedtuple('T', ('state', 'action', 'next_state', 'reward'))\nt = T([1.5], 1, None, 0.5)\n"
        "print(t, t.action, t[1], len(t), t._fields, t._asdict(), t._replace(action=2), T._make([1, 2, 3, 4]))\n"
        "print(type(t), isinstance(t, tuple), isinstance(t, T), t == T(*t), T(1, 1, 2, 1).count(1), t.index(0.5))\n"
        "s, a, n, r = t\nprint(s, a, n, r, T(*zip(*[T(1, 2, 3, 4), T(5, 6, 7, 8)])))\n"
        "P = namedtuple('P', 'x y', defaults=[0])\n"
        "print(P(1), P(1, 2) + (3,), P._field_defaults, hash(P(1, 2)) == hash((1, 2)), {P(1, 2): 'k'}[(1, 2)])\n"
        "class Point(namedtuple('Point', ['x', 'y'])):\n    def norm(self):\n"
        "        return (self.x ** 2 + self.y ** 2) ** 0.5\n    def __repr__(self):\n"
        "        return 'Pt(%s, %s)' % self\n"
        "print(Point(3, 4).norm(), Point(3, 4), type(Point(1, 2)), namedtuple('R', ['def', 'a'], rename=True)._fields)\n"
        "print(sorted([P(2, 1), P(1, 5)]), max(P(2, 1), P(1, 5)), P(1, 2) < P(1, 3), P(*range(2)), f'{P(1, 2)}')\n"
        "for bad in [lambda: P(), lambda: namedtuple('Q', ['a', 'a']), lambda: namedtuple('Q', ['_a'])]:\n"
        "    try:\n        bad()\n    except (TypeError, ValueError) as e:\n        print(type(e).__name__, e)\n"
        "try:\n    t.action = 3\nexcept AttributeError as e:\n    print(e)"),
    "dataclasses": "from dataclasses import dataclass, field, fields, asdict, astuple, replace, is_dataclass\nimport dataclasses\n@dataclass\nclass Config:\n    block_size: int = 1024\n    n_layer: int = 12\n    dropout: float = 0.0\n    note = 'not a field'\nc = Config(n_layer=6)\nprint(c, c.n_layer, c == Config(n_layer=6), c != Config(), Config.note)\nprint(asdict(c), astuple(c), replace(c, dropout=0.5), is_dataclass(c), [f.name for f in fields(c)])\n@dataclass(frozen=True, order=True)\nclass P:\n    x: int\n    y: int = 0\n    tags: list = field(default_factory=list, compare=False, repr=False)\n    def __post_init__(self):\n        self.tags.append(self.x)\nprint(P(1), P(1, 2) < P(2, 0), sorted([P(3), P(1, 5), P(1, 2)]), hash(P(1, 2)) == hash(P(1, 2)), P(4).tags)\nfor bad in [lambda: setattr(P(1), 'x', 5), lambda: P()]:\n    try:\n        bad()\n    except (dataclasses.FrozenInstanceError, TypeError) as e:\n        print(type(e).__name__, e)\n@dataclass\nclass Node:\n    value: int\n    children: list = field(default_factory=list)\nroot = Node(1, [Node(2), Node(3, [Node(4)])])\nprint(root, asdict(root))\ntry:\n    @dataclass\n    class Bad:\n        items: list = []\nexcept ValueError as e:\n    print(e)",
    "pow_is_pythons": "print(pow(2, 10), pow(2, -1), pow(3, 4, 5), pow(2.0, 0.5), pow(7, -1, 5))",
    "unbound_methods_of_builtin_types": (
        "words = ['b', 'A', ' c ']\nprint(sorted(words, key=str.lower), list(map(str.strip, words)), "
        "str.join('-', ['x', 'y']), set.union({1}, [2]), dict.get({'a': 1}, 'a'), list.append)\n"
        "try:\n    str.lower(5)\nexcept TypeError as e:\n    print(e)"),
    "format_replacement_index_errors": (
        "for f, a in [('{}', ()), ('{0} {1}', (1,))]:\n    try:\n        f.format(*a)\n"
        "    except IndexError as e:\n        print(e)"),
    "collections_classes": (
        "from collections import OrderedDict, defaultdict, Counter, deque\n"
        "od = OrderedDict([('b', 1), ('a', 2)])\nod.move_to_end('b')\nod['c'] = 0\n"
        "print(od, list(od), type(od) == OrderedDict, isinstance(od, dict), od == {'a': 2, 'b': 1, 'c': 0})\n"
        "dd = defaultdict(list)\ndd['x'].append(1)\ndd['y']\nn = defaultdict(int)\nn['k'] += 2\n"
        "print(dd, n, dict(dd), defaultdict(set)['q'])\n"
        "c = Counter('mississippi')\nc.update(['m', 'm'])\nc.subtract({'i': 4})\n"
        "print(c.most_common(2), c['z'], sorted(c.elements())[:4], c.total(), Counter(a=1) + Counter(a=2, b=1))\n"
        "q = deque([1, 2, 3], maxlen=4)\nq.append(4)\nq.appendleft(0)\nq.rotate(1)\nq.extend([7])\n"
        "print(q, q.popleft(), q.pop(), len(q), 2 in q, q.maxlen, deque('ab') + deque('c'), deque([1]) * 3)\n"
        "print(type(c), type(q), type(dd), Counter.most_common(c, 1))"),
    "copy_module": (
        "import copy\nclass P:\n    def __init__(self):\n        self.items = [[1], {'k': [2]}]\n"
        "a = P()\nb = copy.deepcopy(a)\nc = copy.copy(a)\nb.items[0].append(5)\n"
        "print(a.items, b.items, c.items is a.items, b.items is a.items, type(b) is P)\n"
        "l = [[0]] * 3\nm = copy.deepcopy(l)\nprint(m[0] is m[1], m[0] is l[0], copy.copy((1, [2])))"),
    "list_tuple_dict_displays": (
        "print([1, 2, *[3, 4]], (1,), (), (1, 2, 3), {'a': 1, **{'b': 2}}, [], {}, [[1, 2], [3]])"),
    "subscripts_and_slices": (
        "a = list(range(10))\nprint(a[2], a[-1], a[2:5], a[::3], a[::-1], a[1:8:2], a[:], a[-3:])\n"
        "d = {'k': [1, 2]}\nprint(d['k'][1], 'hello'[1:4])"),
    "item_assignment_and_deletion": (
        "a = [1, 2, 3]\na[0] = 10\na[1:2] = [20, 21]\nd = {}\nd['x'] = 1\nd['y'] = 2\n"
        "del d['x'], a[0]\nprint(a, d)"),
    "lru_cache_statistics": (
        "import functools\n@functools.lru_cache(maxsize=2)\ndef f(n):\n    return n * 2\n"
        "f(1); f(1); f(2); f(3)\ni = f.cache_info()\n"
        "print(i, i.hits, i.misses, i.maxsize, i.currsize, i[0], f.cache_parameters())\n"
        "f.cache_clear()\nprint(f.cache_info())"),
    "attribute_deletion": (
        "class P:\n    def __init__(self):\n        self.a, self.b, self._c = 1, 2, 3\n"
        "    @property\n    def v(self):\n        return self._c\n    @v.deleter\n"
        "    def v(self):\n        print('deleter runs')\n        self._c = None\n"
        "p = P()\ndel p.a, p._c\nprint(hasattr(p, 'a'), p.b, hasattr(p, '_c'))\n"
        "p._c = 5\ndel p.v\nprint(p._c)\nP.k = 1\ndel P.k\nprint(hasattr(P, 'k'))\n"
        "try:\n    del p.a\nexcept AttributeError as e:\n    print('AttributeError', e)"),
    "chained_and_tuple_assignment": (
        "a = b = 0\nx, y = 1, 2\nx, y = y, x\n(p, q), r = (1, 2), 3\nfirst, *rest = [1, 2, 3]\n"
        "g, = [9]\nprint(a, b, x, y, p, q, r, first, rest, g)"),
    "augmented_assignment": (
        "x = 10\nx += 1\nx -= 2\nx *= 3\nx //= 4\nx **= 2\nx %= 7\nx <<= 2\nx >>= 1\nx |= 1\nx &= 6\n"
        "x ^= 3\ny = 7.0\ny /= 2\ns = 'a'\ns += 'b'\ns *= 3\nl = [1]\nl += [2]\nl *= 2\n"
        "d = {'k': 1}\nd['k'] += 5\nprint(x, y, s, l, d)"),
    "if_elif_else": (
        "for v in [1, 5, 10]:\n    if v < 3:\n        print('low')\n    elif v < 7:\n"
        "        print('mid')\n    else:\n        print('high')"),
    "for_with_tuple_targets_break_continue": (
        "for i, (a, b) in enumerate([(1, 2), (3, 4), (5, 6), (7, 8)]):\n    if i == 1:\n"
        "        continue\n    if i == 3:\n        break\n    print(i, a + b)"),
    "while_loop": "n = 0\nwhile n < 5:\n    n += 2\n    if n == 4: continue\n    print(n)\nprint('done', n)",
    "nested_loops_break_inner_only": (
        "for i in range(3):\n    for j in range(3):\n        if j > i: break\n        print(i, j, end=' ')\nprint()"),
    "pass_and_semicolons": "x = 1; y = 2; pass\nif x: pass\nprint(x + y);",
    "def_with_defaults_star_args_and_keywords": (
        "def f(a, b=2, *args, c, d=4, **kw):\n    return (a, b, args, c, d, sorted(kw.items()))\n"
        "print(f(1, c=3))\nprint(f(1, 5, 6, 7, c=8, e=9, d=0))\nprint(f(*[1, 2, 3], **{'c': 4, 'z': 5}))"),
    "keyword_only_after_bare_star": "def f(a, *, key=1):\n    return a + key\nprint(f(1), f(1, key=5))",
    "default_evaluated_once": (
        "def f(x, acc=[]):\n    acc.append(x)\n    return acc\nf(1)\nprint(f(2))"),
    "closures_capture_variables": (
        "def make(n):\n    def add(x):\n        return x + n\n    return add\n"
        "adders = [make(i) for i in range(3)]\nprint([a(10) for a in adders])"),
    "closures_see_later_binding": (
        "fs = [lambda: i for i in range(3)]\nprint([f() for f in fs])\n"
        "def outer():\n    v = 1\n    def inner():\n        return v\n    v = 2\n    return inner()\nprint(outer())"),
    "local_scope_does_not_leak": (
        "x = 'global'\ndef f():\n    x = 'local'\n    return x\nprint(f(), x)"),
    "recursion": "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nprint(fact(20), fact(0))",
    "docstring_and_return_none": (
        "def f():\n    'A docstring.'\n    pass\nprint(f())\ndef g():\n    return\nprint(g())"),
    "lambda_with_defaults": "f = lambda x, y=2, *a, **k: (x, y, a, k)\nprint(f(1), f(1, 3, 4, z=5))",
    "list_comprehensions": (
        "print([x * y for x in range(3) for y in range(3) if x != y if y > 0])\n"
        "print([[j for j in range(i)] for i in range(4)])\nprint([i for i in 'abc'])"),
    "dict_comprehension_and_generator_arguments": (
        "print({k: v ** 2 for k, v in zip('abc', [1, 2, 3])})\nprint(sum(x * x for x in range(5)))\n"
        "print(max((len(w), w) for w in ['aa', 'b', 'ccc']))"),
    "comprehension_variable_does_not_leak": "x = 'keep'\n[x for x in range(3)]\nprint(x)",
    "builtins": (
        "print(len([1, 2]), abs(-3), min(3, 1, 2), max([4, 9]), sum([1, 2], 10), round(2.675, 2), "
        "round(7.5), float('1.5'), int('42'), int(3.9), bool(0), str(12), list('ab'), tuple([1]), "
        "dict(a=1), list(enumerate('xy', 1)), list(zip([1, 2], 'ab')), list(reversed([1, 2, 3])), "
        "sorted([3, 1, 2], reverse=True), sorted(['bb', 'a'], key=len), isinstance(1, int), "
        "isinstance([], (list, tuple)), isinstance((), list), any([0, 1]), all([]), repr('q'))"),
    "print_sep_and_end": "print(1, 2, 3, sep='-', end='!\\n')\nprint('a', 'b', sep='')\nprint()\nprint(end='')",
    "truthiness": "for v in [0, 1, '', 'a', [], [0], {}, None, 0.0]:\n    print(bool(v), end=' ')\nprint()",
    "assert_passes": "assert 1 + 1 == 2, 'math'\nassert [1]\nprint('ok')",
    "del_name": "x = 1\ndel x\nx = 2\nprint(x)",
    "line_continuation": "x = 1 + \\\n    2\ny = (3 +\n     4)\nz = [5,\n     6]\nprint(x, y, z)",
    "comments_everywhere": "# start\nx = 1  # trailing\n# between\nif x:  # header\n    # inside\n    print(x)\n# end",
    "math_module": (
        "import math\nprint(math.sqrt(16), math.pi, math.floor(2.7), math.isclose(0.1 + 0.2, 0.3), "
        "math.factorial(10), math.log(math.e))"),
    "from_import_math": "from math import sqrt, pi as PI\nprint(sqrt(2), PI)",
    "integers_are_arbitrary_precision": "print(2 ** 200, 3 * 10 ** 30 // 7, -(2 ** 64) % 10)",
    "string_escapes_in_fstrings": "n = 2\nprint(f'a\\tb{n}\\n{n}\\x41')",
    "name_main_idiom": "if __name__ == '__main__':\n    print('main')",
    "dict_methods": (
        "d = {'a': 1}\nd.update(b=2)\nprint(sorted(d.keys()), sorted(d.values()), d.get('z', 0), "
        "d.setdefault('c', 3), d.pop('a'), sorted(d.items()))"),
    "list_methods": (
        "l = [3, 1]\nl.append(2)\nl.extend([5, 4])\nl.insert(0, 9)\nl.remove(9)\nl.sort()\nx = l.pop()\n"
        "l.reverse()\nprint(l, x, l.index(2), l.count(3), l.copy())"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


# pieces of an f-string's body whose meaning Python defines: text, escapes of every kind,
# doubled braces, fields with conversions and nested specs
FSTRING_PIECES = ["a", "é", " ", "\\t", "\\\\", "\\'", '\\"', "\\n", "\\x41", "\\u00e9",
                  "\\U0001F600", "\\101", "\\0", "\\N{BULLET}", "\\\n", "{{", "}}", "{n}",
                  "{n!r}", "{n:>{w}}", "{s!s:^7}", "{n=}", "{[n, s]}", ":", "!", "="]


def test_f_strings_decode_as_python_decodes_them():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=100, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(FSTRING_PIECES), max_size=12), st.booleans())
    def check(pieces, triple):
        quote = "'''" if triple else "'"
        body = "".join(pieces)
        if not triple:
            body = body.replace("\\\n", "\\n")
        source = "print(f%s%s%s)\n" % (quote, body, quote)
        session.output.seek(0)
        session.output.truncate()
        session.run(source, "t.grad")
        assert session.output.getvalue() == run_python(names + source), source

    names = "n = 7\nw = 4\ns = 'ab'\n"
    session = new_session()
    session.run(names, "t.grad")
    check()
