"""Graph nodes: one class per derivative rule, named as PyTorch names it (`MulBackward0`).

A node holds its edges (`next_functions`), the values its rule needs (saved at forward time, only
those the rule needs for the inputs that require grad), and the shape and dtype of each input so the
engine can reduce broadcast gradients in one place.
"""

from .torchclass import TorchClass

import collections
import itertools
import weakref

import numpy as np

from . import errors
from .hooks import RemovableHandle, add_hook  # noqa: F401 - Node.register_hook; the API's handle
from .hooks import seen as hooks_seen
from .grad_mode import InferenceVersion
from .saved_names import DERIVED, shown
from .grad_mode import no_grad as _no_grad
from .grad_mode import state as _grad_state
from .tensor import Tensor
from .meta import as_array

sequence = itertools.count()  # the nodes' creation order (Node._seq)


class _Order:
    """Whether every edge of every graph so far leads to an older node (a lower `_seq`): true of
    the nodes ops record, whose inputs' nodes exist before them. The engine then replays a
    one-root backward() in descending `_seq` without counting each node's edges first (the
    first node to meet in that order has had all its gradients; docs/autograd.md, "The
    engine's order"). A node renumbered by a program (`_set_sequence_nr`) or a custom
    Function's node older than an input's (its AccumulateGrad made in `_connect`) turns this
    off for the rest of the process: the engine counts the edges again."""

    __slots__ = ("topological",)


order = _Order()
order.topological = True
_ndarray = np.ndarray

FREED = errors.FREED_MESSAGE


class _Saved:
    """The slots of both kinds of saved tensor: SavedTensor.register_hooks turns one into a
    HookedSavedTensor in place (the node keeps the same object)."""

    __slots__ = ("data", "tensor", "version", "vc", "is_output", "out_nr", "name", "packed",
                 "unpack_hook", "owner", "seq")


_REGISTER_HOOKS_SIGNATURE = (
    "register_hooks(): incompatible function arguments. The following argument types are "
    "supported:\n    1. (self: torch._C._autograd.SavedTensor, arg0: collections.abc.Callable, "
    "arg1: collections.abc.Callable) -> None\n\nInvoked with: ")
_FREED_REGISTER = ("Calling register_hooks on a saved tensor after it has been freed. Saved "
                   "intermediate values of the graph are freed when you call .backward() or "
                   "autograd.grad(). Specify retain_graph=True if you need to backward through "
                   "the graph a second time or if you need to access saved variables after "
                   "calling backward.")


def _check_register_hooks(saved, hooks):
    """PyTorch's refusals of SavedTensor.register_hooks, in its order: two callables (the
    binding's TypeError lists the call), then a saved tensor not yet freed by backward."""
    if len(hooks) != 2 or not all(callable(h) for h in hooks):
        raise TypeError(_REGISTER_HOOKS_SIGNATURE + ", ".join(repr(a) for a in (saved,) + hooks))
    owner = getattr(saved, "owner", None)  # (set when a program read it: _saved_value)
    if owner is not None and (owner() is None or owner()._released):
        raise RuntimeError(_FREED_REGISTER)


class SavedTensor(_Saved):
    """A tensor saved for backward: its storage at save time and its version, checked on unpack.

    Inputs are kept by reference (so create_graph can differentiate through them, and a version
    error names their current grad_fn, as PyTorch's does). An op's own output is kept as its
    storage only and rebuilt with the unpacking node as its grad_fn (as PyTorch's SavedVariable
    does for outputs): a strong reference would make a cycle node -> tensor -> node.
    """

    __slots__ = ()

    def __repr__(self):
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"

    def register_hooks(self, *hooks):
        """From now on keep pack_hook(a detached copy of the value) and give unpack_hook's result
        when the value is needed (PyTorch's SavedTensor.register_hooks)."""
        _check_register_hooks(self, hooks)
        pack_hook, unpack_hook = hooks
        if hooks_disabled:
            raise RuntimeError(hooks_disabled[-1])
        value = Tensor._make(self.data)
        with _no_grad():
            self.packed = pack_hook(value)
        self.unpack_hook = unpack_hook
        self.seq = next(_pack_order)
        self.__class__ = HookedSavedTensor

    def check(self, node):
        if self.vc[0] != self.version:
            raise errors.inplace_modified(self, node)

    def live_data(self):
        """The saved array; a saved input's current one (PyTorch saves the input itself, so a
        later `x.data = ...` shows in backward)."""
        return self.data if self.tensor is None else self.tensor._data

    def as_tensor(self, node):
        if self.tensor is not None:
            return self.tensor
        t = Tensor._make(self.data)
        if node is not None:
            t._grad_fn = node
            t._requires_grad = True
            t._output_nr = self.out_nr
        t._vc = self.vc
        if saved_output_hook:  # a dual level is open: the output's tangent comes back too
            saved_output_hook[0](self.data, t)
        return t


