"""A tensor where PyTorch's signature has a number (issue 15, "number slots"): PyTorch's parser
reads a 0-d tensor without grad as the number it holds, and refuses a 0-d tensor that requires
grad and any tensor of one dimension or more ("full(): argument 'fill_value' (position 2) must
be Number, not Tensor"). gradsh/core/number_slots.py does the same at one place, a wrapper on
each function with such a slot (docs/autograd.md, "Argument errors").

The calls and PyTorch 2.13's outcomes are tests/data/number_slots.json (recorded by
tools/record_number_slots.py from tests/data/number_slot_cases.py: each number parameter of
gradsh/core/signatures.txt, and hand-written calls of PyTorch's Python functions, given a 0-d
tensor requiring grad, a 1-element 1-d tensor, a 2x2 tensor and 0-d float and integer tensors).
They run in .grad programs and under `import gradsh as torch`.
"""

import ast
import contextlib
import io
import json
import linecache
import pathlib
import sys
import warnings

import pytest

from gradsh.core import number_slots

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data" / "number_slots.json"
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "data"))
import number_slot_cases  # noqa: E402
import update_number_slots  # noqa: E402

# PyTorch refuses these at run time, not in its parser, where gradsh runs them: a tensor given
# by position to scatter picks its `src` overload, and PyTorch's index check refuses its shape
KNOWN_ACCEPTED = set()  # (scatter with a 0-d src: PyTorch's checks since branch adv3a)
# calls PyTorch runs that gradsh refuses: names gradsh has not (none since Tensor.renorm came,
# branch linalg2), PyTorch's deprecated signatures with the number first (add(alpha, other)),
# bernoulli_ with a tensor p, normal with an integer mean
MISSING_NAMES = ()
KNOWN_REFUSED_PREFIXES = MISSING_NAMES + ("t.bernoulli_(",
                          "t.add(f0,", "t.add(i0,", "t.add_(f0,", "t.add_(i0,", "t.sub(f0,",
                          "t.sub(i0,", "t.sub_(f0,", "t.sub_(i0,", "t.subtract(2,",
                          "t.subtract_(2,", "torch.add(t, f0,", "torch.add(t, i0,",
                          "torch.sub(t, f0,", "torch.sub(t, i0,", "torch.subtract(t, 2,",
                          "torch.rsub(t, 2,", "torch.normal(i0,") + tuple(
    # addcmul/addcdiv's deprecated (value, tensor1, tensor2), and F.elu_'s scale and
    # input_scale, which gradsh's elu_ does not take (PyTorch's C function has them)
    call % number for number in ("f0", "i0") for call in (
        "t.addcmul(%s,", "t.addcmul_(%s,", "t.addcdiv(%s,", "t.addcdiv_(%s,",
        "torch.addcmul(t, %s,", "torch.addcdiv(t, %s,")) + ("F.elu_(t, 2, ",)

_NAMES = """    t = torch.ones(2, 3)
    t22 = torch.ones(2, 2)
    g0 = torch.tensor(0.5, requires_grad=True)
    t1 = torch.ones(1)
    f0 = torch.tensor(0.5)
    i0 = torch.tensor(1)
"""
_CASE = """def case():
{names}    try:
        {source}
        print("None")
    except Exception as e:
        print(repr([type(e).__name__, str(e)]))
case()
"""
CHUNK = 300


def _program(sources):
    return "".join(_CASE.format(names=_NAMES, source=s) for s in sources)


def run_in_gradsh(sources):
    from gradsh.lang import Session
    out = io.StringIO()
    for at in range(0, len(sources), CHUNK):
        program = "import torch\nimport torch.nn.functional as F\n" + _program(
            sources[at:at + CHUNK])
        Session(stdout=out, stderr=io.StringIO()).run(program, "number_slots.grad")
    return [ast.literal_eval(line) for line in out.getvalue().splitlines()]


def run_in_python(sources):
    program = "import gradsh as torch\nimport gradsh.nn.functional as F\n" + _program(sources)
    filename = "<number slots>"
    linecache.cache[filename] = (len(program), None, program.splitlines(True), filename)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(program, filename, "exec"), {"__name__": "number_slots_program"})
    finally:
        del linecache.cache[filename]
    return [ast.literal_eval(line) for line in out.getvalue().splitlines()]


def _facts():
    return json.loads(DATA.read_text())["facts"]


@pytest.fixture(scope="module", params=["grad", "python"])
def outcomes(request):
    facts = _facts()
    sources = sorted(facts)
    run = run_in_gradsh if request.param == "grad" else run_in_python
    return facts, dict(zip(sources, run(sources)))


def _known_refused(source):
    return source.startswith(KNOWN_REFUSED_PREFIXES)


def test_the_sweep_covers_every_kind_of_tensor_and_many_names():
    facts = _facts()
    assert len(facts) > 1000
    for tensor in number_slot_cases.TENSORS:
        assert sum(tensor in s for s in facts) > 150
    assert sum(v is not None and "must be Number, not Tensor" in v[1] for v in facts.values()) \
        > 100


def test_no_call_pytorch_refuses_runs(outcomes):
    facts, got = outcomes
    accepted = sorted(s for s, mine in got.items()
                      if mine is None and facts[s] is not None and s not in KNOWN_ACCEPTED)
    assert not accepted, "\n".join("%s\n  torch: %s" % (s, facts[s]) for s in accepted[:20])


