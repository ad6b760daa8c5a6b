"""Branch adv8a (whole programs in the style of pytorch/examples and PyTorch's recipes, the
adv8a_* learner programs): each class of difference they found, as a short program run three
ways: by gradsh as a .grad program, by Python under `import gradsh as torch`, and by Python
with PyTorch itself (the oracle; skipped without it). contextlib is compared with CPython, and
its context managers are checked not to swallow gradsh's limits."""

import contextlib
import io
import linecache

import pytest

from .helpers import run_error, run_program, run_python


def run_as_python_with(source, module):
    """What Python prints for `source` with `import torch` meaning `module`."""
    source = source.replace("import torch\n", f"import {module} as torch\n", 1)
    filename = "<adv8a-%s>" % module
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, filename, "exec"), {"__name__": "__main__"})
    return out.getvalue()


LIKE_PYTORCH = {
    # copy.deepcopy of an nn.Parameter copies its data and requires_grad only: no .grad (a
    # deepcopy of a trained model starts without gradients; gradsh copied them, and a loop
    # accumulating into the copy's gradients summed the original's too) and no attributes; a
    # plain tensor's deepcopy keeps its .grad
    "deepcopy_of_a_parameter_leaves_its_grad": (
        "import copy\nimport torch\n"
        "p = torch.nn.Parameter(torch.ones(2))\np.grad = torch.full((2,), 3.)\n"
        "q = copy.deepcopy(p)\nprint(type(q).__name__, q.grad, q.requires_grad, q)\n"
        "print(copy.deepcopy(torch.nn.Parameter(torch.ones(1), requires_grad=False)))\n"
        "t = torch.ones(2, requires_grad=True)\n(t * 2).sum().backward()\n"
        "print(copy.deepcopy(t).grad)\n"
        "m = torch.nn.Linear(1, 1)\nm(torch.ones(1, 1)).sum().backward()\n"
        "m2 = copy.deepcopy(m)\nprint(m2.weight.grad, m2.bias.grad)\n"
        "shared = copy.deepcopy([p, p])\nprint(shared[0] is shared[1], shared[0] is p)\n"
        "class MyP(torch.nn.Parameter):\n    pass\n"
        "r = MyP(torch.ones(1))\nr.grad = torch.ones(1)\nc = copy.deepcopy(r)\n"
        "print(type(c).__name__, c.grad)\n"),
    # copy.copy of a tensor is PyTorch's new leaf on the same storage (gradsh copied the
    # values): writes show through, the flag and a Parameter's class stay, .grad does not
    "copy_of_a_tensor_shares_its_storage": (
        "import copy\nimport torch\n"
        "t = torch.ones(3)\nc = copy.copy(t)\nc[0] = 7\nprint(t, c.data_ptr() == t.data_ptr())\n"
        "v = torch.arange(6.)[2:4]\ncv = copy.copy(v)\n"
        "print(cv, cv.storage_offset(), cv.stride(), cv.data_ptr() == v.data_ptr())\n"
        "x = torch.ones(2, requires_grad=True) * 2\nx.retain_grad()\n"
        "cx = copy.copy(x)\nprint(cx.requires_grad, cx.is_leaf, cx.grad_fn)\n"
        "cx.sum().backward()\nprint(cx.grad, x.grad)\n"
        "p = torch.nn.Parameter(torch.ones(2))\np.grad = torch.ones(2)\n"
        "cp = copy.copy(p)\nprint(cp, cp.grad)\n"
        "lin = torch.nn.Linear(2, 2)\nprint(copy.copy(lin).weight is lin.weight)\n"),
    # Module.register_load_state_dict_post_hook (missing): each module's hooks after it and
    # its children are loaded (children's first), editing the incompatible keys in place
    # before strict loading checks them; a hook returning a value is PyTorch's AssertionError
    "load_state_dict_post_hooks": (
        "import torch\nfrom torch import nn\n"
        "m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1)))\n"
        "def drop(prefix):\n"
        "    def hook(module, keys):\n"
        "        print(type(module).__name__, sorted(keys.missing_keys), keys.unexpected_keys)\n"
        "        for k in [k for k in keys.missing_keys if k.startswith(prefix)]:\n"
        "            keys.missing_keys.remove(k)\n"
        "    return hook\n"
        "h1 = m.register_load_state_dict_post_hook(drop('1.'))\n"
        "h2 = m[1].register_load_state_dict_post_hook(drop('zz'))\n"
        "sd = {k: v for k, v in m.state_dict().items() if k.startswith('0.')}\n"
        "print(m.load_state_dict(sd))\n"
        "h1.remove()\n"
        "try:\n    m.load_state_dict(dict(sd, extra=torch.zeros(1)))\n"
        "except RuntimeError as e:\n    print('RuntimeError', e)\n"
        "h2.remove()\n"
        "m.register_load_state_dict_post_hook(lambda mod, keys: keys)\n"
        "try:\n    m.load_state_dict(m.state_dict())\n"
        "except AssertionError as e:\n    print('AssertionError', e)\n"),
    # `with torch.device(d):` makes d the default device of the factories inside and restores
    # the one before it (the "Changing default device" recipe); gradsh's device had no
    # context-manager protocol
    "device_as_a_context_manager": (
        "import torch\n"
        "with torch.device('cpu') as d:\n"
        "    print(d, torch.get_default_device(), torch.zeros(1).device)\n"
        "    m = torch.nn.Linear(1, 1)\n"
        "print(torch.get_default_device(), m.weight.device)\n"
        "with torch.device('cpu'):\n    with torch.device('cpu', 0):\n"
        "        print(torch.get_default_device())\n"
        "    print(torch.get_default_device())\n"
        "try:\n    with torch.device('cpu'):\n        raise KeyError('k')\n"
        "except KeyError as e:\n    print('KeyError', e, torch.get_default_device())\n"),
    # torch.set_rng_state / Generator.set_state refuse a state of another dtype than uint8
    # with PyTorch's TypeError (gradsh converted a float tensor to bytes first and then
    # complained of its size), and a non-tensor with PyTorch's words
    "rng_state_of_another_dtype_is_a_type_error": (
        "import torch\n"
        "g = torch.Generator()\n"
        "for bad in [torch.zeros(3), torch.zeros(3, dtype=torch.uint8),\n"
        "            torch.zeros(5056, dtype=torch.int8), [1, 2], torch.zeros(5056)]:\n"
        "    for f in (torch.set_rng_state, g.set_state):\n"
        "        try:\n            f(bad)\n"
        "        except (TypeError, RuntimeError) as e:\n"
        "            print(type(e).__name__, e)\n"
        "s = torch.get_rng_state()\na = torch.rand(2)\ntorch.set_rng_state(s)\n"
        "print(torch.equal(a, torch.rand(2)))\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTORCH))
def test_prints_what_pytorch_prints(name):
    pytest.importorskip("torch", reason="PyTorch is the oracle of these programs")
    source = LIKE_PYTORCH[name]
    expected = run_as_python_with(source, "torch")
    assert run_program(source) == expected
    assert run_as_python_with(source, "gradsh") == expected


SAME_AS_PYTHON = {
    # contextlib (importable since adv8a): contextmanager on a program's generator functions,
    # nullcontext, suppress, ExitStack (enter_context, callback, push, pop_all, close)
    "contextlib_managers": (
        "import contextlib\n"
        "@contextlib.contextmanager\n"
        "def tag(name, log):\n"
        "    log.append('enter ' + name)\n"
        "    try:\n        yield name.upper()\n"
        "    finally:\n        log.append('exit ' + name)\n"
        "log = []\n"
        "with tag('a', log) as t:\n    log.append(t)\n"
        "try:\n    with tag('b', log):\n        raise ValueError('v')\n"
        "except ValueError as e:\n    log.append('caught ' + str(e))\n"
        "print(log)\n"
        "with contextlib.nullcontext(5) as n:\n    print(n)\n"
        "with contextlib.suppress(KeyError, IndexError):\n    [][1]\n"
        "print('after suppress')\n"
        "with contextlib.ExitStack() as st:\n"
        "    print(st.enter_context(tag('c', log)))\n"
        "    st.callback(print, 'callback')\n"
        "    st.push(lambda *exc: print('push', exc[0]))\n"
        "print(log[-2:])\n"
        "st = contextlib.ExitStack()\nst.callback(print, 'moved')\n"
        "moved = st.pop_all()\nst.close()\nmoved.close()\n"
        "@contextlib.contextmanager\ndef never():\n    if False:\n        yield\n"
        "try:\n    with never():\n        pass\nexcept RuntimeError as e:\n    print(e)\n"
        "print(type(contextlib.nullcontext()).__name__, type(never()).__name__,\n"
        "      type(contextlib.ExitStack()).__name__, type(contextlib.suppress()).__name__)\n"),
    # typing.NamedTuple (importable since adv8a): a class statement's annotated fields with
    # defaults and methods, a subclass, the functional form; instances are tuples
    "typing_named_tuple": (
        "from typing import NamedTuple, Optional\n"
        "class Point(NamedTuple):\n"
        "    x: int\n    y: int = 0\n    label: Optional[str] = None\n"
        "    def norm1(self):\n        return abs(self.x) + abs(self.y)\n"
        "    def __str__(self):\n        return 'P(%d, %d)' % (self.x, self.y)\n"
        "p = Point(3, -4)\n"
        "print(p, repr(p), p.norm1(), p._fields, p._asdict(), p._replace(y=1), Point._make([1, 2, 'a']))\n"
        "print(isinstance(p, tuple), p == (3, -4, None), len(p), p[1], list(p), hash(p) == hash((3, -4, None)))\n"
        "x, y, _ = p\nprint(x, y, Point._field_defaults)\n"
        "class Point3(Point):\n    def scaled(self, k):\n        return Point3(self.x * k, self.y * k)\n"
        "print(Point3(1, 2).scaled(3), type(Point3(1)).__name__)\n"
        "Pair = NamedTuple('Pair', [('a', int), ('b', float)])\n"
        "print(Pair(1, 2.5), Pair._fields)\n"
        "for bad in [lambda: Point(), lambda: Point(1, 2, 3, 4), lambda: Point(1, z=2)]:\n"
        "    try:\n        bad()\n    except TypeError as e:\n        print('TypeError', e)\n"),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_PYTHON))
def test_prints_what_python_prints(name):
    assert run_program(SAME_AS_PYTHON[name]) == run_python(SAME_AS_PYTHON[name])


RUNAWAY = "    s = 'a'\n    while True:\n        s = s + s\n"
SWALLOWERS = {
    "suppress_base_exception": "with contextlib.suppress(BaseException):\n" + RUNAWAY,
    "generator_catching_everything": (
        "@contextlib.contextmanager\ndef swallow():\n    try:\n        yield\n"
        "    except BaseException:\n        pass\n"
        "with swallow():\n" + RUNAWAY),
    "exit_stack_pushed_true": (
        "class Bad:\n    def __enter__(self):\n        return self\n"
        "    def __exit__(self, *a):\n        return True\n"
        "with contextlib.ExitStack() as st:\n    st.enter_context(Bad())\n"
        "    st.push(lambda *a: True)\n" + RUNAWAY),
}


@pytest.mark.parametrize("name", sorted(SWALLOWERS))
def test_contextlib_never_swallows_gradshs_limits(name):
    error, out = run_error("import contextlib\n" + SWALLOWERS[name] + "print('escaped')\n")
    assert error.kind == "LimitError" and "escaped" not in out


def test_named_tuples_nest_within_the_depth_limit():
    error, _ = run_error("from typing import NamedTuple\nclass P(NamedTuple):\n    a: object\n"
                         "p = None\nwhile True:\n    p = P(p)\n")
    assert error.kind == "LimitError"
    error, _ = run_error("from typing import NamedTuple\nclass P(NamedTuple, Exception):\n"
                         "    a: int\n")
    assert error.kind == "TypeError"


def test_contextlib_hides_its_objects_insides():
    error, _ = run_error("import contextlib\n@contextlib.contextmanager\ndef f():\n    yield\n"
                         "f().gen\n")
    assert error.kind == "AttributeError"
    error, _ = run_error("import contextlib\ncontextlib.ExitStack()._exit_callbacks\n")
    assert error.kind == "AttributeError"
