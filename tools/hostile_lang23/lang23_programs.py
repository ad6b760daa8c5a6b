"""Hostile programs against branch adv14c's new surfaces: collections.abc's classes as bases
(the comparing mixins within the comparison budget, ABCMeta's register and state out of reach,
the stand-in class never handed out, a huge __len__ read by torch.utils.data's collate), the
special methods a class decorator may set on a program's class (never those gradsh wraps, never
on Python's or torch's classes), `torch.Tensor.__add__` read on the class (a tensor first), a
function's `__isabstractmethod__`, a generator's `__name__`, warnings.formatwarning (no file
read, its text within the string limit), and the metaclass surface that stays closed.
`python tools/hostile_table.py ROWS.txt tools/hostile_lang23/lang23_programs.py` prints the
rows of tests/cli/hostile_lang23.py; each row is checked by hand before it is kept."""

_SHARED = "a = []\nb = []\nfor _ in range(60):\n    a = [a, a]\n    b = [b, b]\n"
_SEQ = ("from collections.abc import Sequence, Mapping, MutableSequence\n"
        "class S(Sequence):\n    def __getitem__(self, i):\n"
        "        if i:\n            raise IndexError\n        return a\n"
        "    def __len__(self):\n        return 1\n"
        "class M(Mapping):\n    def __getitem__(self, k):\n        return a\n"
        "    def __iter__(self):\n        return iter('k')\n    def __len__(self):\n"
        "        return 1\n") + _SHARED

