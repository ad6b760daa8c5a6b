"""Differences the sixth round of learner programs found (tests/data/learner_programs, adv6_* and
doc6_*; issue 15), each class checked against PyTorch on more than the program's one case: `in`
on tensors, reversed() of a tensor, Tensor.layout, post-accumulate-grad hooks, a leaf whose
requires_grad was turned off after the graph was built, forward hooks with_kwargs/always_call,
functional_call(strict=True), Module.to(an integer dtype), a tensor given as a shape, assigning
a read-only tensor attribute, an optimizer's duplicate parameters, torch.add/mul with a number
first; hex/oct/bin in .grad programs."""

import warnings

import pytest
from test_learner_fixes import same_as_pytorch

import gradsh


def contains_attempts(torch):
    t = torch.tensor([[1, 2], [3, 4]])
    f = torch.tensor([0.5, float("nan"), 1.0])
    return [lambda: 2 in t, lambda: 5 in t, lambda: 2.0 in t, lambda: torch.tensor(3) in t,
            lambda: torch.tensor([1, 5]) in t, lambda: torch.tensor([1, 2]) in t,
            lambda: float("nan") in f, lambda: 1 in f, lambda: 1 in torch.tensor([]),
            lambda: 0 in torch.tensor(0), lambda: True in torch.tensor([0, 1]),
            lambda: "a" in t, lambda: None in t, lambda: [1] in t]


def test_in_on_a_tensor_compares_elements_as_pytorch():
    same_as_pytorch(contains_attempts)


def reversed_attempts(torch):
    x = torch.tensor([3.0, -1.0, 2.0], requires_grad=True)
    m = torch.arange(6).reshape(3, 2)
    return [lambda: list(reversed(x)), lambda: list(reversed(m)),
            lambda: [v.grad_fn.name() for v in reversed(x)], lambda: reversed(torch.tensor(5)),
            lambda: list(reversed(torch.zeros(0)))]


def test_reversed_of_a_tensor_is_a_flip_iterated_by_unbind():
    same_as_pytorch(reversed_attempts)


def layout_attempts(torch):
    return [lambda: torch.strided, lambda: torch.ones(2).layout, lambda: torch.tensor(1).layout,
            lambda: torch.ones(2).t().layout is torch.strided, lambda: type(torch.strided).__name__]


def test_tensor_layout_is_torch_strided():
    same_as_pytorch(layout_attempts)


def post_accumulate_attempts(torch):
    def run():
        p = torch.tensor([1.0, 2.0], requires_grad=True)
        log = []
        p.register_hook(lambda g: log.append(("pre", g.tolist())) or g * 2)
        h = p.register_post_accumulate_grad_hook(lambda t: log.append(("post", t.grad.tolist())))
        (p * 3).sum().backward()
        (p * 1).sum().backward()
        h.remove()
        (p * 1).sum().backward()
        return log, p.grad

    def returns_value():
        p = torch.tensor([1.0], requires_grad=True)
        p.register_post_accumulate_grad_hook(lambda t: t.grad * 0)
        (p * 2).sum().backward()
    x = torch.tensor([1.0], requires_grad=True)
    return [run, returns_value,
            lambda: (x * 1).register_post_accumulate_grad_hook(lambda t: None),
            lambda: torch.ones(1).register_post_accumulate_grad_hook(lambda t: None)]


def test_post_accumulate_grad_hooks_run_after_the_grad_is_accumulated():
    same_as_pytorch(post_accumulate_attempts)


def requires_grad_off_attempts(torch):
    def turned_off(backward):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        v = torch.tensor([3.0], requires_grad=True)
        y = (w * 2).sum() + (v * v).sum()
        w.requires_grad_(False)
        backward(y, w, v)
        return w.grad, v.grad
    return [lambda: turned_off(lambda y, w, v: y.backward()),
            lambda: turned_off(lambda y, w, v: y.backward(inputs=[v])),
            lambda: turned_off(lambda y, w, v: torch.autograd.backward([y]))]


def test_a_leaf_whose_requires_grad_was_turned_off_gets_no_grad():
    same_as_pytorch(requires_grad_off_attempts)


