"""PyTorch's messages for misuse, in one place, so that a user who searches them finds PyTorch's advice."""

import dis
import os
import re
import sys
import warnings

from . import grad_mode
from .dtypes import from_numpy_dtype

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")

NO_GRAD_FN = "element {} of tensors does not require grad and does not have a grad_fn"
IMPLICIT_SCALAR = "grad can be implicitly created only for scalar outputs"
IMPLICIT_REAL = "grad can be implicitly created only for real scalar outputs but got {}"
# what gradsh's complex layer does not differentiate (docs/autograd.md, "Complex numbers")
COMPLEX_BACKWARD = ("gradsh has no derivative of this op for complex tensors (see "
                    "docs/autograd.md, \"Complex numbers\")")
COMPLEX_BACKWARD_GRAPH = ("gradsh does not record the backward pass of complex tensors "
                          "(create_graph=True): see docs/autograd.md, \"Complex numbers\"")
COMPLEX_ROOT_DTYPE = ("For complex Tensors, both grad_output and output are required to have "
                      "the same dtype. Mismatch in dtype: grad_output[{}] has a dtype of {} and "
                      "output[{}] has a dtype of {}.")
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
LEAF_DIRTIED = "a leaf Variable that requires grad has been used in an in-place operation."
VIEW_LEAF_INPLACE = "a view of a leaf Variable that requires grad is being used in an in-place operation."
ONLY_FLOAT = "Only Tensors of floating point and complex dtype can require gradients"
ONLY_FLOAT_METHOD = "only Tensors of floating point dtype can require gradients"
ONLY_FLOAT_ATTR = "only Tensors of floating point and complex dtype can require gradients"
NONLEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference "
    "mode in computation tracked by autograd. To work around this, you can make a clone to get a "
    "normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
    "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
    "for more details.")
INFERENCE_REQUIRES_GRAD = (
    "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
INFERENCE_VERSION = "Inference tensors do not track version counter."
BOOL_AMBIGUOUS = "Boolean value of Tensor with more than one value is ambiguous"
NUMPY_REQUIRES_GRAD = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
def triggered_at(place):
    """The end PyTorch gives a warning raised in its C++ code (its build's path and line)."""
    return " (Triggered internally at /__w/pytorch/pytorch/%s.)" % place


NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
    "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
    "for more information.")
CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and "
    "its gradient which can cause a memory leak. We recommend using autograd.grad when creating the "
    "graph to avoid this. If you have to use this function, make sure to reset the .grad fields of "
    "your parameters to None after use to break the cycle and avoid the leak.")
UNUSED_INPUT = ("The differentiated Tensor at index {} appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior.")
INPUT_NO_GRAD = "One of the differentiated Tensors does not require grad"
ANOMALY_HINT = ("Hint: enable anomaly detection to find the operation that failed to compute its "
                "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
ANOMALY_ON_HINT = ("Hint: the backtrace further above shows the operation that failed to compute its "
                   "gradient. The variable in question was changed in there or anywhere later. Good luck!")
VIEW_NO_GRAD_INPLACE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given "
    "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
    "moving both the view and the inplace either both inside the no_grad block (if you don't want the "
    "inplace to be tracked) or both outside (if you want the inplace to be tracked).")

VIEW_NO_GRAD_REBASED = (
    "A view was created in no_grad mode and its base or another view of its base has been modified "
    "inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is "
    "forbidden. You can clarify your code by moving both the view and the inplace either both inside "
    "the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the "
    "inplace to be tracked).")


def shape_str(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def inplace_modified(saved, node):
    t = saved.data
    kind = from_numpy_dtype(t.dtype)._legacy
    # PyTorch names the op that produced the variable: the unpacking node for an op's own output,
    # else the variable's current grad_fn ("output 0 of Mul"; nothing for a leaf).
    fn = node if saved.is_output else saved.tensor._grad_fn if saved.tensor is not None else None
    where = ""
    if saved.tensor is not None:  # its shape now (unsqueeze_ may have changed it since)
        t = saved.tensor._data
    if fn is not None:
        nr = saved.out_nr if saved.is_output else saved.tensor._output_nr
        where = f", which is output {nr} of {op_name(type(fn).name(fn))},"
    hint = ANOMALY_ON_HINT if grad_mode.state.anomaly else ANOMALY_HINT
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{kind} {shape_str(t.shape)}]{where} is at version {saved.vc[0]}; "
        f"expected version {saved.version} instead. {hint}")


