"""Branch lang21: a .grad program reads a private name of a torch object when PyTorch's object
has it and its value is data (gradsh/lang/runtime/torchprivate.py, docs/security.md). The facts
are PyTorch's (tests/data/torch_private.json, written by tools/record_torch_private.py)."""

import json
import pathlib
import sys
import warnings

import pytest

import gradsh
import gradsh.nn.utils.prune  # noqa: F401  (the cases name nn.utils.prune)
from gradsh.lang.torch_private_names import NAMES

from .helpers import run_error, run_program, run_python

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import torch_private_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "torch_private.json").read_text())
# PyTorch's private names gradsh's objects do not carry (each a .grad program's AttributeError):
# the C tensor's bookkeeping, the DataLoader's worker machinery, weak references, and the
# exponential families' natural parameters
KNOWN_MISSING = {
    "_cdata", "_has_symbolic_sizes_strides", "_python_dispatch", "_backward_hooks",
    "_post_accumulate_grad_hooks",
    "_DataLoader__multiprocessing_context", "_IterableDataset_len_called", "_auto_collation",
    "_dataset_kind", "_iterator", "_is_protocol", "_flat_weight_refs", "_mean_carrier_measure",
    "_natural_params",
    # nn.Module's: its state_dict hook tables are made at the first register_*_hook (a .grad
    # program reads lang20's views of them, empty before), and torch.compile's slot and the
    # full-backward-hook flag gradsh has no use for
    "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
    "_load_state_dict_post_hooks", "_compiled_call_impl", "_is_full_backward_hook"}
# a value of another type: PyTorch's DataLoader keeps its batch sampler, gradsh a method for it
KNOWN_OTHER = {("DataLoader", "_index_sampler")}


@pytest.fixture(scope="module")
def gradsh_objects():
    """expression -> gradsh's object of each recorded case (built once for the module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {expression: cases.build(gradsh, expression) for expression in FACTS}


def test_gradsh_objects_carry_pytorchs_private_data(gradsh_objects):
    """Every private data name PyTorch's object carries, gradsh's carries with the same value
    (plain data compared, other values by type), but the known gaps."""
    module = FACTS["nn.Module()"]["names"]
    missing, other = set(), set()
    for expression, fact in FACTS.items():
        obj = gradsh_objects[expression]
        names = {**module, **fact["names"]} if isinstance(obj, gradsh.nn.Module) \
            else fact["names"]
        for name, (type_name, value) in names.items():
            try:
                mine = getattr(obj, name)
            except AttributeError:
                missing.add(name)
                continue
            if type(mine).__name__ != type_name or value is not None and \
                    cases.plain(mine) != value:
                other.add((fact["class"], name))
    assert missing == KNOWN_MISSING
    assert other == KNOWN_OTHER


def test_the_table_names_classes_gradsh_has(gradsh_objects):
    """The gate looks PyTorch's names up by class name over the object's MRO: each class the
    table names is one of gradsh's (else its names would never be offered)."""
    ours = {c.__name__ for obj in gradsh_objects.values() for c in type(obj).__mro__}
    assert set(NAMES) <= ours


PROGRAMS = [
    "import torch\nm = torch.nn.MultiheadAttention(4, 2)\n"
    "print(m._qkv_same_embed_dim, torch.nn.MultiheadAttention(4, 2, kdim=3)._qkv_same_embed_dim)",
    "import torch\nl = torch.nn.LSTM(2, 3, num_layers=2)\nprint(l._flat_weights_names)\n"
    "print(len(l._flat_weights), l._flat_weights[0] is l.weight_ih_l0, l._all_weights[1])",
    "import torch\nopt = torch.optim.Adam([torch.nn.Parameter(torch.ones(1))])\n"
    "print(opt._zero_grad_profile_name, dict(opt._optimizer_step_pre_hooks))\n"
    "opt.register_step_pre_hook(lambda o, a, k: None)\nprint(len(opt._optimizer_step_pre_hooks))",
    "import torch\nc = torch.nn.Conv2d(1, 1, 3, padding=(1, 2))\n"
    "print(c._reversed_padding_repeated_twice)\nw = torch.ones(2, requires_grad=True)\n"
    "print(w._grad, w._grad_fn, (w * 2)._grad_fn.name(), w._version, c._version)",
    "import torch\nclass A(torch.nn.MultiheadAttention):\n    def f(self):\n"
    "        return self._qkv_same_embed_dim\nprint(A(4, 2).f())",
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_grad_program_reads_pytorchs_private_data(source):
    pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert run_program(source) == run_python(source)


@pytest.mark.parametrize("source, fragment", [
    # gradsh's own bookkeeping, which PyTorch's objects lack
    ("import torch\ntorch.ones(1)._data\n", "'_data' is not accessible"),
    ("import torch\ntorch.nn.Linear(1, 1)._SIZES\n", "'_SIZES' is not accessible"),
    # writes stay refused
    ("import torch\ntorch.nn.MultiheadAttention(4, 2)._qkv_same_embed_dim = False\n",
     "_qkv_same_embed_dim"),
])
def test_other_private_names_stay_refused(source, fragment):
    error, _ = run_error(source)
    assert fragment in error.message


def test_private_containers_are_copies():
    """A private list is the program's copy (PyTorch hands out the object's own list: a
    documented difference, docs/language.md)."""
    assert run_program("import torch\nl = torch.nn.LSTM(2, 3)\nnames = l._flat_weights_names\n"
                       "names.append('x')\nprint(len(l._flat_weights_names), len(names))") \
        == "4 5\n"


def test_private_data_holding_gradshs_function_is_refused():
    """A hook table holding gradsh's own function (print, not the program's) is not handed
    out: the whole table is refused, naming what it holds."""
    error, _ = run_error(
        "import torch\nopt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1)\n"
        "print(len(opt._optimizer_step_post_hooks))\nopt.register_step_post_hook(print)\n"
        "opt._optimizer_step_post_hooks\n")
    assert error.message.startswith("'_optimizer_step_post_hooks' is not accessible: "
                                    "SGD._optimizer_step_post_hooks holds a OrderedDict")
