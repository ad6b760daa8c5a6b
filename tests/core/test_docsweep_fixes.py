"""Classes of difference found by tools/docstring_sweep.py (PyTorch's docstring examples run
under PyTorch and under gradsh), each fixed at its root and checked here on inputs of our own
against PyTorch 2.13 (skipped without it) or against mathematics."""

import math

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch 2.13 is the oracle of these checks")


def both(fn):
    """fn run with PyTorch and with gradsh (fn takes the library)."""
    return fn(torch), fn(gradsh)


def chain(t):
    """The names of the first nodes of t's history, following first inputs."""
    names, node = [], t.grad_fn
    while node is not None:
        names.append(type(node).__name__)
        nxt = [n for n, _ in node.next_functions if n is not None]
        node = nxt[0] if nxt else None
    return names


# ----- random draws of complex dtypes ----------------------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(3,), (4, 5), (2, 3, 7)])
def test_complex_rand_draws_each_part_in_turn_as_pytorch(dtype, shape):
    def draw(lib):
        lib.manual_seed(11)
        return lib.rand(*shape, dtype=getattr(lib, dtype)).numpy()
    theirs, mine = both(draw)
    assert mine.dtype == theirs.dtype
    np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("name", ["rand_like", "randn_like"])
def test_complex_rand_like_and_randn_like_as_pytorch(name):
    def draw(lib):
        lib.manual_seed(5)
        return getattr(lib, name)(lib.zeros(3, 6, dtype=lib.complex64)).numpy()
    theirs, mine = both(draw)
    np.testing.assert_array_equal(mine, theirs)


# ----- trapezoid of integer samples --------------------------------------------------------------
@pytest.mark.parametrize("name", ["trapezoid", "cumulative_trapezoid"])
def test_trapezoid_of_integer_tensors_has_the_default_dtype(name):
    def run(lib):
        y, x = lib.tensor([2, 7, 1, 8]), lib.tensor([0, 1, 3, 4])
        return getattr(lib, name)(y, x)
    theirs, mine = both(run)
    assert str(mine.dtype) == str(theirs.dtype) == "torch.float32"
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    # (2+7)/2*1 + (7+1)/2*2 + (1+8)/2*1 = 17, by hand
    if name == "trapezoid":
        assert float(mine) == 17.0


# ----- typename --------------------------------------------------------------------------------
@pytest.mark.parametrize("expr", ["lib.nn.Parameter", "lib.nn.Linear", "lib.nn.Linear(2, 1)",
                                  "lib.optim.Adam", "lib.Tensor", "lib.Size", "lib.float64",
                                  "lib.ones(2, dtype=lib.int64)", "int", "3"])
def test_typename_names_classes_as_pytorch(expr):
    theirs, mine = both(lambda lib: lib.typename(eval(expr, {"lib": lib})))
    assert mine == theirs


# ----- native_channel_shuffle --------------------------------------------------------------------
def test_native_channel_shuffle_values_and_its_missing_derivative():
    def run(lib):
        x = lib.arange(12.).reshape(1, 6, 2).requires_grad_()
        y = lib.nn.functional.native_channel_shuffle(x, 3)
        try:
            y.sum().backward()
            error = None
        except RuntimeError as e:
            error = str(e)
        return y.detach().numpy(), type(y.grad_fn).__name__, error
    theirs, mine = both(run)
    np.testing.assert_array_equal(mine[0], theirs[0])
    assert mine[1:] == theirs[1:]


def test_native_channel_shuffle_refuses_groups_that_do_not_divide():
    for lib in (torch, gradsh):
        with pytest.raises(RuntimeError, match="Got 4 channels and 3 groups"):
            lib.native_channel_shuffle(lib.zeros(1, 4, 2), 3)


