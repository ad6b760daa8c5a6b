"""Differences the fifth round of learner programs found (tests/data/learner_programs, issue 15),
each class checked against PyTorch on more than the program's one case: the integer dtype of a
reflected operator's Python number (`100 // x`, `7 % x`, `1 << x`, `2 ** x`, `x ** 5`), the
sign of NaN (0), the ops that were missing (sgn, frac, fmax/fmin, nanmean, logcumsumexp, dist,
mode), the messages of `~` and the bitwise ops on floats, of a cat of 0-d tensors, of a .grad of
another dtype, of materialize_grads with allow_unused=False; backward(inputs=) of a non-leaf that
retains its grad; ParameterDict; del of a ModuleList item; instantiating an autograd.Function;
an optimizer step's version counters; a generator= that is not a Generator.
(kthvalue's and mode's order among ties: tests/core/test_topk_order.py.)"""

import warnings

from test_learner_fixes import same_as_pytorch

import gradsh

INT_DTYPES = ("int8", "int16", "int32", "uint8", "float16", "bool")


def reflected_number_attempts(torch):
    out = []
    for name in INT_DTYPES:
        dt = getattr(torch, name)
        for x in (torch.tensor(3, dtype=dt), torch.tensor([3, 1], dtype=dt)):
            for f in (lambda x: x ** 5, lambda x: 2 ** x, lambda x: x.pow(2), lambda x: 100 // x,
                      lambda x: 7 % x, lambda x: 7 / x, lambda x: 7.5 // x, lambda x: 2.0 ** x,
                      lambda x: 1 << x, lambda x: 64 >> x, lambda x: 6 & x, lambda x: 6 | x,
                      lambda x: 6 ^ x, lambda x: ~x, lambda x: x.bitwise_not()):
                out.append(lambda f=f, x=x: (f(x), f(x).dtype))
    return out


def test_a_reflected_operators_number_keeps_the_tensors_dtype():
    same_as_pytorch(reflected_number_attempts)


def new_op_attempts(torch):
    nan = float("nan")
    a = torch.tensor([[1.0, nan, 3.0], [-2.5, 0.0, 7.25]], requires_grad=True)
    b = torch.tensor([2.0, 0.0, nan], requires_grad=True)

    def grads(f, *inputs):
        for t in inputs:
            t.grad = None
        out = f()
        out.sum().backward()
        return out, [t.grad for t in inputs]
    c = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], requires_grad=True)
    d = torch.tensor([0.5, 1.0, 1.0], requires_grad=True)
    return [lambda: grads(lambda: torch.fmax(a, b), a, b),
            lambda: grads(lambda: a.fmin(b), a, b),
            lambda: grads(lambda: a.sgn(), a), lambda: torch.tensor([-0.0, 2, -3]).sgn_(),
            lambda: grads(lambda: a.abs() + a.sign(), a),  # sign(nan) is 0, as abs's gradient
            lambda: (torch.tensor([True, False]).sign(), torch.tensor([-3, 0, 2]).sgn(),
                     torch.tensor([nan, -0.0], dtype=torch.float64).sign()),
            lambda: grads(lambda: c.frac() * 3, c), lambda: torch.tensor([1, 2]).frac(),
            lambda: grads(lambda: a.nanmean(1), a), lambda: a.nanmean(),
            lambda: torch.nanmean(a, 0, keepdim=True), lambda: torch.tensor([1, 2]).nanmean(),
            lambda: grads(lambda: c.logcumsumexp(1) * torch.tensor([1.0, -2.0, 0.5]), c),
            lambda: torch.logcumsumexp(torch.tensor([-float("inf"), 1.0, float("inf")]), 0),
            lambda: torch.tensor([1, 2]).logcumsumexp(0),
            lambda: grads(lambda: torch.dist(c, d), c, d),
            lambda: grads(lambda: c.dist(d, 1), c, d),
            lambda: grads(lambda: torch.dist(c, d, float("inf")), c, d),
            lambda: grads(lambda: torch.dist(d, d.detach()), d),
            lambda: grads(lambda: c.mode(1).values, c), lambda: torch.tensor(2.0).mode(),
            lambda: torch.zeros(2, 0).mode(1)]


def test_the_ops_that_were_missing_give_pytorchs_values_gradients_and_errors():
    same_as_pytorch(new_op_attempts)


def message_attempts(torch):
    x = torch.zeros(2)
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    attempts = [lambda: torch.cat([torch.ones(2), torch.tensor(1.0)]),
                lambda: torch.cat([torch.tensor(1.0)], dim=1),
                lambda: torch.autograd.grad((y * y).sum(), [y, x.requires_grad_()],
                                            allow_unused=False, materialize_grads=True),
                lambda: ~torch.tensor([1.5]), lambda: torch.tensor([1.5]) & 1,
                lambda: torch.tensor([1.5], dtype=torch.float64) | 1,
                lambda: torch.bitwise_not(torch.tensor([1.5], dtype=torch.float16))]
    for name in ("int64", "int32", "int16", "int8", "uint8", "bool", "float64", "float16"):
        def assign(dt=getattr(torch, name)):
            y.grad = torch.zeros(2, dtype=dt)
        attempts.append(assign)
    return attempts


