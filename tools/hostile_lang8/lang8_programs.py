"""Hostile programs against branch lang8's new surfaces (vars()/__dict__ of a program's instances,
the enum module) and the refusals kept (bytes, bytearray, memoryview): each tries to reach a
class's, function's, module's or torch's dict, Python's enum machinery, or build past a limit.
`python tools/hostile_lang8/lang8_programs.py` prints the table rows of
tests/cli/hostile_lang8.py (each program run by the gradsh command, its exit status, error kind,
line and the first 60 characters of its message); check each row by hand before keeping it."""

import os
import re
import subprocess
import sys

C = "class C:\n    def __init__(self):\n        self.x = 1\n    def f(self):\n        return 2\nc = C()\n"
E = ("from enum import Enum, IntEnum, Flag, IntFlag, StrEnum, auto, unique\n"
     "class Color(Enum):\n    RED = 1\n    GREEN = 2\n"
     "class Perm(Flag):\n    R = auto()\n    W = auto()\n")
PROGRAMS = [
    ("dict-of-class", C + "print(C.__dict__)\n"),
    ("dict-of-class-via-getattr", C + "print(getattr(C, '__dict__'))\n"),
    ("dict-of-function", "def f():\n    pass\nprint(f.__dict__)\n"),
    ("dict-of-lambda", "print((lambda: 0).__dict__)\n"),
    ("dict-of-bound-method", C + "print(c.f.__dict__)\n"),
    ("dict-of-torch-module", "import torch\nprint(torch.__dict__)\n"),
    ("dict-of-nn-functional", "import torch.nn.functional as F\nprint(F.__dict__)\n"),
    ("dict-of-math", "import math\nprint(math.__dict__)\n"),
    ("dict-of-tensor", "import torch\nprint(torch.ones(1).__dict__)\n"),
    ("dict-of-linear", "import torch\nprint(torch.nn.Linear(1, 1).__dict__)\n"),
    ("dict-of-tensor-class", "import torch\nprint(torch.Tensor.__dict__)\n"),
    ("dict-of-type-view", "print(type(3).__dict__)\n"),
    ("dict-of-object", "print(object.__dict__)\n"),
    ("dict-of-super", C + "print(super(C, c).__dict__)\n"),
    ("dict-of-grad-fn", "import torch\nx = torch.ones(1, requires_grad=True)\nprint((x * 2).grad_fn.__dict__)\n"),
    ("dict-of-exception", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(e.__dict__)\n"),
    ("dict-of-generator", "g = (i for i in range(3))\nprint(g.__dict__)\n"),
    ("dict-of-dict-view", C + "d = vars(c)\nprint(d.__dict__)\n"),
    ("dict-view-private", C + "d = vars(c)\nprint(d._obj)\n"),
    ("dict-view-type-call", C + "print(type(vars(c))(a=1))\n"),
    ("dict-assign", C + "c.__dict__ = {}\n"),
    ("dict-setattr", C + "setattr(c, '__dict__', {})\n"),
    ("dict-write-class-name", C + "vars(c)['__class__'] = int\n"),
    ("dict-write-dunder-update", C + "vars(c).update({'__init__': print})\n"),
    ("dict-write-nonstr-key", C + "vars(c)[1] = 2\n"),
    ("dict-module-private-read", "import torch\nclass N(torch.nn.Module):\n    pass\nprint(vars(N())['_parameters'])\n"),
    ("dict-module-private-write", "import torch\nclass N(torch.nn.Module):\n    pass\nvars(N())['_modules'] = {}\n"),
    ("dict-module-hooks", "import torch\nclass N(torch.nn.Module):\n    pass\nprint(N()._backward_hooks)\n"),
    ("dict-module-listing", "import torch\nclass N(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.k = 1\nprint(vars(N()))\n"),
    ("dict-update-endless", C + "def g():\n    i = 0\n    while True:\n        yield ('a' + str(i), i)\n        i += 1\nvars(c).update(g())\n"),
    ("dict-self-reference", C + "c.me = vars(c)\nprint(vars(c))\n"),
    ("dict-eq-deep", C + "l = []\nfor i in range(60):\n    l = [l, l]\nc.l = l\nd = C()\nd.l = l\nprint(vars(c) == vars(d))\n"),
    ("dict-repr-huge", C + "c.s = ['x' * 10 ** 7] * 20\nprint(vars(c))\n"),
    ("vars-no-argument", "vars()\n"),
    ("vars-two-arguments", C + "vars(c, c)\n"),
    ("vars-of-class", C + "vars(C)\n"),
    ("vars-of-torch", "import torch\nvars(torch)\n"),
    ("vars-of-builtin", "vars(print)\n"),
    ("vars-of-int", "vars(3)\n"),
    ("vars-of-dataclass-slots", "from dataclasses import dataclass\n@dataclass(slots=True)\nclass P:\n    x: int = 1\nvars(P())\n"),
    ("enum-metaclass-call", E + "type(Color)('X', (), {})\n"),
    ("enum-metaclass-kw", E + "class X(Enum, metaclass=type):\n    A = 1\n"),
    ("enum-set-base-attr", E + "Enum.name = 5\n"),
    ("enum-del-base-attr", E + "del Enum.value\n"),
    ("enum-reassign-member", E + "Color.RED = 3\n"),
    ("enum-delete-member", E + "del Color.RED\n"),
    ("enum-extend", E + "class More(Color):\n    BLUE = 3\n"),
    ("enum-state-read", E + "print(Color.__gradsh_enum__)\n"),
    ("enum-state-getattr", E + "print(getattr(Color, '__gradsh_enum__'))\n"),
    ("enum-members-map", E + "print(Color._member_map_)\n"),
    ("enum-dunder-members", E + "print(Color.__members__)\n"),
    ("enum-repr-foreign", E + "import torch\nprint(Enum.__repr__(torch.ones(1)))\n"),
    ("enum-or-foreign", E + "print(Flag.__or__(3, 4))\n"),
    ("enum-call-base", E + "Enum('X', 'A B')\n"),
    ("enum-flag-huge", E + "print(Perm(2 ** 10 ** 6))\n"),
    ("enum-flag-negative", E + "print(Perm(-5))\n"),
    ("enum-str-mixin-repeat", E + "class S(str, Enum):\n    A = 'a'\nprint(len(S.A * 10 ** 9))\n"),
    ("enum-int-mixin-shift", E + "class I(IntEnum):\n    A = 1\nprint(I.A << 10 ** 9)\n"),
    ("enum-many-members", E + "class Big(Enum):\n" + "".join("    M%d = %d\n" % (i, i) for i in range(2000)) + "print(len(Big))\n"),
    ("enum-mixin-list", E + "class L(list, Enum):\n    A = [1]\n"),
    ("enum-mixin-tensor", "import torch\nfrom enum import Enum\nclass T(torch.Tensor, Enum):\n    A = 1\n"),
    ("enum-unique-alias", E + "@unique\nclass D(Enum):\n    A = 1\n    B = 1\n"),
    ("enum-duplicate-name", E + "class D(Enum):\n    A = 1\n    A = 2\n"),
    ("enum-getitem-nonstr", E + "print(Color[[1, 2]])\n"),
    ("enum-deepcopy", E + "import copy\nprint(copy.deepcopy(Color.RED) is Color.RED)\n"),
    ("enum-save-load", E + "import torch, io\nb = io.BytesIO()\ntorch.save(Color.RED, b)\nb.seek(0)\nprint(torch.load(b))\n"),
    ("suppress-limit", "from contextlib import suppress\nwith suppress(BaseException):\n    x = [0] * 10 ** 9\nprint('swallowed')\n"),
    ("suppress-recursion", "from contextlib import suppress\ndef f():\n    return f()\nwith suppress(Exception):\n    f()\nprint('swallowed')\n"),
    ("suppress-not-a-class", "from contextlib import suppress\nwith suppress(int):\n    pass\n"),
    ("exitstack-swallow-limit", "from contextlib import ExitStack\nwith ExitStack() as s:\n    s.push(lambda *a: True)\n    x = 'a' * 10 ** 9\nprint('swallowed')\n"),
    ("exitstack-callback-print", "from contextlib import ExitStack\nwith ExitStack() as s:\n    s.callback(print, 'x' * 100)\n"),
    ("exitstack-private", "from contextlib import ExitStack\ns = ExitStack()\nprint(s._exit_callbacks)\n"),
    ("contextmanager-finally-return", "from contextlib import contextmanager\n@contextmanager\ndef cm():\n    try:\n        yield\n    finally:\n        return\nwith cm():\n    x = [0] * 10 ** 9\nprint('swallowed')\n"),
    ("contextmanager-except-base", "from contextlib import contextmanager\n@contextmanager\ndef cm():\n    try:\n        yield\n    except BaseException:\n        pass\nwith cm():\n    x = [0] * 10 ** 9\nprint('swallowed')\n"),
    ("contextmanager-gen-attr", "from contextlib import contextmanager\n@contextmanager\ndef cm():\n    yield\nprint(cm().gen)\n"),
    ("closing-tensor", "import torch\nfrom contextlib import closing\nwith closing(torch.ones(1)):\n    pass\n"),
    ("closing-private-close", "from contextlib import closing\nclass R:\n    def _close(self):\n        pass\nwith closing(R()):\n    pass\n"),
    ("abc-abstract-torch-class", "import torch\nfrom abc import abstractmethod\nabstractmethod(torch.nn.Linear)\n"),
    ("abc-abstract-builtin", "from abc import abstractmethod\nabstractmethod(print)\n"),
    ("abc-set-attr", "from abc import ABC\nABC.x = 1\n"),
    ("abc-register", "from abc import ABC\nclass B(ABC):\n    pass\nB.register(int)\n"),
    ("abc-instantiate", "from abc import ABC, abstractmethod\nclass B(ABC):\n    @abstractmethod\n    def f(self):\n        pass\nB()\n"),
    ("abc-module-mix", "import torch\nfrom abc import ABC, abstractmethod\nclass B(torch.nn.Module, ABC):\n    @abstractmethod\n    def forward(self, x):\n        pass\nB()\n"),
    ("cmath-huge", "import cmath\nprint(cmath.exp(10 ** 6))\n"),
    ("translate-grows", "class T:\n    def __getitem__(self, i):\n        return 'y' * 10 ** 7\nprint(len(('a' * 1000).translate(T())))\n"),
    ("translate-dict-grows", "print(len(('a' * 10 ** 6).translate({97: 'b' * 1000})))\n"),
    ("translate-bad-value", "print('a'.translate({97: 3.5}))\n"),
    ("maketrans-huge", "print(len(str.maketrans('a' * 10 ** 7, 'b' * 10 ** 7)))\n"),
    ("bytes-literal", "print(b'abc')\n"),
    ("bytes-builtin", "print(bytes(10 ** 10))\n"),
    ("bytearray-builtin", "print(bytearray(10))\n"),
    ("memoryview-builtin", "print(memoryview('x'))\n"),
    ("encode-refused", "print('abc'.encode())\n"),
    ("bytes-from-bytesio-repeat", "import io, torch\nb = io.BytesIO()\ntorch.save(torch.ones(1), b)\nprint(len(b.getvalue() * 10 ** 9))\n"),
    ("bytes-from-bytesio-decode", "import io, torch\nb = io.BytesIO()\ntorch.save(torch.ones(1), b)\nprint(b.getvalue().decode())\n"),
    ("enum-format-width", E + "print(Color.RED.__format__('>1000000000'))\n"),
    ("enum-int-format-width", E + "class I(IntEnum):\n    A = 1\nprint(I.A.__format__('>1000000000'))\n"),
    ("enum-flag-contains-foreign", E + "print(Flag.__contains__(5, 3))\n"),
]

HEADLINE = re.compile(r"^[^:\n]+:(\d+):\d+: (\w+): (.*)$", re.M)


def main():
    rows = []
    for name, program in PROGRAMS:
        done = subprocess.run([sys.executable, "-m", "gradsh", "-"], input=program, text=True,
                              capture_output=True, timeout=60,
                              env={**os.environ, "GRADSH_MAX_MEMORY": "64M"})
        found = HEADLINE.search(done.stderr)
        kind, line, fragment = (found.group(2), int(found.group(1)), found.group(3)[:60]) \
            if found and done.returncode else (None, None, "")
        rows.append((name, program, done.returncode, kind, line, fragment))
    for row in rows:
        print("    %r," % (row,))


if __name__ == "__main__":
    main()
