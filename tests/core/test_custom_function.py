"""Custom autograd Functions as PyTorch has them: the node is the ctx and is named
`<Class>Backward`, save_for_backward/saved_tensors (with version checks and freeing),
needs_input_grad, several outputs, non-differentiable and dirty outputs, materialized gradients,
setup_context, double backward, and PyTorch's errors for wrong gradients."""

import pytest

import gradsh
from differential import assert_same_as_torch, oracle_case


@pytest.mark.parametrize("title", [
    "custom Function backward returns wrong number of grads",
    "custom Function backward returns wrong shape",
])
def test_custom_function_misuse_behaves_as_recorded_from_pytorch(title):
    oracle_case(title)


def _exp(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            r = x.exp()
            ctx.save_for_backward(r)
            return r

        @staticmethod
        def backward(ctx, g):
            (r,) = ctx.saved_tensors
            return g * r
    return Exp


def test_node_is_named_after_the_class_and_computes_the_users_gradient():
    Exp = _exp(gradsh)
    x = gradsh.tensor([0.0, 1.0], dtype=gradsh.float64, requires_grad=True)
    y = Exp.apply(x)
    assert type(y.grad_fn).__name__ == y.grad_fn.name() == "ExpBackward"
    assert repr(y).endswith("grad_fn=<ExpBackward>)")
    assert repr(y.grad_fn).startswith("<torch.autograd.function.ExpBackward object at 0x")
    y.sum().backward()
    assert x.grad.tolist() == [1.0, y[1].item()]
    assert gradsh.autograd.gradcheck(Exp.apply, (x,))
    assert gradsh.autograd.gradgradcheck(Exp.apply, (x,))


def test_saved_tensors_are_freed_after_backward_and_checked_for_inplace_changes():
    def scenario(torch):
        Exp = _exp(torch)
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        y = Exp.apply(x)
        saved = y.grad_fn.saved_tensors
        y.sum().backward()
        out = [saved]
        try:
            y.grad_fn.saved_tensors
        except RuntimeError as e:
            out.append(str(e))
        z = Exp.apply(x)
        z.add_(1)
        z.sum().backward()
        return out
    assert_same_as_torch(scenario)


def test_ctx_attributes_needs_input_grad_and_non_tensor_arguments():
    def scenario(torch):
        seen = []

        class MulConst(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, k, y, flag=True):
                ctx.k = k
                seen.append(ctx.needs_input_grad)
                return x * k * y

            @staticmethod
            def backward(ctx, g):
                return g * ctx.k, None, None, None  # a trailing extra None is accepted

        x = torch.ones(2, requires_grad=True)
        y = torch.ones(2)
        z = MulConst.apply(x, 3.0, y)
        z2 = MulConst.apply(x, k=2.0, y=y)
        (z + z2).sum().backward()
        return seen, [n is None for n, _ in z.grad_fn.next_functions], x.grad, z.grad_fn.k
    assert_same_as_torch(scenario)


def test_several_outputs_share_one_node_and_missing_gradients_are_materialized():
    def scenario(torch):
        log = []

        class Two(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.save_for_backward(a, b)
                return a + b, a * b

            @staticmethod
            def backward(ctx, ga, gb):
                a, b = ctx.saved_tensors
                log.append((ga, gb))
                return ga + gb * b, ga + gb * a

        class NoMat(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.set_materialize_grads(False)
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                log.append((g1, g2))
                return g1

        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0, 4.0], requires_grad=True)
        s, p = Two.apply(a, b)
        p.sum().backward()
        u, _ = NoMat.apply(a)
        u.sum().backward()
        return s.grad_fn is p.grad_fn, p.output_nr, log, a.grad, b.grad
    assert_same_as_torch(scenario)


def test_non_differentiable_outputs_inputs_returned_as_is_and_no_grad():
    def scenario(torch):
        class ArgAndScale(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                idx = a.argmax()
                ctx.mark_non_differentiable(idx)
                return a * 2, idx

            @staticmethod
            def backward(ctx, g, gi):
                return g * 2

        class Ident(torch.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a

            @staticmethod
            def backward(ctx, g):
                return g * 5

        a = torch.tensor([1.0, 3.0], requires_grad=True)
        o, i = ArgAndScale.apply(a)
        r = Ident.apply(a)
        (o.sum() + r.sum()).backward()
        with torch.no_grad():
            q = Ident.apply(a)
        return o, i, r is a, r, a.grad, q.requires_grad, q.grad_fn
    assert_same_as_torch(scenario)


def test_mark_dirty_makes_the_modified_input_the_output():
    def scenario(torch):
        class Double(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        a = torch.ones(2, requires_grad=True)
        c = a.clone()
        d = Double.apply(c)
        d.sum().backward()
        return d is c, c, c._version, a.grad
    assert_same_as_torch(scenario)


def test_setup_context_style_and_double_backward():
    def scenario(torch):
        class Scale(torch.autograd.Function):
            @staticmethod
            def forward(x, k):
                return x * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.k = inputs[1]

            @staticmethod
            def backward(ctx, g):
                return g * ctx.k, None

        Exp = _exp(torch)
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        y = Scale.apply(x, 4.0)
        (g,) = torch.autograd.grad(Exp.apply(y).sum(), x, create_graph=True)
        (gg,) = torch.autograd.grad(g.sum(), x)
        return g, gg
    assert_same_as_torch(scenario)


@pytest.mark.parametrize("ret", ["None", "3.0", "g.double()", "torch.ones(1)", "(g, g)",
                                 "torch.ones(2, 2)"])
def test_backward_return_values_are_checked_as_pytorch(ret):
    def scenario(torch):
        class F(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return eval(ret, {"g": g, "torch": torch})

        x = torch.ones(2, requires_grad=True)
        F.apply(x).sum().backward()
        return x.grad
    assert_same_as_torch(scenario)


def test_missing_backward_raises_not_implemented():
    def scenario(torch):
        class NoBackward(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

        NoBackward.apply(torch.ones(2, requires_grad=True)).sum().backward()
    assert_same_as_torch(scenario)


def test_custom_function_classes_live_in_torch_autograd_function():
    from gradsh.autograd.function import BackwardCFunction, Function, once_differentiable

    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            assert not gradsh.is_grad_enabled()
            return g * 2
    x = gradsh.ones(2, requires_grad=True)
    y = Twice.apply(x)
    assert isinstance(y.grad_fn, BackwardCFunction) and Function is gradsh.autograd.Function
    gradsh.autograd.grad(y.sum(), x, create_graph=True)
