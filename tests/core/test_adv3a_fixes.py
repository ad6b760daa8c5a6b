"""Fixes found by the adversarial autograd and tensor programs of branch adv3a
(tests/data/learner_programs/adv3a_*.grad, issue 15): one test per class of difference.
Expected values are PyTorch 2.13's (recorded by running it; quoted here) or mathematics."""

import numpy as np
import pytest

import gradsh as torch
import gradsh.autograd.forward_ad as fwAD


# ----- dtype checks of the writing ops --------------------------------------------------------
PUT = "Index put requires the source and destination dtypes match, got {} for the destination " \
      "and {} for the source."


@pytest.mark.parametrize("write, dst, src", [
    (lambda i: torch.zeros(3).index_put_((i,), torch.tensor([1, 2])), "Float", "Long"),
    (lambda i: torch.zeros(3).index_put((i,), torch.tensor(1)), "Float", "Long"),
    (lambda i: torch.zeros(3, dtype=torch.int64).index_put_((i,), torch.tensor([1., 2.])),
     "Long", "Float"),
    (lambda i: torch.zeros(3).__setitem__(i, torch.tensor([1, 2])), "Float", "Long"),
    (lambda i: torch.zeros(3, dtype=torch.float16).__setitem__(i, torch.tensor(1.0)),
     "Half", "Float"),
    (lambda i: torch.zeros(3).__setitem__(torch.tensor([True, False, True]),
                                          torch.tensor([1, 2])), "Float", "Long"),
])
def test_index_put_refuses_another_dtype(write, dst, src):
    with pytest.raises(RuntimeError) as e:
        write(torch.tensor([0, 1]))
    assert str(e.value) == PUT.format(dst, src)


def test_a_mask_key_with_a_zero_dim_value_casts_it_as_masked_fill():
    x = torch.zeros(3)
    x[torch.tensor([True, False, True])] = torch.tensor(2)
    assert x.tolist() == [2.0, 0.0, 2.0] and x.dtype == torch.float32


@pytest.mark.parametrize("call, message", [
    (lambda: torch.zeros(3).index_add(0, torch.tensor([0]), torch.tensor([1])),
     "index_add_(): self (Float) and source (Long) must have the same scalar type"),
    (lambda: torch.zeros(3).scatter(0, torch.tensor([0]), torch.tensor([1])),
     "scatter(): Expected self.dtype to be equal to src.dtype"),
    (lambda: torch.zeros(3).scatter_add(0, torch.tensor([0]), torch.tensor([1])),
     "scatter(): Expected self.dtype to be equal to src.dtype"),
    (lambda: torch.zeros(3).masked_scatter(torch.tensor([True, False, True]),
                                           torch.ones(2, dtype=torch.float64)),
     "masked_scatter: expected self and source to have same dtypes but gotFloat and Double"),
])
def test_scatter_family_refuses_another_dtype(call, message):
    with pytest.raises(RuntimeError) as e:
        call()
    assert str(e.value) == message


# ----- index bounds: no negative index in the scatter family -----------------------------------
@pytest.mark.parametrize("call, kind, message", [
    (lambda i: torch.zeros(4).scatter(0, i, torch.ones(5)), RuntimeError,
     "index {} is out of bounds for dimension 0 with size 4"),
    (lambda i: torch.zeros(4).scatter(0, i, 2.0), RuntimeError,
     "index {} is out of bounds for dimension 0 with size 4"),
    (lambda i: torch.zeros(4).scatter_add(0, i, torch.ones(5)), RuntimeError,
     "index {} is out of bounds for dimension 0 with size 4"),
    (lambda i: torch.zeros(4).scatter_reduce(0, i, torch.ones(5), "sum"), RuntimeError,
     "index {} is out of bounds for dimension 0 with size 4"),
    (lambda i: torch.zeros(4).index_add(0, i, torch.ones(1)), IndexError,
     "index out of range in self"),
    (lambda i: torch.zeros(2, 3).index_add(1, i, torch.ones(2, 1)), RuntimeError,
     "index {} is out of bounds for dimension 1 with size 3"),
    (lambda i: torch.zeros(4).index_copy(0, i, torch.ones(1)), IndexError,
     "index_copy_(): index {} is out of bounds for dimension 0 with size 4"),
    (lambda i: torch.zeros(4).index_reduce(0, i, torch.ones(1), "prod"), IndexError,
     "index out of range in self"),
])
@pytest.mark.parametrize("bad", [-1, 5])
def test_scatter_family_refuses_negative_and_large_indices(call, kind, message, bad):
    with pytest.raises(kind) as e:
        call(torch.tensor([bad]))
    assert type(e.value) is kind and str(e.value) == message.format(bad)


