"""Cases of the torch.nn module sweep (branch nnmods, issue 15): every module class a learner
meets, as a learner meets it. Each case builds a module under torch.manual_seed(0) and prints
its repr, its parameters and buffers bit for bit (float.hex of every value: PyTorch's init
order and its kaiming/xavier/uniform draws), its state_dict keys, then runs it forward on an
input drawn after construction (batchless, 1-sized, empty-batch and float64 variants where they
matter) and backward, printing the output's grad_fn name, shape, dtype and rounded values and
the rounded gradients of the input and of every parameter; modules that hold running
statistics print them after a train step and an eval step. The printed text (and `!! Kind:
message` for an escaping exception) is recorded from PyTorch 2.13 by
tools/record_nn_modules_sweep.py into nn_modules_sweep.json and compared by
tests/nn/test_nn_modules_sweep.py. Values are rounded to 4 decimals through R (-0 made 0): the
last bits of a forward pass are the kernels' own tests' business; the init is compared exactly.
"""

HELPERS = """
nn = torch.nn

def R(t):
    t = t.detach()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.float()
    if not t.is_floating_point():
        return t.tolist()
    return ((t * 1e4).round() / 1e4 + 0.0).tolist()

def H(t):
    return [float(v).hex() for v in t.detach().double().flatten().tolist()]

def show(m):
    print(repr(m))
    for n, p in m.named_parameters():
        print('param', n, tuple(p.shape), p.dtype, p.requires_grad, H(p))
    for n, b in m.named_buffers():
        print('buffer', n, tuple(b.shape), b.dtype, H(b) if b.is_floating_point() else b.tolist())
    print('keys', list(m.state_dict().keys()))

def through(m, *xs, loss=None):
    xs = [x.requires_grad_() if x.is_floating_point() else x for x in xs]
    y = m(*xs)
    if isinstance(y, tuple):
        parts = [t for t in y if isinstance(t, torch.Tensor)]
        for t in parts:
            print('out', tuple(t.shape), t.dtype, R(t))
        y = parts[0]
    print('node', type(y.grad_fn).__name__ if y.grad_fn is not None else None,
          tuple(y.shape), y.dtype, R(y))
    if y.requires_grad:
        w = torch.arange(y.numel(), dtype=y.dtype).reshape(y.shape).sin()
        (y * w).sum().backward()
        for i, x in enumerate(xs):
            if x.is_floating_point():
                print('xgrad', i, None if x.grad is None else R(x.grad))
        for n, p in m.named_parameters():
            print('pgrad', n, None if p.grad is None else R(p.grad))
    return y
"""


def _module(ctor, *inputs, double=False, train_eval=False):
    """A case: construct, show, draw inputs, run forward/backward; optionally in float64 and
    through a train and an eval step (running statistics printed after each)."""
    lines = [f"m = nn.{ctor}"]
    if double:
        lines.append("m = m.double()")
    lines.append("show(m)")
    args = ", ".join(inputs)
    lines.append(f"through(m, {args})")
    if train_eval:
        lines += ["print('buffers', [(n, R(b)) for n, b in m.named_buffers()])",
                  "m.eval()",
                  f"with torch.no_grad(): print('eval', R(m({args})))",
                  "print('buffers', [(n, R(b)) for n, b in m.named_buffers()])"]
    return "\n".join(lines) + "\n"


def _raises(ctor, inp):
    return f"m = nn.{ctor}\nm({inp})\n"


