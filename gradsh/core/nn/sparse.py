"""Embedding and EmbeddingBag: a lookup table of num_embeddings rows of embedding_dim values,
drawn from N(0, 1) (a padding row, if any, then set to zero) or given as `_weight`.

Both share the table and its options (the functions below); what they print after the sizes is a
table of rows (attribute, when PyTorch shows it, how), in PyTorch's order.
"""

from .. import factories
from ..errors import TorchAssertionError
from ..grad_mode import no_grad
from ..ops import embedding_bag, nn_ops
from . import init
from .module import Module
from .parameter import Parameter


def _given(value):
    return value is not None


def _not_two(value):
    return value != 2


def _not_false(value):
    return value is not False


def _always(value):
    return True


# Embedding and EmbeddingBag are Modules directly, as PyTorch's (programs read their bases);
# they share these functions. A class gives its padding message (`_PADDING_MESSAGE`) and the
# rows of its repr (`_REPR_ROWS`).

def _make_table(module, num_embeddings, embedding_dim, padding_idx, weight, dtype, **options):
    module.num_embeddings = num_embeddings
    module.embedding_dim = embedding_dim
    module.padding_idx = _padding_row(padding_idx, num_embeddings, module._PADDING_MESSAGE)
    for name, value in options.items():
        setattr(module, name, value)
    if weight is None:
        module.weight = Parameter(factories.empty(num_embeddings, embedding_dim, dtype=dtype))
        module.reset_parameters()
        return
    if list(weight.shape) != [num_embeddings, embedding_dim]:
        raise TorchAssertionError("Shape of weight does not match num_embeddings and "
                                  "embedding_dim")
    module.weight = Parameter(weight)


def _padding_row(index, rows, message):
    """padding_idx counted from the start (a negative one counts from the end)."""
    if index is None:
        return None
    if not -rows <= index < rows:
        raise TorchAssertionError(message)
    return index % rows


def _reset_table(module):
    init.normal_(module.weight)
    padding = module.padding_idx
    if padding is not None:
        with no_grad():
            module.weight[padding].fill_(0)


def _table_repr(module):
    parts = [f"{module.num_embeddings}, {module.embedding_dim}"]
    for name, shown, text in module._REPR_ROWS:
        value = getattr(module, name)
        if shown(value):
            parts.append(f"{name}={text(value)}")
    return ", ".join(parts)


def _pretrained_rows(embeddings):
    if embeddings.dim() != 2:
        raise TorchAssertionError("Embeddings parameter is expected to be 2-dimensional")
    return embeddings.shape


class Embedding(Module):
    _PADDING_MESSAGE = "Padding_idx must be within num_embeddings"
    _REPR_ROWS = (("padding_idx", _given, str), ("max_norm", _given, str),
                  ("norm_type", _not_two, str), ("scale_grad_by_freq", _not_false, str),
                  ("sparse", _not_false, lambda value: "True"))

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None):
        super().__init__()
        _make_table(self, num_embeddings, embedding_dim, padding_idx, _weight, dtype,
                    max_norm=max_norm, norm_type=norm_type,
                    scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)
        self.weight.requires_grad = not _freeze

    reset_parameters = _reset_table
    extra_repr = _table_repr

    def forward(self, input):
        return nn_ops.embedding(input, self.weight, self.padding_idx, self.max_norm,
                                self.norm_type, self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        rows, dim = _pretrained_rows(embeddings)
        return cls(rows, dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)


class EmbeddingBag(Module):
    """Sums, means or maxima of bags of embeddings (F.embedding_bag), rows from N(0, 1)."""

    _PADDING_MESSAGE = "padding_idx must be within num_embeddings"
    _REPR_ROWS = (("max_norm", _given, str), ("norm_type", _not_two, str),
                  ("scale_grad_by_freq", _not_false, str), ("mode", _always, repr),
                  ("padding_idx", _given, str))

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__()
        _make_table(self, num_embeddings, embedding_dim, padding_idx, _weight, dtype,
                    max_norm=max_norm, norm_type=norm_type,
                    scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                    include_last_offset=include_last_offset)

    reset_parameters = _reset_table
    extra_repr = _table_repr

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag.embedding_bag(
            input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
            self.mode, self.sparse, per_sample_weights, self.include_last_offset,
            self.padding_idx)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        rows, dim = _pretrained_rows(embeddings)
        bag = cls(rows, dim, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                  include_last_offset, padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
