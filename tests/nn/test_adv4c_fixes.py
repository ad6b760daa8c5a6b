"""Fixes from branch adv4c's adversarial nn/optim/data programs (tests/data/learner_programs/
adv4c_*), each checked against PyTorch 2.13 (skipped without it): buffer registration errors,
BatchNorm checkpoints without num_batches_tracked, fused weight_norm's float32 bits."""

import collections

import pytest

import gradsh
from gradsh.core.weight_norm import weight_norm as fused_weight_norm

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these nn behaviours")

BOTH = [gradsh, torch]


def _outcome(run):
    try:
        return ("ok", repr(run()))
    except Exception as error:  # noqa: BLE001 - the error is the value compared
        return (type(error).__name__, str(error))


@pytest.mark.parametrize("run", [
    lambda T: T.nn.Module().register_buffer(3, T.ones(1)),
    lambda T: T.nn.Module().register_buffer(None, T.ones(1)),
    lambda T: T.nn.Module().register_buffer("a.b", T.ones(1)),
    lambda T: T.nn.Module().register_buffer("", T.ones(1)),
    lambda T: T.nn.Module().register_buffer("x", [1]),
    lambda T: setattr(T.nn.BatchNorm1d(1), "running_mean", 5),
    lambda T: setattr(T.nn.BatchNorm1d(1), "running_mean", "s"),
    lambda T: T.nn.Module().register_parameter(3, None),
], ids=["int-name", "none-name", "dot", "empty", "list", "int-over-buffer", "str-over-buffer",
        "parameter-int-name"])
def test_buffer_registration_errors_are_pytorchs(run):
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


def _bn_cases(T):
    """How each kind of checkpoint without num_batches_tracked loads into BatchNorm1d."""
    out = []
    for make in [lambda sd: sd, dict, collections.OrderedDict,
                 lambda sd: {k: v for k, v in sd.items() if k != "weight"}]:
        bn = T.nn.BatchNorm1d(2)
        bn.num_batches_tracked.fill_(4)
        sd = bn.state_dict()
        del sd["num_batches_tracked"]
        r = bn.load_state_dict(make(sd), strict=False)
        out.append((r.missing_keys, r.unexpected_keys, int(bn.num_batches_tracked)))
    seq = T.nn.Sequential(T.nn.Linear(1, 2), T.nn.BatchNorm1d(2), T.nn.InstanceNorm1d(2, track_running_stats=True))
    sd = seq.state_dict()
    del sd["1.num_batches_tracked"], sd["2.num_batches_tracked"]
    r = seq.load_state_dict(sd, strict=False)
    out.append((r.missing_keys, r.unexpected_keys))
    r = seq.load_state_dict(dict(sd), strict=False)
    out.append((r.missing_keys, r.unexpected_keys))
    untracked = T.nn.BatchNorm1d(2, track_running_stats=False)
    r = untracked.load_state_dict({"weight": T.ones(2), "bias": T.zeros(2)})
    out.append((r.missing_keys, r.unexpected_keys))
    return out


def test_batchnorm_fills_num_batches_tracked_only_for_unversioned_checkpoints():
    assert _bn_cases(gradsh) == _bn_cases(torch)


def test_load_state_dict_leaves_the_callers_dict_alone():
    bn = gradsh.nn.BatchNorm1d(2)
    sd = {"weight": gradsh.ones(2), "bias": gradsh.zeros(2), "running_mean": gradsh.zeros(2),
          "running_var": gradsh.ones(2)}
    bn.load_state_dict(sd)
    assert sorted(sd) == ["bias", "running_mean", "running_var", "weight"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 1), (5, 9), (3, 16), (2, 17), (3, 33),
                                   (2, 100), (3, 2, 5), (2, 3, 3, 3)])
