"""The recurrent layers' cases, shared by tools/record_rnn.py (PyTorch) and tests/nn/test_rnn.py
(gradsh): each builds a module under manual_seed(0), runs it on a drawn input (and hidden
state), takes the gradients of a fixed weighting of every output, and records text-safe facts:
the repr, the parameter names and shapes, the initial parameters (bit for bit), the outputs'
values, their grad_fn names, the gradients of the input, the hidden state and the parameters.
ERRORS are misuses: the exception's class and message.
"""

import warnings

from op_sweep_cases import graph

# (module, constructor keywords, input shape, hidden: None, "h" or "hc", batch dim of hx,
#  training)
CASES = [
    ("RNNCell", dict(input_size=3, hidden_size=4), (2, 3), "h", 0, True),
    ("RNNCell", dict(input_size=3, hidden_size=4, nonlinearity="relu", bias=False), (3,), None,
     0, True),
    ("LSTMCell", dict(input_size=3, hidden_size=4), (2, 3), "hc", 0, True),
    ("LSTMCell", dict(input_size=3, hidden_size=2, bias=False), (3,), None, 0, True),
    ("GRUCell", dict(input_size=3, hidden_size=4), (2, 3), "h", 0, True),
    ("GRUCell", dict(input_size=3, hidden_size=4), (3,), "h", 0, True),
    ("RNN", dict(input_size=3, hidden_size=4, num_layers=2), (5, 2, 3), "h", 1, True),
    ("RNN", dict(input_size=3, hidden_size=4, batch_first=True, nonlinearity="relu"),
     (2, 5, 3), None, 1, True),
    ("RNN", dict(input_size=3, hidden_size=4, bidirectional=True, num_layers=2, dropout=0.5),
     (5, 2, 3), None, 1, True),
    ("RNN", dict(input_size=3, hidden_size=4, num_layers=2, dropout=0.5), (4, 3), "h", 1, False),
    ("GRU", dict(input_size=3, hidden_size=4, num_layers=2), (5, 2, 3), "h", 1, True),
    ("GRU", dict(input_size=3, hidden_size=4, batch_first=True, bidirectional=True), (2, 5, 3),
     "h", 1, True),
    ("GRU", dict(input_size=3, hidden_size=4, bias=False), (5, 3), None, 1, True),
    ("LSTM", dict(input_size=3, hidden_size=4, num_layers=2), (5, 2, 3), None, 1, True),
    ("LSTM", dict(input_size=3, hidden_size=4), (5, 2, 3), "hc", 1, True),
    ("LSTM", dict(input_size=3, hidden_size=4, batch_first=True, bidirectional=True, bias=False),
     (2, 5, 3), "hc", 1, True),
    ("LSTM", dict(input_size=3, hidden_size=4, proj_size=2, num_layers=2, dropout=0.3),
     (5, 2, 3), "hc", 1, True),
    ("LSTM", dict(input_size=3, hidden_size=4), (5, 3), "hc", 1, True),
]
DTYPES = ("float32", "float64")


def key(case, dtype):
    name, kwargs, shape = case[:3]
    return f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {shape} {dtype}"


def _hidden(lib, case, dtype, batch):
    """The hidden state(s) of the case: drawn, requiring grad (None: the module's zeros)."""
    name, kwargs, shape, kind, _, _ = case
    if kind is None:
        return None, []
    rows = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    lead = () if "Cell" in name else (rows,)
    lead += (batch,) if batch else ()
    sizes = [kwargs.get("proj_size") or kwargs["hidden_size"], kwargs["hidden_size"]]
    hs = [lib.randn(*lead, s, dtype=dtype, requires_grad=True) for s in sizes[:len(kind)]]
    return (tuple(hs) if kind == "hc" else hs[0]), hs


def _batch(case):
    name, kwargs, shape = case[:3]
    if "Cell" in name:
        return shape[0] if len(shape) == 2 else None
    if len(shape) == 2:
        return None
    return shape[0] if kwargs.get("batch_first") else shape[1]


def _flat(out):
    return [x for o in out for x in _flat(o)] if isinstance(out, tuple) else [out]


def _weighting(lib, t):
    """A fixed upstream weighting shaped as t, no zeros."""
    return (lib.arange(t.numel(), dtype=t.dtype).reshape(t.shape) * 0.7 + 0.3).sin()


