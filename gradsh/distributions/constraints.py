"""torch.distributions.constraints: what a parameter or a sample must satisfy (checked when
validate_args is on). Each constraint is a small class whose repr is PyTorch's (the class
name without its underscore, then the fields listed in `_shown`)."""

from .. import _api as torch
from ..core.errors import TorchAssertionError

__all__ = ["Constraint", "boolean", "cat", "corr_cholesky", "dependent", "dependent_property",
           "greater_than", "greater_than_eq", "half_open_interval", "independent",
           "integer_interval", "interval", "is_dependent", "less_than", "lower_cholesky",
           "lower_triangular", "multinomial", "nonnegative", "nonnegative_integer", "one_hot",
           "positive", "positive_definite", "positive_integer", "positive_semidefinite", "real",
           "real_vector", "simplex", "square", "stack", "symmetric", "unit_interval"]


class Constraint:
    is_discrete = False
    event_dim = 0
    _shown = ()  # fields printed as name=value

    def check(self, value):
        raise NotImplementedError

    def __repr__(self):
        fields = ", ".join(f"{f}={getattr(self, f)}" for f in self._shown)
        return f"{type(self).__name__.lstrip('_')}({fields})"


class _Dependent(Constraint):
    """Valid values depend on other parameters, so nothing is checked."""

    def __init__(self, *, is_discrete=NotImplemented, event_dim=NotImplemented):
        self._is_discrete = is_discrete
        self._event_dim = event_dim

    def check(self, x):
        raise ValueError("Cannot determine validity of dependent constraint")


class _DependentProperty(property, _Dependent):
    """A property that is also a dependent constraint: used bare as a decorator, or called
    with is_discrete/event_dim first."""

    def __init__(self, fn=None, *, is_discrete=NotImplemented, event_dim=NotImplemented):
        property.__init__(self, fn)
        _Dependent.__init__(self, is_discrete=is_discrete, event_dim=event_dim)

    def __call__(self, fn):
        return type(self)(fn, is_discrete=self._is_discrete, event_dim=self._event_dim)


def is_dependent(constraint):
    return isinstance(constraint, _Dependent)


class _IndependentConstraint(Constraint):
    """A base constraint whose `reinterpreted_batch_ndims` rightmost dims must all hold."""

    def __init__(self, base_constraint, reinterpreted_batch_ndims):
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    is_discrete = property(lambda self: self.base_constraint.is_discrete)
    event_dim = property(lambda self: (self.base_constraint.event_dim
                                       + self.reinterpreted_batch_ndims))

    def check(self, value):
        ok, k = self.base_constraint.check(value), self.reinterpreted_batch_ndims
        if ok.dim() < k:
            raise ValueError(f"Expected value.dim() >= {self.event_dim} but got {value.dim()}")
        return ok.reshape(ok.shape[:ok.dim() - k] + (-1,)).all(-1)

    def __repr__(self):
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value):
        return (value == 0) | (value == 1)


class _Real(Constraint):
    def check(self, value):
        return value == value  # only nan differs from itself


class _Interval(Constraint):
    _shown = ("lower_bound", "upper_bound")

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def check(self, value):
        return (self.lower_bound <= value) & (value <= self.upper_bound)


class _IntegerInterval(_Interval):
    is_discrete = True

    # written out, not through super(), as PyTorch's: called unbound with a foreign `self`
    # (`integer_interval.check(None, t)`) it is PyTorch's AttributeError on the bound, not
    # super()'s
    def check(self, value):
        return (value % 1 == 0) & (self.lower_bound <= value) & (value <= self.upper_bound)


class _GreaterThan(Constraint):
    _shown = ("lower_bound",)

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return value > self.lower_bound


class _GreaterThanEq(_GreaterThan):
    def check(self, value):
        return value >= self.lower_bound


class _IntegerGreaterThan(_GreaterThanEq):
    """Whole numbers at or above lower_bound (PyTorch's name, though the bound is included)."""
    is_discrete = True

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound)


class _HalfOpenInterval(_Interval):
    def check(self, value):
        return (value >= self.lower_bound) & (value < self.upper_bound)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value):
        # zeros and ones, exactly one 1 along the last dim
        return ((value == 0) | (value == 1)).all(-1) & (value.sum(-1) == 1)


class _Multinomial(Constraint):
    """Non-negative counts summing to at most upper_bound along the last dim."""
    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, x):
        return (x >= 0).all(dim=-1) & (x.sum(dim=-1) <= self.upper_bound)


