"""PyTorch's refusal of a tensor in a number slot (issue 15, "number slots").

PyTorch's argument parser (python_arg_parser.cpp) takes a 0-d tensor without requires_grad for
a Scalar or float parameter and refuses one that requires grad, and any tensor of one dimension
or more: `torch.full((2,), w)` with `w` requiring grad is "full(): argument 'fill_value'
(position 2) must be Number, not Tensor". gradsh's functions read such a value as a number
(float(t) takes a tensor of one element), so they would run the call. `guard` gives each
function whose PyTorch signatures have such a slot (SLOTS, generated from signatures.txt by
tools/update_number_slots.py) a wrapper that asks PyTorch's full parse (argcheck.refusal) when
a tensor of that kind sits in a slot, and raises its TypeError. The wrapper costs a call and a
length test; the ops of the hot paths (operators, and methods without a number slot such as
mul, pow, sum) are not wrapped.
"""

import types

from . import argcheck
from .tensor import Tensor

# generated: python tools/update_number_slots.py (do not edit)
# surface.name -> (positions of number slots in PyTorch's signatures, their keyword names, the
# positions and keywords among them that take a number only)
SLOTS = {
    # --- begin SLOTS ---
    'F.cosine_similarity': ((3,), ('eps',), (3,), ('eps',)),
    'F.pairwise_distance': ((2, 3), ('eps', 'p'), (2, 3), ('eps', 'p')),
    'F.softplus': ((1, 2), ('beta', 'threshold'), (1, 2), ('beta', 'threshold')),
    'Tensor.add': ((), ('alpha',), (), ('alpha',)),
    'Tensor.add_': ((), ('alpha',), (), ('alpha',)),
    'Tensor.addmm': ((), ('alpha', 'beta'), (), ('alpha', 'beta')),
    'Tensor.allclose': ((1, 2), ('atol', 'rtol'), (1, 2), ('atol', 'rtol')),
    'Tensor.clamp': ((0, 1), ('max', 'min'), (), ()),
    'Tensor.clamp_': ((0, 1), ('max', 'min'), (), ()),
    'Tensor.clip': ((0, 1), ('max', 'min'), (), ()),
    'Tensor.clip_': ((0, 1), ('max', 'min'), (), ()),
    'Tensor.exponential_': ((0,), ('lambd',), (0,), ('lambd',)),
    'Tensor.histc': ((1, 2), ('max', 'min'), (1, 2), ('max', 'min')),
    'Tensor.index_add': ((), ('alpha',), (), ('alpha',)),
    'Tensor.index_add_': ((), ('alpha',), (), ('alpha',)),
    'Tensor.isclose': ((1, 2), ('atol', 'rtol'), (1, 2), ('atol', 'rtol')),
    'Tensor.logit': ((0,), ('eps',), (0,), ('eps',)),
    'Tensor.logit_': ((0,), ('eps',), (0,), ('eps',)),
    'Tensor.nan_to_num': (
        (0, 1, 2), ('nan', 'neginf', 'posinf'), (0, 1, 2), ('nan', 'neginf', 'posinf')),
    'Tensor.nan_to_num_': (
        (0, 1, 2), ('nan', 'neginf', 'posinf'), (0, 1, 2), ('nan', 'neginf', 'posinf')),
    'Tensor.new_full': ((1,), ('fill_value',), (1,), ('fill_value',)),
    'Tensor.normal_': ((0, 1), ('mean', 'std'), (0, 1), ('mean', 'std')),
    'Tensor.pinverse': ((0,), ('rcond',), (0,), ('rcond',)),
    'Tensor.scatter': ((), ('value',), (), ('value',)),
    'Tensor.scatter_': ((), ('value',), (), ('value',)),
    'Tensor.std': ((), ('correction',), (), ('correction',)),
    'Tensor.sub': ((), ('alpha',), (), ('alpha',)),
    'Tensor.sub_': ((), ('alpha',), (), ('alpha',)),
    'Tensor.subtract': ((0, 1), ('alpha', 'other'), (1,), ('alpha',)),
    'Tensor.subtract_': ((0, 1), ('alpha', 'other'), (1,), ('alpha',)),
    'Tensor.uniform_': ((0, 1), ('from', 'to'), (0, 1), ('from', 'to')),
    'Tensor.var': ((), ('correction',), (), ('correction',)),
    'linalg.cond': ((1,), ('p',), (1,), ('p',)),
    'linalg.lstsq': ((2,), ('rcond',), (2,), ('rcond',)),
    'linalg.matrix_norm': ((1,), ('ord',), (1,), ('ord',)),
    'linalg.matrix_rank': ((1,), ('atol', 'rtol', 'tol'), (), ()),
    'linalg.norm': ((1,), ('ord',), (1,), ('ord',)),
    'linalg.pinv': ((1,), ('atol', 'rcond', 'rtol'), (), ()),
    'linalg.vector_norm': ((1,), ('ord',), (1,), ('ord',)),
    'torch.add': ((), ('alpha',), (), ('alpha',)),
    'torch.addmm': ((), ('alpha', 'beta'), (), ('alpha', 'beta')),
    'torch.allclose': ((2, 3), ('atol', 'rtol'), (2, 3), ('atol', 'rtol')),
    'torch.arange': ((0, 1, 2), ('end', 'start', 'step'), (0, 1, 2), ('end', 'start', 'step')),
    'torch.bernoulli': ((1,), ('p',), (1,), ('p',)),
    'torch.bitwise_and': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.bitwise_left_shift': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.bitwise_or': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.bitwise_right_shift': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.bitwise_xor': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.bucketize': ((), ('self',), (), ('self',)),
    'torch.clamp': ((1, 2), ('max', 'min'), (), ()),
    'torch.clip': ((1, 2), ('max', 'min'), (), ()),
    'torch.constant_pad_nd': ((2,), ('value',), (2,), ('value',)),
    'torch.cosine_similarity': ((3,), ('eps',), (3,), ('eps',)),
    'torch.full': ((1,), ('fill_value',), (1,), ('fill_value',)),
    'torch.full_like': ((1,), ('fill_value',), (1,), ('fill_value',)),
    'torch.histc': ((2, 3), ('max', 'min'), (2, 3), ('max', 'min')),
    'torch.index_add': ((), ('alpha',), (), ('alpha',)),
    'torch.isclose': ((2, 3), ('atol', 'rtol'), (2, 3), ('atol', 'rtol')),
    'torch.linspace': ((0, 1), ('end', 'start'), (), ()),
    'torch.logit': ((1,), ('eps',), (1,), ('eps',)),
    'torch.logspace': ((0, 1, 3), ('base', 'end', 'start'), (3,), ('base',)),
    'torch.nan_to_num': (
        (1, 2, 3), ('nan', 'neginf', 'posinf'), (1, 2, 3), ('nan', 'neginf', 'posinf')),
    'torch.normal': ((0, 1), ('mean', 'std'), (), ()),
    'torch.pairwise_distance': ((2, 3), ('eps', 'p'), (2, 3), ('eps', 'p')),
    'torch.pinverse': ((1,), ('rcond',), (1,), ('rcond',)),
    'torch.pow': ((0, 1), ('exponent', 'self'), (), ('self',)),
    'torch.remainder': ((0, 1), ('other', 'self'), (), ('self',)),
    'torch.result_type': (
        (0, 1), ('other', 'scalar', 'scalar1', 'scalar2'), (), ('scalar', 'scalar1', 'scalar2')),
    'torch.rsub': ((1, 2), ('alpha', 'other'), (2,), ('alpha',)),
    'torch.scalar_tensor': ((0,), ('s',), (0,), ('s',)),
    'torch.scatter': ((), ('value',), (), ('value',)),
    'torch.searchsorted': ((), ('self',), (), ('self',)),
    'torch.std': ((), ('correction',), (), ('correction',)),
    'torch.std_mean': ((), ('correction',), (), ('correction',)),
    'torch.sub': ((), ('alpha',), (), ('alpha',)),
    'torch.subtract': ((1, 2), ('alpha', 'other'), (2,), ('alpha',)),
    'torch.var': ((), ('correction',), (), ('correction',)),
    'torch.var_mean': ((), ('correction',), (), ('correction',)),
    'torch.where': ((1, 2), ('other', 'self'), (), ('self',)),
    # --- end SLOTS ---
}


