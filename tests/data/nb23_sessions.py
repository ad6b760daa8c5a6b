"""Issue 15's second blind round on the notebook and REPL surfaces (branch `nb23`): sessions a
learner types into a Jupyter notebook (one string a cell) or, the same cells line by line, into
Python's REPL, with PyTorch; besides cells, a session may hold the kernel's own requests a
notebook front end sends while the learner types: `complete(...)` (Tab) and `inspect(...)`
(Shift-Tab), which only the notebook has. Each session starts from a fresh kernel / a fresh
REPL.

Recorded from PyTorch by `python tools/record_nb21_sessions.py --set nb23` into
nb23_notebook.json (a real IPython kernel per session) and nb23_repl.json (`python -q -i` per
session); compared with gradsh's kernel by tests/kernel/test_nb23_notebook_sessions.py and with
gradsh's line shell by tests/cli/test_nb23_repl_sessions.py. Written before running any of them
in gradsh.
"""

import nb21_sessions


def typed(code):
    """The cell's keys in a REPL, as in nb21's round, a decorator's lines included."""
    return nb21_sessions.typed(code, decorators=True)


def complete(code, expect, cursor=None):
    """A complete_request at `cursor` (the end of `code` by default). `expect`: texts a learner
    hopes Tab leads to; compared is which of them some offered completion, applied to the code,
    starts with (so `params['weight` is offered whether the quote is closed or not)."""
    return {"complete": code, "cursor": len(code) if cursor is None else cursor,
            "expect": list(expect)}


def inspect(code, words=(), cursor=None):
    """An inspect_request (Shift-Tab) at `cursor`: compared are whether something was found and,
    for each of `words`, whether the text shown holds it."""
    return {"inspect": code, "cursor": len(code) if cursor is None else cursor,
            "words": list(words)}


def cells_typed(cells):
    """The cells a REPL gets: the strings (requests are the notebook front end's own)."""
    return [c for c in cells if isinstance(c, str)]


