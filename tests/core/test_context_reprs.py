"""The repr of autograd's context managers and ctx objects names PyTorch's module (what a REPL
echoes for `torch.autograd.set_detect_anomaly(True)`), as PyTorch 2.13 printed them."""

import re

import pytest

import gradsh as torch
import gradsh.autograd.forward_ad as fwAD

CASES = {
    "<torch.autograd.anomaly_mode.detect_anomaly object at 0x...>":
        lambda: torch.autograd.detect_anomaly(),
    "<torch.autograd.anomaly_mode.set_detect_anomaly object at 0x...>":
        lambda: torch.autograd.set_detect_anomaly(False),
    "<torch.autograd.graph.saved_tensors_hooks object at 0x...>":
        lambda: torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t),
    "<torch.autograd.graph.save_on_cpu object at 0x...>":
        lambda: torch.autograd.graph.save_on_cpu(),
    "<contextlib._GeneratorContextManager object at 0x...>":
        lambda: torch.autograd.graph.disable_saved_tensors_hooks("m"),
    "<torch.autograd.forward_ad.dual_level object at 0x...>": lambda: fwAD.dual_level(),
    "<torch.autograd.function.FunctionCtx object at 0x...>":
        lambda: torch.autograd.function.FunctionCtx(),
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("text", CASES)
def test_repr_names_pytorchs_module(text):
    assert re.sub(r"0x[0-9a-f]+", "0x...", repr(CASES[text]())) == text