def test_index_fill_and_index_select_read_negative_indices_as_pytorch():
    assert torch.zeros(3).index_fill(0, torch.tensor([-1]), 1.0).tolist() == [0.0, 0.0, 1.0]


# ----- autograd --------------------------------------------------------------------------------
def test_version_error_names_the_overload_and_the_current_shape():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    w = y ** 2
    y.unsqueeze_(0)
    with pytest.raises(RuntimeError, match=r"\[torch\.FloatTensor \[1, 2\]\], which is output 0 "
                                           r"of Unsqueeze1, is at version 1;"):
        w.sum().backward()


@pytest.mark.parametrize("node, name", [("MulBackward0", "Mul"), ("SumBackward1", "Sum1"),
                                        ("ClampBackward1", "Clamp1"), ("SqBackward", "Sq"),
                                        ("CopySlices", "CopySlices")])
def test_op_name_keeps_an_overload_index_other_than_zero(node, name):
    from gradsh.core.errors import op_name
    assert op_name(node) == name


def test_is_grads_batched_shape_error_is_pytorchs():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x ** 2
    with pytest.raises(RuntimeError) as e:
        torch.autograd.grad(y, x, torch.ones(3, 2, 3), is_grads_batched=True)
    # PyTorch 2.13 quotes the shape past the first two dims
    assert "grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of " \
           "torch.Size([3]). If you only want some" in str(e.value)
    assert str(e.value).startswith("If `is_grads_batched=True`, we interpret the first ")


def test_backward_inputs_without_grad_is_the_retain_grad_error():
    d = (torch.ones(2, requires_grad=True) * 2).sum()
    with pytest.raises(RuntimeError, match="^can't retain_grad on Tensor that has "
                                           "requires_grad=False$"):
        d.backward(inputs=[torch.ones(2)])
    with pytest.raises(RuntimeError, match="^One of the differentiated Tensors does not "):
        torch.autograd.grad(d, [torch.ones(2)])


def test_accumulating_into_a_grad_with_history_is_in_place():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()
    z.backward(create_graph=True)
    g = x.grad
    z.backward()
    # PyTorch: the second (first-order) backward adds into the same tensor, history kept
    assert x.grad is g and x.grad._version == 2 and x.grad.tolist() == [4.0, 8.0]
    assert type(x.grad.grad_fn).__name__ == "CopyBackwards"


@pytest.mark.parametrize("write", [lambda y, v: v.detach().add_(1),
                                   lambda y, v: y.detach().add_(1),
                                   lambda y, v: y[:1].detach().mul_(2)])
def test_a_view_written_through_a_detached_alias_gets_as_strided(write):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[1:]
    write(y, v)
    assert v.grad_fn.name() == "AsStridedBackward0" and "AsStridedBackward0" in repr(v)
    v.sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 2.0]


def test_a_data_write_leaves_the_view_node():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[1:]
    y.data.add_(1)
    assert v.grad_fn.name() == "SliceBackward0"


def test_setitem_of_a_number_zeroes_the_written_tangent():
    x = torch.tensor([[1.0, 3.0], [3.0, 2.0]])
    t = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
    with fwAD.dual_level():
        c = fwAD.make_dual(x, t).clone()
        c[0, 0] = 5.0
        c[1] = torch.tensor(1.0)
        assert fwAD.unpack_dual(c).tangent.tolist() == [[0.0, np.float32(0.2)], [0.0, 0.0]]


