"""Hostile programs against branch lang21's rule on torch's private names (a private name of a
torch object is readable when PyTorch's object has it and its value is data; containers are
copies; gradsh/lang/runtime/torchprivate.py). The walk programs take every name starting with
one '_' that gradsh's object of each recorded class has (dir() of the object: the instance's,
its class's and its bases' names, read here when this file is loaded), read each one from a
.grad program, and then reach for the host through each value it got (`__globals__`,
`__code__`, `__func__`, `__self__`, `__closure__`, `__wrapped__`, `__subclasses__`), write to
it, and change the copies it got: a program ends with an AssertionError if any of that works.
The other programs try the rule's edges (writes, computed names, program subclasses, a class
of the program named as torch's, a hook table holding gradsh's function).
`python tools/hostile_table.py ROWS.txt tools/hostile_lang21/lang21_programs.py` prints the
rows of tests/cli/hostile_lang21.py; each row is checked by hand before it is kept."""

import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "data"))
import torch_private_cases as cases  # noqa: E402

HELPERS = "import torch\n" + cases.HELPERS

WALK = """obj = %s
names = %r
leaked = []
got = []
for n in names:
    try:
        v = getattr(obj, n)
    except AttributeError:
        continue
    got.append(n + ':' + type(v).__name__)
    for a in ('__globals__', '__code__', '__func__', '__self__', '__closure__', '__wrapped__',
              '__subclasses__', '__builtins__'):
        try:
            getattr(v, a)
            leaked.append(n + '.' + a)
        except (AttributeError, TypeError):
            pass
    if type(v) in (list, dict, set):
        before = len(v)
        v.clear()
        if len(getattr(obj, n)) != before:
            leaked.append(n + ' is no copy')
    try:
        setattr(obj, n, 0)
        leaked.append(n + ' written')
    except (AttributeError, TypeError):
        pass
print(len(got), got)
assert not leaked, leaked
"""


def _walk_programs():
    made = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import gradsh
        import gradsh.nn.utils.prune  # noqa: F401
        seen = set()
        for expression in cases.OBJECTS + cases.layer_expressions(gradsh):
            try:
                obj = cases.build(gradsh, expression)
            except Exception:
                continue
            names = sorted(n for n in dir(obj) if n.startswith("_") and not n.startswith("__"))
            key = tuple(names)  # (one object per set of names: most layers share one)
            if key in seen:
                continue
            seen.add(key)
            made.append(("walk-" + type(obj).__name__ + "-%d" % len(made),
                         HELPERS + WALK % (expression, names)))
    return made


