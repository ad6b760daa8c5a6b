"""What hostile round 18 (issue 16, docs/security.md) found in the core, each ending checked
against PyTorch 2.13 run on the same call (skipped without it): numpy's refusals in place of
PyTorch's (an inf norm over nothing, group_norm's group count, bincount's minlength), an
endless iterable given as a transform sequence (API fuzzer seed 1801), and a long chain of
complex views, which stays short (folded) with PyTorch's values."""

import itertools

import pytest

import gradsh

INF = float("inf")

# (id, call of the module given: gradsh or torch)
CASES = [
    ("inf-norm-of-empty", lambda t: t.linalg.vector_norm(t.ones(0), ord=INF)),
    ("inf-norm-over-empty-dim", lambda t: t.linalg.vector_norm(t.ones(0, 3), ord=INF, dim=0)),
    ("minus-inf-norm-negative-dim", lambda t: t.linalg.vector_norm(t.ones(3, 0), ord=-INF,
                                                                     dim=-1)),
    ("inf-norm-dims-in-order", lambda t: t.linalg.vector_norm(t.ones(3, 0, 2), ord=INF,
                                                                dim=(2, -2, 0))),
    ("inf-norm-over-full-dim", lambda t: t.linalg.vector_norm(t.ones(0, 3), ord=INF, dim=1)),
    ("torch-norm-inf-empty", lambda t: t.norm(t.ones(0), p=INF)),
    ("group-norm-zero-groups", lambda t: t.nn.functional.group_norm(t.ones(2, 4, 3), 0)),
    ("group-norm-negative-groups", lambda t: t.nn.functional.group_norm(t.ones(2, 4, 3), -2)),
    ("group-norm-empty-batch", lambda t: t.nn.functional.group_norm(t.ones(0, 4, 3), 2).shape),
    ("bincount-negative-minlength", lambda t: t.bincount(t.tensor([1]), minlength=-1)),
    ("bincount-minlength-2-63", lambda t: t.bincount(t.tensor([1]), minlength=2 ** 63 - 1)),
    ("stack-transform-of-a-generator", lambda t: len(t.distributions.transforms.StackTransform(
        t.distributions.transforms.ExpTransform() for _ in range(2)).transforms)),
    ("cat-transform-of-non-transforms", lambda t: t.distributions.transforms.CatTransform(
        iter([1, 2]))),
]


def _ending(module, call):
    try:
        return "value", repr(call(module))
    except Exception as e:  # noqa: B902 - the ending, whatever it is, is compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("call", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_ending_is_pytorchs(call):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these endings")
    assert _ending(gradsh, call) == _ending(torch, call)


def test_an_endless_transform_sequence_is_refused_within_the_reading_budget(monkeypatch):
    from gradsh.core import dtypes
    from gradsh.core.dtypes import TooManyItems
    monkeypatch.setattr(dtypes, "READ_SECONDS", 0.05)  # (the budget's length is not the point)
    from gradsh.distributions.transforms import (CatTransform, ComposeTransform, ExpTransform,
                                                 StackTransform)
    endless = itertools.repeat(ExpTransform())
    for make in (StackTransform, CatTransform, ComposeTransform):
        with pytest.raises(TooManyItems):
            make(endless)


CHAINS = [
    ("conj-t", lambda t, z: z.conj().t()),
    ("real-slice-complex", lambda t, z: t.view_as_complex(t.view_as_real(z)[:, 1:])),
    ("mixed", lambda t, z: t.view_as_complex(t.view_as_real(z.conj().resolve_conj().t()
                                                            .contiguous())[..., :])),
    ("conj-unsqueeze-index", lambda t, z: z.conj().unsqueeze(0)[0].mT),
]


@pytest.mark.parametrize("step", [c[1] for c in CHAINS], ids=[c[0] for c in CHAINS])
def test_a_long_chain_of_complex_views_stays_short_with_pytorchs_values(step):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the views' values")
    from gradsh.core.ops.views import MAX_STEPS
    values = [[complex(i, -j) for j in range(40)] for i in range(6)]
    ends = []
    for t in (gradsh, torch):
        a = t.tensor(values, dtype=t.complex128, requires_grad=True)
        z = a * 1
        for i in range(200):
            z = step(t, z) if z.shape[-1] > 1 else z
        z.abs().sum().backward()
        ends.append((z.detach().resolve_conj().tolist(), z.is_conj(), z._is_view(),
                     [complex(round(g.real, 12), round(g.imag, 12))  # (z/|z|: last bits)
                      for g in a.grad.reshape(-1).tolist()]))
        if t is gradsh:
            assert z._view is None or len(z._view.steps) <= MAX_STEPS + 3
    assert ends[0] == ends[1]
