"""The differential fuzzer (tools/diff_fuzz.py) in the suite: a fixed sample of its calls (two per
target, each target's from its own seed) run in gradsh and in PyTorch, failing on a difference
whose bucket (target, kind) is not in tests/data/diff_fuzz_known.json; and regression tests,
against PyTorch, of the classes of differences the fuzzer found and that were fixed.

The long run: python tools/diff_fuzz.py --calls 50000 --seed 1 --report /tmp/diff_fuzz.md
"""

import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the fuzzer's oracle")

import gradsh  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import diff_fuzz  # noqa: E402


def _outcome(lib, fn, strides):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fn(lib)
    except Exception as e:  # noqa: B902 - the exception is the observation
        return ("raised", type(e).__name__, str(e).splitlines()[0])
    items = r if isinstance(r, tuple) else (r,)
    return [(str(t.dtype), tuple(t.shape), tuple(t.stride()) if strides else None,
             t.detach().double().numpy()) if hasattr(t, "stride") else t
            for t in items]


def _same(fn, strides=True):
    got, want = _outcome(gradsh, fn, strides), _outcome(torch, fn, strides)
    # (values within float32's rounding: their last bits are not what is tested)
    same = type(got) is type(want) and len(got) == len(want) and all(
        a[:3] == b[:3] and np.allclose(a[3], b[3], rtol=1e-5, atol=1e-7, equal_nan=True)
        if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == 4 else a == b
        for a, b in zip(got, want))
    assert same, "\ngradsh: %s\ntorch:  %s" % (got, want)


# ---------------------------------------------------------------- the sample

def test_the_sample_finds_no_difference_outside_the_known_list():
    known = json.loads(diff_fuzz.KNOWN.read_text(encoding="utf-8"))
    names = [n for n in sorted(diff_fuzz.targets()) if n in set(known["targets"])]
    tally = diff_fuzz.replay(diff_fuzz.SUITE_SEED, diff_fuzz.SUITE_PER_TARGET, names)
    new = ["%s %s: %s" % (key + (tally.examples[key],)) for key in sorted(tally.buckets)
           if "%s %s" % key not in known["known"]]
    assert tally.figures["calls"] == len(names) * diff_fuzz.SUITE_PER_TARGET
    assert not new, ("differences from PyTorch not in tests/data/diff_fuzz_known.json (fix "
                     "them, or re-record with `python tools/diff_fuzz.py --known` and give "
                     "each a reason):\n" + "\n".join(new))


def test_every_known_difference_has_a_reason():
    known = json.loads(diff_fuzz.KNOWN.read_text(encoding="utf-8"))["known"]
    assert known and all(entry["reason"].strip() for entry in known.values())


def test_the_comparison_sees_a_difference():
    """The checker itself: a dtype, a stride and a value apart are each a difference."""
    call = diff_fuzz.Call("torch.add", [], {})
    base = diff_fuzz.tensor_facts(torch.arange(6.0).reshape(2, 3))
    for change in ({"dtype": "float64"}, {"stride": (1, 2)},
                   {"values": base["values"] + 1}):
        found, _ = diff_fuzz.differences(call, {"result": dict(base, **change), "after": []},
                                         {"result": base, "after": []})
        assert [k for k, _ in found] == [next(iter(change))]
    found, _ = diff_fuzz.differences(call, {"raised": ("TypeError", "a")},
                                     {"raised": ("RuntimeError", "a")})
    assert found[0][0] == "exception-class"


# ---------------------------------------------------------------- the fixed classes

@pytest.mark.parametrize("shape,size", [((1, 3), (1, 3)), ((1,), (1, 1)), ((3,), (1, 3)),
                                        ((3,), (1, 1, 3)), ((2, 1), (1, 2, 1)), ((), (2, 1)),
                                        ((3, 1), (1, 3, 4)), ((1,), (1, -1))])
def test_expand_gives_pytorchs_strides(shape, size):
    _same(lambda lib: lib.ones(shape).expand(*size))


