"""torch.nn.utils.rnn: padding a batch of sequences of different lengths and packing it for the
recurrent layers, as PyTorch 2.13 does (torch/nn/utils/rnn.py over ATen's PackedSequence.cpp):
the same packed layout (time-major rows, `batch_sizes` per step), the same sorting, the same
nodes (PackPaddedSequenceBackward0 for the packed data, CopySlices for padded results)."""

from collections import namedtuple
from collections.abc import Iterable

import numpy as np

from .. import factories
from ..dtypes import int64, read_items
from ..ops.base import make, needs_grad, record, rule
from ..ops.shape import cat, stack
from ..tensor import Tensor
from ..meta import as_array

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence(namedtuple("PackedSequence_", "data batch_sizes sorted_indices "
                                                   "unsorted_indices")):
    """A batch of sequences packed time step by time step: `data` holds the rows of step 0 of
    every sequence, then of step 1 of those still running..., `batch_sizes[t]` how many."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes)), as _VF returns them
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def _with_data(self, data):
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def to(self, *args, **kwargs):
        return self._with_data(self.data.to(*args, **kwargs))

    def float(self):
        return self._with_data(self.data.float())

    def double(self):
        return self._with_data(self.data.double())

    def half(self):
        return self._with_data(self.data.half())

    def long(self):
        return self._with_data(self.data.long())

    def int(self):
        return self._with_data(self.data.int())

    def short(self):
        return self._with_data(self.data.short())

    def char(self):
        return self._with_data(self.data.char())

    def byte(self):
        return self._with_data(self.data.byte())

    def cpu(self, *args, **kwargs):
        return self

    @property
    def is_cuda(self):
        return False

    def is_pinned(self):
        return False


def invert_permutation(permutation):
    """The permutation that undoes `permutation` (None for None)."""
    if permutation is None:
        return None
    out = factories.empty_like(permutation)
    return out.scatter_(0, permutation, factories.arange(permutation.numel()))


# ----- pad_sequence --------------------------------------------------------------------------
def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences (L_i, *) into (max L, B, *) (batch_first: (B, max L, *)), padded."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg of "
                           f"type: {type(sequences)}")
    sequences = read_items(sequences, "pad_sequence()'s sequences")  # an endless one stops
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError("Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    longest = max(s.shape[0] for s in sequences)
    trailing = tuple(sequences[0].shape[1:])
    lead = (len(sequences), longest) if batch_first else (longest, len(sequences))
    out = factories.full(lead + trailing, padding_value, dtype=sequences[0].dtype)
    for i, seq in enumerate(sequences):
        n = seq.shape[0]
        start = longest - n if padding_side == "left" else 0
        place = (out.select(0, i).narrow(0, start, n) if batch_first
                 else out.narrow(0, start, n).select(1, i))
        place.copy_(seq)
    return out


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences that pad_sequence padded, each picked by a mask of its length
    (IndexBackward0, as PyTorch's); as PyTorch's, without batch_first the padded tensor itself
    is transposed in place, and lengths must be a tensor (its device is read)."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    steps = factories.arange(padded_sequences.shape[1], device=lengths.device)
    return [seq[steps < n] for seq, n in zip(padded_sequences, lengths)]


# ----- packing -------------------------------------------------------------------------------
@rule
def PackPaddedSequenceBackward0(need, g, input_size, batch_sizes, batch_first):
    """Each step's rows of g back to the first batch_sizes[t] entries of step t, zeros after."""
    array = not isinstance(g, Tensor)  # the engine's array lane: arrays in, arrays out
    g = make(as_array(g)) if array else g
    steps, batch = (input_size[1], input_size[0]) if batch_first else input_size[:2]
    rows, offset = [], 0
    for size in batch_sizes:
        part = g.narrow(0, offset, size)
        if size < batch:
            part = cat([part, g.new_zeros((batch - size,) + tuple(g.shape[1:]))], 0)
        rows.append(part)
        offset += size
    rows += [g.new_zeros((batch,) + tuple(g.shape[1:]))] * (steps - len(batch_sizes))
    out = stack(rows, 0)
    out = out.transpose(0, 1) if batch_first else out
    return (out._data if array else out,)


def _pack_padded(input, lengths, batch_first):
    """ATen's _pack_padded_sequence: (data, batch_sizes) of a time-major padded batch."""
    x = input.transpose(0, 1) if batch_first else input
    n = lengths.tolist()
    batch = x.shape[1]
    if not input.numel():
        raise RuntimeError("Cannot pack empty tensors.")
    if len(n) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(n)} "
                           f"(batch_size={batch})")
    if n[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element "
                           "in 'lengths' that is <= 0")
    if any(a < b for a, b in zip(n, n[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    factories.check_alloc((n[0],), np.int64)  # batch_sizes, which PyTorch allocates first
    if n[0] > x.shape[0]:  # PyTorch reads past the batch's end (garbage rows)
        raise RuntimeError("pack_padded_sequence(): a length of %d is more than the %d time "
                           "steps of the padded batch" % (n[0], x.shape[0]))
    # sizes[t]: how many lengths are more than t (the lengths decrease)
    sizes = np.searchsorted(-np.array(n), -np.arange(n[0]), side="left").tolist()
    rows = np.concatenate([x._data[t, :size] for t, size in enumerate(sizes)], 0)
    data = make(np.ascontiguousarray(rows))
    if needs_grad(input):
        record(data, PackPaddedSequenceBackward0, (input,),
               (tuple(input.shape), sizes, batch_first))
    return data, factories.tensor(sizes, dtype=int64)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (T, B, *) (batch_first: (B, T, *)) of the given lengths."""
    lengths = lengths.to(int64) if isinstance(lengths, Tensor) else \
        factories.as_tensor(lengths, dtype=int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = lengths.sort(descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _pack_padded(input, lengths, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Undo pack_padded_sequence: (the padded batch, the lengths), in the original order."""
    sizes = sequence.batch_sizes.tolist()
    longest = len(sizes)
    if total_length is not None:
        if total_length < longest:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {longest}")
        longest = total_length
    data = sequence.data
    out = factories.full((longest, sizes[0]) + tuple(data.shape[1:]), padding_value,
                         dtype=data.dtype)
    offset = start = 0
    for t in range(len(sizes) + 1):  # one copy per run of equal batch sizes, as ATen's
        if t == len(sizes) or sizes[t] != sizes[start]:
            n = sizes[start] * (t - start)
            block = data.narrow(0, offset, n).view(t - start, sizes[start], *data.shape[1:])
            out.narrow(0, start, t - start).narrow(1, 0, sizes[start]).copy_(block)
            offset, start = offset + n, t
    lengths = factories.tensor([sum(1 for s in sizes if s > b) for b in range(sizes[0])],
                               dtype=int64)
    if batch_first:
        out = out.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        out = out.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices]
    return out, lengths


def pack_sequence(sequences, enforce_sorted=True):
    """pack_padded_sequence(pad_sequence(sequences), their lengths)."""
    lengths = factories.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The list of sequences that pack_sequence packed."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