def op_name(node_name):
    """'ExpBackward0' -> 'Exp', 'SumBackward1' -> 'Sum1' (PyTorch keeps an overload index other
    than 0), a custom 'ExpBackward' -> 'Exp' (others, like CopySlices, stay)."""
    k = node_name.rfind("Backward")
    rest = node_name[k + 8:]
    if k > 0 and (rest.isdigit() or not rest):
        return node_name[:k] + ("" if rest == "0" else rest)
    return node_name


def not_tensor(value, name):
    """PyTorch's TypeError for a value that is not a tensor where one is wanted (a number for
    `other` of maximum, atan2, logical_and...: only the arithmetic ops take numbers there)."""
    return TypeError(f"argument '{name}' must be Tensor, not {type_name(value)}")


# the values an int64_t parameter holds: `x in LONG` is one comparison in C for an int
LONG = range(-(1 << 63), 1 << 63)


OVERFLOW = "Overflow when unpacking long long"


def long(value):
    """value, or PyTorch's parser's ValueError when it is a Python int past int64 (for the int
    parameters of ops that would otherwise run with it: roll, chunk, tril, ...)."""
    if type(value) is int and value not in LONG:
        raise ValueError(OVERFLOW)
    return value


def overflow_int64(value):
    """PyTorch's ValueError for a Python int past int64 in an int64_t argument (its parser
    refuses it before the op runs), else None."""
    if type(value) is int and not -(1 << 63) <= value < 1 << 63:
        return ValueError("Overflow when unpacking long long")
    return None


def dim_out_of_range(dim, ndim):
    """PyTorch's error for a dim out of range (its parser's, for one past int64)."""
    overflow = overflow_int64(dim)
    if overflow is not None:
        return overflow
    lo, hi = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    return IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")


def from_numpy_broadcast(e):
    """PyTorch's broadcast RuntimeError for numpy's ValueError "operands could not be broadcast
    together with shapes (2,) (7,)" (two shapes), else None."""
    text = str(e)
    if not text.startswith("operands could not be broadcast together with shapes "):
        return None
    shapes = re.findall(r"\(([\d, ]*)\)", text)
    if len(shapes) != 2:
        return None
    a, b = ([int(n) for n in s.replace(",", " ").split()] for s in shapes)
    return broadcast_error(a, b)


def broadcast_error(a_shape, b_shape):
    """PyTorch's message for shapes that do not broadcast, naming the first bad dimension."""
    n = max(len(a_shape), len(b_shape))
    a = (1,) * (n - len(a_shape)) + tuple(a_shape)
    b = (1,) * (n - len(b_shape)) + tuple(b_shape)
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor b "
                                f"({b[i]}) at non-singleton dimension {i}")
    return RuntimeError(f"shapes {shape_str(a_shape)} and {shape_str(b_shape)} cannot be broadcast")


def broadcast_error_of(*shapes):
    """PyTorch's broadcast error for several operands (condition, input, other of where...):
    their shapes broadcast one after another in order, the message naming the shape so far
    ("tensor a") and the first operand that does not fit it ("tensor b")."""
    so_far = tuple(shapes[0])
    for shape in shapes[1:]:
        n = max(len(so_far), len(shape))
        a = (1,) * (n - len(so_far)) + so_far
        b = (1,) * (n - len(shape)) + tuple(shape)
        if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
            return broadcast_error(so_far, shape)
        so_far = tuple(x if y == 1 else y for x, y in zip(a, b))
    return broadcast_error(shapes[-2], shapes[-1])


