"""torch.autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp), gradcheck/gradgradcheck and
anomaly detection: results against mathematics and against PyTorch (values, shapes, which results
require grad, exact errors in strict mode and for bad arguments)."""

import numpy as np
import pytest

import gradsh
from differential import TORCH_AVAILABLE, assert_same_as_torch, oracle_case

AF = gradsh.autograd.functional


def _f64(values):
    return gradsh.tensor(values, dtype=gradsh.float64)


# ----- mathematics -----------------------------------------------------------------------------
def test_jacobian_of_an_elementwise_square_is_diagonal_2x():
    x = _f64([1.0, 2.0, 3.0])
    j = AF.jacobian(lambda a: a ** 2, x)
    assert j.tolist() == np.diag([2.0, 4.0, 6.0]).tolist() and not j.requires_grad


def test_jacobian_shapes_are_output_shape_plus_input_shape():
    x, y = _f64(np.ones((2, 3))), _f64(np.ones(4))
    jx, jy = AF.jacobian(lambda a, b: a.sum(1, keepdim=True) * b, (x, y))
    assert tuple(jx.shape) == (2, 4, 2, 3) and tuple(jy.shape) == (2, 4, 4)


def test_hessian_of_a_cubic_sum_is_diagonal_6x():
    x = _f64([1.0, -2.0])
    assert AF.hessian(lambda a: (a ** 3).sum(), x).tolist() == [[6.0, 0.0], [0.0, -12.0]]


def test_vector_products_agree_with_the_full_matrices():
    x = _f64([0.3, -1.2, 2.0])
    v = _f64([1.0, 0.5, -2.0])

    def f(a):
        return a.sin() * a.sum()

    def s(a):
        return (a.exp() * a.roll(1)).sum()
    jac = AF.jacobian(f, x).numpy()
    hes = AF.hessian(s, x).numpy()
    assert np.allclose(AF.vjp(f, x, v)[1].numpy(), v.numpy() @ jac)
    assert np.allclose(AF.jvp(f, x, v)[1].numpy(), jac @ v.numpy())
    assert np.allclose(AF.vhp(s, x, v)[1].numpy(), v.numpy() @ hes)
    assert np.allclose(AF.hvp(s, x, v)[1].numpy(), hes @ v.numpy())


def test_create_graph_keeps_results_differentiable():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    j = AF.jacobian(lambda a: a ** 3, x, create_graph=True)
    assert j.requires_grad
    j.sum().backward()  # d/dx of sum(diag(3x^2)) = 6x
    assert x.grad.tolist() == [6.0, 12.0]


# ----- against PyTorch -------------------------------------------------------------------------
def _x(torch):
    return torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)


def _y(torch):
    return torch.tensor([0.5, -1.0], dtype=torch.float64)


def _v(torch):
    return torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)


def _ones(torch, n):
    return torch.ones(n, dtype=torch.float64)


def _sq(a):
    return a ** 2


def _two(a, b):
    return a.sum() * b, a * 2


def _cube(a):
    return (a ** 3).sum()


def _mixed(a, b):
    return (a ** 2).sum() * b.prod()