def test_a_pointwise_op_on_a_size_one_expanded_dim_keeps_pytorchs_layout():
    _same(lambda lib: lib.arange(4.0).reshape(4, 1).t().expand(1, 4).neg())


@pytest.mark.parametrize("name,args", [("erf", "x"), ("gammaln", "x"), ("expit", "x"),
                                       ("i1e", "x"), ("xlog1py", "xx"), ("airy_ai", "x"),
                                       ("bessel_j0", "x"), ("logsumexp", "x0")])
@pytest.mark.parametrize("out_dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("grad", [False, True])
def test_special_functions_take_out(name, args, out_dtype, grad):
    def call(lib):
        x = lib.tensor([0.5, 1.5, 2.0], requires_grad=grad)
        values = [x if a == "x" else 0 for a in args]
        out = lib.empty(0, dtype=getattr(lib, out_dtype))
        r = getattr(lib.special, name)(*values, out=out)
        return r, out
    _same(call)


@pytest.mark.parametrize("name", ["inv", "det", "cholesky", "qr", "eigh", "slogdet", "svdvals",
                                  "matrix_norm", "pinv", "cond", "norm", "lu_factor",
                                  "matrix_power", "eigvalsh"])
@pytest.mark.parametrize("out", ["float32", "float64", "int32", "pair"])
def test_linalg_functions_take_out_with_pytorchs_dtype_rules(name, out):
    def call(lib):
        a = lib.tensor([[2.0, 1, 0], [1, 3, 1], [0, 1, 4]])
        o = (lib.empty(0), lib.empty(0, dtype=lib.int32)) if out == "pair" else \
            lib.empty(0, dtype=getattr(lib, out))
        args = (a, 2) if name == "matrix_power" else (a,)
        r = getattr(lib.linalg, name)(*args, out=o)
        return r if isinstance(r, tuple) else (r,)
    # (strides apart: an out= resized from empty gets C strides in gradsh, LAPACK's column-major
    # ones in PyTorch for inv, cholesky, lu_factor: a known difference)
    _same(call, strides=False)


def test_linalg_out_refuses_inputs_requiring_grad_as_pytorch():
    _same(lambda lib: lib.linalg.inv(lib.eye(2, requires_grad=True), out=lib.empty(0)))
    _same(lambda lib: lib.linalg.matrix_norm(lib.eye(2, requires_grad=True), out=lib.empty(0)))


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "bool", "byte",
                                    "cfloat"])
@pytest.mark.parametrize("fmt", [None, "preserve_format", "contiguous_format", "channels_last"])
@pytest.mark.parametrize("shape", [(2, 3), (2, 2, 3, 2)])
def test_conversion_methods_take_memory_format(method, fmt, shape):
    def call(lib):
        x = lib.arange(float(lib.Size(shape).numel())).reshape(shape).transpose(0, 1)
        kw = {"memory_format": None if fmt is None else getattr(lib, fmt)}
        return getattr(x, method)(**kw)
    _same(call)


@pytest.mark.parametrize("method,args", [("new_zeros", ((2, 1),)), ("new_ones", (2,)),
                                         ("new_empty", ((0, 2),)), ("new_full", ((2,), 3))])
@pytest.mark.parametrize("kw", [{"layout": "strided", "device": "cpu", "pin_memory": False},
                                {"pin_memory": True}, {"layout": None, "device": None},
                                {"layout": 3}])
def test_new_tensor_methods_take_factory_keywords(method, args, kw):
    def call(lib):
        kwargs = {k: getattr(lib, v) if k == "layout" and v else v for k, v in kw.items()}
        r = getattr(lib.ones(3, dtype=lib.int16), method)(*args, **kwargs)
        return r if method != "new_empty" else (str(r.dtype), tuple(r.shape))
    _same(call)


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 4), (5,), ()])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_without_dim_keeps_every_dim(name, shape):
    _same(lambda lib: getattr(lib, name)(lib.arange(float(lib.Size(shape).numel())).reshape(
        shape).flip(0) if shape else lib.tensor(1.0), keepdim=True))


def test_argmin_refuses_a_keepdim_that_is_not_a_bool():
    _same(lambda lib: lib.ones(2).argmin(keepdim="x"))


