"""PyTorch's named-tuple results (`torch.return_types.max`, `.sort`, `.aminmax`, ...).

PyTorch's are C struct sequences: a tuple whose fields are also attributes (`r.values`,
`r.indices`), printed one field a line, `n_fields` counted; a slice or a sum of one is a plain
tuple, and they have no `_fields` (`hasattr(r, "_fields")` is False there, so here too).
"""

from operator import itemgetter

from .dtypes import read_items

# the language's checks of a result a program made itself (its nesting as a tuple: a program
# calling `torch.return_types.max((r, r))` in a loop would build what hashing or printing walks
# 2**n times); lang/runtime/nesting.py adds one, and learns each class through ON_CLASS
ON_MADE = []
ON_CLASS = []
_dict = dict
_NO_DICT = object()


class ReturnType(tuple):
    """A torch.return_types result; subclasses set the op's name and field names."""

    __slots__ = ()
    _name = ""
    _field_names = ()

    def __new__(cls, sequence=_NO_DICT, dict=_NO_DICT):
        """PyTorch's constructor (a C struct sequence's): one sequence of exactly n_fields
        items, and an optional dict; gradsh's ops make theirs through `_of`."""
        if sequence is _NO_DICT:
            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")
        if dict is not _NO_DICT and not isinstance(dict, _dict):
            raise TypeError(f"torch.return_types.{cls._name}() takes a dict as second arg, if any")
        if not hasattr(type(sequence), "__iter__"):
            raise TypeError("constructor requires a sequence")
        items = read_items(sequence, f"torch.return_types.{cls._name}()")
        if len(items) != len(cls._field_names):
            raise TypeError(f"torch.return_types.{cls._name}() takes a {len(cls._field_names)}"
                            f"-sequence ({len(items)}-sequence given)")
        made = tuple.__new__(cls, items)
        for check in ON_MADE:
            made = check(made)
        return made

    @classmethod
    def _of(cls, *values):
        """The result of one of gradsh's ops: its values, one a field."""
        return tuple.__new__(cls, values)

    def __init_subclass__(cls, **kwargs):
        if cls.__bases__ != (ReturnType,):  # PyTorch's are final
            raise TypeError(f"type 'torch.return_types.{cls.__bases__[0]._name}' is not an "
                            "acceptable base type")
        super().__init_subclass__(**kwargs)

    def __repr__(self):
        fields = ",\n".join(f"{n}={v!r}" for n, v in zip(self._field_names, self))
        return f"torch.return_types.{self._name}(\n{fields})"

    __str__ = __repr__

    def __getattr__(self, name):  # only on a miss: PyTorch's wording names the full type
        raise AttributeError(f"'torch.return_types.{self._name}' object has no attribute '{name}'")

    def __reduce__(self):
        return (type(self), (tuple(self),))

    @property
    def n_fields(self):
        return len(self._field_names)

    n_sequence_fields = n_fields
    n_unnamed_fields = 0


# every result class by name, as torch.return_types lists them (gradsh/return_types.py)
CLASSES = {}
MADE = []  # every result class made (an op declared twice with other fields makes a second)


def return_type(name, fields=("values", "indices")):
    """The result class of op `name`: a tuple whose items are also the attributes `fields`
    (one class a name: an op declared twice shares it, so isinstance holds across them)."""
    known = CLASSES.get(name)
    if known is not None and known._field_names == tuple(fields):
        return known
    attrs = {n: property(itemgetter(i)) for i, n in enumerate(fields)}
    attrs.update(__slots__=(), _name=name, _field_names=tuple(fields), __match_args__=tuple(fields))
    cls = type(name, (ReturnType,), attrs)
    cls.__module__ = "torch.return_types"
    CLASSES.setdefault(name, cls)
    MADE.append(cls)
    for learn in ON_CLASS:
        learn(cls)
    return cls


_OUT_TYPES = {}


def out_type(cls):
    """The result class of the op's out= form (`torch.return_types.max_out`)."""
    name = cls._name + "_out"
    if name not in _OUT_TYPES:
        _OUT_TYPES[name] = return_type(name, cls._field_names)
    return _OUT_TYPES[name]
