"""RNN, LSTM, GRU and their cells, as PyTorch 2.13's torch/nn/modules/rnn.py: its parameter
names (weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0), its draws (every parameter uniform in
+-1/sqrt(hidden_size), in registration order), its reprs and checks; the arithmetic is
gradsh/core/rnn_functional.py."""

import itertools
import math
import numbers
import warnings

from .. import factories
from .. import rnn_functional as R
from . import init
from .module import Module
from .parameter import Parameter
from .rnn_utils import PackedSequence

MAX_RNN_LAYERS = 1000  # layers times directions of one RNN, LSTM or GRU


class RNNTooDeep(ValueError):
    gradsh_kind = "LimitError"


_NONLINEARITY = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
# how each module words a wrong input rank (PyTorch's RNN says "1D tensor", LSTM and GRU "1D")
_RANK_WORDS = {"RNN": " tensor", "LSTM": "", "GRU": ""}
# the options a layer's repr shows, and when (PyTorch's extra_repr)
_SHOWN_IF = {"proj_size": lambda v: v != 0, "num_layers": lambda v: v != 1,
             "bias": lambda v: v is not True, "batch_first": lambda v: v is not False,
             "dropout": lambda v: v != 0, "bidirectional": lambda v: v is not False}


def _reset_uniform(module):
    stdv = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -stdv, stdv)