# PyTorch's functions written in Python, which pass a number on to a C function whose parser
# refuses a tensor there (facts of PyTorch 2.13's torch/nn/functional.py and torch/_tensor.py,
# checked by tests/core/test_number_slots.py against the recorded sweep): surface.name ->
# (the C function's name, the keyword whose truth picks its in-place variant or None, slots);
# a slot is (index of the argument, its keyword, its name and position in the C function's message,
# PyTorch's name of its type, whether the Python function first compares it, so that a tensor of
# several elements is "Boolean value of Tensor with more than one value is ambiguous").
PYTHON_SLOTS = {
    "F.leaky_relu": ("leaky_relu", "inplace", (
        (1, "negative_slope", "negative_slope", 2, "Number", False),)),
    "F.hardtanh": ("hardtanh", "inplace", ((1, "min_val", "min_val", 2, "Number", True),
                                           (2, "max_val", "max_val", 3, "Number", True))),
    "F.elu": ("elu", "inplace", ((1, "alpha", "alpha", 2, "Number", False),)),
    "F.celu": ("celu", "inplace", ((1, "alpha", "alpha", 2, "Number", False),)),
    "F.threshold": ("threshold", "inplace", (
        (1, "threshold", "threshold", 2, "Number", False),
        (2, "value", "value", 3, "Number", False))),
    "F.hardshrink": ("hardshrink", None, ((1, "lambd", "lambd", 2, "Number", False),)),
    "F.softshrink": ("softshrink", None, ((1, "lambd", "lambd", 2, "Number", False),)),
    "F.dropout": ("dropout", "inplace", ((1, "p", "p", 2, "float", True),)),
    "F.huber_loss": ("huber_loss", None, ((3, "delta", "delta", 4, "float", False),)),
    "F.smooth_l1_loss": ("smooth_l1_loss", None, ((5, "beta", "beta", 4, "float", True),)),
    "F.pad": ("pad", None, ((3, "value", "value", 4, "float", False),)),
    "F.normalize": ("linalg_vector_norm", None, ((1, "p", "ord", 2, "Number", False),)),
    "Tensor.norm": ("linalg_vector_norm", None, ((1, "p", "ord", 2, "Number", False),)),
    "Tensor.dist": ("dist", None, ((2, "p", "p", 2, "Number", False),)),
    "Tensor.hardshrink": ("hardshrink", None, ((1, "lambd", "lambd", 1, "Number", False),)),
    "F.glu": ("glu", None, ((1, "dim", "dim", 2, "int", False),)),
    # the in-place functions are PyTorch's C functions themselves
    "F.elu_": ("elu_", None, ((1, "alpha", "alpha", 2, "Number", False),)),
    "F.leaky_relu_": ("leaky_relu_", None, (
        (1, "negative_slope", "negative_slope", 2, "Number", False),)),
    "F.hardtanh_": ("hardtanh_", None, ((1, "min_val", "min_val", 2, "Number", False),
                                        (2, "max_val", "max_val", 3, "Number", False))),
}


