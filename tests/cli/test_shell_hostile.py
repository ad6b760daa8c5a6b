"""The REPL under hostile and clumsy use, driven headless (issue 16, "Safe and sturdy"): every
:command with odd arguments, program values that fight the shell's own views (a __repr__ that
raises, a __getattr__ or property that never returns, a model whose listing fails, numbers too
big to print), and completion on such values. After each the prompt is back, the variables are
intact, nothing is an "internal error", and :quit leaves with status 0.

The pty-level cases (Ctrl-C in a hook or a custom backward, Ctrl-D in a block, invalid UTF-8,
HOME unset, an unwritable history) are in test_repl_pty.py; the kernel's in
tests/kernel/test_kernel_hostile.py.
"""

import io
import threading

import pytest

# classes a program defines to fight the shell: each method is the program's own code, which
# the shell's views (:vars, :grads, the gradients panel, completion) must never run
HOSTILE_CLASSES = (
    "class Raises:\r    def __repr__(self):\r        raise ValueError('no repr')\r\r"
    "class Loops:\r    def __getattr__(self, name):\r        while True:\r            pass\r"
    "    @property\r    def prop(self):\r        while True:\r            pass\r\r"
    "class FakeModel:\r    def named_parameters(self):\r        raise ValueError('no params')\r\r"
    "r, l, f = Raises(), Loops(), FakeModel()\r"
    "d = {Raises(): ones(1, requires_grad=True), 'x' * 100000: ones(1, requires_grad=True)}\r"
    "big, long = 10 ** 5000, 'y' * 10 ** 6\r"
    "w = ones(2, requires_grad=True)\r"
)
ALIVE = "w.sum() + 40\r"           # after each case: the session and its variables are intact
ALIVE_OUT = "tensor(42., grad_fn=<AddBackward0>)\n"

# (case, keys typed after HOSTILE_CLASSES, a fragment the error output must hold)
CASES = [
    ("graph of odd values",
     ":graph\r:graph 1\r:graph 'x'\r:graph None\r:graph )\r:graph --dot\r:graph --dot '\r"
     ":graph --bogus w\r:graph [w]\r:graph w\r:graph r\r", ":graph needs a tensor, not Raises"),
    ("trace of odd values",
     ":trace\r:trace 1/0\r:trace w\r:trace w * 2\r:trace --retain --retain (w * 3).sum()\r",
     "grad can be implicitly created only for scalar outputs"),
    ("help of odd names",
     ":help a/b/c\r:help __class__\r:help w.__class__\r:help a.b.c.d\r:help 123\r:help .\r"
     ":help _\r:help torch.\r:help " + "a" * 300 + "\r:help :help\r",
     "\n'" + "a" * 55 + "...'\n"),   # the name cut in the message
    ("vars, grads and the gradients panel with hostile values",
     "(w * 2).sum().backward()\r:vars\r:grads\r", "w.grad = tensor([2., 2.])"),
    ("plot of values a chart cannot scale",
     ":plot [1e308, -1e308]\r:plot [10 ** 400]\r:plot [float('nan')]\r:plot r\r:plot []\r",
     "the values span more than a float holds"),
    ("commands that take no arguments refuse them",
     ":vars all\r:grads w\r:reset now\r:quit now\r", ":quit takes no arguments"),
    ("time and timeit of failing statements",
     ":time\r:time )\r:time 1/0\r:timeit\r:timeit 1/0\r:time r\r", "ValueError: no repr"),
    ("load and save of odd paths",
     ":load\r:load /\r:load 'a b\r:save\r:save /\r:save --force\r:load /dev/zero\r",
     "larger than 16 MiB"),
    ("round 16: a module made a cycle of itself, a 10^4-node chain, a cyclic cause",
     "import torch.nn as nn\rm = nn.Linear(1, 1)\rm.me = m\rc = ones(1, requires_grad=True)\r"
     "y = c\rfor i in range(10 ** 4):\r    y = y * 1\r\rbig = ones(1).expand(10 ** 6)\r"
     "class E(Exception):\r    pass\r\re1 = E('a')\re1.__cause__ = e1\r"
     ":vars\r:graph y\r:grads\r:graph m\r:trace y\r:time big.sum()\r:help m\r:graph big\r",
     "9901 more steps not shown"),
    ("a no_grad view of a tensor changed in place",
     "a = ones(3, requires_grad=True).clone()\rwith no_grad():\r    v = a[:2]\r\r"
     "a.mul_(2)\r:vars\r:grads\r:graph a\r", "MulBackward0"),
]


