"""Hostile programs against branch lang19b's new surfaces of program classes (`__slots__`,
descriptors: `__get__`, `__set__`, `__delete__`, `__set_name__`; `__init_subclass__` and class
keywords; dict and property as bases with `__missing__`; typing.Protocol's isinstance,
runtime_checkable, typing's data such as `T.__bound__`; `C.mro()`): each tries to hand a
program's hook a class or object that is not the program's (torch's classes, Python's `type`,
classes gradsh makes), to reach Python's real `dict`, `tuple` or `type`, to stand in for a torch
base class's own state, or to build past a limit.
`python tools/hostile_table.py ROWS.txt tools/hostile_lang19b/lang19b_programs.py` prints the
rows of tests/cli/hostile_lang19b.py; each row is checked by hand before it is kept."""

D = ("class D:\n    def __get__(self, obj, owner=None):\n        print('get', type(obj).__name__, "
     "owner)\n        return 1\n    def __set__(self, obj, value):\n        print('set', "
     "type(obj).__name__, type(value).__name__)\n    def __delete__(self, obj):\n"
     "        print('delete', type(obj).__name__)\n")
HOOK = ("class A:\n    seen = []\n    def __init_subclass__(cls, **kw):\n"
        "        A.seen.append((cls, kw))\n")

PROGRAMS = [
    # descriptors: the program's own instances and classes only
    ("desc-store-on-torch-class", "import torch\n" + D + "torch.nn.Linear.x = D()\n"),
    ("desc-setattr-on-tensor-class", "import torch\n" + D + "setattr(torch.Tensor, 'x', D())\n"),
    ("desc-get-explicit-tensor", "import torch\n" + D
     + "print(D().__get__(torch.ones(1), torch.Tensor))\n"),
    ("desc-get-explicit-class", "import torch\n" + D + "print(D().__get__(None, torch.Tensor))\n"),
    ("desc-set-explicit-linear", "import torch\n" + D
     + "D().__set__(torch.nn.Linear(1, 1), 5)\n"),
    ("desc-delete-explicit-module", "import torch\n" + D + "D().__delete__(torch.nn)\n"),
    ("desc-classmethod-chain", D + "class C:\n    m = classmethod(D())\nprint(C.m)\n"),
    ("desc-classmethod-chain-instance", D + "class C:\n    m = classmethod(D())\nprint(C().m)\n"),
    ("desc-property-of-descriptor", D + "class C:\n    p = property(D())\nprint(C().p)\n"),
    ("desc-module-parameters", "import torch\n" + D
     + "class M(torch.nn.Module):\n    _parameters = D()\nm = M()\n"),
    ("desc-module-forward-hooks-property", "import torch\nclass M(torch.nn.Module):\n"
     "    _forward_hooks = property(lambda s: {})\nm = M()\n"),
    ("desc-module-training", "import torch\n" + D
     + "class M(torch.nn.Module):\n    training = D()\nm = M()\nm.train()\nprint(m.training)\n"),
    ("desc-module-own-private", "import torch\n" + D
     + "class M(torch.nn.Module):\n    _mine = D()\nm = M()\nm._mine = 3\nprint(m._mine)\n"),
    ("desc-get-returns-type", "class D:\n    def __get__(self, obj, owner):\n"
     "        return type(owner)\nclass C:\n    x = D()\nt = C().x\nprint(t('X', (), {}))\n"),
    ("desc-get-recursion", "class D:\n    def __get__(self, obj, owner):\n        return obj.x\n"
     "class C:\n    x = D()\nprint(C().x)\n"),
    ("desc-get-is-print", "class D:\n    __get__ = print\nclass C:\n    x = D()\nC().x\n"),
    ("desc-set-name-explicit-torch", "import torch\nclass D:\n    def __set_name__(self, o, n):\n"
     "        print(o, n)\nD().__set_name__(torch.nn.Linear, 'x')\n"),
    ("desc-set-name-raises", "class D:\n    def __set_name__(self, o, n):\n        1 / 0\n"
     "class C:\n    x = D()\n"),
    ("desc-set-name-limit", "class D:\n    def __set_name__(self, o, n):\n"
     "        x = [0] * 10 ** 9\nclass C:\n    x = D()\n"),
    ("desc-set-name-makes-classes", "class D:\n    def __set_name__(self, o, n):\n"
     "        class E(o):\n            y = D()\nclass C:\n    x = D()\n"),
    ("desc-set-name-super", "class D:\n    def __set_name__(self, o, n):\n"
     "        super().__set_name__(o, n)\nclass C:\n    x = D()\n"),
    ("desc-dataclass-slots", "import dataclasses\nclass D:\n    def __set_name__(self, o, n):\n"
     "        print('set_name', o.__name__, n)\n    def __get__(self, obj, owner):\n"
     "        return 7\n@dataclasses.dataclass(slots=True)\nclass C:\n    x: int = 0\n"
     "    d = D()\nprint(C().d)\n"),
    ("desc-enum-member", "import enum\nclass D:\n    def __set_name__(self, o, n):\n"
     "        print('set_name', n)\nclass E(enum.Enum):\n    A = 1\n    d = D()\n"
     "print(list(E))\n"),
    # __init_subclass__: only for the program's own class statements
    ("init-subclass-parametrize", "import torch\nimport torch.nn.utils.parametrize as P\n"
     "class M(torch.nn.Linear):\n    def __init_subclass__(cls, **kw):\n"
     "        print('hook', cls.__name__, cls.__mro__[1].__name__)\n"
     "class Pos(torch.nn.Module):\n    def forward(self, x):\n        return x.abs()\n"
     "m = M(2, 2)\nP.register_parametrization(m, 'weight', Pos())\nprint(type(m).__name__)\n"),
    ("init-subclass-dataclass-slots", "import dataclasses\n" + HOOK
     + "@dataclasses.dataclass(slots=True)\nclass B(A):\n    x: int = 0\n"
     "print([(c.__name__, k) for c, k in A.seen], B(), B.__slots__)\n"),
    ("init-subclass-namedtuple", "import collections\n" + HOOK
     + "class B(A, collections.namedtuple('P', 'x y')):\n    pass\nprint(len(A.seen))\n"),
    ("init-subclass-kw-many", HOOK + "class B(A, " + ", ".join("k%d=%d" % (i, i)
                                                       for i in range(300))
     + "):\n    pass\nprint(len(A.seen[0][1]))\n"),
    ("init-subclass-explicit-torch", "import torch\n" + HOOK
     + "A.__init_subclass__.__func__(torch.Tensor)\n"),
    ("init-subclass-call-with-torch", "import torch\n" + HOOK
     + "A.__init_subclass__(torch.Tensor)\nprint(A.seen)\n"),
    ("init-subclass-parameter-instance", "import torch\np = torch.nn.Parameter(torch.ones(1))\n"
     "p.__init_subclass__()\nprint(torch.nn.Parameter(torch.ones(1)))\n"),
    ("init-subclass-super-torch", "import torch\nw = torch.ones(1, requires_grad=True)\n"
     "opt = torch.optim.SGD([w], lr=0.1)\nsuper(torch.optim.SGD, opt).__init_subclass__()\n"),
    ("init-subclass-program-optimizer-instance", "import torch\nclass O(torch.optim.SGD):\n"
     "    pass\nw = torch.ones(1, requires_grad=True)\nO([w], lr=0.1).__init_subclass__()\n"
     "print(torch.optim.SGD([w], lr=0.1).step)\n"),
    ("missing-on-tensor", "import torch\nprint(torch.ones(1).__missing__)\n"),
    ("get-on-tensor-class", "import torch\nprint(torch.Tensor.__get__)\n"),
    ("init-subclass-super-object", "class A:\n    pass\nprint(super(A, A()).__init_subclass__())\n"),
    ("init-subclass-optimizer", "import torch\nclass O(torch.optim.SGD):\n"
     "    def __init_subclass__(cls, **kw):\n        print('hook', cls.__name__, kw)\n"
     "        super().__init_subclass__(**kw)\nclass P(O, tag=1):\n    def step(self, closure=None):\n"
     "        return super().step(closure)\n"),
    ("init-subclass-kw-to-object", "class A:\n    pass\nclass B(A, x=1):\n    pass\n"),
    ("init-subclass-kw-to-module", "import torch\nclass B(torch.nn.Module, x=1):\n    pass\n"),
    ("init-subclass-staticmethod", "class A:\n    @staticmethod\n    def __init_subclass__(**kw):\n"
     "        print('static', kw)\nclass B(A, z=2):\n    pass\n"),
    ("init-subclass-print", "class A:\n    __init_subclass__ = print\nclass B(A, sep='-'):\n"
     "    pass\n"),
    ("init-subclass-metaclass-kw", "class A(metaclass=type):\n    pass\n"),
    ("init-subclass-setattr-later", "class A:\n    pass\nsetattr(A, '__init_subclass__', print)\n"),
    ("init-subclass-store-later", "class A:\n    pass\nA.__init_subclass__ = print\n"),
    # __slots__ tricks
    ("slots-huge", "class A:\n    __slots__ = tuple('a%d' % i for i in range(10 ** 4))\n"),
    ("slots-endless", "import itertools\nclass A:\n    __slots__ = map(str, itertools.count())\n"),
    ("slots-inherited-total", "class A:\n    __slots__ = tuple('a%d' % i for i in range(900))\n"
     "class B(A):\n    __slots__ = tuple('b%d' % i for i in range(900))\n"),
    ("slots-chain-total", "class A:\n    __slots__ = ('a',)\nfor i in range(1100):\n"
     "    class A(A):\n        __slots__ = ('s%d' % i,)\n"),
    ("slots-dunder-class", "class A:\n    __slots__ = ('__class__',)\n"),
    ("slots-mangled", "class A:\n    __slots__ = ('__x',)\n"),
    ("slots-dict-weakref", "class A:\n    __slots__ = ('__dict__', '__weakref__', 'x')\n"
     "a = A()\na.x = 1\na.y = 2\nprint(a.x, a.y, A.__slots__)\n"),
    ("slots-non-str", "class A:\n    __slots__ = (1,)\n"),
    ("slots-dict-subclass-keys", "class K(dict):\n    def __iter__(self):\n"
     "        return iter(['a'])\n    def keys(self):\n"
     "        return ['k%d' % i for i in range(10 ** 5)]\nclass A:\n"
     "    __slots__ = K(a='doc')\nprint(A.__slots__)\n"),
    ("slots-module-private", "import torch\nclass M(torch.nn.Module):\n"
     "    __slots__ = ('_parameters',)\n"),
    ("slots-tensor-private", "import torch\nclass T(torch.Tensor):\n    __slots__ = ('_data',)\n"),
    ("slots-augmented", "class A:\n    __slots__ = ()\n    __slots__ += ('x',)\n"
     "print(A.__slots__)\n"),
    ("slots-walrus", "class A:\n    x = (__slots__ := tuple('a%d' % i for i in range(10 ** 4)))\n"),
    ("slots-match-capture", "class A:\n    match tuple('a%d' % i for i in range(10 ** 4)):\n"
     "        case [*__slots__]:\n            pass\n"),
    ("slots-with-target", "import contextlib\nclass A:\n"
     "    with contextlib.nullcontext(('a',) * 10 ** 4) as __slots__:\n        pass\n"),
    ("slots-import-as", "class A:\n    from math import pi as __slots__\n"),
    ("slots-store-later", "class A:\n    __slots__ = ('x',)\nA.__slots__ = ('y',)\n"),
    ("slots-read-torch", "import torch\nprint(torch.Size.__slots__)\n"),
    ("slots-read-tensor", "import torch\nprint(torch.ones(1).__slots__)\n"),
    ("slots-member-descriptor", "class A:\n    __slots__ = ('x',)\nm = A.x\nprint(m)\n"
     "m.__set__(A(), 1)\n"),
    ("slots-dict-of-instance", "class A:\n    __slots__ = ('x',)\na = A()\nprint(vars(a))\n"),
    # dict and property as bases
    ("dict-base-mro-call", "class D(dict):\n    pass\nprint(D.mro()[1](zip(range(10 ** 8), "
     "range(10 ** 8))))\n"),
    ("dict-base-huge-init", "class D(dict):\n    pass\nd = D(zip(range(10 ** 8), range(10 ** 8)))\n"),
    ("dict-base-super-init", "class D(dict):\n    def __init__(self):\n"
     "        super().__init__(zip(range(10 ** 8), range(10 ** 8)))\nD()\n"),
    ("dict-base-unbound-init", "class D(dict):\n    pass\nd = D()\n"
     "D.__init__(d, zip(range(10 ** 8), range(10 ** 8)))\n"),
    ("dict-base-init-torch", "import torch\nclass D(dict):\n    pass\n"
     "D.__init__(torch.ones(2), a=1)\n"),
    ("dict-base-fromkeys", "class D(dict):\n    pass\nprint(D.fromkeys(range(10 ** 8)))\n"),
    ("dict-base-ior", "class D(dict):\n    pass\nd = D()\nd |= zip(range(10 ** 8), "
     "range(10 ** 8))\n"),
    ("dict-base-missing-huge", "class D(dict):\n    def __missing__(self, k):\n"
     "        return 'x' * 10 ** 8\nprint(len('{a}'.format_map(D())))\n"),
    ("dict-base-missing-class", "class D(dict):\n    def __missing__(self, k):\n        return 1\n"
     "print('{a.__class__.__mro__}'.format_map(D()))\n"),
    ("dict-base-deepcopy-memo", "import copy\nclass M(dict):\n    def __setitem__(self, k, v):\n"
     "        print(type(v).__name__)\nprint(copy.deepcopy([1], M()))\n"),
    ("dict-base-load-state-dict", "import torch\nimport itertools\nclass M(dict):\n"
     "    def keys(self):\n        return itertools.count()\nm = torch.nn.Linear(2, 2)\n"
     "m.load_state_dict(M(m.state_dict()))\n"),
    ("dict-base-state-dict-items", "import torch\nclass M(dict):\n    def items(self):\n"
     "        while True:\n            yield ('weight', torch.ones(2, 2))\n"
     "m = torch.nn.Linear(2, 2)\nprint(m.load_state_dict(M(m.state_dict())))\n"),
    ("dict-base-kwargs", "import torch\nclass M(dict):\n    def keys(self):\n"
     "        return range(10 ** 9)\nprint(torch.sum(torch.ones(3), **M()))\n"),
    ("property-base-torch-fget", "import torch\nclass P(property):\n    pass\n"
     "print(P(torch.Tensor.sum).fget)\n"),
    ("property-base-doc", "class P(property):\n    pass\nclass C:\n    @P\n    def x(self):\n"
     "        'doc'\n        return 1\nprint(C().x, C.x.__doc__, type(C.x).__mro__)\n"),
    ("property-base-get-override", "import torch\nclass P(property):\n"
     "    def __get__(self, obj, owner=None):\n        return owner\nclass C:\n    x = P()\n"
     "print(C().x, C.x)\nP().__get__(torch.ones(1))\n"),
    ("property-torch-doc", "import torch\nprint(torch.Tensor.shape.__doc__)\n"),
    # typing: Protocol asks through the gate; typing's data as views
    ("protocol-private-member", "import torch\nfrom typing import Protocol, runtime_checkable\n"
     "@runtime_checkable\nclass P(Protocol):\n    _parameters: dict\n"
     "print(isinstance(torch.nn.Linear(1, 1), P))\n"),
    ("protocol-data-member", "import torch\nfrom typing import Protocol, runtime_checkable\n"
     "@runtime_checkable\nclass P(Protocol):\n    numpy: int\n    _version: int\n"
     "print(isinstance(torch.ones(1), P), isinstance(3, P))\n"),
    ("protocol-not-runtime", "from typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nprint(isinstance(1, P))\n"),
    ("protocol-runtime-checkable-torch", "import torch\nfrom typing import runtime_checkable\n"
     "runtime_checkable(torch.nn.Linear)\n"),
    ("protocol-runtime-checkable-protocol", "from typing import Protocol, runtime_checkable\n"
     "runtime_checkable(Protocol)\n"),
    ("protocol-init-tensor", "import torch\nfrom typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nP.__init__(torch.ones(1))\n"),
    ("protocol-instantiate", "from typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nP()\n"),
    ("protocol-register", "import torch\nfrom typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nprint(P.register)\n"),
    ("protocol-mro", "from typing import Protocol\nclass P(Protocol):\n    def f(self): ...\n"
     "print(P.mro(), type(P))\n"),
    ("protocol-subclasshook", "from typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nprint(P.__subclasshook__)\n"),
    ("protocol-abc-impl", "from typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nprint(P._abc_impl)\n"),
    ("protocol-with-module", "import torch\nfrom typing import Protocol\n"
     "class P(Protocol, torch.nn.Module):\n    pass\n"),
    ("protocol-issubclass-torch", "import torch\nfrom typing import Protocol, runtime_checkable\n"
     "@runtime_checkable\nclass P(Protocol):\n    def forward(self, x): ...\n"
     "print(issubclass(torch.nn.Linear, P), issubclass(int, P))\n"),
    ("protocol-getattr-program", "from typing import Protocol, runtime_checkable\n"
     "@runtime_checkable\nclass P(Protocol):\n    def f(self): ...\nclass C:\n"
     "    def __getattr__(self, name):\n        print('asked', name)\n        return 1\n"
     "print(isinstance(C(), P))\n"),
    ("typevar-bound-type", "from typing import TypeVar\nT = TypeVar('T', bound=type)\n"
     "print(T.__bound__('X', (), {}))\n"),
    ("typevar-bound-dict", "from typing import TypeVar\nT = TypeVar('T', bound=dict)\n"
     "print(T.__bound__(zip(range(10 ** 8), range(10 ** 8))))\n"),
    ("typevar-constraints", "import torch\nfrom typing import TypeVar\n"
     "T = TypeVar('T', int, torch.Tensor)\nprint(T.__constraints__)\n"),
    ("typing-origin-list", "from typing import List\nprint(List[int].__origin__(range(10 ** 8)))\n"),
    ("typing-args-function", "from typing import Literal\nprint(Literal[print].__args__)\n"),
    ("typing-args-store", "from typing import List\nList[int].__args__ = (str,)\n"),
    ("typing-bound-of-tensor", "import torch\nprint(torch.ones(1).__bound__)\n"),
    ("typing-overload-call", "from typing import overload\n@overload\ndef f(x): ...\nf(1)\n"),
    ("typing-final-literal", "from typing import Final, Literal\nX: Final = 1\n"
     "print(Literal['a', 'b'], Final[int], X)\n"),
    # class data: annotations and module names
    ("annotations-function", "def f(x: int) -> int:\n    return x\nprint(f.__annotations__)\n"),
    ("annotations-torch-function", "import torch\nprint(torch.sum.__annotations__)\n"),
    ("annotations-class-store", "class C:\n    x: int\nC.__annotations__ = {}\n"),
    ("annotations-class", "import torch\nclass C:\n    x: int\n    y: torch.Tensor\n"
     "print(C.__annotations__)\n"),
    ("module-of-view", "import torch\nprint(type(torch.ones(1)).__module__, "
     "type(3).__module__, type(torch.nn.Linear(1, 1)).__module__)\n"),
    ("module-of-view-store", "import torch\ntype(torch.ones(1)).__module__ = 'x'\n"),
]


if __name__ == "__main__":
    print(len(PROGRAMS), "programs")