def _odd(x):
    """A tensor PyTorch's parser refuses for a number: it requires grad, or is not 0-d."""
    return x.requires_grad or x.ndim != 0


def _slot_values(surface, name, slots, offset, args, kwargs):
    """args and kwargs as PyTorch's parser reads them: a 0-d tensor without grad in a slot that
    takes a number only becomes that number; a tensor it refuses raises its TypeError."""
    positions, keywords, pure_positions, pure_keywords = slots
    refuse = False
    converted = None
    for i in positions:
        i += offset
        if i < len(args) and isinstance(args[i], Tensor):
            if _odd(args[i]):
                refuse = True
            elif i - offset in pure_positions:
                converted = converted or list(args)
                converted[i] = args[i].item()
    for k in keywords:
        value = kwargs.get(k)
        if isinstance(value, Tensor):
            if _odd(value):
                refuse = True
            elif k in pure_keywords:
                kwargs = dict(kwargs)
                kwargs[k] = value.item()
    if refuse:
        message = argcheck.refusal(surface, name, args[offset:], kwargs)
        if message is not None:
            raise TypeError(message)
    return (args if converted is None else tuple(converted)), kwargs


def _python_values(surface, name, slots, offset, args, kwargs):
    """The same for a function PyTorch writes in Python (PYTHON_SLOTS)."""
    c_name, inplace, entries = slots
    for index, keyword, c_keyword, position, kind, compared in entries:
        by_keyword = index >= len(args)
        value = kwargs.get(keyword) if by_keyword else args[index]
        if not isinstance(value, Tensor):
            continue
        if _odd(value) or kind == "int" and value._data.dtype.kind not in "iu":
            if compared and value.numel() > 1:
                raise RuntimeError("Boolean value of Tensor with more than one value is "
                                   "ambiguous")
            flag = args[offset] if inplace is not None and len(args) > offset else \
                kwargs.get(inplace, False)
            raise TypeError("%s(): argument '%s' (position %d) must be %s, not Tensor" % (
                c_name + ("_" if flag is True else ""), c_keyword, position, kind))
        if by_keyword:
            kwargs = dict(kwargs)
            kwargs[keyword] = value.item()
        else:
            args = args[:index] + (value.item(),) + args[index + 1:]
    return args, kwargs


