"""Fixes found by branch adv12a's training programs (tests/data/learner_programs/adv12a_*), each
compared with what PyTorch does when it is installed."""

import warnings

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these fixes")


def _outcome(fn):
    """What fn() returned (made comparable by `shown`), or the class and words of its error."""
    try:
        return ("ok", fn())
    except Exception as error:  # the class and words are what is compared
        return type(error).__name__, str(error)


def _groups(opt):
    """An optimizer's groups without their tensors: key order, names and settings."""
    return [[(k, v) for k, v in g.items() if k != "params"] for g in opt.param_groups]


def _named_optimizer(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 1))
    opt = lib.optim.SGD(model.named_parameters(), lr=0.1, momentum=0.9)
    opt.add_param_group({"params": [("extra", lib.zeros(1, requires_grad=True))], "lr": 0.5})
    for p in model.parameters():
        p.grad = lib.ones_like(p)
    opt.step()
    return model, opt


def test_named_parameters_give_param_names_in_groups_and_state_dict():
    for lib in (gradsh, torch):
        model, opt = _named_optimizer(lib)
        sd = opt.state_dict()
        assert [list(g) for g in sd["param_groups"]][0][:2] == ["param_names", "lr"]
    g_model, g_opt = _named_optimizer(gradsh)
    t_model, t_opt = _named_optimizer(torch)
    assert _groups(g_opt) == _groups(t_opt)
    assert (repr(g_opt.state_dict()["param_groups"])
            == repr(t_opt.state_dict()["param_groups"]))
    assert repr(g_opt) == repr(t_opt)


def _mixing(lib):
    a, b = lib.zeros(1, requires_grad=True), lib.zeros(2, requires_grad=True)
    named = lambda: lib.optim.Adam([("a", a)])  # noqa: E731
    plain = lambda: lib.optim.Adam([a])  # noqa: E731
    return [
        _outcome(lambda: named().add_param_group({"params": [b]})),
        _outcome(lambda: plain().add_param_group({"params": [("b", b)]})),
        _outcome(lambda: lib.optim.SGD([("a", a), b])),
        _outcome(lambda: lib.optim.SGD([("a", 1.0)])),
        _outcome(lambda: lib.optim.SGD([("a", a), ("a", b)]).param_groups[0]["param_names"]),
        _outcome(lambda: lib.optim.SGD(a)),
        _outcome(lambda: lib.optim.SGD([a]).add_param_group([a])),
    ]


def test_named_and_unnamed_parameters_are_refused_together_as_pytorch_refuses_them():
    assert _mixing(gradsh) == _mixing(torch)


def _loaded_keys(lib):
    """Group keys after loading a state dict saved with names into an optimizer without, and
    the other way round."""
    lib.manual_seed(0)
    m = lib.nn.Linear(2, 1)
    named = lib.optim.SGD(m.named_parameters(), lr=0.1)
    plain = lib.optim.SGD(m.parameters(), lr=0.2)
    plain2 = lib.optim.SGD(m.parameters(), lr=0.3)
    named2 = lib.optim.SGD(m.named_parameters(), lr=0.4)
    plain2.load_state_dict(named.state_dict())
    named2.load_state_dict(plain.state_dict())
    return _groups(plain2), _groups(named2)


def test_loading_state_dicts_with_and_without_names():
    assert _loaded_keys(gradsh) == _loaded_keys(torch)


def _collated(lib):
    collate = lib.utils.data.default_collate
    return [_outcome(lambda: str(collate(batch))) for batch in
            ([1 + 2j, 3j], [1, 2.5], [True, False], [2 ** 40, 3], [[1.5], [2.5]])]


def test_default_collate_refuses_complex_python_numbers():
    assert _collated(gradsh) == _collated(torch)


def _concat(lib):
    data = lib.utils.data

    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter([1, 2])

    return [_outcome(lambda: len(data.ConcatDataset(parts)))
            for parts in ([[1], Stream()], [Stream(), [1]], [[1], [2, 3]])]


def test_concat_dataset_refuses_iterable_datasets_before_taking_lengths():
    assert _concat(gradsh) == _concat(torch)


def _cyclic_state_keys(lib):
    S = lib.optim.lr_scheduler
    keys = []
    for kwargs in ({}, {"scale_fn": lambda c: 1.0}):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        s = S.CyclicLR(opt, 0.01, 0.1, **kwargs)
        opt.step()
        s.step()
        sd = s.state_dict()
        again = S.CyclicLR(lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1,
                                         momentum=0.9), 0.01, 0.1, **kwargs)
        again.load_state_dict(sd)
        keys.append((sorted(sd), again.get_last_lr()))
    return keys