# forward AD's hook while a dual level is open (gradsh/autograd/forward_ad.py): (the saved
# array, the tensor rebuilt from it) -> gives the rebuilt output its original's tangent, as
# PyTorch's unpacked saved outputs keep their forward gradient (forward over reverse)
saved_output_hook = []


# torch.autograd.graph.saved_tensors_hooks: (pack_hook, unpack_hook) pairs, innermost last; and
# the messages of disable_saved_tensors_hooks blocks (saving or registering hooks then fails).
saved_hooks = []
hooks_disabled = []


class HookedSavedTensor(_Saved):
    """A tensor saved while saved-tensor hooks were on: it keeps what pack_hook returned (called
    with grad mode off, as PyTorch does), and unpack_hook turns that back into the tensor
    whenever the value is needed (backward, or reading grad_fn._saved_<name>); the result gets
    the original's autograd history back."""

    __slots__ = ()

    def __repr__(self):
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"

    def register_hooks(self, *hooks):
        _check_register_hooks(self, hooks)
        raise RuntimeError("Calling register_hooks on a saved tensor whose hooks have already been "
                           "set. Hint: only one pair of hooks is allowed at a time.")

    def value(self, node, as_tensors=True):
        t = self.unpack_hook(self.packed)
        if not isinstance(t, Tensor):
            raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got "
                            f"result of type {type(t).__name__}")
        if not as_tensors:
            return t._data
        original = self.tensor
        if t is original:
            return t
        out = Tensor._make(t._data)
        if self.is_output:
            out._grad_fn, out._requires_grad, out._output_nr = node, True, self.out_nr
        elif original is not None:
            out._grad_fn, out._requires_grad = original._grad_fn, original._requires_grad
            out._output_nr, out._acc = original._output_nr, original._acc
        return out


# one class in PyTorch (torch._C._autograd.SavedTensor) whether hooks were registered or not
HookedSavedTensor.__name__ = HookedSavedTensor.__qualname__ = "SavedTensor"


def _hooked(t, is_output, name):
    if hooks_disabled:
        raise RuntimeError(hooks_disabled[-1])
    pack_hook, unpack_hook = saved_hooks[-1]
    s = _new(HookedSavedTensor)
    s.unpack_hook = unpack_hook
    s.name = name
    s.is_output = is_output
    s.out_nr = t._output_nr
    if is_output and t._grad_fn is None:
        # an op saves its output before recording its node: pack_hook must see the output with
        # its grad_fn, so record() packs it (pack_pending) once the node is attached
        s.packed, s.tensor = pack_hook, t
        pending_outputs.append(s)
        return s
    with _no_grad():
        s.packed = pack_hook(t)
    s.tensor = None if is_output else t
    s.seq = next(_pack_order)
    return s


_pack_order = itertools.count()


def unpack_hooked(saved, node, as_tensors):
    """{id: value} of a node's saved tensors under hooks, their unpack hooks called in the order
    their pack hooks were (PyTorch's order; a rule's parameters may list them otherwise)."""
    hooked = sorted((s for s in saved if type(s) is HookedSavedTensor),
                    key=lambda s: getattr(s, "seq", -1))
    return {id(s): s.value(node, as_tensors) for s in hooked}


