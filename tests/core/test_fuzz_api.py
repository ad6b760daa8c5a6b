"""The torch API under random argument types (issue 16): every public torch function (torch.*,
torch.nn.functional, torch.linalg, torch.autograd, ...), every class a program can construct
(nn modules, optimisers, autograd.Function, graph.Node...) and a public method of the object
made, every Tensor method and operator, and every Tensor attribute a program may assign, called
with random values of every kind a program can make (tensors of several dtypes, shapes and
autograd states, numbers, strings, lists, None, dtypes, modules, functions, nested values, and
instances of a program's classes whose special methods return odd things, raise or recurse,
a program's numpy arrays and numbers). `import numpy` is covered too: every function of the
namespace a program imports (numpy.*, numpy.random.*), and every method of its arrays, numbers
and `default_rng` generators, with numpy values among the arguments (issue 16, round 14).

What a program would see is judged as the language judges it: the exception goes through
runtime/tracing.py's `convert`, called from a registered "program" frame, and must not become an
InternalError (exit 70): PyTorch's TypeError, RuntimeError, ValueError, IndexError... (exit 1).
What can be reached is what the language's attribute gate hands a program.

In the suite every target is called a few times (seconds); a long run counts its calls and
lists what escaped instead of stopping at the first:
GRADSH_FUZZ_CALLS=100000 GRADSH_FUZZ_SEED=1 pytest tests/core/test_fuzz_api.py -s
"""

import contextlib
import inspect
import io
import os
import random
import signal
import warnings

import pytest

import gradsh as torch
from gradsh.core.memory import set_max_memory
from gradsh.lang.errors import InternalError
from gradsh.lang.runtime.namespaces import Namespace, Provider
from gradsh.lang.runtime.numpymodule import numpy_namespace
from gradsh.lang.runtime.sandbox import TENSOR_SETTABLE, Gate
from gradsh.lang.runtime.session import Session
from gradsh.lang.runtime.tracing import convert

CALLS = int(os.environ.get("GRADSH_FUZZ_CALLS", "0"))
SEED = int(os.environ.get("GRADSH_FUZZ_SEED", "0"))
ROUNDS_IN_SUITE = 2  # random argument lists per target in the suite
SECONDS_PER_CALL = 10  # of CPU time (a loaded machine makes no hang): longer is a hang

# functions that change the process-wide state the other calls rely on, or wait for input
SKIP = {"set_default_dtype", "set_printoptions", "manual_seed", "seed", "set_rng_state",
        "set_grad_enabled", "use_deterministic_algorithms", "set_default_device",
        "set_default_tensor_type", "set_detect_anomaly", "set_flush_denormal",
        "set_num_threads", "set_num_interop_threads", "initial_seed", "set_warn_always",
        "enter_dual_level",
        # hooks on every module's calls (torch.nn.modules.module): one left registered with a
        # random value would run in every later module call
        "register_module_forward_pre_hook", "register_module_forward_hook",
        "register_module_full_backward_hook", "register_module_full_backward_pre_hook"}
# Tensor operators a program reaches through Python syntax (`t + x`, `t[x]`, `t[x] = y`)
OPERATORS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
             "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__pow__", "__rpow__",
             "__matmul__", "__rmatmul__", "__and__", "__or__", "__xor__", "__lshift__",
             "__rshift__", "__neg__", "__abs__", "__invert__", "__lt__", "__le__", "__gt__",
             "__ge__", "__eq__", "__ne__", "__getitem__", "__setitem__", "__iadd__", "__imul__",
             "__isub__", "__itruediv__", "__ipow__", "__len__", "__iter__", "__bool__",
             "__float__", "__int__", "__index__", "__contains__", "__format__", "__repr__",
             "__hash__", "__array__", "__reversed__", "__round__")

PROVIDER = Provider()
GATE = Gate(PROVIDER)