@pytest.mark.parametrize("name", ["chebyshev_polynomial_t", "hermite_polynomial_he",
                                  "legendre_polynomial_p", "laguerre_polynomial_l"])
def test_special_polynomials_of_0d_tensors_are_0d(name):
    _same(lambda lib: getattr(lib.special, name)(lib.tensor(0.5), 3))
    _same(lambda lib: getattr(lib.special, name)(lib.tensor(0.5), lib.tensor(2)))


_ACTIVATIONS = {
    "F.elu": lambda lib, x: lib.nn.functional.elu(x), "F.selu": lambda lib, x: lib.selu(x),
    "torch.celu_": lambda lib, x: lib.celu_(x), "F.elu_": lambda lib, x: lib.nn.functional.elu_(x),
    "hardshrink": lambda lib, x: x.hardshrink(), "F.softshrink": lambda lib, x:
    lib.nn.functional.softshrink(x), "F.softplus": lambda lib, x: lib.nn.functional.softplus(x),
    "F.leaky_relu_": lambda lib, x: lib.nn.functional.leaky_relu_(x),
    "F.rrelu": lambda lib, x: lib.nn.functional.rrelu(x),
    "F.gelu": lambda lib, x: lib.nn.functional.gelu(x),
    "F.silu": lambda lib, x: lib.nn.functional.silu(x),
    "F.mish": lambda lib, x: lib.nn.functional.mish(x),
    "F.hardswish": lambda lib, x: lib.nn.functional.hardswish(x),
    "F.hardsigmoid": lambda lib, x: lib.nn.functional.hardsigmoid(x),
    "F.logsigmoid": lambda lib, x: lib.nn.functional.logsigmoid(x),
    "F.threshold_": lambda lib, x: lib.nn.functional.threshold_(x, 0.5, 1),
    "F.hardtanh": lambda lib, x: lib.nn.functional.hardtanh(x),
    "F.hardtanh_(0, 2)": lambda lib, x: lib.nn.functional.hardtanh_(x, 0.0, 2.0),
    "F.relu6": lambda lib, x: lib.nn.functional.relu6(x)}


@pytest.mark.parametrize("name", sorted(_ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "float32"])
def test_float_only_activations_refuse_integer_tensors_as_pytorch(name, dtype):
    _same(lambda lib: _ACTIVATIONS[name](lib, lib.tensor([1, 0, 3]).to(getattr(lib, dtype))))


# --- dfz19 ---
_FACTORY_OPTIONS = {
    "arange": lambda lib, kw: lib.arange(3, **kw),
    "eye": lambda lib, kw: lib.eye(2, **kw),
    "zeros_like": lambda lib, kw: lib.zeros_like(lib.ones(2, 3).t(), **kw),
    "ones_like": lambda lib, kw: lib.ones_like(lib.ones(2, dtype=lib.int16), **kw),
    "randn": lambda lib, kw: lib.randn(2, 3, **kw).shape,
    "randn_like": lambda lib, kw: lib.randn_like(lib.ones(2), **kw).shape,
    "rand_like": lambda lib, kw: lib.rand_like(lib.ones(2), **kw).shape,
    "randint": lambda lib, kw: lib.randint(5, (2,), **kw).shape,
    "randint_like": lambda lib, kw: lib.randint_like(lib.ones(2), 3, **kw).shape,
    "randint_like bad": lambda lib, kw: lib.randint_like(lib.ones(2), -2, -7, **kw),
    "randperm": lambda lib, kw: lib.randperm(3, **kw).shape,
    "logspace": lambda lib, kw: lib.logspace(0, 1, 3, **kw),
    "tril_indices": lambda lib, kw: lib.tril_indices(3, 2, **kw),
    "tril_indices bad": lambda lib, kw: lib.tril_indices(2, -3, **kw),
    "triu_indices": lambda lib, kw: lib.triu_indices(3, 3, 1, **kw)}


def _shape_or_tensors(r):
    return (tuple(r),) if isinstance(r, (torch.Size, gradsh.Size)) else r


