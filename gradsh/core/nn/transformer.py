"""MultiheadAttention and the Transformer layers, as PyTorch's (parameters, draws, repr, names).

gradsh always computes PyTorch's slow path (F.multi_head_attention_forward and the layers'
composition): the one PyTorch takes in training mode or when a parameter requires grad. In
eval mode under no_grad PyTorch takes fused inference kernels (`_native_multi_head_attention`,
`_transformer_encoder_layer_fwd`), which give the same numbers up to rounding.
"""

import copy
import warnings

from .. import factories
from ..dtypes import TooManyItems, read_lazily
from ..errors import TorchAssertionError
from .. import nn_functional as F
from ..attention import canonical_mask, multi_head_attention_forward
from . import init
from .activation import GELU, ReLU
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from .parameter import Parameter


class NonDynamicallyQuantizableLinear(Linear):
    """MultiheadAttention's out_proj: a Linear under PyTorch's class name."""


def _parameters(module, shapes, dtype, present=True):
    """Uninitialised Parameters of the given shapes registered under their names (each None
    when not present), in the table's order."""
    for name, shape in shapes.items():
        module.register_parameter(
            name, Parameter(factories.empty(*shape, dtype=dtype)) if present else None)


class MultiheadAttention(Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        if min(embed_dim, num_heads) <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        super().__init__()
        E = embed_dim
        self.embed_dim = E
        self.kdim, self.vdim = (E if d is None else d for d in (kdim, vdim))
        self._qkv_same_embed_dim = (self.kdim, self.vdim) == (E, E)
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = E // num_heads
        if E % num_heads:
            raise TorchAssertionError("embed_dim must be divisible by num_heads")
        # one packed (3E, E) projection, or three when key or value has its own width; the
        # ones in use are registered first (PyTorch's parameter order)
        packed = {"in_proj_weight": (3 * E, E)}
        apart = {"q_proj_weight": (E, E), "k_proj_weight": (E, self.kdim),
                 "v_proj_weight": (E, self.vdim)}
        used, unused = (packed, apart) if self._qkv_same_embed_dim else (apart, packed)
        _parameters(self, used, dtype)
        _parameters(self, unused, dtype, present=False)
        _parameters(self, {"in_proj_bias": (3 * E,)}, dtype, present=bias)
        # (out_proj draws its own Linear initialisation first, as in PyTorch)
        self.out_proj = NonDynamicallyQuantizableLinear(E, E, bias=bias, dtype=dtype)
        if add_bias_kv:
            _parameters(self, {"bias_k": (1, 1, E), "bias_v": (1, 1, E)}, dtype)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        for weight in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight,
                       self.v_proj_weight):
            if weight is not None:
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:  # (out_proj's bias too, only then)
            for b in (self.in_proj_bias, self.out_proj.bias):
                init.constant_(b, 0.0)
        for b in (self.bias_k, self.bias_v):
            if b is not None:
                init.xavier_normal_(b)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        batched = query.ndim == 3
        key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask",
                                          None if attn_mask is None else attn_mask.dtype,
                                          "attn_mask", query.dtype)
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
        if self.batch_first and batched:
            query, key, value = _sequence_first(query, key, value)
        separate = not self._qkv_same_embed_dim
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight if separate else None,
            k_proj_weight=self.k_proj_weight if separate else None,
            v_proj_weight=self.v_proj_weight if separate else None,
            average_attn_weights=average_attn_weights, is_causal=is_causal)
        if self.batch_first and batched:
            return out.transpose(1, 0), weights
        return out, weights


def _sequence_first(query, key, value):
    """Batch-first inputs as (L, N, E) views. Arguments that are one tensor stay one view, so
    the packed projection still sees self-attention (`query is key is value`) and a shared
    key/value; each transpose is made in PyTorch's order (query's first)."""
    if key is not value:
        return tuple(t.transpose(1, 0) for t in (query, key, value))
    if query is key:
        same = query.transpose(1, 0)
        return same, same, same
    q = query.transpose(1, 0)
    kv = key.transpose(1, 0)
    return q, kv, kv


# ----- the Transformer layers -----------------------------------------------------------------
def _causal_mask(size, dtype=None):
    """(size, size) float mask: -inf above the diagonal, 0 on and below it."""
    return factories.full((size, size), float("-inf"), dtype=dtype).triu(diagonal=1)


_ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu}
_FAST_PATH_CODES = ((1, F.relu, ReLU), (2, F.gelu, GELU))  # activation_relu_or_gelu


def _activation(activation):
    """The activation a layer calls: a name of _ACTIVATIONS, or any callable as given."""
    if not isinstance(activation, str):
        return activation
    if activation not in _ACTIVATIONS:
        raise RuntimeError(f"activation should be relu/gelu, not {activation}")
    return _ACTIVATIONS[activation]