# the "program" that makes each call: its frame is what tracing.py locates errors in
_PROGRAM = ("def call(fn, args, kwargs):\n"
            "    return fn(*args, **kwargs)\n"
            "def store(obj, name, value):\n"
            "    setattr(obj, name, value)\n"
            "def load(obj, name):\n"
            "    return getattr(obj, name)\n"
            # what a program does with what a call made (issue 16, round 15): a dataset, sampler
            # or DataLoader is iterated, measured and indexed; torch.func's transforms and
            # other returned callables are called
            "def take(obj, n):\n"
            "    out = []\n"
            "    for item in obj:\n"
            "        out.append(item)\n"
            "        if len(out) >= n:\n"
            "            break\n"
            "    return out\n"
            "def size(obj):\n"
            "    return len(obj)\n"
            "def item(obj, key):\n"
            "    return obj[key]\n")
# Instances of a program's classes whose special methods return odd things, raise or recurse
# (issue 16, round 4): made by gradsh itself from a program, so they are what a program hands
# the API; their methods' frames are the program's (the session's registry judges them).
_ODD_CLASSES = """
class HugeLen:
    def __len__(self):
        return 10 ** 12
    def __getitem__(self, i):
        return i
class NegativeLen:
    def __len__(self):
        return -1
class HugeIndex:
    def __index__(self):
        return 10 ** 30
    def __int__(self):
        return 10 ** 30
    def __float__(self):
        return 1e308
class Endless:
    def __iter__(self):
        return self
    def __next__(self):
        return 1
class IterNotIterator:
    def __iter__(self):
        return 5
class Liar:
    def __eq__(self, other):
        return torch.ones(2)
    def __hash__(self):
        raise ValueError('no hash')
    def __bool__(self):
        return 'yes'
    def __float__(self):
        return 'x'
    def __index__(self):
        return 'i'
    def __repr__(self):
        return 5
    def __len__(self):
        return 'n'
class Anything:
    def __getattr__(self, name):
        return self
    def __call__(self, *args, **kwargs):
        return self
class Recursing:
    def __repr__(self):
        return repr(self)
    def __len__(self):
        return len(self)
    def __iter__(self):
        return iter(self)
    def __float__(self):
        return float(self)
class Raising:
    def __getitem__(self, i):
        raise KeyError(i)
    def __len__(self):
        return 2
    def __index__(self):
        raise RuntimeError('no index')
class Loop(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(2))
        self.me = torch.nn.ModuleList([torch.nn.ReLU()])
    def forward(self, *args):
        return self(*args)
class Wrapper(torch.Tensor):
    pass
odd = [HugeLen(), NegativeLen(), HugeIndex(), Endless(), IterNotIterator(), Liar(), Anything(),
       Recursing(), Raising(), Loop(), Wrapper([1.0, 2.0]), [Liar(), Anything()], (HugeIndex(),)]
"""
_SESSION = Session(stdout=io.StringIO(), stderr=io.StringIO(), provider=PROVIDER)
_SESSION.run(_ODD_CLASSES, "odd.grad")
ODD = _SESSION.globals["odd"]
REGISTRY = _SESSION._registry  # the odd classes' methods are program frames, as call's below
_code = compile(_PROGRAM, "fuzz.grad", "exec")
REGISTRY.add(_code, _PROGRAM.splitlines())
_scope = {}
exec(_code, _scope)  # noqa: S102 - the test's own fixed text
call, store, load = _scope["call"], _scope["store"], _scope["load"]
take, size, item = _scope["take"], _scope["size"], _scope["item"]


# ---------------------------------------------------------------- targets

