"""Record F.ctc_loss's values and gradients from PyTorch 2.13 for the cases of
tests/data/ctc_loss_cases.py (every reduction, with and without zero_infinity) into
tests/data/ctc_loss.json, and its messages for bad arguments into tests/data/ctc_loss_errors.json
(calls written as gradsh-language source, run by the test in both).

Run with PyTorch 2.13 installed:  python tools/record_ctc_loss.py
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import ctc_loss_cases  # noqa: E402

SETUP = ("F = torch.nn.functional\n"
         "lp = torch.randn(5, 2, 4).log_softmax(2)\n"
         "tg = torch.tensor([[1, 2, 3], [3, 1, 2]])\n"
         "il = torch.tensor([5, 5])\n"
         "tl = torch.tensor([3, 2])\n")
ERRORS = [
    "F.ctc_loss(lp, tg, il, torch.tensor([4, 2]))",
    "F.ctc_loss(lp, tg, il, torch.tensor([-1, 2]))",
    "F.ctc_loss(lp, tg, torch.tensor([6, 5]), tl)",
    "F.ctc_loss(lp, tg, torch.tensor([-1, 5]), tl)",
    "F.ctc_loss(lp, tg, torch.tensor([5]), tl)",
    "F.ctc_loss(lp, tg, il, torch.tensor([3]))",
    "F.ctc_loss(lp, tg, il, tl, blank=4)",
    "F.ctc_loss(lp, tg, il, tl, blank=-1)",
    "F.ctc_loss(lp, tg, il.float(), tl)",
    "F.ctc_loss(lp, tg, il, tl.double())",
    "F.ctc_loss(lp, tg, il.bool(), tl)",
    "F.ctc_loss(lp, tg[:, :1], il, tl)",
    "F.ctc_loss(lp, tg[:1], il, tl)",
    "F.ctc_loss(lp, torch.tensor([1, 2, 3, 1]), il, tl)",
    "F.ctc_loss(lp, torch.tensor([1, 2, 3, 1, 2, 3]), il, tl)",
    "F.ctc_loss(lp[0], tg, il, tl)",
    "F.ctc_loss(lp[None], tg, il, tl)",
    "F.ctc_loss(lp, tg[None], il, tl)",
    "F.ctc_loss(lp[:, 0, 0], tg, (5,), (3,))",
    "F.ctc_loss(lp, tg, il, tl, reduction='foo')",
    "F.ctc_loss(lp, tg, il, tl, reduction=None)",
    "F.ctc_loss(lp.half(), tg, il, tl)",
    "F.ctc_loss(lp, tg, il, tl, zero_infinity=1)",
    "F.ctc_loss(lp, tg, il, tl, blank=1.0)",
    "F.ctc_loss(lp, tg, [5, 5], tl)",
    "F.ctc_loss(lp, tg, (5, 5.0), (3, 2))",
    "F.ctc_loss(lp[:, 0], tg[0], 5, 3)",
    "F.ctc_loss(lp[:, :0], tg[:0], torch.tensor([], dtype=torch.long), "
    "torch.tensor([], dtype=torch.long))",
    "torch.ctc_loss(lp, tg, il, tl, 0, 1, 1)",
    "torch.nn.CTCLoss(blank=5)(lp, tg, il, tl)",
]


def record_values():
    facts = {}
    for name, case in ctc_loss_cases.cases().items():
        dtype = getattr(torch, case["dtype"])
        for reduction in ctc_loss_cases.REDUCTIONS:
            for zero_infinity in (False, True):
                lp = torch.tensor(case["log_probs"], dtype=dtype, requires_grad=True)
                targets = torch.tensor(case["targets"], dtype=torch.long)
                il, tl = case["input_lengths"], case["target_lengths"]
                if not case["tuples"]:
                    il, tl = torch.tensor(il), torch.tensor(tl)
                else:
                    il, tl = tuple(il), tuple(tl)
                loss = torch.nn.functional.ctc_loss(lp, targets, il, tl, case["blank"],
                                                    reduction, zero_infinity)
                (loss.sum() if reduction == "none" else loss).backward()
                facts[f"{name}/{reduction}/{int(zero_infinity)}"] = {
                    "loss": loss.detach().double().reshape(-1).tolist(),
                    "grad_fn": type(loss.grad_fn).__name__,
                    "grad": lp.grad.double().reshape(-1).tolist()}
    facts_file.write("ctc_loss.json", facts, torch.__version__)


def record_errors():
    facts = {}
    for call in ERRORS:
        torch.manual_seed(0)
        scope = {"torch": torch}
        exec(SETUP, scope)
        try:
            eval(call, scope)
        except Exception as e:  # noqa: BLE001 - the fact is which exception
            facts[call] = [type(e).__name__, str(e).split("\n")[0]]
        else:
            facts[call] = None
    facts_file.write("ctc_loss_errors.json", facts, torch.__version__)


if __name__ == "__main__":
    record_values()
    record_errors()
