"""Hostile programs against branch lang22's new surfaces: name mangling (a private name is the
program's own on its own objects, never a way to torch's, Python's or gradsh's names), the
catchable RecursionError (a program that calls again from its handler at every level, or loops
in a finally, still ends), `e.__traceback__` (a view of the program's frames: no tb_frame, no
f_globals), assigning an exception's chain (cycles, self-causes, non-exceptions), `__new__` on
Python's value types only, a program function's `__get__` (never another function's), fractions
(powers, exponents in strings, long products within the integer limit) and string.Formatter
(its fields are the gate's).
`python tools/hostile_table.py ROWS.txt tools/hostile_lang22/lang22_programs.py` prints the
rows of tests/cli/hostile_lang22.py; each row is checked by hand before it is kept."""

PROGRAMS = [
    # --- name mangling
    ("mangle-torch-private", "import torch\nclass Module:\n    def f(self, m):\n        return m.__parameters\nprint(Module().f(torch.nn.Linear(1, 1)))\n"),
    ("mangle-class-named-like-torch", "import torch\nclass Tensor:\n    def f(self, t):\n        return t.__version\nprint(Tensor().f(torch.ones(1)))\n"),
    ("mangle-own-then-torch-setattr", "import torch\nclass Linear(torch.nn.Linear):\n    def __init__(self):\n        super().__init__(1, 1)\n        self.__parameters = 5\nm = Linear()\nprint(m._Linear__parameters, len(list(m.parameters())))\n"),
    ("mangle-getattr-string", "import torch\nclass A:\n    def f(self):\n        return getattr(torch.ones(1), '__x')\nA().f()\n"),
    ("mangle-dunder-unchanged", "class A:\n    def f(self):\n        return self.__class__.__mro__\nprint(A().f())\n"),
    ("mangle-globals-private", "__x = 1\ndef f():\n    global __x\n    __x += 1\n    return __x\nprint(f())\n"),
    ("mangle-gradsh-prefix", "__gradsh_program_class__ = 1\n"),
    ("mangle-gradsh-private-prefix", "__gradsh_x = 1\n"),
    ("mangle-class-mark", "class A:\n    __gradsh_program_class__ = 1\n"),
    ("mangle-fstring-field", "class A:\n    def __init__(self):\n        self.__s = 'ok'\n    def f(self):\n        return f'{self.__s}{self.__class__.__name__}'\nprint(A().f())\n"),
    ("mangle-underscore-class", "class ___:\n    def __init__(self):\n        self.__x = 1\nprint(vars(___()))\n"),
    ("mangle-slots", "class A:\n    __slots__ = ('__x',)\n"),
    ("mangle-builtins-name", "class A:\n    def f(self):\n        return __builtins\nA().f()\n"),
    ("mangle-setattr-object", "class A:\n    def __init__(self):\n        object.__setattr__(self, '__y', 1)\n        self.__z = 2\nprint(sorted(vars(A())))\n"),
    ("mangle-setattr-torch-private", "import torch\nt = torch.ones(1)\nsetattr(t, '__x', 1)\n"),
    # --- RecursionError caught by the program
    ("rec-catch-and-recurse", "def f():\n    try:\n        f()\n    except RecursionError:\n        f()\nf()\n"),
    ("rec-finally-recurse", "def f():\n    try:\n        f()\n    finally:\n        f()\nf()\n"),
    ("rec-catch-in-loop", "def f(n):\n    return f(n + 1)\nk = 0\nfor i in range(200):\n    try:\n        f(0)\n    except RecursionError:\n        k += 1\nprint(k)\n"),
    ("rec-bare-except-swallow", "def f():\n    try:\n        return f()\n    except:\n        return 0\nprint(f())\n"),
    ("rec-exit-swallow-loop", "class A:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n        return True\ndef f():\n    with A():\n        f()\n    f()\nf()\n"),
    ("rec-host-stack-genexp", "def d(x):\n    return 1 + max((d(c) for c in x), default=0) if isinstance(x, list) else 0\nx = 0\nfor i in range(5000):\n    x = [x]\ntry:\n    d(x)\nexcept RecursionError:\n    print('caught')\n"),
    ("rec-caught-message", "def f():\n    f()\ntry:\n    f()\nexcept RecursionError as e:\n    print(repr(e), e.args, type(e).__mro__)\n"),
    ("rec-uncaught-message", "def f():\n    f()\nf()\n"),
    # --- e.__traceback__
    ("tb-frame", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(e.__traceback__.tb_frame)\n"),
    ("tb-globals-walk", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    tb = e.__traceback__\n    for n in ('tb_frame', 'tb_lasti', 'f_globals', '__class__', '__reduce__', '__init__'):\n        try:\n            getattr(tb, n)\n            print('leaked', n)\n        except AttributeError:\n            pass\n    print(type(tb), tb.tb_lineno)\n"),
    ("tb-store", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.__traceback__ = None\n"),
    ("tb-with-view", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.with_traceback(e.__traceback__)\n"),
    ("tb-gradsh-frames", "import torch\ntry:\n    torch.ones(2) @ torch.ones(3)\nexcept RuntimeError as e:\n    n = 0\n    tb = e.__traceback__\n    while tb is not None:\n        n += 1\n        tb = tb.tb_next\n    print(n)\n"),
    ("tb-attribute-set", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e.__traceback__.tb_lineno = 5\n"),
    ("tb-setattr-computed", "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    setattr(e, '__traceback__', None)\n"),
    # --- an exception's chain
    ("chain-cycle", "a = ValueError('a')\nb = ValueError('b')\na.__cause__ = b\nb.__cause__ = a\nraise a\n"),
    ("chain-context-cycle-caught", "a = ValueError('a')\nb = KeyError('b')\na.__context__ = b\nb.__context__ = a\ntry:\n    raise a\nexcept ValueError as e:\n    print(repr(e.__context__.__context__))\n"),
    ("chain-not-exception", "e = ValueError()\ne.__cause__ = print\n"),
    ("chain-suppress-non-bool", "e = ValueError()\ne.__suppress_context__ = 'yes'\n"),
    ("chain-on-torch-object", "import torch\nt = torch.ones(1)\nt.__cause__ = ValueError()\n"),
    ("chain-deep", "e = ValueError(0)\nfor i in range(10 ** 5):\n    f = ValueError(i)\n    f.__cause__ = e\n    e = f\nraise e\n"),
    ("chain-notes-store", "e = ValueError()\ne.__notes__ = [print]\n"),
    # --- __new__
    ("new-object", "class A:\n    pass\nprint(object.__new__(A))\n"),
    ("new-type", "print(type.__new__(type, 'X', (), {}))\n"),
    ("new-program-class", "class A:\n    pass\nA.__new__(A)\n"),
    ("new-super", "class A:\n    def make(self):\n        return super().__new__(A)\nA().make()\n"),
    ("new-torch-class", "import torch\ntorch.Tensor.__new__(torch.Tensor)\n"),
    ("new-list", "print(list.__new__(list))\n"),
    ("new-int-huge", "print(int.__new__(int, '9' * 10 ** 6))\n"),
    ("new-str-huge", "print(len(str.__new__(str, 'a' * 10 ** 6)))\n"),
    ("new-tuple-gen", "def g():\n    while True:\n        yield 1\ntuple.__new__(tuple, g())\n"),
    ("new-of-new", "print(int.__new__.__globals__)\n"),
    ("new-bool-subclass-program", "class A(Exception):\n    pass\nint.__new__(A)\n"),
    ("new-exception", "ValueError.__new__(ValueError)\n"),
    # --- a program function's __get__
    ("get-builtin", "print(print.__get__(1))\n"),
    ("get-torch-function", "import torch\ntorch.relu.__get__(torch.ones(1))\n"),
    ("get-method-globals", "def f(self):\n    return self\nm = f.__get__(5)\nprint(m(), m.__func__ is f, m.__self__)\nm.__globals__\n"),
    ("get-bind-torch", "import torch\ndef f(self):\n    return self.sum()\nprint(f.__get__(torch.ones(2))())\n"),
    ("get-lambda", "f = lambda self: self\nprint(f.__get__(3)())\n"),
    ("get-none-none", "def f(self):\n    pass\nf.__get__(None, None)\n"),
    ("get-class-method", "class A:\n    def f(self):\n        return 1\nprint(A.f.__get__(A())())\n"),
    ("get-func-code", "def f(self):\n    pass\nf.__get__(1).__func__.__code__\n"),
    # --- fractions
    ("frac-pow", "from fractions import Fraction\nprint(Fraction(3, 2) ** 10 ** 8)\n"),
    ("frac-rpow", "from fractions import Fraction\nprint(2 ** Fraction(10 ** 8, 1))\n"),
    ("frac-neg-pow", "from fractions import Fraction\nprint(Fraction(1, 3) ** -(10 ** 8))\n"),
    ("frac-string-exponent", "from fractions import Fraction\nprint(Fraction('1e999999999'))\n"),
    ("frac-string-neg-exponent", "from fractions import Fraction\nprint(Fraction('1.5e-999999999'))\n"),
    ("frac-squaring-loop", "from fractions import Fraction\nx = Fraction(2, 3)\nwhile True:\n    x = x * x + 1\n"),
    ("frac-sum-harmonic", "from fractions import Fraction\nh = Fraction(0)\nfor n in range(1, 10 ** 6):\n    h += Fraction(1, n)\n"),
    ("frac-round-digits", "from fractions import Fraction\nprint(round(Fraction(1, 3), 10 ** 9))\n"),
    ("frac-private", "from fractions import Fraction\nprint(Fraction(1, 3)._numerator)\n"),
    ("frac-private-store", "from fractions import Fraction\nf = Fraction(1, 3)\nf._numerator = 10 ** 10\n"),
    ("frac-class-attr", "from fractions import Fraction\nprint(Fraction._from_coprime_ints)\n"),
    ("frac-subclass", "from fractions import Fraction\nclass F(Fraction):\n    pass\n"),
    ("frac-mro-base", "from fractions import Fraction\nB = Fraction.__mro__[1]\nprint(B(2) ** 10 ** 8)\n"),
    ("frac-type-call", "from fractions import Fraction\nT = type(Fraction(1, 2))\nprint(T('1e999999999'))\n"),
    ("frac-limit-denominator", "from fractions import Fraction\nprint(Fraction(10 ** 5000 + 1, 10 ** 5000).limit_denominator(10 ** 10 ** 6))\n"),
    ("frac-divmod-huge", "from fractions import Fraction\nprint(divmod(Fraction(2 ** 900000, 3), Fraction(1, 2 ** 900000)))\n"),
    ("frac-hash-dict", "from fractions import Fraction\nd = {Fraction(1, 2): 1}\nprint(d[0.5], Fraction(1, 2).__reduce__)\n"),
    ("frac-from-decimal-class", "from fractions import Fraction\nprint(Fraction.from_decimal(5))\n"),
    # --- string.Formatter
    ("fmt-dunder-field", "import string\nprint(string.Formatter().format('{0.__globals__}', print))\n"),
    ("fmt-class-chain", "import string\nprint(string.Formatter().format('{0.__class__.__base__.__subclasses__}', 1))\n"),
    ("fmt-width", "import string\nprint(len(string.Formatter().format('{0:>999999999}', 1)))\n"),
    ("fmt-parse-huge", "import string\nlist(string.Formatter().parse('{' * 10 ** 9))\n"),
    ("fmt-field-spec", "import string\nprint(string.Formatter().format_field(1, '>999999999'))\n"),
    ("fmt-subclass", "import string\nclass F(string.Formatter):\n    def get_value(self, key, args, kwargs):\n        return print\nprint(F().format('{0.__globals__}'))\n"),
    ("fmt-private", "import string\nstring.Formatter()._vformat\n"),
    ("fmt-vformat-mapping", "import string\nclass M(dict):\n    def __missing__(self, k):\n        return k\nprint(string.Formatter().vformat('{a.__class__}', (), M()))\n"),
    ("fmt-convert-bad", "import string\nstring.Formatter().convert_field(1, 'x')\n"),
]
