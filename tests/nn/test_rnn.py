"""nn.RNN, LSTM, GRU and their cells against PyTorch 2.13's facts (tests/data/rnn.json, recorded
by tools/record_rnn.py from the cases in tests/data/rnn_cases.py): reprs, parameter names, the
initial parameters bit for bit, the outputs' grad_fn names and whole backward graphs, values and
gradients (within the rounding of the kernels underneath: docs/nn.md, "Recurrent layers"), and
the misuses' messages; the same for padded and packed batches (torch.nn.utils.rnn). Then what no recording shows: finite differences, second derivatives
through the oneDNN lane's node, and the bookkeeping of _flat_weights."""

import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

import cpu_capability

import gradsh
from gradsh import nn
from gradsh.core import rnn_functional as R

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import rnn_cases  # noqa: E402

FACTS = json.loads((DATA / "rnn.json").read_text())["facts"]
KEYS = [(c, d) for c in rnn_cases.CASES for d in rnn_cases.DTYPES]
# |gradsh - PyTorch| <= TOLERANCE * max |PyTorch| per tensor: numpy's tanh, sigmoid and BLAS
# round a last bit differently from PyTorch's kernels (measured: 2.2e-7 and 6.8e-16 at most)
TOLERANCE = {"float32": 2e-6, "float64": 1e-14}
EXACT = ("repr", "names", "init", "shapes", "nodes", "graph")


def _within(want, got, tol):
    for w, g in zip(want, got, strict=True):
        if w is None or g is None:
            assert w is g
            continue
        w, g = np.array(w), np.array(g)
        assert w.shape == g.shape
        if w.size:
            assert np.abs(w - g).max() <= tol * np.abs(w).max()