def _walk(ns, out, depth=0, seen=None):
    """{name: callable} of a namespace and its sub-namespaces; a class's own public callables
    (`Function.apply`) too, each function object once (nn modules share Module's methods)."""
    seen = set() if seen is None else seen
    for name in ns.names():
        try:
            value = ns.get(name)
        except AttributeError:
            continue
        full = ns.name + "." + name
        if isinstance(value, Namespace):
            if depth < 4:
                _walk(value, out, depth + 1, seen)
        elif callable(value) and name not in SKIP:
            out[full] = value
            if isinstance(value, type):  # `Function.apply(1)`, `nn.Linear.forward(1)`
                for attr in dir(value):
                    member = getattr(value, attr, None)
                    key = getattr(member, "__func__", member)
                    if not attr.startswith("_") and callable(member) and key not in seen \
                            and GATE.allows(value, attr) and not isinstance(member, type):
                        seen.add(key)
                        out[full + "." + attr] = member


NUMPY = numpy_namespace()  # what `import numpy` gives a program (one per session)
_NP = {name: NUMPY.get(name) for name in ("array", "ones", "arange", "float32", "int64", "bool_",
                                          "float64")}


def _np_receivers():
    """One of each kind of numpy value a program holds, with the names the gate offers on it."""
    samples = [_NP["ones"]((2, 3)), _NP["float64"](1.5), NUMPY.get("random").get("default_rng")(0)]
    return {type(v).__name__: (v, sorted(n for n in dir(v) if not n.startswith("_")
                                         and GATE.allows(v, n) and callable(getattr(v, n))))
            for v in samples}


def _targets():
    functions = {}
    _walk(PROVIDER.torch, functions)
    _walk(NUMPY, functions)
    sample = torch.ones(2, requires_grad=True)
    methods = sorted({n for n in dir(torch.Tensor)
                      if GATE.allows(sample, n) and n not in SKIP} | set(OPERATORS))
    numpy_methods = ["%s.%s" % (kind, n) for kind, (_, names) in _np_receivers().items()
                     for n in names]
    return functions, methods, numpy_methods


FUNCTIONS, METHODS, NUMPY_METHODS = _targets()
TARGETS = (["fn:" + n for n in sorted(FUNCTIONS)] + ["method:" + n for n in METHODS]
           + ["store:" + n for n in sorted(TENSOR_SETTABLE)]
           + ["npmethod:" + n for n in NUMPY_METHODS])


# ---------------------------------------------------------------- random values

_SHAPES = [(), (0,), (1,), (2,), (3,), (2, 2), (2, 3), (3, 2), (1, 2, 2), (2, 1, 3), (2, 2, 2, 2)]
_STRINGS = ["", "a", "mean", "sum", "none", "i,i->", "ij,jk->ik", "fro", "nuc", "cpu", "cuda",
            "float32", "relu", "linear", "reflect", "zeros", "ortho", "xyz" * 3,
            "O", "OO->O", "F", "unsafe", "U10", "V8", "quicksort"]  # numpy's dtypes, orders...
_NUMBERS = [0, 1, -1, 2, 3, -3, 7, 0.5, -0.0, 1.5, float("nan"), float("inf"), -float("inf"),
            True, False, 10 ** 30, -(2 ** 70), 2 ** 63, 2 ** 31, 1e308, 1e-320]


def _tensor(r):
    shape = r.choice(_SHAPES)
    kind = r.randrange(9)
    n = 1
    for s in shape:
        n *= s
    if kind == 0:
        return torch.arange(n).reshape(shape) - 1
    if kind == 1:
        return torch.zeros(shape, dtype=torch.bool) | (torch.arange(n).reshape(shape) % 2 == 0)
    if kind == 2:
        return torch.randn(shape, dtype=torch.float64)
    if kind == 3:
        return torch.randn(shape, requires_grad=True)
    if kind == 4:
        return torch.randn(shape, requires_grad=True) * 2  # a non-leaf with a grad_fn
    if kind == 5:
        return torch.tensor(r.choice([float("nan"), float("inf"), 0.0, -1.0])).expand(shape) \
            if shape else torch.tensor(float("nan"))
    if kind == 6:
        return torch.randn(shape).to(r.choice([torch.int8, torch.uint8, torch.int32,
                                               torch.float16, torch.int16]))
    if kind == 8:  # big but cheap (an expanded number): ops whose work outgrows their data
        return torch.tensor(r.choice([1.0, -0.5, 3.0])).expand(
            r.choice([(3000, 3000), (1, 10 ** 6), (10 ** 6, 1), (64, 64, 64), (2000, 1, 2000)]))
    base = torch.randn((3,) + shape, requires_grad=True) * 1
    return base[1]  # a view