RN = "torch.randn"
CASES = {
    # ----- linear family ------------------------------------------------------------------------
    "Linear": _module("Linear(4, 3)", f"{RN}(2, 4)"),
    "Linear_batchless": _module("Linear(4, 3)", f"{RN}(4)"),
    "Linear_empty_batch": _module("Linear(4, 3)", f"{RN}(0, 4)"),
    "Linear_3d_no_bias": _module("Linear(3, 2, bias=False)", f"{RN}(2, 1, 3)"),
    "Linear_float64": _module("Linear(3, 2)", f"{RN}(2, 3, dtype=torch.float64)", double=True),
    "Linear_dtype_kw": "m = nn.Linear(2, 2, dtype=torch.float64)\nshow(m)\n",
    "Linear_zero_features": _module("Linear(0, 3)", f"{RN}(2, 0)"),
    "Linear_wrong_features": _raises("Linear(4, 3)", f"{RN}(2, 5)"),
    "Bilinear": _module("Bilinear(3, 2, 4)", f"{RN}(2, 3)", f"{RN}(2, 2)"),
    "Bilinear_no_bias": _module("Bilinear(2, 2, 1, bias=False)", f"{RN}(3, 2)", f"{RN}(3, 2)"),
    "Identity": _module("Identity(54, unused='x')", f"{RN}(2, 3)"),
    "LazyLinear": "m = nn.LazyLinear(3)\nprint(m)\nthrough(m, torch.randn(2, 5))\nshow(m)\n",
    # ----- convolutions -------------------------------------------------------------------------
    "Conv1d": _module("Conv1d(2, 3, 3)", f"{RN}(2, 2, 7)"),
    "Conv1d_batchless": _module("Conv1d(2, 3, 3, padding=1)", f"{RN}(2, 5)"),
    "Conv1d_stride_dilation_groups": _module("Conv1d(4, 2, 2, stride=2, dilation=2, groups=2)",
                                             f"{RN}(1, 4, 9)"),
    "Conv1d_padding_same_reflect": _module("Conv1d(1, 2, 4, padding='same', padding_mode='reflect')",
                                           f"{RN}(2, 1, 6)"),
    "Conv2d": _module("Conv2d(3, 2, 3)", f"{RN}(1, 3, 5, 5)"),
    "Conv2d_tuple_args": _module("Conv2d(2, 4, (2, 3), stride=(2, 1), padding=(1, 0), bias=False)",
                                 f"{RN}(2, 2, 4, 5)"),
    "Conv2d_circular": _module("Conv2d(1, 1, 3, padding=1, padding_mode='circular')",
                               f"{RN}(1, 1, 4, 4)"),
    "Conv2d_replicate_same": _module("Conv2d(2, 2, 3, padding='same', padding_mode='replicate', groups=2)",
                                     f"{RN}(2, 4, 3)"),
    "Conv2d_empty_batch": _module("Conv2d(1, 2, 2)", f"{RN}(0, 1, 3, 3)"),
    "Conv2d_float64": _module("Conv2d(1, 2, 2)", f"{RN}(1, 1, 3, 3, dtype=torch.float64)", double=True),
    "Conv2d_channels_last": _module("Conv2d(3, 2, 2)",
                                    f"{RN}(1, 3, 4, 4).to(memory_format=torch.channels_last)"),
    "Conv2d_wrong_rank": _raises("Conv2d(1, 2, 2)", f"{RN}(3, 3)"),
    "Conv2d_wrong_channels": _raises("Conv2d(3, 2, 2)", f"{RN}(1, 2, 4, 4)"),
    "Conv2d_kernel_too_big": _raises("Conv2d(1, 1, 5)", f"{RN}(1, 1, 3, 3)"),
    "Conv2d_bad_groups": "nn.Conv2d(3, 2, 1, groups=2)\n",
    # the message lists a set of strings, whose order follows the process's string hashing
    "Conv2d_bad_padding_mode": "try:\n    nn.Conv2d(3, 2, 1, padding_mode='mirror')\n"
                               "except ValueError as e:\n    print(str(e).split(', but')[1])\n",
    "Conv2d_same_with_stride": "nn.Conv2d(3, 2, 3, stride=2, padding='same')\n",
    "Conv3d": _module("Conv3d(1, 2, 2)", f"{RN}(1, 1, 3, 3, 3)"),
    "ConvTranspose1d": _module("ConvTranspose1d(2, 3, 3, stride=2)", f"{RN}(1, 2, 4)"),
    "ConvTranspose2d": _module("ConvTranspose2d(2, 1, 3, stride=2, padding=1, output_padding=1)",
                               f"{RN}(1, 2, 3, 3)"),
    "ConvTranspose2d_groups_dilation": _module("ConvTranspose2d(4, 2, 2, groups=2, dilation=2, bias=False)",
                                               f"{RN}(4, 2, 2)"),
    "ConvTranspose3d": _module("ConvTranspose3d(1, 1, 2)", f"{RN}(1, 1, 2, 2, 2)"),
    # ----- normalization ------------------------------------------------------------------------
    "BatchNorm1d": _module("BatchNorm1d(3)", f"{RN}(4, 3)", train_eval=True),
    "BatchNorm1d_3d": _module("BatchNorm1d(2, momentum=None)", f"{RN}(3, 2, 4)", train_eval=True),
    "BatchNorm1d_no_affine_no_stats": _module("BatchNorm1d(2, affine=False, track_running_stats=False)",
                                              f"{RN}(3, 2)", train_eval=True),
    "BatchNorm1d_one_value": _raises("BatchNorm1d(3)", f"{RN}(1, 3)"),
    "BatchNorm1d_wrong_rank": _raises("BatchNorm1d(3)", f"{RN}(1, 3, 2, 2)"),
    "BatchNorm2d": _module("BatchNorm2d(2, eps=1e-3, momentum=0.5)", f"{RN}(2, 2, 3, 3)",
                           train_eval=True),
    "BatchNorm2d_float64": _module("BatchNorm2d(2)", f"{RN}(2, 2, 2, 2, dtype=torch.float64)",
                                   double=True, train_eval=True),
    "SyncBatchNorm": _module("SyncBatchNorm(3, momentum=0.2)", f"{RN}(2, 3, 2)", train_eval=True),
    "SyncBatchNorm_4d_momentum_none": _module("SyncBatchNorm(2, momentum=None, affine=False)",
                                              f"{RN}(2, 2, 1, 3)", train_eval=True),
    "SyncBatchNorm_1d_input": _raises("SyncBatchNorm(3)", f"{RN}(3)"),
    "SyncBatchNorm_convert": "net = nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2, affine=False),\n"
                             "                    nn.Sequential(nn.BatchNorm1d(2, momentum=None)))\n"
                             "net[2][0].eval()\nw = net[2][0].weight\n"
                             "c = nn.SyncBatchNorm.convert_sync_batchnorm(net)\nshow(c)\n"
                             "print(c is net, c[2][0].weight is w, c[2][0].training, c[1].training)\n"
                             "print(nn.SyncBatchNorm.convert_sync_batchnorm(nn.BatchNorm3d(2, track_running_stats=False)))\n"
                             "print(nn.SyncBatchNorm.convert_sync_batchnorm(nn.Linear(1, 1)))\n",
    "BatchNorm3d": _module("BatchNorm3d(1)", f"{RN}(2, 1, 2, 2, 2)", train_eval=True),
    "LayerNorm": _module("LayerNorm(4)", f"{RN}(2, 4)"),
    "LayerNorm_shape_no_bias": _module("LayerNorm([2, 3], eps=1e-6, bias=False)", f"{RN}(2, 2, 3)"),
    "LayerNorm_no_affine": _module("LayerNorm((3,), elementwise_affine=False)", f"{RN}(3)"),
    "LayerNorm_wrong_shape": _raises("LayerNorm(4)", f"{RN}(2, 3)"),
    "GroupNorm": _module("GroupNorm(2, 4)", f"{RN}(2, 4, 3)"),
    "GroupNorm_bad_groups": "nn.GroupNorm(3, 4)\n",
    "InstanceNorm1d": _module("InstanceNorm1d(2)", f"{RN}(2, 2, 5)"),
    "InstanceNorm2d_affine_stats": _module("InstanceNorm2d(2, affine=True, track_running_stats=True)",
                                           f"{RN}(2, 2, 3, 3)", train_eval=True),
    "InstanceNorm1d_batchless": _module("InstanceNorm1d(3)", f"{RN}(3, 4)"),
    "LocalResponseNorm": _module("LocalResponseNorm(2)", f"{RN}(1, 4, 2, 2)"),
    "RMSNorm": _module("RMSNorm(3)", f"{RN}(2, 3)"),
    "RMSNorm_eps_shape": _module("RMSNorm([2, 2], eps=1e-5)", f"{RN}(3, 2, 2)"),
    # ----- dropout ------------------------------------------------------------------------------
    "Dropout": _module("Dropout(0.3)", f"{RN}(4, 5)", train_eval=True),
    "Dropout_inplace_repr": "print(nn.Dropout(p=0.1, inplace=True))\n",
    "Dropout_bad_p": "nn.Dropout(1.5)\n",
    "Dropout2d": _module("Dropout2d(0.5)", f"{RN}(2, 3, 2, 2)", train_eval=True),
    "AlphaDropout": _module("AlphaDropout(0.2)", f"{RN}(3, 4)", train_eval=True),
    # ----- activations --------------------------------------------------------------------------
    "ReLU": _module("ReLU()", f"{RN}(2, 3)"),
    "LeakyReLU": _module("LeakyReLU(0.2)", f"{RN}(5)"),
    "ELU": _module("ELU(alpha=0.5)", f"{RN}(5)"),
    "GELU_tanh": _module("GELU(approximate='tanh')", f"{RN}(5)"),
    "Softmax_dim": _module("Softmax(dim=1)", f"{RN}(2, 3)"),
    "LogSoftmax": _module("LogSoftmax(dim=-1)", f"{RN}(2, 3)"),
    "Softmin": _module("Softmin(dim=0)", f"{RN}(2, 3)"),
    "PReLU": _module("PReLU(3, init=0.1)", f"{RN}(2, 3, 2)"),
    "RReLU_eval": "m = nn.RReLU(0.1, 0.3)\nshow(m)\nm.eval()\nthrough(m, torch.randn(5))\n",
    "Hardtanh": _module("Hardtanh(-0.5, 0.5)", f"{RN}(6)"),
    "Threshold": _module("Threshold(0.1, 20.0)", f"{RN}(6)"),
    "Softplus": _module("Softplus(beta=2, threshold=1)", f"{RN}(6)"),
    "GLU": _module("GLU(dim=0)", f"{RN}(4, 2)"),
    "MultiheadAttention": "m = nn.MultiheadAttention(4, 2)\nshow(m)\n"
                          "q = torch.randn(3, 1, 4)\nthrough(m, q, q, q)\n",
    "MultiheadAttention_batch_first_kdim":
        "m = nn.MultiheadAttention(4, 1, batch_first=True, kdim=3, vdim=2, bias=False)\nshow(m)\n"
        "through(m, torch.randn(2, 3, 4), torch.randn(2, 5, 3), torch.randn(2, 5, 2))\n",
    # ----- pooling, padding, shape ---------------------------------------------------------------
    "MaxPool2d": _module("MaxPool2d(2, stride=1, padding=1, ceil_mode=True)", f"{RN}(1, 1, 3, 3)"),
    "MaxPool1d_indices": _module("MaxPool1d(2, return_indices=True)", f"{RN}(1, 2, 5)"),
    "AvgPool2d": _module("AvgPool2d(3, stride=2, padding=1, count_include_pad=False)",
                         f"{RN}(3, 4, 4)"),
    "AdaptiveAvgPool2d": _module("AdaptiveAvgPool2d((2, None))", f"{RN}(1, 2, 5, 3)"),
    "AdaptiveMaxPool1d": _module("AdaptiveMaxPool1d(3)", f"{RN}(2, 7)"),
    "LPPool2d": _module("LPPool2d(2, 2)", f"{RN}(1, 1, 4, 4)"),
    "ZeroPad2d": _module("ZeroPad2d((1, 0, 2, 1))", f"{RN}(1, 2, 2)"),
    "ReflectionPad1d": _module("ReflectionPad1d(2)", f"{RN}(1, 1, 4)"),
    "ConstantPad1d": _module("ConstantPad1d((0, 2), 3.5)", f"{RN}(2, 3)"),
    "CircularPad2d": _module("CircularPad2d(1)", f"{RN}(1, 1, 2, 3)"),
    "Flatten": _module("Flatten(0, -1)", f"{RN}(2, 3, 2)"),
    "Unflatten": _module("Unflatten(1, (2, 3))", f"{RN}(2, 6)"),
    "PixelShuffle": _module("PixelShuffle(2)", f"{RN}(1, 4, 2, 2)"),
    "Upsample": _module("Upsample(scale_factor=2, mode='bilinear', align_corners=True)",
                        f"{RN}(1, 1, 2, 2)"),
    "Fold_Unfold": _module("Unfold(2, stride=1)", f"{RN}(1, 2, 3, 3)"),
    # ----- embeddings ---------------------------------------------------------------------------
    "Embedding": _module("Embedding(5, 3, padding_idx=1)", "torch.tensor([[0, 1], [4, 1]])"),
    "Embedding_max_norm": _module("Embedding(4, 2, max_norm=1.0)", "torch.tensor([0, 3, 3])"),
    "Embedding_from_pretrained": "m = nn.Embedding.from_pretrained(torch.arange(6.).reshape(3, 2))\n"
                                 "show(m)\nprint(R(m(torch.tensor([2, 0]))))\n",
    "Embedding_out_of_range": _raises("Embedding(3, 2)", "torch.tensor([3])"),
    "EmbeddingBag": _module("EmbeddingBag(5, 2, mode='max')", "torch.tensor([[0, 2], [4, 4]])"),
    # ----- recurrent ----------------------------------------------------------------------------
    "RNN": _module("RNN(3, 2)", f"{RN}(4, 1, 3)"),
    "RNN_batchless_relu": _module("RNN(2, 3, nonlinearity='relu', num_layers=2)", f"{RN}(3, 2)"),
    "LSTM": _module("LSTM(2, 3, batch_first=True)", f"{RN}(2, 4, 2)"),
    "LSTM_proj_bidir": _module("LSTM(2, 3, proj_size=2, bidirectional=True)", f"{RN}(3, 1, 2)"),
    "GRU": _module("GRU(3, 2, bias=False)", f"{RN}(2, 1, 3)"),
    "RNNCell": _module("RNNCell(3, 2)", f"{RN}(2, 3)"),
    "LSTMCell_batchless": _module("LSTMCell(2, 3)", f"{RN}(2)"),
    "GRUCell": _module("GRUCell(2, 2)", f"{RN}(3, 2)"),
    "LSTM_wrong_rank": _raises("LSTM(2, 3)", f"{RN}(1, 1, 1, 2)"),
    "LSTM_wrong_size": _raises("LSTM(2, 3)", f"{RN}(4, 1, 3)"),
    # ----- transformer --------------------------------------------------------------------------
    "TransformerEncoderLayer": "m = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0)\n"
                               "show(m)\nthrough(m, torch.randn(3, 1, 4))\n",
    # ----- losses -------------------------------------------------------------------------------
    "MSELoss_sum": _module("MSELoss(reduction='sum')", f"{RN}(3)", f"{RN}(3)"),
    "CrossEntropyLoss": _module("CrossEntropyLoss(weight=torch.tensor([1., 2., 0.5]), label_smoothing=0.1)",
                                f"{RN}(4, 3)", "torch.tensor([0, 2, 1, 2])"),
    "CrossEntropyLoss_ignore": _module("CrossEntropyLoss(ignore_index=1, reduction='none')",
                                       f"{RN}(3, 2)", "torch.tensor([1, 0, 1])"),
    "NLLLoss_2d": _module("NLLLoss()", f"{RN}(1, 3, 2, 2)", "torch.tensor([[[0, 2], [1, 1]]])"),
    "BCEWithLogitsLoss": _module("BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 0.5]))",
                                 f"{RN}(3, 2)", "torch.rand(3, 2)"),
    "SmoothL1Loss": _module("SmoothL1Loss(beta=0.5)", f"{RN}(5)", f"{RN}(5)"),
    "HuberLoss": _module("HuberLoss(delta=0.3, reduction='none')", f"{RN}(4)", f"{RN}(4)"),
    "KLDivLoss": _module("KLDivLoss(reduction='batchmean', log_target=True)", f"{RN}(2, 3)", f"{RN}(2, 3)"),
    "CosineSimilarity": _module("CosineSimilarity(dim=0)", f"{RN}(3, 2)", f"{RN}(3, 2)"),
    "PairwiseDistance": _module("PairwiseDistance(p=1.0, keepdim=True)", f"{RN}(2, 3)", f"{RN}(2, 3)"),
    "MSELoss_bad_reduction": "nn.MSELoss(reduction='avg')(torch.ones(2), torch.ones(2))\n",
}