def test_cyclic_lr_load_state_dict_takes_the_scale_fn_out_of_the_given_dict():
    assert _cyclic_state_keys(gradsh) == _cyclic_state_keys(torch)


def _bool_errors(lib):
    one = lib.ones(1)
    return [_outcome(fn) for fn in (
        lambda: lib.tensor([1.0], requires_grad=1), lambda: lib.tensor([1.0], requires_grad=None),
        lambda: lib.zeros(2, requires_grad=1), lambda: lib.ones(2, requires_grad="a"),
        lambda: lib.empty(2, requires_grad=1), lambda: lib.zeros_like(one, requires_grad=1),
        lambda: lib.ones_like(one, requires_grad=1), lambda: lib.empty_like(one, requires_grad=1),
        lambda: lib.zeros(2).requires_grad_(3), lambda: lib.zeros(2).requires_grad_("yes"),
        lambda: lib.nn.Parameter(lib.zeros(1), requires_grad=1),
        lambda: lib.nn.Parameter(lib.zeros(1), requires_grad=None),
        lambda: lib.empty_like(one, requires_grad=True).requires_grad,
        lambda: lib.nn.Parameter(lib.zeros(1), requires_grad=False).requires_grad)]


def test_bool_argument_errors_name_the_function_as_pytorch_does():
    assert _bool_errors(gradsh) == _bool_errors(torch)


def _as_tensor_of_tensor(lib):
    a = lib.ones(2, requires_grad=True)
    b = lib.as_tensor(a * 2, dtype=lib.float64)
    ints = lib.ones(2, dtype=lib.int64)
    c = lib.as_tensor(ints, dtype=lib.float32)
    c[0] = 5
    t = lib.as_tensor(lib.ones(2, 3).t(), dtype=lib.float64)
    return (str(b), type(b.grad_fn).__name__, str(ints), str(c), t.stride(),
            lib.as_tensor(a) is a)


def test_as_tensor_of_a_tensor_with_another_dtype_is_a_copy_in_the_graph_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _as_tensor_of_tensor(gradsh) == _as_tensor_of_tensor(torch)


def test_weighted_random_sampler_takes_tensor_weights_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lib in (gradsh, torch):
            g = lib.Generator().manual_seed(3)
            s = lib.utils.data.WeightedRandomSampler(lib.tensor([1, 0, 3]), 5, generator=g)
            assert s.weights.dtype == lib.float64
    draws = [list(lib.utils.data.WeightedRandomSampler(
        lib.tensor([1.0, 0.0, 3.0]), 6, generator=lib.Generator().manual_seed(3)))
        for lib in (gradsh, torch)]
    assert draws[0] == draws[1]


def _loader_iterator(lib):
    data = lib.utils.data
    dl = data.DataLoader(data.TensorDataset(lib.arange(5.0)), batch_size=2)
    it = iter(dl)
    seen = [len(it), str(next(it)), type(it).__name__, iter(it) is it, str(list(it))]
    for name in ("batch_size", "drop_last", "sampler", "batch_sampler", "dataset",
                 "persistent_workers"):
        seen.append(_outcome(lambda: setattr(dl, name, None)))
    dl.collate_fn = len  # not fixed by the construction: accepted
    dl.num_workers = 0
    seen.append(list(dl))
    return seen


def test_dataloader_iterator_has_a_length_and_batching_attributes_are_fixed():
    assert _loader_iterator(gradsh) == _loader_iterator(torch)


CAPTURABLE = ["Adam", "AdamW", "NAdam", "RAdam", "Adamax", "Adadelta", "RMSprop", "Rprop", "ASGD"]


def _cpu_only_options(lib, name, option):
    p = lib.zeros(2, requires_grad=True)
    opt = getattr(lib.optim, name)([p], lr=0.1, **{option: True})
    ran = []
    before = _outcome(lambda: opt.step())  # no gradient yet: nothing is stepped
    p.grad = lib.ones(2)
    return before, _outcome(lambda: opt.step(lambda: ran.append(1))), ran