def _numpy_value(r):
    """A program's numpy array or number (of each dtype a program may name, odd values too)."""
    kind = r.randrange(6)
    if kind == 0:
        return _NP["ones"](r.choice(_SHAPES), dtype=r.choice(["float32", "int64", "bool"]))
    if kind == 1:
        return _NP["arange"](6.0).reshape(2, 3)[::-1] if r.random() < 0.5 else \
            _NP["arange"](6).reshape(3, 2).T  # views with negative and transposed strides
    if kind == 2:
        return _NP["array"]([float("nan"), float("inf"), -1.0, 0.0])
    if kind == 3:
        return _NP["array"](r.choice(_NUMBERS[:13]))  # 0-d
    if kind == 4:
        return r.choice([_NP["float32"](2.5), _NP["int64"](-3), _NP["bool_"](True),
                         _NP["float64"](float("nan"))])
    return torch.ones(r.choice(_SHAPES)).numpy()  # sharing a tensor's memory


def _leaf(r):
    kind = r.randrange(12)
    if kind < 4:
        return _tensor(r)
    if kind < 6:
        return r.choice(_NUMBERS)
    if kind == 6:
        return r.choice(_STRINGS)
    if kind == 7:
        return r.choice([None, torch.float32, torch.int64, torch.bool, torch.float64,
                         torch.Size([2, 2]), Ellipsis, slice(0, 1), torch.device("cpu")])
    if kind == 8:
        return r.choice([lambda *a, **k: None, lambda *a, **k: a[0] if a else 1,
                         lambda *a, **k: 5, torch.nn.Linear(2, 2), torch.nn.ReLU(),
                         torch.relu, print])
    if kind == 9:
        return {r.choice(_STRINGS): r.choice(_NUMBERS)}
    if kind == 10:
        return _numpy_value(r)
    return r.choice(ODD)


def value(r, depth=0):
    if depth < 2 and r.random() < 0.25:
        items = [value(r, depth + 1) for _ in range(r.randrange(4))]
        return items if r.random() < 0.5 else tuple(items)
    if r.random() < 0.1:
        return r.randrange(-2, 4), r.randrange(-2, 4)
    return _leaf(r)


def _parameter_names(fn):
    try:
        return [p for p in inspect.signature(fn).parameters if p not in ("self", "args",
                                                                          "kwargs")]
    except (TypeError, ValueError):
        return []


_KEYWORDS = ["dim", "dtype", "out", "keepdim", "input", "other", "reduction", "inplace", "p",
             "weight", "bias", "requires_grad", "size", "alpha", "retain_graph", "create_graph",
             "inputs", "grad_outputs", "allow_unused", "generator", "memory_format",
             "axis", "order", "casting", "signature", "where", "initial", "ddof", "endpoint",
             "replace", "shape"]


def arguments(r, fn):
    names = _parameter_names(fn)
    args = [value(r) for _ in range(r.randrange(max(len(names), 1) + 2))]
    kwargs = {}
    for _ in range(r.choice([0, 0, 1, 2])):
        kwargs[r.choice(names + _KEYWORDS if names else _KEYWORDS)] = value(r)
    return args, kwargs


# ---------------------------------------------------------------- one call, judged

class Hang(BaseException):
    """A call that ran longer than SECONDS_PER_CALL."""


def _alarm(signum, frame):
    raise Hang()


def _instance_method(r, obj):
    names = [n for n in dir(obj) if not n.startswith("_") and GATE.allows(obj, n)]
    methods = []
    for n in names:
        try:
            attr = getattr(obj, n)
        except Exception:  # noqa: B902 - a property refusing: a program sees that error
            continue
        if callable(attr):
            methods.append(attr)
    return r.choice(methods) if methods else None