def test_weight_norm_along_dim0_is_the_fused_kernels_bits(shape, dtype):
    """torch._weight_norm along dim 0 (nn.utils weight_norm's default) adds each row's squares
    in the weight's dtype in the vector kernel's order: its weights and saved norms, bit for
    bit (float64's order was measured on AVX2)."""
    import numpy as np
    rng = np.random.default_rng(sum(shape))
    v = rng.standard_normal(shape).astype(dtype)
    g = rng.standard_normal((shape[0],) + (1,) * (len(shape) - 1)).astype(dtype)
    ours = fused_weight_norm(gradsh.tensor(v), gradsh.tensor(g), 0)
    theirs = torch._weight_norm(torch.tensor(v), torch.tensor(g), 0)
    assert ours.tolist() == theirs.tolist()
    m = {}
    for T in BOTH:
        T.manual_seed(3)
        lin = T.nn.utils.parametrizations.weight_norm(T.nn.Linear(shape[-1], 4))
        with T.no_grad():
            lin.parametrizations.weight.original0.fill_(2.0)
        m[T] = lin.weight.norm(dim=1).tolist()
    assert m[gradsh] == m[torch]


_LOSSES = {
    "mse": lambda F, a, b, red: F.mse_loss(a, b, reduction=red),
    "l1": lambda F, a, b, red: F.l1_loss(a, b, reduction=red),
    "smooth_l1": lambda F, a, b, red: F.smooth_l1_loss(a, b, reduction=red, beta=0.05),
    "huber": lambda F, a, b, red: F.huber_loss(a, b, reduction=red, delta=0.05),
    "soft_margin": lambda F, a, b, red: F.soft_margin_loss(a, b, reduction=red),
    "bce_logits": lambda F, a, b, red: F.binary_cross_entropy_with_logits(a, b.sigmoid(),
                                                                          reduction=red),
    "kl_div": lambda F, a, b, red: F.kl_div(a, b, reduction=red, log_target=True),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(_LOSSES))
@pytest.mark.parametrize("which", ["input", "target", "both"])
def test_losses_of_non_contiguous_3d_operands(name, reduction, which):
    """A reduced loss of strided operands (a sequence model's x[:, 1:] target) is one number:
    the layout of its 0-d result is not asked of the operands' strides (it raised IndexError)."""
    got = {}
    for T in BOTH:
        base = T.arange(48.0, dtype=T.float64).reshape(4, 6, 2) / 10
        a = base[:, ::2] if which != "target" else base[:, ::2].contiguous()
        b = base[:, 1::2] if which != "input" else base[:, 1::2].contiguous()
        a = a.detach().requires_grad_()
        out = _LOSSES[name](T.nn.functional, a, b, reduction)
        out.sum().backward()
        got[T] = (out.detach().reshape(-1).tolist(), out.stride(), a.grad.reshape(-1).tolist())
    ours, theirs = got[gradsh], got[torch]
    assert ours[1] == theirs[1]
    assert ours[0] == pytest.approx(theirs[0], rel=1e-13, abs=1e-15)
    assert ours[2] == pytest.approx(theirs[2], rel=1e-13, abs=1e-15)


def _bilinear_cases(T):
    W = T.ones(2, 2, 3)
    b = T.ones(2)
    return [(T.ones(2, 2), T.ones(2, 2), W, b), (T.ones(2, 3), T.ones(2, 3), W, b),
            (T.ones(2, 2), T.ones(3, 3), W, b), (T.ones(2, 2), T.ones(2, 1, 3), W, b),
            (T.ones(2, 2), T.ones(2, 3), T.ones(2, 2), b), (T.ones(2, 2), T.ones(2, 3), W, T.ones(3)),
            (T.ones(2, 2), T.ones(2, 3), W, T.ones(1, 2)), (T.ones(2), T.ones(3), W, b),
            (T.ones(2, 2, dtype=T.float64), T.ones(2, 3), W, b),
            (T.ones(2, 2, dtype=T.float16), T.ones(2, 3), W, None),
            (T.ones(2, 2, dtype=T.int64), T.ones(2, 3), W, b), (T.ones(()), T.ones(()), W, b),
            (T.ones(0, 2), T.ones(0, 3), W, b)]