class _LessThan(Constraint):
    _shown = ("upper_bound",)

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, value):
        return value < self.upper_bound


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value):
        # non-negative entries summing to one, within 1e-6
        return (value >= 0).all(dim=-1) & ((value.sum(-1) - 1).abs() < 1e-6)


def _all_last_two(mask):
    return mask.reshape(mask.shape[:-2] + (-1,)).all(-1)


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value):
        below_diagonal = _all_last_two(value.tril() == value)
        diagonal = value.diagonal(dim1=-2, dim2=-1)
        return below_diagonal & (diagonal > 0).all(-1)


class _PositiveDefinite(Constraint):
    event_dim = 2

    def check(self, value):
        # square, then symmetric (atol 1e-6), then a Cholesky factor exists
        rows, cols = value.shape[-2:]
        if rows != cols:
            return torch.zeros(value.shape[:-2], dtype=torch.bool)
        symmetric = _all_last_two(torch.isclose(value, value.mT, atol=1e-6))
        if not symmetric.all():
            return symmetric
        return torch.linalg.cholesky_ex(value).info == 0


class _Square(Constraint):
    event_dim = 2

    def check(self, value):
        square = value.size(-2) == value.size(-1)
        return torch.full(value.shape[:-2], square, dtype=torch.bool)


class _Symmetric(_Square):
    def check(self, value):
        square = super().check(value)
        if not square.all():
            return square
        return _all_last_two(torch.isclose(value, value.mT, atol=1e-6))


class _PositiveSemidefinite(_Symmetric):
    def check(self, value):
        # as PyTorch's: when any matrix of the batch fails the symmetry check, that check is
        # the answer for all of them
        symmetric = super().check(value)
        if not symmetric.all():
            return symmetric
        return (torch.linalg.eigvalsh(value) >= 0).all(-1)


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value):
        return _all_last_two(value.tril() == value)


class _CorrCholesky(Constraint):
    """Lower Cholesky factors of correlation matrices: rows of unit length (within ten
    epsilons per column, the tolerance PyTorch's check shows)."""
    event_dim = 2

    def check(self, value):
        tol = torch.finfo(value.dtype).eps * value.size(-1) * 10
        row_norm = value.detach().pow(2).sum(-1).sqrt()
        unit_rows = ((row_norm - 1.0).abs() <= tol).all(-1)
        return lower_cholesky.check(value) & unit_rows


class _Cat(Constraint):
    """constraints[i] on the i-th block of lengths[i] entries along dim."""

    def __init__(self, cseq, dim=0, lengths=None):
        self.cseq, self.dim = list(cseq), dim
        self.lengths = list(lengths) if lengths is not None else [1] * len(self.cseq)
        if len(self.lengths) != len(self.cseq):
            raise TorchAssertionError(f"lengths ({len(self.lengths)}) must match constraints "
                                 f"({len(self.cseq)})")

    is_discrete = property(lambda self: any(c.is_discrete for c in self.cseq))
    event_dim = property(lambda self: max(c.event_dim for c in self.cseq))

    def check(self, value):
        blocks = value.split(self.lengths, self.dim)
        return torch.cat([c.check(b) for c, b in zip(self.cseq, blocks)], self.dim)


class _Stack(Constraint):
    """constraints[i] on the i-th slice along dim."""

    def __init__(self, cseq, dim=0):
        self.cseq, self.dim = list(cseq), dim

    is_discrete = property(lambda self: any(c.is_discrete for c in self.cseq))
    event_dim = property(lambda self: max(c.event_dim for c in self.cseq))

    def check(self, value):
        slices = value.unbind(self.dim)
        return torch.stack([c.check(v) for c, v in zip(self.cseq, slices)], self.dim)


dependent = _Dependent()
dependent_property = _DependentProperty
independent = _IndependentConstraint
boolean = _Boolean()
integer_interval = _IntegerInterval
real = _Real()
real_vector = independent(real, 1)
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
half_open_interval = _HalfOpenInterval
one_hot = _OneHot()
multinomial = _Multinomial
less_than = _LessThan
unit_interval = _Interval(0.0, 1.0)
interval = _Interval
simplex = _Simplex()
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()
corr_cholesky = _CorrCholesky()
square = _Square()
symmetric = _Symmetric()
positive_semidefinite = _PositiveSemidefinite()
lower_triangular = _LowerTriangular()
cat = _Cat
stack = _Stack