def test_func_grad_keeps_the_history_of_a_closed_over_parameter():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])
    g = torch.func.grad(lambda t: (t * t * w).sum())(x)
    assert g.grad_fn is not None and g.tolist() == [6.0, 16.0]
    g.sum().backward()
    assert w.grad.tolist() == [6.0, 8.0]  # d/dw sum(2 t w) = 2 t
    assert torch.func.grad(lambda t: (t * t).sum())(x).grad_fn is None
    out, fn = torch.func.vjp(lambda t: t * t, x)
    assert out.grad_fn is None and fn(torch.ones(2))[0].grad_fn is None


# ----- tensors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("data, kind, message", [
    (lambda T: [1, [2]], TypeError, "'list' object cannot be interpreted as an integer"),
    (lambda T: [1.5, [2]], TypeError, "must be real number, not list"),
    (lambda T: [1, (2,)], TypeError, "'tuple' object cannot be interpreted as an integer"),
    (lambda T: [T([1., 2.]), T([3., 4.])], ValueError,
     "only one element tensors can be converted to Python scalars"),
    (lambda T: [1, T([2, 3])], TypeError,
     "only integer tensors of a single element can be converted to an index"),
    (lambda T: [[1, 2], T([3, 4, 5])], ValueError, "expected sequence of length 2 at dim 1 (got 3)"),
])
def test_tensor_of_nested_data_reads_it_as_pytorch(data, kind, message):
    with pytest.raises(kind) as e:
        torch.tensor(data(torch.tensor))
    assert type(e.value) is kind and str(e.value) == message


def test_tensor_of_nested_data_with_tensors_where_pytorch_takes_them():
    T = torch.tensor
    assert T([T([1.]), T([2.])]).shape == (2,)          # numbers: one element each
    assert T([[1, 2], T([3, 4])]).tolist() == [[1, 2], [3, 4]]  # a row: read as a sequence


@pytest.mark.parametrize("a, b, message", [
    (torch.tensor([1]), torch.tensor([1.0]), "Long did not match Float"),
    (torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64), "Float did not match Double"),
    (torch.tensor([1 + 0j]), torch.tensor([1.0]), "ComplexFloat did not match Float"),
])
@pytest.mark.parametrize("fn", ["isclose", "allclose"])
def test_isclose_does_not_promote(a, b, message, fn):
    with pytest.raises(RuntimeError, match="^%s$" % message):
        getattr(torch, fn)(a, b)


def test_isclose_of_complex_and_negative_tolerances():
    c = torch.tensor([1 + 1j, 2 + 0j])
    assert torch.isclose(c, c + 1e-9).tolist() == [True, True]
    with pytest.raises(RuntimeError, match="^rtol must be greater than or equal to zero, but "
                                           "got -1$"):
        torch.isclose(torch.ones(1), torch.ones(1), rtol=-1)


@pytest.mark.parametrize("make, offset", [
    (lambda x: x.diagonal(offset=1, dim1=1, dim2=2), 1), (lambda x: x[1].diagonal(-1), 16),
    (lambda x: x.flatten().as_strided((3, 3), (3, 1), 1), 1)])
def test_storage_offset_of_as_strided_made_views(make, offset):
    x = torch.arange(24.0).reshape(2, 3, 4)
    v = make(x)
    assert v.storage_offset() == offset
    assert v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()


def test_argument_refusal_knows_torch_generators():
    g = torch.Generator().manual_seed(1)
    # PyTorch's draws for this seed: its Tensor-mean overload accepts generator=
    assert torch.normal(torch.zeros(2), 1.0, generator=g).shape == (2,)
    with pytest.raises(TypeError, match="generator=int"):
        torch.normal(torch.zeros(2), torch.ones(2), generator=5)


@pytest.mark.parametrize("call, message", [
    (lambda: torch.normal(torch.zeros(2), -1.0), "normal expects std >= 0.0, but found std -1"),
    (lambda: torch.normal(torch.zeros(2), float("nan")),
     "normal expects std >= 0.0, but found std nan"),
    (lambda: torch.normal(0.0, torch.tensor([-2.0, 1.0])),
     "normal expects all elements of std >= 0.0"),
    (lambda: torch.normal(torch.zeros(2), torch.tensor([float("nan"), 1.0])),
     "normal expects all elements of std >= 0.0"),
    (lambda: torch.empty(2).normal_(0, float("nan")),
     "normal expects std >= 0.0, but found std nan"),
])
def test_normal_refuses_negative_and_nan_std(call, message):
    with pytest.raises(RuntimeError, match="^%s$" % message):
        call()


