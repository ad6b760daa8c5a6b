"""Round 10 of hostile programs (issue 16), part 2: the program-visible builtins and class
reprs (lang/runtime/torch_builtins.py, core/torchclass.py), recursion through a builtin's C
call (hash/repr/==/len/str/format/bool/iter in the method they call), and the limits (memory,
time, nesting, string sizes) reached through paths added since round 9."""
PROGRAMS = []
def P(i, s):
    PROGRAMS.append((i, s.strip("\n") + "\n"))

# --- builtins and class reprs
P("bi-repr-torch-fn", "print(torch.add, torch.nn.functional.relu, torch.Tensor.add)")
P("bi-fn-attrs", "print(torch.add.__self__)")
P("bi-fn-dict", "print(torch.add.__dict__)")
P("bi-fn-code", "print(torch.add.__code__)")
P("bi-fn-globals", "print(torch.nn.functional.relu.__globals__)")
P("bi-fn-closure", "print(torch.nn.functional.relu.__closure__)")
P("bi-fn-module", "print(torch.add.__module__, torch.nn.functional.relu.__module__)")
P("bi-fn-qualname-set", "torch.add.__qualname__ = 'x' * 10 ** 7\nprint(torch.add)")
P("bi-fn-name-set", "torch.add.__name__ = 'evil'\nprint(torch.add)")
P("bi-fn-setattr", "torch.add.x = 1\nprint(torch.add.x)")
P("bi-class-repr", "print(torch.nn.Linear, torch.dtype, torch.Tensor, torch.Size, torch.nn.Module)")
P("bi-class-mro", "print(torch.nn.Linear.__mro__)")
P("bi-class-subclasses", "print(torch.nn.Module.__subclasses__()[:3])")
P("bi-class-metaclass", "print(type(torch.nn.Linear))")
P("bi-class-metaclass-call", "M = type(torch.nn.Linear)\nprint(M('X', (), {}))")
P("bi-class-metaclass-repr-bad", "M = type(torch.nn.Linear)\nclass X(metaclass=M):\n    pass\nprint(X)")
P("bi-class-set-module", "class Net(torch.nn.Module):\n    pass\nNet.__module__ = 'torch.nn.modules.linear'\nNet.__qualname__ = 'Linear'\nprint(Net)")
P("bi-class-qualname-huge", "class Net(torch.nn.Module):\n    pass\nNet.__qualname__ = 'N' * 10 ** 7\nprint(Net)")
P("bi-class-qualname-int", "class Net(torch.nn.Module):\n    pass\nNet.__qualname__ = 5")
P("bi-class-name-del", "class Net(torch.nn.Module):\n    pass\ndel Net.__name__")
P("bi-type-of-fn", "print(type(torch.add), type(torch.nn.functional.relu))")
P("bi-type-of-fn-call", "T = type(torch.add)\nprint(T())")
P("bi-builtin-print-repr", "print(print, len, isinstance, repr(range))")
P("bi-builtin-attr", "print(print.__self__)")
P("bi-builtin-type-call", "print(type(print)(1))")
P("bi-getattr-dunder", "print(getattr(torch, '__loader__'))")
P("bi-getattr-spec", "print(torch.__spec__)")
P("bi-dir-torch", "print(len(dir(torch)) > 10)")
P("bi-vars-torch", "print(vars(torch))")
P("bi-dtype-call", "print(torch.dtype('f8'))")
P("bi-dtype-new", "print(torch.dtype.__new__(torch.dtype))")
P("bi-size-subclass", "class S(torch.Size):\n    def __len__(self):\n        return 10 ** 12\nprint(torch.zeros(S([2])))")
P("bi-size-huge-repr", "print(torch.Size([1] * 10 ** 6))")
P("bi-tensor-subclass-repr", "class T(torch.Tensor):\n    def __repr__(self):\n        return 'x' * 10 ** 8\nprint(repr(T(2)))")
P("bi-tensor-subclass-init", "class T(torch.Tensor):\n    def __init__(self, *a):\n        raise ValueError('no')\nprint(T(2))")
P("bi-node-class-repr", "y = torch.ones(1, requires_grad=True) * 2\nprint(type(y.grad_fn), type(y.grad_fn).__mro__)")
P("bi-node-subclass", "y = torch.ones(1, requires_grad=True) * 2\nclass N(type(y.grad_fn)):\n    pass\nprint(N())")
# --- recursion through a builtin's C call
for tag, body, use in [
        ("hash", "    def __hash__(self):\n        return hash(self)\n", "hash(A())"),
        ("hash-dict", "    def __hash__(self):\n        return hash(self)\n", "{A(): 1}"),
        ("repr", "    def __repr__(self):\n        return repr(self)\n", "repr(A())"),
        ("repr-print", "    def __repr__(self):\n        return repr(self)\n", "print([A()])"),
        ("str", "    def __str__(self):\n        return str(self)\n", "str(A())"),
        ("format", "    def __format__(self, s):\n        return format(self, s)\n", "f'{A()}'"),
        ("eq", "    def __eq__(self, o):\n        return self == o\n", "A() == 1"),
        ("eq-in", "    def __eq__(self, o):\n        return self == o\n", "A() in [1, 2]"),
        ("lt-sort", "    def __lt__(self, o):\n        return self < o\n", "sorted([A(), A()])"),
        ("len", "    def __len__(self):\n        return len(self)\n", "len(A())"),
        ("bool", "    def __bool__(self):\n        return bool(self)\n", "bool(A())"),
        ("bool-if", "    def __bool__(self):\n        return bool(self)\n", "1 if A() else 2"),
        ("iter", "    def __iter__(self):\n        return iter(self)\n", "list(A())"),
        ("index", "    def __index__(self):\n        return self.__index__() + 0\n", "[1, 2][A()]"),
        ("getitem", "    def __getitem__(self, k):\n        return self[k]\n", "A()[0]"),
        ("contains", "    def __contains__(self, k):\n        return k in self\n", "1 in A()"),
        ("float", "    def __float__(self):\n        return float(self)\n", "float(A())"),
        ("int", "    def __int__(self):\n        return int(self)\n", "int(A())"),
        ("abs", "    def __abs__(self):\n        return abs(self)\n", "abs(A())"),
        ("neg", "    def __neg__(self):\n        return -self\n", "-A()"),
        ("add", "    def __add__(self, o):\n        return self + o\n", "A() + 1"),
        ("getattr", "    def __getattr__(self, k):\n        return getattr(self, k)\n", "A().x"),
        ("setattr", "    def __setattr__(self, k, v):\n        setattr(self, k, v)\n", "setattr(A(), 'x', 1)"),
        ("call", "    def __call__(self):\n        return self()\n", "A()()"),
        ("torch-tensor", "    def __len__(self):\n        return 1\n    def __getitem__(self, i):\n        return A()\n", "torch.tensor(A())"),
        ("tensor-index", "    def __index__(self):\n        return torch.ones(3)[A()].item()\n", "torch.ones(3)[A()]"),
        ("tensor-radd", "    def __radd__(self, o):\n        return o + self\n", "torch.ones(2) + A()"),
        ("max-key", "    def __lt__(self, o):\n        return max([self, o])\n", "max([A(), A()])"),
        ("sum-start", "    def __add__(self, o):\n        return sum([self, o])\n", "sum([A(), A()])"),
        ]:
    P("rc-%s" % tag, "class A:\n" + body + "print(%s)" % use)
    P("rc-deep-%s" % tag, "def f(n):\n    if n:\n        return f(n - 1)\n    class A:\n" + "".join("    " + l + "\n" for l in body.splitlines()) + "    return %s\nprint(f(500))" % use)