CASES = {
    "jacobian": lambda t, F: F.jacobian(_sq, _x(t)),
    "jacobian tuple in, tuple out": lambda t, F: F.jacobian(_two, (_x(t), _y(t))),
    "jacobian one-tuple input": lambda t, F: F.jacobian(_sq, (_x(t),)),
    "jacobian tuple out": lambda t, F: F.jacobian(lambda a: (a, a * 2), _x(t)),
    "jacobian create_graph": lambda t, F: F.jacobian(_sq, _x(t), create_graph=True),
    "jacobian vectorize": lambda t, F: F.jacobian(_two, (_x(t), _y(t)), vectorize=True),
    "jacobian forward-mode": lambda t, F: F.jacobian(_sq, _x(t), vectorize=True,
                                                     strategy="forward-mode"),
    "jacobian forward-mode unvectorized": lambda t, F: F.jacobian(_sq, _x(t),
                                                                  strategy="forward-mode"),
    "jacobian bad strategy": lambda t, F: F.jacobian(_sq, _x(t), strategy="sideways"),
    "jacobian strict independent": lambda t, F: F.jacobian(lambda a, b: a * 2, (_x(t), _y(t)),
                                                           strict=True),
    "jacobian independent": lambda t, F: F.jacobian(lambda a, b: a * 2, (_x(t), _y(t))),
    "jacobian strict constant": lambda t, F: F.jacobian(lambda a: _ones(t, 2), _x(t),
                                                        strict=True),
    "jacobian strict create_graph linear": lambda t, F: F.jacobian(lambda a: a * 2, _x(t),
                                                                   strict=True,
                                                                   create_graph=True),
    "jacobian constant": lambda t, F: F.jacobian(lambda a: _ones(t, 2), _x(t)),
    "jacobian non-tensor output": lambda t, F: F.jacobian(lambda a: 3.0, _x(t)),
    "jacobian list input": lambda t, F: F.jacobian(_sq, [_x(t)]),
    "jacobian tuple with non-tensor": lambda t, F: F.jacobian(_two, (_x(t), 2.0)),
    "jacobian 0-d": lambda t, F: F.jacobian(lambda a: a * 3, t.tensor(2.0)),
    "jacobian integer input": lambda t, F: F.jacobian(lambda a: a * 2, t.tensor([1, 2])),
    "hessian": lambda t, F: F.hessian(_cube, _x(t)),
    "hessian tuple": lambda t, F: F.hessian(_mixed, (_x(t), _y(t))),
    "hessian non-scalar": lambda t, F: F.hessian(_sq, _x(t)),
    "hessian tuple output": lambda t, F: F.hessian(lambda a: (a.sum(),), _x(t)),
    "hessian create_graph": lambda t, F: F.hessian(_cube, _x(t), create_graph=True),
    "hessian strict linear": lambda t, F: F.hessian(lambda a: a.sum(), _x(t), strict=True),
    "hessian linear": lambda t, F: F.hessian(lambda a: a.sum(), _x(t)),
    "vjp": lambda t, F: F.vjp(_sq, _x(t), _v(t)),
    "vjp v=None non-scalar": lambda t, F: F.vjp(_sq, _x(t)),
    "vjp v=None scalar": lambda t, F: F.vjp(_cube, _x(t)),
    "vjp wrong v size": lambda t, F: F.vjp(_sq, _x(t), _ones(t, 2)),
    "vjp tuples": lambda t, F: F.vjp(_two, (_x(t), _y(t)), (_ones(t, 2), _v(t))),
    "vjp tuple v wrong length": lambda t, F: F.vjp(_two, (_x(t), _y(t)), (_ones(t, 2),)),
    "vjp tuple v wrong entry": lambda t, F: F.vjp(_two, (_x(t), _y(t)), (_ones(t, 2), _y(t))),
    "vjp two v for one output": lambda t, F: F.vjp(_sq, _x(t), (_v(t), _v(t))),
    "vjp create_graph": lambda t, F: F.vjp(_sq, _x(t), _v(t), create_graph=True),
    "vjp strict": lambda t, F: F.vjp(lambda a, b: a * 2, (_x(t), _y(t)), _v(t), strict=True),
    "jvp": lambda t, F: F.jvp(_sq, _x(t), _v(t)),
    "jvp tuples": lambda t, F: F.jvp(_two, (_x(t), _y(t)), (_v(t), _ones(t, 2))),
    "jvp v=None": lambda t, F: F.jvp(_sq, _x(t)),
    "jvp 0-d input": lambda t, F: F.jvp(lambda a: a * t.tensor([1.0, 2.0], dtype=t.float64),
                                        t.tensor(3.0, dtype=t.float64)),
    "jvp strict": lambda t, F: F.jvp(lambda a, b: a * 2, (_x(t), _y(t)),
                                     (_v(t), _ones(t, 2)), strict=True),
    "jvp create_graph": lambda t, F: F.jvp(_sq, _x(t), _v(t), create_graph=True),
    "hvp": lambda t, F: F.hvp(_cube, _x(t), _v(t)),
    "vhp": lambda t, F: F.vhp(_cube, _x(t), _v(t)),
    "hvp tuples": lambda t, F: F.hvp(_mixed, (_x(t), _y(t)), (_v(t), _ones(t, 2))),
    "vhp tuples": lambda t, F: F.vhp(_mixed, (_x(t), _y(t)), (_v(t), _ones(t, 2))),
    "hvp non-scalar": lambda t, F: F.hvp(_sq, _x(t), _v(t)),
    "vhp tuple output": lambda t, F: F.vhp(lambda a: (a.sum(),), _x(t), _v(t)),
    "hvp v=None": lambda t, F: F.hvp(_cube, _x(t)),
    "hvp create_graph": lambda t, F: F.hvp(_cube, _x(t), _v(t), create_graph=True),
    "hvp strict linear": lambda t, F: F.hvp(lambda a: a.sum(), _x(t), _v(t), strict=True),
    "vhp strict linear": lambda t, F: F.vhp(lambda a: a.sum(), _x(t), _v(t), strict=True),
    "hvp linear": lambda t, F: F.hvp(lambda a: a.sum(), _x(t), _v(t)),
    "vhp wrong v": lambda t, F: F.vhp(_cube, _x(t), _ones(t, 2)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_functional_api_matches_pytorch(name):
    assert_same_as_torch(lambda torch: CASES[name](torch, torch.autograd.functional))


def test_functional_keeps_the_callers_graph_only_with_create_graph():
    def scenario(torch):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        j1 = torch.autograd.functional.jacobian(lambda a: a * x, x)
        j2 = torch.autograd.functional.jacobian(lambda a: a ** 2, x, create_graph=True)
        j2.sum().backward()
        return j1, j2, x.grad, x.requires_grad, x.grad_fn
    assert_same_as_torch(scenario)


def test_functional_oracle_case():
    oracle_case("jacobian of function returning non-tensor")


# ----- gradcheck, gradgradcheck ----------------------------------------------------------------
def test_gradcheck_and_gradgradcheck_pass_on_correct_derivatives():
    x = gradsh.tensor([0.3, -0.7, 1.1], dtype=gradsh.float64, requires_grad=True)
    y = gradsh.tensor([1.5, 0.2, -0.4], dtype=gradsh.float64, requires_grad=True)

    def f(a, b):
        return (a * b).sin() + a.exp() / (1 + b * b), a.tanh().sum() * b
    assert gradsh.autograd.gradcheck(f, (x, y))
    assert gradsh.autograd.gradgradcheck(f, (x, y))


def test_gradcheck_reports_a_wrong_backward_as_pytorch():
    def scenario(torch):
        class Bad(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 2

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * x

        x = torch.tensor([1.5, -0.5, 2.0], dtype=torch.float64, requires_grad=True)
        ok = torch.autograd.gradcheck(Bad.apply, (x,), raise_exception=False)
        torch.autograd.gradcheck(Bad.apply, (x,))
        return ok
    assert_same_as_torch(scenario)


def test_gradcheck_on_float32_warns_as_pytorch():
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double "
                                         "precision floating point or complex"):
        gradsh.autograd.gradcheck(lambda a: a * 2, (gradsh.ones(2, requires_grad=True),),
                                  raise_exception=False)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    class FirstOnly(gradsh.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x.detach() ** 2  # right value, but its own gradient is lost
    x = gradsh.tensor([0.5, 1.5], dtype=gradsh.float64, requires_grad=True)
    assert gradsh.autograd.gradcheck(FirstOnly.apply, (x,))
    assert not gradsh.autograd.gradgradcheck(FirstOnly.apply, (x,), raise_exception=False)


# ----- anomaly detection -----------------------------------------------------------------------
def test_anomaly_mode_names_the_node_that_produced_nan():
    warnings = oracle_case("anomaly detection: nan in backward")
    assert warnings[0].startswith("Anomaly Detection has been enabled.")
    assert warnings[1].startswith("Error detected in SqrtBackward0. Traceback of forward call "
                                  "that caused the error:\n")


def test_anomaly_trace_points_at_the_users_line_not_gradsh():
    x = gradsh.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning) as caught:
        with gradsh.autograd.detect_anomaly():
            y = x.sqrt() * 0  # the line the trace must show
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan "
                                                   "values in its 0th output."):
                y.sum().backward()
    trace = [str(w.message) for w in caught if "Error detected" in str(w.message)][0]
    assert "y = x.sqrt() * 0  # the line the trace must show" in trace
    # only the user's frames: none of gradsh's files, the interpreter's or site-packages'
    files = {line.split('"')[1] for line in trace.splitlines() if line.startswith('  File "')}
    # (code run from a string, `<string>`, is the user's too: a parallel test run's workers
    # start that way)
    assert {f for f in files if not f.startswith("<")} == {__file__}, files


def test_anomaly_trace_of_a_program_shows_the_programs_lines_only():
    import io

    from gradsh.lang import GradshError, Session
    err = io.StringIO()
    source = ("def f(x):\n    return x.sqrt()\n"
              "with torch.autograd.detect_anomaly():\n"
              "    x = torch.tensor([-1.0], requires_grad=True)\n"
              "    y = f(x) * 0\n    y.sum().backward()\n")
    with pytest.raises(GradshError, match="returned nan values"):
        Session(stdout=io.StringIO(), stderr=err).run(source, "prog.grad")
    trace = err.getvalue().split("Traceback of forward call that caused the error:\n")[1]
    # the program's lines, from the program's text (there is no prog.grad file to read)
    assert trace.startswith('  File "prog.grad", line 5, in <module>\n    y = f(x) * 0\n'
                            '  File "prog.grad", line 2, in f\n    return x.sqrt()\n\n')
    assert "gradsh/core" not in trace


def test_anomaly_mode_without_nan_check_and_its_switches():
    def scenario(torch):
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        with torch.autograd.detect_anomaly(check_nan=False):
            (x.sqrt() * 0).sum().backward()
        flags = [torch.is_anomaly_enabled()]
        with torch.autograd.set_detect_anomaly(True):
            flags.append(torch.is_anomaly_enabled())
        flags.append(torch.is_anomaly_enabled())
        return x.grad, flags
    if not TORCH_AVAILABLE:
        pytest.skip("PyTorch not installed: differential test skipped")
    assert_same_as_torch(scenario)


@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled")
def test_anomaly_mode_names_a_custom_function():
    class NanBack(gradsh.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")
    x = gradsh.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="Error detected in NanBackBackward"):
        with gradsh.autograd.detect_anomaly():
            with pytest.raises(RuntimeError, match="Function 'NanBackBackward' returned nan "
                                                   "values in its 0th output."):
                NanBack.apply(x).sum().backward()
