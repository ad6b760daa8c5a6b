"""Fixes found by the adversarial tensor programs of branch adv5c
(tests/data/learner_programs/adv5c_*.grad): one test per class of difference, each swept over
its family and compared with PyTorch 2.13 run on the same scenario (skipped without it)."""

import operator

import pytest

from differential import assert_same_as_torch

pytest.importorskip("torch", reason="PyTorch is the oracle of these differential tests")

INTS = ("bool", "uint8", "int8", "int16", "int32", "int64")
ALL = INTS + ("float16", "float32", "float64", "complex64")


# ----- in-place writes: PyTorch's category rule, not numpy's same_kind ---------------------------
@pytest.mark.parametrize("dst", ALL)
@pytest.mark.parametrize("src", ALL)
@pytest.mark.parametrize("op", ["add_", "mul_", "sub_"])
def test_inplace_write_follows_pytorchs_casting_categories(dst, src, op):
    def scenario(torch):
        x = torch.ones(2, dtype=getattr(torch, dst))
        return getattr(x, op)(torch.full((2,), 2, dtype=getattr(torch, src)))
    if op == "sub_" and "bool" in (dst, src):
        pytest.skip("bool subtraction is refused before any cast")
    assert_same_as_torch(scenario)


# ----- factories take size= as a keyword -------------------------------------------------------
@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("kw", [(2, 3), [2], (), 3])
def test_factories_take_size_as_a_keyword(name, kw):
    assert_same_as_torch(lambda torch: tuple(getattr(torch, name)(size=kw).shape))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_size_twice_is_refused_in_pytorchs_words(name):
    assert_same_as_torch(lambda torch: getattr(torch, name)(2, size=(2,)))


@pytest.mark.parametrize("name", ["new_zeros", "new_ones", "new_empty"])
@pytest.mark.parametrize("call", [lambda f: f(size=(2, 1)).shape, lambda f: f(size=[3]).shape,
                                  lambda f: f(2, size=(2,)), lambda f: f(size=3),
                                  lambda f: f(2, 3).shape])
def test_new_factories_take_size_as_a_keyword(name, call):
    assert_same_as_torch(lambda torch: call(getattr(torch.ones(2), name)))


# ----- a fill of -0.0 keeps its sign ---------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda torch: torch.full((2,), -0.0),
    lambda torch: torch.full((2,), -0.0, dtype=torch.float64),
    lambda torch: torch.full((2,), -0.0, dtype=torch.float16),
    lambda torch: torch.full((2,), complex(-0.0, 0.0)),
    lambda torch: torch.full_like(torch.ones(3), -0.0),
    lambda torch: torch.ones(2).new_full((2,), -0.0),
    lambda torch: torch.ones(2).fill_(-0.0),
])
def test_negative_zero_fills_keep_the_sign(make):
    assert_same_as_torch(lambda torch: [str(v) for v in make(torch).tolist()])


# ----- shape ops: PyTorch's refusals and argument forms --------------------------------------------
SHAPE_CASES = {
    "tril_1d": lambda torch: torch.tril(torch.ones(3)),
    "triu_0d": lambda torch: torch.ones(()).triu(),
    "tril__1d": lambda torch: torch.ones(3).tril_(),
    "triu_3d": lambda torch: torch.triu(torch.ones(2, 2, 3), -1),
    "roll_2_shifts_1_dim": lambda torch: torch.arange(6).reshape(2, 3).roll((1, 2), 0),
    "roll_1_shift_2_dims": lambda torch: torch.arange(6).reshape(2, 3).roll(1, (0, 1)),
    "roll_2_shifts_no_dims": lambda torch: torch.arange(6).reshape(2, 3).roll((1, 2)),
    "roll_no_shifts": lambda torch: torch.arange(6).roll((), ()),
    "roll_0d_dim": lambda torch: torch.tensor(3).roll(1, 0),
    "roll_0d": lambda torch: torch.tensor(3).roll(1),
    "cat_axis": lambda torch: torch.cat([torch.ones(2, 1), torch.zeros(2, 2)], axis=1),
    "concatenate_axis": lambda torch: torch.concatenate([torch.ones(1, 2)] * 2, axis=0),
    "concat_axis": lambda torch: torch.concat([torch.ones(1, 2)] * 2, axis=-1),
    "tensor_split_0d": lambda torch: torch.arange(7).tensor_split(torch.tensor(3)),
    "tensor_split_0d_zero": lambda torch: torch.arange(7).tensor_split(torch.tensor(0)),
    "tensor_split_0d_float": lambda torch: torch.arange(7).tensor_split(torch.tensor(3.0)),
    "tensor_split_indices_kw": lambda torch: torch.arange(7).tensor_split(indices=[1, 2]),
    "tensor_split_sections_kw": lambda torch: torch.arange(7).tensor_split(sections=3),
}


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_shape_ops_refuse_and_accept_as_pytorch(case):
    assert_same_as_torch(SHAPE_CASES[case])


