"""grad_fn._saved_<name>: the names PyTorch's nodes show for what they saved (dir(grad_fn)),
for each case of tools/record_saved_names.py, recorded from PyTorch 2.13 into
tests/data/saved_names.json. gradsh's rules keep short math names; gradsh/core/saved_names.py
renames them. Cases whose node saves other values than PyTorch's are strict xfails (KNOWN)."""

import json
import pathlib
import sys

import pytest

import gradsh

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from record_saved_names import CASES, INPUTS, saved_names  # noqa: E402

FACTS = json.loads((ROOT / "tests" / "data" / "saved_names.json").read_text())["facts"]
KNOWN = {
    "unfold": "Tensor.unfold is not provided",
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    strict=True, reason=KNOWN[n])) if n in KNOWN else n for n in CASES])
def test_node_shows_pytorchs_saved_names(name):
    assert saved_names(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert sorted(FACTS) == sorted(CASES), "run: python tools/record_saved_names.py"


def test_reduction_reads_as_pytorchs_enum_number():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    fn = gradsh.nn.functional.mse_loss(x, gradsh.zeros(2), reduction="sum").grad_fn
    assert fn._saved_reduction == 2


# The values the nodes above save, as PyTorch 2.13 shows them (read off its nodes for the cases
# of tools/record_saved_names.py): the ones gradsh saves for PyTorch's sake or computes when read
# (saved_names.DERIVED).
VALUES = {
    "rpow": {"_saved_self": 2},
    "squeeze": {"_saved_dim": 0, "_saved_self_sym_sizes": (1, 2, 3)},
    "gather": {"_saved_dim": 1, "_saved_sparse_grad": False},
    "mm": {"_saved_self_sym_strides": (3, 1), "_saved_mat2_sym_strides": (1, 3)},
    "linear": {"_saved_self_sym_strides": (3, 1), "_saved_mat2_sym_strides": (1, 3)},
    "split": {"_saved_dim": 0, "_saved_split_size": 1},
    "chunk": {"_saved_dim": 1, "_saved_split_size": 1},
    "elu": {"_saved_input_scale": 1, "_saved_scale": 1, "_saved_alpha": 1.0},
    "layer_norm": {"_saved_bias": None, "_saved_weight": None, "_saved_normalized_shape": (3,)},
    "mean_dim": {"_saved_self_sym_numel": 6, "_saved_dim": (0,), "_saved_keepdim": True},
}


def _node(T, name):
    scope = {n: T.tensor(v, requires_grad=True) for n, v in INPUTS.items()}
    scope.update(torch=T, F=T.nn.functional)
    return eval(CASES[name], scope).grad_fn


@pytest.mark.parametrize("name", list(VALUES))
def test_node_shows_pytorchs_saved_values(name):
    fn = _node(gradsh, name)
    for attr, want in VALUES[name].items():
        got = getattr(fn, attr)
        assert got == want and type(got) is type(want), (attr, got, want)


def test_saved_tensors_as_pytorchs():
    assert _node(gradsh, "rpow")._saved_exponent.tolist() == INPUTS["x"]
    assert _node(gradsh, "gather")._saved_self.tolist() == INPUTS["x"]
    # layer_norm's mean and 1 / sqrt(var + eps) (PyTorch: [[-0.1667], [0.7500]], [[0.7620],
    # [0.5985]] in float32)
    fn = _node(gradsh, "layer_norm")
    assert fn._saved_result1.shape == fn._saved_result2.shape == (2, 1)
    assert fn._saved_result1.dtype == gradsh.float32
    assert [round(v, 4) for v in fn._saved_result1.view(-1).tolist()] == [-0.1667, 0.75]
    assert [round(v, 4) for v in fn._saved_result2.view(-1).tolist()] == [0.762, 0.5985]


def test_saved_index_keeps_its_dtype_and_a_negative_dim_reads_as_pytorchs():
    x = gradsh.ones(2, 3, requires_grad=True)
    i = gradsh.tensor([[0], [2]], dtype=gradsh.int32)
    assert x.gather(1, i).grad_fn._saved_index.dtype == gradsh.int32
    assert x[None].squeeze(-3).grad_fn._saved_dim == 18446744073709551613  # PyTorch's uint64
    assert x.split(5)[0].grad_fn._saved_split_size == 5


@pytest.mark.parametrize("op", [lambda z: z.gather(1, gradsh.tensor([[0], [2]])),
                                lambda z: 2 ** z])
def test_a_saved_input_changed_in_place_is_refused_as_pytorch(op):
    x = gradsh.ones(2, 3, requires_grad=True)
    z = x * 1
    y = op(z)
    z.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_saved_values_match_pytorch_live():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for saved values")
    for name in VALUES:
        want, got = _node(torch, name), _node(gradsh, name)
        for attr in sorted(n for n in dir(want) if n.startswith("_saved_")):
            a, b = getattr(want, attr), getattr(got, attr)
            if isinstance(a, torch.Tensor):
                assert b.tolist() == a.tolist() or name == "layer_norm", (name, attr)
                assert str(b.dtype) == str(a.dtype), (name, attr)
            else:
                assert a == b, (name, attr, a, b)
