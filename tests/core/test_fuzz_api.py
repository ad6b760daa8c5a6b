"""The torch API under random argument types (issue 16): every registered torch function,
torch.nn.functional function and Tensor method, called with random values of every kind a
program can make (numbers, strings, lists, None, dtypes, tensors of several dtypes and shapes),
raises only the errors a program is meant to see (TypeError, RuntimeError, ValueError,
IndexError, KeyError, ArithmeticError, NotImplementedError, gradsh's limits), or an
AttributeError about one of the arguments themselves, which the language reports as PyTorch's
"argument 'x' (position n) must be Tensor, not T" (runtime/tracing.py: misplaced_argument).
Anything else would reach a program as an internal error (exit 70).

A few seconds in the suite; a long run counts its calls:
GRADSH_FUZZ_CALLS=100000 pytest tests/core/test_fuzz_api.py -s
"""

import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradsh as torch
from gradsh.core import bindings
from gradsh.core.memory import set_max_memory
from gradsh.core.ops.registry import OPS
from gradsh.lang.runtime.limits import LimitError

CALLS = int(os.environ.get("GRADSH_FUZZ_CALLS", "0"))
EXAMPLES = max(CALLS, 150)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

USER_FACING = (TypeError, RuntimeError, ValueError, IndexError, KeyError, ArithmeticError,
               NotImplementedError, LimitError, MemoryError, AssertionError)
# ops that wait for input or change the process-wide state the other calls depend on
SKIP = {"set_default_dtype", "set_printoptions", "manual_seed", "seed", "set_rng_state",
        "set_grad_enabled", "use_deterministic_algorithms", "set_default_device"}


def _functions():
    out = {}
    for name, fn in bindings.TORCH_FUNCTIONS.items():
        out["torch." + name] = fn
    for name, fn in bindings.NN_FUNCTIONAL.items():
        out["F." + name] = fn
    for o in OPS:
        if o.method:
            out["Tensor." + o.name] = getattr(torch.Tensor, o.name)
    return {k: v for k, v in sorted(out.items()) if k.split(".")[-1] not in SKIP}


FUNCTIONS = _functions()
NAMES = list(FUNCTIONS)


def _tensor(kind, shape, grad):
    if kind == "float":
        t = torch.randn(*shape, requires_grad=grad)
    elif kind == "double":
        t = torch.randn(*shape, dtype=torch.float64)
    elif kind == "long":
        t = torch.arange(int(np.prod(shape, dtype=np.int64))).reshape(*shape) - 1
    else:
        t = torch.zeros(*shape, dtype=torch.bool)
    return t


tensors = st.builds(_tensor, st.sampled_from(["float", "double", "long", "bool"]),
                    st.lists(st.integers(0, 3), max_size=3).map(tuple), st.booleans())
scalars = st.one_of(st.integers(-3, 5), st.floats(-3, 3), st.just(float("nan")), st.booleans(),
                    st.none(), st.just(10 ** 30), st.just(-(2 ** 70)))
others = st.one_of(st.text(max_size=4), st.sampled_from([torch.float32, torch.int64,
                                                          torch.bool, "mean", "sum", "none"]))
leaves = st.one_of(tensors, scalars, others)
values = st.one_of(leaves, st.lists(st.one_of(tensors, scalars), max_size=3),
                   st.tuples(st.integers(-2, 3), st.integers(-2, 3)))
keywords = st.dictionaries(st.sampled_from(["dim", "dtype", "out", "keepdim", "input", "other",
                                            "reduction", "inplace", "p", "weight"]),
                           values, max_size=2)

calls = [0]
seen = {}


def _about_an_argument(exc, args, kwargs):
    obj = getattr(exc, "obj", None)
    for value in list(args) + list(kwargs.values()):
        if value is obj:
            return True
        if type(value) in (list, tuple) and any(item is obj for item in value):
            return True
    return False


@pytest.fixture(autouse=True)
def small_tensors():
    set_max_memory(64 << 20)
    yield
    set_max_memory(None)


@SETTINGS
@given(st.sampled_from(NAMES), st.lists(values, max_size=4), keywords)
def test_random_arguments_raise_only_user_facing_errors(name, args, kwargs):
    fn = FUNCTIONS[name]
    calls[0] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(*args, **kwargs)
        except USER_FACING:
            pass
        except AttributeError as e:
            if not _about_an_argument(e, args, kwargs):
                _found(name, e, args, kwargs)
        except Exception as e:  # noqa: B902 - the point: report what else escaped
            _found(name, e, args, kwargs)


def _found(name, exc, args, kwargs):
    """In the suite, a failure; in a long run (GRADSH_FUZZ_CALLS), collected and listed."""
    if not CALLS:
        raise exc
    seen.setdefault(name, "%r with %r %r" % (exc, args, kwargs))


def test_report_the_count(capsys):
    if CALLS:
        with capsys.disabled():
            print("\nAPI fuzzer: %d calls of %d functions; %d functions let other errors "
                  "escape:" % (calls[0], len(NAMES), len(seen)))
            for name, what in sorted(seen.items()):
                print("  %s: %s" % (name, what[:300]))
