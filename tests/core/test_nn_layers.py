"""torch.nn's layers and losses through the shared checker (values, gradients against PyTorch
and finite differences, second derivatives, node names), their parameters' gradients, default
initialisation under manual_seed, and printing (repr, parameters, state_dict) as PyTorch."""

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op, nograd

IDX = np.array([[1, 0, 3], [2, 2, 0]])
LABELS = np.array([0, 2, 1, 2])


def seeded(make):
    """fn(t, *inputs) calling the module `make(t.nn)` built right after t.manual_seed(0), so that
    both libraries draw the same initial parameters."""
    def fn(t, *inputs):
        t.manual_seed(0)
        return make(t.nn).double()(*inputs)
    return fn


# name: (fn, inputs, gradgrad)
LAYERS = {
    "Linear": (seeded(lambda nn: nn.Linear(3, 2)), [(4, 3)], True),
    "Linear no bias": (seeded(lambda nn: nn.Linear(3, 2, bias=False)), [(2, 4, 3)], False),
    "Bilinear": (seeded(lambda nn: nn.Bilinear(2, 3, 4)), [(5, 2), (5, 3)], True),
    "Sequential": (seeded(lambda nn: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1),
                                                    nn.Flatten(0, 1))), [(5, 3)], True),
    "Flatten": (seeded(lambda nn: nn.Flatten()), [(2, 3, 2)], False),
    "Unflatten": (seeded(lambda nn: nn.Unflatten(1, (2, 2))), [(3, 4)], False),
    "Identity": (seeded(lambda nn: nn.Sequential(nn.Identity(), nn.Linear(2, 2))), [(3, 2)],
                 False),
    "Dropout eval": (seeded(lambda nn: nn.Dropout(0.3).eval()), [(3, 4)], False),
    "Dropout": (seeded(lambda nn: nn.Dropout(0.3)), [(3, 4)], False),
    "LayerNorm": (seeded(lambda nn: nn.LayerNorm(4)), [(3, 4)], True),
    "LayerNorm 2d no affine": (seeded(lambda nn: nn.LayerNorm((2, 3), elementwise_affine=False)),
                               [(2, 2, 3)], True),
    "BatchNorm1d": (seeded(lambda nn: nn.BatchNorm1d(3)), [(4, 3)], True),
    "BatchNorm1d 3d": (seeded(lambda nn: nn.BatchNorm1d(2)), [(3, 2, 4)], True),
    "BatchNorm1d eval": (seeded(lambda nn: nn.BatchNorm1d(3).eval()), [(4, 3)], True),
    "Conv1d": (seeded(lambda nn: nn.Conv1d(2, 3, 3)), [(2, 2, 6)], True),
    "Conv1d strided padded dilated": (
        seeded(lambda nn: nn.Conv1d(2, 3, 2, stride=2, padding=1, dilation=2, bias=False)),
        [(2, 2, 7)], True),
    "Conv1d same unbatched": (seeded(lambda nn: nn.Conv1d(2, 2, 3, padding="same")), [(2, 5)],
                              True),
    "Conv2d": (seeded(lambda nn: nn.Conv2d(2, 3, (2, 3))), [(2, 2, 4, 5)], True),
    "Conv2d strided padded": (seeded(lambda nn: nn.Conv2d(1, 2, 3, stride=2, padding=1)),
                              [(1, 1, 5, 5)], True),
    "Conv3d grouped": (seeded(lambda nn: nn.Conv3d(2, 4, 2, stride=(1, 2, 1), padding=1,
                                                   groups=2)), [(1, 2, 3, 4, 2)], True),
    "Conv2d same, odd total padding": (seeded(lambda nn: nn.Conv2d(1, 2, (2, 3), padding="same")),
                                       [(1, 1, 3, 4)], True),
    # a padding_mode other than zeros: F.pad with that mode, then the convolution unpadded
    **{f"Conv{nd}d padding_mode={mode}": (
        seeded(lambda nn, nd=nd, mode=mode: getattr(nn, f"Conv{nd}d")(
            2, 3, 3, padding=1 if nd != 2 else "same", padding_mode=mode, dilation=1)),
        [(1, 2) + (4,) * nd], nd < 3)
        for nd in (1, 2, 3) for mode in ("reflect", "replicate", "circular")},
    "ConvTranspose1d": (seeded(lambda nn: nn.ConvTranspose1d(2, 3, 3, stride=2, padding=1,
                                                             output_padding=1)), [(2, 2, 4)], True),
    "ConvTranspose2d grouped dilated": (
        seeded(lambda nn: nn.ConvTranspose2d(4, 2, (2, 3), stride=(2, 1), groups=2,
                                             dilation=(1, 2), bias=False)), [(1, 4, 3, 2)], True),
    "ConvTranspose3d unbatched": (seeded(lambda nn: nn.ConvTranspose3d(1, 2, 2, stride=2)),
                                  [(1, 2, 1, 2)], True),
    "ReLU": (seeded(lambda nn: nn.ReLU()), [(2, 3)], False),
    "Tanh": (seeded(lambda nn: nn.Tanh()), [(2, 3)], True),
    "Sigmoid": (seeded(lambda nn: nn.Sigmoid()), [(2, 3)], True),
    "Softmax": (seeded(lambda nn: nn.Softmax(dim=1)), [(2, 3)], True),
    "LogSoftmax": (seeded(lambda nn: nn.LogSoftmax(dim=0)), [(2, 3)], True),
    "GELU": (seeded(lambda nn: nn.GELU()), [(2, 3)], True),
    "GELU tanh": (seeded(lambda nn: nn.GELU("tanh")), [(2, 3)], True),
    "LeakyReLU": (seeded(lambda nn: nn.LeakyReLU(0.2)), [(2, 3)], True),
    "ELU": (seeded(lambda nn: nn.ELU(0.5)), [(2, 3)], True),
    "SiLU": (seeded(lambda nn: nn.SiLU()), [(2, 3)], True),
    "Softplus": (seeded(lambda nn: nn.Softplus(2.0, 1.0)), [(2, 3)], True),
    "MSELoss": (seeded(lambda nn: nn.MSELoss()), [(2, 3), (2, 3)], True),
    "MSELoss sum": (seeded(lambda nn: nn.MSELoss(reduction="sum")), [(2, 3), (2, 3)], False),
    "L1Loss": (seeded(lambda nn: nn.L1Loss()), [(2, 3), (2, 3)], False),
    "SmoothL1Loss": (seeded(lambda nn: nn.SmoothL1Loss()), [(2, 3), (2, 3)], True),
    "SmoothL1Loss beta sum": (seeded(lambda nn: nn.SmoothL1Loss(reduction="sum", beta=0.5)),
                              [(2, 3), (2, 3)], True),
    "SmoothL1Loss none": (seeded(lambda nn: nn.SmoothL1Loss(reduction="none")),
                          [(2, 3), (2, 3)], False),
    "HuberLoss": (seeded(lambda nn: nn.HuberLoss(delta=0.7)), [(2, 3), (2, 3)], True),
    "HuberLoss none": (seeded(lambda nn: nn.HuberLoss(reduction="none")), [(2, 3), (2, 3)],
                       False),
    "CrossEntropyLoss": (seeded(lambda nn: nn.CrossEntropyLoss()), [(4, 3), nograd(LABELS)],
                         True),
    "CrossEntropyLoss smoothing weight": (
        lambda t, x, y, w: t.nn.CrossEntropyLoss(weight=w, label_smoothing=0.2)(x, y),
        [(4, 3), nograd(LABELS), nograd(np.array([1.0, 2.0, 0.5]))], False),
    "NLLLoss weight": (lambda t, x, y, w: t.nn.NLLLoss(weight=w)(x, y),
                       [(4, 3), nograd(LABELS), nograd(np.array([1.0, 2.0, 0.5]))], False),
    "BCELoss": (seeded(lambda nn: nn.BCELoss()), [(2, 3), nograd((2, 3))], True),
    "BCEWithLogitsLoss": (lambda t, x, y, w: t.nn.BCEWithLogitsLoss(pos_weight=w)(x, y),
                          [(2, 3), nograd((2, 3)), nograd((3,))], True),
    "KLDivLoss batchmean": (seeded(lambda nn: nn.KLDivLoss(reduction="batchmean")),
                            [(2, 3), nograd((2, 3))], True),
    "KLDivLoss none": (seeded(lambda nn: nn.KLDivLoss(reduction="none")),
                       [(2, 3), nograd((2, 3))], False),
    "KLDivLoss log_target": (seeded(lambda nn: nn.KLDivLoss(reduction="sum", log_target=True)),
                             [(2, 3), (2, 3)], True),
}
DOMAINS = {"BCELoss": (0.05, 0.95), "KLDivLoss batchmean": (0.05, 0.95),
           "KLDivLoss none": (0.05, 0.95)}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_through_the_checker(name):
    fn, inputs, gradgrad = LAYERS[name]
    check_op(fn, *inputs, gradgrad=gradgrad, domain=DOMAINS.get(name, (-2.0, 2.0)))


