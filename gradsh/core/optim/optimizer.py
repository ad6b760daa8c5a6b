"""The Optimizer base class: parameter groups, per-parameter state, zero_grad, state_dict.

Updates run on the parameters' numpy arrays in place (as PyTorch's run under no_grad), each
bumping the parameter's version counter as an in-place op would.
"""

import copy
import functools
import warnings
from collections import OrderedDict, defaultdict

import numpy as np

from .. import factories
from ..dtypes import read_items
from .fused import scalar_type
from .. import errors
from ..errors import TorchAssertionError, TorchAttributeError
from ..grad_mode import enable_grad
from ..hooks import RemovableHandle
from ..ops.views import refresh_views
from ..tensor import Tensor
from ..sparse import SparseArray, made as _sparse_made
from ..torchclass import TorchClass


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


def bump(t, times=1):
    """t's version after `times` of PyTorch's in-place ops on it (`buf.mul_(m).add_(g)` is two);
    views of a parameter get their new nodes as after any in-place write."""
    t._vc[0] += times
    refresh_views(t)


def bump_all(*tensors):
    """Bump the version counter of each tensor (None skipped): the ones a step changed."""
    for t in tensors:
        if t is not None:
            bump(t)


def check_args(checks):
    """Raise ValueError with the message of the first failed (ok, message) pair: an optimiser's
    argument checks, listed in PyTorch's order."""
    for ok, message in checks:
        if not ok:
            raise ValueError(message)


