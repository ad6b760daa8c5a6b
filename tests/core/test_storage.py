"""Tensor.untyped_storage() and the deprecated Tensor.storage() (branch gaps15): sizes,
data_ptr shared by a tensor and its views, tolist, indexing and printing, live against PyTorch
2.13 (skipped without it); and what a storage refuses (gradsh/core/storage.py)."""

import warnings

import pytest

import gradsh

CASES = [
    "t.untyped_storage().size(), t.untyped_storage().nbytes(), len(t.untyped_storage())",
    "t.untyped_storage().element_size(), str(t.untyped_storage().device)",
    "t.untyped_storage().data_ptr() == t[1:].untyped_storage().data_ptr()",
    "t.untyped_storage().data_ptr() == t.data_ptr(), t.storage().data_ptr() == t.data_ptr()",
    "t.untyped_storage().tolist()", "t.untyped_storage()[3], t.untyped_storage()[-1]",
    "repr(t.untyped_storage())", "str(t.storage())",
    "t.storage().size(), len(t.storage()), t.storage().nbytes(), t.storage().element_size()",
    "t.storage().dtype, t.storage().tolist(), t.storage()[1], list(t.storage())",
    "t[1:].storage().size(), t[1:].storage().tolist(), t.view(3, 1).t().untyped_storage().size()",
    "str(T.tensor([1, 2]).storage())", "str(T.tensor([True]).storage())",
    "str(T.tensor([]).storage())", "str(T.tensor([1.5], dtype=T.float64).untyped_storage())",
    "t[1:].untyped_storage() == t.untyped_storage(), t.clone().untyped_storage() == t.untyped_storage()",
    "T.is_storage(t.untyped_storage()), T.is_storage(t.storage()), T.is_storage(t)",
    "m.t().storage().tolist(), m[:, 1].storage().size(), m.t().contiguous().storage().tolist()",
    "m.expand(2, 2, 3).untyped_storage().size(), m[1, 1:].storage_offset()",
    "t.storage().untyped().size(), repr(type(t.untyped_storage())), repr(type(t.storage()))",
    "t.storage()[5]", "t.untyped_storage()[12]", "t.storage()['a']", "t.untyped_storage()[1.5]",
    "T.tensor([1., 2.], requires_grad=True).storage().tolist()",
]


def outcome(T, case):
    t = T.tensor([1., 2., 3.])
    m = T.arange(6.).reshape(2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return repr(eval(case, {"T": T, "t": t, "m": m}))
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared
            return type(e).__name__, str(e) if "index" not in str(e) or "can't" in str(e) else ""


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


@pytest.mark.parametrize("case", CASES)
def test_storage_is_pytorchs(torch, case):
    assert outcome(gradsh, case) == outcome(torch, case)


def test_storage_warns_once_that_typed_storage_is_deprecated():
    # (PyTorch 2.13's text, recorded from its first t.storage() in a process: once per process,
    # so a live comparison would depend on the tests run before)
    from gradsh.core import storage
    storage._TYPED_WARNED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradsh.ones(1).storage()
        gradsh.ones(1).storage()
    assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, (
        "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
        "the only storage class. This should only matter to you if you are using storages "
        "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
        "tensor.storage()"))]


def test_a_storage_is_read_only_and_its_text_is_bounded():
    s = gradsh.ones(3).untyped_storage()
    for name in ("resize_", "copy_", "fill_", "__setitem__", "_new_shared", "from_file"):
        assert not hasattr(s, name)
    with pytest.raises(RuntimeError, match="at most 1000000 elements"):
        repr(gradsh.zeros(300_000).untyped_storage())


def test_conjugates_of_one_tensor_are_forgotten_one_by_one():
    # (kept as a dict per memory: the end of each of many conjugates costs the same, where a
    # list rebuilt at each end made 10^4 conjugates of one tensor quadratic)
    import gc
    from gradsh.core.tensor import CONJ_LINKS
    z = gradsh.tensor([1 + 2j])
    cs = [z.conj() for _ in range(3)]
    key = id(z._vc)
    assert len(CONJ_LINKS[key]) == 3
    del cs[1]
    gc.collect()
    assert len(CONJ_LINKS[key]) == 2
    z.mul_(2)  # a write still reaches the conjugates left
    assert [c.tolist() for c in cs] == [[2 - 4j], [2 - 4j]]
    del cs
    gc.collect()
    assert key not in CONJ_LINKS