def values(t):
    return None if t is None else t.detach().reshape(-1).tolist()


def run(lib, case, dtype_name):
    """The facts of one case."""
    dtype = getattr(lib, dtype_name)
    name, kwargs, shape, _, _, training = case
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = getattr(lib.nn, name)(**kwargs, dtype=dtype)
    module.train(training)
    x = lib.randn(*shape, dtype=dtype, requires_grad=True)
    hx, leaves = _hidden(lib, case, dtype, _batch(case))
    out = _flat(module(x) if hx is None else module(x, hx))
    loss = sum((o * _weighting(lib, o)).sum() for o in out)
    params = list(module.parameters())
    grads = lib.autograd.grad(loss, [x] + leaves + params, allow_unused=True)
    return {
        "repr": repr(module),
        "names": [[n, list(p.shape)] for n, p in module.named_parameters()],
        "init": [values(p) for p in params],
        "out": [values(o) for o in out],
        "shapes": [list(o.shape) for o in out],
        "nodes": [o.grad_fn.name() for o in out],
        "graph": [graph(o) for o in out],
        "grads": [values(g) for g in grads],
    }


# packed batches: (module, constructor keywords, lengths, enforce_sorted, batch_first, hidden)
PACKED = [
    ("LSTM", dict(input_size=2, hidden_size=3), [3, 1, 2], False, False, None),
    ("GRU", dict(input_size=2, hidden_size=3, num_layers=2, bidirectional=True), [4, 2, 2, 1],
     True, True, "h"),
    ("RNN", dict(input_size=2, hidden_size=3, nonlinearity="relu"), [1, 3, 3], False, True, "h"),
    ("LSTM", dict(input_size=2, hidden_size=3, proj_size=1, bidirectional=True), [2, 3], False,
     False, "hc"),
]


def packed_key(case, dtype):
    return "packed " + key(case[:2] + (tuple(case[2]),), dtype) + f" sorted={case[3]}" \
        f" batch_first={case[4]}"


def run_packed(lib, case, dtype_name):
    """pad_sequence, pack_padded_sequence, the module on the packed batch, pad_packed_sequence:
    the values, lengths, graphs and gradients along the way."""
    dtype = getattr(lib, dtype_name)
    rnn = _rnn(lib)
    name, kwargs, lengths, enforce_sorted, batch_first, kind = case
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = getattr(lib.nn, name)(**kwargs, dtype=dtype)
    seqs = [lib.randn(n, kwargs["input_size"], dtype=dtype, requires_grad=True) for n in lengths]
    padded = rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=-1.0)
    packed = rnn.pack_padded_sequence(padded, lib.tensor(lengths), batch_first, enforce_sorted)
    hx, leaves = _hidden(lib, (name, kwargs, (), kind, 0, True), dtype, len(lengths))
    out, hidden = module(packed) if hx is None else module(packed, hx)
    unpacked, out_lengths = rnn.pad_packed_sequence(out, batch_first, 0.5, max(lengths) + 1)
    outs = [unpacked] + _flat(hidden)
    loss = sum((o * _weighting(lib, o)).sum() for o in outs)
    grads = lib.autograd.grad(loss, seqs + leaves + list(module.parameters()), allow_unused=True)
    return {
        "padded": [list(padded.shape), values(padded), graph(padded)],
        "packed": [values(packed.data), packed.batch_sizes.tolist(), graph(packed.data),
                   values(packed.sorted_indices), values(packed.unsorted_indices)],
        "out": [values(o) for o in outs],
        "lengths": out_lengths.tolist(),
        "graph": [graph(o) for o in outs],
        "grads": [values(g) for g in grads],
    }


def _x(lib, *shape):
    return lib.randn(*shape)