@pytest.mark.parametrize("case", range(13))
def test_bilinear_refuses_mismatched_inputs_as_pytorch(case):
    def run(T):
        out = T.nn.functional.bilinear(*_bilinear_cases(T)[case])
        return (tuple(out.shape), str(out.dtype))
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


@pytest.mark.parametrize("run", [
    lambda T: T.ones(()).size(-1), lambda T: T.ones(()).size(0), lambda T: T.ones(()).stride(1),
    lambda T: T.ones(2).size("a"), lambda T: T.ones(2).stride(1.0), lambda T: T.ones(2, 3).size(-1),
    lambda T: T.ones(2, 3).stride(-2), lambda T: T.ones(2).size(2)])
def test_size_and_stride_of_a_dim_errors(run):
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


def test_optimizer_step_hooks_see_the_optimizer_in_args():
    seen = {}
    for T in BOTH:
        w = T.ones(2, requires_grad=True)
        w.grad = T.ones(2)
        log = []
        for opt in [T.optim.SGD([w], lr=0.1), T.optim.LBFGS([w])]:
            opt.register_step_pre_hook(lambda o, a, k: log.append(("pre", len(a), a[0] is o, k)))
            opt.register_step_post_hook(lambda o, a, k: log.append(("post", len(a), a[0] is o)))
            opt.step() if isinstance(opt, T.optim.SGD) else opt.step(lambda: (w ** 2).sum())
        sgd = T.optim.SGD([w], lr=0.5)
        sgd.register_step_pre_hook(lambda o, a, k: (a, {}))
        sgd.step()
        seen[T] = (log, w.tolist())
    assert seen[gradsh] == seen[torch]


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "short", "char",
                                    "byte"])
def test_packed_sequence_dtype_conversions(method):
    got = []
    for T in BOTH:
        packed = T.nn.utils.rnn.pack_sequence([T.tensor([1.0, 2.0, 3.0]), T.tensor([4.0])])
        p = getattr(packed, method)()
        got.append((str(p.data.dtype), p.data.tolist(), p.batch_sizes.tolist(),
                    str(p.batch_sizes.dtype)))
    assert got[0] == got[1]


@pytest.mark.parametrize("value", [5, "weight", [("weight", 1)], None])
def test_load_state_dict_of_a_non_mapping_is_pytorchs_type_error(value):
    def run(T):
        return T.nn.Linear(1, 1).load_state_dict(value)
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


_COMPLEX_OPTIMIZERS = [("SGD", dict(lr=0.1, momentum=0.5, weight_decay=0.1)),
                       ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)), ("Adam", dict(lr=0.1)),
                       ("AdamW", dict(lr=0.1, amsgrad=True)), ("RMSprop", dict(lr=0.01, centered=True)),
                       ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.5)),
                       ("Adadelta", dict(lr=1.0)), ("Adamax", dict(lr=0.1)), ("NAdam", dict(lr=0.1)),
                       ("RAdam", dict(lr=0.1)), ("ASGD", dict(lr=0.1)), ("Rprop", dict(lr=0.1))]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name, options", _COMPLEX_OPTIMIZERS,
                         ids=[f"{n}{i}" for i, (n, _) in enumerate(_COMPLEX_OPTIMIZERS)])
def test_optimizers_step_complex_parameters_as_real_pairs(name, options, dtype):
    """PyTorch steps a complex parameter as view_as_real(param): each part on its own (the
    imaginary parts were dropped: numpy's cast of complex to float)."""
    got = {}
    for T in BOTH:
        w = T.tensor([1 + 2j, -0.5 + 0.5j, 0.25 - 3j], dtype=getattr(T, dtype), requires_grad=True)
        opt = getattr(T.optim, name)([w], **options)
        for _ in range(4):
            opt.zero_grad()
            ((w.real ** 2).sum() + (w.imag ** 2 * 3).sum() - w.imag.sum()).backward()
            opt.step()
        got[T] = [part for z in w.detach().tolist() for part in (z.real, z.imag)]
    assert got[gradsh] == pytest.approx(got[torch], rel=1e-6 if dtype == "complex64" else 1e-14)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_uniform_fills_real_then_imaginary_parts(dtype):
    got = {}
    for T in BOTH:
        T.manual_seed(7)
        a = T.empty(2, 3, dtype=getattr(T, dtype)).uniform_(-1, 2)
        T.manual_seed(8)
        lin = T.nn.Linear(3, 2, dtype=getattr(T, dtype))
        got[T] = (a.tolist(), lin.weight.tolist(), lin.bias.tolist())
    assert got[gradsh] == got[torch]