# ----- complex tensors: conjugate transposes, spaced values, real statistics -----------------------
Z = [[1 + 1j, 2 - 1j, 0.5j], [3 + 0j, -1j, 2 + 2j]]
COMPLEX_CASES = {
    "mH": lambda t, z: (z.mH, z.mH.is_conj()),
    "H": lambda t, z: z.H,
    "adjoint": lambda t, z: z.adjoint(),
    "var": lambda t, z: (z.var(), z.var(1, correction=0, keepdim=True)),
    "std": lambda t, z: z.std(0),
    "var_mean": lambda t, z: t.var_mean(z, 1),
    "std_mean": lambda t, z: t.std_mean(z),
    "norm": lambda t, z: (z.norm(), z.norm(1, dim=1), z.norm(float("inf"))),
    "vector_norm": lambda t, z: (t.linalg.vector_norm(z, 3), t.linalg.norm(z)),
    "dist": lambda t, z: t.dist(z, t.zeros_like(z)),
    "logsumexp": lambda t, z: (z.logsumexp(1), t.logsumexp(z, 0)),
    "cumprod": lambda t, z: z.cumprod(1),
    "renorm": lambda t, z: z.renorm(2, 0, 1.0),
    "nansum": lambda t, z: z.nansum(),
    "nanmean": lambda t, z: z.nanmean(),
    "norm_complex_order": lambda t, z: z.norm(1j),
    "norm_complex_order_real": lambda t, z: z.real.norm(1j),
}


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("case", COMPLEX_CASES)
def test_complex_reductions_and_views_compute_as_pytorch(case, dtype):
    assert_same_as_torch(lambda t: COMPLEX_CASES[case](t, t.tensor(Z, dtype=getattr(t, dtype))),
                         approx=True)


@pytest.mark.parametrize("case", ["var", "std", "logsumexp", "cumprod"])
def test_complex_statistics_with_grad_are_refused_not_wrong(case):
    import gradsh
    z = gradsh.tensor([1 + 1j, 2 - 1j], requires_grad=True)
    with pytest.raises(NotImplementedError, match="no derivative of this op for complex"):
        COMPLEX_CASES[case](gradsh, z)


@pytest.mark.parametrize("make", [
    lambda t: t.linspace(0.1, 0.7, 7, dtype=t.complex64),
    lambda t: t.linspace(-1.3 + 0.2j, 2.9 - 1.1j, 9, dtype=t.complex128),
    lambda t: t.linspace(1j, 3.3, 5),
    lambda t: t.linspace(1 + 1j, 2, 1, dtype=t.complex64),
    lambda t: t.linspace(1j, 2, 0).dtype,
    lambda t: t.logspace(0.1, 2.3, 6, dtype=t.complex128),
    lambda t: t.logspace(0, 2, 3, dtype=t.complex64),
])
def test_complex_linspace_and_logspace_are_not_truncated(make):
    # (to 4 decimals: complex logspace's last bits come from PyTorch's complex pow)
    assert_same_as_torch(lambda t: [(round(v.real, 4), round(v.imag, 4)) for v in make(t).tolist()]
                         if isinstance(make(t), t.Tensor) else str(make(t)))


# ----- dtype objects, scalar_tensor, isclose, torch.Size, tensor() -----------------------------------
@pytest.mark.parametrize("name", ALL + ("bfloat16", "complex128"))
@pytest.mark.parametrize("method", ["to_complex", "to_real"])
def test_dtype_to_complex_and_to_real(name, method):
    assert_same_as_torch(lambda torch: str(getattr(getattr(torch, name), method)()))


MISC_CASES = {
    "scalar_tensor_int": lambda t: t.scalar_tensor(3),
    "scalar_tensor_bool": lambda t: t.scalar_tensor(True),
    "scalar_tensor_dtype": lambda t: t.scalar_tensor(2, dtype=t.int64),
    "scalar_tensor_grad": lambda t: t.scalar_tensor(2, requires_grad=True),
    "scalar_tensor_complex": lambda t: t.scalar_tensor(1j),
    "allclose_shapes": lambda t: t.allclose(t.ones(2), t.ones(3)),
    "isclose_shapes": lambda t: t.isclose(t.ones(2, 1), t.ones(2, 3)).shape,
    "isclose_no_broadcast": lambda t: t.isclose(t.ones(2, 2), t.ones(3)),
    "size_setitem": lambda t: operator.setitem(t.Size([1, 2]), 0, 5),
    "size_delitem": lambda t: operator.delitem(t.Size([1, 2]), 0),
    "tensor_no_data": lambda t: t.tensor(),
}


@pytest.mark.parametrize("case", MISC_CASES)
def test_misc_forms_as_pytorch(case):
    assert_same_as_torch(MISC_CASES[case])


# ----- round 2: writes into expanded tensors, argument forms, complex refusals, torch.Size ---------
def _expanded(torch):
    return torch.zeros(1, 3).expand(2, 3)


