"""torch.nn.utils.prune: PyTorch's reparametrization (weight_orig parameter, weight_mask buffer,
weight recomputed by a forward pre-hook), masks chosen as PyTorch chooses them, iterative pruning
through a PruningContainer, remove, global pruning and PyTorch's errors."""

import pytest

import gradsh as torch
from gradsh import nn
from gradsh.nn.utils import prune


def _linear():
    lin = nn.Linear(3, 4)
    with torch.no_grad():
        lin.weight.copy_(torch.arange(12.0).view(4, 3) - 5.5)
        lin.bias.copy_(torch.tensor([0.5, -2.0, 1.0, -0.1]))
    return lin


def test_l1_unstructured_moves_the_parameter_and_masks_the_smallest():
    lin = _linear()
    prune.l1_unstructured(lin, "weight", amount=0.25)   # 3 of 12: |w| 0.5, 0.5, 1.5
    assert [n for n, _ in lin.named_parameters()] == ["bias", "weight_orig"]
    assert [n for n, _ in lin.named_buffers()] == ["weight_mask"]
    assert lin.weight_mask.sum().item() == 9
    assert (lin.weight == 0).sum().item() == 3
    assert set(lin.weight.abs().view(-1).tolist()) >= {5.5, 4.5}
    assert type(lin.weight.grad_fn).__name__ == "MulBackward0"
    lin(torch.ones(1, 3)).sum().backward()
    assert torch.equal(lin.weight_orig.grad, lin.weight_mask)  # the mask gates the gradient


def test_forward_pre_hook_recomputes_weight_after_the_original_changes():
    lin = _linear()
    prune.l1_unstructured(lin, "bias", amount=2)
    with torch.no_grad():
        lin.bias_orig.fill_(3.0)
    lin(torch.ones(1, 3))
    assert lin.bias.tolist() == [0.0, 3.0, 3.0, 0.0]


def test_iterative_pruning_combines_masks_and_remove_makes_it_permanent():
    lin = _linear()
    prune.l1_unstructured(lin, "weight", amount=3)
    prune.ln_structured(lin, "weight", amount=0.5, n=2, dim=0)  # 2 of 4 rows
    assert (lin.weight_mask.sum(dim=1) != 0).sum().item() == 2
    assert prune.is_pruned(lin)
    prune.remove(lin, "weight")
    assert [n for n, _ in lin.named_parameters()] == ["bias", "weight"]
    assert not prune.is_pruned(lin)
    assert (lin.weight == 0).sum().item() >= 6


def test_global_unstructured_prunes_over_all_parameters_together():
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    with torch.no_grad():
        a.weight.copy_(torch.tensor([[0.1, 0.2], [0.3, 0.4]]))
        b.weight.copy_(torch.tensor([[5.0, 6.0], [7.0, 8.0]]))
    prune.global_unstructured([(a, "weight"), (b, "weight")], pruning_method=prune.L1Unstructured,
                              amount=0.5)
    assert a.weight_mask.sum().item() == 0 and b.weight_mask.sum().item() == 4


def test_custom_pruning_method_subclass():
    class EveryOther(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = default_mask.clone()
            mask.view(-1)[::2] = 0
            return mask
    lin = _linear()
    EveryOther.apply(lin, "bias")
    assert lin.bias_mask.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_pytorch_errors():
    lin = _linear()
    with pytest.raises(ValueError, match="amount=1.5 should either be a float in the range"):
        prune.l1_unstructured(lin, "weight", amount=1.5)
    with pytest.raises(ValueError, match="amount=13 should be smaller than the number of "
                       "parameters to prune=12"):
        prune.l1_unstructured(lin, "weight", amount=13)
    assert [n for n, _ in lin.named_parameters()] == ["bias", "weight"]  # undone, re-registered
    with pytest.raises(ValueError, match="Parameter 'weight' of module Linear.* has to be pruned "
                       "before pruning can be removed"):
        prune.remove(lin, "weight")
    with pytest.raises(ValueError, match="Structured pruning can only be applied to "
                       "multidimensional tensors"):
        prune.ln_structured(lin, "bias", amount=1, n=2, dim=0)