MORE = {
    "AdaptiveAvgPool1d": _module("AdaptiveAvgPool1d(2)", f"{RN}(1, 2, 5)"),
    "AdaptiveAvgPool3d": _module("AdaptiveAvgPool3d(1)", f"{RN}(1, 1, 2, 3, 2)"),
    "AdaptiveMaxPool2d_indices": _module("AdaptiveMaxPool2d(2, return_indices=True)", f"{RN}(1, 3, 3)"),
    "AdaptiveMaxPool3d": _module("AdaptiveMaxPool3d((1, 2, 1))", f"{RN}(1, 1, 2, 3, 2)"),
    "AvgPool1d": _module("AvgPool1d(2, ceil_mode=True)", f"{RN}(1, 2, 5)"),
    "AvgPool3d": _module("AvgPool3d(2, divisor_override=3)", f"{RN}(1, 1, 2, 2, 4)"),
    "MaxPool3d": _module("MaxPool3d(2, stride=1)", f"{RN}(1, 1, 3, 2, 2)"),
    "MaxUnpool1d": "p = nn.MaxPool1d(2, return_indices=True)\nm = nn.MaxUnpool1d(2)\nprint(m)\n"
                   "y, i = p(torch.randn(1, 1, 6))\nthrough(m, y, i)\n",
    "MaxUnpool2d": "p = nn.MaxPool2d(2, return_indices=True)\nm = nn.MaxUnpool2d(2)\nprint(m)\n"
                   "y, i = p(torch.randn(1, 1, 4, 4))\nthrough(m, y, i)\n",
    "LPPool1d": _module("LPPool1d(1.5, 2)", f"{RN}(1, 1, 4).abs()"),
    "LPPool3d": _module("LPPool3d(2, 2)", f"{RN}(1, 1, 2, 2, 2)"),
    "FractionalMaxPool2d": _module("FractionalMaxPool2d(2, output_size=2)", f"{RN}(1, 1, 5, 5)"),
    "FractionalMaxPool3d": _module("FractionalMaxPool3d(2, output_ratio=0.5)", f"{RN}(1, 1, 4, 4, 5)"),
    "MaxUnpool3d": "p = nn.MaxPool3d(2, return_indices=True)\nm = nn.MaxUnpool3d(2)\nprint(m)\n"
                   "y, i = p(torch.randn(1, 1, 2, 4, 2))\nthrough(m, y, i)\n",
    "BCELoss": _module("BCELoss(weight=torch.tensor([1., 2.]))", "torch.rand(3, 2)", "torch.rand(3, 2)"),
    "L1Loss": _module("L1Loss(reduction='none')", f"{RN}(2, 2)", f"{RN}(2, 2)"),
    "CosineEmbeddingLoss": _module("CosineEmbeddingLoss(margin=0.2)", f"{RN}(3, 4)", f"{RN}(3, 4)",
                                   "torch.tensor([1, -1, -1])"),
    "GaussianNLLLoss": _module("GaussianNLLLoss(full=True)", f"{RN}(3, 2)", f"{RN}(3, 2)",
                               "torch.rand(3, 2) + 0.1"),
    "HingeEmbeddingLoss": _module("HingeEmbeddingLoss(margin=0.5)", f"{RN}(4)", "torch.tensor([1, -1, 1, -1])"),
    "MarginRankingLoss": _module("MarginRankingLoss(margin=0.1)", f"{RN}(3)", f"{RN}(3)",
                                 "torch.tensor([1, -1, 1])"),
    "MultiLabelMarginLoss": _module("MultiLabelMarginLoss()", f"{RN}(2, 4)",
                                    "torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1]])"),
    "MultiLabelSoftMarginLoss": _module("MultiLabelSoftMarginLoss()", f"{RN}(2, 3)",
                                        "torch.tensor([[1., 0., 1.], [0., 0., 1.]])"),
    "MultiMarginLoss": _module("MultiMarginLoss(p=2, margin=0.5)", f"{RN}(3, 4)", "torch.tensor([0, 3, 1])"),
    "PoissonNLLLoss": _module("PoissonNLLLoss(log_input=False, full=True)", "torch.rand(4) + 0.5",
                              "torch.tensor([0., 1., 3., 2.])"),
    "SoftMarginLoss": _module("SoftMarginLoss()", f"{RN}(4)", "torch.tensor([1., -1., 1., -1.])"),
    "TripletMarginLoss": _module("TripletMarginLoss(margin=0.5, p=1, swap=True)", f"{RN}(2, 3)",
                                 f"{RN}(2, 3)", f"{RN}(2, 3)"),
    "TripletMarginWithDistanceLoss": _module("TripletMarginWithDistanceLoss(margin=0.3)", f"{RN}(2, 3)",
                                             f"{RN}(2, 3)", f"{RN}(2, 3)"),
    "LinearCrossEntropyLoss": _module("LinearCrossEntropyLoss(4, 3)", f"{RN}(5, 4)",
                                      "torch.tensor([0, 2, 1, 1, 0])"),
    "LinearCrossEntropyLoss_kdim_bias_none": _module(
        "LinearCrossEntropyLoss(4, 3, out_features=(2,), bias=True, reduction='none')",
        f"{RN}(5, 4) * 2", "torch.tensor([[0, 1], [2, 2], [1, 0], [0, 0], [2, 1]])"),
    "LinearCrossEntropyLoss_options": _module(
        "LinearCrossEntropyLoss(3, 4, weight=torch.tensor([1., 2., 0.5, 1.]), ignore_index=1, "
        "label_smoothing=0.1, reduction='sum')", f"{RN}(4, 3)", "torch.tensor([0, 1, 3, 2])"),
    "LinearCrossEntropyLoss_batchless_probs": _module("LinearCrossEntropyLoss(3, 2)", f"{RN}(3)",
                                                      "torch.tensor([0.3, 0.7])"),
    "LinearCrossEntropyLoss_kdim_3d": _module("LinearCrossEntropyLoss(2, 2, out_features=(2, 3))",
                                              f"{RN}(3, 2)", "torch.randint(0, 2, (3, 2, 3))"),
    "LinearCrossEntropyLoss_bad_target": _raises("LinearCrossEntropyLoss(4, 3, out_features=(2,))",
                                                 f"{RN}(5, 4), torch.tensor([0, 1, 2, 0, 1])"),
    "LinearCrossEntropyLoss_3d_input": _raises("LinearCrossEntropyLoss(4, 3)",
                                               f"{RN}(2, 3, 4), torch.zeros(2, 3, dtype=torch.long)"),
    "linear_cross_entropy_errors": "F = torch.nn.functional\n"
        "for f in [lambda: F.linear_cross_entropy(torch.randn(2, 4), torch.randn(3, 5), torch.tensor([0, 1])),\n"
        "          lambda: F.linear_cross_entropy(torch.randn(2, 4), torch.randn(3, 4), torch.tensor([0, 1]), linear_bias=torch.randn(2)),\n"
        "          lambda: F.linear_cross_entropy(torch.randn(2, 4), torch.randn(3, 4), torch.tensor([0, 1]), reduction='avg'),\n"
        "          lambda: F.linear_cross_entropy(torch.randn(4), torch.randn(3, 4), torch.tensor(1))]:\n"
        "    try:\n        print(R(f()))\n    except Exception as e:\n        print(type(e).__name__, e)\n",
    "CTCLoss": "m = nn.CTCLoss(blank=0, zero_infinity=True)\nprint(m)\n"
               "lp = torch.randn(5, 2, 3).log_softmax(2)\n"
               "through(m, lp, torch.tensor([[1, 2], [2, 2]]), torch.tensor([5, 4]), torch.tensor([2, 1]))\n",
    "NLLLoss2d": _module("NLLLoss2d()", f"{RN}(1, 2, 2, 2)", "torch.tensor([[[0, 1], [1, 1]]])"),
    "AdaptiveLogSoftmaxWithLoss": _module("AdaptiveLogSoftmaxWithLoss(4, 6, cutoffs=[2, 4], div_value=2.0)",
                                          f"{RN}(3, 4)", "torch.tensor([0, 3, 5])"),
    "CELU": _module("CELU(0.7)", f"{RN}(5)"),
    "Hardshrink": _module("Hardshrink(0.3)", f"{RN}(5)"),
    "Softshrink": _module("Softshrink(0.3)", f"{RN}(5)"),
    "Hardsigmoid": _module("Hardsigmoid()", f"{RN}(5) * 4"),
    "Hardswish": _module("Hardswish()", f"{RN}(5) * 4"),
    "Mish": _module("Mish()", f"{RN}(5)"),
    "LogSigmoid": _module("LogSigmoid()", f"{RN}(5)"),
    "ReLU6": _module("ReLU6()", f"{RN}(5) * 5"),
    "SELU": _module("SELU()", f"{RN}(5)"),
    "SiLU": _module("SiLU()", f"{RN}(5)"),
    "Sigmoid": _module("Sigmoid()", f"{RN}(5)"),
    "Tanh": _module("Tanh()", f"{RN}(5)"),
    "Softsign": _module("Softsign()", f"{RN}(5)"),
    "Tanhshrink": _module("Tanhshrink()", f"{RN}(5)"),
    "Softmax2d": _module("Softmax2d()", f"{RN}(2, 2, 2)"),
    "ChannelShuffle": _module("ChannelShuffle(2)", f"{RN}(1, 4, 1, 2)"),
    "PixelUnshuffle": _module("PixelUnshuffle(2)", f"{RN}(1, 1, 4, 2)"),
    "UpsamplingNearest2d": _module("UpsamplingNearest2d(size=(3, 2))", f"{RN}(1, 1, 2, 2)"),
    "UpsamplingBilinear2d": _module("UpsamplingBilinear2d(scale_factor=1.5)", f"{RN}(1, 1, 2, 2)"),
    "Fold": _module("Fold(output_size=(3, 3), kernel_size=2)", f"{RN}(1, 4, 4)"),
    "CircularPad1d": _module("CircularPad1d((1, 2))", f"{RN}(1, 3)"),
    "CircularPad3d": _module("CircularPad3d(1)", f"{RN}(1, 1, 2, 2, 2)"),
    "ConstantPad2d": _module("ConstantPad2d(1, -1.0)", f"{RN}(1, 2, 2)"),
    "ConstantPad3d": _module("ConstantPad3d((1, 0, 0, 1, 1, 0), 2.0)", f"{RN}(1, 1, 1, 2)"),
    "ReflectionPad2d": _module("ReflectionPad2d((1, 1, 2, 0))", f"{RN}(1, 3, 3)"),
    "ReflectionPad3d": _module("ReflectionPad3d(1)", f"{RN}(1, 1, 2, 2, 2)"),
    "ReplicationPad1d": _module("ReplicationPad1d((2, 1))", f"{RN}(1, 1, 3)"),
    "ReplicationPad2d": _module("ReplicationPad2d(1)", f"{RN}(1, 2, 2)"),
    "ReplicationPad3d": _module("ReplicationPad3d((0, 1, 1, 0, 0, 1))", f"{RN}(1, 1, 2, 2, 2)"),
    "ZeroPad1d": _module("ZeroPad1d(2)", f"{RN}(1, 2, 2)"),
    "ZeroPad3d": _module("ZeroPad3d(1)", f"{RN}(1, 1, 1, 1, 1)"),
    "ReflectionPad_too_big": _raises("ReflectionPad1d(3)", f"{RN}(1, 1, 3)"),
    "Dropout1d": _module("Dropout1d(0.5)", f"{RN}(2, 4, 3)", train_eval=True),
    "Dropout3d": _module("Dropout3d(0.5)", f"{RN}(1, 3, 1, 2, 2)", train_eval=True),
    "FeatureAlphaDropout": _module("FeatureAlphaDropout(0.5)", f"{RN}(1, 4, 2)", train_eval=True),
    "InstanceNorm3d": _module("InstanceNorm3d(2, affine=True)", f"{RN}(1, 2, 2, 2, 2)"),
    "LazyBatchNorm1d": "m = nn.LazyBatchNorm1d()\nprint(m)\nthrough(m, torch.randn(3, 2))\nshow(m)\n",
    "LazyBatchNorm2d": "m = nn.LazyBatchNorm2d(momentum=0.3)\nthrough(m, torch.randn(2, 2, 2, 2))\nshow(m)\n",
    "LazyBatchNorm3d": "m = nn.LazyBatchNorm3d()\nthrough(m, torch.randn(2, 1, 2, 1, 2))\nshow(m)\n",
    "LazyConv1d": "m = nn.LazyConv1d(2, 2)\nprint(m)\nthrough(m, torch.randn(1, 3, 4))\nshow(m)\n",
    "LazyConv2d": "m = nn.LazyConv2d(2, 2, bias=False)\nthrough(m, torch.randn(1, 1, 3, 3))\nshow(m)\n",
    "LazyConv3d": "m = nn.LazyConv3d(1, 1)\nthrough(m, torch.randn(1, 2, 1, 2, 2))\nshow(m)\n",
    "LazyConvTranspose1d": "m = nn.LazyConvTranspose1d(2, 2)\nthrough(m, torch.randn(1, 3, 2))\nshow(m)\n",
    "LazyConvTranspose2d": "m = nn.LazyConvTranspose2d(1, 2, stride=2)\nthrough(m, torch.randn(1, 2, 2, 2))\nshow(m)\n",
    "LazyConvTranspose3d": "m = nn.LazyConvTranspose3d(1, 1)\nthrough(m, torch.randn(1, 1, 1, 1, 2))\nshow(m)\n",
    "LazyInstanceNorm1d": "m = nn.LazyInstanceNorm1d(affine=True)\nthrough(m, torch.randn(1, 2, 3))\nshow(m)\n",
    "LazyInstanceNorm2d": "m = nn.LazyInstanceNorm2d()\nthrough(m, torch.randn(1, 2, 2, 2))\nshow(m)\n",
    "LazyInstanceNorm3d": "m = nn.LazyInstanceNorm3d(track_running_stats=True)\nthrough(m, torch.randn(1, 2, 2, 1, 2))\nshow(m)\n",
    "Transformer": "m = nn.Transformer(4, 2, 1, 1, dim_feedforward=4, dropout=0.0)\nshow(m)\n"
                   "through(m, torch.randn(3, 1, 4), torch.randn(2, 1, 4))\n",
    "TransformerDecoderLayer_norm_first": "m = nn.TransformerDecoderLayer(4, 1, 6, 0.0, norm_first=True, batch_first=True)\n"
                                         "show(m)\nthrough(m, torch.randn(1, 2, 4), torch.randn(1, 3, 4))\n",
    "TransformerEncoder": "l = nn.TransformerEncoderLayer(4, 2, 4, 0.0, activation='gelu')\n"
                          "m = nn.TransformerEncoder(l, 2, enable_nested_tensor=False)\nshow(m)\n"
                          "through(m, torch.randn(2, 1, 4))\n",
    "TransformerDecoder": "l = nn.TransformerDecoderLayer(4, 2, 4, 0.0)\n"
                          "m = nn.TransformerDecoder(l, 1, norm=nn.LayerNorm(4))\nshow(m)\n"
                          "through(m, torch.randn(2, 1, 4), torch.randn(3, 1, 4))\n",
    "Sequential": _module("Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))", f"{RN}(4, 2)"),
    "ModuleList": "m = nn.ModuleList([nn.Linear(1, 2), nn.ReLU()])\nm.append(nn.Linear(2, 1))\n"
                  "m.insert(1, nn.Identity())\nshow(m)\nprint(m[1:3])\n",
    "ModuleDict": "m = nn.ModuleDict({'b': nn.Linear(1, 1), 'a': nn.PReLU()})\nm['c'] = nn.Conv1d(1, 1, 1)\n"
                  "show(m)\nprint(list(m.keys()), m.pop('b'))\nshow(m)\n",
    "ParameterList": "m = nn.ParameterList([nn.Parameter(torch.randn(2)), torch.zeros(1, 2)])\n"
                     "m.append(nn.Parameter(torch.ones(3), requires_grad=False))\nshow(m)\n",
    "ParameterDict": "m = nn.ParameterDict({'w': nn.Parameter(torch.randn(2, 2)), 'b': torch.ones(2)})\n"
                     "m.update({'z': nn.Parameter(torch.zeros(1))})\nshow(m)\n",
    "Module_base": "m = nn.Module()\nshow(m)\nm(torch.ones(1))\n",
    "Container": "m = nn.Container(a=nn.Linear(1, 1))\nshow(m)\n",
    "RNNBase": "m = nn.RNNBase('GRU', 2, 1)\nshow(m)\nthrough(m, torch.randn(2, 1, 2))\n",
    "RNNCellBase_repr": "m = nn.GRUCell(2, 3, bias=False)\nprint(isinstance(m, nn.RNNCellBase))\nshow(m)\n",
    "DataParallel_cpu": "m = nn.DataParallel(nn.Linear(2, 1))\nshow(m)\nthrough(m, torch.randn(3, 2))\n",
}
CASES.update(MORE)