# misuses: label -> a call taking the library; the fact is the exception's class and message
ERRORS = {
    "RNN on a 1-D input": lambda L: L.nn.RNN(3, 4)(_x(L, 3)),
    "RNN on a 4-D input": lambda L: L.nn.RNN(3, 4)(_x(L, 1, 5, 2, 3)),
    "LSTM on a 4-D input": lambda L: L.nn.LSTM(3, 4)(_x(L, 1, 5, 2, 3)),
    "GRU on a 4-D input": lambda L: L.nn.GRU(3, 4)(_x(L, 1, 5, 2, 3)),
    "input of the wrong size": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 2, 7)),
    "input of another dtype": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 2, 3).double()),
    "h0 of the wrong batch": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 2, 3), _x(L, 1, 3, 4)),
    "2-D h0 for a batch": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 2, 3), _x(L, 3, 4)),
    "3-D h0 unbatched": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 3), _x(L, 1, 1, 4)),
    "unbatched h0 of two layers": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 3), _x(L, 2, 4)),
    "GRU h0 of the wrong size": lambda L: L.nn.GRU(3, 4, 2)(_x(L, 5, 2, 3), _x(L, 2, 2, 3)),
    "LSTM h0 of the wrong batch": lambda L: L.nn.LSTM(3, 4)(
        _x(L, 5, 2, 3), (_x(L, 1, 3, 4), _x(L, 1, 2, 4))),
    "LSTM c0 of the wrong size": lambda L: L.nn.LSTM(3, 4)(
        _x(L, 5, 2, 3), (_x(L, 1, 2, 4), _x(L, 1, 2, 5))),
    "LSTM 2-D h0 for a batch": lambda L: L.nn.LSTM(3, 4)(
        _x(L, 5, 2, 3), (_x(L, 2, 4), _x(L, 1, 2, 4))),
    "LSTM 3-D h0 unbatched": lambda L: L.nn.LSTM(3, 4)(
        _x(L, 5, 3), (_x(L, 1, 1, 4), _x(L, 1, 4))),
    "LSTM with projections, h0 of hidden_size": lambda L: L.nn.LSTM(3, 4, proj_size=2)(
        _x(L, 5, 2, 3).double(), (_x(L, 1, 2, 4), _x(L, 1, 2, 4))),
    "h0 of another dtype": lambda L: L.nn.RNN(3, 4)(_x(L, 5, 2, 3), _x(L, 1, 2, 4).double()),
    "an empty sequence": lambda L: L.nn.RNN(3, 4)(_x(L, 0, 2, 3)),
    "an empty LSTM sequence": lambda L: L.nn.LSTM(3, 4).double()(_x(L, 0, 2, 3).double()),
    "an unknown nonlinearity": lambda L: L.nn.RNN(3, 4, nonlinearity="sigmoid"),
    "proj_size for an RNN": lambda L: L.nn.RNN(3, 4, proj_size=2),
    "proj_size for a GRU": lambda L: L.nn.GRU(3, 4, proj_size=2),
    "dropout above 1": lambda L: L.nn.RNN(3, 4, dropout=1.5),
    "dropout True": lambda L: L.nn.GRU(3, 4, dropout=True),
    "bias 1": lambda L: L.nn.RNN(3, 4, bias=1),
    "batch_first 1": lambda L: L.nn.LSTM(3, 4, batch_first=1),
    "input_size 3.0": lambda L: L.nn.RNN(3.0, 4),
    "input_size 0": lambda L: L.nn.RNN(0, 4),
    "hidden_size 0": lambda L: L.nn.GRU(3, 0),
    "hidden_size 4.0": lambda L: L.nn.LSTM(3, 4.0),
    "num_layers 0": lambda L: L.nn.RNN(3, 4, 0),
    "proj_size -1": lambda L: L.nn.LSTM(3, 4, proj_size=-1),
    "proj_size 4 of hidden 4": lambda L: L.nn.LSTM(3, 4, proj_size=4),
    "RNNCell on a 3-D input": lambda L: L.nn.RNNCell(3, 4)(_x(L, 5, 2, 3)),
    "RNNCell 3-D hidden": lambda L: L.nn.RNNCell(3, 4)(_x(L, 2, 3), _x(L, 1, 2, 4)),
    "GRUCell on a 3-D input": lambda L: L.nn.GRUCell(3, 4)(_x(L, 5, 2, 3)),
    "GRUCell 3-D hidden": lambda L: L.nn.GRUCell(3, 4)(_x(L, 2, 3), _x(L, 1, 2, 4)),
    "LSTMCell on a 3-D input": lambda L: L.nn.LSTMCell(3, 4)(_x(L, 5, 2, 3)),
    "LSTMCell 3-D c": lambda L: L.nn.LSTMCell(3, 4)(_x(L, 2, 3), (_x(L, 2, 4), _x(L, 1, 2, 4))),
    "RNNCell input of the wrong size": lambda L: L.nn.RNNCell(3, 4)(_x(L, 2, 5)),
    "RNNCell hidden of the wrong batch": lambda L: L.nn.RNNCell(3, 4)(_x(L, 2, 3), _x(L, 3, 4)),
    "RNNCell hidden of the wrong size": lambda L: L.nn.RNNCell(3, 4)(_x(L, 2, 3), _x(L, 2, 5)),
    "LSTMCell c of the wrong batch": lambda L: L.nn.LSTMCell(3, 4)(
        _x(L, 2, 3), (_x(L, 2, 4), _x(L, 3, 4))),
    "LSTMCell c of the wrong size": lambda L: L.nn.LSTMCell(3, 4)(
        _x(L, 2, 3), (_x(L, 2, 4), _x(L, 2, 5))),
    "GRUCell hidden of the wrong size": lambda L: L.nn.GRUCell(3, 4)(_x(L, 2, 3), _x(L, 2, 5)),
    "RNNCell unbatched with a 2-D hidden": lambda L: L.nn.RNNCell(3, 4)(_x(L, 3), _x(L, 1, 4)),
    "RNNCell input of another dtype": lambda L: L.nn.RNNCell(3, 4)(_x(L, 2, 3).double()),
    "RNNCell unknown nonlinearity": lambda L: L.nn.RNNCell(3, 4, nonlinearity="x")(_x(L, 2, 3)),
    "torch.lstm_cell with one hidden": lambda L: L.lstm_cell(
        _x(L, 2, 3), (_x(L, 2, 4),), _x(L, 16, 3), _x(L, 16, 4)),
    "torch.rnn_tanh_cell with weight_hh of 6 rows": lambda L: L.rnn_tanh_cell(
        _x(L, 4, 6), _x(L, 4, 4), _x(L, 4, 6), _x(L, 6, 4)),
    "torch.gru_cell with weight_ih of 5 rows": lambda L: L.gru_cell(
        _x(L, 4, 6), _x(L, 4, 2), _x(L, 5, 6), _x(L, 6, 2)),
    "torch.lstm_cell with a bias of the wrong size": lambda L: L.lstm_cell(
        _x(L, 4, 6), (_x(L, 4, 2), _x(L, 4, 2)), _x(L, 8, 6), _x(L, 8, 2), _x(L, 7), _x(L, 8)),
    "pack_sequence of unsorted lengths": lambda L: _rnn(L).pack_sequence(
        [_x(L, 1, 2), _x(L, 3, 2)]),
    "pack_padded_sequence with too few lengths": lambda L: _rnn(L).pack_padded_sequence(
        _x(L, 3, 3, 2), [3, 1]),
    "pack_padded_sequence with a length 0": lambda L: _rnn(L).pack_padded_sequence(
        _x(L, 3, 3, 2), [3, 2, 0]),
    "pack_padded_sequence of an empty tensor": lambda L: _rnn(L).pack_padded_sequence(
        _x(L, 0, 3, 2), [3, 2, 1]),
    "pad_packed_sequence total_length too short": lambda L: _rnn(L).pad_packed_sequence(
        _rnn(L).pack_sequence([_x(L, 3, 2)]), total_length=2),
    "pad_sequence of no sequences": lambda L: _rnn(L).pad_sequence([]),
    "pad_sequence of a tensor": lambda L: _rnn(L).pad_sequence(3),
    "GRU on a packed batch of the wrong width": lambda L: L.nn.GRU(3, 3)(
        _rnn(L).pack_sequence([_x(L, 3, 2)])),
    "GRU on a packed batch with h0 of another batch": lambda L: L.nn.GRU(2, 3)(
        _rnn(L).pack_sequence([_x(L, 3, 2)]), _x(L, 1, 2, 3)),
}


def _rnn(lib):
    return __import__(lib.__name__ + ".nn.utils.rnn", fromlist=["rnn"])


def error(lib, label):
    """[class, message] of the misuse, or None when it does not raise."""
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ERRORS[label](lib)
        except Exception as e:  # noqa: BLE001 - the class and message are the fact
            return [type(e).__name__, str(e)]
    return None