ROUND2_CASES = {
    "zero_expanded": lambda t: _expanded(t).zero_(),
    "fill_number_expanded": lambda t: _expanded(t).fill_(2),
    "fill_tensor_expanded": lambda t: _expanded(t).fill_(t.tensor(3.0)),
    "add_expanded": lambda t: _expanded(t).add_(1),
    "var_unbiased_and_correction": lambda t: t.ones(3).var(0, unbiased=True, correction=1),
    "std_mean_unbiased_and_correction": lambda t: t.std_mean(t.ones(3), unbiased=False,
                                                             correction=0),
    "split_negative": lambda t: t.arange(6).split(-1),
    "split_sizes_negative": lambda t: t.arange(6).split([7, -1]),
    "squeeze_0d_tuple": lambda t: t.tensor(1.0).squeeze((0,)).shape,
    "squeeze_0d_tuple_twice": lambda t: t.tensor(1.0).squeeze((0, -1)),
    "squeeze_0d_tuple_out": lambda t: t.tensor(1.0).squeeze((1,)),
    "permute_dims_kw": lambda t: t.ones(2, 3, 4).permute(dims=(2, 0, 1)).shape,
    "invert_complex": lambda t: ~t.ones(2, dtype=t.complex64),
    "where_complex_scalar": lambda t: t.where(t.tensor([True, False]), 1j, 0),
    "where_complex_tensor": lambda t: t.where(t.tensor([True, False]), t.tensor([1j, 2]), 0.5),
    "pow_modulo": lambda t: pow(t.tensor([1, 2]), 2, 3),
}


@pytest.mark.parametrize("case", ROUND2_CASES)
def test_round2_forms_as_pytorch(case):
    assert_same_as_torch(ROUND2_CASES[case])


@pytest.mark.parametrize("op", ["__and__", "__or__", "__xor__", "__lshift__", "__rshift__",
                                "__rand__", "__rlshift__", "bitwise_not", "bitwise_and_", "gcd",
                                "lcm", "bitwise_left_shift", "bitwise_right_shift"])
def test_complex_bitwise_refusals_name_pytorchs_kernels(op):
    def scenario(torch):
        z = torch.ones(2, dtype=torch.complex64)
        return getattr(z, op)(*(() if op == "bitwise_not" else (z if op in ("gcd", "lcm")
                                                                 else 1,)))
    assert_same_as_torch(scenario)


SIZE_OPERATIONS = {
    "add_list": lambda s, t: s + [7],
    "list_add": lambda s, t: [7] + s,
    "add_int": lambda s, t: s + 1,
    "int_add": lambda s, t: 1 + s,
    "tuple_add": lambda s, t: type((1,) + s).__name__,
    "sub_tuple": lambda s, t: s - (1,),
    "tuple_sub": lambda s, t: (1,) - s,
    "mul_float": lambda s, t: s * 2.0,
    "float_mul": lambda s, t: 2.0 * s,
    "div_int": lambda s, t: s / 2,
    "and_size": lambda s, t: s & s,
    "pow_int": lambda s, t: s ** 2,
    "int_mod": lambda s, t: 2 % s,
    "matmul": lambda s, t: s @ s,
    "sub_tensor": lambda s, t: s - t.tensor(1),
    "tensor_sub": lambda s, t: t.tensor(1) - s,
    "setitem": lambda s, t: operator.setitem(s, 0, 5),
}


@pytest.mark.parametrize("case", SIZE_OPERATIONS)
def test_torch_size_operators_name_torch_size(case):
    assert_same_as_torch(lambda t: SIZE_OPERATIONS[case](t.Size([1, 2]), t))


# ----- round 3: 0-d tensors in flip/hstack/vstack, narrow's start, item()/tolist() arguments ---------
ROUND3_CASES = {
    "flip_0d": lambda t: t.tensor(4.0).flip(0),
    "flip_0d_neg": lambda t: t.tensor(4.0).flip(-1),
    "flip_0d_out": lambda t: t.tensor(4.0).flip(1),
    "flip_0d_twice": lambda t: t.tensor(4.0).flip(0, -1),
    "hstack_0d": lambda t: t.hstack([t.tensor(1.0), t.tensor(2.0)]),
    "hstack_0d_1d": lambda t: t.hstack([t.tensor(1), t.tensor([2, 3])]),
    "vstack_0d": lambda t: t.vstack([t.tensor(1), t.tensor(2)]),
    "row_stack_0d": lambda t: t.row_stack([t.tensor(1.5), t.tensor(2.5)]),
    "narrow_start_past": lambda t: t.arange(3).narrow(0, 4, 0),
    "narrow_start_before": lambda t: t.arange(3).narrow(0, -4, 0),
    "narrow_start_end": lambda t: t.arange(3).narrow(0, 3, 0),
    "narrow_length_past": lambda t: t.arange(3).narrow(0, 2, 2),
    "item_arg": lambda t: t.tensor(1.0).item(1),
    "tolist_arg": lambda t: t.tensor([1.0]).tolist(0),
}


@pytest.mark.parametrize("case", ROUND3_CASES)
def test_round3_forms_as_pytorch(case):
    assert_same_as_torch(ROUND3_CASES[case])


def test_hstack_of_zero_dim_tensors_keeps_the_gradient():
    def scenario(torch):
        s = torch.tensor(2.0, requires_grad=True)
        y = torch.hstack([s, s * 2])
        y.sum().backward()
        return y, s.grad
    assert_same_as_torch(scenario)
