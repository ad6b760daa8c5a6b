"""Run the recorded sweep of wrong torch calls (tests/data/argument_errors.json) in gradsh, each
caught in a .grad program's try/except, and sort the outcomes against PyTorch's.

Also a script, so a checkout without this change can be measured the same way:
    python tests/lang/argument_sweep.py        # prints the counts
"""

import ast
import contextlib
import io
import json
import linecache
import pathlib
import warnings

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "argument_errors.json"
# calls with the odd values below (tools/record_signatures.py, MORE_WRONG)
MORE_DATA = DATA.with_name("argument_errors_more.json")

# Values a program can make that PyTorch's parser meets: an __index__ that raises or returns a
# float, a __float__ that raises (defined in every sweep program, and in the recording tool)
ODD_VALUES = """class RaisingIndex:
    def __index__(self):
        raise ValueError("no index")


class FloatIndex:
    def __index__(self):
        return 1.5


class RaisingFloat:
    def __float__(self):
        raise ValueError("no float")
"""

# each case in its own function (small code objects) and try; `t` fresh (a case may change it
# in place); the arguments made by a call (`FloatIndex()`) bound to names first
_CASE = """def case():
    t = torch.ones(2, 3)
{bound}    try:
        {source}
        print("None")
    except Exception as e:
        print(repr([type(e).__name__, str(e)]))
case()
"""


def _case(source):
    """The case's program text: an argument made by a call is evaluated before the call and
    passed by a name, as PyTorch's recording evaluated it before its parser saw it. gradsh reads
    a failed call's arguments back from the source (core/callreader.py) and never runs a
    program's code to do so: passed inline, `FloatIndex()` would be unreadable, and the sweep
    would test the reader's limit instead of the argument checks."""
    call = ast.parse(source, mode="eval").body
    bound = []
    if isinstance(call, ast.Call):
        for holder, field in [(call.args, i) for i in range(len(call.args))] + [
                (k, "value") for k in call.keywords]:
            node = holder[field] if isinstance(holder, list) else getattr(holder, field)
            if isinstance(node, ast.Call):
                name = f"_arg{len(bound)}"
                bound.append(f"    {name} = {ast.unparse(node)}\n")
                new = ast.Name(id=name, ctx=ast.Load())
                if isinstance(holder, list):
                    holder[field] = new
                else:
                    setattr(holder, field, new)
        if bound:
            source = ast.unparse(call)
    return _CASE.format(bound="".join(bound), source=source)


def recorded():
    facts = json.loads(DATA.read_text())["facts"]
    facts.update(json.loads(MORE_DATA.read_text())["facts"])
    return facts


CHUNK = 400  # cases per program (a program has a size limit)


def run_in_gradsh(sources):
    """What each call gives in a .grad program: None, or [exception type, message]."""
    from gradsh.lang import Session
    out = io.StringIO()
    for at in range(0, len(sources), CHUNK):
        program = "import torch\nimport torch.nn.functional as F\n" + ODD_VALUES + "".join(
            _case(s) for s in sources[at:at + CHUNK])
        Session(stdout=out, stderr=io.StringIO()).run(program, "sweep.grad")
    return [ast.literal_eval(line) for line in out.getvalue().splitlines()]


_PYTHON_PREAMBLE = "import gradsh as torch\nimport gradsh.nn.functional as F\n"


def run_in_python(sources):
    """What each call gives in a Python program under `import gradsh as torch`: None, or
    [exception type, message]. The program's source is put in linecache, as IPython puts a
    cell's, so that tracebacks (and gradsh's reading of a failed call) find it."""
    program = _PYTHON_PREAMBLE + ODD_VALUES + "".join(_case(s) for s in sources)
    filename = "<argument sweep>"
    linecache.cache[filename] = (len(program), None, program.splitlines(True), filename)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(program, filename, "exec"), {"__name__": "argument_sweep_program"})
    finally:
        del linecache.cache[filename]
    return [ast.literal_eval(line) for line in out.getvalue().splitlines()]


def outcomes(facts, run=None):
    """source -> 'same', 'other' (gradsh fails otherwise), 'accepted' (gradsh runs a call
    PyTorch refuses) or 'refused' (gradsh refuses a call PyTorch runs); run: run_in_gradsh
    (the default) or run_in_python."""
    sources = sorted(facts)
    got = (run or run_in_gradsh)(sources)
    sorted_out = {}
    for source, mine in zip(sources, got):
        theirs = facts[source]
        if theirs is None:
            sorted_out[source] = "refused" if mine is not None else "both run"
        elif mine is None:
            sorted_out[source] = "accepted"
        else:
            sorted_out[source] = "same" if mine == theirs else "other"
    return sorted_out, dict(zip(sources, got))


if __name__ == "__main__":
    import collections
    for way, run in (("a .grad program", run_in_gradsh), ("import gradsh as torch", run_in_python)):
        result, _ = outcomes(recorded(), run)
        print(way, dict(collections.Counter(result.values())))
