"""A module class's signature is its __init__'s, as PyTorch's (branch `nb23`): help(nn.Linear) and
a notebook's Shift-Tab showed `Linear(*args, **kwargs)`, read from the metaclass's __call__.
Every nn.Module class both have, against PyTorch's parameter names (live)."""

import inspect

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the signatures")

# gradsh's own keyword catch-all (the losses' **options), parameters PyTorch accepts that gradsh
# does not name, and PyTorch's (*args, **kwargs) where gradsh names the parameters
KNOWN = {"Container", "Hardtanh", "L1Loss", "MSELoss", "MultiLabelMarginLoss", "SoftMarginLoss",
         "NLLLoss2d", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d",
         "LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d"}


def _names(cls):
    return [p.name for p in inspect.signature(cls).parameters.values()]


def _module_classes():
    for name in sorted(dir(torch.nn)):
        theirs, ours = getattr(torch.nn, name), getattr(gradsh.nn, name, None)
        if isinstance(theirs, type) and issubclass(theirs, torch.nn.Module) and ours is not None:
            yield name, theirs, ours


def test_module_classes_have_pytorchs_parameter_names():
    differ = {name for name, theirs, ours in _module_classes() if _names(theirs) != _names(ours)}
    assert differ == KNOWN
    assert _names(gradsh.nn.Linear) == ["in_features", "out_features", "bias", "device", "dtype"]


def test_a_program_module_class_has_its_own_init_signature():
    class Net(gradsh.nn.Module):
        def __init__(self, hidden, depth=2):
            super().__init__()

    assert str(inspect.signature(Net)) == "(hidden, depth=2)"