pending_outputs = []


def pack_pending():
    """Pack the outputs saved under hooks by the op being recorded (see _hooked). The list is
    emptied first: a pack hook that runs ops (`t.clone()`) records nodes, which come here."""
    todo = pending_outputs[:]
    pending_outputs.clear()
    with _no_grad():
        for s in todo:
            s.packed, s.tensor = s.packed(s.tensor), None
            s.seq = next(_pack_order)


def saved_tensor(t, is_output=False, name=""):
    """A SavedTensor of t (made without a class call: most ops save one)."""
    if saved_hooks:
        return _hooked(t, is_output, name)
    s = _new(SavedTensor)
    s.data = t._data
    s.vc = vc = t._vc
    if type(vc) is InferenceVersion and not _grad_state.inference:
        raise RuntimeError(errors.INFERENCE_SAVED)
    s.version = vc[0]
    s.name = name
    s.is_output = is_output
    s.out_nr = t._output_nr
    s.tensor = None if is_output else t
    return s


class SavedScalar:
    """A Python number an op saved (PyTorch saves it as a tensor, freed after backward too)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class GradientEdge(collections.namedtuple("GradientEdge", ["node", "output_nr",
                                                         "ownership_token"],
                                          defaults=(None,))):
    """torch.autograd.graph.GradientEdge: where a tensor's gradient enters the graph (its node
    and which of the node's outputs); autograd.grad takes one in place of an input tensor."""

    __slots__ = ()


GradientEdge.__module__ = "torch.autograd.graph"


# nodes PyTorch writes by hand in C++ (not generated from derivatives.yaml): name() is qualified
AUTOGRAD_NAMESPACE = frozenset({"CopyBackwards", "NotImplemented"})