@pytest.mark.parametrize("case,dtype", KEYS, ids=[rnn_cases.key(c, d) for c, d in KEYS])
def test_module_matches_pytorch(case, dtype):
    want = FACTS[rnn_cases.key(case, dtype)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = rnn_cases.run(gradsh, case, dtype)
    assert {k: got[k] for k in EXACT} == {k: want[k] for k in EXACT}
    _within(want["out"], got["out"], TOLERANCE[dtype])
    _within(want["grads"], got["grads"], TOLERANCE[dtype])


PACKED = [(c, d) for c in rnn_cases.PACKED for d in rnn_cases.DTYPES]


@pytest.mark.parametrize("case,dtype", PACKED, ids=[rnn_cases.packed_key(c, d) for c, d in PACKED])
def test_packed_batch_matches_pytorch(case, dtype):
    """pad_sequence -> pack_padded_sequence -> the layer -> pad_packed_sequence."""
    want = FACTS[rnn_cases.packed_key(case, dtype)]
    got = rnn_cases.run_packed(gradsh, case, dtype)
    exact = ("padded", "packed", "lengths", "graph")
    assert {k: got[k] for k in exact} == {k: want[k] for k in exact}
    _within(want["out"], got["out"], TOLERANCE[dtype])
    _within(want["grads"], got["grads"], TOLERANCE[dtype])


@pytest.mark.parametrize("label", list(rnn_cases.ERRORS))
def test_misuse_is_refused_with_pytorchs_words(label):
    assert rnn_cases.error(gradsh, label) == FACTS["error: " + label]


def test_live_pytorch_gives_the_recorded_facts():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live check skipped")
    cpu_capability.skip_unless_recorded_here(torch, "rnn.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stale = [rnn_cases.key(c, d) for c, d in KEYS[::3]
                 if rnn_cases.run(torch, c, d) != FACTS[rnn_cases.key(c, d)]]
    stale += [rnn_cases.packed_key(c, d) for c, d in PACKED
              if rnn_cases.run_packed(torch, c, d) != FACTS[rnn_cases.packed_key(c, d)]]
    stale += [label for label in rnn_cases.ERRORS
              if rnn_cases.error(torch, label) != FACTS["error: " + label]]
    assert not stale, f"re-record with python tools/record_rnn.py: {stale[:5]}"


# ----- derivatives ---------------------------------------------------------------------------
LAYERS = [("RNN_TANH", dict(num_layers=2, bidirectional=True)), ("RNN_RELU", {}),
          ("GRU", dict(batch_first=True)), ("LSTM", dict(proj_size=1)),
          ("LSTM", dict(num_layers=2))]
MODULES = {"RNN_TANH": nn.RNN, "RNN_RELU": nn.RNN, "GRU": nn.GRU, "LSTM": nn.LSTM}


@pytest.mark.parametrize("mode,kwargs", LAYERS, ids=[m + str(k) for m, k in LAYERS])
def test_layer_gradients_match_finite_differences_to_second_order(mode, kwargs):
    """The input, h_0 and every weight of torch.rnn_tanh / rnn_relu / gru / lstm's composition."""
    gradsh.manual_seed(1)
    extra = {"nonlinearity": "relu"} if mode == "RNN_RELU" else {}
    m = MODULES[mode](2, 2, dtype=gradsh.float64, **kwargs, **extra)
    x = gradsh.randn(2, 3, 2, dtype=gradsh.float64, requires_grad=True)
    batch = x.shape[0] if m.batch_first else x.shape[1]
    h0 = gradsh.randn(m.num_layers * (1 + m.bidirectional), batch, m.proj_size or 2,
                      dtype=gradsh.float64, requires_grad=True)
    c0 = gradsh.zeros(m.num_layers * (1 + m.bidirectional), batch, 2, dtype=gradsh.float64)
    weights = [w.detach().requires_grad_() for w in m._flat_weights]

    def f(x, h0, *weights):
        hx = (h0, c0) if mode == "LSTM" else h0
        return R.run_layers(mode, x, hx, weights, True, m.num_layers, 0.0, False,
                            m.bidirectional, m.batch_first)

    assert gradsh.autograd.gradcheck(f, (x, h0, *weights))
    # second order for the input, h_0 and one recurrent weight (the rest held): fewer columns
    assert gradsh.autograd.gradgradcheck(
        lambda x, h0, w_hh: f(x, h0, weights[0], w_hh, *weights[2:]), (x, h0, weights[1]))


def test_onednn_lane_derivatives_are_those_of_the_steps():
    """A float32 LSTM records one MkldnnRnnLayerBackward0 per layer; its first and second
    derivatives equal the float64 steps' (rounded to float32)."""
    gradsh.manual_seed(2)
    m64 = nn.LSTM(3, 4, num_layers=2, dtype=gradsh.float64)
    x64 = gradsh.randn(5, 2, 3, dtype=gradsh.float64)
    m32 = nn.LSTM(3, 4, num_layers=2)
    m32.load_state_dict({k: v.float() for k, v in m64.state_dict().items()})
    grads = {}
    for dtype, m, x in ((gradsh.float32, m32, x64.float()), (gradsh.float64, m64, x64)):
        x = x.requires_grad_()
        out, (h, c) = m(x)
        loss = (out * out).sum() + h.sum() + (c * c).sum()
        gx, gw = gradsh.autograd.grad(loss, [x, m.weight_ih_l1], create_graph=True)
        ggx, = gradsh.autograd.grad((gw * gw).sum(), [x])
        grads[dtype] = [t.detach().double().numpy() for t in (gx, gw, ggx)]
        assert out.grad_fn.name() == ("MkldnnRnnLayerBackward0" if dtype == gradsh.float32
                                      else "StackBackward0")
    for a, b in zip(grads[gradsh.float32], grads[gradsh.float64]):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-5 * np.abs(b).max())


# ----- bookkeeping ---------------------------------------------------------------------------
def test_flat_weights_follow_assignment_and_conversion():
    m = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    assert [n for n, _ in m.named_parameters()] == m._flat_weights_names
    assert all(a is b for a, b in zip(m._flat_weights, m.parameters()))
    new = nn.Parameter(gradsh.zeros(12, 3))
    m.weight_ih_l0 = new
    assert m._flat_weights[0] is new and m.all_weights[0][0] is new
    m.double()
    assert m._flat_weights[0] is m.weight_ih_l0 and m._flat_weights[0].dtype == gradsh.float64
    assert m.flatten_parameters() is None
    assert [len(ws) for ws in m.all_weights] == [4, 4, 4, 4]


def test_unsafe_chunk_pieces_are_not_views_and_may_be_written():
    x = gradsh.arange(6.0, requires_grad=True) * 1
    safe, unsafe = x.chunk(2)[0], x.unsafe_chunk(2)[0]
    assert safe._base is x and unsafe._base is None
    with pytest.raises(RuntimeError, match="is a view and is being modified inplace"):
        safe.mul_(2)
    assert unsafe.mul_(2).grad_fn.name() == "MulBackward0"