def _fast_path_code(activation):
    for code, function, module in _FAST_PATH_CODES:
        if activation is function or isinstance(activation, module):
            return code
    return 0


def _seq_len(src, batch_first):
    if src.ndim == 2:
        return src.shape[0]
    return src.shape[1 if batch_first else 0]


def _detect_is_causal_mask(mask, is_causal=None, size=None):
    """is_causal as given; left None, whether mask is exactly the causal mask of its size."""
    if is_causal is not None or mask is None:
        return is_causal is True
    causal = _causal_mask(mask.shape[-2] if size is None else size, dtype=mask.dtype)
    return tuple(mask.shape) == tuple(causal.shape) and bool((mask == causal).all())


MAX_COPIED = 50_000  # modules and tensors made by copying one layer num_layers times (round 9)


def _clones(module, n):
    """n deep copies in a ModuleList, read lazily: a non-module is refused at the first copy.
    Each copy costs its modules and tensors, counted first: 10**7 layers were minutes of
    copying before the reading budget could stop them."""
    if isinstance(module, Module) and type(n) is int and n > 0:
        parts = sum(1 for _ in Module.modules(module)) + sum(1 for _ in Module.parameters(module)) \
            + sum(1 for _ in Module.buffers(module))
        if n * parts > MAX_COPIED:
            raise TooManyItems("%d copies of a %s would make %d modules and tensors: more than "
                               "gradsh's limit of %d" % (n, type(module).__name__, n * parts,
                                                         MAX_COPIED))
    # a non-module is refused at the first copy (PyTorch makes all n first)
    return ModuleList(read_lazily((copy.deepcopy(module) for _ in range(n)), "the layers"))


def _build_layer(layer, attentions, norms, d_model, nhead, dim_feedforward, dropout,
                 layer_norm_eps, batch_first, bias, dtype):
    """A Transformer layer's submodules in PyTorch's order (the parameters' draws and
    state_dict keys follow it): the attentions, the feed-forward pair around its dropout, then
    one LayerNorm and one Dropout per residual block."""
    for name in attentions:
        setattr(layer, name, MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                batch_first=batch_first, dtype=dtype))
    layer.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
    layer.dropout = Dropout(dropout)
    layer.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
    blocks = range(1, norms + 1)
    for i in blocks:
        setattr(layer, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias,
                                             dtype=dtype))
    for i in blocks:
        setattr(layer, f"dropout{i}", Dropout(dropout))


def _residual(x, block, norm, norm_first):
    """x plus block's output: normalized before the block (norm_first) or after the sum."""
    if norm_first:
        return x + block(norm(x))
    return norm(x + block(x))


def _feed_forward(layer, x, last_dropout):
    for stage in (layer.linear1, layer.activation, layer.dropout, layer.linear2, last_dropout):
        x = stage(x)
    return x


def _attend(attention, x, memory, dropout, attn_mask, key_padding_mask, is_causal):
    """attention(x, memory, memory)'s output without weights, through dropout."""
    out, _ = attention(x, memory, memory, attn_mask=attn_mask,
                       key_padding_mask=key_padding_mask, need_weights=False,
                       is_causal=is_causal)
    return dropout(out)


class TransformerEncoderLayer(Module):
    __constants__ = ["norm_first"]

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None):
        super().__init__()
        _build_layer(self, ["self_attn"], 2, d_model, nhead, dim_feedforward, dropout,
                     layer_norm_eps, batch_first, bias, dtype)
        self.norm_first = norm_first
        activation = _activation(activation)
        self.activation_relu_or_gelu = _fast_path_code(activation)
        self.activation = activation

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        padding = canonical_mask(src_key_padding_mask, "src_key_padding_mask",
                                 None if src_mask is None else src_mask.dtype, "src_mask",
                                 src.dtype)
        mask = canonical_mask(src_mask, "src_mask", None, "", src.dtype, False)
        x = _residual(src, lambda h: self._sa_block(h, mask, padding, is_causal), self.norm1,
                      self.norm_first)
        return _residual(x, self._ff_block, self.norm2, self.norm_first)

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        return _attend(self.self_attn, x, x, self.dropout1, attn_mask, key_padding_mask,
                       is_causal)

    def _ff_block(self, x):
        return _feed_forward(self, x, self.dropout2)