_SHAPE_ERRORS = {
    "embedding_1d_weight": lambda M: M.nn.functional.embedding(M.tensor([0]), M.ones(3)),
    "embedding_3d_weight": lambda M: M.nn.functional.embedding(M.tensor([0]), M.ones(3, 2, 2)),
    "layer_norm_weight": lambda M: M.nn.functional.layer_norm(M.ones(2, 3), (3,), M.ones(2)),
    "layer_norm_weight_2d": lambda M: M.nn.functional.layer_norm(M.ones(2, 3), (3,), M.ones(1, 3)),
    "layer_norm_bias": lambda M: M.nn.functional.layer_norm(M.ones(2, 3), (3,), None, M.ones(2)),
    "instance_norm_mean": lambda M: M.nn.functional.instance_norm(M.ones(2, 3, 4), M.zeros(2),
                                                                  M.ones(2)),
    "instance_norm_var": lambda M: M.nn.functional.instance_norm(M.ones(2, 3, 4), M.zeros(3),
                                                                 M.ones(2)),
    "instance_norm_no_mean": lambda M: M.nn.functional.instance_norm(M.ones(2, 3, 4), None,
                                                                     M.ones(2)),
    "cosine_similarity": lambda M: M.nn.functional.cosine_similarity(M.ones(2, 3), M.ones(2, 4)),
    "cross_entropy_weight": lambda M: M.nn.functional.cross_entropy(
        M.ones(2, 3), M.tensor([0, 1]), weight=M.ones(2)),
    "cross_entropy_probs_weight": lambda M: M.nn.functional.cross_entropy(
        M.ones(2, 3), M.full((2, 3), 1 / 3), weight=M.ones(4)),
    "nll_weight": lambda M: M.nn.functional.nll_loss(M.ones(2, 3), M.tensor([0, 1]),
                                                    weight=M.ones(4)),
    "linear_0d_input": lambda M: M.nn.functional.linear(M.ones(()), M.ones(2, 1)),
    "linear_0d_weight": lambda M: M.nn.functional.linear(M.ones(3), M.ones(())),
}


@pytest.mark.parametrize("name", sorted(_SHAPE_ERRORS))
def test_layer_and_loss_shape_errors_are_pytorchs(name):
    """Mismatched weights, stats and operands: PyTorch's RuntimeError and words (numpy's
    reshape/broadcast ValueErrors, or a wrong op's name, leaked before)."""
    def run(M):
        return tuple(_SHAPE_ERRORS[name](M).shape)
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop"])
def test_fused_and_foreach_together_are_refused(name):
    def run(M):
        return getattr(M.optim, name)([M.zeros(1, requires_grad=True)], lr=0.1, foreach=True,
                                      fused=True).defaults["lr"]
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))


@pytest.mark.parametrize("run", [
    lambda M: repr(M.nn.Hardtanh(2, 1)), lambda M: repr(M.nn.Hardtanh(1, 1)),
    lambda M: repr(M.nn.Hardtanh(0, 1)), lambda M: repr(M.nn.ReLU6()),
    lambda M: M.nn.GLU(3)(M.ones(2, 4)).shape, lambda M: M.nn.functional.glu(M.ones(2, 4), -3).shape,
    lambda M: M.nn.functional.glu(M.ones(2, 4), -2).shape])
def test_hardtanh_bounds_and_glu_dims_are_checked(run):
    assert _outcome(lambda: run(gradsh)) == _outcome(lambda: run(torch))