def forward_hook_attempts(torch):
    nn = torch.nn

    class Mul(nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    def kwargs_hooks():
        m, log = Mul(), []
        m.register_forward_pre_hook(lambda mod, args: log.append("pre"))
        m.register_forward_pre_hook(lambda mod, a, kw: (a, {"scale": kw["scale"] * 2}),
                                    with_kwargs=True, prepend=True)
        m.register_forward_hook(lambda mod, a, kw, out: log.append(("kw", kw)) or out + 1,
                                with_kwargs=True)
        return m(torch.tensor([1.0, 2.0]), scale=3.0), log

    def bad_pre_hook():
        m = Mul()
        m.register_forward_pre_hook(lambda mod, a, kw: a, with_kwargs=True)
        return m(torch.ones(1), scale=2.0)

    def always():
        b, log = Boom(), []
        b.register_forward_hook(lambda mod, a, out: log.append(("always", out)), always_call=True)
        b.register_forward_hook(lambda mod, a, out: log.append("never"))
        b.register_forward_hook(lambda mod, a, kw, out: log.append(("kw", kw)),
                                with_kwargs=True, always_call=True)
        try:
            b(torch.ones(1))
        except ValueError as e:
            log.append(str(e))
        return log
    return [kwargs_hooks, bad_pre_hook, always]


def test_forward_hooks_with_kwargs_and_always_call_run_as_pytorchs():
    same_as_pytorch(forward_hook_attempts)


def functional_call_attempts(torch):
    nn = torch.nn
    lin = nn.Linear(2, 1)
    tied = nn.Sequential(lin, lin)
    call = torch.func.functional_call
    x = torch.ones(2)
    return [lambda: call(lin, {"weight": torch.ones(1, 2)}, (x,), strict=True),
            lambda: call(lin, {"weight": torch.ones(1, 2), "bias": torch.zeros(1),
                               "extra": torch.ones(1)}, (x,), strict=True),
            lambda: call(lin, {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}, (x,),
                         strict=True),
            lambda: call(tied, {"0.weight": torch.ones(1, 2), "0.bias": torch.zeros(1)},
                         (torch.ones(1, 2),), strict=True).shape,
            lambda: call(tied, {"0.weight": torch.ones(1, 2), "0.bias": torch.zeros(1)},
                         (torch.ones(1, 2),), strict=True, tie_weights=False)]


def test_functional_call_strict_names_missing_and_unexpected_keys():
    same_as_pytorch(functional_call_attempts)


def module_to_attempts(torch):
    lin = torch.nn.Linear(1, 1)
    return [lambda: lin.to(torch.int64), lambda: lin.to(dtype=torch.bool),
            lambda: lin.to(torch.uint8), lambda: lin.to(torch.float64).weight.dtype]


def test_module_to_an_integer_dtype_is_pytorchs_type_error():
    same_as_pytorch(module_to_attempts)


def tensor_shape_attempts(torch):
    t = torch.arange(6.0)
    return [lambda: t.reshape(torch.tensor([2, 3])), lambda: t.reshape(torch.tensor(6)).shape,
            lambda: t.expand(torch.tensor([2, 6])), lambda: torch.zeros(torch.tensor([2, 3])),
            lambda: torch.ones(torch.tensor([2])), lambda: torch.zeros(torch.tensor(3)).shape,
            lambda: t.reshape([torch.tensor(2), 3]).shape, lambda: torch.empty(torch.tensor([]))]


def test_a_tensor_of_several_sizes_given_as_a_shape_is_pytorchs_type_error():
    same_as_pytorch(tensor_shape_attempts)


def read_only_attempts(torch):
    x = torch.ones(2, requires_grad=True)

    def assign(name):
        setattr(x, name, None)
    return [lambda n=n: assign(n) for n in ("shape", "dtype", "device", "is_leaf", "grad_fn",
                                            "ndim", "T", "mT", "layout", "output_nr",
                                            "retains_grad", "_version")]


def test_assigning_a_read_only_tensor_attribute_is_pytorchs_error():
    same_as_pytorch(read_only_attempts)


def test_a_read_only_tensor_attribute_in_a_grad_program_is_pytorchs_error():
    from gradsh.lang import GradshError, Session
    import io
    out = io.StringIO()
    source = ("x = torch.ones(2)\ntry:\n    x.shape = (1, 2)\nexcept AttributeError as e:\n"
              "    print(e)\n")
    Session(stdout=out, stderr=io.StringIO()).run(source, "t.grad")
    assert out.getvalue() == "attribute 'shape' of 'torch._C.TensorBase' objects is not writable\n"
    with pytest.raises(GradshError):  # a name outside the tensor's own stays refused
        Session(stdout=io.StringIO(), stderr=io.StringIO()).run(
            "x = torch.ones(2)\nx.anything = 1\n", "t.grad")


def test_an_optimizer_warns_of_duplicate_parameters_as_pytorch():
    x = gradsh.ones(2, requires_grad=True)
    for params, warned in (([x, x], 1), ([x], 0), ([{"params": [x, x]}], 1)):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            gradsh.optim.SGD(params, lr=0.1)
        texts = [str(w.message) for w in seen if w.category is UserWarning]
        assert len(texts) == warned
        assert all(t.startswith("optimizer contains a parameter group with duplicate "
                                "parameters; in future, this will cause an error") for t in texts)


def number_first_attempts(torch):
    t = torch.tensor([3.0, 4.0], requires_grad=True)
    i = torch.tensor([1, 2])
    return [lambda: torch.add(2, t), lambda: torch.mul(2, t), lambda: torch.multiply(2, i),
            lambda: torch.add(2, i, alpha=3), lambda: torch.mul(2.5, i), lambda: torch.add(True, i),
            lambda: torch.sub(2, t), lambda: torch.mul(2, t).grad_fn.name()]


def test_add_and_mul_take_a_number_first_as_pytorch():
    same_as_pytorch(number_first_attempts)


def test_hex_oct_bin_are_grad_program_builtins():
    import io
    from gradsh.lang import Session
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO()).run(
        "print(hex(torch.tensor(255)), oct(8), bin(-5))\n", "t.grad")
    assert out.getvalue() == "0xff 0o10 -0b101\n"