# nn.init (seeded draws, bit for bit) and nn.utils, as a learner calls them on a module's tensors
INIT_UTILS = {
    # orthogonal_ goes through a QR factorization (LAPACK's last bits): compared rounded
    f"init_{i:02d}_{name}": f"t = torch.empty({shape})\nr = nn.init.{name}(t{args})\n"
                           f"print(r is t, {'R' if name == 'orthogonal_' else 'H'}(t))\n"
    for i, (name, shape, args) in enumerate([
        ("uniform_", "2, 3", ", -2, 1"), ("normal_", "3, 2", ", 1.0, 0.5"),
        ("trunc_normal_", "4, 2", ", std=2.0, a=-1, b=1"), ("constant_", "2", ", 0.25"),
        ("ones_", "2", ""), ("zeros_", "2", ""), ("eye_", "2, 3", ""), ("dirac_", "4, 2, 3", ", groups=2"),
        ("xavier_uniform_", "3, 5", ", gain=2.0"), ("xavier_normal_", "5, 3", ""),
        ("kaiming_uniform_", "3, 4", ", a=0.1, mode='fan_out', nonlinearity='leaky_relu'"),
        ("kaiming_normal_", "2, 3, 2", ", nonlinearity='relu'"), ("orthogonal_", "3, 5", ", gain=0.5"),
        ("orthogonal_", "5, 2", ""), ("sparse_", "4, 3", ", 0.5, std=0.1"),
        ("kaiming_uniform_", "0, 3", ""), ("xavier_uniform_", "4", ""),
        ("kaiming_normal_", "3, 2", ", nonlinearity='sigmoid'"), ("eye_", "2, 2, 2", ""),
    ])}