class Node(metaclass=TorchClass):
    """A backward function of the graph (PyTorch's `torch.autograd.graph.Node`)."""

    __slots__ = ("next_functions", "_saved", "_meta", "_seq", "_hooks", "_pre_hooks",
                 "_tensor_hooks", "_retained", "_released", "_trace", "_metadata", "_need",
                 "__weakref__")

    # Set per subclass by the rule table: the rule, how many outputs the forward op has, and
    # the names of the rule's saved values.
    rule = None
    fast = None  # the rule, or a faster equivalent on arrays (fast_lane); the engine's array lane
    spare = None  # the fast rule free to write into its gradient's array (spare_lane), or None
    n_outputs = 1
    saved_names = ()
    _same_layout = False  # True for the classes node_class makes: Node's slots and no others

    def __reduce_ex__(self, protocol):
        """copy.copy and copy.deepcopy of a node (a custom Function's ctx too) fail as
        PyTorch's do: a copy would be a graph node no op made."""
        raise TypeError("cannot pickle '%s' object" % type(self).__name__)

    def __init_subclass__(cls, **kwargs):
        """A class with its own apply runs through it: no fast rule (the engine's array lane
        takes a node whose `fast` is set, without looking for an apply of its class)."""
        super().__init_subclass__(**kwargs)
        if "apply" in cls.__dict__:
            cls.fast = cls.spare = None

    def __init__(self, *args, **kwargs):
        """Graph nodes are made by the ops (new_node), never by a program: PyTorch's refusals."""
        if type(self) is Node:
            raise TypeError("Can't instantiate abstract class Node with abstract methods "
                            "_input_metadata, _register_hook_dict, _sequence_nr, metadata, name, "
                            "next_functions, register_hook, register_prehook")
        raise TypeError("cannot create '%s' instances" % type(self).__name__)

    def name(self):
        n = type(self).__name__
        return "torch::autograd::" + n if n in AUTOGRAD_NAMESPACE else n

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    __str__ = __repr__

    @property
    def metadata(self):
        m = getattr(self, "_metadata", None)
        if m is None:
            m = self._metadata = {}
        return m

    @property
    def requires_grad(self):
        return True

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) runs after this node; it may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = {}
        if type(self) is AccumulateGrad:
            hooks_seen.leaf = True
        return add_hook(self._hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) runs before this node; it may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        if type(self) is AccumulateGrad:
            hooks_seen.leaf = True
        return add_hook(self._pre_hooks, fn)

    def __call__(self, *grads):
        """Apply the rule directly (as PyTorch allows): grads are tensors, one per output."""
        out = self.apply(grads if self.n_outputs > 1 else grads[0], True)
        out = tuple(g if g is None or isinstance(g, Tensor) else Tensor._make(as_array(g))
                    for g in out)
        return out[0] if len(out) == 1 else out   # one input: the gradient itself, as PyTorch

    def unpack(self, as_tensors):
        """The saved values for the rule: arrays (fast path) or tensors (create_graph)."""
        saved = self._saved
        if self._released:
            raise RuntimeError(FREED)
        out = []
        hooked = None
        for s in saved:
            ts = type(s)
            if ts is SavedTensor:
                s.check(self)
                out.append(s.as_tensor(self) if as_tensors else s.live_data())
            elif ts is SavedScalar:
                out.append(s.value)
            elif ts is HookedSavedTensor:
                if hooked is None:
                    hooked = unpack_hooked(saved, self, as_tensors)
                out.append(hooked[id(s)])
            else:
                out.append(s)
        return out

    def apply(self, g, as_tensors):
        need = self._need
        if need is None:
            need = tuple(e[0] is not None for e in self.next_functions)
        return self.rule(need, g, *self.unpack(as_tensors))

    def release(self):
        for s in self._saved:
            ts = type(s)
            if ts is SavedTensor or ts is SavedScalar or ts is HookedSavedTensor:
                self._saved = ()
                self._released = True
                return

    def __dir__(self):
        # What dir() shows of a PyTorch node: its methods and one entry per saved value.
        names = ["_input_metadata", "_register_hook_dict", "_sequence_nr", "_set_sequence_nr",
                 "metadata", "name", "next_functions", "register_hook", "register_prehook",
                 "requires_grad"]
        saved = () if self._released else self._saved
        for i, n in enumerate(type(self).shown_names):
            if n is None:
                continue
            names.append("_saved_" + n)
            if i < len(saved) and type(saved[i]) in (SavedTensor, SavedScalar, HookedSavedTensor):
                names.append("_raw_saved_" + n)
        names.extend("_saved_" + n for n in DERIVED.get(type(self).__name__, ()))
        own = {n for n in object.__dir__(self) if not n.startswith(("_saved_", "_raw_saved_"))}
        return sorted(set(names) | own - _HIDDEN)

    def _sequence_nr(self):
        """The node's creation order (the engine runs later nodes first)."""
        return self._seq

    def _set_sequence_nr(self, nr):
        self._seq = nr
        order.topological = False  # (the engine counts edges from now on: _Order)

    @property
    def _input_metadata(self):
        """(shape, dtype) of each input this node sends a gradient to (None for no edge)."""
        return tuple(self._meta or ())

    def _register_hook_dict(self, tensor):
        """Route the hooks registered on `tensor` (an output of this node) through this node."""
        if tensor._grad_fn is not self:
            raise RuntimeError("the tensor's grad_fn is not this node")


_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _lookup_saved(node, attr):
    """node._saved_<name> / node._raw_saved_<name>, as PyTorch's nodes expose saved values: the
    names are the rule's parameter names (see node_class), or a saved tensor's own name."""
    raw = attr.startswith("_raw_saved_")
    name = attr[11:] if raw else attr[7:]
    saved = node._saved
    names = type(node).shown_names
    if node._released:
        if name in names:
            raise RuntimeError(FREED)
    elif name in names and names.index(name) < len(saved):
        value = _saved_value(saved[names.index(name)], node, raw)
        # PyTorch saves a loss's reduction as its enum's number
        return _REDUCTIONS.get(value, value) if name == "reduction" else value
    else:
        for s in saved:
            if type(s) is SavedTensor and s.name == name:
                return s if raw else s.as_tensor(node)
            if type(s) is HookedSavedTensor and s.name == name:
                return s if raw else s.value(node)
    raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attr}'")


