"""Recurrent cells and layers composed as PyTorch 2.13's CPU code composes them
(aten/src/ATen/native/RNN.cpp), so the graphs have PyTorch's nodes and the values its roundings.

A cell step adds the hidden state's projection and the input's projection
(`linear(h, w_hh, b_hh) + linear(x, w_ih, b_ih)`), cuts the gates with `unsafe_chunk` (LSTM:
input, forget, cell, output; GRU: reset, update, new) and combines them in ATen's operand order.
A layer projects the whole sequence's input with one `linear` over (T, B, I) and unbinds it into
steps, runs the cell along the steps (from the end for the reverse direction) and stacks the
hidden states; a bidirectional layer concatenates its directions on the last dim, and dropout
(PyTorch's draws) goes between layers in training.
"""

import warnings
from collections import namedtuple

from . import errors
from . import nn_functional as F
from .dtypes import float32
from .grad_mode import no_grad
from .node import with_outputs
from .ops.base import needs_grad, record_multi, rule, save
from .ops.composite import rerun_vjp
from .ops.registry import declare
from .ops.shape import cat, stack, unbind

# one layer and direction's weights (b_ih, b_hh, w_hr may be None), ATen's CellParams
Weights = namedtuple("Weights", "w_ih w_hh b_ih b_hh w_hr")


# ----- one step, from the input's projection xw ---------------------------------------------
# ATen's own in-place ops, so that the graphs are PyTorch's: an in-place mul_ saves a clone of
# the value it overwrites, and that CloneBackward0 shows in the double-backward graph.
def _tanh_step(xw, h, p):
    return F.linear(h, p.w_hh, p.b_hh).add_(xw).tanh()


def _relu_step(xw, h, p):
    return F.linear(h, p.w_hh, p.b_hh).add_(xw).relu()


def _lstm_step(xw, hidden, p):
    h, c = hidden
    i, f, g, o = F.linear(h, p.w_hh, p.b_hh).add_(xw).unsafe_chunk(4, 1)
    i, f, g, o = i.sigmoid_(), f.sigmoid_(), g.tanh_(), o.sigmoid_()
    c = (f * c).add_(i * g)
    h = o * c.tanh()
    return (h if p.w_hr is None else h.matmul(p.w_hr.t())), c


def _gru_step(xw, h, p):
    x_r, x_z, x_n = xw.unsafe_chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, p.w_hh, p.b_hh).unsafe_chunk(3, 1)
    r = h_r.add_(x_r).sigmoid_()
    z = h_z.add_(x_z).sigmoid_()
    n = x_n.add(h_n.mul_(r)).tanh_()
    return (h - n).mul_(z).add_(n)


STEPS = {"RNN_TANH": _tanh_step, "RNN_RELU": _relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


# ----- cells: torch.rnn_tanh_cell, rnn_relu_cell, lstm_cell, gru_cell ------------------------
GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}  # blocks of hidden_size rows


def _check_cell(mode, input, hiddens, w_ih, w_hh):
    """ATen's checks of a cell's weights (their rows: gates * hidden_size), input and hiddens."""
    gates, hidden_size = GATES[mode], w_hh.shape[1]
    for name, w in (("weight_ih", w_ih), ("weight_hh", w_hh)):
        if w.shape[0] != gates * hidden_size:
            raise RuntimeError(f"{name} first dim must be {gates} * hidden_size = "
                               f"{gates * hidden_size}, but got {w.shape[0]}")
    if input.shape[1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected "
                           f"{w_ih.shape[1]}")
    for k, h in enumerate(hiddens):
        if input.shape[0] != h.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} "
                               f"batch size {h.shape[0]}")
        if h.shape[1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.shape[1]}, "
                               f"expected {w_hh.shape[1]}")


def _cell(mode, input, hx, w_ih, w_hh, b_ih, b_hh):
    hidden = tuple(hx) if mode == "LSTM" else hx
    _check_cell(mode, input, hidden if mode == "LSTM" else (hx,), w_ih, w_hh)
    p = Weights(w_ih, w_hh, b_ih, b_hh, None)
    return STEPS[mode](F.linear(input, w_ih, b_ih), hidden, p)


@declare(method=False)
def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """tanh(x W_ih^T + b_ih + h W_hh^T + b_hh): one step of nn.RNNCell."""
    return _cell("RNN_TANH", input, hx, w_ih, w_hh, b_ih, b_hh)


@declare(method=False)
def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """relu(x W_ih^T + b_ih + h W_hh^T + b_hh): one step of nn.RNNCell(nonlinearity='relu')."""
    return _cell("RNN_RELU", input, hx, w_ih, w_hh, b_ih, b_hh)