# the new functional ops, every input differentiable
FUNCTIONAL = {
    "layer_norm": (lambda t, x, w, b: t.nn.functional.layer_norm(x, (4,), w, b), [(3, 4), (4,),
                                                                                  (4,)]),
    "batch_norm training": (
        lambda t, x, w, b: t.nn.functional.batch_norm(x, None, None, w, b, training=True),
        [(4, 3), (3,), (3,)]),
    "batch_norm eval": (
        lambda t, x, m, v, w, b: t.nn.functional.batch_norm(x, m, v, w, b, training=False),
        [(4, 3, 2), nograd((3,)), nograd(np.array([0.5, 1.0, 2.0])), (3,), (3,)]),
    "embedding": (lambda t, i, w: t.nn.functional.embedding(i, w), [nograd(IDX), (4, 3)]),
    "smooth_l1_loss": (lambda t, x, y: t.nn.functional.smooth_l1_loss(x, y, beta=0.8),
                       [(2, 3), (2, 3)]),
    "huber_loss": (lambda t, x, y: t.nn.functional.huber_loss(x, y, delta=0.5), [(2, 3), (2, 3)]),
    "kl_div target grad": (lambda t, x, y: t.nn.functional.kl_div(x, y, reduction="sum"),
                           [(2, 3), (2, 3)]),
    "conv1d": (lambda t, x, w, b: t.nn.functional.conv1d(x, w, b, stride=2, padding=1,
                                                        dilation=2), [(2, 2, 7), (3, 2, 3), (3,)]),
    "conv2d": (lambda t, x, w, b: t.nn.functional.conv2d(x, w, b, stride=(2, 1), padding=(1, 2),
                                                        dilation=(1, 2)),
               [(2, 2, 6, 5), (3, 2, 3, 2), (3,)]),
    "conv_transpose2d": (lambda t, x, w, b: t.nn.functional.conv_transpose2d(
        x, w, b, stride=(1, 2), padding=(1, 0), output_padding=(0, 1), groups=2, dilation=2),
        [(2, 4, 3, 2), (4, 1, 2, 2), (2,)]),
    "conv3d": (lambda t, x, w: t.nn.functional.conv3d(x, w, stride=2, dilation=(1, 2, 1)),
               [(1, 2, 3, 5, 3), (2, 2, 2, 2, 1)]),
    "bilinear": (lambda t, x1, x2, w, b: t.nn.functional.bilinear(x1, x2, w, b),
                 [(3, 2), (3, 4), (5, 2, 4), (5,)]),
    **{f"max_unpool{nd}d": (lambda t, x, nd=nd: getattr(t.nn.functional, f"max_unpool{nd}d")(
        *getattr(t.nn.functional, f"max_pool{nd}d")(x, 2, return_indices=True), 2,
        output_size=(5,) * nd), [(1, 2) + (5,) * nd]) for nd in (1, 2, 3)},
}


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional_op_through_the_checker(name):
    fn, inputs = FUNCTIONAL[name]
    domain = (0.1, 2.0) if name.startswith("kl_div") else (-2.0, 2.0)
    check_op(fn, *inputs, gradgrad=True, domain=domain)


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
def test_embedding_padding_row_gets_no_gradient_as_in_pytorch():
    # (not through the checker: finite differences see the padding row's use, the rule ignores it)
    w0 = np.random.default_rng(0).standard_normal((4, 3))
    grads = []
    for mod in (gradsh, TORCH):
        w = mod.from_numpy(w0.copy()).requires_grad_()
        out = mod.nn.functional.embedding(mod.from_numpy(IDX.copy()), w, padding_idx=0)
        (out * out).sum().backward()
        grads.append((w.grad.numpy().copy(), type(out.grad_fn).__name__))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-12)
    assert grads[0][1] == grads[1][1] == "EmbeddingBackward0"


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("max_norm, norm_type, by_freq, padding_idx",
                         [(0.5, 2.0, False, None), (1.0, 1.0, True, None), (2.5, 3.0, True, 2),
                          (100.0, 2.0, False, None)])