def expose_saved(cls, names):
    """Give node class `cls` the properties _saved_<name> and _raw_saved_<name> for `names`.

    (Properties, not a __getattr__: a class with __getattr__ makes every attribute access on its
    instances take Python's slow path, and the engine reads a node's attributes in its loop.)"""
    cls.saved_names = tuple(names)
    cls.shown_names = shown(cls.__name__, names)
    for name in cls.shown_names:
        if name is None:
            continue
        for attr in ("_saved_" + name, "_raw_saved_" + name):
            setattr(cls, attr, property(lambda self, attr=attr: _lookup_saved(self, attr)))
    for name, fn in DERIVED.get(cls.__name__, {}).items():
        setattr(cls, "_saved_" + name, property(lambda self, fn=fn: _lookup_derived(self, fn)))


def _lookup_derived(node, fn):
    """A value PyTorch's node saves that gradsh computes from the values it saved (DERIVED)."""
    if node._released:
        raise RuntimeError(FREED)
    values = {n: _saved_value(s, node, False) for n, s in zip(type(node).saved_names, node._saved)}
    r = fn(values)
    return Tensor._make(r) if type(r) is np.ndarray else r


def _saved_value(s, node, raw):
    """A saved entry as PyTorch shows it: tensors (a Python number an op saved is a 0-d tensor,
    as PyTorch wraps it), other values (alpha, sizes) as they are."""
    ts = type(s)
    if raw and (ts is SavedTensor or ts is HookedSavedTensor):
        s.owner = weakref.ref(node)  # register_hooks refuses it once backward freed the node
        return s
    if ts is SavedTensor:
        return s.as_tensor(node)
    if ts is HookedSavedTensor:
        return s.value(node)
    if ts is SavedScalar:
        if raw:
            return s
        v = s.value
        if type(v) is tuple:  # an indexing key (ops.base.save_key): PyTorch's list of indices
            return tuple(_saved_value(k, node, False) if isinstance(k, _Saved) else
                         None if isinstance(k, slice) else k for k in v)
        dt = np.bool_ if isinstance(v, bool) else (np.int64 if isinstance(v, int) else np.float64)
        return Tensor._make(np.array(v, dt))
    if raw:
        raise AttributeError("_raw_saved_ exists only for saved tensors")
    return s


class AccumulateGrad(Node):
    """The sink of a leaf: adds the incoming gradient into `variable.grad`."""

    __slots__ = ("variable",)

    def __init__(self, *args, **kwargs):
        raise RuntimeError("Cannot construct")

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def unpack(self, as_tensors):
        return ()

    def release(self):
        pass


# What a new node holds besides its edges, saved values, input metadata and need flags: no hooks,
# nothing retained, not released, no anomaly trace (ops/base.py's record writes these inline).
NODE_DEFAULTS = (("_hooks", None), ("_pre_hooks", None), ("_tensor_hooks", None),
                 ("_retained", None), ("_released", False), ("_trace", None))


def new_node(cls, edges, saved, meta, need=None):
    """A node of class `cls` (record makes the nodes of recorded ops; this makes the others)."""
    node = _new(cls)
    node.next_functions = edges
    node._saved = saved
    node._meta = meta
    node._seq = next(sequence)
    node._need = need
    # NODE_DEFAULTS, written out (a leaf's AccumulateGrad is made anew on every step)
    node._hooks = node._pre_hooks = node._tensor_hooks = node._retained = node._trace = None
    node._released = False
    return node


_new = object.__new__


def blank_node(node):
    """Give `node` the fields new_node gives (for a ctx a program makes: BackwardCFunction())."""
    node.next_functions = node._saved = node._meta = ()
    node._need = None
    node._seq = next(sequence)
    for name, value in NODE_DEFAULTS:
        setattr(node, name, value)