SESSIONS = [
    # --- blocks: nested, with blank lines and comments inside
    ("nb23_nested_blocks_comments", [
        "import torch\n\n# data\nxs = [torch.tensor(float(i)) for i in range(4)]\n",
        "for i, x in enumerate(xs):\n    # skip the odd ones\n    if i % 2:\n        continue\n\n    for j in range(2):\n        if j == 1:\n            print(i, j, x * j)\n        # nothing else\n",
        "total = 0\nfor x in xs:\n    total += x\n\n# after the loop\ntotal",
        "x, i",
    ]),
    ("nb23_def_blank_lines_docstring", [
        "import torch\n\ndef step(w, lr=0.1):\n    \"\"\"One gradient step.\"\"\"\n\n    loss = (w ** 2).sum()\n\n    loss.backward()\n    with torch.no_grad():\n        w -= lr * w.grad\n    w.grad = None\n    return loss.item()\n",
        "w = torch.tensor([1., -2.], requires_grad=True)\n[round(step(w), 4) for _ in range(3)]",
        "w",
        "step.__doc__",
        "step",
    ]),
    ("nb23_module_class_blank_lines", [
        "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    # a tiny model\n    def __init__(self):\n        super().__init__()\n        self.lin = nn.Linear(2, 1)\n\n    def forward(self, x):\n        if x.dim() == 1:\n            x = x.unsqueeze(0)\n        return self.lin(x)\n\n    def extra_repr(self):\n        return 'tiny'\n",
        "torch.manual_seed(0)\nnet = Net()\nnet",
        "net(torch.ones(2)).shape",
        "net(torch.ones(3, 2)).squeeze(1)",
        "Net",
    ]),
    ("nb23_try_nested_blocks", [
        "import torch\nresults = []\nfor shape in [(2,), (3,), (2, 1)]:\n    try:\n        r = torch.ones(2) + torch.ones(*shape)\n    except RuntimeError as e:\n        results.append('error')\n        print(str(e).split('(')[0])\n    else:\n        results.append(tuple(r.shape))\n    finally:\n        pass\nresults",
        "try:\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        raise ValueError('inner')\nexcept ValueError as e:\n    err = e\nerr",
        "err.__context__",
        "repr(err), str(err)",
    ]),
    ("nb23_with_blocks_nested", [
        "import torch\nx = torch.ones(2, requires_grad=True)",
        "with torch.no_grad():\n    with torch.enable_grad():\n        y = x * 2\n    z = x * 2\ny.requires_grad, z.requires_grad",
        "with torch.set_grad_enabled(False):\n    w = x + 1\nw",
        "with torch.autograd.set_grad_enabled(True):\n    pass\ntorch.is_grad_enabled()",
        "with torch.inference_mode():\n    v = x * 3\nv.is_inference(), v",
    ]),
    ("nb23_while_break_continue", [
        "import torch\nx = torch.tensor(1.)\nsteps = 0\nwhile True:\n    steps += 1\n    x = x * 1.5\n    if x > 10:\n        break\n    elif steps % 2:\n        continue\n    print(steps, x)\nsteps, x",
        "for k in range(3):\n    for m in range(3):\n        if m > k:\n            break\n    else:\n        print('no break', k)",
    ]),
    ("nb23_multiline_expressions", [
        "import torch\nx = torch.tensor([\n    [1., 2.],\n    [3., 4.],\n])\nx",
        "(x\n .sum(0)\n .mul(2))",
        "x.sum() \\\n    + 1",
        "[v\n for v in x]",
        "{\n    'a': x[0],  # first row\n    'b': x[1],\n}",
    ]),
    ("nb23_import_inside_blocks", [
        "if True:\n    import math\n    import torch\nmath.pi, torch.pi",
        "def f():\n    import torch.nn.functional as F\n    return F.relu(torch.tensor([-1., 2.]))\nf()",
        "try:\n    import scipy_not_there\nexcept ImportError as e:\n    print(type(e).__name__, e)",
        "F",
    ]),
    # --- errors in the middle of a session, and what survives them
    ("nb23_error_stops_training", [
        "import torch\nw = torch.zeros(2, requires_grad=True)\nhistory = []",
        "for step in range(5):\n    loss = ((w - 1) ** 2).sum()\n    history.append(loss.item())\n    if step == 2:\n        raise RuntimeError('stop at %d' % step)\n    loss.backward()\n    with torch.no_grad():\n        w -= 0.25 * w.grad\n        w.grad.zero_()",
        "history",
        "step, w",
        "w.grad",
    ]),
    ("nb23_error_kinds_tensor", [
        "import torch\na = torch.arange(6.).reshape(2, 3)",
        "a.reshape(4, 2)",
        "a @ a",
        "a.sum(dim=2)",
        "torch.cat([a, torch.ones(3)])",
        "a.T @ a",
        "a[2]",
        "a.foo",
    ]),
    ("nb23_error_call_chain_fixed", [
        "import torch\ndef f(x):\n    return g(x) + 1\n\ndef g(x):\n    return x.view(5)",
        "f(torch.ones(4))",
        "def g(x):\n    return x.view(2, 2)",
        "f(torch.ones(4))",
    ]),
    ("nb23_error_library_messages", [
        "d = {'lr': 0.1}",
        "d['momentum']",
        "d.get('momentum', 0.9)",
        "import torch\ntorch.optim.SGD([], lr=0.1)",
        "torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=-1)",
        "torch.nn.Linear(2, 3)(torch.ones(4))",
        "d",
    ]),
    ("nb23_error_inplace_leaf", [
        "import torch\nx = torch.ones(2, requires_grad=True)",
        "x += 1",
        "x",
        "y = x.sigmoid()\ny.mul_(2)\ny.sum().backward()",
        "x.grad",
        "y",
    ]),
    ("nb23_error_dtype_mixing", [
        "import torch\na = torch.tensor([1, 2])\nb = torch.tensor([0.5, 1.5])",
        "a + b",
        "a.add_(b)",
        "a",
        "torch.matmul(a, b)",
        "a.float() @ b",
    ]),
    ("nb23_error_backward_again", [
        "import torch\nx = torch.tensor([1., 2., 3.], requires_grad=True)",
        "y = (x ** 2).sum()\ny",
        "y.backward()",
        "x.grad",
        "y.backward()",
        "x.grad",
        "(x ** 2).sum().backward()\nx.grad",
    ]),
    ("nb23_error_shape_then_fix", [
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\nmodel = nn.Linear(3, 1)\nX = torch.randn(5, 3)\ny = torch.randn(5)",
        "loss = nn.functional.mse_loss(model(X).squeeze(1), y)\nloss",
        "loss.backward()\nmodel.weight.grad",
        "model(torch.randn(5, 4))",
        "model.weight.grad.norm()",
    ]),
    ("nb23_stopiteration_values", [
        "it = iter([1, 2])\nnext(it), next(it)",
        "next(it)",
        "next(it, 'done')",
        "for k in it:\n    print(k)\nelse:\n    print('empty')",
    ]),
    # --- redefining functions and classes
    ("nb23_redefine_class_call", [
        "class Scaler:\n    def __init__(self, k):\n        self.k = k\n    def __call__(self, x):\n        return x * self.k",
        "import torch\ns = Scaler(2)\ns(torch.ones(2))",
        "class Scaler:\n    def __init__(self, k):\n        self.k = k\n    def __call__(self, x):\n        return x + self.k\n    def __repr__(self):\n        return f'Scaler({self.k})'",
        "s, Scaler(3)",
        "s(torch.ones(2)), Scaler(3)(torch.ones(2))",
        "type(s) is Scaler, type(s).__name__",
    ]),
    ("nb23_redefine_helper_function", [
        "def act(x):\n    return x.relu()\n\ndef layer(x):\n    return act(x) * 2",
        "import torch\nlayer(torch.tensor([-1., 1.]))",
        "def act(x):\n    return x.tanh()",
        "layer(torch.tensor([-1., 1.]))",
        "act = None\nlayer(torch.tensor([-1., 1.]))",
        "act",
    ]),
    ("nb23_redefine_base_class", [
        "class Base:\n    def hello(self):\n        return 'base'\n\nclass Child(Base):\n    pass\n\nc = Child()\nc.hello()",
        "class Base:\n    def hello(self):\n        return 'new base'",
        "c.hello(), Child().hello()",
        "isinstance(c, Base), issubclass(Child, Base)",
    ]),
    ("nb23_closures_and_names", [
        "import torch\ndef make_scaler(k):\n    def scale(t):\n        return t * k\n    return scale\n\ndouble = make_scaler(2)\ndouble(torch.ones(2))",
        "double",
        "make_scaler",
        "triple = make_scaler(3)\n[f(torch.tensor(1.)) for f in (double, triple)]",
        "double.__name__, double.__qualname__",
    ]),
    ("nb23_global_nonlocal_state", [
        "count = 0\ndef tick():\n    global count\n    count += 1\ntick(); tick()\ncount",
        "def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n        return n\n    return inner\nc = outer()\nc(), c()",
        "tick()",
        "count",
    ]),
    ("nb23_class_property_str", [
        "import torch\nclass Stats:\n    def __init__(self, t):\n        self.t = t\n\n    @property\n    def mean(self):\n        return self.t.mean()\n\n    def __repr__(self):\n        return f'Stats(n={self.t.numel()})'\n\n    def __str__(self):\n        return 'stats of %d values' % self.t.numel()",
        "s = Stats(torch.arange(4.))\ns",
        "print(s)",
        "s.mean",
        "[s, str(s)]",
        "f'{s}' + '!'",
    ]),
    ("nb23_namedtuple_dataclass", [
        "from collections import namedtuple\nPoint = namedtuple('Point', ['x', 'y'])\np = Point(1, 2)\np",
        "p.x + p.y",
        "import torch\nPoint(torch.ones(1), torch.zeros(1))",
        "from dataclasses import dataclass\n\n@dataclass\nclass Config:\n    lr: float = 0.1\n    epochs: int = 3\n\nConfig()",
        "Config(lr=0.5).lr",
    ]),
    # --- history: _, __, ___, Out, In
    ("nb23_underscore_chain", [
        "import torch",
        "torch.tensor(1.)",
        "_ + 1",
        "_ * 10",
        "__",
        "___",
        "_2 + _3",
    ]),
    ("nb23_out_in_objects", [
        "import torch",
        "torch.zeros(2)",
        "x = 1",
        "Out",
        "In[2]",
        "len(In)",
        "Out[2] is _2",
        "_i2",
        "In[-1]",
        "Out",
    ]),
    ("nb23_history_after_errors", [
        "import torch",
        "torch.ones(1)",
        "1 / 0",
        "_",
        "_2",
        "Out[3]",
        "_i3",
    ]),
    # --- echo of every kind of value
    ("nb23_echo_adam_state_dict", [
        "import torch\ntorch.manual_seed(0)\nw = torch.randn(2, requires_grad=True)\nopt = torch.optim.Adam([w], lr=0.01)",
        "opt.state_dict()",
        "(w ** 2).sum().backward()\nopt.step()\nopt.state_dict()['state']",
        "opt.state_dict()['param_groups']",
        "opt.state[w]",
        "opt",
        "opt.param_groups[0]['betas']",
    ]),
    ("nb23_echo_sgd_state_dict", [
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\nmodel = nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)",
        "opt",
        "model(torch.ones(3, 2)).sum().backward()\nopt.step()\nopt.state_dict()",
        "len(opt.state)",
        "opt.zero_grad(set_to_none=False)\nmodel.weight.grad",
    ]),
    ("nb23_echo_schedulers", [
        "import torch\nw = torch.zeros(1, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.5)",
        "sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)\nsched",
        "for _ in range(3):\n    opt.step()\n    sched.step()\nsched.get_last_lr()",
        "sched.state_dict()",
        "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10).get_last_lr()",
        "sched.last_epoch",
    ]),
    ("nb23_echo_module_containers", [
        "import torch\nfrom torch import nn",
        "nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])",
        "nn.Sequential(*[nn.ReLU() for _ in range(2)], nn.Linear(2, 2))",
        "nn.ParameterDict({'a': nn.Parameter(torch.ones(1))})",
        "nn.Identity()",
        "nn.Sequential()",
    ]),
    ("nb23_echo_module_after_changes", [
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\nnet = nn.Sequential(nn.Linear(2, 2), nn.ReLU())",
        "net.add_module('out', nn.Linear(2, 1))\nnet",
        "net.train(False)",
        "net[0].weight.requires_grad_(False)",
        "net.state_dict().keys()",
        "list(net.state_dict().values())[1]",
    ]),
    ("nb23_echo_collections_of_tensors", [
        "import torch\ntorch.manual_seed(0)",
        "{'x': torch.randn(2, 2), 'y': [torch.zeros(1), (torch.ones(2),)]}",
        "[torch.eye(3)] * 2",
        "(torch.arange(3), {'k': torch.arange(2.)})",
        "list(torch.arange(6.).view(3, 2))",
        "{i: torch.tensor(i) for i in range(3)}",
        "set(), {1, 2}",
    ]),
    ("nb23_echo_iterators", [
        "import torch\nx = torch.arange(3.)",
        "(v * 2 for v in x)",
        "iter(x)",
        "map(float, x)",
        "zip(x, x)",
        "enumerate(x)",
        "def gen():\n    yield 1\ngen()",
        "reversed([1, 2])",
    ]),
    ("nb23_echo_parameter_generators", [
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\nnet = nn.Linear(2, 2)",
        "params = net.parameters()\nparams",
        "len(list(params))",
        "len(list(params))",
        "next(net.named_parameters())[0]",
        "g = (p.numel() for p in net.parameters())\nsum(g), sum(g)",
    ]),
    ("nb23_echo_size_dtype_device", [
        "import torch\nx = torch.zeros(2, 3, dtype=torch.float64)",
        "x.shape, x.dtype, x.device",
        "torch.Size([2, 3]) == x.shape",
        "x.shape.numel()",
        "torch.Size((4,))",
        "x.dtype.is_floating_point, x.dtype.itemsize",
        "[torch.float16, torch.bfloat16, torch.uint8]",
        "torch.device('cpu', 0)",
        "{x.dtype: 1}",
    ]),
    ("nb23_echo_exceptions", [
        "ValueError('bad lr')",
        "e = RuntimeError('boom')\ne",
        "[KeyError('k'), StopIteration()]",
        "try:\n    import torch\n    torch.ones(2).view(3)\nexcept RuntimeError as err:\n    caught = err\ncaught",
        "type(caught), caught.args",
        "Exception",
    ]),
    ("nb23_echo_none_values", [
        "import torch\nx = torch.ones(1, requires_grad=True)",
        "x.grad",
        "print(x.grad)",
        "None, None",
        "[x.grad]",
        "x.grad_fn is None",
        "{'g': x.grad}",
        "def f():\n    pass\nf()",
    ]),
    ("nb23_echo_tensor_variants", [
        "import torch",
        "torch.nn.Parameter(torch.zeros(2, 2))",
        "torch.ones(2, requires_grad=True).detach()",
        "torch.zeros(3, dtype=torch.int32)",
        "torch.tensor([[1.5]], dtype=torch.float64, requires_grad=True) * 2",
        "torch.arange(4).view(2, 2).t()",
        "torch.ones(1, 1, 1)",
    ]),
    ("nb23_echo_grad_fn_and_hooks", [
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()",
        "y.grad_fn, y.grad_fn.next_functions",
        "h = x.register_hook(lambda g: print('hook', g))\nh",
        "y.backward()",
        "h.remove()",
        "x.grad",
    ]),
    # --- print against echo
    ("nb23_print_vs_echo_containers", [
        "import torch\nt = torch.tensor([0.5, 1.5])",
        "print({'t': t})",
        "{'t': t}",
        "print((t,))",
        "print(t.shape)",
        "t.shape",
        "print(t.dtype, repr(t.dtype))",
        "str(t.shape), repr(t.shape)",
    ]),
    ("nb23_print_and_values_one_cell", [
        "import torch\nx = torch.ones(2)",
        "print('a')\nx\nprint('b')\nx * 2",
        "for i in range(2):\n    print(i)\nx",
        "y = x + 1; print(y); y",
    ]),
    ("nb23_print_formatting", [
        "import torch\nx = torch.tensor([3.14159, 2.71828])",
        "print(f'{x[0]:.2f}', f'{x[1].item():8.3f}|')",
        "print('%s' % x)",
        "print('loss:', x.sum(), sep='\\t')",
        "print(x, end='')",
        "print()",
        "'{}'.format(x)",
    ]),
    # --- ; in notebooks
    ("nb23_semicolon_variants", [
        "import torch\nx = torch.ones(2)",
        "x ;",
        "x;  ",
        "x  ;  # comment",
        "x  # note;",
        "print(x);  x",
        "'a;'",
        "x.sum();\nx.mean()",
        "x.sum(); x.mean();",
    ]),
    ("nb23_semicolon_after_blocks", [
        "import torch\nx = torch.ones(2)",
        "if True:\n    y = x\ny;",
        "for i in range(2):\n    x;",
        "y;\n# trailing comment",
        "_",
    ]),
    # --- display()
    ("nb23_display_calls", [
        "import torch\nfrom torch import nn\nx = torch.arange(3.)",
        "display(x)",
        "display(x, x * 2, 'text')\nx.sum()",
        "display(nn.Linear(1, 1))",
        "display(None)",
        "display([x, {'a': 1}])",
        "r = display(1)\nr is None",
    ]),
    ("nb23_display_in_loops", [
        "import torch\nfrom torch import nn",
        "for k in range(3):\n    display(torch.full((2,), float(k)))",
        "layers = [nn.Linear(1, 1), nn.Tanh()]\nfor m in layers:\n    display(m)\nlen(layers)",
        "display(*layers)",
    ]),
    # --- help and ?
    ("nb23_help_own_function", [
        "def area(r, pi=3.14):\n    \"\"\"Area of a circle of radius r.\"\"\"\n    return pi * r * r",
        "help(area)",
        "area.__doc__",
        "area",
        "area(2)",
    ]),
    ("nb23_question_mark_help", [
        "import torch\nx = torch.ones(2, requires_grad=True)",
        "x.backward?",
        "def area(r):\n    \"\"\"Area of a circle.\"\"\"\n    return 3.14 * r * r",
        "area?",
        "x * 2",
    ]),
    # --- warnings: once per location
    ("nb23_warnings_per_location", [
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2",
        "for _ in range(3):\n    y.grad",
        "y.grad\ny.grad",
        "def peek(t):\n    return t.grad\npeek(y)\npeek(y)",
        "peek(y)",
        "y.grad",
    ]),
    ("nb23_warnings_module_filters", [
        "import warnings\nfor i in range(3):\n    warnings.warn('step %d' % i)",
        "for i in range(3):\n    warnings.warn('same')",
        "warnings.warn('same')",
        "warnings.warn('dep', DeprecationWarning)",
        "warnings.simplefilter('ignore')\nwarnings.warn('hidden')",
        "import torch\ntorch.ones(2, requires_grad=True).mul(2).grad",
    ]),
    ("nb23_warnings_torch_functions", [
        "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\nx = torch.randn(3, 3)",
        "F.softmax(x).shape",
        "torch.tensor(x).shape",
        "F.mse_loss(torch.ones(3, 1), torch.ones(3))",
        "F.softmax(x).shape",
    ]),
    # --- long outputs
    ("nb23_long_outputs", [
        "import torch\ntorch.manual_seed(0)",
        "torch.randn(50, 50)",
        "list(range(300))",
        "print(list(range(300)))",
        "[torch.ones(2)] * 40",
        "'x' * 3000",
        "{i: i * i for i in range(120)}",
        "for i in range(30):\n    print(i, torch.full((3,), float(i)))",
    ]),
    ("nb23_long_training_prints", [
        "import torch\nw = torch.tensor(5., requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)",
        "for step in range(200):\n    opt.zero_grad()\n    loss = (w - 2) ** 2\n    loss.backward()\n    opt.step()\n    if step % 20 == 0:\n        print(f'{step:3d} {loss.item():.6f} {w.item():.6f}')",
        "w",
        "loss",
    ]),
    # --- the kernel's completion (Tab) and inspection (Shift-Tab) requests
    ("nb23_complete_tensor", [
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2",
        complete("x.back", ["x.backward", "x.backwards"]),
        complete("x.req", ["x.requires_grad", "x.requires_grad_", "x.register_hook"]),
        complete("x.gra", ["x.grad", "x.grad_fn"]),
        complete("x.sh", ["x.shape", "x.short", "x.size"]),
        complete("x.shape.nu", ["x.shape.numel"]),
        complete("y.grad_fn.na", ["y.grad_fn.name"]),
    ]),
    ("nb23_complete_namespaces", [
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn",
        complete("F.rel", ["F.relu", "F.relu_", "F.relu6", "F.rrelu"]),
        complete("torch.nn.functional.softm", ["torch.nn.functional.softmax",
                                               "torch.nn.functional.softmin"]),
        complete("nn.Lin", ["nn.Linear", "nn.Bilinear"]),
        complete("torch.optim.Ada", ["torch.optim.Adam", "torch.optim.AdamW", "torch.optim.Adamax",
                                     "torch.optim.Adadelta", "torch.optim.Adagrad"]),
        complete("torch.zer", ["torch.zeros", "torch.zeros_like"]),
        complete("torch.manual_s", ["torch.manual_seed"]),
    ]),
    ("nb23_complete_module_objects", [
        "import torch\nfrom torch import nn\nmodel = nn.Sequential(nn.Linear(2, 3), nn.ReLU())\nopt = torch.optim.SGD(model.parameters(), lr=0.1)",
        complete("model.param", ["model.parameters"]),
        complete("model.zero", ["model.zero_grad"]),
        complete("model.state_", ["model.state_dict"]),
        complete("opt.st", ["opt.step", "opt.state", "opt.state_dict"]),
        complete("opt.param_", ["opt.param_groups"]),
        complete("mod", ["model"]),
    ]),
    ("nb23_complete_own_objects", [
        "class Trainer:\n    def __init__(self):\n        self.epochs = 3\n        self.history = []\n    def fit(self):\n        return self.epochs\n\ntrainer = Trainer()\nlearning_rate = 0.01\nlearning_steps = 10",
        complete("learn", ["learning_rate", "learning_steps"]),
        complete("trainer.", ["trainer.epochs", "trainer.history", "trainer.fit",
                              "trainer.__init__"]),
        complete("trainer.hi", ["trainer.history"]),
        complete("Trai", ["Trainer"]),
        "def scale(value, factor=2):\n    return value * factor",
        complete("scale(val", ["scale(value="]),
        complete("scale(1, fac", ["scale(1, factor="]),
    ]),
    ("nb23_complete_dict_keys", [
        "import torch\nparams = {'weight': torch.ones(2), 'bias': torch.zeros(1), 'lr': 0.1}\nlayers = {1: 'a', 2: 'b'}",
        complete("params['", ["params['weight", "params['bias", "params['lr"]),
        complete("params['w", ["params['weight"]),
        complete('params["b', ['params["bias']),
        complete("params[", ["params['weight", "params[\"weight"]),
        complete("layers[", ["layers[1", "layers[2"]),
        complete("params['weight'].su", ["params['weight'].sum"]),
    ]),
    ("nb23_complete_inside_expressions", [
        "import torch\nx = torch.ones(2)\ny = x.sum()",
        complete("print(x.me", ["print(x.mean", "print(x.median"]),
        complete("z = y.ite", ["z = y.item"]),
        complete("torch.ones(2).su", ["torch.ones(2).sum"]),
        complete("[x.nu", ["[x.numel", "[x.numpy"]),
        complete("x.me + 1", ["x.mean + 1", "x.median + 1"], cursor=4),
        complete("'x.me", ["'x.mean"]),
    ]),
    ("nb23_inspect_requests", [
        "import torch\nx = torch.ones(2, requires_grad=True)\ndef loss_fn(pred, target):\n    \"\"\"Mean squared error.\"\"\"\n    return ((pred - target) ** 2).mean()",
        inspect("x.backward", ["gradient", "retain_graph", "create_graph"]),
        inspect("torch.ones(", ["size", "dtype", "requires_grad"]),
        inspect("loss_fn", ["pred", "target", "Mean squared error"]),
        inspect("nothing_defined"),
        inspect("torch.nn.Linear", ["in_features", "out_features", "bias"]),
        inspect("x", ["tensor([1., 1.], requires_grad=True)", "Tensor"]),
    ]),
    ("nb23_inspect_cursor_positions", [
        "import torch\nimport torch.nn.functional as F",
        inspect("F.relu(torch.ones(2))", ["inplace"], cursor=4),
        inspect("F.relu(", ["inplace"]),
        inspect("y = torch.zeros(3, ", ["size", "dtype"]),
        inspect("torch.tensor([1., 2.]).sum", ["dim"]),
        inspect("1 + ", []),
    ]),
    # --- more learner sessions of every day
    ("nb23_training_with_prints_and_values", [
        "import torch\nfrom torch import nn\ntorch.manual_seed(1)\nX = torch.linspace(-1, 1, 20).unsqueeze(1)\nY = 2 * X - 0.5\nmodel = nn.Linear(1, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.5)\nloss_fn = nn.MSELoss()",
        "for epoch in range(1, 31):\n    opt.zero_grad()\n    loss = loss_fn(model(X), Y)\n    loss.backward()\n    opt.step()\n\n    if epoch % 10 == 0:\n        # report\n        print(f'epoch {epoch}: {loss.item():.5f}')\n",
        "model.weight, model.bias",
        "model.state_dict()",
        "loss",
    ]),
    ("nb23_autograd_grad_values", [
        "import torch\nx = torch.tensor(2., requires_grad=True)",
        "y = x ** 3\ndy, = torch.autograd.grad(y, x, create_graph=True)\ndy",
        "d2, = torch.autograd.grad(dy, x)\nd2",
        "torch.autograd.grad(x * 2, x, retain_graph=True)",
        "torch.autograd.grad(x.detach() * 2, x)",
    ]),
    ("nb23_tensor_methods_shown", [
        "import torch\nx = torch.ones(2)",
        "x.sum",
        "torch.sum",
        "len",
        "print",
        "torch.nn.functional.relu.__name__",
    ]),
    ("nb23_assert_and_raise_values", [
        "import torch\nx = torch.tensor([1., float('nan')])",
        "assert not torch.isnan(x).any(), 'found nan'",
        "torch.isnan(x)",
        "raise NotImplementedError",
        "raise KeyboardInterrupt",
        "x.nan_to_num()",
    ]),
    # --- a second blind batch (written after the first run, before running it in gradsh)
    ("nb23_matplotlib_magic_first", [
        "%matplotlib inline\nimport torch",
        "torch.ones(2)",
    ]),
    ("nb23_display_and_underscore", [
        "import torch\nx = torch.ones(2)",
        "x * 3",
        "display(x)",
        "_",
        "x * 4;",
        "_",
        "sorted(Out)",
        "In[-2:]",
    ]),
    ("nb23_raise_from_none_and_notes", [
        "try:\n    {}['k']\nexcept KeyError:\n    raise ValueError('no key') from None",
        "e = ValueError('base')\ne.add_note('a note')\ne.__notes__",
        "raise e",
        "class ShapeError(ValueError):\n    def __init__(self, shape):\n        super().__init__(f'bad shape {shape}')\n        self.shape = shape\n\nraise ShapeError((2, 3))",
        "ShapeError((1,)).shape, str(ShapeError((1,)))",
    ]),
    ("nb23_main_guard_function", [
        "import torch\n\ndef main():\n    x = torch.arange(3.)\n    print('sum', x.sum())\n    return x\n\nif __name__ == '__main__':\n    out = main()",
        "out",
        "main() * 2",
    ]),
    ("nb23_unicode_names", [
        "import torch\nα = 0.5\nσ = torch.tensor([1., 2.])",
        "α * σ",
        "print(f'α={α}, σ={σ}')",
        "{'μ': σ.mean()}",
    ]),
    ("nb23_long_print_loop", [
        "for i in range(400):\n    print('line', i)",
        "print('\\n'.join(str(k) for k in range(5)))",
    ]),
    ("nb23_format_specs_on_tensors", [
        "import torch\nt = torch.tensor(3.14159)\nv = torch.tensor([1.5, 2.5])",
        "f'{t:.2f}'",
        "f'{t.item():.2e}'",
        "'%.1f' % t",
        "f'{v}'",
        "f'{v:.2f}'",
        "format(t, '')",
    ]),
    ("nb23_complete_multiline_cell", [
        "import torch\nx = torch.ones(3)",
        complete("y = 1\nz = x.cums", ["y = 1\nz = x.cumsum", "y = 1\nz = x.cumprod"]),
        complete("for v in x:\n    print(v.ite", ["for v in x:\n    print(v.item"]),
        complete("x.ab", ["x.abs", "x.abs_", "x.absolute"]),
        complete("torch.nn.Seq", ["torch.nn.Sequential"]),
        complete("torch.optim.lr_scheduler.Step", ["torch.optim.lr_scheduler.StepLR"]),
    ]),
    ("nb23_complete_nested_items", [
        "import torch\nw = torch.zeros(2, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)\ncfg = {'model': {'hidden': 8}, 'lr': 0.1}",
        complete("opt.param_groups[0]['", ["opt.param_groups[0]['lr", "opt.param_groups[0]['momentum"]),
        complete("cfg['model']['", ["cfg['model']['hidden"]),
        complete("cfg['model'].ke", ["cfg['model'].keys"]),
        complete("opt.param_groups[0]['params'][0].gr", ["opt.param_groups[0]['params'][0].grad"]),
        complete("w.grad.", ["w.grad.zero_"]),
    ]),
    ("nb23_inspect_objects", [
        "import torch\nfrom torch import nn\nmodel = nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nlosses = [1.0, 0.5]",
        inspect("model", ["Linear(in_features=2, out_features=1, bias=True)", "Linear"]),
        inspect("model.forward", ["input"]),
        inspect("opt.step", ["closure"]),
        inspect("losses", ["[1.0, 0.5]", "list"]),
        inspect("nn.functional.mse_loss", ["input", "target", "reduction"]),
        inspect("len", ["obj"]),
    ]),
    ("nb23_double_question_mark", [
        "def f(x):\n    \"\"\"Doubles x.\"\"\"\n    return 2 * x",
        "f??",
        "?f",
        "f(3)",
    ]),
    ("nb23_loop_display_and_print_order", [
        "import torch\nfor k in range(2):\n    print('k', k)\n    display(torch.tensor(float(k)))\nprint('end')",
        "print('a'); display('b'); print('c')",
    ]),
    ("nb23_state_after_keyerror_in_loop", [
        "import torch\nstats = {'loss': []}\nfor step in range(4):\n    stats['loss'].append(torch.tensor(float(step)))\n    if step == 2:\n        stats['acc'].append(1)",
        "stats",
        "step",
        "len(stats['loss'])",
    ]),
    ("nb23_semicolon_display_and_none", [
        "import torch\nx = torch.ones(1)",
        "display(x);",
        "print(x);",
        "None;",
        "x.item();",
        "_",
    ]),
]