PROGRAMS = [
    # --- collections.abc as bases: the mixins compare within the budget
    ("abc-seq-contains-shared", _SEQ + "print(b in S())\n"),
    ("abc-seq-index-shared", _SEQ + "print(S().index(b))\n"),
    ("abc-seq-count-shared", _SEQ + "print(S().count(b))\n"),
    ("abc-map-eq-shared", _SEQ + "print(M() == {'k': b})\n"),
    ("abc-map-items-in-shared", _SEQ + "print(('k', b) in M().items())\n"),
    ("abc-map-values-in-shared", _SEQ + "print(b in M().values())\n"),
    ("abc-mutseq-remove-shared", _SEQ + "class L(MutableSequence):\n    def __getitem__(self, i):\n        if i:\n            raise IndexError\n        return a\n    def __setitem__(self, i, v):\n        pass\n    def __delitem__(self, i):\n        pass\n    def __len__(self):\n        return 1\n    def insert(self, i, v):\n        pass\nL().remove(b)\n"),
    ("abc-collate-huge-len", "import torch\nfrom torch.utils.data import default_collate\nfrom collections.abc import Sequence\nclass S(Sequence):\n    def __getitem__(self, i):\n        return i\n    def __len__(self):\n        return 10 ** 12\nprint(default_collate([S(), S()]))\n"),
    ("abc-collate-mapping-self", "import torch\nfrom torch.utils.data import default_collate\nfrom collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return self\n    def __iter__(self):\n        return iter('a')\n    def __len__(self):\n        return 1\nprint(default_collate([M(), M()]))\n"),
    ("abc-load-state-dict-mapping", "import torch\nfrom collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return torch.zeros(1, 1)\n    def __iter__(self):\n        return iter(['weight', 'bias'])\n    def __len__(self):\n        return 2\nm = torch.nn.Linear(1, 1)\nm.load_state_dict(M(), strict=False)\nprint(m.weight)\n"),
    ("abc-register-shared", "from collections.abc import Sequence\nSequence.register(int)\n"),
    ("abc-register-own", "from collections.abc import Sequence\nclass S(Sequence):\n    pass\nS.register(dict)\n"),
    ("abc-impl-state", "from collections.abc import Mapping\nclass M(Mapping):\n    pass\nprint(M._abc_impl)\n"),
    ("abc-stand-in-mro", "from collections.abc import Sequence\nclass S(Sequence):\n    pass\nprint(S.__mro__, S.__bases__, S.__base__, S.mro())\nprint([c.__name__ for c in type(S).__mro__])\n"),
    ("abc-stand-in-super", "from collections.abc import Sequence\nclass S(Sequence):\n    def f(self):\n        return super().index\nprint(S().f)\n"),
    ("abc-stand-in-type-call", "from collections.abc import Sequence\nclass S(Sequence):\n    pass\nB = S.__bases__[0]\nclass T(B):\n    pass\nprint(T.__mro__)\n"),
    ("abc-subclasses", "from collections.abc import Sequence\nclass S(Sequence):\n    pass\nprint(Sequence.__subclasses__())\n"),
    ("abc-abstractmethods-store", "from collections.abc import Sequence\nSequence.__abstractmethods__ = frozenset()\n"),
    ("abc-set-base", "from collections.abc import Set\nclass S(Set):\n    pass\n"),
    ("abc-keys-view-private", "from collections.abc import Mapping\nclass M(Mapping):\n    def __getitem__(self, k):\n        return 1\n    def __iter__(self):\n        return iter('a')\n    def __len__(self):\n        return 1\nprint(M().keys()._mapping)\n"),
    # --- special methods set by a class decorator
    ("deco-set-exit", "class C:\n    pass\nC.__exit__ = lambda *a: True\n"),
    ("deco-set-getattr", "class C:\n    pass\nsetattr(C, '__getattr__', lambda s, n: n)\n"),
    ("deco-set-init-dict", "class D(dict):\n    pass\nD.__init__ = lambda self, *a: None\n"),
    ("deco-del-init-dict", "class D(dict):\n    pass\ndel D.__init__\n"),
    ("deco-set-torch-function", "import torch\nclass T(torch.Tensor):\n    pass\nT.__torch_function__ = classmethod(lambda *a, **k: 1)\n"),
    ("deco-set-class-getitem", "class C:\n    pass\nC.__class_getitem__ = lambda k: k\nprint(C[1])\n"),
    ("deco-set-new", "class C:\n    pass\nC.__new__ = lambda cls: 5\nprint(C())\n"),
    ("deco-set-on-int", "int.__repr__ = lambda s: 'x'\n"),
    ("deco-set-on-tensor", "import torch\ntorch.Tensor.__repr__ = lambda s: 'x'\n"),
    ("deco-set-on-module", "import torch\ntorch.nn.Linear.__call__ = lambda s, x: x\n"),
    ("deco-set-on-enum", "from enum import Enum\nclass E(Enum):\n    A = 1\nE.__repr__ = lambda s: 'x'\nprint(repr(E.A))\n"),
    ("deco-set-on-view", "C = type(1)\nC.__add__ = lambda a, b: 0\n"),
    ("deco-repr-recursive", "class C:\n    pass\nC.__repr__ = lambda s: repr(s)\nprint(C())\n"),
    ("deco-set-len-huge", "class C:\n    pass\nC.__len__ = lambda s: 10 ** 30\nprint(len(C()))\n"),
    ("deco-set-eq-on-abc", "from collections.abc import Sequence\nSequence.__eq__ = lambda a, b: True\n"),
    # --- torch.Tensor's special methods read on the class
    ("tsp-add-non-tensor", "import torch\nprint(torch.Tensor.__add__(5, 1))\n"),
    ("tsp-add-program-object", "import torch\nclass F:\n    _data = None\nprint(torch.Tensor.__add__(F(), 1))\n"),
    ("tsp-init-refused", "import torch\nprint(torch.Tensor.__init__)\n"),
    ("tsp-getattr-refused", "import torch\nprint(torch.Tensor.__getattr__)\n"),
    ("tsp-setattr", "import torch\nprint(torch.Tensor.__setattr__)\n"),
    ("tsp-function-attrs", "import torch\nf = torch.Tensor.__add__\nprint(f.__name__, f.__qualname__)\nprint(f.__closure__)\n"),
    ("tsp-function-globals", "import torch\nprint(torch.Tensor.__add__.__globals__)\n"),
    ("tsp-function-store", "import torch\ntorch.Tensor.__add__.x = 1\n"),
    ("tsp-setitem-huge", "import torch\nt = torch.zeros(2)\ntorch.Tensor.__setitem__(t, slice(None), torch.ones(10 ** 6))\n"),
    # --- a function's __isabstractmethod__, a generator's __name__
    ("isabs-torch-function", "import torch\nprint(torch.add.__isabstractmethod__)\n"),
    ("isabs-store", "def f():\n    pass\nf.__isabstractmethod__ = True\n"),
    ("gen-name-store", "def g():\n    yield 1\nx = g()\nx.__name__ = 'y'\n"),
    ("gen-frame", "def g():\n    yield 1\nprint(g().gi_frame)\n"),
    # --- warnings.formatwarning
    ("fw-huge", "import warnings\nprint(len(warnings.formatwarning('x' * 60000000, UserWarning, 'y' * 60000000, 1)))\n"),
    ("fw-file-read", "import warnings\nprint(warnings.formatwarning('m', UserWarning, '/etc/passwd', 1))\n"),
    ("fw-bad-category", "import warnings\nprint(warnings.formatwarning('m', 5, 'f', 1))\n"),
    ("fw-category-program", "import warnings\nclass C:\n    __name__ = 'x'\nprint(warnings.formatwarning('m', C, 'f', 1))\n"),
    # --- the metaclass surface stays closed
    ("meta-kw", "class A(metaclass=type):\n    pass\n"),
    ("meta-type-base", "class M(type):\n    pass\n"),
    ("meta-abcmeta", "import abc\nprint(abc.ABCMeta)\n"),
    ("meta-abcmeta-of-abc", "from collections.abc import Sequence\nM = type(Sequence)\nprint(M('X', (), {}))\n"),
    ("meta-new-dunder", "class A:\n    def __new__(cls):\n        return 1\n"),
    ("meta-prepare", "class A:\n    @classmethod\n    def __prepare__(m, n, b):\n        return {}\n"),
    ("meta-instancecheck", "class A:\n    def __instancecheck__(self, x):\n        return True\n"),
    ("meta-subclasshook", "from abc import ABC\nclass A(ABC):\n    @classmethod\n    def __subclasshook__(cls, C):\n        return True\n"),
    ("meta-type-new", "print(type.__new__(type, 'X', (), {}))\n"),
    ("meta-class-store", "class A:\n    pass\nclass B:\n    pass\nA().__class__ = B\n"),
]