# ----- the n-dimensional Hermitian FFTs ----------------------------------------------------------
@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize("s", [None, (3, 6), (2, 2, 9)])
def test_ihfftn_and_hfftn_values_gradients_and_nodes_as_pytorch(norm, s):
    def run(lib):
        g = np.random.default_rng(3)
        x = lib.tensor(g.standard_normal((3, 4, 5)), requires_grad=True)
        c = lib.tensor(g.standard_normal((3, 4, 5)) + 1j * g.standard_normal((3, 4, 5)),
                       requires_grad=True)
        dims = None if s is None or len(s) == 3 else (0, 2)
        y = lib.fft.ihfftn(x, s=s, dim=dims, norm=norm)
        h = lib.fft.hfftn(c, s=s, dim=dims, norm=norm)
        ((y.abs() ** 2).sum() + (h ** 2).sum()).backward()
        return (y.detach().numpy(), h.detach().numpy(), x.grad.numpy(), c.grad.numpy(),
                chain(y), chain(h))
    theirs, mine = both(run)
    for a, b in zip(mine[:4], theirs[:4]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert mine[4:] == theirs[4:]


def test_hfft2_inverts_ihfft2():
    g = np.random.default_rng(8)
    x = gradsh.tensor(g.standard_normal((4, 6)))
    back = gradsh.fft.hfft2(gradsh.fft.ihfft2(x), s=(4, 6))
    np.testing.assert_allclose(back.numpy(), x.numpy(), atol=1e-12)


@pytest.mark.parametrize("expr", ["lib.fft.ihfft2(lib.rand(3, dtype=lib.complex64))",
                                  "lib.fft.hfft2(lib.rand(3))",
                                  "lib.fft.fft2(lib.rand(3))",
                                  "lib.fft.ihfftn(lib.rand(2, 2, dtype=lib.complex64))",
                                  "lib.fft.ihfftn(lib.rand(2, 2), dim=(0, 0))"])
def test_hermitian_fft_errors_as_pytorch(expr):
    def run(lib):
        try:
            eval(expr, {"lib": lib})
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e).__name__, str(e)
        return None
    theirs, mine = both(run)
    assert theirs is not None and mine == theirs


def test_fft_resizing_cuts_first_and_pads_once():
    def run(lib):
        x = lib.ones(3, 3, 3, requires_grad=True)
        return [chain(f(x, s=(4, 2, 4))) for f in (lib.fft.fftn, lib.fft.rfftn, lib.fft.irfftn)]
    theirs, mine = both(run)
    assert mine == theirs


# ----- asarray and requires_grad=False ---------------------------------------------------------
def test_asarray_requires_grad_false_detaches_a_result_and_switches_off_a_leaf():
    def run(lib):
        a = lib.tensor([1., 2.], requires_grad=True)
        b = a * 3
        c = lib.asarray(b, requires_grad=False)
        d = lib.asarray(a, requires_grad=False)
        return (repr(c), c is b, c.data_ptr() == b.data_ptr(), repr(d), d is a,
                a.requires_grad, b.requires_grad)
    theirs, mine = both(run)
    assert mine == theirs


# ----- post-accumulate-grad hooks ----------------------------------------------------------------
@pytest.mark.parametrize("hook", ["lambda p: p.add_(p.grad, alpha=-0.5)", "lambda p: p",
                                  "lambda p: p * 2", "lambda p: 7"])
def test_post_accumulate_grad_hook_may_return_the_tensor_itself(hook):
    def run(lib):
        v = lib.tensor([1., 2.], requires_grad=True)
        v.register_post_accumulate_grad_hook(eval(hook))
        try:
            v.backward(lib.tensor([1., 4.]))
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e).__name__, str(e)
        return repr(v), repr(v.grad)
    theirs, mine = both(run)
    assert mine == theirs


# ----- memory formats: to(), empty(), empty_permuted() ------------------------------------------
@pytest.mark.parametrize("expr", [
    "lib.zeros(2, 3, 4, 5).to(memory_format=lib.channels_last).stride()",
    "lib.zeros(2, 3, 4, 5).to(lib.float64, memory_format=lib.channels_last).stride()",
    "lib.zeros(2, 3, 4, 5).to(memory_format=lib.channels_last).to("
    "memory_format=lib.contiguous_format).stride()",
    "lib.zeros(2, 3).to(memory_format=lib.contiguous_format).stride()",
    "lib.empty((2, 3, 5, 7), memory_format=lib.channels_last).stride()",
    "lib.empty(2, 1, 5, 1, memory_format=lib.channels_last).stride()",
    "lib.empty((2, 3), memory_format=lib.contiguous_format).stride()",
    "lib.empty_permuted((2, 3, 5, 7), (0, 2, 3, 1)).stride()",
    "lib.empty_permuted((4, 3, 2), (2, 0, 1)).stride()",
    "lib.empty_permuted((1, 3, 1, 2), (0, 2, 3, 1)).stride()",
    "str(lib.empty_permuted((2, 3), (1, 0), dtype=lib.int64).dtype)",
])
def test_memory_formats_as_pytorch(expr):
    theirs, mine = both(lambda lib: eval(expr, {"lib": lib}))
    assert mine == theirs