# --- limits through new paths
P("lm-str-join-tensors", "print(len(','.join([str(torch.ones(1000))] * 10 ** 5)))")
P("lm-tensor-repr-huge", "torch.set_printoptions(threshold=10 ** 9)\nprint(len(repr(torch.ones(10 ** 7))))")
P("lm-printoptions-linewidth", "torch.set_printoptions(linewidth=10 ** 9)\nprint(torch.ones(10))")
P("lm-printoptions-edgeitems", "torch.set_printoptions(edgeitems=10 ** 9, threshold=1)\nprint(torch.ones(10 ** 6).shape)\nprint(torch.ones(10))")
P("lm-printoptions-precision-neg", "torch.set_printoptions(precision=-5)\nprint(torch.ones(2))")
P("lm-tolist-huge", "print(len(torch.ones(10 ** 7).tolist()))")
P("lm-tolist-nested", "print(len(str(torch.ones(*[1] * 64).tolist())))")
P("lm-format-spec-huge", "print(len(format(torch.tensor(1.0), '%d' % 10 ** 8)))")
P("lm-format-spec-tensor", "print(len(f'{torch.tensor(1.5):>100000000}'))")
P("lm-format-width-nested", "print(len('{:{}}'.format(1, 10 ** 8)))")
P("lm-state-dict-keys", "m = torch.nn.Sequential(*[torch.nn.Identity()] * 10 ** 5)\nprint(len(m.state_dict()))")
P("lm-module-repr-deep", "m = torch.nn.Identity()\nfor i in range(10 ** 4):\n    m = torch.nn.Sequential(m)\nprint(len(repr(m)))")
P("lm-module-children-cycle", "a = torch.nn.Sequential()\nb = torch.nn.Sequential(a)\na.add_module('b', b)\nprint(a)")
P("lm-module-cycle-params", "a = torch.nn.Sequential(torch.nn.Linear(1, 1))\na.add_module('self', a)\nprint(len(list(a.parameters())))")
P("lm-module-cycle-apply", "a = torch.nn.Sequential()\na.add_module('self', a)\na.apply(lambda m: None)")
P("lm-graph-deep-backward", "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(10 ** 5):\n    y = y * 1\ny.backward()\nprint(x.grad)")
P("lm-graph-deep-repr", "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(10 ** 5):\n    y = y + 1\nprint(y.grad_fn)")
P("lm-graph-next-functions-walk", "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(10 ** 5):\n    y = y + 1\ndef walk(n):\n    return 1 + sum(walk(m) for m, _ in n.next_functions if m is not None)\nprint(walk(y.grad_fn))")
P("lm-hooks-many-tensor", "x = torch.ones(1, requires_grad=True)\nfor i in range(10 ** 5):\n    x.register_hook(lambda g: g)\n(x * 2).backward()\nprint(x.grad)")
P("lm-einsum-long-spec", "print(torch.einsum('i' * 10 ** 6 + '->', torch.ones(1)))")
P("lm-nested-list-tensor", "a = [1.0]\nfor i in range(10 ** 5):\n    a = [a]\nprint(torch.tensor(a).shape)")
P("lm-nested-tuple-size", "a = 2\nfor i in range(10 ** 5):\n    a = (a,)\nprint(torch.zeros(a))")
P("lm-nested-dict-state", "d = {}\nfor i in range(10 ** 5):\n    d = {'state': d}\nopt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)\nopt.load_state_dict({'state': d, 'param_groups': []})")
P("lm-deepcopy-deep", "import copy\na = []\nfor i in range(10 ** 5):\n    a = [a]\nprint(len(copy.deepcopy(a)))")
P("lm-deepcopy-module-deep", "import copy\nm = torch.nn.Identity()\nfor i in range(5000):\n    m = torch.nn.Sequential(m)\nprint(type(copy.deepcopy(m)))")
P("lm-manual-seed-str", "torch.manual_seed('x' * 10 ** 7)")
P("lm-randperm-huge", "print(torch.randperm(10 ** 12).shape)")
P("lm-multinomial-huge", "print(torch.multinomial(torch.ones(10 ** 6), 10 ** 6).shape)")
P("lm-cat-many", "print(torch.cat([torch.ones(1)] * 10 ** 6).shape)")
P("lm-stack-many-huge", "a = torch.ones(10 ** 4)\nprint(torch.stack([a] * 10 ** 5).shape)")
P("lm-pow-int-huge", "print(torch.tensor([3]) ** (2 ** 70))")
P("lm-tensor-pow-tensor-huge", "print(torch.tensor([3]) ** torch.tensor([2 ** 62]))")
P("lm-bitshift-huge", "print(torch.tensor([1]) << 2 ** 70)")
P("lm-str-mul-size", "print(len('ab' * torch.tensor(10 ** 9)))")
P("lm-list-mul-tensor", "print(len([0] * torch.tensor(10 ** 9)))")
P("lm-range-tensor", "print(len(range(torch.tensor(10 ** 18))))")
P("lm-str-tensor-index", "print('abc'[torch.tensor(1)])")
P("lm-bytes-tensor", "print(bytes(torch.tensor(10 ** 9)))")
P("lm-int-str-huge", "print(int('9' * 10 ** 6) > 0)")
P("lm-exception-msg-huge", "raise ValueError('x' * 10 ** 7)")
P("lm-exception-args-tensor", "raise ValueError(torch.ones(10 ** 6))")
P("lm-assert-msg-tensor", "assert False, torch.ones(10 ** 6)")
P("lm-warn-huge", "import warnings\nwarnings.warn('w' * 10 ** 7)")
P("lm-warn-many", "import warnings\nfor i in range(10 ** 5):\n    warnings.warn('w%d' % i)")
P("lm-print-sep-huge", "print(1, 2, sep='x' * 10 ** 7)")
P("lm-print-end-tensor", "print(1, end=torch.ones(1))")
P("lm-print-file", "print(1, file=5)")
P("lm-print-flush-weird", "print(1, flush=torch.ones(2))")
