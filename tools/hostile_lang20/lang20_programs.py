"""Hostile programs against branch lang20's lifted refusals: a program class's `__dict__` (a
read-only mappingproxy view), bound methods' `__self__`/`__func__`, classmethod's and
staticmethod's `__func__`, cached_property's `func`/`attrname`, lru_cache's `__wrapped__`,
`f.__closure__` cells, evaluated annotations (singledispatch's `register`), nn.Module's state
views (`_parameters`, `_buffers`, the hook dicts, `vars(module)`), a scheduler's `_schedulers`,
`nn.init._calculate_fan_in_and_fan_out`, nn.Module's ABCMeta metaclass, and gradsh's own
ChainMap / UserDict / UserList / UserString. Each tries to reach a torch or Python object the
program could not hold before (the real class dict, the `__dict__` descriptor, torch's bound
methods and functions, gradsh's hooks), to write through a read-only view, or to build past a
limit.
`python tools/hostile_table.py ROWS.txt tools/hostile_lang20/lang20_programs.py` prints the
rows of tests/cli/hostile_lang20.py; each row is checked by hand before it is kept."""

PROGRAMS = [
    # a program class's __dict__: a view, never the real dict; torch's stay refused
    ("cd-dict-descriptor-get", "import torch\nclass A:\n    pass\n"
     "A.__dict__['__dict__'].__get__(torch.nn.Linear(1, 1))\n"),
    ("cd-weakref-descriptor", "class A:\n    pass\nd = A.__dict__['__weakref__']\nprint(d)\n"
     "d.__get__\n"),
    ("cd-descriptor-as-attribute", "import torch\nclass A:\n    pass\n"
     "class B:\n    leak = A.__dict__['__dict__']\nprint(B().leak)\nprint(B().leak.keys())\n"),
    ("cd-mark-hidden", "class A:\n    pass\nprint('__gradsh_program_class__' in A.__dict__)\n"
     "A.__dict__['__gradsh_program_class__']\n"),
    ("cd-store", "class A:\n    pass\nA.__dict__['x'] = 1\n"),
    ("cd-delete", "class A:\n    x = 1\ndel A.__dict__['x']\n"),
    ("cd-copy-is-detached", "class A:\n    x = 1\nd = A.__dict__.copy()\nd['y'] = 2\n"
     "print(hasattr(A, 'y'), sorted(k for k in d if not k.startswith('__')))\n"),
    ("cd-type-call", "class A:\n    pass\nprint(type(A.__dict__)({}))\n"),
    ("cd-torch-class", "import torch\ntorch.nn.Linear.__dict__\n"),
    ("cd-tensor-class-vars", "import torch\nvars(torch.Tensor)\n"),
    ("cd-torch-base-through-mro", "import torch\nclass M(torch.nn.Module):\n    pass\n"
     "M.__mro__[1].__dict__\n"),
    ("cd-object-dict", "object.__dict__\n"),
    ("cd-namedtuple-getter", "import collections\nP = collections.namedtuple('P', 'x y')\n"
     "print(P.__dict__['x'])\nP.__dict__['_make'].__func__\n"),
    ("cd-dataclass-fields", "import dataclasses\n@dataclasses.dataclass\nclass C:\n"
     "    x: int = 0\nprint(C.__dict__['__dataclass_fields__'])\n"),
    ("cd-enum-internals", "import enum\nclass E(enum.Enum):\n    A = 1\n"
     "print(sorted(k for k in E.__dict__ if not k.startswith('_')))\n"
     "print(E.__dict__['_member_map_'])\n"),
    ("cd-protocol-gate-hidden", "from typing import Protocol\nclass P(Protocol):\n"
     "    def f(self): ...\nprint([k for k in P.__dict__ if 'gradsh' in k])\n"),
    ("cd-getattr-wrapper", "class A:\n    def __getattr__(self, name):\n        return name\n"
     "g = A.__dict__['__getattr__']\nprint(g(A(), '_secret'), g.__wrapped__)\n"),
    ("cd-setattr-wrapper-torch", "import torch\nclass M(torch.nn.Module):\n"
     "    def __setattr__(self, name, value):\n        super().__setattr__(name, value)\n"
     "s = M.__dict__['__setattr__']\ns(torch.nn.Linear(1, 1), '_parameters', {})\n"),
    ("cd-set-name-hidden", "class D:\n    def __set_name__(self, owner, name):\n        pass\n"
     "print(D.__dict__['__set_name__'])\nD.__dict__['__set_name__'](D(), int, 'x')\n"),
    ("cd-huge-repr", "class A:\n    pass\nfor i in range(3):\n"
     "    setattr(A, 'x%d' % i, 'y' * 60_000_000)\nprint(A.__dict__)\n"),
    ("cd-module-abc-hidden", "import torch\nclass M(torch.nn.Module):\n    pass\n"
     "print(list(M.__dict__))\nM.__dict__['_abc_impl']\n"),
    # bound methods, classmethods, staticmethods: the program's functions only
    ("m-tensor-method-self", "import torch\ntorch.ones(1).add.__self__\n"),
    ("m-tensor-setitem-func", "import torch\ntorch.ones(1).__setitem__.__func__\n"),
    ("m-linear-forward-func", "import torch\ntorch.nn.Linear(1, 1).forward.__func__\n"),
    ("m-subclass-torch-method", "import torch\nclass M(torch.nn.Module):\n    pass\n"
     "M().parameters.__func__\n"),
    ("m-subclass-own-method", "import torch\nclass M(torch.nn.Module):\n"
     "    def f(self):\n        return 1\nm = M()\nprint(m.f.__self__ is m, m.f.__func__(m))\n"
     "m.f.__func__.__globals__\n"),
    ("m-classmethod-of-builtin", "c = classmethod(print)\nc.__func__\n"),
    ("m-staticmethod-of-torch", "import torch\ns = staticmethod(torch.relu)\ns.__func__\n"),
    ("m-func-call-with-torch", "import torch\nclass A:\n    def f(self):\n"
     "        return type(self).__name__\nprint(A().f.__func__(torch.nn.Linear(1, 1)))\n"),
    ("m-init-subclass-func", "import torch\nclass A:\n    def __init_subclass__(cls, **kw):\n"
     "        print('hook', cls)\nA.__init_subclass__.__func__(torch.Tensor)\n"),
    ("m-namedtuple-make-func", "import collections\n"
     "collections.namedtuple('P', 'x')._make.__func__\n"),
    ("m-store-self", "class A:\n    def f(self):\n        pass\nA().f.__self__ = 1\n"),
    ("m-cached-property-torch", "import functools, torch\n"
     "print(functools.cached_property(torch.relu).attrname)\n"
     "functools.cached_property(torch.relu).func\n"),
    ("m-lru-wrapped-torch", "import functools, torch\n"
     "functools.lru_cache(torch.relu).__wrapped__\n"),
    ("m-lru-wrapped-print", "import functools\nfunctools.lru_cache(print).__wrapped__\n"),
    # closures: the program's own functions' cells
    ("cl-store-cell", "def f():\n    x = 1\n    def g():\n        return x\n    return g\n"
     "f().__closure__[0].cell_contents = 2\n"),
    ("cl-print-closure", "print.__closure__\n"),
    ("cl-torch-closure", "import torch\ntorch.nn.functional.relu.__closure__\n"),
    ("cl-super-class-cell", "class A:\n    def f(self):\n        return super().__init__\n"
     "print(A.f.__closure__[0].cell_contents is A)\n"
     "A.f.__closure__[0].cell_contents.__dict__['__dict__'].__get__\n"),
    ("cl-wraps-torch", "import functools, torch\nw = functools.wraps(torch.relu)(lambda x: x)\n"
     "print(w.__closure__)\nw.__wrapped__.__closure__\n"),
    ("cl-code", "def f():\n    pass\nf.__code__\n"),
    # annotations: evaluated as Python does, within the limits
    ("an-limit", "def f(x: [0] * 10 ** 9):\n    pass\n"),
    ("an-name-error", "def f(x: open):\n    pass\n"),
    ("an-dispatch-not-class", "from functools import singledispatch\n@singledispatch\n"
     "def f(x):\n    pass\n@f.register\ndef _(x: 3):\n    pass\n"),
    ("an-dispatch-registry-real-int", "from functools import singledispatch\n@singledispatch\n"
     "def f(x):\n    pass\n@f.register\ndef _(x: int):\n    pass\n"
     "k = [c for c in f.registry if c is not object][0]\nprint(k, k is int)\n"
     "print(k('9' * 5000))\n"),
    ("an-future-dropped", "from __future__ import annotations\ndef f(x: Undefined) -> Nope:\n"
     "    pass\nprint(f.__annotations__)\n"),
    ("an-union-args", "import torch\ndef f(x: torch.Tensor | list[int]):\n    pass\n"
     "u = f.__annotations__['x']\nprint(u)\nu.__args__\n"),
    # nn.Module's state: read-only views
    ("ms-parameters-store", "import torch\nm = torch.nn.Linear(1, 1)\n"
     "m._parameters['weight'] = torch.ones(1)\n"),
    ("ms-hooks-clear", "import torch\nm = torch.nn.Linear(1, 1)\nm._forward_hooks.clear()\n"),
    ("ms-buffers-update", "import torch\nm = torch.nn.BatchNorm1d(2)\n"
     "m._buffers.update({'x': 1})\n"),
    ("ms-assign-parameters", "import torch\nm = torch.nn.Linear(1, 1)\nm._parameters = {}\n"),
    ("ms-internal-hook-value", "import torch\nm = torch.nn.utils.parametrizations.weight_norm("
     "torch.nn.Linear(2, 2))\nprint(len(m._forward_pre_hooks), m._state_dict_hooks)\n"
     "print([type(v).__name__ for v in m._forward_pre_hooks.values()])\n"),
    ("ms-other-private", "import torch\ntorch.nn.Linear(1, 1)._non_persistent_buffers_set\n"),
    ("ms-vars-store", "import torch\nvars(torch.nn.Linear(1, 1))['in_features'] = 5\n"),
    ("ms-vars-function-value", "import torch\nt = torch.nn.TransformerEncoderLayer(4, 2, 8)\n"
     "v = vars(t)['activation']\nprint(v)\nv(torch.ones(1))\n"),
    ("ms-vars-tensor", "import torch\nvars(torch.ones(1))\n"),
    ("ms-view-dict-of-view", "import torch\nm = torch.nn.Linear(1, 1)\nm._parameters.__dict__\n"),
    # schedulers, nn.init: copies and one helper
    ("sc-schedulers-copy", "import torch\nw = torch.ones(1, requires_grad=True)\n"
     "o = torch.optim.SGD([w], lr=1.0)\nfrom torch.optim.lr_scheduler import ChainedScheduler, "
     "StepLR\nc = ChainedScheduler([StepLR(o, 1)])\nc._schedulers.append(3)\n"
     "print(len(c._schedulers))\no.step()\nc.step()\nprint(c._last_lr)\n"),
    ("sc-optimizer-private", "import torch\nw = torch.ones(1, requires_grad=True)\n"
     "torch.optim.SGD([w], lr=1.0)._optimizer_step_code\n"),
    ("in-other-private", "import torch\ntorch.nn.init._no_grad_uniform_\n"),
    ("in-import-other-private", "from torch.nn.init import _no_grad_normal_\n"),
    ("in-fan-bad-arg", "import torch\ntorch.nn.init._calculate_fan_in_and_fan_out(3)\n"),
    # nn.Module's ABCMeta
    ("abc-register", "import torch\ntorch.nn.Module.register(int)\n"),
    ("abc-registry", "import torch\ntorch.nn.Module._abc_registry\n"),
    ("abc-type-of-module", "import torch\nprint(type(torch.nn.Linear), type(torch.nn.Module)"
     ".__mro__)\ntype(torch.nn.Linear)('X', (), {})\n"),
    ("abc-abstract-module", "import torch\nfrom abc import ABC, abstractmethod\n"
     "class E(torch.nn.Module, ABC):\n    @abstractmethod\n    def f(self): ...\nE()\n"),
    # ChainMap, UserDict, UserList, UserString: gradsh's own, within the limits
    ("uc-userlist-range", "from collections import UserList\nUserList(range(10 ** 8))\n"),
    ("uc-userlist-mul", "from collections import UserList\nUserList([0] * 1000) * 10 ** 6\n"),
    ("uc-userlist-imul", "from collections import UserList\nx = UserList([0] * 1000)\n"
     "x *= 10 ** 6\n"),
    ("uc-userlist-extend-endless", "import itertools\nfrom collections import UserList\n"
     "UserList().extend(itertools.count())\n"),
    ("uc-userlist-self-data", "from collections import UserList\nx = UserList()\nx.data = x\n"
     "print(x)\n"),
    ("uc-userstring-mul", "from collections import UserString\nUserString('ab') * 10 ** 9\n"),
    ("uc-userstring-add", "from collections import UserString\ns = UserString('a' * 60_000_000)\n"
     "s + s\n"),
    ("uc-userstring-center", "from collections import UserString\n"
     "UserString('a').center(10 ** 10)\n"),
    ("uc-userstring-format", "from collections import UserString\n"
     "UserString('{0.__class__}').format(1)\n"),
    ("uc-userdict-fromkeys", "import itertools\nfrom collections import UserDict\n"
     "UserDict.fromkeys(itertools.count())\n"),
    ("uc-chainmap-many", "from collections import ChainMap\nChainMap(*[{}] * 10 ** 8)\n"),
    ("uc-chainmap-len-endless", "import itertools\nfrom collections import ChainMap\n"
     "class K(dict):\n    def __iter__(self):\n        return itertools.count()\n"
     "len(ChainMap(K()))\n"),
    ("uc-class-dict", "from collections import UserList\nUserList.__dict__\n"),
    ("uc-method-globals", "from collections import UserList\nUserList.append.__globals__\n"),
    ("uc-subclass-mro-dict", "from collections import UserDict\nclass U(UserDict):\n    pass\n"
     "U.__mro__[1].__dict__\n"),
    ("uc-compare-deep", "from collections import UserList\na = []\nb = []\nfor _ in range(100):\n"
     "    a, b = [a, a], [b, b]\nprint(UserList(a) == UserList(b))\n"),
]
