"""How a provider names its values' types, for the errors of misplaced arguments."""


class ArgumentTypes:
    """What a provider's values are, for naming a misplaced argument as PyTorch does.

    expected: (class, PyTorch's name) pairs, in order: the first class that has the attribute a
    failure asked for is the type the argument should have had (`_data`: Tensor; `np`: dtype).
    type_name(obj): PyTorch's name of obj's type ('torch.dtype', 'list').
    names_of(code): the public names of the function with that code (`inner` for dot's).
    refusal(surface, name, args, kwargs): PyTorch's message for arguments none of its
    signatures take, else None (core/argcheck.py); None when the provider has no such check."""

    def __init__(self, expected=(), type_name=None, names_of=None, refusal=None):
        self.expected = tuple(expected)
        self.refusal = refusal
        self.type_name = type_name or (lambda obj: type(obj).__name__)
        self.names_of = names_of or (lambda code: ())

    def expected_for(self, attribute):
        for cls, name in self.expected:
            if hasattr(cls, attribute):
                return cls, name
        return None, None

    def expected_for_parameter(self, param):
        for cls, name in self.expected:
            if name.rsplit(".", 1)[-1].lower() == param:
                return cls, name
        return None, None