@pytest.mark.parametrize("name", CAPTURABLE + ["SGD", "Adagrad"])
def test_capturable_and_differentiable_refuse_cpu_leaf_steps_after_the_closure(name):
    options = ["differentiable"] + (["capturable"] if name in CAPTURABLE else [])
    for option in options:
        assert _cpu_only_options(gradsh, name, option) == _cpu_only_options(torch, name, option)


def _batched_fetches(lib):
    data = lib.utils.data
    calls = []

    class Batched(data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return i * 10

        def __getitems__(self, indices):
            calls.append(list(indices))
            return [i * 100 for i in indices]

    seen = [[b.tolist() for b in data.DataLoader(Batched(), batch_size=2)],
            [int(b) for b in data.DataLoader(Batched(), batch_size=None)],
            [b.tolist() for b in data.DataLoader(data.Subset(Batched(), [4, 3, 2]), batch_size=2)],
            data.Subset(Batched(), [4, 3]).__getitems__([1, 0]),
            data.Subset(list(range(10)), [4, 3]).__getitems__([0, 1])]
    return seen, calls


def test_dataloader_fetches_a_batch_through_the_datasets_getitems():
    assert _batched_fetches(gradsh) == _batched_fetches(torch)


def _loader_keywords(lib):
    data = lib.utils.data
    d = data.DataLoader([1, 2, 3], batch_size=2, in_order=False)
    seen = [[b.tolist() for b in d], d.in_order, d.prefetch_factor, d.pin_memory_device,
            d.multiprocessing_context,
            # multiprocessing_context comes before generator, as in PyTorch's signature
            [b.tolist() for b in data.DataLoader([1, 2, 3], 1, True, None, None, 0, None, False,
                                                 False, 0, None, None,
                                                 lib.Generator().manual_seed(0))]]
    for kwargs in ({"multiprocessing_context": "spawn"},
                   {"num_workers": 1, "multiprocessing_context": "bogus"}):
        seen.append(_outcome(lambda: data.DataLoader([1], **kwargs).batch_size))
    return seen


def test_dataloader_takes_multiprocessing_context_and_in_order():
    assert _loader_keywords(gradsh) == _loader_keywords(torch)


LOADABLE = ["SGD", "Adam", "AdamW", "NAdam", "RAdam", "Adamax", "Adadelta", "Adagrad", "RMSprop",
            "Rprop", "ASGD", "LBFGS", "Adafactor"]
NUMBERS = ("step", "eta", "mu", "mu_product")


def _old_checkpoint(lib, name):
    """A state dict as an older version saved it (groups with only their params, the step and
    other counters as Python numbers) loaded into a fresh optimizer built with non-default
    options: the groups' keys and values, the state's kinds, and one more step."""
    kwargs = {"lr": 0.1} if name in ("SGD", "LBFGS") else {}
    p = lib.ones(2, requires_grad=True)
    opt = getattr(lib.optim, name)([p], **kwargs)
    if name != "LBFGS":
        p.grad = lib.full((2,), 0.5)
        opt.step()
    sd = opt.state_dict()
    state = {i: {k: float(v) if k in NUMBERS else v for k, v in st.items()}
             for i, st in sd["state"].items()}
    q = lib.ones(2, requires_grad=True)
    again = getattr(lib.optim, name)([q], **kwargs)
    again.load_state_dict({"state": state, "param_groups": [{"params": [0]}]})
    group = [(k, v) for k, v in again.param_groups[0].items() if k != "params"]
    kinds = {k: (type(v).__name__, str(getattr(v, "dtype", ""))) for k, v in
             again.state[q].items() if k in NUMBERS}
    return group, kinds


@pytest.mark.parametrize("name", LOADABLE)
def test_loading_an_old_checkpoint_fills_group_keys_and_makes_counters_tensors(name):
    assert _old_checkpoint(gradsh, name) == _old_checkpoint(torch, name)


def _clamp_without_grads(lib):
    p = lib.zeros(2, requires_grad=True)
    p.grad = lib.full((2,), 5.0)
    q = lib.zeros(2, requires_grad=True)
    return [_outcome(lambda: (lib.nn.utils.clip_grad_value_([p, q], 1.0), p.grad.tolist())),
            _outcome(lambda: lib.nn.utils.clip_grad_value_([q], 1.0)),
            _outcome(lambda: lib.nn.utils.clip_grad_value_([], 1.0, foreach=False))]


def test_clip_grad_value_with_no_gradient_at_all_is_pytorchs_error():
    assert _clamp_without_grads(gradsh) == _clamp_without_grads(torch)