@declare(method=False)
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of nn.LSTMCell: hx is (h, c); returns (h', c')."""
    if len(hx) != 2:
        raise RuntimeError("lstm_cell expects two hidden states")
    return _cell("LSTM", input, hx, w_ih, w_hh, b_ih, b_hh)


@declare(method=False)
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of nn.GRUCell."""
    return _cell("GRU", input, hx, w_ih, w_hh, b_ih, b_hh)


# ----- layers --------------------------------------------------------------------------------
def _direction(step, xs, hidden, p, reverse):
    """Run one direction over the projected steps xs: (the stacked outputs, the last hidden)."""
    outs = []
    for xw in (reversed(xs) if reverse else xs):
        hidden = step(xw, hidden, p)
        outs.append(hidden[0] if isinstance(hidden, tuple) else hidden)
    if not outs:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    if reverse:
        outs.reverse()
    return stack(outs, 0), hidden


def _layer(step, x, hidden, p, reverse):
    """One layer and direction over the whole sequence x: (outputs, final hidden)."""
    return _direction(step, unbind(F.linear(x, p.w_ih, p.b_ih), 0), hidden, p, reverse)


def _layers(layer, x, hiddens, weights, num_layers, dropout, train, directions):
    """ATen's apply_layer_stack: (the last layer's output, every layer and direction's final
    hidden, in the order of `hiddens`); layer(x, hidden, weights, reverse) runs one."""
    finals = []
    for n in range(num_layers):
        outs = []
        for d in range(directions):
            k = n * directions + d
            out, h = layer(x, hiddens[k], weights[k], d == 1)
            outs.append(out)
            finals.append(h)
        x = outs[0] if directions == 1 else cat(outs, outs[0].ndim - 1)
        if dropout and train and n < num_layers - 1:
            x = F.dropout(x, dropout, True)
    return x, finals


# ----- packed sequences: ATen's PackedLayer and ReversedPackedLayer -------------------------
# The steps of a PackedSequence's data are its rows in groups of batch_sizes[t] (decreasing):
# going forward, the sequences that have ended leave the hidden state (kept for the final
# hidden); going backward, they join it, from h_0, when their last step comes.
def _hidden_slice(hidden, start, end):
    if isinstance(hidden, tuple):
        return tuple(h.narrow(0, start, end - start) for h in hidden)
    return hidden.narrow(0, start, end - start)


def _hidden_concat(hiddens):
    if isinstance(hiddens[0], tuple):
        return tuple(cat([h[k] for h in hiddens], 0) for k in range(len(hiddens[0])))
    return cat(hiddens, 0)


def _as_output(hidden):
    return hidden[0] if isinstance(hidden, tuple) else hidden


def _packed_forward(step, xw, sizes, hidden, p):
    outs, ended = [], []
    offset, last = 0, sizes[0]
    for size in sizes:
        x = xw.narrow(0, offset, size)
        offset += size
        if last > size:
            ended.append(_hidden_slice(hidden, size, last))
            hidden = _hidden_slice(hidden, 0, size)
        last = size
        hidden = step(x, hidden, p)
        outs.append(_as_output(hidden))
    ended.append(hidden)
    return cat(outs, 0), _hidden_concat(ended[::-1])


def _packed_reverse(step, xw, sizes, h0, p):
    outs = []
    offset, last = xw.shape[0], sizes[-1]
    hidden = _hidden_slice(h0, 0, last)
    for size in reversed(sizes):
        if size > last:
            hidden = _hidden_concat([hidden, _hidden_slice(h0, last, size)])
        x = xw.narrow(0, offset - size, size)
        offset -= size
        last = size
        hidden = step(x, hidden, p)
        outs.append(_as_output(hidden))
    return cat(outs[::-1], 0), hidden


def run_packed_layers(mode, data, batch_sizes, hx, flat, has_biases, num_layers, dropout, train,
                      bidirectional):
    """torch.rnn_tanh / rnn_relu / gru / lstm on a packed sequence (data, batch_sizes): the
    output's data and the final hidden state(s), as run_layers returns them."""
    sizes = [int(b) for b in batch_sizes.tolist()]
    lstm = mode == "LSTM"
    projections = lstm and hx[0].shape[2] != hx[1].shape[2]

    def layer(x, hidden, p, reverse):
        xw = F.linear(x, p.w_ih, p.b_ih)
        return (_packed_reverse if reverse else _packed_forward)(STEPS[mode], xw, sizes, hidden,
                                                                 p)

    hiddens = list(zip(hx[0].unbind(0), hx[1].unbind(0))) if lstm else hx.unbind(0)
    out, finals = _layers(layer, data, hiddens, gather_weights(flat, has_biases, projections),
                          num_layers, dropout, train, 2 if bidirectional else 1)
    if lstm:
        return out, stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0)
    return out, stack(finals, 0)


