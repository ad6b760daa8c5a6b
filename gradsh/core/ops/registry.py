"""One declaration per op: where it appears, written once beside its forward and its rule.

    @declare(aliases=("absolute",), operators=("__abs__",), inplace=True, tensor_first=True)
    def abs(self): ...

declares `Tensor.abs`, `Tensor.absolute`, `abs(t)` via `__abs__`, `torch.abs`, `torch.absolute`
and the in-place `Tensor.abs_`. gradsh/core/bindings.py builds every surface from this table
(Tensor methods and operators, the torch.* namespace, nn.functional), the docs' list of ops is
checked against it, and a name is claimed once: a second claim raises at import.

The decorator returns the function itself: the method bound on Tensor is that function object,
with no call layer in between (the hot paths count every call).
"""

OPS = []  # every Op, in declaration order
_CLAIMED = {}  # (surface, name) -> the Op that claimed it


class Op:
    """Where one op appears. `method` / `function` are True (the function itself), False, or
    an adapter with the surface's signature (`Tensor.where(self, condition, other)` calls
    `where(condition, self, other)`)."""

    __slots__ = ("name", "fn", "module", "method", "function", "aliases", "operators", "inplace",
                 "nn", "tensor_first", "prop", "special")

    def surfaces(self):
        """(surface, name) pairs this op claims: 'method', 'function', 'operator', 'nn',
        'property'; in-place variants are methods."""
        names = (self.name,) + self.aliases
        out = []
        if self.prop:
            out.append(("property", self.name))
        if self.method:
            out += [("method", n) for n in names]
        if self.inplace:
            out.append(("method", self.name + "_"))
        if self.function:
            out += [("function", n) for n in names]
        out += [("operator", n) for n in self.operators]
        if self.nn:
            out.append(("nn", self.name))
        if self.special:
            out.append(("special", self.name))
        return out


def declare(fn=None, *, name=None, method=True, function=True, aliases=(), operators=(),
            inplace=None, nn=False, tensor_first=False, prop=False, special=False):
    """Declare an op (see the module docstring).

    name: the public name (default: the function's name).
    method, function: bind as a Tensor method / a torch.* function (True, False or an adapter).
    aliases: further names for the same method and function (`arcsin` for `asin`).
    operators: Python operator methods bound to the function itself (`__add__`, `__radd__`).
    inplace: True gives the in-place method `name_` (run the op, write into self: inplace.py),
        or a function that is the in-place variant.
    nn: also exported by torch.nn.functional: True (the function itself) or an adapter
        (F.softmax takes dim=None, the method does not).
    tensor_first: torch.name(x) refuses a non-tensor x with PyTorch's TypeError; True names the
        argument 'input', a string names it ('condition' for where).
    prop: a Tensor property (`T`, `mT`) rather than a method.
    special: also torch.special.name (the ops PyTorch has only there: gradsh/special.py).
    """
    def deco(f):
        o = Op()
        o.name = name or f.__name__
        o.fn = f
        o.module = f.__module__
        o.method = False if prop else method
        o.function = function
        o.aliases = tuple(aliases)
        o.operators = tuple(operators)
        o.inplace = inplace
        o.nn = nn
        o.tensor_first = "input" if tensor_first is True else tensor_first
        o.prop = prop
        o.special = special
        claim(o)
        return f
    return deco(fn) if fn is not None else deco


def claim(o):
    """Register op `o`, refusing a name another op already claimed on the same surface."""
    keys = o.surfaces()
    for key in keys:
        other = _CLAIMED.get(key)
        if other is not None:
            raise ValueError(f"{key[0]} {key[1]!r} is declared twice: by {other.module}."
                             f"{other.name} and by {o.module}.{o.name}")
    for key in keys:
        _CLAIMED[key] = o
    OPS.append(o)


def claimed(surface):
    """{name: Op} of every name claimed on a surface ('method', 'function', ...)."""
    return {n: o for (s, n), o in _CLAIMED.items() if s == surface}
