"""torch.linalg from a .grad program: the names are reachable through the sandbox, LinAlgError
is catchable as PyTorch's class and as a RuntimeError, and an uncaught one is a program error
with PyTorch's message."""

from .helpers import run_error, run_program

PROGRAM = """
A = torch.tensor([[2., 1.], [1., 3.]], requires_grad=True)
L = torch.linalg.cholesky(A)
print(L.grad_fn.name(), torch.linalg.inv(A).grad_fn.name(), A.det().item())
torch.logdet(A).backward()
print(A.grad)
for bad in (torch.zeros(2, 2), torch.tensor([[1., 2.], [2., 1.]])):
    try:
        torch.linalg.cholesky(bad)
    except torch.linalg.LinAlgError as e:
        print("LinAlgError", isinstance(e, RuntimeError), e)
r = torch.linalg.slogdet(A)
print(r.sign.item(), round(r.logabsdet.item(), 4), torch.linalg.matrix_rank(A).item())
"""


def test_a_program_uses_linalg_and_catches_its_errors():
    out = run_program(PROGRAM).splitlines()
    assert out[0] == "LinalgCholeskyExBackward0 LinalgInvExBackward0 5.0"
    assert out[1:3] == ["tensor([[ 0.6000, -0.2000],", "        [-0.2000,  0.4000]])"]
    assert out[3] == ("LinAlgError True linalg.cholesky: The factorization could not be completed "
                      "because the input is not positive-definite (the leading minor of order 1 "
                      "is not positive-definite).")
    assert out[4].endswith("(the leading minor of order 2 is not positive-definite).")
    assert out[5] == "1.0 1.6094 2"


def test_an_uncaught_linalg_error_is_pytorchs():
    err, _ = run_error("torch.linalg.inv(torch.zeros(3, 3))\n")
    assert "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed " \
           "because the input matrix is singular." in str(err)