class TransformerDecoderLayer(Module):
    __constants__ = ["norm_first"]

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None):
        super().__init__()
        _build_layer(self, ["self_attn", "multihead_attn"], 3, d_model, nhead, dim_feedforward,
                     dropout, layer_norm_eps, batch_first, bias, dtype)
        self.norm_first = norm_first
        self.activation = _activation(activation)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        x = _residual(tgt, lambda h: self._sa_block(h, tgt_mask, tgt_key_padding_mask,
                                                    tgt_is_causal), self.norm1, self.norm_first)
        x = _residual(x, lambda h: self._mha_block(h, memory, memory_mask,
                                                   memory_key_padding_mask, memory_is_causal),
                      self.norm2, self.norm_first)
        return _residual(x, self._ff_block, self.norm3, self.norm_first)

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        return _attend(self.self_attn, x, x, self.dropout1, attn_mask, key_padding_mask,
                       is_causal)

    def _mha_block(self, x, mem, attn_mask, key_padding_mask, is_causal=False):
        return _attend(self.multihead_attn, x, mem, self.dropout2, attn_mask, key_padding_mask,
                       is_causal)

    def _ff_block(self, x):
        return _feed_forward(self, x, self.dropout3)


def _why_not_nested(layer):
    """Why PyTorch's encoder cannot use nested tensors for this layer ('' if it can)."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    if layer.norm_first:
        return f"{name}.norm_first was True"
    if not layer.self_attn.batch_first:
        return (f"{name}.self_attn.batch_first was not True"
                "(use batch_first for better inference performance)")
    if not layer.self_attn._qkv_same_embed_dim:
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if layer.self_attn.in_proj_bias is None:
        return f"{name}.self_attn was passed bias=False"
    if not layer.activation_relu_or_gelu:
        return f"{name}.activation_relu_or_gelu was not True"
    if layer.norm1.eps != layer.norm2.eps:
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if layer.self_attn.num_heads % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


def _stacked(stack, x, call):
    """x through every layer of an encoder or decoder stack, then its final norm if any."""
    for layer in stack.layers:
        x = call(layer, x)
    return x if stack.norm is None else stack.norm(x)


class TransformerEncoder(Module):
    __constants__ = ["norm"]

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                 mask_check=True):
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        # gradsh never makes nested tensors; the flags and the warning are PyTorch's
        why = _why_not_nested(encoder_layer) if enable_nested_tensor else ""
        self.enable_nested_tensor, self.use_nested_tensor = enable_nested_tensor, (
            enable_nested_tensor if not why else False)
        self.mask_check = mask_check
        if why:
            warnings.warn(f"enable_nested_tensor is True, but self.use_nested_tensor is False "
                          f"because {why}", UserWarning, stacklevel=2)

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        src_key_padding_mask = canonical_mask(
            src_key_padding_mask, "src_key_padding_mask",
            None if mask is None else mask.dtype, "mask", src.dtype)
        mask = canonical_mask(mask, "mask", None, "", src.dtype, False)
        first = self.layers[0]
        is_causal = _detect_is_causal_mask(mask, is_causal,
                                           _seq_len(src, first.self_attn.batch_first))
        return _stacked(self, src, lambda layer, x: layer(
            x, src_mask=mask, is_causal=is_causal, src_key_padding_mask=src_key_padding_mask))


class TransformerDecoder(Module):
    __constants__ = ["norm"]

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        first = self.layers[0]
        causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal,
                                        _seq_len(tgt, first.self_attn.batch_first))
        masks = {"tgt_mask": tgt_mask, "memory_mask": memory_mask,
                 "tgt_key_padding_mask": tgt_key_padding_mask,
                 "memory_key_padding_mask": memory_key_padding_mask,
                 "tgt_is_causal": causal, "memory_is_causal": memory_is_causal}
        return _stacked(self, tgt, lambda layer, x: layer(x, memory, **masks))


class Transformer(Module):
    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
                 dim_feedforward=2048, dropout=0.1, activation=F.relu, custom_encoder=None,
                 custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False,
                 bias=True, device=None, dtype=None):
        super().__init__()
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
                                            layer_norm_eps, batch_first, norm_first, bias,
                                            dtype=dtype)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
                                            layer_norm_eps, batch_first, norm_first, bias,
                                            dtype=dtype)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                src_key_padding_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        batched = src.ndim == 3
        if batched and src.shape[0 if self.batch_first else 1] != \
                tgt.shape[0 if self.batch_first else 1]:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        decoding = {"tgt_mask": tgt_mask, "memory_mask": memory_mask,
                    "tgt_key_padding_mask": tgt_key_padding_mask,
                    "memory_key_padding_mask": memory_key_padding_mask,
                    "tgt_is_causal": tgt_is_causal, "memory_is_causal": memory_is_causal}
        return self.decoder(tgt, memory, **decoding)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """A float mask with -inf above the diagonal and 0 elsewhere."""
        return _causal_mask(sz, dtype)

    def _reset_parameters(self):
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