@pytest.mark.parametrize("args, dtype, values", [
    ((0, 5, 1.5), torch.int64, [0, 1, 2, 3, 4]), ((0, 5, 1.5), torch.int32, [0, 1, 2, 3]),
    ((0.5, 5, 1.5), torch.uint8, [0, 1, 2]), ((10, 0, -1.5), torch.int64, list(range(10, 0, -1))),
    ((10, 0, -1.5), torch.int32, [10, 9, 8, 7, 6, 5, 4]), ((1, 2.5, 0.5), torch.int32, [1, 1, 1]),
])
def test_arange_with_an_integer_dtype_truncates_start_and_step(args, dtype, values):
    assert torch.arange(*args, dtype=dtype).tolist() == values


def test_arange_int64_with_a_step_truncated_to_zero():
    with pytest.raises(ValueError, match="^step must be nonzero$"):
        torch.arange(1, 2.5, 0.5, dtype=torch.int64)


@pytest.mark.parametrize("value, hits", [(5, 1), (0, 0), (2.5, 1), (True, 1)])
def test_nonzero_of_zero_dim(value, hits):
    t = torch.tensor(value)
    assert tuple(t.nonzero().shape) == (hits, 0)
    assert [i.tolist() for i in t.nonzero(as_tuple=True)] == [[0] * hits]
    assert [i.tolist() for i in torch.where(t)] == [[0] * hits]


@pytest.mark.parametrize("call, message", [
    (lambda: torch.lerp(torch.ones(2), torch.ones(2, dtype=torch.float16), 0.5),
     "expected dtype float for `end` but got dtype c10::Half"),
    (lambda: torch.lerp(torch.ones(2), torch.tensor(1., dtype=torch.float64), 0.5),
     "expected dtype float for `end` but got dtype double"),
    (lambda: torch.lerp(torch.ones(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64),
                        torch.tensor([0.5])), "expected dtype double for `weight` but got dtype float"),
])
def test_lerp_does_not_promote(call, message):
    with pytest.raises(RuntimeError, match="^%s$" % message):
        call()


def test_lerp_zero_dim_weight_keeps_self_dtype():
    r = torch.lerp(torch.ones(2, dtype=torch.float16), torch.full((2,), 3.0, dtype=torch.float16),
                   torch.tensor(0.5))
    assert r.dtype == torch.float16 and r.tolist() == [2.0, 2.0]
    assert np.array_equal(torch.lerp(torch.ones(2), torch.full((2,), 3.0), torch.tensor(1))._data,
                          np.full(2, 3.0, np.float32))


# ----- index lists of floats, uint8 masks, complex logic --------------------------------------
@pytest.mark.parametrize("key, rows", [([0, 1.9], [0, 1]), ([-1.5], [2]), ([0.5], [0])])
def test_a_list_of_floats_indexes_as_truncated_ints(key, rows):
    x = torch.arange(12.0).reshape(3, 4)
    assert x[key].tolist() == x[rows].tolist()


def test_a_uint8_index_is_a_mask_with_pytorchs_warning():
    x = torch.arange(12.0).reshape(3, 4)
    with pytest.warns(UserWarning, match=r"^indexing with dtype torch\.uint8 is now deprecated"):
        r = x[torch.tensor([1, 0, 1], dtype=torch.uint8)]
    assert r.tolist() == [x[0].tolist(), x[2].tolist()]
    with pytest.raises(RuntimeError, match="^masked_fill_ only supports boolean masks, but got "
                                           "mask with dtype unsigned char$"):
        x[torch.tensor([1, 0, 1], dtype=torch.uint8)] = 5.0


def test_logical_ops_take_complex():
    a, b = torch.tensor([1 + 0j, 0j, 1j]), torch.tensor([1, 1, 0])
    assert torch.logical_and(a, b).tolist() == [True, False, False]
    assert torch.logical_xor(a, b).tolist() == [False, True, True]
    assert torch.logical_not(a).tolist() == [False, True, False]