def hostile_session():
    """A session that has run HOSTILE_CLASSES (typing them would cost a second a test)."""
    from gradsh.lang import Session
    session = Session(stdout=io.StringIO())
    session.run(HOSTILE_CLASSES.replace("\r", "\n"))
    return session


def _keys_keep_the_prompt(repl, values, keys, fragment):
    """The shell, after a session ran `values`, takes `keys` and still answers (no internal
    error, no traceback, the prompt and the variables alive), showing `fragment`."""
    from gradsh.lang import Session
    session = Session(stdout=io.StringIO())
    session.run(values)
    r = repl(keys + ALIVE + ":quit\r", session=session)
    assert r.status == 0
    assert "internal error" not in r.err and "Traceback" not in r.err, r.err
    assert r.out.endswith(ALIVE_OUT), r.out[-2000:]
    assert fragment in r.out + r.err, (r.out + r.err)[-3000:]  # R20


@pytest.mark.parametrize("keys, fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_session_keeps_the_prompt_and_the_variables(repl, keys, fragment):
    r = repl(keys + ALIVE + ":quit\r", session=hostile_session())
    assert r.status == 0
    assert "internal error" not in r.err and "Traceback" not in r.err, r.err
    assert r.out.endswith(ALIVE_OUT), r.out[-2000:]
    assert fragment in r.out + r.err


def test_vars_shows_huge_numbers_and_strings_short_and_runs_no_program_code(repl):
    r = repl(":vars\r", session=hostile_session())
    rows = {line.split()[0]: line for line in r.out.splitlines() if line.strip()}
    assert "(16610 bits)" in rows["big"]      # 10**5000 has 16,610 bits
    assert "'yyyyyyyyyyyyyyyyyyyyyyyyyy..." in rows["long"]
    assert rows["f"].split()[1] == "FakeModel"   # its own named_parameters is never called
    assert r.err == ""


def test_gradients_panel_names_no_leaf_through_a_hostile_key(repl):
    r = repl("(d['x' * 100000] * 2).sum().backward()\r", session=hostile_session())
    assert "(unnamed leaf).grad = tensor([2.])" in r.out
    assert r.err == ""


# ---------------------------------------------------------------- completion, in-process

@pytest.fixture
def complete():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli.completer import GradshCompleter
    session = hostile_session()
    session.run("class Holder:\n    def __init__(self):\n        self.t = ones(2)\n"
                "    @property\n    def fails(self):\n        return 1 / 0\n"
                "    def method(self):\n        while True:\n            pass\nh = Holder()\n")

    class Loaded:
        ready = True

    class State:
        loader = Loaded()

    State.session = session
    completer = GradshCompleter(State())

    def run(text):
        event = CompleteEvent(completion_requested=True)
        return [c.text for c in completer.get_completions(Document(text), event)]
    return run


@pytest.mark.parametrize("text", ["l.prop.", "l.anything.", "l.", "h.fails.", "h.method.",
                                  "r.", "f.named_parameters.", "h.method("])
def test_completion_never_runs_the_programs_code(complete, text):
    # a property or __getattr__ of the program's would hang or raise: not completed through
    done = []
    worker = threading.Thread(target=lambda: done.append(complete(text)), daemon=True)
    worker.start()
    worker.join(20)   # a safety net: completion that runs the loop never returns
    assert done, "completing %r ran the program's code" % text


def test_completion_while_typing_a_huge_input_reads_only_a_bounded_tail(monkeypatch):
    # on every key: reading the whole input would make typing a long line quadratic
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli import completer as module

    def whole_input_read(text):
        raise AssertionError("scanned %d characters on a key" % len(text))
    monkeypatch.setattr(module, "scan", whole_input_read)
    typed = "x = [" + "1, " * 100000 + "ones(2).requires_gr"
    c = module.GradshCompleter(None)
    assert list(c.get_completions(Document(typed), CompleteEvent(text_inserted=True))) == []


def test_completion_goes_through_plain_attributes_of_a_programs_object(complete):
    assert "requires_grad" in complete("h.t.requires_gr")
    assert "prop" in complete("l.pr")          # offered by name, never read


# ---------------------------------------------------------------- error lines are gradsh's own

def test_control_characters_in_a_quoted_line_are_shown_as_pictures(run_cli):
    r = run_cli(["-c", 'x = "\x1b]0;title\x07\x1b[2J" + 1'])
    assert r.err == ('<string>:1:5: TypeError: can only concatenate str (not "int") to str\n'
                     '    x = "\u241b]0;title\u2407\u241b[2J" + 1\n'
                     '        ^^^^^^^^^^^^^^^^^^^^\n')


def test_a_huge_line_is_quoted_around_the_caret_only(run_cli):
    r = run_cli(["-c", "y = [" + "1, " * 400 + "a" + ", 1" * 300 + "]"])
    headline, line, caret = r.err.rstrip("\n").split("\n")
    assert headline == "<string>:1:1206: NameError: name 'a' is not defined"
    assert line.startswith("    ...1, 1,") and line.endswith(", 1,...")
    assert len(line) == 4 + 3 + 200 + 3
    assert line[caret.index("^")] == "a" and caret.strip() == "^"


def test_binary_garbage_on_a_pipe_is_one_located_error_without_control_codes(run_cli):
    import random
    garbage = bytes(random.Random(16).randrange(256) for _ in range(3000))
    r = run_cli([], stdin=garbage)
    assert r.status == 1
    assert r.err.startswith("<stdin>:1:")
    assert not [c for c in r.err if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0]


# ---------------------------------------------------------------- round 9: the newest ops' values

ROUND9_VALUES = (
    "import torch.nn.functional as F\n"
    "h = torch.ones(2, 3, dtype=torch.float16, requires_grad=True)\n"
    "b = torch.ones(2, dtype=torch.bool)\n"
    "z = torch.tensor(1.0, requires_grad=True)\n"
    "e = torch.ones(0, 5, requires_grad=True)\n"
    "q = torch.ones(1, 2, 4, requires_grad=True)\n"
    "att = F.scaled_dot_product_attention(q, q, q)\n"
    "ein = torch.einsum('ij,jk->ik', torch.ones(2, 2, requires_grad=True), torch.ones(2, 2))\n"
    "tr = torch.nn.TransformerEncoderLayer(4, 1, 4)\n"
    "mha = torch.nn.MultiheadAttention(4, 2)\n"
    "rms = torch.nn.RMSNorm(4)\n"
    "win = torch.kaiser_window(5)\n"
    "pg = torch.polygamma(3, z)\n"
    "cd = torch.cdist(torch.ones(2, 3, requires_grad=True), torch.ones(2, 3))\n"
    "w = ones(2, requires_grad=True)\n"
)
# (case, keys, a fragment the output must hold)
ROUND9_CASES = [
    ("vars and grads of the newest values", ":vars\r:grads\r", "TransformerEncoderLayer"),
    ("graph of attention, einsum, polygamma and cdist",
     ":graph att\r:graph ein\r:graph pg\r:graph cd\r:graph tr\r:graph torch.kron(q, q)\r",
     "PolygammaBackward0"),
    ("trace through the newest ops and odd dtypes",
     ":trace att.sum()\r:trace pg\r:trace e.sum()\r:trace h.sum()\r:trace torch.einsum('ii', z)\r"
     ":trace torch.einsum('A...->...A', q).sum()\r", "einsum(): the number of subscripts"),
    ("help on the newest names",
     ":help torch.special.zeta\r:help F.scaled_dot_product_attention\r:help torch.nn.RMSNorm\r"
     ":help torch.einsum\r:help torch.nn.init.dirac_\r", "einsum"),
]


@pytest.mark.parametrize("keys, fragment", [c[1:] for c in ROUND9_CASES],
                         ids=[c[0] for c in ROUND9_CASES])
def test_meta_commands_on_the_newest_ops_values_keep_the_prompt(repl, keys, fragment):
    _keys_keep_the_prompt(repl, ROUND9_VALUES, keys, fragment)


# ------------------------------------------------- round 12: complex, as_strided, Parameters
# values of what landed since round 11 (issue 16): complex tensors (huge, with a graph), views
# by explicit geometry, Parameter subclasses, checkpointed and pruned graphs, stale no_grad
# views of such values changed in place
ROUND12_VALUES = (
    "import torch.nn as nn\n"
    "import torch.nn.utils.prune as prune\n"
    "from torch.utils.checkpoint import checkpoint\n"
    "c = torch.tensor([complex(1, 2), complex(3e38, 1)], dtype=torch.complex64, "
    "requires_grad=True)\n"
    "ca = c.abs().sum()\n"
    "cr = torch.view_as_real(c * 2)\n"
    "cc = torch.view_as_complex(torch.ones(3, 2, requires_grad=True))\n"
    "f = torch.fft.fft(torch.ones(4, requires_grad=True))\n"
    "base = torch.arange(6.0, requires_grad=True)\n"
    "s = base.as_strided((4, 3), (1, 1))\n"
    "es = torch.empty_strided((3, 3), (1, 1))\n"
    "sc = torch.as_strided_scatter(base, torch.ones(2, 2), (2, 2), (1, 1))\n"
    "class Q(nn.Parameter):\n"
    "    def __repr__(self):\n"
    "        raise ValueError('no repr')\n"
    "p = nn.Parameter(torch.ones(2))\n"
    "q = Q(torch.ones(2))\n"
    "qi = nn.Parameter(torch.ones(2, dtype=torch.int64), requires_grad=False)\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.q = Q(torch.ones(2, 2))\n"
    "        self.lin = nn.Linear(2, 2)\n"
    "    def forward(self, x):\n"
    "        return self.lin(x) @ self.q\n"
    "m = Net()\n"
    "prune.l1_unstructured(m.lin, 'weight', amount=1)\n"
    "ck = checkpoint(lambda x: (x * 2).sin(), p, use_reentrant=False)\n"
    "ckr = checkpoint(lambda x: x.exp(), p, use_reentrant=True)\n"
    "ir = torch.ones(3, requires_grad=True).index_reduce(0, torch.tensor([0, 0]), "
    "torch.ones(2), 'prod')\n"
    "a = torch.ones(6, requires_grad=True).clone()\n"
    "with torch.no_grad():\n"
    "    v = a.as_strided((2, 2), (1, 1))\n"
    "    vc = torch.view_as_complex(a.view(3, 2))\n"
    "a.mul_(2)\n"
    "w = ones(2, requires_grad=True)\n"
)
ROUND12_CASES = [
    ("vars and grads of complex, strided and Parameter values", ":vars\r:grads\r", "Q"),
    ("graph of complex, strided, checkpointed and pruned values",
     ":graph ca\r:graph cr\r:graph cc\r:graph f\r:graph s\r:graph sc\r:graph ck\r:graph ckr\r"
     ":graph ir\r:graph v\r:graph vc\r:graph q\r:graph m(torch.ones(2))\r", "AsStridedBackward0"),
    ("trace through them",
     ":trace ca\r:trace s.sum()\r:trace sc.sum()\r:trace ck.sum()\r:trace ckr.sum()\r"
     ":trace ir.sum()\r:trace v.sum()\r:trace cr.sum()\r:trace f.abs().sum()\r"
     ":trace (c * c).sum()\r:trace m(torch.ones(2)).sum()\r", "complex"),
    ("grads after backward through them",
     "ca.backward()\rs.sum().backward()\rck.sum().backward()\r:grads\r:vars\r", "p.grad"),
]


@pytest.mark.parametrize("keys, fragment", [c[1:] for c in ROUND12_CASES],
                         ids=[c[0] for c in ROUND12_CASES])
def test_meta_commands_on_round12_values_keep_the_prompt(repl, keys, fragment):
    _keys_keep_the_prompt(repl, ROUND12_VALUES, keys, fragment)


# --- hostile20 ---
# ------------------------------------------------- round 20: views, cells, torch.func, dual
# values of what round 20 attacked (issue 16): a program class's mappingproxy and a module's
# read-only state views held while the module changes, bound methods rebound to torch's
# objects, closures' cells, lru_cache'd functions, User* and ChainMap holding host-ish data or
# chained deep, dual tensors left after their level, vmap'd and jacrev'd functions,
# checkpointed graphs, a module class with a dict base, a tensor loaded from a BytesIO
ROUND20_VALUES = (
    "import collections\n"
    "import functools\n"
    "import io\n"
    "import torch.autograd.forward_ad as fwAD\n"
    "from torch.func import vmap, jacrev\n"
    "from torch.utils.checkpoint import checkpoint\n"
    "class C:\n"
    "    x = 1\n"
    "    def f(self):\n"
    "        return self\n"
    "cd = C.__dict__\n"
    "lin = torch.nn.Linear(2, 2)\n"
    "pv, hv, vv = lin._parameters, lin._forward_hooks, vars(lin)\n"
    "lin.extra = torch.nn.Parameter(torch.ones(1))\n"
    "bm = C().f\n"
    "bmf = bm.__func__(lin)\n"
    "def mk():\n"
    "    v = torch.ones(2, requires_grad=True)\n"
    "    def g():\n"
    "        return v\n"
    "    return g\n"
    "cell = mk().__closure__[0]\n"
    "@functools.lru_cache(maxsize=None)\n"
    "def fib(n):\n"
    "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    "fib(300)\n"
    "class UD(collections.UserDict):\n"
    "    pass\n"
    "class UL(collections.UserList):\n"
    "    pass\n"
    "ud = UD()\n"
    "ud.data = lin._parameters\n"
    "ul = UL()\n"
    "ul.data = torch.ones(3, requires_grad=True)\n"
    "us = collections.UserString('s' * 10 ** 6)\n"
    "cm = collections.ChainMap()\n"
    "for i in range(10000):\n"
    "    cm = cm.new_child({'k': i})\n"
    "with fwAD.dual_level():\n"
    "    dual = fwAD.make_dual(torch.ones(2), torch.ones(2))\n"
    "    dd = dual * 3\n"
    "vf = vmap(lambda x: x * 2)\n"
    "jr = jacrev(lambda x: x.sin())(torch.ones(3, requires_grad=True))\n"
    "ck = checkpoint(lambda a: a.exp(), torch.ones(2, requires_grad=True), use_reentrant=False)\n"
    "class MD(torch.nn.Module, dict):\n"
    "    pass\n"
    "md = MD()\n"
    "buf = io.BytesIO()\n"
    "torch.save({'w': torch.ones(2, requires_grad=True)}, buf)\n"
    "buf.seek(0)\n"
    "loaded = torch.load(buf)\n"
    "w = ones(2, requires_grad=True)\n"
)
ROUND20_CASES = [
    ("vars, grads and graphs of views, cells and dual values",
     ":vars\r:grads\r:graph dual\r:graph dd\r:graph jr\r:graph ck\r:graph cell.cell_contents\r"
     ":graph ul.data\r:graph ud['weight']\r:graph loaded['w']\r:graph cd\r", "ExpBackward0"),
    ("traces and backward through them",
     ":trace ck.sum()\r:trace jr.sum()\r:trace ul.data.sum()\r:trace lin(torch.ones(2)).sum()\r"
     ":trace dd.sum()\r:trace vf(w).sum()\rck.sum().backward()\r"
     "lin(torch.ones(2)).sum().backward()\r:grads\r:vars\r", "SumBackward0"),
]


@pytest.mark.parametrize("keys, fragment", [c[1:] for c in ROUND20_CASES],
                         ids=[c[0] for c in ROUND20_CASES])
def test_meta_commands_on_round20_values_keep_the_prompt(repl, keys, fragment):
    _keys_keep_the_prompt(repl, ROUND20_VALUES, keys, fragment)