def _check_sizes(input_size, hidden_size, num_layers, proj_size, bias, batch_first, dropout):
    """RNNBase.__init__'s refusals, in its order."""
    if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
            or not 0 <= dropout <= 1):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", UserWarning, stacklevel=4)
    for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                              ("input_size", input_size, int)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} should be of type {kind.__name__}, got: "
                            f"{type(value).__name__}")
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class RNNBase(Module):
    """The layers' shared parameters, checks and repr; `mode` is RNN_TANH, RNN_RELU, LSTM or
    GRU."""

    _gradsh_private_names = Module._gradsh_private_names | {
        "_flat_weights", "_flat_weights_names", "_all_weights"}

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None,
                 dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout) if isinstance(dropout, numbers.Number) else dropout
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        _check_sizes(input_size, hidden_size, num_layers, proj_size, bias, batch_first, dropout)
        if mode not in R.GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self._check_weights(dtype)
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(2 if bidirectional else 1):
                self._add_layer(layer, "_reverse" if direction else "", dtype)
        self._flat_weights = [getattr(self, n) for n in self._flat_weights_names]
        self.reset_parameters()

    def _check_weights(self, dtype):
        """Refuse, before any is made, weights past the tensor limit in all (checked as one
        flat buffer, as cuDNN keeps them) or more than MAX_RNN_LAYERS layers and directions
        (each costs milliseconds to make: GRU(10, 10, num_layers=10**6) would run for an hour)."""
        directions = 2 if self.bidirectional else 1
        if self.num_layers * directions > MAX_RNN_LAYERS:
            raise RNNTooDeep("%s with %d layers%s: more than gradsh's limit of %d layers and "
                             "directions" % (type(self).__name__, self.num_layers,
                                             " in both directions" if directions == 2 else "",
                                             MAX_RNN_LAYERS))
        gates = R.GATES[self.mode] * self.hidden_size
        real_hidden = self.proj_size or self.hidden_size
        per_layer = gates * (real_hidden + 2 * self.bias) + self.proj_size * self.hidden_size
        inputs = self.input_size + (self.num_layers - 1) * real_hidden * directions
        factories.check_alloc((directions * (self.num_layers * per_layer + gates * inputs),),
                              factories._np_dtype(dtype))

    def _add_layer(self, layer, suffix, dtype):
        """One layer and direction's parameters, created in PyTorch's order (w_ih, w_hh, b_ih,
        b_hh, w_hr: the creation order does not draw, reset_parameters does)."""
        gates = R.GATES[self.mode] * self.hidden_size
        real_hidden = self.proj_size or self.hidden_size
        width = self.input_size if layer == 0 else real_hidden * (2 if self.bidirectional else 1)
        shapes = {"weight_ih": (gates, width), "weight_hh": (gates, real_hidden)}
        if self.bias:
            shapes.update(bias_ih=(gates,), bias_hh=(gates,))
        if self.proj_size:
            shapes["weight_hr"] = (self.proj_size, self.hidden_size)
        names = []
        for kind, shape in shapes.items():
            name = f"{kind}_l{layer}{suffix}"
            setattr(self, name, Parameter(factories.empty(*shape, dtype=dtype)))
            names.append(name)
        self._flat_weights_names.extend(names)
        self._all_weights.append(names)

    def __setattr__(self, name, value):
        names = self.__dict__.get("_flat_weights_names")
        if names and name in names and "_flat_weights" in self.__dict__:
            self._flat_weights[names.index(name)] = value
        super().__setattr__(name, value)

    def _apply_to_tensors(self, fn):
        out = super()._apply_to_tensors(fn)
        self._flat_weights = [getattr(self, n) for n in self._flat_weights_names]
        return out

    reset_parameters = _reset_uniform

    def flatten_parameters(self):
        """PyTorch packs the weights for cuDNN; on the CPU it does nothing, nor does gradsh."""

    @property
    def all_weights(self):
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        for name, shown in _SHOWN_IF.items():
            if shown(getattr(self, name)):
                s += f", {name}={getattr(self, name)}"
        return s

    # ----- forward ---------------------------------------------------------------------------
    def _zeros(self, batch, size, input):
        layers = self.num_layers * (2 if self.bidirectional else 1)
        return factories.zeros(layers, batch, size, dtype=input.dtype)

    def _check_input(self, input, packed=False):
        weight = self._flat_weights[0]
        if input.dtype != weight.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weight.dtype}). Convert input: input.to({weight.dtype}), or "
                             f"convert model: model.to({input.dtype})")
        rank = 2 if packed else 3
        if input.dim() != rank:
            raise RuntimeError(f"input must have {rank} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.size(-1)}")

    def _expected_hidden(self, input, size):
        batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), batch, size)

    @staticmethod
    def _check_hidden(hx, expected, msg="Expected hidden size {}, got {}"):
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, list(hx.shape)))

    def _check_rank(self, input, kind):
        if input.dim() not in (2, 3):
            raise ValueError(f"{kind}: Expected input to be 2D or 3D, got {input.dim()}D"
                             f"{_RANK_WORDS[kind]} instead")
        return input.dim() == 3

    def _forward_packed(self, packed, hx):
        """PyTorch's path for a PackedSequence: hx in the sorted order in, back out."""
        data, batch_sizes, sorted_indices, unsorted_indices = packed
        lstm = self.mode == "LSTM"
        batch = int(batch_sizes[0])
        if hx is None:
            hx = self._zeros(batch, self.proj_size or self.hidden_size, data)
            hx = (hx, self._zeros(batch, self.hidden_size, data)) if lstm else hx
        else:
            hx = _permuted(hx, sorted_indices)
        if not lstm:  # (PyTorch's LSTM checks no packed input's sizes)
            self._check_input(data, packed=True)
            expected = (self.num_layers * (2 if self.bidirectional else 1), batch,
                        self.hidden_size)
            self._check_hidden(hx, expected)
        out, *hidden = R.run_packed_layers(self.mode, data, batch_sizes, hx, self._flat_weights,
                                          self.bias, self.num_layers, self.dropout,
                                          self.training, self.bidirectional)
        hidden = tuple(hidden) if lstm else hidden[0]
        return (PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices),
                _permuted(hidden, unsorted_indices))

    def _run(self, input, hx):
        return R.run_layers(self.mode, input, hx, self._flat_weights, self.bias,
                            self.num_layers, self.dropout, self.training, self.bidirectional,
                            self.batch_first)


def _permuted(hx, permutation):
    """PyTorch's permute_hidden: the batch dim (1) of hx, or of (h, c), reordered."""
    if permutation is None:
        return hx
    if isinstance(hx, tuple):
        return tuple(h.index_select(1, permutation) for h in hx)
    return hx.index_select(1, permutation)