def accumulator(t):
    """The AccumulateGrad node of leaf `t`, shared by every op that uses `t` while it lives."""
    ref = t._acc
    acc = ref() if ref is not None else None
    if acc is None:
        if t._base is not None and t._view.stale:
            # A view PyTorch refuses once its base was modified in place (one made in no_grad
            # mode, or an output of split/unbind/chunk): refused as soon as an op uses it.
            raise RuntimeError(t._view.stale)
        if t._base is not None and t._view.no_grad and t._base._requires_grad:
            # A view made in no_grad mode of a base that requires grad: PyTorch gives it
            # requires_grad but no edge. (A view of a base that needs no grad, made a leaf by
            # requires_grad_(), is a leaf.)
            return None
        if t._base is not None and t._base._requires_grad:
            return None  # a view made before its base required grad: the same (no edge)
        acc = new_node(AccumulateGrad, (), (), None)
        acc.variable = t
        if t._hooks is not None:
            acc._tensor_hooks = {0: t._hooks}  # a leaf's hooks run as its node's tensor hooks
        t._acc = weakref.ref(acc)
    return acc


# Implementation attributes that PyTorch's nodes do not show in dir().
_HIDDEN = {"_saved", "_meta", "_seq", "_hooks", "_pre_hooks", "_tensor_hooks", "_retained",
           "_released", "_trace", "_metadata", "_need", "apply", "unpack", "release", "rule",
           "fast", "spare",
           "n_outputs", "saved_names", "shown_names", "__weakref__", "__slots__", "__module__", "variable",
           "ctx", "fn_cls", "n_in", "_same_layout", "_variants"}

# The rule table fills this: node name -> class. A name is declared once (node_class refuses a
# second class of the same name, so two rules can never silently share a PyTorch name).
NODE_CLASSES = {}


def node_name(op, overload=0):
    """PyTorch's node name for an op: CamelCase of the op name + "Backward" + overload index
    (`log1p` -> `Log1PBackward0`, `clamp_min` -> `ClampMinBackward0`, `max`, 1 -> `MaxBackward1`):
    a letter after an underscore or a digit is capitalized, as PyTorch's code generator does."""
    out = []
    up = True
    for ch in op:
        if ch == "_":
            up = True
            continue
        out.append(ch.upper() if up else ch)
        up = ch.isdigit()
    return "".join(out) + "Backward" + str(overload)


def node_class(name, rule, n_outputs=1, saved_names=None):
    """Make the node class `name` for a derivative rule (one place decides every name).

    The rule's parameters after (need, g) name its saved values: `def MulBackward0(need, g,
    other, self)` gives `node._saved_other` and `node._saved_self`, as PyTorch's node does.
    """
    if name in NODE_CLASSES:
        raise ValueError(f"node {name} is declared twice (one rule per PyTorch node name)")
    code = rule.__code__
    if saved_names is None:
        saved_names = code.co_varnames[2:code.co_argcount]
    cls = type(name, (Node,), {"__slots__": (), "rule": staticmethod(rule),
                               "fast": staticmethod(rule), "n_outputs": n_outputs,
                               "__module__": "builtins", "_same_layout": True,
                               "_variants": None})
    expose_saved(cls, saved_names)
    NODE_CLASSES[name] = cls
    return cls


def rule(fn=None, *, n_outputs=1, name=None):
    """Declare a derivative rule; the node is named after the function: `@rule` over
    `def MulBackward0(need, g, other, self)` makes the node class MulBackward0 (bound to that
    name, so forward code writes `record(out, MulBackward0, ...)`). The rule returns one gradient
    per input edge (None where `need` is False).

    `@rule(n_outputs=2)` for an op with several outputs; `name=` only where PyTorch's name cannot
    be a Python name of the module (`NotImplemented` is a builtin)."""
    def deco(f):
        return node_class(name or f.__name__, f, n_outputs)
    return deco(fn) if fn is not None else deco


def _lane(attr, doc):
    """A decorator factory binding a function as node class attribute `attr`."""
    def lane(cls):
        def deco(fn):
            setattr(cls, attr, staticmethod(fn))
            return fn
        return deco
    lane.__name__ = f"{attr}_lane"
    lane.__doc__ = doc
    return lane


