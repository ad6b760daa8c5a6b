"""Branch adv14c's hostile programs (the table test_cli_hostile.py runs): against the surfaces
adv14c opened: collections.abc's classes as a program class's bases (the mixins that compare,
`in`, `index`, `count`, a Mapping's `==` and its views' `in`, count comparisons within the
budget; ABCMeta's `register`, `_abc_impl` and `__subclasses__` stay refused; the stand-in class
shows as the ABC; torch.utils.data's collate reads a program Sequence's length first), the
special methods a class decorator may set (never `__exit__`, `__getattr__`, `__init__`,
`__torch_function__`... which gradsh wraps, never on Python's, torch's or a view's classes),
`torch.Tensor.__add__` read on the class (a tensor first, its function's data refused), a
function's `__isabstractmethod__`, a generator's `__name__`, warnings.formatwarning (within the
string limit, no file read), and the metaclass surface, still closed (metaclass=, `class
M(type)`, ABCMeta, `__new__`/`__prepare__`/`__instancecheck__`/`__subclasshook__`).
The programs are tools/hostile_lang23/lang23_programs.py; these rows are what
tools/hostile_table.py printed for them (status, kind, line, the message's first 60
characters), each checked by hand (docs/security.md, "Branch adv14c"). SUITE_STRIDE picks the
sample the suite runs (every case runs with `GRADSH_HOSTILE_ALL=1`)."""

SUITE_STRIDE = 3   # the suite runs every third case