def _wrapper(fn, surface, name, slots, python=False):
    if python:
        # the index of the in-place flag (read by position when given so), and the least
        # number of positional arguments that reaches a slot
        flag = slots[1]
        code = fn.__code__
        names = code.co_varnames[:code.co_argcount]
        offset = names.index(flag) if flag in names else 1 << 30
        least = min(e[0] for e in slots[2])
        read = _python_values
    else:
        offset = 1 if surface == "Tensor" else 0
        least = min(slots[0]) + offset if slots[0] else 1 << 30
        read = _slot_values

    def call(*args, **kwargs):
        if kwargs or len(args) > least:
            args, kwargs = read(surface, name, slots, offset, args, kwargs)
        return fn(*args, **kwargs)

    # a code object of its own (the argument-error handler is added to it, core/guarded.py)
    code = call.__code__.replace(co_name=name, co_qualname=(
        "Tensor." if surface == "Tensor" else "") + name)
    wrapper = types.FunctionType(code, call.__globals__, name, None, call.__closure__)
    for attr in ("__module__", "__doc__", "__qualname__", "__name__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except (AttributeError, TypeError):
            pass
    wrapper.__dict__.update({k: v for k, v in getattr(fn, "__dict__", {}).items()
                             if k != "__wrapped__"})
    wrapper.__wrapped__ = fn
    return wrapper


# read by the op itself (ops/pointwise.py, _alpha_number): a wrapper's reference to its
# arguments would keep a temporary left operand from giving its array to the result (spare.py)
CHECKED_INSIDE = frozenset({"Tensor.add", "Tensor.sub", "torch.add", "torch.sub"})


def guard(namespace, surface, setter=None):
    """Wrap each function of `namespace` (a module's globals, or a class's vars with `setter`)
    that has number slots on `surface` ('torch', 'Tensor', 'F', 'linalg')."""
    tables = [(key, slots, False) for key, slots in SLOTS.items()] + \
        [(key, slots, True) for key, slots in PYTHON_SLOTS.items()]
    for key, slots, python in tables:
        if key in CHECKED_INSIDE:
            continue
        s, _, name = key.partition(".")
        if s != surface:
            continue
        fn = namespace.get(name)
        if not isinstance(fn, types.FunctionType) or getattr(fn, "number_slots", False):
            continue
        wrapper = _wrapper(fn, surface, name, slots, python)
        wrapper.number_slots = True
        if setter is None:
            namespace[name] = wrapper
        else:
            setter(name, wrapper)