# ----- the oneDNN lane: PyTorch's float32 LSTM on the CPU ------------------------------------
# For a float32 LSTM without projections PyTorch 2.13 runs oneDNN's kernel, one
# mkldnn_rnn_layer op per layer and direction: its three outputs (output, h_n, c_n) share one
# MkldnnRnnLayerBackward0 node over (input, w_ih, w_hh, b_ih, b_hh, h_0, c_0). gradsh computes
# the layer with the same steps as the other lane and records that one node; its rule re-runs
# the steps under grad recording, so its gradients, and their own derivatives, are the steps'.
def _lstm_layer_outputs(x, w_ih, w_hh, b_ih, b_hh, h0, c0, reverse):
    out, (h, c) = _layer(_lstm_step, x, (h0, c0), Weights(w_ih, w_hh, b_ih, b_hh, None), reverse)
    return out, h, c


@rule
def MkldnnRnnLayerBackward0(need, g, input, w_ih, w_hh, b_ih, b_hh, hx, cx, reverse):
    return rerun_vjp(_lstm_layer_outputs, (input, w_ih, w_hh, b_ih, b_hh, hx, cx), (reverse,),
                     need, g)


_NAMES = ("input", "w_ih", "w_hh", "b_ih", "b_hh", "hx", "cx")


def _mkldnn_layer(x, hidden, p, reverse):
    inputs = (x, p.w_ih, p.w_hh, p.b_ih, p.b_hh) + tuple(hidden)
    with no_grad():
        out, h, c = _lstm_layer_outputs(*inputs, reverse)
    if needs_grad(*inputs):
        saved = tuple(save(t, n) if t is not None else None for t, n in zip(inputs, _NAMES))
        record_multi([out, h, c], with_outputs(MkldnnRnnLayerBackward0, 3), inputs,
                     saved + (reverse,))
    return out, (h, c)


_warned = errors.once_flags(set())


def _lstm_lane(input, hx, has_projections):
    """PyTorch's choice for torch.lstm on the CPU: oneDNN for float32 without projections (a
    float32 LSTM with projections warns once that it is not supported there)."""
    if input.dtype != float32 or not input.numel():
        return _layer
    if not has_projections:
        return _mkldnn_layer
    if "projections" not in _warned:
        _warned.add("projections")
        warnings.warn("LSTM with projections is not supported with oneDNN. Using default "
                      "implementation." + errors.triggered_at("aten/src/ATen/native/RNN.cpp:1512"),
                      UserWarning, stacklevel=5)
    return _layer


def gather_weights(flat, has_biases, has_projections):
    """The flat weight list of a module (_flat_weights) cut into one Weights per layer and
    direction, ATen's gather_params."""
    n = (4 if has_biases else 2) + (1 if has_projections else 0)
    out = []
    for i in range(0, len(flat), n):
        w = flat[i:i + n]
        biases = (w[2], w[3]) if has_biases else (None, None)
        out.append(Weights(w[0], w[1], *biases, w[-1] if has_projections else None))
    return out


def run_layers(mode, input, hx, flat, has_biases, num_layers, dropout, train, bidirectional,
               batch_first):
    """torch.rnn_tanh / rnn_relu / gru (hx a tensor) and torch.lstm (hx a pair): (output,
    final hidden) or (output, h_n, c_n), in PyTorch's composition for CPU tensors."""
    directions = 2 if bidirectional else 1
    x = input.transpose(0, 1) if batch_first else input
    if mode != "LSTM":
        layer = lambda x, h, p, reverse: _layer(STEPS[mode], x, h, p, reverse)  # noqa: E731
        out, finals = _layers(layer, x, hx.unbind(0), gather_weights(flat, has_biases, False),
                              num_layers, dropout, train, directions)
        if batch_first:
            out.transpose_(0, 1)  # ATen transposes its result in place here (TransposeBackward1)
        return out, stack(finals, 0)
    projections = hx[0].shape[2] != hx[1].shape[2]
    lane = _lstm_lane(input, hx, projections)
    if lane is _mkldnn_layer:
        x = x.contiguous()  # oneDNN's input; its hidden states are hx[k], cx[k] (SelectBackward0)
        hiddens = [(hx[0][k], hx[1][k]) for k in range(hx[0].shape[0])]
    else:
        lane = lambda x, h, p, reverse: _layer(_lstm_step, x, h, p, reverse)  # noqa: E731
        hiddens = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
    out, finals = _layers(lane, x, hiddens, gather_weights(flat, has_biases, projections),
                          num_layers, dropout, train, directions)
    out = out.transpose(0, 1) if batch_first else out
    return out, stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0)