def test_a_programs_function_subclass_prints_under_its_module():
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with pytest.warns(DeprecationWarning):
        m = Mul()
    assert repr(m).startswith("<%s.Mul object at 0x" % __name__)
    assert repr(torch.autograd.Function()).startswith("<torch.autograd.function.Function object")


# ----- inner and tensordot ---------------------------------------------------------------------
def _chain(t):
    names, fn = [], t.grad_fn
    while fn is not None and fn.name() != "torch::autograd::AccumulateGrad":
        names.append(fn.name())
        fn = fn.next_functions[0][0]
    return names


@pytest.mark.parametrize("a, b, shape, chain", [
    ((3,), (3,), (), ["ViewBackward0", "DotBackward0", "PermuteBackward0"]),
    ((2, 3), (3,), (2,), ["ViewBackward0", "MmBackward0", "ViewBackward0", "PermuteBackward0"]),
    ((2, 3), (4, 3), (2, 4), ["ViewBackward0", "MmBackward0", "ViewBackward0", "PermuteBackward0"]),
    ((2, 3), (2, 2, 3), (2, 2, 2), ["ViewBackward0", "MmBackward0", "ViewBackward0",
                                     "PermuteBackward0"]),
    ((), (2,), (2,), ["MulBackward0"]),
])
def test_inner_is_tensordot_over_the_last_dims(a, b, shape, chain):
    # chains recorded from PyTorch 2.13
    x = torch.ones(a, requires_grad=True)
    r = torch.inner(x, torch.full(b, 2.0))
    assert tuple(r.shape) == shape and _chain(r) == chain
    r.sum().backward()
    # d/dx sum(inner(x, 2)) = 2 times the number of rows of b each element meets
    rows = int(np.prod(b[:-1])) if a else int(np.prod(b))
    assert x.grad.tolist() == torch.full(a, 2.0 * rows).tolist()


def test_inner_and_tensordot_errors():
    with pytest.raises(RuntimeError, match=r"^inner\(\) the last dimension must match on both "
                                           r"input tensors but got shapes \[2, 3\] and \[2, 4\]$"):
        torch.inner(torch.ones(2, 3), torch.ones(2, 4))
    with pytest.raises(RuntimeError, match="^both inputs should have same dtype$"):
        torch.tensordot(torch.ones(2), torch.ones(3, dtype=torch.float64), dims=1)
    with pytest.raises(RuntimeError, match="^both inputs should have same dtype$"):
        torch.inner(torch.ones(2, 3), torch.ones(3, dtype=torch.float64))


def test_inner_values():
    a = torch.arange(6.0).reshape(2, 3)
    b = torch.arange(12.0).reshape(4, 3)
    assert torch.inner(a, b).tolist() == (a._data @ b._data.T).tolist()


# ----- add/sub alpha checks, hypot of an integer with a float ----------------------------------
BOOL_ALPHA = "Boolean alpha only supported for Boolean results."
FLOAT_ALPHA = "For integral input tensors, argument alpha must not be a floating point number."


@pytest.mark.parametrize("call, message", [
    (lambda f, i: torch.add(f, f, alpha=True), BOOL_ALPHA),
    (lambda f, i: f.sub(f, alpha=torch.tensor(True)), BOOL_ALPHA),
    (lambda f, i: torch.add(i, i, alpha=0.5), FLOAT_ALPHA),
    (lambda f, i: torch.sub(i, i, alpha=0.5), FLOAT_ALPHA),
    (lambda f, i: torch.rsub(i, i, alpha=0.5), FLOAT_ALPHA),
    (lambda f, i: i.clone().add_(i, alpha=torch.tensor(0.5)), FLOAT_ALPHA),
    (lambda f, i: torch.add(f, f, alpha=1j),
     "For non-complex input tensors, argument alpha must not be a complex number."),
])
def test_add_and_sub_check_alpha_against_the_result_dtype(call, message):
    with pytest.raises(RuntimeError, match="^%s$" % message):
        call(torch.tensor([1.0, 2.0]), torch.tensor([1, 2]))


def test_bool_add_with_an_integer_alpha_stays_bool():
    b = torch.tensor([True, False])
    r = torch.add(b, b, alpha=2)
    assert r.dtype == torch.bool and r.tolist() == [True, False]
    assert torch.add(torch.tensor([1.0]), torch.tensor([1.0]), alpha=torch.tensor(2)).tolist() == [3.0]


