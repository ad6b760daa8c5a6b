"""An operand no tensor op takes, met through a Python operator: Python's own TypeError, worded
as when PyTorch's operator returns NotImplemented (the texts were printed by PyTorch 2.13.0)."""

import pytest

import gradsh as torch

T = torch.tensor([1.0])
I = torch.tensor([2])

CASES = [
    (lambda: T + "a", "unsupported operand type(s) for +: 'Tensor' and 'str'"),
    (lambda: "a" + T, 'can only concatenate str (not "Tensor") to str'),
    (lambda: T * "a", "only integer tensors of a single element can be converted to an index"),
    (lambda: "a" - T, "unsupported operand type(s) for -: 'str' and 'Tensor'"),
    (lambda: T / "a", "unsupported operand type(s) for /: 'Tensor' and 'str'"),
    (lambda: T ** "a", "unsupported operand type(s) for ** or pow(): 'Tensor' and 'str'"),
    (lambda: "a" ** T, "unsupported operand type(s) for ** or pow(): 'str' and 'Tensor'"),
    (lambda: T @ "a", "unsupported operand type(s) for @: 'Tensor' and 'str'"),
    (lambda: None + T, "unsupported operand type(s) for +: 'NoneType' and 'Tensor'"),
    (lambda: [1.0] + T, 'can only concatenate list (not "Tensor") to list'),
    (lambda: T + (1,), "unsupported operand type(s) for +: 'Tensor' and 'tuple'"),
    (lambda: I << "a", "unsupported operand type(s) for <<: 'Tensor' and 'str'"),
    (lambda: "a" >> I, "unsupported operand type(s) for >>: 'str' and 'Tensor'"),
    (lambda: "a" | I, "unsupported operand type(s) for |: 'str' and 'Tensor'"),
    (lambda: None @ T, "unsupported operand type(s) for @: 'NoneType' and 'Tensor'"),
    (lambda: I & "a", "unsupported operand type(s) for &: 'Tensor' and 'str'"),
]


@pytest.mark.parametrize("i", range(len(CASES)))
def test_an_operator_with_an_unsupported_operand_says_what_python_says(i):
    expression, message = CASES[i]
    with pytest.raises(TypeError) as raised:
        expression()
    assert str(raised.value) == message


def test_an_augmented_assignment_names_its_operator():
    x = torch.tensor([1.0])
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \+=: 'Tensor' and "
                                        r"'str'$"):
        x += "a"


def test_a_call_keeps_the_ops_own_message():
    with pytest.raises(TypeError, match=r"^matmul\(\): argument 'other' \(position 1\) must be "
                                        r"Tensor, not str$"):
        T.matmul("a")


def test_the_reflected_operators_compute_as_before():
    assert (2 * T).tolist() == [2.0] and (1 - T).tolist() == [0.0] and (2 / T).tolist() == [2.0]
    assert (True ^ I).tolist() == [3] and (1 | I).tolist() == [3]


def test_a_sequence_times_an_integer_tensor_is_repeated_as_in_pytorch():
    # PyTorch's `*` returns NotImplemented and Python repeats the sequence t.__index__() times
    assert [1] * I == [1, 1] and I * [1] == [1, 1]
    assert "ab" * torch.tensor(2) == "abab" and torch.tensor(2) * (1,) == (1, 1)
    assert [1] * torch.tensor([[3]], dtype=torch.uint8) == [1, 1, 1]
    assert [1] * torch.tensor(True) == [1]
    for not_an_index in (T, torch.tensor([2, 3])):
        with pytest.raises(TypeError, match="^only integer tensors of a single element can be "
                                            "converted to an index$"):
            [1] * not_an_index
    with pytest.raises(TypeError):  # a call is no repetition
        torch.mul(I, [1])

