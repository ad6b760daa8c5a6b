"""The op modules loaded on first use (gradsh/core/ops_index.py, docs/speed.md's sixteenth pass):
the recorded index is current, start-up imports none of them, and a name read first gives the
same function, with the same layers, as when every module is loaded up front."""

import json
import os
import pathlib
import subprocess
import sys

from gradsh.core import ops_index

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(code):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_recorded_index_is_current():
    # (in a fresh process: the tool also refuses an op declared in a module that only a
    # first-use module imports, which it can tell only before anything else loaded modules)
    text = _run("import importlib.util, json\n"
                "spec = importlib.util.spec_from_file_location('record_ops_index', "
                "'tools/record_ops_index.py')\n"
                "tool = importlib.util.module_from_spec(spec)\n"
                "spec.loader.exec_module(tool)\n"
                "print(json.dumps(tool.text()))\n")
    assert (ROOT / "gradsh" / "core" / "ops_index.py").read_text(encoding="utf-8") == text, \
        "gradsh/core/ops_index.py is stale: run python tools/record_ops_index.py"


# Each torch.* function's layers as a program sees them: its names, its signature, and the code
# names down its chain of wrappers (keywords, number slots, __torch_function__, out=, ...).
_DESCRIBE = """
import inspect, json, re, sys
def describe(fn):
    chain = []
    while fn is not None:
        code = getattr(fn, "__code__", None)
        chain.append((type(fn).__name__, code.co_name if code else None))
        fn = getattr(fn, "__wrapped__", None)
    return chain
def signature(fn):
    try:
        return re.sub(" at 0x[0-9a-f]+", "", str(inspect.signature(fn)))
    except (TypeError, ValueError) as e:
        return type(e).__name__
"""


_SESSION = """
from gradsh.core import ops_index
import gradsh.core
after_core = [m for m in ops_index.MODULES if m in sys.modules]
import gradsh
listed = sorted(set(ops_index.FUNCTIONS) - set(dir(gradsh)))
from gradsh.lang.runtime.session import Session
s = Session()
before = 'gradsh.core.ops.windows' in sys.modules
# torch.vmap, torch.save and torch.load live in sub-packages, resolved when named too
before_sub = [m for m in ('gradsh.func', 'gradsh.serialization') if m in sys.modules]
names = set(s.names())
try:
    s.run('print(hann_windw(4))\\n')
except Exception as e:
    message = str(e)
s.run('print(hann_window(4))\\n')
s.run('save')
session = [after_core, listed, before, 'conv2d' in names and 'hann_window' in names, message,
           'gradsh.core.ops.windows' in sys.modules, before_sub, 'vmap' in names,
           'gradsh.serialization' in sys.modules]
"""


def test_a_name_read_first_gets_the_layers_an_eager_load_gives():
    # (one process reads each name first, after a session's start-up; the other loads every
    # module before the API is made)
    names = sorted(ops_index.FUNCTIONS)
    show = ("out = {n: [getattr(gradsh, n).__name__, getattr(gradsh, n).__qualname__, "
            "signature(getattr(gradsh, n)), describe(getattr(gradsh, n))] for n in %r}\n"
            "print(json.dumps([out, session]))" % names)
    lazy, session = _run(_DESCRIBE + _SESSION + show)
    eager, _ = _run(_DESCRIBE + "from gradsh.core import bindings\nbindings.load_all()\n"
                    "import gradsh\nsession = None\n" + show)
    assert lazy == eager
    assert len(lazy) == len(ops_index.FUNCTIONS) > 40
    # start-up and a session leave the first-use modules until a program names one
    after_core, listed, before, in_names, message, loaded, before_sub, vmap, save = session
    assert after_core == [] and listed == []
    assert before is False and in_names is True
    assert message.endswith("NameError: name 'hann_windw' is not defined. Did you mean: "
                            "'hann_window'?")
    assert loaded is True
    assert before_sub == [] and vmap is True and save is True


def test_f_and_special_have_every_first_use_name():
    import gradsh.nn.functional as F
    import gradsh.special
    assert set(ops_index.NN) <= set(F.__all__)
    assert all(callable(getattr(gradsh.special, n)) for n in ops_index.SPECIAL)