def test_hypot_of_an_integer_with_a_float_promotes():
    assert torch.hypot(torch.tensor([3]), torch.tensor([4.0])).tolist() == [5.0]
    assert torch.hypot(torch.tensor([3]), torch.tensor(4.0, dtype=torch.float64)).dtype == \
        torch.float64  # (PyTorch 2.13's result for a 0-d float64 other)
    with pytest.raises(NotImplementedError, match="\"hypot_cpu\" not implemented for 'Long'"):
        torch.hypot(torch.tensor([3]), torch.tensor([4]))


def test_tensordot_and_inner_of_bools_are_refused_as_pytorchs_kernels():
    b1, b2 = torch.tensor([True, False]), torch.tensor([[True, False], [False, True]])
    with pytest.raises(NotImplementedError, match="^\"dot\" not implemented for 'Bool'$"):
        torch.inner(b1, b1)
    with pytest.raises(NotImplementedError, match="^\"addmm_impl_cpu_\" not implemented for "):
        torch.tensordot(b2, b1, 1)
    assert torch.inner(torch.tensor(True), b1).tolist() == [True, False]


# ----- out= of the reductions and of the ops returning several tensors ------------------------
def test_out_tuples_return_pytorchs_out_return_types():
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, 4.0]])
    r = torch.max(x, 1, out=(torch.empty(0), torch.empty(0, dtype=torch.int64)))
    assert repr(r) == ("torch.return_types.max_out(\nvalues=tensor([3., 4.]),\n"
                       "indices=tensor([0, 1]))")
    r = torch.aminmax(x, dim=1, out=(torch.empty(0), torch.empty(0)))
    assert type(r).__name__ == "aminmax_out" and r.max.tolist() == [3.0, 4.0]


@pytest.mark.parametrize("call, message", [
    (lambda x: torch.max(x, 1, out=(torch.empty(2), torch.empty(2))),
     "Expected out tensor to have dtype long int, but got float instead"),
    (lambda x: torch.argmax(x, 0, out=torch.empty(3)),
     "Expected out tensor to have dtype long int, but got float instead"),
    (lambda x: torch.amax(x, 0, out=torch.empty(3, dtype=torch.int64)),
     "Expected the dtype for input and out to match, but got Float for input's dtype and Long "
     "for out's dtype."),
    (lambda x: torch.logsumexp(x, 0, out=torch.empty(3, dtype=torch.int64)),
     "logsumexp(): Expected floating point type for result tensor, but got: Long"),
])
def test_out_dtype_checks_of_reductions(call, message):
    with pytest.raises(RuntimeError, match="^%s$" % message.replace("(", r"\(").replace(")", r"\)")):
        call(torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, 4.0]]))


def test_sum_and_prod_into_an_integer_out_cast_the_input_first():
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, 4.0]])
    long = lambda *s: torch.empty(*s, dtype=torch.int64)  # noqa: E731
    # PyTorch 2.13: the values truncated first (prod 3 * 0.5 would be 1.5, it is 0)
    assert torch.sum(x, 0, out=long(3)).tolist() == [3, 5, 6]
    assert torch.prod(x, 0, out=long(3)).tolist() == [0, 4, 8]
    assert torch.cumsum(x, 0, out=long(2, 3)).tolist() == [[3, 1, 2], [3, 5, 6]]


def test_index_add_and_index_copy_count_the_indices():
    b, s = torch.zeros(3, 4), torch.ones(2, 4)
    with pytest.raises(RuntimeError, match=r"^index_add_\(\): Number of indices \(1\) should be "
                                           r"equal to source.size\(dim\): \(2\), for dim: 0$"):
        b.index_add(0, torch.tensor([0]), s)
    with pytest.raises(IndexError, match=r"^index_copy_\(\): Number of indices \(3\) should be "
                                         r"equal to source.size\(dim\) \(2\)$"):
        b.index_copy(0, torch.tensor([0, 1, 2]), s)
    with pytest.raises(RuntimeError, match="^source tensor shape must match self tensor shape"):
        b.index_add(0, torch.tensor([0, 1]), torch.ones(2, 3))