# what the tests run by default (GRADSH_SURFACES=full runs every session): the history sessions
# (first: the kernel's numbers), the kernel's requests, and the cells behind the round's fixes
SAMPLE = [
    "nb23_underscore_chain", "nb23_complete_dict_keys", "nb23_complete_nested_items",
    "nb23_inspect_requests", "nb23_warnings_per_location", "nb23_help_own_function",
    "nb23_import_inside_blocks", "nb23_raise_from_none_and_notes",
]

# cells that differ from Python on purpose on both surfaces (the same index among the typed
# cells: these sessions have no requests), by gradsh's language: tests/kernel and tests/cli
# list them in their KNOWN
_ASCII = ("identifiers are ASCII in gradsh's language (a SyntaxError naming the letter, "
          "docs/language.md): `α = 0.5` runs in Python")
LANGUAGE_KNOWN = {
    ("nb23_unicode_names", 0): _ASCII,
    ("nb23_unicode_names", 1): _ASCII,
    ("nb23_unicode_names", 2): _ASCII,
    ("nb23_unicode_names", 3): _ASCII,
    ("nb23_import_inside_blocks", 2): "an import gradsh does not offer is refused before the cell "
                                      "runs, as an ImportError naming the modules it offers "
                                      "(docs/language.md): `try: import scipy_not_there` cannot "
                                      "catch it, where Python raises ModuleNotFoundError there",
}