def _np_receiver(r, kind):
    if kind == "ndarray":
        value = _numpy_value(r)
        return value if type(value).__name__ == "ndarray" else _NP["ones"](3)
    if kind == "Generator":
        return NUMPY.get("random").get("default_rng")(r.randrange(5))
    return r.choice([_NP["float64"](1.5), _NP["float32"](float("nan")), _NP["int64"](7)])


def _use(r, made, made_with):
    """Use a value a call made as a program would: call it with random arguments (a function
    torch.func.grad or vmap returned, a module), iterate it (a dataset, a sampler, a
    DataLoader), take its length or an item."""
    if made is None or isinstance(made, (torch.Tensor, str, int, float, bool, type)):
        return
    way = r.randrange(4)
    if way == 0 and callable(made):
        args, kwargs = arguments(r, made)
        made_with.append(("call what was made", args, kwargs))
        call(made, args, kwargs)
    elif way == 1 and hasattr(made, "__iter__"):
        made_with.append(("iterate what was made",))
        take(made, r.choice([1, 3]))
    elif way == 2 and hasattr(made, "__len__"):
        made_with.append(("len of what was made",))
        size(made)
    elif way == 3 and hasattr(made, "__getitem__"):
        key = r.choice([0, -1, 10 ** 30, value(r)])
        made_with.append(("item of what was made", key))
        item(made, key)


USED = ("torch.utils.data.", "torch.func.", "torch.vmap")  # the surfaces whose results are used


def _plausible_first(r, name):
    """A first argument these surfaces take (a dataset, a function of tensors), so that what
    they make is often made and then used: random values alone rarely build a DataLoader."""
    if name.startswith("torch.utils.data."):
        return r.choice([torch.utils.data.TensorDataset(torch.arange(6.0), torch.ones(6)),
                         [1, 2, 3], range(5), [torch.ones(2), torch.zeros(2)],
                         [{"a": torch.ones(1), "b": [1, (2, "x")]}] * 3, torch.ones(4),
                         [0.5, 0.0, 2.0], ODD[r.randrange(len(ODD))]])
    return r.choice([torch.sin, torch.sum, lambda x, *rest: (x * 2).sum(),
                     lambda *xs: tuple(xs), torch.nn.Linear(2, 2), ODD[r.randrange(len(ODD))]])


def run_target(r, target, made_with):
    """Call `target` once with random arguments (each call's are appended to `made_with`); the
    exception that would be an internal error, or None."""
    kind, name = target.split(":", 1)
    try:
        if kind == "fn":
            fn = FUNCTIONS[name]
            args, kwargs = arguments(r, fn)
            if name.startswith(USED) and r.random() < 0.6:
                args = [_plausible_first(r, name)] + args[1:]
            made_with.append((name, args, kwargs))
            made = call(fn, args, kwargs)
            if name.startswith(USED) and r.random() < 0.7:
                _use(r, made, made_with)
            elif isinstance(fn, type) and made is not None and r.random() < 0.7:
                method = _instance_method(r, made)
                if method is not None:
                    args, kwargs = arguments(r, method)
                    # (a callable object, Transform.inv, has no __name__)
                    made_with.append((getattr(method, "__name__", type(method).__name__),
                                      args, kwargs))
                    call(method, args, kwargs)
        elif kind == "npmethod":
            receiver = _np_receiver(r, name.split(".")[0])
            method = load(receiver, name.split(".")[1])
            if callable(method):
                args, kwargs = arguments(r, method)
                made_with.append((receiver, name, args, kwargs))
                call(method, args, kwargs)
        elif kind == "method":
            receiver = _tensor(r)
            method = load(receiver, name)
            args, kwargs = arguments(r, method)
            made_with.append((receiver, name, args, kwargs))
            call(method, args, kwargs)
        else:
            receiver, new = _tensor(r), value(r)
            made_with.append((receiver, name, new))
            store(receiver, name, new)
    except Hang:
        raise
    except BaseException as exc:  # noqa: B902 - judged as the language judges it
        error = convert(exc, REGISTRY, None, PROVIDER.argument_types)
        if isinstance(error, InternalError) or not isinstance(exc, Exception):
            return exc
    return None