@pytest.mark.parametrize("kw", [{"layout": None}, {"layout": "strided", "device": "cpu"},
                                {"pin_memory": False, "device": None},
                                {"pin_memory": True}, {"generator": None},
                                {"requires_grad": False}])
@pytest.mark.parametrize("name", sorted(_FACTORY_OPTIONS))
def test_factories_take_pytorchs_options_at_their_neutral_values(name, kw):
    def call(lib):
        kwargs = {k: getattr(lib, v) if k == "layout" and v else v for k, v in kw.items()}
        try:
            return _shape_or_tensors(_FACTORY_OPTIONS[name](lib, kwargs))
        except TypeError as e:  # an option PyTorch's signature lacks: both refuse it
            if "unexpected keyword" in str(e) or "invalid combination" in str(e):
                return ("refused",)
            raise
    _same(call)


def test_expand_and_gather_take_their_neutral_keywords():
    _same(lambda lib: lib.ones(3).expand(2, 3, implicit=True))
    _same(lambda lib: lib.ones(3).expand(2, 3, implicit=False))
    _same(lambda lib: lib.arange(4.0).reshape(2, 2).gather(
        1, lib.tensor([[1], [0]]), sparse_grad=False))


_FFTS = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
         "hfft2", "ihfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"]


@pytest.mark.parametrize("name", _FFTS)
@pytest.mark.parametrize("shape,kw", [((0,), {}), ((2, 0), {}), ((0, 3), {"dim": 0}),
                                      ((3, 0), {"dim": -1}), ((0,), {"dim": 0})])
@pytest.mark.parametrize("dtype", ["float32", "complex64"])
def test_ffts_refuse_an_empty_dim_as_pytorch(name, shape, kw, dtype):
    # (an empty batch dim is not asked: PyTorch's MKL backend refuses it with its own words)
    def call(lib):
        return getattr(lib.fft, name)(lib.ones(shape, dtype=getattr(lib, dtype)), **kw)
    _same(call)


@pytest.mark.parametrize("name", ["rfft", "rfft2", "rfftn", "ihfft", "ihfft2", "ihfftn"])
def test_real_input_ffts_refuse_complex_in_pytorchs_words(name):
    _same(lambda lib: getattr(lib.fft, name)(lib.ones(2, 2, dtype=lib.complex64)))


_COMPLEX_REFUSALS = {
    "lgamma": lambda lib, x: lib.lgamma(x), "frac_": lambda lib, x: x.frac_(),
    "xlogy": lambda lib, x: lib.xlogy(x, x), "hypot": lambda lib, x: lib.hypot(x, x),
    "median": lambda lib, x: x.median(), "amax": lambda lib, x: lib.amax(x),
    "kthvalue": lambda lib, x: lib.kthvalue(x, 1), "nextafter": lambda lib, x: x.nextafter(x),
    "special.zeta": lambda lib, x: lib.special.zeta(x, x),
    "special.i1e": lambda lib, x: lib.special.i1e(x),
    "special.ndtr": lambda lib, x: lib.special.ndtr(x),
    "special.legendre_polynomial_p": lambda lib, x: lib.special.legendre_polynomial_p(x, 2),
    "F.selu": lambda lib, x: lib.nn.functional.selu(x),
    "F.elu_": lambda lib, x: lib.nn.functional.elu_(x),
    "F.gelu": lambda lib, x: lib.nn.functional.gelu(x),
    "F.softplus": lambda lib, x: lib.nn.functional.softplus(x),
    "F.logsigmoid": lambda lib, x: lib.nn.functional.logsigmoid(x),
    "F.mse_loss": lambda lib, x: lib.nn.functional.mse_loss(x, x),
    "F.softshrink": lambda lib, x: lib.nn.functional.softshrink(x)}


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name", sorted(_COMPLEX_REFUSALS))
def test_complex_refusals_name_pytorchs_kernel(name, dtype):
    _same(lambda lib: _COMPLEX_REFUSALS[name](lib, lib.tensor([0.5 + 1j, 2.0],
                                                               dtype=getattr(lib, dtype))))
