"""Branch fid19 (issue 15, fidelity): the small classes behind the learner programs' strict
xfails, each a short program run by gradsh as a .grad program and by Python under `import
gradsh as torch`, against PyTorch itself (the oracle; skipped without it)."""

import pytest

from gradsh.lang import GradshError

from .helpers import run_program
from .test_adv5d_fixes import assert_like_pytorch  # (the program both ways, against torch)

ASSERTS = """import torch
for cond in [True, 1, "x", torch.tensor(True), torch.tensor([2.0])]:
    print(torch._assert(cond, "never"))
for cond, msg in [(False, "plain"), (torch.tensor(False), "tensor"), (0.0, 3), ([], None)]:
    try:
        torch._assert(cond, msg)
    except AssertionError as e:
        print(repr(e), e.args)
try:
    torch._assert(torch.tensor([1, 0]), "two")
except RuntimeError as e:
    print("RuntimeError", e)
"""


def test_torch_assert_is_pythons_assert_as_a_function():
    assert_like_pytorch(ASSERTS)


def test_only_torchs_assert_is_readable_among_its_private_names():
    with pytest.raises(GradshError, match="'_assert' is not accessible"):
        run_program("import torch\ntorch.nn._assert(True, 'm')\n")
    with pytest.raises(GradshError, match="not accessible"):
        run_program("import torch\ntorch._C\n")
    with pytest.raises(GradshError, match="'_assert' is not accessible"):
        run_program("import torch\ntorch.ones(1)._assert\n")


SORTS = """import torch
x = torch.tensor([[3., 1., 2., 1.], [0., 5., 5., 1.]])
calls = [lambda: x.sort(-1, True, stable=True), lambda: x.sort(-1, stable=True),
         lambda: x.sort(0, descending=True, stable=True), lambda: torch.sort(x, 0, stable=True),
         lambda: torch.sort(x, -1, True, stable=True), lambda: x.argsort(-1, True, stable=True),
         lambda: x.argsort(0, stable=True), lambda: torch.argsort(x, 0, True, stable=True),
         lambda: torch.argsort(x, 0, stable=True),
         lambda: x.sort(dim=-1, descending=True, stable=True).indices,
         lambda: torch.sort(x, stable=True, dim=0).indices, lambda: x.argsort(stable=True, dim=0),
         lambda: x.sort(0, True).indices, lambda: torch.argsort(x, 1, True)]
for k, call in enumerate(calls):
    try:
        print(k, call())
    except TypeError as e:
        print(k, "TypeError:", e)
"""


def test_sort_and_argsort_refuse_stable_beside_positional_arguments_as_pytorch():
    assert_like_pytorch(SORTS)


OFFSETS = """import torch
x = torch.arange(10)
y = torch.arange(12).reshape(3, 4)
views = [x[8:2], x[20:30], x[5:5], x[-1:-4], x[2:][8:], x[2:][5:1], x[8:2][0:0], x[3:][1:4],
         y[1:1, 2:], y[:, 5:], y[2:, 1:1], y[5:, 1:], y[1:][:, 4:], y[:, 1:][1:2]]
for v in views:
    print(v.shape, v.stride(), v.storage_offset())
"""


def test_an_empty_slice_keeps_the_clamped_start_as_its_storage_offset():
    assert_like_pytorch(OFFSETS)


TOLERANCES = """import torch
A = torch.eye(3) + 0.1
calls = [lambda: torch.linalg.pinv(A, 1e-3, True, atol=0.1), lambda: torch.linalg.pinv(A, 1e-3, atol=0.1),
         lambda: torch.linalg.pinv(A, 0.5, rtol=0.1), lambda: torch.linalg.matrix_rank(A, 1e-3, True, atol=0.1),
         lambda: torch.linalg.matrix_rank(A, 0.5, atol=0.1), lambda: torch.linalg.matrix_rank(A, 0.5, rtol=0.2),
         lambda: torch.linalg.pinv(A, atol=0.1, hermitian=True)[0],
         lambda: torch.linalg.matrix_rank(A, atol=0.1, rtol=0.2), lambda: torch.linalg.pinv(A, 1e-3)[0]]
for k, call in enumerate(calls):
    try:
        print(k, call())
    except TypeError as e:
        print(k, "TypeError:", e)
"""


def test_linalg_tolerances_refuse_the_old_positional_one_beside_atol_rtol_as_pytorch():
    assert_like_pytorch(TOLERANCES)