PROGRAMS = _walk_programs() + [
    ("write-private-data", "import torch\nm = torch.nn.MultiheadAttention(4, 2)\n"
     "m._qkv_same_embed_dim = False\n"),
    ("delete-private-data", "import torch\nm = torch.nn.MultiheadAttention(4, 2)\n"
     "del m._qkv_same_embed_dim\n"),
    ("setattr-private-data", "import torch\nl = torch.nn.LSTM(1, 1)\n"
     "setattr(l, '_flat_weights_names', [])\n"),
    ("object-setattr-private", "import torch\nl = torch.nn.LSTM(1, 1)\n"
     "object.__setattr__(l, '_flat_weights_names', [])\n"),
    ("computed-gradsh-name", "import torch\nt = torch.ones(1)\nprint(getattr(t, '_' + 'data'))\n"),
    ("tensor-gradsh-bookkeeping", "import torch\ntorch.ones(1, requires_grad=True)._vc\n"),
    ("layer-gradsh-constant", "import torch\ntorch.nn.Linear(1, 1)._SIZES\n"),
    ("hook-table-print", "import torch\nopt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], "
     "lr=1)\nopt.register_step_pre_hook(print)\nopt._optimizer_step_pre_hooks\n"),
    ("hook-table-own-fn", "import torch\nopt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], "
     "lr=1)\ndef h(o, a, k):\n    pass\nopt.register_step_pre_hook(h)\n"
     "print(list(opt._optimizer_step_pre_hooks.values())[0] is h)\n"
     "list(opt._optimizer_step_pre_hooks.values())[0].__globals__\n"),
    ("hook-table-torch-fn", "import torch\nopt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], "
     "lr=1)\nopt.register_step_post_hook(torch.relu)\nopt._optimizer_step_post_hooks\n"),
    ("copy-of-list-mutated", "import torch\nl = torch.nn.LSTM(1, 1)\nw = l._flat_weights\n"
     "w[0] = torch.zeros(1)\nprint(l._flat_weights[0] is l.weight_ih_l0)\n"
     "l._flat_weights_names.append(print)\nprint(len(l._flat_weights_names))\n"),
    ("grad-fn-through-private", "import torch\nx = torch.ones(1, requires_grad=True) * 2\n"
     "print(x._grad_fn.name())\nx._grad_fn.__class__.__dict__\n"),
    ("grad-fn-next-functions", "import torch\nx = torch.ones(1, requires_grad=True) * 2\n"
     "print(x._grad_fn.next_functions)\nx._grad_fn._raw_saved_self.__class__.__mro__[1].__subclasses__\n"),
    ("subclass-reads-torch-base", "import torch\nclass A(torch.nn.MultiheadAttention):\n"
     "    def f(self):\n        return self._qkv_same_embed_dim, self._reversed\nA(4, 2).f()\n"),
    ("subclass-gradsh-names", "import torch\nclass L(torch.nn.Linear):\n    def f(self):\n"
     "        return self._SIZES\nL(1, 1).f()\n"),
    ("own-class-named-as-torch", "class MultiheadAttention:\n    def __init__(self):\n"
     "        self._qkv_same_embed_dim = print\nm = MultiheadAttention()\n"
     "print(m._qkv_same_embed_dim is print)\n"),
    ("own-class-named-tensor", "class Tensor:\n    pass\nt = Tensor()\nt._cdata\n"),
    ("subclass-named-tensor-base", "import torch\nclass Tensor(torch.Tensor):\n    pass\n"
     "t = torch.ones(1).as_subclass(Tensor)\nprint(t._version)\nt._data\n"),
    ("mangled-dataloader", "import torch\nd = torch.utils.data.DataLoader([1, 2])\n"
     "d._DataLoader__initialized\n"),
    ("index-sampler-method", "import torch\nd = torch.utils.data.DataLoader([1, 2], batch_size=1)\n"
     "d._index_sampler\n"),
    ("distribution-batch-shape", "import torch\nn = torch.distributions.Normal(0.0, 1.0)\n"
     "print(n._batch_shape, n._validate_args)\nn._batch_shape.__class__.__subclasses__()\n"),
    ("scheduler-last-lr-copy", "import torch\nopt = torch.optim.SGD([torch.nn.Parameter("
     "torch.ones(1))], lr=1)\ns = torch.optim.lr_scheduler.StepLR(opt, 1)\n"
     "s._last_lr.append(5)\nprint(s._last_lr, s.get_last_lr())\n"),
    ("pruning-methods-tuple", "import torch\nm = torch.nn.Linear(2, 2)\n"
     "torch.nn.utils.prune.l1_unstructured(m, 'weight', 0.5)\n"
     "torch.nn.utils.prune.l1_unstructured(m, 'weight', 0.5)\n"
     "c = m._forward_pre_hooks[next(iter(m._forward_pre_hooks))]\nms = c._pruning_methods\n"
     "print(type(ms).__name__, len(ms))\nms[0].compute_mask.__func__\n"),
    ("deep-private-list", "import torch\nl = torch.nn.LSTM(1, 1, num_layers=3)\n"
     "a = l._all_weights\na[0].append(1)\nprint(l._all_weights[0])\n"),
    ("vars-still-views", "import torch\nl = torch.nn.LSTM(1, 1)\n"
     "vars(l)['_flat_weights_names'] = []\n"),
]

# type(name, bases, namespace): the class statement's checks, whatever the arguments
PROGRAMS += [
    ("type3-dunder-new", "C = type('C', (), {'__new__': lambda cls: print})\n"),
    ("type3-getattribute", "C = type('C', (), {'__getattribute__': lambda s, n: 1})\n"),
    ("type3-class-cell", "C = type('C', (), {'__class__': int})\n"),
    ("type3-slots", "C = type('C', (), {'__slots__': ('__dict__',)})\n"),
    ("type3-type-base", "M = type('M', (type,), {})\n"),
    ("type3-torch-node-base", "import torch\nx = torch.ones(1, requires_grad=True) * 2\n"
     "type('N', (type(x.grad_fn),), {})\n"),
    ("type3-str-base", "type('S', (str,), {})\n"),
    ("type3-non-str-key", "type('C', (), {1: 2})\n"),
    ("type3-bad-qualname", "type('C', (), {'__qualname__': 5})\n"),
    ("type3-dict-subclass-items", "class D(dict):\n    def items(self):\n"
     "        return [('x', 1)]\n    def keys(self):\n        return ['x']\n"
     "    def __getitem__(self, k):\n        return 1\n"
     "C = type('C', (), D({'__getattribute__': print}))\n"),
    ("type3-builtins-global", "C = type('C', (), {})\nprint(C.__dict__.get('locals'), "
     "C.__module__)\nC.__dict__['__gradsh_namespace__']\n"),
    ("type3-torch-module", "import torch\nA = type('A', (torch.nn.Module,), "
     "{'forward': lambda self, x: x})\na = A()\nprint(a(torch.ones(1)), type(a).__mro__[1])\n"
     "a._gradsh_private_names\n"),
    ("type3-name-arg", "type(5, (), {})\n"),
    ("type3-bases-list", "type('C', [object], {})\n"),
    ("type3-init-subclass-kw", "class B:\n    def __init_subclass__(cls, **kw):\n"
     "        print('sub', cls.__name__, kw)\ntype('C', (B,), {})\n"
     "type.__call__\n"),
    ("abstractmethods-torch", "import torch\ntorch.nn.Module.__abstractmethods__\n"),
    ("abstractmethods-instance", "import abc\nclass A(abc.ABC):\n    pass\n"
     "A().__abstractmethods__\n"),
    ("abstractmethods-store", "import abc\nclass A(abc.ABC):\n    pass\n"
     "A.__abstractmethods__ = frozenset(['x'])\n"),
]
