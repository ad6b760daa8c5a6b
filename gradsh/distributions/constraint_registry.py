"""torch.distributions.biject_to and transform_to: registries from a constraint's class to a
factory making a transform from the reals (or real tensors) onto the constraint's set.
biject_to gives bijections (for unconstrained optimisation or HMC), transform_to any map onto
the set (the simplex by softmax, Cholesky factors and positive-definite matrices by the
non-injective matrix transforms). Lookup is by the constraint's exact class, as PyTorch's."""

import numbers

from . import constraints, transforms

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]


class ConstraintRegistry:
    def __init__(self):
        self._registry = {}

    def register(self, constraint, factory=None):
        """Register factory(constraint) -> Transform for a Constraint subclass (or an
        instance's class); without factory, a decorator."""
        if factory is None:
            return lambda factory: self.register(constraint, factory)
        if isinstance(constraint, constraints.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint,
                                                              constraints.Constraint):
            raise TypeError("Expected constraint to be either a Constraint subclass or "
                            f"instance, but got {constraint}")
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        try:
            factory = self._registry[type(constraint)]
        except KeyError:
            raise NotImplementedError(
                f"Cannot transform {type(constraint).__name__} constraints") from None
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()


def _identity(constraint):
    return transforms.identity_transform


def _above(constraint):
    return transforms.ComposeTransform([transforms.ExpTransform(),
                                        transforms.AffineTransform(constraint.lower_bound, 1)])


def _below(constraint):
    return transforms.ComposeTransform([transforms.ExpTransform(),
                                        transforms.AffineTransform(constraint.upper_bound, -1)])


def _between(constraint):
    low, high = constraint.lower_bound, constraint.upper_bound
    unit = (isinstance(low, numbers.Number) and isinstance(high, numbers.Number)
            and low == 0 and high == 1)
    if unit:
        return transforms.SigmoidTransform()
    return transforms.ComposeTransform([transforms.SigmoidTransform(),
                                        transforms.AffineTransform(low, high - low)])


def _through(registry):
    """Factories for the constraints built of others, mapping each part by `registry`."""
    def independent(constraint):
        return transforms.IndependentTransform(registry(constraint.base_constraint),
                                               constraint.reinterpreted_batch_ndims)

    def cat(constraint):
        return transforms.CatTransform([registry(c) for c in constraint.cseq], constraint.dim,
                                       constraint.lengths)

    def stack(constraint):
        return transforms.StackTransform([registry(c) for c in constraint.cseq],
                                         constraint.dim)
    return {constraints._IndependentConstraint: independent, constraints._Cat: cat,
            constraints._Stack: stack}


_SHARED = {constraints._Real: _identity, constraints._GreaterThan: _above,
           constraints._GreaterThanEq: _above, constraints._LessThan: _below,
           constraints._Interval: _between, constraints._HalfOpenInterval: _between,
           constraints._CorrCholesky: lambda c: transforms.CorrCholeskyTransform()}
_BIJECTIONS = {constraints._Simplex: lambda c: transforms.StickBreakingTransform()}
_ONTO = {constraints._Simplex: lambda c: transforms.SoftmaxTransform(),
         constraints._LowerCholesky: lambda c: transforms.LowerCholeskyTransform(),
         constraints._PositiveDefinite: lambda c: transforms.PositiveDefiniteTransform(),
         constraints._PositiveSemidefinite: lambda c: transforms.PositiveDefiniteTransform()}

for _registry, _own in [(biject_to, _BIJECTIONS), (transform_to, _ONTO)]:
    for _type, _factory in {**_SHARED, **_own, **_through(_registry)}.items():
        _registry.register(_type, _factory)
_BUILT_IN = {id(r): dict(r._registry) for r in (biject_to, transform_to)}


def reset_registries():
    """biject_to and transform_to as a fresh process has them (a program's registrations do
    not outlive it: lang/runtime/namespaces.py reset_settings)."""
    for registry in (biject_to, transform_to):
        registry._registry = dict(_BUILT_IN[id(registry)])
