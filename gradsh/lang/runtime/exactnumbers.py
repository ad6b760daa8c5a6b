"""`fractions` for programs (branch lang22): Python's Fraction, within gradsh's integer limit.

Python's Fraction does exact arithmetic with Python ints inside its own code, where the checks
of a program's `+`, `*` and `**` (limits.py) never run: `Fraction(2) ** 10 ** 9` or
`Fraction('1e999999999')` would build an integer of billions of bits. The class a program gets
is a subclass whose operations check first what can grow without bound (a power's exponent,
the exponent written in a string or held by a Decimal) and then every result's numerator and
denominator against MAX_INT_BITS, as a program's own int arithmetic is checked; what it
computes and prints is Python's. Its results are this class again (Python's operators make the
base class). docs/language.md ("Modules"), docs/security.md.
"""

import fractions
import re

from .limits import MAX_INT_BITS, LimitError
from .namespaces import Namespace
from .sandbox import CLASS_METHODS, PYTHON_ALLOWED

__all__ = ["Fraction", "fractions_namespace"]

# decimal digits to bits
_BITS_PER_DIGIT = 3.33
_EXPONENT = re.compile(r"[eE]\s*([-+]?\d[\d_]*)\s*$")


def _check(value, what):
    """A Fraction result as the program's class, its parts within the integer limit."""
    if type(value) is not fractions.Fraction and type(value) is not Fraction:
        return value  # a float, a complex, an int (`//`), NotImplemented
    bits = max(value.numerator.bit_length(), value.denominator.bit_length())
    if bits > MAX_INT_BITS:
        raise LimitError("%s would make a Fraction of about %d bits (gradsh's limit for an "
                         "integer is %d)" % (what, bits, MAX_INT_BITS))
    if type(value) is Fraction:
        return value
    out = object.__new__(Fraction)
    out._numerator, out._denominator = value.numerator, value.denominator
    return out


def _check_power(base, exponent, what):
    """`base ** exponent` with an integral exponent: the size of the result, before it is
    computed."""
    if isinstance(exponent, fractions.Fraction):
        if exponent.denominator != 1:
            return  # a float result
        exponent = exponent.numerator
    if not isinstance(exponent, int) or not isinstance(base, (int, fractions.Fraction)):
        return
    if isinstance(base, int):
        bits = base.bit_length()
    else:
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
    if bits > 1 and (bits - 1) * abs(exponent) > MAX_INT_BITS:
        raise LimitError("%s would make a Fraction of about %d bits (gradsh's limit for an "
                         "integer is %d)" % (what, (bits - 1) * abs(exponent), MAX_INT_BITS))


def _check_exponent(exponent, what):
    if abs(exponent) * _BITS_PER_DIGIT > MAX_INT_BITS:
        raise LimitError("%s: an exponent of %d would make an integer of about %d bits "
                         "(gradsh's limit is %d)" % (what, exponent,
                                                     abs(exponent) * _BITS_PER_DIGIT,
                                                     MAX_INT_BITS))


def _decimal_exponent(value):
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0  # ('n', 'N', 'F': Python's error)


class Fraction(fractions.Fraction):
    """fractions.Fraction within gradsh's integer limit (module docstring)."""

    __slots__ = ()

    def __new__(cls, numerator=0, denominator=None):
        if isinstance(numerator, str):
            match = _EXPONENT.search(numerator)
            if match:
                _check_exponent(int(match.group(1)), "Fraction()")
        elif type(numerator).__name__ == "Decimal" and hasattr(numerator, "as_tuple"):
            _check_exponent(_decimal_exponent(numerator), "Fraction()")
        made = super().__new__(cls, numerator, denominator)
        return _check(made, "Fraction()")

    @classmethod
    def from_decimal(cls, dec):
        if hasattr(dec, "as_tuple"):
            _check_exponent(_decimal_exponent(dec), "Fraction.from_decimal()")
        return _check(super().from_decimal(dec), "Fraction.from_decimal()")

    def limit_denominator(self, max_denominator=1000000):
        return _check(super().limit_denominator(max_denominator), "limit_denominator()")

    def __pow__(self, other, *modulo):
        _check_power(self, other, "Fraction ** ...")
        return _check(super().__pow__(other, *modulo), "Fraction ** ...")

    def __rpow__(self, other, *modulo):
        _check_power(other, self, "... ** Fraction")
        return _check(super().__rpow__(other, *modulo), "... ** Fraction")

    def __round__(self, ndigits=None):
        if ndigits is not None and isinstance(ndigits, int):
            _check_exponent(ndigits, "round(Fraction, ndigits)")
        return _check(super().__round__(ndigits), "round()")


def _operation(name):
    real = getattr(fractions.Fraction, name)
    what = "Fraction.%s" % name

    def operation(*args):
        return _check(real(*args), what)
    operation.__name__ = operation.__qualname__ = name
    operation.__doc__ = real.__doc__
    return operation


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__",
              "__rmod__", "__pos__", "__neg__", "__abs__"):
    setattr(Fraction, _name, _operation(_name))


def _divmod(name):
    real = getattr(fractions.Fraction, name)

    def operation(a, b):
        result = real(a, b)
        if result is NotImplemented or not isinstance(result, tuple):
            return result
        return tuple(_check(part, "divmod()") for part in result)
    operation.__name__ = operation.__qualname__ = name
    return operation


Fraction.__divmod__ = _divmod("__divmod__")
Fraction.__rdivmod__ = _divmod("__rdivmod__")
Fraction.__module__ = "fractions"

_FRACTION_NAMES = frozenset(("numerator", "denominator", "limit_denominator", "as_integer_ratio",
                             "from_float", "from_decimal", "conjugate", "real", "imag"))
PYTHON_ALLOWED[Fraction] = _FRACTION_NAMES
for _name in ("from_float", "from_decimal"):  # `Fraction.from_float(0.5)` on the class
    CLASS_METHODS[Fraction, _name] = getattr(Fraction, _name)


def fractions_namespace():
    """`from fractions import Fraction`."""
    return Namespace("fractions", _Members(Fraction=Fraction))


class _Members:
    def __init__(self, **members):
        self.__dict__.update(members)