class _OneHidden(RNNBase):
    """RNN and GRU: one hidden state tensor."""

    def forward(self, input, hx=None):
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        kind = "GRU" if self.mode == "GRU" else "RNN"
        batched = self._check_rank(input, kind)
        batch_dim = 0 if self.batch_first else 1
        if hx is not None and hx.dim() != (3 if batched else 2):
            raise RuntimeError(
                f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor"
                if batched else
                f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
        if not batched:
            input = input.unsqueeze(batch_dim)
            hx = None if hx is None else hx.unsqueeze(1)
        if hx is None:
            hx = self._zeros(input.size(batch_dim), self.hidden_size, input)
        self._check_input(input)
        self._check_hidden(hx, self._expected_hidden(input, self.hidden_size))
        output, hidden = self._run(input, hx)
        if not batched:
            return output.squeeze(batch_dim), hidden.squeeze(1)
        return output, hidden


class RNN(_OneHidden):
    """Elman RNN: h' = tanh (or relu) of x W_ih^T + b_ih + h W_hh^T + b_hh, per layer."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity, args = args[3], args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity not in _NONLINEARITY:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__(_NONLINEARITY[nonlinearity], *args, **kwargs)
        self.nonlinearity = nonlinearity


class GRU(_OneHidden):
    """Gated recurrent unit: reset, update and new gates (PyTorch's r, z, n order)."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    """Long short-term memory: input, forget, cell and output gates (PyTorch's i, f, g, o
    order); hx is (h_0, c_0); proj_size projects h with weight_hr."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        batched = self._check_rank(input, "LSTM")
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = input.unsqueeze(batch_dim)
        real_hidden = self.proj_size or self.hidden_size
        if hx is None:
            batch = input.size(batch_dim)
            hx = (self._zeros(batch, real_hidden, input),
                  self._zeros(batch, self.hidden_size, input))
        else:
            rank = 3 if batched else 2
            if hx[0].dim() != rank or hx[1].dim() != rank:
                words = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(f"For {words} input, hx and cx should also be {rank}-D but "
                                   f"got ({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            if not batched:
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        self._check_input(input)
        self._check_hidden(hx[0], self._expected_hidden(input, real_hidden),
                           "Expected hidden[0] size {}, got {}")
        self._check_hidden(hx[1], self._expected_hidden(input, self.hidden_size),
                           "Expected hidden[1] size {}, got {}")
        output, h, c = self._run(input, hx)
        if not batched:
            return output.squeeze(batch_dim), (h.squeeze(1), c.squeeze(1))
        return output, (h, c)


# ----- cells ---------------------------------------------------------------------------------
class RNNCellBase(Module):
    """The cells' parameters: weight_ih, weight_hh, bias_ih, bias_hh with `gates` blocks."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(factories.empty(gates, input_size, dtype=dtype))
        self.weight_hh = Parameter(factories.empty(gates, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(factories.empty(gates, dtype=dtype))
            self.bias_hh = Parameter(factories.empty(gates, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = _reset_uniform

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _batched(self, input, hiddens, what):
        """PyTorch's rank checks: is the input batched (2-D)? `hiddens` are (label, tensor)."""
        kind = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{kind}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        for label, h in hiddens:
            if h.dim() not in (1, 2):
                raise ValueError(f"{kind}: Expected {what}{label} to be 1D or 2D, got "
                                 f"{h.dim()}D instead")
        return input.dim() == 2

    def _step(self, fn, input, hx, pair):
        """Run the cell function on a batch (a 1-D input is a batch of one, as PyTorch does)."""
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = factories.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (zeros, zeros) if pair else zeros
        elif not batched:
            hx = tuple(h.unsqueeze(0) for h in hx) if pair else hx.unsqueeze(0)
        out = fn(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        if batched:
            return out
        return tuple(o.squeeze(0) for o in out) if pair else out.squeeze(0)


_CELL_FUNCTIONS = {"tanh": R.rnn_tanh_cell, "relu": R.rnn_relu_cell}


class RNNCell(RNNCellBase):
    """One step of an Elman RNN."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        self._batched(input, () if hx is None else (("", hx),), "hidden")
        fn = _CELL_FUNCTIONS.get(self.nonlinearity)
        if fn is None:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return self._step(fn, input, hx, False)


class LSTMCell(RNNCellBase):
    """One step of an LSTM: returns (h', c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        if hx is not None and not isinstance(hx, (tuple, list)):
            # (h, c) is read as PyTorch indexes it; an endless iterable stops past its third item
            hx = tuple(itertools.islice(hx, 3))
        hiddens = () if hx is None else tuple((f"[{k}]", h) for k, h in enumerate(hx))
        self._batched(input, hiddens, "hx")
        return self._step(R.lstm_cell, input, hx, True)


class GRUCell(RNNCellBase):
    """One step of a GRU."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        self._batched(input, () if hx is None else (("", hx),), "hidden")
        return self._step(R.gru_cell, input, hx, False)