def test_messages_of_misuse_are_pytorchs():
    same_as_pytorch(message_attempts)


def inputs_attempts(torch):
    def run():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        h = a * 3
        h.retain_grad()
        loss = (h ** 2).sum()
        seen = []
        loss.backward(inputs=[a], retain_graph=True)
        seen.append(h.grad.clone())
        loss.backward(inputs=[h], retain_graph=True)
        seen.append(h.grad.clone())
        loss.backward(inputs=[h, a], retain_graph=True)
        seen += [h.grad.clone(), a.grad.clone()]
        k = a * 2
        l2 = (k * k).sum()
        l2.backward(inputs=[k], retain_graph=True)
        l2.backward(inputs=[k], retain_graph=True)
        seen += [k.grad.clone(), k.retains_grad]
        return seen
    return [run]


def test_a_non_leaf_input_that_retains_its_grad_gets_it_once():
    same_as_pytorch(inputs_attempts)


def container_attempts(torch):
    nn = torch.nn
    pd = nn.ParameterDict({"b": nn.Parameter(torch.ones(1)), "a": torch.zeros(2)})

    def edit():
        pd["c"] = 3
        popped = pd.popitem()
        pd.setdefault("n", torch.ones(1))
        return popped, list(pd), pd.get("q"), "a" in pd, len(pd)
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Identity()])

    def delete():
        del ml[1]
        first = repr(ml)
        del ml[0:2]
        return first, repr(ml), len(ml)
    return [lambda: (list(pd.keys()), repr(pd), [n for n, _ in pd.named_parameters()]),
            lambda: list(nn.ParameterDict([("z", torch.ones(1)), ("y", torch.ones(1))])),
            edit, lambda: pd[1], lambda: pd["zz"], lambda: nn.ParameterDict(5),
            lambda: (pd.state_dict().keys(), pd.clear(), len(pd)), delete]


def test_parameter_dict_and_module_list_deletion_are_pytorchs():
    same_as_pytorch(container_attempts)


def test_an_autograd_function_instance_is_made_with_pytorchs_deprecation_warning():
    class Twice(gradsh.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Twice(gradsh.ones(1), k=2)
        Twice.apply(gradsh.ones(1))
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "should not be instantiated" in str(caught[0].message)


OPTIMIZERS = [("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
              ("Adam", {}), ("Adam", {"weight_decay": 0.1}), ("Adam", {"amsgrad": True}),
              ("AdamW", {}), ("AdamW", {"weight_decay": 0}), ("RMSprop", {"momentum": 0.5}),
              ("RMSprop", {"centered": True}), ("Adagrad", {}), ("Adadelta", {})]


def optimizer_version_attempts(torch):
    def steps(name, kw):
        ws = [torch.tensor([1.0, 2.0, 3.0], requires_grad=True) for _ in range(2)]
        opt = getattr(torch.optim, name)(ws, lr=0.1, **kw)
        first = ws[0][:2]
        loss = (first ** 2).sum()
        loss.backward(retain_graph=True)
        opt.step()
        loss.backward(retain_graph=True)
        opt.step()
        state = opt.state[ws[0]]
        return ([w._version for w in ws], first.grad_fn.name(),
                {k: v._version for k, v in state.items() if isinstance(v, torch.Tensor)})
    return [lambda n=n, kw=kw: steps(n, kw) for n, kw in OPTIMIZERS]


def test_an_optimizer_step_leaves_pytorchs_versions_and_view_nodes():
    same_as_pytorch(optimizer_version_attempts)


def generator_attempts(torch):
    x = torch.ones(3) * 0.5
    return [lambda: torch.randn(2, generator=5), lambda: torch.rand(2, 3, generator="a"),
            lambda: torch.randperm(3, generator=1.5),
            lambda: torch.randint(0, 5, (2,), generator=5),
            lambda: torch.randint(5, (2,), generator=5), lambda: x.normal_(generator=5),
            lambda: torch.randn(2, generator=torch.ones(1)), lambda: torch.rand([2], generator=5),
            lambda: x.uniform_(generator=5), lambda: x.exponential_(generator=5),
            lambda: torch.multinomial(x, 1, generator=5),
            lambda: torch.randn(2, generator=torch.Generator().manual_seed(3))]


def test_a_generator_argument_that_is_no_generator_is_pytorchs_type_error():
    same_as_pytorch(generator_attempts)
