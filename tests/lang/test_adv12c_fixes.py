"""Branch adv12c (a blind round of Python-language programs using the standard library beside
torch, the adv12c_* learner programs): each class of difference they found, as a short program.
Programs without torch are compared with CPython itself (the oracle: this test's own Python);
those with tensors with PyTorch (skipped without it). The limits the new modules keep (re's
backtracking estimate, json's and textwrap's output, the gate on the new special attributes)
are checked to hold."""

import contextlib
import io

import pytest

from gradsh.lang import GradshError

from .helpers import run_error, run_program, run_python


LIKE_PYTHON = {
    # heapq: Python's heap layout after pushes, pops, heapify, pushpop and replace; nsmallest/
    # nlargest with keys and ties; merge of sorted inputs (equal items in input order)
    "heapq_layout_and_helpers": (
        "import heapq\n"
        "h = []\n"
        "for x in [5, 3, 8, 1, 9, 2, 7, 3]:\n    heapq.heappush(h, x)\n"
        "print(h)\nprint([heapq.heappop(h) for _ in range(3)], h)\n"
        "d = [9, 4, 7, 1, 8, 2, 6, 3, 5, 0]\nheapq.heapify(d)\nprint(d)\n"
        "print(heapq.heappushpop(d, 4), heapq.heapreplace(d, 10), d)\n"
        "print(heapq.nsmallest(3, [(2, 'b'), (1, 'z'), (2, 'a'), (1, 'y')]))\n"
        "print(heapq.nlargest(2, ['aa', 'b', 'ccc', 'dd'], key=len), heapq.nsmallest(0, [1]))\n"
        "print(list(heapq.merge([1, 3, 5], [1, 2, 6], [0, 9])))\n"
        "print(list(heapq.merge(['a', 'bb'], ['c', 'dd'], key=len)))\n"
        "print(list(heapq.merge([5, 3], [4, 1], reverse=True)))\n"
        "for bad in [lambda: heapq.heappop([]), lambda: heapq.heapreplace([], 1),\n"
        "            lambda: heapq.heappush((), 1), lambda: heapq.heapify('ab')]:\n"
        "    try:\n        bad()\n    except (IndexError, TypeError) as e:\n"
        "        print(type(e).__name__, e)\n"),
    # bisect: left/right/insort with lo, hi and key; the error for a negative lo
    "bisect_searches_and_inserts": (
        "import bisect\n"
        "a = [1, 2, 2, 2, 5, 8]\n"
        "print([bisect.bisect_left(a, x) for x in (0, 2, 3, 9)], [bisect.bisect(a, x) for x in (0, 2, 3, 9)])\n"
        "print(bisect.bisect_left(a, 2, 2), bisect.bisect_right(a, 2, 0, 2))\n"
        "r = [(1, 'a'), (4, 'd')]\nbisect.insort(r, (2, 'b'), key=lambda p: p[0])\n"
        "bisect.insort_left(r, (4, 'c'), key=lambda p: p[0])\nprint(r)\n"
        "s = []\nfor x in 'banana':\n    bisect.insort(s, x)\nprint(s)\n"
        "try:\n    bisect.bisect_left(a, 1, -1)\nexcept ValueError as e:\n    print(e)\n"),
    # json: dumps's options (indent, sort_keys, separators, ensure_ascii, default, allow_nan),
    # its errors; loads and JSONDecodeError's data
    "json_dumps_loads": (
        "import json\n"
        "d = {'b': [1.5, 2, None, True], 'a': {'x': 'é', 'n': float('inf')}, 3: 'int key'}\n"
        "print(json.dumps(d))\nprint(json.dumps(d, indent=2, sort_keys=False))\n"
        "print(json.dumps(d, ensure_ascii=False, separators=(',', ':')))\n"
        "print(json.dumps({'k': {1, 2}}, default=sorted), json.dumps('x\\n\"'))\n"
        "print(json.dumps([1, [2, [3]]], indent='\\t'))\n"
        "for bad in [lambda: json.dumps({'s': {1}}), lambda: json.dumps(float('nan'), allow_nan=False),\n"
        "            lambda: json.dumps({(1,): 2}), lambda: json.loads('[1,'), lambda: json.loads('{\"a\" 1}')]:\n"
        "    try:\n        bad()\n    except (TypeError, ValueError) as e:\n"
        "        print(type(e).__name__, e)\n"
        "try:\n    json.loads('{\\n  \"a\": tru}')\nexcept json.JSONDecodeError as e:\n"
        "    print(e.msg, e.pos, e.lineno, e.colno, isinstance(e, ValueError))\n"
        "print(json.loads('[1, 2.5, \"s\", null, {\"k\": [true]}]'), json.loads(b'{\"a\": 1}'))\n"
        "print(json.loads('{\"a\": 1.25}', parse_float=str), json.loads('{\"a\": {\"b\": 1}}', object_hook=len))\n"),
    # textwrap: wrap/fill/shorten with their options, dedent, indent with a predicate,
    # TextWrapper's methods
    "textwrap_functions": (
        "import textwrap\n"
        "t = 'The gradient of the loss with respect to every parameter is computed by backward.'\n"
        "print(textwrap.wrap(t, 20))\nprint(textwrap.fill(t, width=30, initial_indent='- ', subsequent_indent='  '))\n"
        "print(textwrap.shorten(t, 30), textwrap.shorten('a b', 10), textwrap.wrap('x' * 12, 5))\n"
        "print(repr(textwrap.dedent('    a\\n      b\\n    c')))\n"
        "print(textwrap.indent('a\\n\\nb', '+ ', lambda line: True))\n"
        "w = textwrap.TextWrapper(width=12, max_lines=2, placeholder='...')\nprint(w.wrap(t), w.fill('one two'), w.width)\n"
        "try:\n    textwrap.wrap('abc', 0)\nexcept ValueError as e:\n    print(e)\n"),
    # pprint: pformat/pprint with width, indent, depth, compact, sort_dicts
    "pprint_formats": (
        "import pprint\n"
        "cfg = {'model': {'layers': list(range(12)), 'act': 'gelu'}, 'optim': ('adam', 1e-3), 'seed': 0}\n"
        "pprint.pprint(cfg)\npprint.pprint(cfg, width=30)\npprint.pprint(cfg, depth=1)\n"
        "pprint.pprint(list(range(40)), compact=True, width=40)\npprint.pp({'b': 1, 'a': 2})\n"
        "print(pprint.pformat(cfg, indent=4, sort_dicts=False))\n"),
    # re: the module's functions and compiled patterns, groups, flags, sub with a function
    "re_functions_and_patterns": (
        "import re\n"
        "s = 'layer1.weight=0.5, layer2.bias=-1.25, head.weight=3'\n"
        "print(re.findall(r'(\\w+)\\.(weight|bias)=(-?[\\d.]+)', s))\n"
        "print([m.group(1, 3) for m in re.finditer(r'(\\w+)\\.(\\w+)=([-\\d.]+)', s)])\n"
        "p = re.compile(r'(?P<name>[a-z]+)(?P<num>\\d*)', re.I)\n"
        "m = p.match('Layer12x')\nprint(m.groupdict(), m.span('num'), m.start(), m.end(), m.lastgroup, m[0])\n"
        "print(p.pattern, p.groups, p.groupindex, p.flags == re.I | re.U, p.fullmatch('ab1'), p.search('..x9'))\n"
        "print(re.sub(r'\\d+', lambda m: str(int(m.group()) * 2), 'a1b22'), re.subn('a', 'b', 'aaa', count=2))\n"
        "print(re.split(r'(,)\\s*', 'a, b,c'), re.split(r'\\W+', 'a.b-c', maxsplit=1), re.escape('1+1=2?'))\n"
        "print(re.match(r'^\\s*$', ''), bool(re.search('X', 'abx', re.IGNORECASE)), re.sub(r'(a)(b)', r'\\2\\1', 'abab'))\n"
        "print(re.findall(r'^\\w', 'ab\\ncd', re.M), re.findall(r'a.b', 'a\\nb', re.S), re.compile(p) is p)\n"
        "for bad in [lambda: re.compile('(a'), lambda: re.compile('a**'), lambda: re.sub('(a)', r'\\2', 'a')]:\n"
        "    try:\n        bad()\n    except re.error as e:\n        print(type(e).__name__, e)\n"),
    # sys: the facts a script checks, stdout and print(file=sys.stdout)
    "sys_facts_and_stdout": (
        "import sys\n"
        "print(sys.version_info >= (3, 8), sys.version_info[:1] == (sys.version_info.major,))\n"
        "print(sys.maxsize, sys.float_info.epsilon, sys.float_info.max, sys.int_info.bits_per_digit > 0)\n"
        "print(sys.byteorder in ('little', 'big'), type(sys.argv).__name__, type(sys.version).__name__)\n"
        "n = sys.stdout.write('written\\n')\nprint(n)\nprint('to stdout', 1, sep='|', file=sys.stdout)\n"
        "sys.stdout.flush()\n"),
    # io.StringIO with print(file=...), csv writers and readers over it
    "stringio_and_csv": (
        "import csv\nimport io\n"
        "buf = io.StringIO()\nw = csv.writer(buf)\nw.writerow(['a', 'b, c', 1.5, None])\n"
        "w.writerows([[1, 2], ['x\"y', '']])\nprint(repr(buf.getvalue()))\n"
        "print(list(csv.reader(io.StringIO(buf.getvalue()))))\n"
        "print(list(csv.reader(['a;b', 'c;d'], delimiter=';')))\n"
        "out = io.StringIO()\ndw = csv.DictWriter(out, fieldnames=['k', 'v'])\ndw.writeheader()\n"
        "dw.writerows([{'k': 1, 'v': 2}, {'k': 3}])\nprint(out.getvalue().splitlines())\n"
        "print([dict(r) for r in csv.DictReader(io.StringIO(out.getvalue()))])\n"
        "s = io.StringIO('l1\\nl2\\nl3')\nprint(s.readline(), s.read(2), s.tell(), list(s), s.getvalue())\n"
        "with io.StringIO() as f:\n    print('a', 'b', file=f, end='!')\n    print(f.getvalue(), f.closed)\n"
        "print(f.closed)\n"
        "try:\n    io.StringIO().write(b'x')\nexcept TypeError as e:\n    print(e)\n"),
    # small names of existing modules: time's other clocks, OrderedDict.fromkeys, dataclasses'
    # InitVar and KW_ONLY, functools.singledispatchmethod, statistics.NormalDist,
    # typing.TypedDict and cast, string.Template, collections.abc and numbers
    "module_names_added": (
        "import time, collections, dataclasses, functools, statistics, typing, string, numbers\n"
        "import collections.abc\n"
        "print(time.monotonic() <= time.monotonic(), type(time.perf_counter_ns()).__name__)\n"
        "print(collections.OrderedDict.fromkeys('ab', 0))\n"
        "@dataclasses.dataclass\nclass C:\n    a: int\n    s: dataclasses.InitVar[int] = 1\n"
        "    _: dataclasses.KW_ONLY\n    b: int = 2\n    def __post_init__(self, s):\n        self.a += s\n"
        "print(C(1, 5, b=3), [f.name for f in dataclasses.fields(C)])\n"
        "class F:\n    @functools.singledispatchmethod\n    def f(self, x):\n        return 'any'\n"
        "    @f.register(int)\n    def _(self, x):\n        return 'int'\n"
        "print(F().f(1), F().f('s'))\n"
        "d = statistics.NormalDist(1, 2)\nprint(d.cdf(1), d.inv_cdf(0.5), d.mean, d.stdev, len(d.samples(3, seed=1)))\n"
        "class Row(typing.TypedDict, total=False):\n    loss: float\n"
        "print(Row(loss=1.0), Row(), sorted(Row.__annotations__), typing.cast(int, 'x'))\n"
        "t = string.Template('$a and ${b}$$')\nprint(t.substitute(a=1, b=2), t.safe_substitute(a=1))\n"
        "print(isinstance({}, collections.abc.Mapping), isinstance([], collections.abc.Sequence),\n"
        "      isinstance(1.5, numbers.Real), isinstance(True, numbers.Integral), isinstance('1', numbers.Number))\n"),
    # special attributes: an enum's __members__, an ABC's __abstractmethods__, a program class's
    # __subclasses__(), object.__hash__, update_wrapper on a program object
    "class_special_attributes": (
        "import enum, abc, functools\n"
        "class E(enum.Enum):\n    A = 1\n    B = 1\n    C = 2\n"
        "print(list(E.__members__), E.__members__['B'], list(E.__members__.items())[2])\n"
        "class I(abc.ABC):\n    @abc.abstractmethod\n    def f(self): ...\n    @abc.abstractmethod\n    def g(self): ...\n"
        "class J(I):\n    def f(self): ...\n"
        "print(sorted(I.__abstractmethods__), sorted(J.__abstractmethods__))\n"
        "class A: pass\nclass B(A): pass\nclass C(A): pass\nclass D(B): pass\n"
        "print([k.__name__ for k in A.__subclasses__()], B.__subclasses__(), D.__subclasses__())\n"
        "class K:\n    def __eq__(self, o):\n        return True\n    __hash__ = object.__hash__\n"
        "print(len({K(), K()}))\n"
        "class W:\n    def __init__(self, fn):\n        functools.update_wrapper(self, fn)\n"
        "def sq(x):\n    'square'\n    return x * x\n"
        "w = W(sq)\nprint(w.__name__, w.__doc__, w.__wrapped__ is sq, w.__qualname__)\n"),
    # Python 3.10's bracketed with-items; the special methods of numbers a class may define
    "with_brackets_and_numeric_dunders": (
        "import contextlib, math\n"
        "with (contextlib.nullcontext(1) as a, contextlib.nullcontext(2) as b):\n    print(a, b)\n"
        "with (contextlib.nullcontext(3) as c,\n      contextlib.nullcontext(4),):\n    print(c)\n"
        "class N:\n    def __init__(self, v):\n        self.v = v\n"
        "    def __round__(self, n=None):\n        return ('round', n)\n"
        "    def __trunc__(self):\n        return 't'\n    def __floor__(self):\n        return 'f'\n"
        "    def __ceil__(self):\n        return 'c'\n    def __divmod__(self, o):\n        return ('dm', o)\n"
        "    def __rdivmod__(self, o):\n        return ('rdm', o)\n    def __complex__(self):\n        return 2j\n"
        "    def __ior__(self, o):\n        self.v |= o\n        return self\n"
        "    def __ipow__(self, o):\n        self.v **= o\n        return self\n"
        "n = N(1)\nprint(round(n), round(n, 2), math.trunc(n), math.floor(n), math.ceil(n), divmod(n, 2), divmod(3, n), complex(n))\n"
        "n |= 6\nn **= 2\nprint(n.v)\n"),
    # contextlib.redirect_stdout/redirect_stderr into an io.StringIO (sys.stdout inside is the
    # redirected file), undone on leaving, also by an exception
    "redirect_stdout_and_stderr": (
        "import io, sys\nfrom contextlib import redirect_stdout, redirect_stderr\n"
        "buf = io.StringIO()\n"
        "with redirect_stdout(buf) as b:\n    print('captured', 1)\n    sys.stdout.write('also\\n')\n"
        "    with redirect_stdout(sys.stdout):\n        print('inner')\n"
        "print(repr(buf.getvalue()), b is buf)\n"
        "e = io.StringIO()\nwith redirect_stderr(e):\n    print('err', file=sys.stderr)\n"
        "print(repr(e.getvalue()))\n"
        "try:\n    with redirect_stdout(buf):\n        raise ValueError('x')\nexcept ValueError:\n    pass\n"
        "print('after', len(buf.getvalue()))\n"),
    # Python's words for str.join of a non-iterable and sorted() with more arguments
    "builtin_messages": (
        "for f in [lambda: ','.join(None), lambda: ','.join(5), lambda: sorted([2, 1], lambda x: x),\n"
        "          lambda: sorted()]:\n"
        "    try:\n        f()\n    except TypeError as e:\n        print(e)\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTHON))
def test_like_python(name):
    source = LIKE_PYTHON[name]
    assert run_program(source) == run_python(source)


LIKE_PYTORCH = {
    # heapq and bisect compare with the program's own `<`: tensors as PyTorch compares them
    "heapq_bisect_with_tensors": (
        "import heapq, bisect\nimport torch\n"
        "print(heapq.nlargest(2, [torch.tensor(1.), torch.tensor(3.), torch.tensor(2.)]))\n"
        "h = [(0.5, torch.tensor([1., 2.])), (0.5, torch.tensor([3., 4.]))]\n"
        "try:\n    heapq.heapify(h)\nexcept RuntimeError as e:\n    print(type(e).__name__, e)\n"
        "print(bisect.bisect_left(torch.tensor([1., 2., 4.]).tolist(), torch.tensor(3.)))\n"
        "try:\n    bisect.bisect_left(torch.tensor([1., 2., 4.]), 3.)\nexcept TypeError as e:\n"
        "    print(e)\n"),
    # json refuses a tensor with Python's message; tolist() and default= make it writable
    "json_of_tensors": (
        "import json\nimport torch\n"
        "t = torch.tensor([0.5, 0.25])\n"
        "try:\n    json.dumps({'t': t})\nexcept TypeError as e:\n    print(e)\n"
        "print(json.dumps({'t': t.tolist(), 'x': t.sum().item()}))\n"
        "print(json.dumps(t, default=lambda o: o.tolist()))\n"),
    # deepcopy keeps tensors that share memory sharing the copied memory
    "deepcopy_keeps_shared_memory": (
        "import copy\nimport torch\n"
        "base = torch.arange(6.)\nv = base.view(2, 3)\ns = base[1::2]\n"
        "b2, v2, s2 = copy.deepcopy([base, v, s])\nb2[1] = 100.\n"
        "print(v2, s2, base[1].item(), v2.is_contiguous(), s2.stride())\n"
        "t = torch.ones(2, 2).t()\nprint(copy.deepcopy(t).stride())\n"
        "m = torch.nn.Linear(2, 2)\nm2 = copy.deepcopy(m)\nprint(m2.weight is m.weight, torch.equal(m2.weight, m.weight))\n"),
}


def _run_with_torch(source):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<torch>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(LIKE_PYTORCH))
def test_like_pytorch(name):
    pytest.importorskip("torch", reason="PyTorch is the oracle for these programs")
    source = LIKE_PYTORCH[name]
    assert run_program(source) == _run_with_torch(source)


# ------------------------------------------------------------------ the limits hold
@pytest.mark.parametrize("source, message", [
    # re: a pattern whose repeats nest, on a line of 40 characters, is refused before it runs
    ("import re\nre.match(r'(a+)+b', 'a' * 40)\n", "could backtrack more than"),
    ("import re\nre.compile(r'(a|ab)*c').search('ab' * 30)\n", "could backtrack more than"),
    # json: a value holding the same list over and over is refused by the walk, at once
    ("import json\nl = [0] * 1000\nfor _ in range(4):\n    l = [l] * 1000\njson.dumps(l)\n",
     "characters"),
    ("import json\njson.dumps([1], indent=10 ** 6)\n", "gradsh's limit is 10000"),
    # textwrap: indents written on every line of a long text
    ("import textwrap\ntextwrap.indent('\\n' * 10 ** 6, 'x' * 1000)\n", "more than"),
    ("import textwrap\ntextwrap.fill('a ' * 10 ** 5, 1, subsequent_indent='x' * 5000)\n",
     "more than"),
    # re.sub: a replacement template copied at every match
    ("import re\nre.sub('a', 'b' * 2000, 'a' * 100000)\n", "more than"),
])
def test_limits_hold(source, message):
    error, _ = run_error(source)
    assert error.kind == "LimitError" and message in error.message


@pytest.mark.parametrize("source, kind, message", [
    # the gate: Python's classes keep their subclasses, a match its compiled pattern
    ("object.__subclasses__()\n", "AttributeError", "is not accessible"),
    ("int.__subclasses__()\n", "AttributeError", "is not accessible"),
    ("import torch\ntorch.Tensor.__subclasses__()\n", "AttributeError", "is not accessible"),
    ("import re\nre.match('a', 'a').re\n", "AttributeError", "is not available in gradsh"),
    ("import sys\nsys.modules\n", "AttributeError", "has no attribute 'modules'"),
    ("import sys\nsys.path\n", "AttributeError", "has no attribute 'path'"),
    # print(file=...) takes sys.stdout, sys.stderr and io.StringIO only
    ("class W:\n    def write(self, s):\n        pass\nprint('x', file=W())\n", "TypeError",
     "print(file=...) is not supported in gradsh"),
    ("import json\njson.dumps(1, cls=object)\n", "TypeError", "is not supported in gradsh"),
    ("from enum import Enum\nclass E(Enum):\n    A = 1\nE.__members__ = {}\n",
     "AttributeError", "is not accessible"),
])
def test_refused(source, kind, message):
    error, _ = run_error(source)
    assert error.kind == kind and message in error.message, (error.kind, error.message)


# logging with a stream: basicConfig's format, levels, getLogger's hierarchy, getLevelName
LOGGING = (
    "import logging\nimport sys\n"
    "log = logging.getLogger('train.loop')\n"
    "logging.basicConfig(level=logging.INFO, stream=sys.stdout)\n"
    "log.info('epoch %d loss %.3f', 1, 0.25)\nlog.debug('hidden')\nlogging.warning('root %s', 'w')\n"
    "logging.basicConfig(level=logging.ERROR, stream=sys.stdout)\nlog.info('still INFO')\n"
    "logging.basicConfig(level='DEBUG', format='%(name)s|%(levelname)s|%(message)s', stream=sys.stdout, force=True)\n"
    "logging.getLogger('a.b').debug('d %(k)s', {'k': 1})\nlog.critical('c')\n"
    "print(log, logging.getLogger(), log.getEffectiveLevel(), log.isEnabledFor(5))\n"
    "print(logging.getLevelName(30), logging.getLevelName('ERROR'), logging.getLevelName(7))\n")


def test_logging_like_python():
    """logging is compared with a fresh Python process (the test process's own logging holds
    pytest's handlers)."""
    import subprocess
    import sys
    python = subprocess.run([sys.executable, "-c", LOGGING], capture_output=True, text=True,
                            check=True).stdout
    assert run_program(LOGGING) == python


def test_logging_writes_to_stderr_without_a_stream():
    """With no stream, records go where gradsh's warnings go (stderr), as Python's do; before
    any configuration only WARNING and above, as the message alone (Python's last resort)."""
    from gradsh.lang import Session
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(
        "import logging\nlog = logging.getLogger('m')\nlog.info('no')\nlog.warning('yes %d', 1)\n"
        "logging.basicConfig(level=logging.INFO)\nlog.info('now %s', 'info')\n", "t.grad")
    assert out.getvalue() == ""
    assert err.getvalue() == "yes 1\nINFO:m:now info\n"


def test_sys_stderr_writes_to_the_sessions_stderr():
    from gradsh.lang import Session
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(
        "import sys\nsys.stderr.write('e1\\n')\nprint('e2', file=sys.stderr)\nprint('o')\n",
        "t.grad")
    assert (out.getvalue(), err.getvalue()) == ("o\n", "e1\ne2\n")


def test_gradsh_error_is_the_base():  # (the refusals above are GradshErrors, located)
    error, _ = run_error("import re\nre.match(r'(a*)*b', 'a' * 50)\n")
    assert isinstance(error, GradshError) and error.line == 2
