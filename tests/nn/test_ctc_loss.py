"""F.ctc_loss / nn.CTCLoss / torch.ctc_loss against facts recorded from PyTorch 2.13
(tests/data/ctc_loss.json and ctc_loss_errors.json, by tools/record_ctc_loss.py): values and
gradients of random cases in float32 and float64 (padded and concatenated targets, repeated
labels, impossible alignments, every reduction, zero_infinity, lengths as tensors or tuples),
node names, the double-backward NotImplemented, and PyTorch's messages for bad arguments."""

import json
import pathlib
import sys

import numpy as np
import pytest

import gradsh as torch
from gradsh.lang import GradshError, Session

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
import ctc_loss_cases  # noqa: E402

FACTS = json.loads((DATA / "ctc_loss.json").read_text())["facts"]
ERRORS = json.loads((DATA / "ctc_loss_errors.json").read_text())["facts"]
CASES = ctc_loss_cases.cases()
# bit for bit: the kernel's order of operations is kept, its float32 exp is glibc's
# (ops/expf.py) and its logf the correctly rounded log (all 27,840 gradient elements and 270
# losses of each dtype equal PyTorch's on the recording machine)


def _run(case, reduction, zero_infinity):
    lp = torch.tensor(case["log_probs"], dtype=getattr(torch, case["dtype"]),
                      requires_grad=True)
    targets = torch.tensor(case["targets"], dtype=torch.long)
    il, tl = case["input_lengths"], case["target_lengths"]
    il, tl = (tuple(il), tuple(tl)) if case["tuples"] else (torch.tensor(il), torch.tensor(tl))
    loss = torch.nn.functional.ctc_loss(lp, targets, il, tl, case["blank"], reduction,
                                        zero_infinity)
    (loss.sum() if reduction == "none" else loss).backward()
    return loss, lp.grad


@pytest.mark.parametrize("key", sorted(FACTS))
def test_ctc_loss_value_gradient_and_node_match_pytorch(key):
    name, reduction, zero_infinity = key.split("/")
    case = CASES[name]
    loss, grad = _run(case, reduction, zero_infinity == "1")
    fact = FACTS[key]
    assert type(loss.grad_fn).__name__ == fact["grad_fn"]
    np.testing.assert_array_equal(loss.detach().numpy().reshape(-1).astype(float),
                                  fact["loss"])
    np.testing.assert_array_equal(grad.numpy().reshape(-1).astype(float), fact["grad"])


def _error(call):
    out = __import__("io").StringIO()
    source = ("import torch\ntorch.manual_seed(0)\nF = torch.nn.functional\n"
              "lp = torch.randn(5, 2, 4).log_softmax(2)\n"
              "tg = torch.tensor([[1, 2, 3], [3, 1, 2]])\n"
              "il = torch.tensor([5, 5])\ntl = torch.tensor([3, 2])\n" + call + "\n")
    with pytest.raises(GradshError) as info:
        Session(stdout=out, stderr=out).run(source, "t.grad")
    return info.value


@pytest.mark.parametrize("call", sorted(ERRORS))
def test_ctc_loss_errors_are_pytorchs(call):
    kind, message = ERRORS[call]
    err = str(_error(call))
    assert f"{kind}: {message}" in err, err


def test_ctc_loss_double_backward_is_not_implemented():
    lp = torch.randn(5, 2, 4).log_softmax(2).detach().requires_grad_()
    tg = torch.tensor([[1, 2, 3], [3, 1, 2]])
    loss = torch.nn.functional.ctc_loss(lp, tg, (5, 5), (3, 2), reduction="sum")
    g, = torch.autograd.grad(loss, lp, create_graph=True)
    assert type(g.grad_fn).__name__ == "NotImplemented"
    assert [type(n).__name__ for n, _ in g.grad_fn.next_functions] == [
        "AccumulateGrad", "CtcLossBackward0"]
    with pytest.raises(RuntimeError, match="derivative for aten::_ctc_loss_backward is not "
                                           "implemented"):
        g.sum().backward()


def test_unbatched_input_and_module_form():
    torch.manual_seed(0)
    lp = torch.randn(5, 4).log_softmax(1).detach().requires_grad_()
    tg = torch.tensor([1, 2, 3])
    loss = torch.nn.functional.ctc_loss(lp, tg, (5,), (3,), reduction="none")
    assert loss.shape == () and type(loss.grad_fn).__name__ == "SqueezeBackward1"
    node = loss.grad_fn.next_functions[0][0]
    assert type(node).__name__ == "CtcLossBackward0"
    assert type(node.next_functions[0][0]).__name__ == "UnsqueezeBackward0"
    assert node._saved_blank == 0 and node._saved_input_lengths == (5,)
    module = torch.nn.CTCLoss(blank=0, reduction="none")
    assert repr(module) == "CTCLoss()"
    assert torch.equal(module(lp, tg, (5,), (3,)), loss)
    # torch.ctc_loss takes the reduction as an int; PyTorch 2.13 reads a missing one as 0
    assert torch.equal(torch.ctc_loss(lp, tg, (5,), (3,)), loss)
    assert torch.equal(torch.ctc_loss(lp, tg, (5,), (3,), 0, 2), loss.sum())
