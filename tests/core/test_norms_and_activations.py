"""BatchNorm2d/3d, InstanceNorm*d, GroupNorm, LocalResponseNorm, the activation modules of
issue 15 (PReLU ... Softmax2d) and the channel dropouts against PyTorch: values and gradients
through the shared checker, float32 digits and running statistics of batch norm, training draws,
reprs, parameter and buffer names, and errors with PyTorch's wording."""

import warnings

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op

pytestmark = pytest.mark.skipif(TORCH is None, reason="PyTorch is the oracle")


def seeded(make):
    def fn(t, *inputs):
        t.manual_seed(0)
        return make(t.nn).double()(*inputs)
    return fn


# name: (fn, inputs, gradgrad)
LAYERS = {
    "BatchNorm2d": (seeded(lambda nn: nn.BatchNorm2d(3)), [(2, 3, 2, 2)], True),
    "BatchNorm3d eval": (seeded(lambda nn: nn.BatchNorm3d(2).eval()), [(2, 2, 2, 1, 2)], True),
    "InstanceNorm1d affine": (seeded(lambda nn: nn.InstanceNorm1d(2, affine=True)), [(2, 2, 4)],
                              True),
    "InstanceNorm2d unbatched": (seeded(lambda nn: nn.InstanceNorm2d(2)), [(2, 3, 2)], False),
    "GroupNorm": (seeded(lambda nn: nn.GroupNorm(2, 4)), [(2, 4, 3)], True),
    "LocalResponseNorm": (seeded(lambda nn: nn.LocalResponseNorm(3, alpha=0.5)), [(2, 4, 3)],
                          False),
    "PReLU": (seeded(lambda nn: nn.PReLU(3)), [(2, 3, 2)], False),
    "CELU": (seeded(lambda nn: nn.CELU(0.5)), [(2, 3)], True),
    "GLU": (seeded(lambda nn: nn.GLU(0)), [(4, 3)], True),
    "Softshrink": (seeded(lambda nn: nn.Softshrink(0.3)), [(2, 3)], False),
    "Tanhshrink": (seeded(lambda nn: nn.Tanhshrink()), [(2, 3)], True),
    "RReLU eval": (seeded(lambda nn: nn.RReLU().eval()), [(2, 3)], False),
    "Softmax2d": (seeded(lambda nn: nn.Softmax2d()), [(1, 3, 2, 2)], True),
    "SELU": (seeded(lambda nn: nn.SELU()), [(2, 3)], True),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_through_the_checker(name):
    fn, inputs, gradgrad = LAYERS[name]
    check_op(fn, *inputs, gradgrad=gradgrad)


def _run(lib, make, data, steps=2, train=True):
    """Outputs, input gradient, parameter gradients and buffers after `steps` float32 steps."""
    lib.manual_seed(0)
    module = make(lib.nn).train(train)
    x = lib.tensor(data, requires_grad=True)
    for _ in range(steps):
        out = module(x)
        out.backward(out.detach() * 0.25 + 0.5)
    return (out.detach().numpy(), x.grad.numpy(),
            {n: p.grad.numpy() for n, p in module.named_parameters()},
            {n: b.numpy() for n, b in module.named_buffers()})


BATCH_NORMS = [
    (lambda nn: nn.BatchNorm2d(3, momentum=0.3), (4, 3, 5, 5), True),
    (lambda nn: nn.BatchNorm2d(3, momentum=None), (2, 3, 7, 9), True),
    (lambda nn: nn.BatchNorm3d(2, affine=False), (2, 2, 3, 3, 3), True),
    (lambda nn: nn.BatchNorm1d(16), (64, 16), True),
    (lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 2, 2), False),
    (lambda nn: nn.BatchNorm2d(3).eval(), (4, 3, 5, 5), False),
    (lambda nn: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (4, 3, 5, 5), True),
]


@pytest.mark.parametrize("k", range(len(BATCH_NORMS)))
def test_batch_norm_float32_digits_and_running_stats_are_pytorchs(k):
    """PyTorch on one thread (its channels-last statistics depend on the thread count)."""
    make, shape, train = BATCH_NORMS[k]
    data = (np.random.default_rng(k).standard_normal(shape) * 3 + 1).astype(np.float32)
    threads = TORCH.get_num_threads()
    TORCH.set_num_threads(1)
    try:
        ours, theirs = _run(gradsh, make, data, train=train), _run(TORCH, make, data, train=train)
    finally:
        TORCH.set_num_threads(threads)
    np.testing.assert_array_equal(ours[0], theirs[0])  # the forward: the same bits
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, atol=1e-6)
    assert ours[2].keys() == theirs[2].keys() and ours[3].keys() == theirs[3].keys()
    for name in ours[2]:
        np.testing.assert_allclose(ours[2][name], theirs[2][name], rtol=1e-5, atol=1e-5)
    for name in ours[3]:
        np.testing.assert_array_equal(ours[3][name], theirs[3][name])


DRAWS = [
    lambda F, x: F.rrelu(x, training=True),
    lambda F, x: F.rrelu(x.double(), 0.1, 0.9, True),
    lambda F, x: F.dropout1d(x[0], 0.4),
    lambda F, x: F.dropout2d(x, 0.3),
    lambda F, x: F.dropout3d(x, 0.5),
    lambda F, x: F.alpha_dropout(x, 0.2, True),
    lambda F, x: F.feature_alpha_dropout(x, 0.3, True),
]