def test_to_memory_format_returns_itself_when_already_so_and_records_a_copy_otherwise():
    def run(lib):
        x = lib.zeros(2, 3, 4, 5, requires_grad=True)
        y = x.to(memory_format=lib.channels_last)
        return (y is x, type(y.grad_fn).__name__, y.to(memory_format=lib.channels_last) is y,
                x.to(memory_format=lib.preserve_format) is x)
    theirs, mine = both(run)
    assert mine == theirs


@pytest.mark.parametrize("expr", [
    "lib.zeros(2, 3).to(memory_format=lib.channels_last)",
    "lib.empty((2, 3, 4), memory_format=lib.channels_last)",
    "lib.empty((2, 3, 4, 5), memory_format=lib.preserve_format)",
    "lib.empty_permuted((2, 3), (0, 0))",
    "lib.empty_permuted((2, 3), (0,))",
    "lib.empty_permuted((2, 3), (0, 2))",
])
def test_memory_format_errors_as_pytorch(expr):
    def run(lib):
        try:
            eval(expr, {"lib": lib})
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e).__name__, str(e)
        return None
    theirs, mine = both(run)
    assert theirs is not None and mine == theirs


# ----- pools given no tensor ---------------------------------------------------------------------
@pytest.mark.parametrize("expr", [
    "F.max_pool2d(len, 2)", "F.max_pool2d(len, 2, return_indices=True)",
    "F.max_pool1d([1.], 2)", "F.max_pool1d([1.], 2, return_indices=True)",
    "F.max_pool3d(3, 2)", "lib.nn.MaxPool2d(2, return_indices=True)(len)",
    "F.adaptive_max_pool1d(len, 2)", "F.adaptive_max_pool2d(len, 2)",
    "F.adaptive_avg_pool2d((1, 2), 2)", "F.adaptive_max_pool3d(None, 2, return_indices=True)",
])
def test_pools_refuse_what_is_no_tensor_as_pytorch(expr):
    def run(lib):
        try:
            eval(expr, {"lib": lib, "F": lib.nn.functional})
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e).__name__, str(e)
        return None
    theirs, mine = both(run)
    assert theirs is not None and mine == theirs


def test_complex_rand_parts_are_uniform_in_the_unit_square():
    gradsh.manual_seed(0)
    z = gradsh.rand(20000, dtype=gradsh.complex128).numpy()
    for part in (z.real, z.imag):
        assert part.min() >= 0 and part.max() < 1
        assert abs(part.mean() - 0.5) < 0.01 and abs(part.var() - 1 / 12) < 0.005
    assert math.isclose(float(np.corrcoef(z.real, z.imag)[0, 1]), 0, abs_tol=0.03)


# ----- torch.testing.assert_close of complex tensors ---------------------------------------------
@pytest.mark.parametrize("pair", [
    ("lib.tensor([1 + 1j, 2 - 1j])", "lib.tensor([1 + 1j, 2 - 1j + 1e-7j])"),
    ("lib.tensor([1 + 1j, 2 - 1j, 3j])", "lib.tensor([1 + 1j, 2 - 1.001j, 3j])"),
    ("lib.tensor([1 + 1j, 2 - 1j, 3j])", "lib.tensor([1 + 1j, 2.5 - 1j, 0j])"),
    ("lib.tensor([0.5j, 1j], dtype=lib.complex128)", "lib.tensor([0.5j, 1j + 1e-6])"),
    ("lib.tensor(1 + 1j)", "lib.tensor(1 + 2j)"),
    ("lib.tensor([1j, complex('nan')])", "lib.tensor([1j, complex('nan')])"),
])
def test_assert_close_compares_complex_tensors_by_modulus_as_pytorch(pair):
    def run(lib):
        a, b = (eval(p, {"lib": lib}) for p in pair)
        try:
            lib.testing.assert_close(a, b, check_dtype=False)
        except AssertionError as e:
            return str(e)
        return None
    theirs, mine = both(run)
    assert mine == theirs


def test_assert_close_of_two_ways_to_a_2d_fft():
    gradsh.manual_seed(4)
    x = gradsh.rand(6, 6, dtype=gradsh.complex64)
    gradsh.testing.assert_close(gradsh.fft.fft2(x),
                                gradsh.fft.fft(gradsh.fft.fft(x, dim=0), dim=1))
