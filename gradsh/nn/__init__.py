"""torch.nn for gradsh: modules, parameters, init and the functional interface (re-exports).

The module classes load on first use (PEP 562), so `import gradsh` stays as quick as before nn
existed; `torch.nn.Linear` reads the same either way.
"""

from .._lazy import lazy_exports as _lazy_exports

from . import functional  # noqa: F401

_HOME = {
    "gradsh.core.nn.activation": ("ELU", "GELU", "Hardtanh", "LeakyReLU", "LogSigmoid",
                                  "LogSoftmax", "ReLU", "ReLU6", "SiLU", "Sigmoid", "Softmax",
                                  "Softmin", "Softplus", "Softsign", "Tanh"),
    "gradsh.core.nn.activation_more": ("CELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish",
                                       "Mish", "PReLU", "RReLU", "SELU", "Softmax2d",
                                       "Softshrink", "Tanhshrink", "Threshold"),
    "gradsh.core.nn.adaptive": ("AdaptiveLogSoftmaxWithLoss",),
    "gradsh.core.nn.parallel": ("DataParallel",),
    "gradsh.core.nn.container": ("Container", "ModuleDict", "ModuleList", "ParameterDict", "ParameterList",
                                  "Sequential"),
    "gradsh.core.nn.conv": ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                            "ConvTranspose3d"),
    "gradsh.core.nn.distance": ("CosineSimilarity", "PairwiseDistance"),
    "gradsh.core.nn.dropout": ("AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d",
                               "FeatureAlphaDropout"),
    "gradsh.core.nn.flatten": ("Flatten", "Unflatten"),
    "gradsh.core.nn.fold": ("Fold", "Unfold"),
    "gradsh.core.nn.lazy": ("LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyConv1d",
                            "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d",
                            "LazyConvTranspose2d", "LazyConvTranspose3d", "LazyInstanceNorm1d",
                            "LazyInstanceNorm2d", "LazyInstanceNorm3d", "LazyLinear"),
    "gradsh.core.nn.linear": ("Bilinear", "Identity", "Linear"),
    "gradsh.core.nn.loss": ("BCELoss", "BCEWithLogitsLoss", "CTCLoss", "CrossEntropyLoss",
                            "HuberLoss", "KLDivLoss", "L1Loss", "LinearCrossEntropyLoss", "MSELoss",
                            "NLLLoss", "NLLLoss2d",
                            "SmoothL1Loss"),
    "gradsh.core.nn.margin_loss": ("CosineEmbeddingLoss", "GaussianNLLLoss",
                                   "HingeEmbeddingLoss", "MarginRankingLoss",
                                   "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss",
                                   "MultiMarginLoss", "PoissonNLLLoss", "SoftMarginLoss",
                                   "TripletMarginLoss", "TripletMarginWithDistanceLoss"),
    "gradsh.core.nn.module": ("Module",),
    "gradsh.core.nn.normalization": ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm",
                                     "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
                                     "LayerNorm", "LocalResponseNorm", "RMSNorm", "SyncBatchNorm"),
    "gradsh.core.nn.parameter": ("Buffer", "Parameter", "UninitializedBuffer",
                                 "UninitializedParameter"),
    "gradsh.core.nn.padding": ("CircularPad1d", "CircularPad2d", "CircularPad3d",
                               "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
                               "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
                               "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d",
                               "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"),
    "gradsh.core.nn.pooling": ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
                               "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
                               "AvgPool1d", "AvgPool2d", "AvgPool3d", "FractionalMaxPool2d",
                               "FractionalMaxPool3d", "MaxPool1d", "MaxPool2d",
                               "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"),
    "gradsh.core.nn.rnn": ("GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell",
                           "RNNCellBase"),
    "gradsh.core.nn.sparse": ("Embedding", "EmbeddingBag"),
    "gradsh.core.nn.upsampling": ("Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"),
    "gradsh.core.nn.transformer": ("MultiheadAttention", "Transformer", "TransformerDecoder",
                                   "TransformerDecoderLayer", "TransformerEncoder",
                                   "TransformerEncoderLayer"),
    "gradsh.core.nn.shuffle": ("ChannelShuffle", "PixelShuffle", "PixelUnshuffle"),
    "gradsh.core.nn.lp_pool": ("LPPool1d", "LPPool2d", "LPPool3d"),
}
_WHERE = {name: module for module, names in _HOME.items() for name in names}
_SUBMODULES = ("init", "parameter", "utils", "modules", "parallel")

__getattr__, __dir__ = _lazy_exports(globals(), "torch.nn", _WHERE, _SUBMODULES, ("functional",))