fast_lane = _lane("fast", """Give node class `cls` a faster rule for the engine's array lane:
`@fast_lane(MulBackward0)` over a function of the rule's signature that must return what the
rule returns, on arrays only (ops/fast.py; tests/core/test_fast_lane.py runs both on the same
inputs).""")
spare_lane = _lane("spare", """Give node class `cls` a rule that may write its result into the
incoming gradient's array, which the engine lends it when nothing else refers to that array
(core/spare.py): `@spare_lane(ExpBackward0)` over a function of the rule's signature returning
what the rule returns, on arrays only, reading g no more once it wrote into it (ops/fast.py).""")


def with_outputs(cls, n):
    """The class of node `cls` for an op call with n outputs (split, unbind: the engine sizes the
    gradient buffer from n_outputs). Same name and rule; not a second declaration."""
    variants = cls._variants
    if variants is None:
        variants = cls._variants = {}
    sub = variants.get(n)
    if sub is None:
        sub = variants[n] = type(cls.__name__, (cls,), {"__slots__": (), "n_outputs": n,
                                                        "__module__": "builtins",
                                                        "_variants": None})
    return sub


def _conj(x):
    if type(x) is tuple or type(x) is list:  # a node of several outputs: one gradient each
        return type(x)(map(_conj, x))
    if isinstance(x, Tensor):  # create_graph: conj recorded (ConjBackward0), as PyTorch's formulas
        return x.conj()
    return x if x is None else np.conj(x)


def _conj_out(x):
    """conj of a rule's gradient; a zero the rule made stays +0 (PyTorch's zeros), where
    conjugating it would give -0 in the imaginary part."""
    x = _conj(x)
    if type(x) is np.ndarray and x.dtype.kind == "c":
        x.imag += 0.0
    return x


# node name -> the rule PyTorch's derivatives.yaml writes for complex values (`grad *
# result.conj()`), used when the gradient is a tensor (create_graph) so that the graph of the
# backward pass has PyTorch's nodes; the other nodes conjugate around their real rule
# (registered by ops/complex_formulas.py)
COMPLEX_FORMULAS = {}


def complex_variant(cls):
    """The class of node `cls` for an op whose output is complex (same name, not a second
    declaration). PyTorch's gradients are conjugate Wirtinger derivatives: for a holomorphic
    op (or one linear with real coefficients) the rule on conj(g), conjugated, is that
    gradient (mul: g * conj(other)); a rule written for complex values already
    (`complex_rule = True`) is itself. A real input takes the real part (prim.fit)."""
    if getattr(cls, "complex_rule", False):
        return cls
    variant = _COMPLEX_VARIANTS.get(cls)
    if variant is None:
        if cls.fast is None:  # a node with its own apply (custom Functions, CopySlices, ...)
            raise NotImplementedError(f"{cls.__name__}: {errors.COMPLEX_BACKWARD}")
        real_rule = cls.rule
        formula = COMPLEX_FORMULAS.get(cls.__name__)

        def rule(need, g, *saved):
            if formula is not None and isinstance(g, Tensor):  # create_graph: PyTorch's graph
                return formula(need, g, *saved)
            out = real_rule(need, _conj(g), *saved)
            return tuple(map(_conj_out, out))
        variant = type(cls.__name__, (cls,), {"__slots__": (), "rule": staticmethod(rule),
                                              "fast": staticmethod(rule), "spare": None,
                                              "__module__": "builtins", "complex_rule": True})
        _COMPLEX_VARIANTS[cls] = variant  # (not an attribute: dir(node) stays PyTorch's)
    return variant


_COMPLEX_VARIANTS = {}  # a node class -> its complex variant, made on first use


AccumulateGrad.__module__ = "builtins"
# Names that ops give saved tensors (save(t, "self")), on every node: found by the tensor's name.
expose_saved(Node, ("self", "other", "result", "target", "indices", "mat2", "exponent"))
Node.saved_names = ()