def check_lr(lr, below_zero=False):
    """PyTorch's first check of every optimiser: a tensor lr holds one number, not negative.
    below_zero: the check is written `lr < 0.0` (SGD's; the others' `not 0.0 <= lr`), which
    shows in the TypeError of an lr that is no number."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if (lr < 0.0) if below_zero else (not 0.0 <= lr):
        raise ValueError(f"Invalid learning rate: {lr}")


def adam_checks(lr, eps, betas, weight_decay):
    """The argument checks PyTorch's Adam family shares (Adam, Adamax, NAdam, RAdam)."""
    check_lr(lr)
    return [(0.0 <= lr, f"Invalid learning rate: {lr}"),
            (0.0 <= eps, f"Invalid epsilon value: {eps}"),
            (0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}"),
            (0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}"),
            (0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")]


def zeros_state(x):
    """A state tensor of zeros shaped as the parameter array x (torch.zeros_like(p))."""
    return Tensor._make(np.zeros_like(x))


def start_state(state, x, zero_names, **numbers):
    """Count a step in a parameter's state and return its number; on its first step (PyTorch's
    lazy initialisation) first fill it: `step` and the given numbers as 0-d tensors of the
    default dtype, then a tensor of zeros shaped as the parameter array x for each name."""
    if not state:
        state["step"] = factories.tensor(0.0)
        for name, value in numbers.items():
            state[name] = factories.tensor(float(value))
        for name in zero_names:
            state[name] = zeros_state(x)
    return float(count_step(state)._data)


def count_step(state):
    """state['step'] + 1, in place: PyTorch's check that a program did not replace it."""
    step = state["step"]
    if not isinstance(step, Tensor) or step.numel() != 1:
        raise RuntimeError("API has changed, `state_steps` argument must contain a list of "
                           "singleton tensors")
    step._data += np.float32(1)
    bump(step)
    return step


# hooks on every optimizer's step (torch.optim.optimizer.register_optimizer_step_*_hook): the
# global pre-hooks run before an optimizer's own, the global post-hooks after its own
_global_step_pre_hooks = OrderedDict()
_global_step_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """hook(optimizer, args, kwargs) before every optimizer's step; returns a RemovableHandle."""
    handle = RemovableHandle(_global_step_pre_hooks)
    _global_step_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """hook(optimizer, args, kwargs) after every optimizer's step; returns a RemovableHandle."""
    handle = RemovableHandle(_global_step_post_hooks)
    _global_step_post_hooks[handle.id] = hook
    return handle


def reset_global_hooks():
    """Forget the global step hooks (a program's hooks do not outlive it)."""
    _global_step_pre_hooks.clear()
    _global_step_post_hooks.clear()


def _with_step_hooks(step):
    """step running the optimizer's step pre- and post-hooks around it, as PyTorch's patched
    step does (a pre-hook may return (new_args, new_kwargs)); the hooks run once even when a
    subclass's step calls its base class's."""

    @functools.wraps(step)
    def hooked(self, *args, **kwargs):
        if not isinstance(self, Optimizer):  # Adam.step(t): the step's own error, as PyTorch's
            return step(self, *args, **kwargs)
        if _sparse_made[0] and not self._sparse_grads:
            _refuse_sparse(self)
        pre = [*_global_step_pre_hooks.values(),
               *self.__dict__.get("_optimizer_step_pre_hooks", {}).values()]
        post = [*self.__dict__.get("_optimizer_step_post_hooks", {}).values(),
                *_global_step_post_hooks.values()]
        if not (pre or post) or self.__dict__.get("_in_hooked_step"):
            return step(self, *args, **kwargs)
        # the hooks see the step's whole argument tuple, the optimizer first (PyTorch's)
        args = (self, *args)
        for hook in pre:
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{hook} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
                args, kwargs = result
        self._in_hooked_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_hooked_step = False
        for hook in post:
            hook(self, args, kwargs)
        return out

    return hooked


_HOOK_TABLES = ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                "_optimizer_load_state_dict_pre_hooks", "_optimizer_load_state_dict_post_hooks")


def _refuse_sparse(opt):
    """PyTorch's RuntimeError of an optimizer without a sparse path, given a sparse .grad."""
    for group in opt.param_groups:
        for p in group["params"]:
            g = getattr(p, "_grad", None)
            if g is not None and type(g._data) is SparseArray:
                raise RuntimeError(opt._sparse_message or
                                   f"{type(opt).__name__} does not support sparse gradients")


class Optimizer(metaclass=TorchClass):
    """Base class: subclasses set defaults and implement step()."""

    # what loading a state dict fills in (PyTorch's __setstate__, for checkpoints of older
    # versions): the group keys a group lacks, with these values (not the constructor's), and
    # the state entries given as Python numbers, made 0-d tensors of the default dtype
    _group_fallbacks = {}
    _number_state = ("step",)
    _sparse_grads = False  # does step() take sparse gradients (SGD, Adagrad, SparseAdam)?
    _sparse_message = None  # the refusal's words when not PyTorch's plain ones

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _with_step_hooks(cls.__dict__["step"])

    def register_step_pre_hook(self, hook):
        """hook(optimizer, args, kwargs) before each step; returns a RemovableHandle."""
        return self._add_step_hook("_optimizer_step_pre_hooks", hook)

    def register_step_post_hook(self, hook):
        """hook(optimizer, args, kwargs) after each step; returns a RemovableHandle."""
        return self._add_step_hook("_optimizer_step_post_hooks", hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer) before state_dict() builds the dict."""
        return self._add_step_hook("_optimizer_state_dict_pre_hooks", hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) after state_dict(); a dict it returns is the result."""
        return self._add_step_hook("_optimizer_state_dict_post_hooks", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) before load_state_dict(); a dict it returns is loaded."""
        return self._add_step_hook("_optimizer_load_state_dict_pre_hooks", hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer) after load_state_dict()."""
        return self._add_step_hook("_optimizer_load_state_dict_post_hooks", hook, prepend)

    def _add_step_hook(self, table, hook, prepend=False):
        hooks = self.__dict__.setdefault(table, OrderedDict())
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def _hooks(self, table):
        return list(self.__dict__.get(table, {}).values())

    def __init__(self, params, defaults):
        # PyTorch's private state of every optimizer (a program may read it: the hook tables,
        # empty until a register_*_hook, and the profiler's name of zero_grad)
        for table in _HOOK_TABLES:
            self.__dict__[table] = OrderedDict()
        self._zero_grad_profile_name = "Optimizer.zero_grad#%s.zero_grad" % type(self).__name__
        self._warned_capturable_if_run_uncaptured = True
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        groups = list(read_items(params, "the optimizer's params"))  # an endless one stops
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)
        if defaults.get("fused"):  # SGD, Adam, AdamW and Adagrad check both, in this order
            if defaults.get("differentiable"):
                raise RuntimeError("`fused` does not support `differentiable`")
            if defaults.get("foreach"):
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def add_param_group(self, param_group):
        """Check a group (a dict with "params"), fill in the optimizer's defaults for what it
        does not set, and add it; in PyTorch's order of checks."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        names, params = _split_names(param_group["params"])
        tensors = param_group["params"] = _group_params(params)
        if self.param_groups and ("param_names" in self.param_groups[0]) != (names is not None):
            raise ValueError("all optimizer param groups should be with/without names. cannot add "
                             "param group %s names to the optimizer"
                             % ("with" if names is not None else "without"))
        if names is not None:
            param_group["param_names"] = names
        for key, value in self.defaults.items():
            if key in param_group:
                continue
            if value is required:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {key}")
            param_group[key] = value
        ids = [id(p) for p in tensors]
        if len(set(ids)) < len(ids):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        taken = {id(p) for other in self.param_groups for p in other["params"]}
        if taken.intersection(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups += [param_group]

    def _all_params(self):
        return (p for g in self.param_groups for p in g["params"])

    def zero_grad(self, set_to_none=True):
        for p in self._all_params():
            g = p._grad
            if g is None:
                continue
            if set_to_none:
                p._grad = None
                continue
            # zeroed in place, cut from any graph it had (create_graph=True made one)
            if g._grad_fn is not None:
                g.detach_()
            else:
                g.requires_grad_(False)
            g.zero_()

    def _state_of(self, p):
        return self.state[p]

    def state_dict(self):
        for hook in self._hooks("_optimizer_state_dict_pre_hooks"):
            hook(self)
        index = {}
        groups = []
        for g in self.param_groups:
            packed = {k: v for k, v in g.items() if k != "params"}
            ids = []
            for p in g["params"]:
                if id(p) not in index:
                    index[id(p)] = len(index)
                ids.append(index[id(p)])
            packed["params"] = ids
            groups.append(packed)
        state = {index[id(p)]: v for p, v in self.state.items() if id(p) in index}
        result = {"state": state, "param_groups": groups}
        for hook in self._hooks("_optimizer_state_dict_post_hooks"):
            returned = hook(self, result)
            if returned is not None:
                result = returned
        return result

    def load_state_dict(self, state_dict):
        state_dict = state_dict.copy()  # the hooks may edit it, not the caller's dict (and
        # what has no copy() is Python's AttributeError, as in PyTorch)
        for hook in self._hooks("_optimizer_load_state_dict_pre_hooks"):
            returned = hook(self, state_dict)
            if returned is not None:
                state_dict = returned
        self._load_state_dict(state_dict)
        for hook in self._hooks("_optimizer_load_state_dict_post_hooks"):
            hook(self)

    def _load_state_dict(self, state_dict):
        groups = self.param_groups
        saved = state_dict["param_groups"]
        if len(groups) != len(saved):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        by_index = {}
        for g, s in zip(groups, saved):
            for p, i in zip(g["params"], s["params"]):
                by_index[i] = p
        self.state = defaultdict(dict)
        for i, st in state_dict["state"].items():
            if i not in by_index:  # state of no parameter: kept under its key, as PyTorch's
                self.state[i] = st
                continue
            # as PyTorch's: the loaded tensors are the given ones (`step` as it is, the others
            # `.to(param.dtype)`, itself when the dtype is the same), not copies
            p = by_index[i]
            self.state[p] = {k: (v if k == "step" else v.to(p.dtype))
                             if isinstance(v, Tensor) else self._loaded_number(k, v)
                             for k, v in st.items()}
        new_groups = []
        for g, s in zip(groups, copy.deepcopy(saved)):
            ng = dict(s)
            ng["params"] = g["params"]  # (in the saved group's place for it, as PyTorch's)
            if "param_names" in g and "param_names" not in ng:  # a state dict saved without names
                ng["param_names"] = g["param_names"]
            for key, value in self._group_fallbacks.items():
                ng.setdefault(key, value)
            new_groups.append(ng)
        self.param_groups = new_groups

    def _loaded_number(self, key, value):
        if key in self._number_state and isinstance(value, (int, float)) and not isinstance(
                value, bool):
            return factories.tensor(float(value))
        return value

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __repr__(self):
        blocks = []
        for number, group in enumerate(self.param_groups):
            settings = (f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
            blocks.append("\n".join([f"Parameter Group {number}", *settings]))
        head = f"{type(self).__name__} ("
        return f"{head}\n" + "\n\n".join(blocks) + "\n)" if blocks else f"{head}\n)"

    def step(self, closure=None):
        raise NotImplementedError

    @staticmethod
    def _with_grads(group):
        """(param, its array, its scalar type, its gradient's array, negated under maximize) for
        each parameter of the group that has a gradient: what every step() walks."""
        maximize = group.get("maximize", False)
        foreach = group.get("foreach", False)
        for p in group["params"]:
            try:
                grad = p._grad
            except AttributeError:  # a program put something else in param_groups
                raise TorchAttributeError("'%s' object has no attribute 'grad'"
                                          % type(p).__name__) from None
            if grad is not None:
                x, g = p._data, -grad._data if maximize else grad._data
                if x.dtype.kind == "c":  # PyTorch steps view_as_real(param): each part alone
                    x, g = as_real(x), as_real(g)
                yield p, x, scalar_type(x.dtype, foreach), g

    def _params_with_grads(self):
        """(group, param, its array, scalar type, gradient array, state) for every parameter
        with a gradient, group after group."""
        for group in self.param_groups:
            for p, x, t, g in self._with_grads(group):
                yield group, p, x, t, g, self.state[p]

    def _closure(self, closure):
        """The closure's loss (None without one), then the refusal of options this CPU-only
        library cannot honour for the parameters about to be stepped (PyTorch's, after the
        closure has run)."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._refuse_cpu_options()
        return loss

    # the words of PyTorch's assertion for capturable=True with CPU tensors (None: the
    # optimizer has no such option); each optimizer names the state it keeps
    _capturable_words = "params and state_steps"
    _capturable_devices = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
    # foreach=True runs PyTorch's _multi_tensor_* function, whose words may differ: most of
    # them leave 'xla' out (None: as the single-tensor function's)
    _capturable_foreach_words = None
    _capturable_foreach_devices = None
    NO_XLA = "['cuda', 'xpu', 'hpu', 'privateuseone']"

    def _refuse_cpu_options(self):
        """capturable=True wants CUDA-graph devices; differentiable=True records the update in
        the graph, in place on the parameter (a leaf that requires grad: PyTorch's in-place
        error, grad mode or not)."""
        for group in self.param_groups:
            stepped = [p for p in group["params"] if getattr(p, "_grad", None) is not None]
            if not stepped:
                continue
            if group.get("capturable") and self._capturable_words:
                foreach = group.get("foreach")
                words = foreach and self._capturable_foreach_words or self._capturable_words
                devices = foreach and self._capturable_foreach_devices or \
                    self._capturable_devices
                raise TorchAssertionError(
                    f"If capturable=True, {words} must be on supported devices: {devices}.")
            if group.get("differentiable") and any(p.requires_grad for p in stepped):
                raise RuntimeError(errors.LEAF_INPLACE)


def as_real(a):
    """A complex array as real pairs (shape + (2,)): a view of a C-contiguous parameter, which
    the step writes through; a copy of anything else (a gradient is only read)."""
    real = a.real.dtype
    if a.flags.c_contiguous:
        return a.reshape(a.shape + (1,)).view(real)
    return np.stack([a.real, a.imag], axis=-1)


def _split_names(params):
    """A group's "params" given as (name, tensor) pairs (`model.named_parameters()`): the names
    and the tensors; (None, params) when they are not named. Named and unnamed ones together
    are refused, as PyTorch refuses them."""
    if isinstance(params, (Tensor, set)):
        return None, params
    items = list(read_items(params, "a param group's params"))
    named = [isinstance(p, tuple) for p in items]
    if not any(named):
        return None, items
    if not all(named):
        raise ValueError("all optimizer params should be with/without names. Some param names "
                         "are missing")
    return [p[0] for p in items], [p[1] for p in items]


def _group_params(params):
    """A group's "params" as a list of leaf tensors (one tensor alone allowed; a set refused,
    its order being arbitrary)."""
    if isinstance(params, Tensor):
        tensors = [params]
    elif isinstance(params, set):
        raise TypeError("optimizer parameters need to be organized in ordered collections, "
                        "but the ordering of tensors in sets will change between runs. "
                        "Please use a list instead.")
    else:
        tensors = list(read_items(params, "a param group's params"))
    for p in tensors:
        if not isinstance(p, Tensor):
            raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                            + _typename(p))
        if not p.is_leaf:
            raise ValueError("can't optimize a non-leaf Tensor")
    return tensors


def _typename(obj):
    if isinstance(obj, Tensor):
        return "torch." + obj.dtype._legacy
    return type(obj).__name__