@pytest.mark.parametrize("k", range(len(DRAWS)))
def test_training_draws_are_pytorchs(k):
    data = np.random.default_rng(1).standard_normal((3, 6, 4, 5)).astype(np.float32)
    outs = []
    for lib in (gradsh, TORCH):
        lib.manual_seed(7)
        x = lib.tensor(data, requires_grad=True)
        out = DRAWS[k](lib.nn.functional, x)
        out.backward(lib.ones_like(out))
        outs.append((out.detach().numpy(), x.grad.numpy(), out.grad_fn.name(),
                     lib.rand(3).numpy()))  # and the generator left where PyTorch leaves it
    for ours, theirs in zip(*outs):
        np.testing.assert_array_equal(ours, theirs)


def _zoo(nn):
    return nn.Sequential(
        nn.BatchNorm2d(3), nn.BatchNorm3d(4, momentum=None, affine=False), nn.InstanceNorm1d(3),
        nn.InstanceNorm2d(2, affine=True), nn.InstanceNorm3d(2, track_running_stats=True),
        nn.GroupNorm(2, 4), nn.GroupNorm(1, 3, affine=False), nn.LocalResponseNorm(2),
        nn.ReflectionPad2d(1), nn.ReplicationPad3d((1, 0, 2, 1, 0, 0)), nn.CircularPad1d(2),
        nn.PReLU(), nn.PReLU(3, 0.1), nn.SELU(), nn.SELU(True), nn.CELU(0.5, True), nn.GLU(0),
        nn.Threshold(0.1, 20), nn.Hardshrink(0.3), nn.Softshrink(), nn.Tanhshrink(), nn.Mish(),
        nn.Hardswish(True), nn.Hardsigmoid(), nn.RReLU(0.1, 0.3, True), nn.Dropout1d(),
        nn.Dropout2d(0.2), nn.Dropout3d(inplace=True), nn.AlphaDropout(),
        nn.FeatureAlphaDropout(0.2), nn.Softmax2d())


def test_modules_print_and_name_their_state_as_pytorch():
    texts = []
    for lib in (gradsh, TORCH):
        lib.manual_seed(0)
        model = _zoo(lib.nn)
        texts.append((repr(model), str(model.state_dict()),
                      [n for n, _ in model.named_parameters()],
                      [n for n, _ in model.named_buffers()]))
    for ours, theirs in zip(*texts):
        assert ours == theirs


ERRORS = [
    "nn.BatchNorm2d(3)(torch.zeros(2, 3, 4))", "nn.BatchNorm3d(3)(torch.zeros(2, 3, 4, 4))",
    "F.batch_norm(torch.zeros(2, 4, 3), torch.zeros(3), torch.ones(3))",
    "F.batch_norm(torch.zeros(1, 4, 1, 1), None, None, training=True)",
    "nn.GroupNorm(3, 4)", "F.group_norm(torch.zeros(2, 4, 3), 3)",
    "F.group_norm(torch.zeros(2, 4, 3), 2, torch.ones(3))", "F.group_norm(torch.zeros(3), 1)",
    "nn.InstanceNorm1d(3, affine=True)(torch.zeros(2, 4, 3))",
    "nn.InstanceNorm2d(3)(torch.zeros(2, 3))", "F.instance_norm(torch.zeros(2, 4, 1))",
    "F.local_response_norm(torch.zeros(3), 2)", "nn.Softmax2d()(torch.zeros(2, 3))",
    "F.prelu(torch.zeros(2, 3), torch.ones(2))", "F.prelu(torch.zeros(2, 3), torch.ones(1, 3))",
    "F.glu(torch.zeros(2, 3))", "F.glu(torch.tensor(1.0))", "F.softshrink(torch.zeros(2), -1.0)",
    "F.celu(torch.zeros(2), 0.0)", "F.dropout1d(torch.zeros(2, 3, 4, 5))",
    "F.alpha_dropout(torch.zeros(2), 1.5)", "nn.Dropout2d(-0.1)",
    "F.feature_alpha_dropout(torch.zeros(3), 0.5, True)",
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_have_pytorchs_class_and_words(call):
    def raised(lib):
        with pytest.raises(Exception) as info:
            eval(call, {"torch": lib, "nn": lib.nn, "F": lib.nn.functional})
        return type(info.value), str(info.value)
    assert raised(gradsh) == raised(TORCH)


def test_dropout2d_of_3d_input_warns_as_pytorch():
    caught = []
    for lib in (gradsh, TORCH):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.functional.dropout2d(lib.zeros(2, 3, 4), 0.5)
        caught.append([str(m.message) for m in w])
    assert caught[0] == caught[1] and len(caught[0]) == 1


@pytest.mark.parametrize("shape,training", [((3, 2, 5, 4), True), ((6, 3), True),
                                            ((2, 3, 4), False)])
def test_batch_norm_kernel_order_gradients_agree_with_the_rules_math(shape, training):
    """The plain backward's arrays in PyTorch's kernel order (batch_norm_backward_arrays) and
    the rule's math that create_graph records (_batch_norm_grads), on the same inputs."""
    from gradsh.core.ops.nn_ops import _batch_norm_grads, batch_norm_backward_arrays
    rng = np.random.default_rng(2)
    x, g = rng.standard_normal(shape), rng.standard_normal(shape)
    w = rng.random(shape[1]) + 0.5
    dims = (0,) + tuple(range(2, len(shape)))
    mean = x.mean(axis=dims)
    invstd = 1 / np.sqrt(x.var(axis=dims) + 1e-5)
    need = (True, True, True)
    kernel = batch_norm_backward_arrays(need, g, x, w, mean, invstd, training)
    math = _batch_norm_grads(need, g, x, w, mean, invstd, training, 1e-5)
    for ours, theirs in zip(kernel, math):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