def test_embedding_max_norm_and_scale_grad_by_freq_as_pytorch(max_norm, norm_type, by_freq,
                                                              padding_idx):
    # max_norm renormalises the looked-up rows in place (one version bump, even when no row
    # changes); scale_grad_by_freq divides a row's gradient by its index's count
    w0 = np.random.default_rng(1).standard_normal((6, 3)).astype(np.float32)
    got = []
    for mod in (gradsh, TORCH):
        emb = mod.nn.Embedding(6, 3, max_norm=max_norm, norm_type=norm_type,
                               scale_grad_by_freq=by_freq, padding_idx=padding_idx,
                               _weight=mod.from_numpy(w0.copy()))
        version = emb.weight._version
        out = emb(mod.from_numpy(IDX.copy()))
        (out * mod.arange(18.0).reshape(2, 3, 3)).sum().backward()
        got.append((emb.weight.detach().numpy().copy(), emb.weight.grad.numpy().copy(),
                    emb.weight._version - version))
    np.testing.assert_array_equal(got[0][0], got[1][0])
    np.testing.assert_array_equal(got[0][1], got[1][1])
    assert got[0][2] == got[1][2]



@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("indices", [[-1], [0, -3], [3], [1, 4], [4, -5, 3], [5, -1],
                                     [[2, 7], [9, 0]]])