# (id, program, exit status, kind, line, stderr fragment)
LANG23_CASES = [
    ('abc-seq-contains-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(b in S())\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-seq-index-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(S().index(b))\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-seq-count-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(S().count(b))\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-map-eq-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(M() == {'k': b})\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-map-items-in-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(('k', b) in M().items())\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-map-values-in-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nprint(b in M().values())\n", 1, 'LimitError', 21, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-mutseq-remove-shared', "from collections.abc import Sequence, Mapping, MutableSequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __len__(self):\n        return 1\nclass M(Mapping):\n    def __getitem__(self, k):\n        return a\n    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n        return 1\na = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\nclass L(MutableSequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __setitem__(self, i, v):\n        pass\n    def __delitem__(self, i):\n        pass\n    def __len__(self):\n        return 1\n    def insert(self, i, v):\n        pass\nL().remove(b)\n", 1, 'LimitError', 34, "'==' of two values that hold the same lists, tuples or dicts"),
    ('abc-collate-huge-len', 'import torch\nfrom torch.utils.data import default_collate\nfrom collections.abc import Sequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        return i\n    def __len__(self):\n        return 10 ** 12\nprint(default_collate([S(), S()]))\n', 1, 'LimitError', 9, 'default_collate() would read a sequence of 1000000000000 ite'),
    ('abc-collate-mapping-self', "import torch\nfrom torch.utils.data import default_collate\nfrom collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return self\n    def __iter__(self):\n        return iter('a')\n    def __len__(self):\n        return 1\nprint(default_collate([M(), M()]))\n", 1, 'RecursionError', 11, 'maximum recursion depth exceeded'),
    ('abc-load-state-dict-mapping', "import torch\nfrom collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return torch.zeros(1, 1)\n    def __iter__(self):\n        return iter(['weight', 'bias'])\n    def __len__(self):\n        return 2\nm = torch.nn.Linear(1, 1)\nm.load_state_dict(M(), strict=False)\nprint(m.weight)\n", 1, 'RuntimeError', 11, 'Error(s) in loading state_dict for Linear:'),
    ('abc-register-shared', 'from collections.abc import Sequence\nSequence.register(int)\n', 1, 'AttributeError', 2, "type object 'Sequence' attribute 'register' is not available"),
    ('abc-register-own', 'from collections.abc import Sequence\nclass S(Sequence):\n    pass\nS.register(dict)\n', 1, 'AttributeError', 4, "type object 'S' attribute 'register' is not available in gra"),
    ('abc-impl-state', 'from collections.abc import Mapping\nclass M(Mapping):\n    pass\nprint(M._abc_impl)\n', 1, 'AttributeError', 4, "'_abc_impl' is not accessible: gradsh never gives access to "),
    ('abc-stand-in-mro', 'from collections.abc import Sequence\nclass S(Sequence):\n    pass\nprint(S.__mro__, S.__bases__, S.__base__, S.mro())\nprint([c.__name__ for c in type(S).__mro__])\n', 0, None, None, ''),
    ('abc-stand-in-super', 'from collections.abc import Sequence\nclass S(Sequence):\n    def f(self):\n        return super().index\nprint(S().f)\n', 1, 'TypeError', 5, "Can't instantiate abstract class S with abstract methods __g"),
    ('abc-stand-in-type-call', 'from collections.abc import Sequence\nclass S(Sequence):\n    pass\nB = S.__bases__[0]\nclass T(B):\n    pass\nprint(T.__mro__)\n', 0, None, None, ''),
    ('abc-subclasses', 'from collections.abc import Sequence\nclass S(Sequence):\n    pass\nprint(Sequence.__subclasses__())\n', 1, 'AttributeError', 4, "'__subclasses__' is not accessible: gradsh never gives acces"),
    ('abc-abstractmethods-store', 'from collections.abc import Sequence\nSequence.__abstractmethods__ = frozenset()\n', 1, 'AttributeError', 2, "'__abstractmethods__' is not accessible: gradsh never gives "),
    ('abc-set-base', 'from collections.abc import Set\nclass S(Set):\n    pass\n', 1, 'TypeError', 2, "class S: cannot inherit from 'Set' in gradsh (a class may in"),
    ('abc-keys-view-private', "from collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return 1\n    def __iter__(self):\n        return iter('a')\n    def __len__(self):\n        return 1\nprint(M().keys()._mapping)\n", 1, 'AttributeError', 9, "'_mapping' is not accessible: gradsh never gives access to n"),
    ('deco-set-exit', 'class C:\n    pass\nC.__exit__ = lambda *a: True\n', 1, 'AttributeError', 3, "'__exit__' is not accessible: gradsh never gives access to n"),
    ('deco-set-getattr', "class C:\n    pass\nsetattr(C, '__getattr__', lambda s, n: n)\n", 1, 'AttributeError', 3, "'__getattr__' is not accessible: gradsh never gives access t"),
    ('deco-set-init-dict', 'class D(dict):\n    pass\nD.__init__ = lambda self, *a: None\n', 1, 'AttributeError', 3, "'__init__' is not accessible: gradsh never gives access to n"),
    ('deco-del-init-dict', 'class D(dict):\n    pass\ndel D.__init__\n', 1, 'AttributeError', 3, "'__init__' is not accessible: gradsh never gives access to n"),
    ('deco-set-torch-function', 'import torch\nclass T(torch.Tensor):\n    pass\nT.__torch_function__ = classmethod(lambda *a, **k: 1)\n', 1, 'AttributeError', 4, "'__torch_function__' is not accessible: gradsh never gives a"),
    ('deco-set-class-getitem', 'class C:\n    pass\nC.__class_getitem__ = lambda k: k\nprint(C[1])\n', 1, 'AttributeError', 3, "'__class_getitem__' is not accessible: gradsh never gives ac"),
    ('deco-set-new', 'class C:\n    pass\nC.__new__ = lambda cls: 5\nprint(C())\n', 1, 'AttributeError', 3, "'__new__' is not accessible: gradsh never gives access to na"),
    ('deco-set-on-int', "int.__repr__ = lambda s: 'x'\n", 1, 'AttributeError', 1, "'__repr__' is not accessible: gradsh never gives access to n"),
    ('deco-set-on-tensor', "import torch\ntorch.Tensor.__repr__ = lambda s: 'x'\n", 1, 'AttributeError', 2, "'__repr__' is not accessible: gradsh never gives access to n"),
    ('deco-set-on-module', 'import torch\ntorch.nn.Linear.__call__ = lambda s, x: x\n', 1, 'AttributeError', 2, "'__call__' is not accessible: gradsh never gives access to n"),
    ('deco-set-on-enum', "from enum import Enum\nclass E(Enum):\n    A = 1\nE.__repr__ = lambda s: 'x'\nprint(repr(E.A))\n", 0, None, None, ''),
    ('deco-set-on-view', 'C = type(1)\nC.__add__ = lambda a, b: 0\n', 1, 'AttributeError', 2, "'__add__' is not accessible: gradsh never gives access to na"),
    ('deco-repr-recursive', 'class C:\n    pass\nC.__repr__ = lambda s: repr(s)\nprint(C())\n', 1, 'RecursionError', 3, 'maximum recursion depth exceeded'),
    ('deco-set-len-huge', 'class C:\n    pass\nC.__len__ = lambda s: 10 ** 30\nprint(len(C()))\n', 1, 'OverflowError', 4, "cannot fit 'int' into an index-sized integer"),
    ('deco-set-eq-on-abc', 'from collections.abc import Sequence\nSequence.__eq__ = lambda a, b: True\n', 1, 'AttributeError', 2, "'__eq__' is not accessible: gradsh never gives access to nam"),
    ('tsp-add-non-tensor', 'import torch\nprint(torch.Tensor.__add__(5, 1))\n', 1, 'TypeError', 2, "descriptor '__add__' for 'torch._C.TensorBase' objects doesn"),
    ('tsp-add-program-object', 'import torch\nclass F:\n    _data = None\nprint(torch.Tensor.__add__(F(), 1))\n', 1, 'TypeError', 4, "descriptor '__add__' for 'torch._C.TensorBase' objects doesn"),
    ('tsp-init-refused', 'import torch\nprint(torch.Tensor.__init__)\n', 1, 'AttributeError', 2, "'__init__' is not accessible: gradsh never gives access to n"),
    ('tsp-getattr-refused', 'import torch\nprint(torch.Tensor.__getattr__)\n', 1, 'AttributeError', 2, "'__getattr__' is not accessible: gradsh never gives access t"),
    ('tsp-setattr', 'import torch\nprint(torch.Tensor.__setattr__)\n', 1, 'AttributeError', 2, "'__setattr__' is not accessible: gradsh never gives access t"),
    ('tsp-function-attrs', 'import torch\nf = torch.Tensor.__add__\nprint(f.__name__, f.__qualname__)\nprint(f.__closure__)\n', 1, 'AttributeError', 3, "'__qualname__' is not accessible: gradsh never gives access "),
    ('tsp-function-globals', 'import torch\nprint(torch.Tensor.__add__.__globals__)\n', 1, 'AttributeError', 2, "'__globals__' is not accessible: gradsh never gives access t"),
    ('tsp-function-store', 'import torch\ntorch.Tensor.__add__.x = 1\n', 1, 'AttributeError', 2, "cannot assign attribute 'x' of a 'function' object in gradsh"),
    ('tsp-setitem-huge', 'import torch\nt = torch.zeros(2)\ntorch.Tensor.__setitem__(t, slice(None), torch.ones(10 ** 6))\n', 1, 'RuntimeError', 3, 'The expanded size of the tensor (2) must match the existing '),
    ('isabs-torch-function', 'import torch\nprint(torch.add.__isabstractmethod__)\n', 1, 'AttributeError', 2, "'__isabstractmethod__' is not accessible: gradsh never gives"),
    ('isabs-store', 'def f():\n    pass\nf.__isabstractmethod__ = True\n', 1, 'AttributeError', 3, "'__isabstractmethod__' is not accessible: gradsh never gives"),
    ('gen-name-store', "def g():\n    yield 1\nx = g()\nx.__name__ = 'y'\n", 1, 'AttributeError', 4, "'__name__' is not accessible: gradsh never gives access to n"),
    ('gen-frame', 'def g():\n    yield 1\nprint(g().gi_frame)\n', 1, 'AttributeError', 3, "'generator' object attribute 'gi_frame' is not available in "),
    ('fw-huge', "import warnings\nprint(len(warnings.formatwarning('x' * 60000000, UserWarning, 'y' * 60000000, 1)))\n", 1, 'LimitError', 2, 'warnings.formatwarning() would make a string of more than 10'),
    ('fw-file-read', "import warnings\nprint(warnings.formatwarning('m', UserWarning, '/etc/passwd', 1))\n", 0, None, None, ''),
    ('fw-bad-category', "import warnings\nprint(warnings.formatwarning('m', 5, 'f', 1))\n", 1, 'AttributeError', 2, "'int' object has no attribute '__name__'"),
    ('fw-category-program', "import warnings\nclass C:\n    __name__ = 'x'\nprint(warnings.formatwarning('m', C, 'f', 1))\n", 1, 'SyntaxError', 3, "names starting with '__' are reserved in gradsh"),
    ('meta-kw', 'class A(metaclass=type):\n    pass\n', 1, 'SyntaxError', 1, 'a metaclass (metaclass=...) in a class statement is not supp'),
    ('meta-type-base', 'class M(type):\n    pass\n', 1, 'TypeError', 1, "class M: cannot inherit from 'type' in gradsh (a class may i"),
    ('meta-abcmeta', 'import abc\nprint(abc.ABCMeta)\n', 1, 'AttributeError', 2, "module 'abc' has no attribute 'ABCMeta'"),
    ('meta-abcmeta-of-abc', "from collections.abc import Sequence\nM = type(Sequence)\nprint(M('X', (), {}))\n", 1, 'TypeError', 3, "cannot create 'abc.ABCMeta' instances in gradsh"),
    ('meta-new-dunder', 'class A:\n    def __new__(cls):\n        return 1\n', 1, 'SyntaxError', 2, "a method name starting with '__' must be one of the special "),
    ('meta-prepare', 'class A:\n    @classmethod\n    def __prepare__(m, n, b):\n        return {}\n', 1, 'SyntaxError', 3, "a method name starting with '__' must be one of the special "),
    ('meta-instancecheck', 'class A:\n    def __instancecheck__(self, x):\n        return True\n', 1, 'SyntaxError', 2, "a method name starting with '__' must be one of the special "),
    ('meta-subclasshook', 'from abc import ABC\nclass A(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        return True\n', 1, 'SyntaxError', 4, "a method name starting with '__' must be one of the special "),
    ('meta-type-new', "print(type.__new__(type, 'X', (), {}))\n", 1, 'AttributeError', 1, "'__new__' is not accessible: gradsh never gives access to na"),
    ('meta-class-store', 'class A:\n    pass\nclass B:\n    pass\nA().__class__ = B\n', 1, 'AttributeError', 5, "'__class__' is not accessible: gradsh never gives access to "),
]
