"""torch.return_types: every result class of PyTorch's that gradsh's ops give, by name, with its
fields; a result is an instance of its class (one class a name across the ops declaring it)."""

import pytest

import gradsh


def test_classes_and_fields_are_pytorchs():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for torch.return_types")
    theirs = {n: getattr(torch.return_types, n) for n in dir(torch.return_types)
              if not n.startswith("_") and hasattr(getattr(torch.return_types, n), "n_fields")}
    assert len(theirs) > 60
    missing = sorted(n for n in theirs if not hasattr(gradsh.return_types, n))
    assert missing == []
    for name, cls in theirs.items():
        ours = getattr(gradsh.return_types, name)
        assert ours.__match_args__ == cls.__match_args__, name
        assert repr(ours) == repr(cls), name


def test_results_are_instances_of_their_class():
    x = gradsh.tensor([[3.0, 1.0], [2.0, 5.0]])
    for fn, cls in [(lambda: x.sort(), gradsh.return_types.sort),
                    (lambda: x.max(1), gradsh.return_types.max),
                    (lambda: gradsh.topk(x, 1), gradsh.return_types.topk),
                    (lambda: gradsh.linalg.slogdet(x), gradsh.return_types.linalg_slogdet)]:
        r = fn()
        assert isinstance(r, cls) and type(r) is cls
    match x.min(0):
        case gradsh.return_types.min(values, indices):
            assert values.tolist() == [2.0, 1.0] and indices.tolist() == [1, 0]
        case _:
            pytest.fail("a result matches its class's pattern")
    with pytest.raises(AttributeError, match="torch.return_types"):
        gradsh.return_types.nothing
