"""Module.get_submodule / get_parameter / get_buffer against PyTorch: the dotted paths that
exist, and PyTorch's AttributeError for each way a path can be wrong (a missing name, or a
name on the path that is a parameter, buffer or plain attribute rather than a module)."""

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for module paths")

PATHS = ["0.weight", "0.in_features", "buf", "note", "1.0", "1.0.x", "2", "0.weight.x", "",
         "0.weight.grad"]
MEMBER_PATHS = ["0.weight", "0.in_features", "buf", "note.x", "1.0.inplace", "0.nope"]


def _model(T):
    m = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Sequential(T.nn.ReLU()))
    m.register_buffer("buf", T.zeros(1))
    m.note = "x"
    return m


def _outcome(call):
    try:
        found = call()
    except AttributeError as e:
        return "AttributeError", str(e)
    return type(found).__name__, tuple(getattr(found, "shape", ()))


@pytest.mark.parametrize("path", PATHS)
def test_get_submodule(path):
    assert _outcome(lambda: _model(gradsh).get_submodule(path)) == \
        _outcome(lambda: _model(torch).get_submodule(path))


@pytest.mark.parametrize("getter", ["get_parameter", "get_buffer"])
@pytest.mark.parametrize("path", MEMBER_PATHS)
def test_get_parameter_and_buffer(path, getter):
    ours = _outcome(lambda: getattr(_model(gradsh), getter)(path))
    theirs = _outcome(lambda: getattr(_model(torch), getter)(path))
    assert ours[1] == theirs[1] and (ours[0] == "AttributeError") == (theirs[0] == "AttributeError")