@pytest.mark.parametrize("kw", [{}, {"padding_idx": -1}, {"max_norm": 1.0}])
def test_embedding_index_outside_the_table_is_an_index_error_negative_ones_too(indices, kw):
    # (max_norm's renorm selects the rows first: its select() wraps negative indices and names
    # the smallest index outside the table)
    def outcome(mod):
        try:
            mod.nn.functional.embedding(mod.tensor(indices), mod.eye(3), **kw)
        except IndexError as e:
            return str(e)
    assert outcome(gradsh) == outcome(TORCH) is not None


MODELS = {
    "mlp": lambda nn: nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.LayerNorm(5),
                                    nn.Linear(5, 2)),
    "batchnorm": lambda nn: nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(),
                                          nn.Linear(4, 2)),
    "bilinear": lambda nn: nn.Sequential(nn.Linear(3, 3), nn.Tanh()),
    "conv": lambda nn: nn.Sequential(nn.Unflatten(1, (1, 3)), nn.Conv1d(1, 4, 2, padding=1),
                                     nn.ReLU(), nn.Conv1d(4, 2, 2, stride=2), nn.Flatten()),
}


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("name", list(MODELS))
def test_parameter_gradients_and_initial_values_match_pytorch(name):
    x = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32)
    results = []
    for mod in (gradsh, TORCH):
        mod.manual_seed(0)
        model = MODELS[name](mod.nn)
        initial = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
        out = model(mod.from_numpy(x.copy()))
        (out * out).sum().backward()
        grads = {k: p.grad.numpy().copy() for k, p in model.named_parameters()}
        after = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
        results.append((initial, grads, after))
    (gi, gg, ga), (ti, tg, ta) = results
    assert list(gi) == list(ti) and list(gg) == list(tg)
    for k in ti:
        np.testing.assert_array_equal(gi[k], ti[k])  # initial values: the same bits
        np.testing.assert_allclose(ga[k], ta[k], rtol=1e-5, atol=1e-6)  # running stats
    for k in tg:
        np.testing.assert_allclose(gg[k], tg[k], rtol=1e-4, atol=1e-5)