INIT_UTILS.update({
    "init_calculate_gain": "print([nn.init.calculate_gain(n) for n in ['linear', 'relu', 'tanh', 'selu', 'sigmoid']],"
                           " nn.init.calculate_gain('leaky_relu', 0.3))\nnn.init.calculate_gain('swish')\n",
    "init_uniform_double_generator": "g = torch.Generator().manual_seed(3)\nt = torch.empty(3, dtype=torch.float64)\n"
                                     "nn.init.uniform_(t, generator=g)\nprint(H(t))\n",
    "init_keeps_grad_off": "m = nn.Linear(2, 2)\nnn.init.normal_(m.weight)\nprint(m.weight.grad_fn, m.weight.requires_grad, H(m.weight))\n",
    "utils_clip_grad_norm": "m = nn.Linear(3, 2)\nm(torch.randn(4, 3)).pow(2).sum().backward()\n"
                            "for f in (False, True):\n"
                            "    print(R(nn.utils.clip_grad_norm_(m.parameters(), 0.5, foreach=f)))\n"
                            "print(R(nn.utils.get_total_norm([p.grad for p in m.parameters()], norm_type='inf')))\n"
                            "print(R(m.weight.grad), R(m.bias.grad))\n",
    "utils_clip_grad_value": "m = nn.Linear(3, 2)\nm(torch.randn(4, 3)).sum().backward()\n"
                             "nn.utils.clip_grad_value_(m.parameters(), 0.3)\nprint(R(m.weight.grad), R(m.bias.grad))\n",
    "utils_clip_nonfinite": "p = nn.Parameter(torch.ones(2))\np.grad = torch.tensor([float('inf'), 1.])\n"
                            "nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)\n",
    "utils_vector_roundtrip": "m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))\n"
                              "v = nn.utils.parameters_to_vector(m.parameters())\nprint(v.shape, R(v))\n"
                              "nn.utils.vector_to_parameters(v * 2, m.parameters())\nprint(R(m[1].weight))\n",
    "utils_weight_norm": "m = nn.utils.parametrizations.weight_norm(nn.Linear(3, 2))\nshow(m)\n"
                         "through(m, torch.randn(2, 3))\n",
    "utils_weight_norm_dim_none": "m = nn.utils.parametrizations.weight_norm(nn.Linear(2, 2), dim=None)\n"
                                  "print(list(m.state_dict().keys()), R(m.parametrizations.weight.original0))\n",
    "utils_spectral_norm": "m = nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2))\nshow(m)\n"
                           "through(m, torch.randn(2, 3))\nm.eval()\nprint(R(m.weight))\n",
    "utils_old_weight_norm": "m = nn.utils.weight_norm(nn.Linear(2, 3), name='weight')\nshow(m)\n"
                             "through(m, torch.randn(1, 2))\nnn.utils.remove_weight_norm(m)\nshow(m)\n",
    "utils_pad_sequence": "a, b = torch.randn(3, 2), torch.randn(1, 2)\n"
                          "print(R(nn.utils.rnn.pad_sequence([a, b])))\n"
                          "print(R(nn.utils.rnn.pad_sequence([a, b], batch_first=True, padding_value=-1, padding_side='left')))\n",
    "utils_pack_unpack": "x = torch.randn(2, 3, 1)\n"
                         "p = nn.utils.rnn.pack_padded_sequence(x, torch.tensor([3, 1]), batch_first=True)\n"
                         "print(p.batch_sizes, R(p.data), p.sorted_indices, p.unsorted_indices)\n"
                         "out, h = nn.GRU(1, 2, batch_first=True)(p)\n"
                         "y, lens = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=4)\n"
                         "print(y.shape, lens, R(y), R(h))\n",
    "utils_pack_unsorted": "x = torch.randn(3, 2)\n"
                           "p = nn.utils.rnn.pack_padded_sequence(x, [1, 3], enforce_sorted=False)\n"
                           "print(p.batch_sizes, p.sorted_indices, p.unsorted_indices, R(p.data))\n"
                           "nn.utils.rnn.pack_padded_sequence(x, [1, 3])\n",
    "utils_pack_sequence": "s = [torch.tensor([1., 2, 3]), torch.tensor([4.]), torch.tensor([5., 6])]\n"
                           "p = nn.utils.rnn.pack_sequence(s, enforce_sorted=False)\nprint(p)\n"
                           "print(nn.utils.rnn.unpack_sequence(p))\nprint(nn.utils.rnn.unpad_sequence(torch.ones(3, 2), torch.tensor([3, 1])))\n",
})
CASES.update(INIT_UTILS)