@contextlib.contextmanager
def quiet_and_bounded():
    """No warnings or prints from the calls, tensors within 64 MiB, and a clock on each call."""
    old = signal.signal(signal.SIGPROF, _alarm)
    set_max_memory(64 << 20)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            set_max_memory(None)
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, old)


def _timed(r, target):
    """(the exception that would be an internal error or a Hang, or None; the calls made)"""
    made_with = []
    signal.setitimer(signal.ITIMER_PROF, SECONDS_PER_CALL)
    try:
        try:
            return run_target(r, target, made_with), made_with
        except Hang as h:
            return h, made_with
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except Hang as h:  # the timer ran out as it was being stopped: the call took its time
        return h, made_with


def _shown(made_with):
    try:
        return repr(made_with)[:400]
    except Exception as e:  # noqa: B902 - a value whose repr fails: say so
        return "<arguments whose repr fails: %r>" % e


@pytest.mark.skipif(bool(CALLS), reason="the long run (GRADSH_FUZZ_CALLS) is the other test")
@pytest.mark.parametrize("chunk", range(8))
def test_every_target_with_random_arguments_fails_only_as_a_program_error(chunk):
    r = random.Random(chunk)
    found = []
    try:
        with quiet_and_bounded():
            for target in TARGETS[chunk::8]:
                for _ in range(ROUNDS_IN_SUITE):
                    exc, made_with = _timed(r, target)
                    if exc is not None:
                        found.append("%s: %r with %s" % (target, exc, _shown(made_with)))
    finally:
        _leave_dual_level()
    assert not found, "\n".join(found)


def _leave_dual_level():
    """A `dual_level()` object entered by a random call (its __enter__ is a public method) would
    leave forward-mode AD on for the tests that run after this one."""
    from gradsh.autograd import forward_ad
    if forward_ad._level[0] is not None:
        forward_ad.exit_dual_level()


@pytest.mark.skipif(not CALLS, reason="set GRADSH_FUZZ_CALLS for the long run")
def test_long_run_counts_its_calls():
    r = random.Random(SEED)
    seen = {}
    with quiet_and_bounded():
        for _ in range(CALLS):
            target = r.choice(TARGETS)
            exc, made_with = _timed(r, target)
            if exc is not None and target not in seen:
                seen[target] = "%r with %s" % (exc, _shown(made_with))
    print("\nAPI fuzzer: %d calls over %d targets (seed %d); %d targets let an internal error "
          "escape:" % (CALLS, len(TARGETS), SEED, len(seen)))
    for target, what in sorted(seen.items()):
        print("  %s: %s" % (target, what))
    assert not seen


def test_the_targets_cover_the_api():
    assert {"fn:torch.zeros_like", "fn:torch.nn.functional.relu", "fn:torch.nn.Linear",
            "fn:torch.autograd.Function.apply",
            "fn:torch.autograd.graph.Node", "method:view_as", "method:type", "method:backward",
            "method:__getitem__", "store:grad", "fn:numpy.power", "fn:numpy.random.normal",
            "fn:numpy.random.default_rng", "npmethod:ndarray.reshape",
            "npmethod:Generator.integers",
            "fn:torch.distributions.Normal", "fn:torch.amp.GradScaler.update",
            "fn:torch.autocast"} <= set(TARGETS)
    # (a function object is a target once, under the first class that has it: LazyLinear's
    # forward is Linear's)
    assert FUNCTIONS.get("torch.nn.Linear.forward", FUNCTIONS.get(
        "torch.nn.LazyLinear.forward")) is PROVIDER.torch.get("nn").get("Linear").forward
    assert len(TARGETS) > 600
