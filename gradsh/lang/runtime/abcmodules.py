"""collections.abc and numbers (branch adv12c): Python's abstract classes, for isinstance and
issubclass (`isinstance(x, Mapping)`, `isinstance(v, numbers.Real)`), as Python answers them.
Their `register` (which changes what every session's isinstance answers) is not offered: the
gate gives a program no attribute of these classes but their names.
"""

import collections.abc as _abc
import numbers as _numbers

from .namespaces import Namespace

ABC_NAMES = ("Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "AsyncGenerator",
             "Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized", "Container",
             "Callable", "Collection", "Set", "MutableSet", "Mapping", "MutableMapping",
             "MappingView", "KeysView", "ItemsView", "ValuesView", "Sequence",
             "MutableSequence", "ByteString")


def collections_abc_namespace():
    from .stdlib import _Module
    return Namespace("collections.abc", _Module(**{n: getattr(_abc, n) for n in ABC_NAMES}))


def numbers_namespace():
    from .stdlib import _Module
    return Namespace("numbers", _Module(**{n: getattr(_numbers, n) for n in (
        "Number", "Complex", "Real", "Rational", "Integral")}))