def test_a_tensor_in_a_number_slot_gets_pytorchs_exception_and_message(outcomes):
    """Every refusal worded by PyTorch's parser for a tensor (and the ambiguous-bool error of
    the Python functions that compare the number first) is gradsh's, word for word."""
    facts, got = outcomes
    differ = {s: (facts[s], got[s]) for s in facts if facts[s] is not None
              and ("not Tensor" in facts[s][1] or "got (" in facts[s][1]
                   and "Tensor" in facts[s][1] or "0-dimensional" in facts[s][1])
              and got[s] != facts[s] and s not in KNOWN_ACCEPTED
              and not s.startswith(MISSING_NAMES)}
    assert not differ, "\n".join("%s\n  torch:  %s\n  gradsh: %s" % (s, t, m)
                                 for s, (t, m) in sorted(differ.items())[:20])


def test_a_0d_tensor_without_grad_is_read_as_its_number(outcomes):
    facts, got = outcomes
    refused = sorted(s for s, mine in got.items()
                     if facts[s] is None and mine is not None and not _known_refused(s))
    assert not refused, "\n".join("%s\n  gradsh: %s" % (s, got[s]) for s in refused[:20])


def test_the_known_lists_are_still_needed(outcomes):
    facts, got = outcomes
    for s in KNOWN_ACCEPTED:
        assert got[s] is None and facts[s] is not None, s
    assert all(got[s] is not None for s in facts if facts[s] is None and _known_refused(s))


def test_the_slot_table_is_current():
    """SLOTS is generated from signatures.txt (python tools/update_number_slots.py)."""
    assert number_slots.SLOTS == update_number_slots.slots()


def test_the_wrapped_functions_keep_their_names_and_documentation():
    import gradsh as torch
    import gradsh.nn.functional as F
    assert torch.full.__name__ == "full" and torch.full.__doc__
    assert torch.Tensor.clamp.__qualname__ == "Tensor.clamp" or \
        torch.Tensor.clamp.__qualname__.endswith("clamp")
    assert F.leaky_relu.__wrapped__.__name__ == "leaky_relu"
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    y = F.leaky_relu(x, torch.tensor(0.5))  # a 0-d tensor without grad is the number 0.5
    assert y.tolist() == [-0.5, 2.0] and type(y.grad_fn).__name__ == "LeakyReluBackward0"
    with pytest.raises(TypeError, match=r"leaky_relu\(\): argument 'negative_slope' "
                       r"\(position 2\) must be Number, not Tensor"):
        F.leaky_relu(x, torch.tensor(0.5, requires_grad=True))


def test_each_surface_reads_the_tables_entries_in_their_order():
    # (guard reads them through an index made once: the same entries as walking the tables)
    tables = [(k, v, False) for k, v in number_slots.SLOTS.items()] + \
        [(k, v, True) for k, v in number_slots.PYTHON_SLOTS.items()] + \
        [(k, None, False) for k in number_slots.STRICT
         if k not in number_slots.SLOTS and k not in number_slots.PYTHON_SLOTS]
    surfaces = {k.partition(".")[0] for k, _, _ in tables}
    assert {"torch", "Tensor", "F", "linalg", "special"} <= surfaces
    for surface in surfaces | {"fft"}:
        walked = [(k, k.partition(".")[2], v, p) for k, v, p in tables
                  if k.partition(".")[0] == surface and k not in number_slots.CHECKED_INSIDE]
        assert list(number_slots._surface_entries(surface)) == walked, surface
        # ... and a few names' entries (a torch.* function layered when first read) are theirs
        for name in {n for _, n, _, _ in walked}:
            assert number_slots._named_entries(surface, [name]) == [
                e for e in walked if e[1] == name], (surface, name)


def test_the_strict_table_is_current_and_leaves_the_hot_paths_alone():
    """STRICT is generated from signatures.txt too; the hot paths' ops have no wrapper."""
    assert number_slots.STRICT == update_number_slots.strict()
    assert not any(key.split(".", 1)[1] in update_number_slots.HOT for key in number_slots.STRICT)


@pytest.mark.parametrize("call, message", [
    (lambda torch, t: t.svd(1.5), "svd(): argument 'some' (position 1) must be bool, not float"),
    (lambda torch, t: torch.rot90(t, 1.5),
     "rot90(): argument 'k' (position 2) must be int, not float"),
    (lambda torch, t: torch.fmax(t, 1.5),
     "fmax(): argument 'other' (position 2) must be Tensor, not float"),
    (lambda torch, t: t.tile(), 'tile() missing 1 required positional arguments: "dims"'),
    (lambda torch, t: torch.linalg.svd(t, "a"),
     "linalg_svd(): argument 'full_matrices' (position 2) must be bool, not str"),
])
def test_a_call_gradsh_would_run_is_refused_before_it_runs(call, message):
    """Calls gradsh's functions took and PyTorch's parser refuses (recorded in the sweep,
    tests/data/argument_errors.json): refused up front with PyTorch's words."""
    import gradsh as torch
    with pytest.raises(TypeError) as e:
        call(torch, torch.ones(2, 3))
    assert str(e.value) == message


def test_a_0d_integer_tensor_where_an_int_fits_is_that_int():
    import gradsh as torch
    t = torch.arange(6.0).reshape(2, 3)
    parts = t.hsplit(torch.tensor(3))
    assert [p.tolist() for p in parts] == [[[0.0], [3.0]], [[1.0], [4.0]], [[2.0], [5.0]]]
    assert torch.bartlett_window(torch.tensor(3)).shape == (3,)