# double backward in float64 (PyTorch supports it for these): the grad-of-grad node names and
# values; float32 cancellation noise is the learner programs' business (adv8d_double_backward_*)
DOUBLE = {
    "double_backward_" + name: f"m = nn.{ctor}.double()\n"
    "x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)\n"
    "g, = torch.autograd.grad(m(x).pow(3).sum(), x, create_graph=True)\n"
    "print(type(g.grad_fn).__name__)\n"
    "gg = torch.autograd.grad((g * g).sum(), [x] + list(m.parameters()), allow_unused=True)\n"
    "print([None if t is None else R(t) for t in gg])\n"
    for name, ctor in [("LayerNorm", "LayerNorm(3)"), ("BatchNorm1d", "BatchNorm1d(3)"),
                       ("GroupNorm", "GroupNorm(1, 3)"), ("Linear", "Linear(3, 2)"),
                       ("GELU", "GELU()"), ("ELU", "ELU()"), ("Softplus", "Softplus(beta=2)"),
                       ("LogSoftmax", "LogSoftmax(1)"), ("PReLU", "PReLU()"),
                       ("RMSNorm", "RMSNorm(3)"),
                       ("InstanceNorm1d", "InstanceNorm1d(4, affine=True)")]}
CASES.update(DOUBLE)


def run_case(torch, source):
    """What the case prints with `torch`, and `!! Kind: message` for an escaping exception
    (each from torch.manual_seed(0), the default dtype float32, warnings not shown)."""
    import contextlib
    import io
    import warnings
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    out = io.StringIO()
    env = {"torch": torch}
    exec(HELPERS, env)
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(source.strip(), env)
    except Exception as e:  # noqa: BLE001 - recorded as the case's last line
        out.write("!! %s: %s\n" % (type(e).__name__, e))
    return out.getvalue()
