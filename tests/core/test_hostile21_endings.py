"""Core fixes of hostile round 21 (issue 16, docs/security.md "A twenty-first round"), checked
against PyTorch 2.13: vmap's in_dims and out_dims refused with PyTorch's ValueError (a str,
float, list or None in_dims, a non-int leaf, a non-int out_dims were other errors or ran), vmap
over many arguments in linear time, and EventList.key_averages called unbound."""

import pytest

import gradsh
from gradsh.func import vmap

torch = pytest.importorskip("torch", reason="PyTorch 2.13 is the oracle of these endings")

CALLS = [dict(in_dims="x"), dict(in_dims=0.5), dict(in_dims=[0]), dict(in_dims=None),
         dict(in_dims=(0.5,)), dict(in_dims=({"a": "x"},)), dict(out_dims="x"),
         dict(out_dims=[0.5]), dict(in_dims="x", out_dims="y"), dict(in_dims=True)]


def _ending(lib, vmap_of, kw):
    arg = {"a": lib.ones(2)} if isinstance(kw.get("in_dims"), tuple) and \
        isinstance(kw["in_dims"][0], dict) else lib.ones(2)
    try:
        vmap_of(lambda x: x, **kw)(arg)
    except Exception as e:  # noqa: BLE001 - the ending compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("kw", CALLS, ids=[repr(c) for c in CALLS])
def test_vmap_dims_are_refused_as_pytorch_refuses_them(kw):
    assert _ending(gradsh, vmap, kw) == _ending(torch, torch.func.vmap, kw)


def test_vmap_over_many_arguments_is_linear():
    # 10^6 arguments ran past 20 s of CPU: per slice, each argument was searched for among all
    # mapped leaves. Counted in lines run by vmap's own function, not in seconds (a loaded
    # machine): about 10 a leaf a slice, where the search made 2 per pair of leaves
    import sys
    lines = [0]

    def tracer(frame, event, arg):
        if frame.f_code.co_name == "mapped" and frame.f_code.co_filename.endswith("func.py"):
            def local(frame, event, arg):
                lines[0] += event == "line"
                return local
            return local
        return None
    n = 400
    sys.settrace(tracer)
    try:
        out = vmap(lambda *a: a[-1] * 2)(*[gradsh.ones(3)] * n)
    finally:
        sys.settrace(None)
    assert out.tolist() == [2.0, 2.0, 2.0]
    assert lines[0] < 30 * n * 3


@pytest.mark.parametrize("value", [5, [1, 2], None])
def test_event_list_key_averages_unbound_is_pytorchs_attribute_error(value):
    with pytest.raises(AttributeError) as theirs:
        torch.autograd.profiler.EventList.key_averages(value)
    with pytest.raises(AttributeError) as ours:
        gradsh.autograd.profiler.EventList.key_averages(value)
    assert str(ours.value) == str(theirs.value)