INITS = [
    lambda init, w: init.uniform_(w, -0.5, 2.0),
    lambda init, w: init.normal_(w, 1.0, 0.3),
    lambda init, w: init.zeros_(w),
    lambda init, w: init.ones_(w),
    lambda init, w: init.constant_(w, 0.25),
    lambda init, w: init.xavier_uniform_(w),
    lambda init, w: init.xavier_normal_(w, gain=init.calculate_gain("tanh")),
    lambda init, w: init.kaiming_uniform_(w, nonlinearity="relu"),
    lambda init, w: init.kaiming_normal_(w, mode="fan_out"),
    lambda init, w: init.kaiming_uniform_(w, a=0.1),
]


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("k", range(len(INITS)))
def test_init_draws_pytorchs_numbers(k):
    outs = []
    for mod in (gradsh, TORCH):
        mod.manual_seed(3)
        w = mod.nn.Parameter(mod.empty(4, 5, 2))
        INITS[k](mod.nn.init, w)
        outs.append((w.detach().numpy().copy(), w.requires_grad, w.is_leaf))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    assert outs[0][1:] == outs[1][1:]


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("shape", [(4, 10), (20, 2), (3, 3)])
def test_orthogonal_init_is_pytorchs_qr_of_the_same_draws(shape):
    # the draws are PyTorch's; the QR is LAPACK's on both sides, but numpy's and PyTorch's
    # LAPACK builds round otherwise in the last bit (as matmul's BLAS does: docs/nn.md)
    outs = []
    for mod in (gradsh, TORCH):
        mod.manual_seed(3)
        w = mod.nn.Parameter(mod.empty(*shape))
        assert mod.nn.init.orthogonal_(w, gain=mod.nn.init.calculate_gain("relu")) is w
        outs.append((w.detach().numpy().copy(), w.requires_grad, w.is_leaf, w._version))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=0, atol=4e-7)
    assert outs[0][1:] == outs[1][1:]


def _zoo(nn):
    return nn.Sequential(
        nn.Linear(2, 2), nn.Flatten(0, 1), nn.Unflatten(1, (2, 2)), nn.Dropout(),
        nn.Embedding(3, 4), nn.Embedding(5, 2, padding_idx=0), nn.LayerNorm(3),
        nn.LayerNorm((2, 3), elementwise_affine=False), nn.BatchNorm1d(3),
        nn.BatchNorm1d(4, affine=False, momentum=None), nn.Bilinear(2, 3, 4), nn.Identity(),
        nn.ReLU(), nn.ReLU(inplace=True), nn.Tanh(), nn.Sigmoid(), nn.Softmax(1),
        nn.LogSoftmax(dim=1), nn.Softmax(), nn.GELU(), nn.GELU("tanh"), nn.LeakyReLU(),
        nn.LeakyReLU(0.2), nn.ELU(), nn.ELU(0.5), nn.SiLU(), nn.Softplus(), nn.Softplus(2, 10),
        nn.MSELoss(), nn.L1Loss(), nn.SmoothL1Loss(), nn.HuberLoss(), nn.CrossEntropyLoss(),
        nn.NLLLoss(), nn.BCELoss(), nn.BCEWithLogitsLoss(), nn.KLDivLoss(),
        nn.Linear(3, 1, bias=False), nn.Conv1d(1, 2, 3), nn.Conv1d(2, 4, 3, padding="same"),
        nn.Conv2d(1, 2, 3, stride=2, padding=1), nn.Conv2d(2, 4, (2, 3), dilation=2, bias=False),
        nn.Conv3d(2, 4, 3, stride=2, padding=1, groups=2), nn.ConvTranspose1d(4, 6, 3, stride=2,
        padding=1, output_padding=1, groups=2, dilation=2), nn.ConvTranspose2d(3, 2, (2, 3),
        bias=False), nn.ConvTranspose3d(2, 2, 2), nn.Conv2d(4, 4, 3, padding="same", groups=4),
        nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU()]),
        nn.ModuleDict({"a": nn.ReLU(), "b": nn.Sequential(nn.Tanh())}),
    )


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
def test_models_parameters_and_state_dicts_print_as_pytorch():
    texts = []
    for mod in (gradsh, TORCH):
        mod.manual_seed(0)
        model = _zoo(mod.nn)
        plist = mod.nn.ParameterList([mod.nn.Parameter(mod.ones(2)), mod.nn.Parameter(
            mod.zeros(2, 3))])
        texts.append((repr(model), str(list(model.parameters())), str(model.state_dict()),
                      repr(plist), [n for n, _ in model.named_modules()],
                      [n for n, _ in model.named_parameters()],
                      [n for n, _ in model.named_buffers()],
                      repr(model.load_state_dict(model.state_dict()))))
    for ours, theirs in zip(*texts):
        assert ours == theirs


@pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")
def test_module_behaviour_matches_pytorch():
    outs = []
    for mod in (gradsh, TORCH):
        nn = mod.nn
        mod.manual_seed(0)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 2)
                self.register_buffer("scale", mod.tensor([2.0]))
                self.register_buffer("tmp", mod.zeros(1), persistent=False)
                self.plain = 3

            def forward(self, x):
                return self.fc(x) * self.scale

        net = Net()
        log = []
        h1 = net.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        h2 = net.register_forward_hook(lambda m, args, out: log.append(out.shape) or out + 1)
        x = mod.ones(1, 2)
        y = net(x)
        h1.remove()
        h2.remove()
        y2 = net(x)
        y.sum().backward()
        g1 = net.fc.weight.grad.tolist()
        net.zero_grad()
        g2 = net.fc.weight.grad
        names = []
        net.apply(lambda m: names.append(type(m).__name__))
        net.eval()
        training = [m.training for m in net.modules()]
        net.requires_grad_(False)
        flags = [p.requires_grad for p in net.parameters()]
        try:
            net.fc = 3
        except TypeError as e:
            err1 = str(e)
        try:
            net.load_state_dict({"fc.weight": mod.zeros(2, 2)})
        except RuntimeError as e:
            err2 = str(e)
        missing = net.load_state_dict({"fc.weight": mod.zeros(2, 2), "extra": mod.ones(1)},
                                      strict=False)
        outs.append((y.tolist(), y2.tolist(), len(log), g1, g2, names, training, flags,
                     list(net.state_dict()), list(dict(net.named_children())), err1, err2,
                     repr(missing), net.fc.weight.tolist(), isinstance(net.fc.weight,
                                                                         nn.Parameter),
                     repr(net.fc.weight)))
    for ours, theirs in zip(*outs):
        assert ours == theirs


def test_deepcopy_of_a_model_copies_its_parameters_as_parameters():
    import copy
    gradsh.manual_seed(0)
    model = gradsh.nn.Sequential(gradsh.nn.Linear(2, 2), gradsh.nn.BatchNorm1d(2))
    twin = copy.deepcopy(model)
    assert [n for n, _ in twin.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert all(isinstance(p, gradsh.nn.Parameter) for p in twin.parameters())
    assert twin[0].weight is not model[0].weight
    assert twin[0].weight.tolist() == model[0].weight.tolist()
    assert repr(twin[0].weight).startswith("Parameter containing:\n")


@pytest.mark.parametrize("cls, name", [("Softmax", "softmax"), ("LogSoftmax", "log_softmax")])
def test_softmax_without_dim_warns_as_pytorch_and_picks_its_dim(cls, name):
    x = gradsh.tensor([[1.0, 2.0], [3.0, 5.0]])
    with pytest.warns(UserWarning, match=f"^Implicit dimension choice for {name} has been "
                      "deprecated. Change the call to include dim=X as an argument.$"):
        out = getattr(gradsh.nn, cls)()(x)
    assert out.allclose(getattr(gradsh.nn, cls)(dim=1)(x))