class _AsPythonsOwn:
    """An exception PyTorch's Python code raises for a program's mistake (an `assert`, an
    AttributeError of nn.Module's): shown under the builtin's name, never an internal error."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        builtin = cls.__mro__[2]
        cls.gradsh_kind = cls.__name__ = cls.__qualname__ = builtin.__name__
        cls.__module__ = "builtins"


class TorchAssertionError(_AsPythonsOwn, AssertionError):
    pass


class TorchTypeError(_AsPythonsOwn, TypeError):
    """(__torch_function__'s "Multiple dispatch failed": no argument error of the call)"""


class TorchAttributeError(_AsPythonsOwn, AttributeError):
    pass


class TorchOSError(_AsPythonsOwn, OSError):
    """(io.StringIO's "Can't do nonzero cur-relative seeks": a program has no other OSError)"""


# PyTorch's types made in C, named with their module in its messages ("not torch.dtype")
_TORCH_C_TYPES = frozenset(("dtype", "Size", "device", "Generator", "finfo", "iinfo", "layout",
                            "memory_format"))


_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by Python code


def type_name(obj):
    """PyTorch's name for obj's type in its messages: 'torch.dtype' for its C types, and else
    the name Python's C API gives the type (tp_name): 'list', a class made in Python by its
    name, a C type of a module with the module ('collections.deque', 'itertools.repeat').
    gradsh's stand-ins for Python's iterators (declared in builtins or itertools) show as the
    type they stand for."""
    cls = type(obj)
    module = cls.__module__
    if module == "numpy" and cls.__flags__ & _HEAP_TYPE:
        return "numpy." + cls.__name__  # a program's numpy array or number: numpy's C type's
    if cls.__name__ in _TORCH_C_TYPES and module.startswith("gradsh."):
        return "torch." + cls.__name__
    if module == "builtins" or (cls.__flags__ & _HEAP_TYPE and module != "itertools"):
        return cls.__name__
    return "%s.%s" % (module, cls.__name__)


class NotATensorList(TypeError):
    """A TensorList argument that is not a list or tuple (PyTorch reads no other iterable: an
    endless one would run for ever). The language names the argument as PyTorch does
    ("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")."""

    tensor_list = True


def tensor_list(tensors, nonempty_for=None):
    """A TensorList argument as a list: a list or a tuple, as PyTorch takes (and not empty,
    for the function named `nonempty_for`)."""
    if not isinstance(tensors, (list, tuple)):
        raise NotATensorList("expected a list or tuple of Tensors, not %s"
                             % type(tensors).__name__)
    if nonempty_for and not tensors:
        raise RuntimeError("%s expects a non-empty TensorList" % nonempty_for)
    return list(tensors)


class PythonAttributeError(AttributeError):
    """Where PyTorch's own Python code asks a non-tensor for a tensor's method or attribute
    (`F.mse_loss(1, t)` starts with `target.size()`; `F.softmin(0.5, 0)` computes
    `(-input).softmax(dim)`): Python's AttributeError, which a program sees as it is (not as
    an argument of the wrong type)."""

    gradsh_kind = "AttributeError"


def no_attribute(value, name):
    """The AttributeError PyTorch's Python code gives for `value.name`."""
    return PythonAttributeError("'%s' object has no attribute '%s'" % (type(value).__name__, name))


# ----- an operand no tensor op takes (`x + 'a'`) -----------------------------------------------
# Only on the failure path: the ops are bound as the operators themselves (no wrapper), so they
# cannot return NotImplemented for Python to word the error; the frames say how the op was reached.
_CORE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_BINARY_OP = dis.opmap.get("BINARY_OP")
_SEQUENCES = (str, bytes, list, tuple)
REFLECTED_CODES = set()  # the code of every function bound to a reflected operator (__radd__...)


def operand_error(value, otherwise=None):
    """The TypeError for `value`, an operand of a tensor op that no op takes. Reached through a
    Python operator (`x + 'a'`, `'a' * x`, `x += None`): Python's own words, with the operands in
    the program's order; a sequence on the left of `+`, or on either side of `*`, answers as
    Python asks it (`can only concatenate str (not "Tensor") to str`). Otherwise `otherwise`
    (the op's own TypeError for a call) or gradsh's."""
    entry, caller = _entry_frames()
    symbol = _operator_symbol(caller)
    if symbol is None:
        return otherwise or TypeError("unsupported operand type for a tensor op: "
                                      f"'{type(value).__name__}'")
    reflected = entry.f_code in REFLECTED_CODES
    tensor = entry.f_locals.get("self")
    kind = type(value)
    try:  # the sequence's own method (the operator itself would come back here)
        if kind in _SEQUENCES and symbol == "*":
            kind.__mul__(value, tensor)
        elif kind in _SEQUENCES and reflected and symbol == "+":
            kind.__add__(value, tensor)
    except TypeError as error:
        return error
    name = type(value).__name__
    if name == "Size" and type(value).__module__ == "gradsh.core.dtypes":
        name = "torch.Size"   # (PyTorch's C type's name)
    names = (name, "Tensor") if reflected else ("Tensor", name)
    if symbol == "**":
        symbol = "** or pow()"
    return TypeError("unsupported operand type(s) for %s: '%s' and '%s'" % ((symbol,) + names))


def sequence_repeat(tensor, value):
    """`[1] * t`, `t * (1, 2)`, `'ab' * t`: PyTorch's operator gives way (NotImplemented) and
    Python repeats the sequence `t.__index__()` times (an integer tensor of one element, else
    PyTorch's TypeError from __index__). None when the operands are not a tensor and a sequence
    met by the `*` operator (a call, torch.mul(t, [1]), refuses a list)."""
    if type(value) not in _SEQUENCES:
        return None
    _, caller = _entry_frames()
    if _operator_symbol(caller) != "*":
        return None
    return value * tensor.__index__()


def _entry_frames():
    """(the first frame of gradsh's core, the frame that called it)."""
    frame, entry = sys._getframe(2), None
    while frame is not None and frame.f_code.co_filename.startswith(_CORE_DIR):
        entry, frame = frame, frame.f_back
    return entry, frame


def _operator_symbol(frame):
    """The operator (`+`, `*=`) the frame is running, or None (a call: `torch.add(x, 'a')`)."""
    if frame is None or _BINARY_OP is None:
        return None
    code = frame.f_code.co_code
    i = frame.f_lasti
    if code[i] != _BINARY_OP:
        return None
    return dis._nb_ops[code[i + 1]][1]


# the code of the complex gate's wrappers around ops (ops/complex_gate.py): not a place a
# warning is reported from, so an op's warning names the same caller as without the gate
WRAPPER_CODES = set()


# the warnings PyTorch gives once per process (TORCH_WARN_ONCE), by their text
WARNED_ONCE = set()

# every once-a-process warning's record (WARNED_ONCE, and the lists or sets of the modules that
# warn once by hand, given through once_flags): a session's reset empties them, so the next
# program is warned as a fresh process would be (lang/runtime/namespaces.py reset_settings)
ONCE_FLAGS = [WARNED_ONCE]


def once_flags(container):
    """Register a module's record of its once-a-process warnings (an empty list or set)."""
    ONCE_FLAGS.append(container)
    return container


def reset_warned_once():
    """A fresh process's warnings: none given yet."""
    for container in ONCE_FLAGS:
        container.clear()

COMPLEX_TO_REAL = ("Casting complex values to real discards the imaginary part"
                   + triggered_at("aten/src/ATen/native/Copy.cpp:307"))


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def warn_once(message, category=UserWarning):
    """A warning PyTorch's C++ code gives once per process (TORCH_WARN_ONCE), the first time
    only, naming the first caller outside gradsh (an op reached by several paths: copy_,
    x[i] = v, .to())."""
    if message in WARNED_ONCE:
        return
    WARNED_ONCE.add(message)
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE + os.sep):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def warn_at_caller(message, category=UserWarning):
    """warnings.warn naming the first caller outside gradsh (the program's line), whatever
    wrappers lie between: Python's registry then warns once per line, as PyTorch's warnings
    from its kernels (out='s resize, called from wrappers of several depths)."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE + os.sep):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def warn(message, category=UserWarning, stacklevel=1):
    """warnings.warn for an op: `stacklevel` counts the op's callers as if the wrappers around
    ops were not there, so a warning names the caller's line (a program's line: once per line,
    as PyTorch's warnings from its kernels), not a wrapper's."""
    frame, level = sys._getframe(1), 1
    while stacklevel > 1 and frame is not None:
        frame, level = frame.f_back, level + 1
        if frame is not None and frame.f_code not in WRAPPER_CODES:
            stacklevel -= 1
    warnings.warn(message, category, stacklevel=level + 1)


def indices_dtype(dtype, op):
    """PyTorch's RuntimeError for embedding indices that are neither int64 nor int32: the legacy
    tensor type's name (torch.ByteTensor), or CPU<Name>Type for bool, bfloat16 and complex
    (measured)."""
    kind = (f"CPU{dtype._short}Type" if dtype.name in ("bool", "bfloat16")
            or dtype.name.startswith("complex") else f"torch.{dtype._legacy}")
    return RuntimeError("Expected tensor for argument #1 'indices' to have one of the following "
                        f"scalar types: Long, Int; but got {kind} instead (while checking "
                        f"arguments for {op})")
