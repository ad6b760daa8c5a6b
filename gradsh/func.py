"""torch.func over gradsh's engine: grad, grad_and_value, vjp, jacrev, jacfwd, hessian, and
functional_call (a module run with other tensors in place of its parameters and buffers).

The transforms take functions of tensors that need not require grad and return plain tensors;
nested (grad of grad, jacfwd of jacrev) they stay differentiable for the outer transform.
Reverse mode runs on the ordinary engine (create_graph=True inside a transform); jacfwd pushes
basis tangents through forward-mode AD (gradsh.autograd.forward_ad) and falls back to reverse
mode for a function using an op without a forward rule. vmap calls the function once per
slice and stacks the results (PyTorch batches the ops instead: the same values, but the
results' grad_fn is the stack's, and .item() inside works).
"""

import functools as _functools
import sys as _sys
import types as _types

import numpy as _np

from . import _api
from .autograd import forward_ad as _fwAD
from .core import autograd as _autograd
from .core import autograd_functional as _autograd_functional
from .core import custom_function as _custom_function
from .core import factories as _factories
from .core import random_api as _random_api
from .core.memory import check_alloc as _check_alloc
from .core.dtypes import MAX_SIZE_LENGTH as _MAX_LEAVES, TooManyItems as _TooManyItems
from .core.grad_mode import enable_grad as _enable_grad
from .core.ops import shape as _shape
from .core.ops.base import make as _make, record as _record
from .core.ops.index import AliasBackward0 as _AliasBackward0
from .core.ops.views import view_of as _view_of
from .core.errors import TorchAttributeError as _TorchAttributeError
from .core.nn.module import Module as _Module
from .core.nn.normalization import _BatchNorm
from .core.tensor import Tensor as _Tensor

__all__ = ["stack_module_state", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functional_call", "vmap", "linearize", "replace_all_batch_norm_modules_"]

_depth = [0]   # transforms being evaluated (an inner one keeps its results differentiable)


def _check_inputs(args):
    for a in args:
        if isinstance(a, (list, tuple)):     # PyTorch looks inside containers (pytrees)
            _check_inputs(a)
        elif isinstance(a, dict):
            _check_inputs(list(a.values()))
        elif not isinstance(a, _Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(a)}")


def _argnums(argnums, n):
    many = isinstance(argnums, tuple)
    nums = argnums if many else (argnums,)
    if not nums:
        raise RuntimeError("argnums must be non-empty")
    for k in nums:
        if not isinstance(k, int) or isinstance(k, bool):
            raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(k)}")
        if not -n <= k < n:
            raise RuntimeError(f"Got argnum={k}, but only {n} positional inputs")
    return tuple(k % n for k in nums), many


def _leaves(tree):
    """The tensors of a pytree (a tensor, or tuples, lists and dicts of them), in order; a tree
    of more leaves than gradsh's item limit is refused before they are gathered (issue 16,
    round 15: a list holding one list twice at each of sixty levels has 2**60 leaves)."""
    count = _leaf_count(tree, {})
    if count > _MAX_LEAVES:
        raise _TooManyItems("a pytree of %d leaves: above gradsh's limit of %d items"
                            % (count, _MAX_LEAVES))
    return _gathered(tree)


def _leaf_count(tree, seen):
    """How many leaves tree has, each container counted once however often it is shared."""
    if not isinstance(tree, (dict, list, tuple)):
        return 1
    known = seen.get(id(tree))
    if known is None:
        items = tree.values() if isinstance(tree, dict) else tree
        seen[id(tree)] = known = sum(_leaf_count(v, seen) for v in items)
    return known


def _gathered(tree):
    if isinstance(tree, dict):
        return [t for v in tree.values() for t in _gathered(v)]
    if isinstance(tree, (list, tuple)):
        return [t for v in tree for t in _gathered(v)]
    return [tree]


def _rebuild(tree, leaves):
    """tree's structure holding the next values of the iterator `leaves`."""
    if isinstance(tree, dict):
        return {k: _rebuild(v, leaves) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_rebuild(v, leaves) for v in tree)
    return next(leaves)


def _treespec(tree):
    """tree's structure (its containers' kinds and dict keys, a leaf as None): two trees match
    when these are equal, as PyTorch's pytree specs (a tuple is not a list)."""
    if isinstance(tree, dict):
        return (dict, tuple(tree), tuple(_treespec(v) for v in tree.values()))
    if isinstance(tree, (list, tuple)):
        return (type(tree), len(tree), tuple(_treespec(v) for v in tree))
    return None


def _treespec_text(tree):
    """PyTorch's short text of a pytree's structure: `*` for a leaf, `(*, [*])`, `{'a': *}`."""
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{k!r}: {_treespec_text(v)}" for k, v in tree.items()) + "}"
    if isinstance(tree, list):
        return "[" + ", ".join(_treespec_text(v) for v in tree) + "]"
    if isinstance(tree, tuple):
        inner = ", ".join(_treespec_text(v) for v in tree)
        return "(" + inner + ("," if len(tree) == 1 else "") + ")"
    return "*"


def _prepare_tree(tree):
    if isinstance(tree, _Tensor):
        return _prepare([tree], (0,))[0]
    return _rebuild(tree, iter(_prepare(_leaves(tree), range(len(_leaves(tree))))))


def _prepare(args, nums):
    """The arguments with each differentiated one made a tensor that requires grad: a fresh
    leaf on the same values, or the tensor itself when it already requires grad (an outer
    transform's input, or the user's): then the results stay differentiable with respect to
    it, as PyTorch's do."""
    args = list(args)
    for k in nums:
        x = args[k]
        _check_inputs([x])
        if not x.requires_grad:
            tangent = _fwAD.unpack_dual(x).tangent
            leaf = x.detach().requires_grad_(True)
            for fresh in _fresh[1:]:    # (made inside each transform being evaluated)
                fresh.add(id(leaf))
            # a dual input (jacfwd over this transform): the leaf carries its tangent, so the
            # reverse pass below runs on dual tensors (forward over reverse, as PyTorch's)
            if tangent is not None:
                _dual_reverse[0] = True
                leaf = _fwAD.make_dual(leaf, tangent)
            args[k] = leaf
        else:
            _keep[-1] = True
    return args


_keep = [False]   # per transform call: did an input already require grad?
_fresh = [set()]  # per transform call: ids of the leaves it made for its inputs
_dual_reverse = [False]   # did a reverse-mode transform run on a dual input (jacfwd's)?


def _finish(value, fresh=None):
    """Results leave the outermost transform as plain tensors, unless an input required grad
    or the function used a tensor from outside that does (a closure's parameter): PyTorch's
    results keep that history."""
    if _depth[0] > 1 or _keep[-1]:
        return value
    if isinstance(value, _Tensor):
        return value if _reaches_outside(value, fresh) else value.detach()
    if isinstance(value, (tuple, list)):
        return type(value)(_finish(v, fresh) for v in value)
    if isinstance(value, dict):
        return {k: _finish(v, fresh) for k, v in value.items()}
    return value


def _reaches_outside(value, fresh=None):
    """Does value's history reach a leaf that requires grad other than the transform's own
    (`fresh`: their ids; by default the current transform's)?"""
    fresh = _fresh[-1] if fresh is None else fresh
    fn = value.grad_fn
    if fn is None:
        return False
    seen, todo = {id(fn)}, [fn]
    while todo:
        node = todo.pop()
        if type(node).__name__ == "AccumulateGrad":
            if id(node.variable) not in fresh:
                return True
            continue
        for nxt, _ in node.next_functions:
            if nxt is not None and id(nxt) not in seen:
                seen.add(id(nxt))
                todo.append(nxt)
    return False


def _check_aux(aux):
    """The aux of has_aux=True is a tree of tensors (tuples, lists, dicts), as PyTorch's pytrees
    require: a number, a string or None in it is PyTorch's error."""
    if isinstance(aux, (tuple, list)):
        for v in aux:
            _check_aux(v)
    elif isinstance(aux, dict):
        for v in aux.values():
            _check_aux(v)
    elif not isinstance(aux, _Tensor):
        raise RuntimeError(f"Expected tensors, got unsupported type {type(aux)}")


def _grads(outs, inputs, grad_outputs=None, retain_graph=None):
    """d outs / d inputs, zeros where an input does not reach the outputs: also when no output
    depends on any input at all (a constant function, or an inner transform's result that
    does not depend on the outer input), where PyTorch's transforms give zeros too."""
    outs = [outs] if isinstance(outs, _Tensor) else list(outs)
    cots = [None] * len(outs) if grad_outputs is None else (
        [grad_outputs] if isinstance(grad_outputs, _Tensor) else list(grad_outputs))
    live = [(o, c) for o, c in zip(outs, cots) if o.requires_grad]
    gs = (None,) * len(inputs)
    if live:
        gs = _autograd.grad([o for o, _ in live], inputs,
                            None if grad_outputs is None else [c for _, c in live],
                            create_graph=True, retain_graph=retain_graph, allow_unused=True)
    return tuple(_factories.zeros_like(x) if g is None else g for g, x in zip(gs, inputs))


class _Transform:
    """One transform's evaluation; batched: it is (or PyTorch builds it on) a vmap, under which a
    custom Function needs a vmap rule."""

    def __init__(self, batched=False):
        self.batched = batched

    def __enter__(self):
        _depth[0] += 1
        _custom_function.under_transform[0] += 1
        _custom_function.under_vmap[0] += self.batched
        _custom_function.grad_levels[0] += 1
        _keep.append(False)
        _fresh.append(set())
        self._grad = _enable_grad()
        self._grad.__enter__()

    def __exit__(self, *exc):
        self._grad.__exit__(*exc)
        _keep.pop()
        _fresh.pop()
        _custom_function.under_transform[0] -= 1
        _custom_function.under_vmap[0] -= self.batched
        _custom_function.grad_levels[0] -= 1
        _depth[0] -= 1
        return False


def grad_and_value(func, argnums=0, has_aux=False):
    """f -> (gradient of f's scalar output with respect to the argnums inputs, f's output)."""
    @_functools.wraps(func)  # (PyTorch's transforms keep f's name: vmap's errors show it)
    def wrapper(*args, **kwargs):
        nums, many = _argnums(argnums, len(args))
        with _Transform():
            args = list(args)
            for k in nums:
                args[k] = _prepare_tree(args[k])
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be "
                                       "a tuple: (output, aux) if has_aux is True")
                out, aux = out
                _check_aux(aux)
            if not isinstance(out, _Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"Tensor, got {type(out)}")
            if out.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"scalar Tensor, got tensor with {out.dim()} dims. Maybe you "
                                   "wanted to use the vjp or jacrev APIs instead?")
            leaves = [_leaves(args[k]) for k in nums]
            flat = iter(_grads(out, [t for ts in leaves for t in ts]))
            gs = tuple(_rebuild(args[k], flat) for k in nums)
            g = gs if many else gs[0]
            value = (out, aux) if has_aux else out
            return _finish(g), _finish(value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """f -> the gradient of f's scalar output with respect to its argnums inputs."""
    inner = grad_and_value(func, argnums, has_aux)

    @_functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = inner(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


def vjp(func, *primals, has_aux=False):
    """(f(*primals), vjp_fn): vjp_fn(cotangent) is the tuple of cotangent-Jacobian products."""
    _check_inputs(primals)
    with _Transform():
        # (a primal may be a pytree, a dict of parameters as the NTK tutorial's: the
        # cotangents come back in the primals' structure)
        leaves = _leaves(primals)
        args = _prepare(leaves, range(len(leaves)))
        fresh = _fresh[-1]
        out = func(*_rebuild(primals, iter(args)))
        aux = None
        if has_aux:
            out, aux = out
            _check_aux(aux)
        _output_leaves(out, "vjp(f, *primals)")
    depth = _depth[0]

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        outs = _output_leaves(out, "vjp(f, *primals)")
        cots = _leaves(cotangents)
        if _treespec(cotangents) != _treespec(out):
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of "
                f"outputs to the function. cotangents: {_treespec_text(cotangents)}, primal "
                f"output: {_treespec_text(out)}")
        _depth[0] += 1
        try:
            with _enable_grad():
                gs = _grads(outs, args, cots, retain_graph=True)
            if depth == 0 and _depth[0] == 1:
                gs = tuple(g if _reaches_outside(g, fresh) else g.detach() for g in gs)
            return _rebuild(primals, iter(gs))
        finally:
            _depth[0] -= 1

    _depth[0] += 1
    try:
        result = (_finish(out, fresh), vjp_fn)
        return result + (_finish(aux, fresh),) if has_aux else result
    finally:
        _depth[0] -= 1


def _tuple_of_tensors(value, what):
    if not isinstance(value, tuple):
        raise RuntimeError(f"jvp(f, primals, tangents): Expected {what} to be a tuple. "
                           "E.g. it should be valid to call f(*primals).")
    _check_inputs(value)
    return value


def _tree_spec(values):
    """How PyTorch's pytree prints a flat tuple of tensors."""
    return "TreeSpec(tuple, None, [%s])" % ",\n  ".join("*" * len(values))


def _output_leaves(res, api):
    """The tensors of f's output tree (a Jacobian is built for each and put back in its
    place); PyTorch's errors for an empty output or one holding something else."""
    leaves = _leaves(res)
    if not leaves or leaves == [None]:      # (PyTorch's words for f returning None too)
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output "
                           f"(got output = {leaves})")
    for leaf in leaves:
        if not isinstance(leaf, _Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got "
                               f"unsupported type {type(leaf)}")
    return leaves


def _outputs(res):
    """f's outputs as a tuple; PyTorch's error when there are none."""
    outs = (res,) if isinstance(res, _Tensor) else tuple(res)
    if not outs:
        raise RuntimeError("jvp(f, primals, tangents): Expected f to be a function that has "
                           "non-empty output (got output = [])")
    return outs


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """(f(*primals), J tangents) by forward-mode AD: one pass with dual tensors."""
    primals = _tuple_of_tensors(primals, "primals")
    tangents = _tuple_of_tensors(tangents, "tangents")
    if not primals:
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to contain at least "
                           "one Tensor.")
    primal_leaves, tangent_leaves = _leaves(primals), _leaves(tangents)
    if len(primals) != len(tangents) or len(primal_leaves) != len(tangent_leaves):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have "
                           "the same python structure. For example, if primals is a tuple of "
                           "3 tensors, tangents also must be. Got primals with structure "
                           f"{_tree_spec(primals)} and tangents with structure "
                           f"{_tree_spec(tangents)}")
    _dual_reverse[0] = False
    with _Transform(), _fwAD.dual_level():
        fresh = _fresh[-1]  # (the leaves inner transforms make: not history of the results)
        # (each primal may be a pytree, a dict of parameters as the NTK tutorial's)
        duals = iter([_fwAD.make_dual(p, t) for p, t in zip(primal_leaves, tangent_leaves)])
        res = func(*_rebuild(primals, duals))
        aux = None
        if has_aux:
            res, aux = res
            _check_aux(aux)
        outs = _output_leaves(res, "jvp(f, primals, tangents)")
        pairs = [_fwAD.unpack_dual(o) for o in outs]
        values = tuple(p for p, _ in pairs)
        values = tuple(p if o._grad_fn is None else _alias(o) for o, p in zip(outs, values))
        jvps = tuple(_factories.zeros_like(p) if t is None else t for p, t in pairs)
    if _dual_reverse[0]:
        # a reverse-mode transform inside func ran on the dual inputs (jvp(grad(f))): forward
        # over reverse, as PyTorch; checked against the same product by reverse mode (the
        # double-backward trick), which stands when a backward rule dropped a tangent
        plain = (lambda *a: func(*a)[0]) if has_aux else func
        # (the outputs as a tuple of their leaves: func may return a dict, as grad of a
        # function of a parameter dict does)
        _, r = _autograd_functional.jvp(
            lambda *leaves: tuple(_leaves(plain(*_rebuild(primals, iter(leaves))))),
            tuple(primal_leaves), tuple(tangent_leaves))
        if not _agrees(jvps, tuple(_leaves(r)), False):
            jvps = _leaves(r)
    values, jvps = _rebuild(res, iter(values)), _rebuild(res, iter(jvps))
    result = (_finish(values, fresh), _finish(jvps, fresh))
    return result + (_finish(aux, fresh),) if has_aux else result


def _jacobian_rows(out, x):
    """d out / d x by reverse mode: one backward pass per output element."""
    # the Jacobian's size first: past the tensor limit it is refused before any pass (10^8
    # backward passes of x.repeat(10 ** 4) ran for ever before failing at the end)
    _check_alloc(tuple(out.shape) + tuple(x.shape), x._data.dtype)
    flat = out.reshape(-1)
    rows = []
    for i in range(flat.numel()):
        rows.append(_grads(flat[i], [x], retain_graph=True)[0])
    if not rows:
        return _factories.zeros(tuple(out.shape) + tuple(x.shape), dtype=x.dtype)
    # (the public stack: under a dual level it is the one that carries tangents)
    return _api.stack(rows).reshape(tuple(out.shape) + tuple(x.shape))


def _joint_rows(outs, xs):
    """The Jacobian of each of several outputs with respect to each x, one backward pass per
    output element over all the outputs at once, the others' cotangents zeros (PyTorch's
    jacrev pulls back one basis spanning every output): the zeros they send back are added
    in, so a -0. from one output's path meets a +0. from another's as it does there."""
    for o in outs:
        for x in xs:
            _check_alloc(tuple(o.shape) + tuple(x.shape), x._data.dtype)
    blocks = []
    for n, o in enumerate(outs):
        rows = [[] for _ in xs]
        for i in range(o.numel()):
            cots = [_factories.zeros_like(p) for p in outs]
            cots[n].view(-1)[i] = 1
            for r, g in zip(rows, _grads(outs, xs, cots, retain_graph=True)):
                r.append(g)
        blocks.append([_api.stack(r).reshape(tuple(o.shape) + tuple(x.shape)) if r else
                       _factories.zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype)
                       for r, x in zip(rows, xs)])
    return blocks


def _jac(func, argnums, has_aux, forward, batched=None):
    @_functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums, many = _argnums(argnums, len(args))
        _check_inputs([args[k] for k in nums])
        # (PyTorch's jacfwd is a vmap of jvp: a custom Function under it needs a vmap rule)
        with _Transform(batched=forward if batched is None else batched):
            trees = any(not isinstance(args[k], _Tensor) for k in nums)
            if forward and _depth[0] == 1 and not trees:
                try:
                    _dual_reverse[0] = False
                    result = _forward_jacobian(func, args, kwargs, nums, many, has_aux)
                    if not _dual_reverse[0]:
                        return _finish(result)
                    # forward over reverse (hessian): a backward rule written with an op
                    # that is no forward-AD op drops a tangent silently; reverse over
                    # reverse checks it (the same numbers but for rounding and zeros' signs)
                    check = _reverse_jacobian(func, args, kwargs, nums, many, has_aux)
                    if _agrees(result, check, has_aux):
                        return _finish(result)
                    return _finish(check)
                except _fwAD.NotInGradsh:
                    pass             # an in-place op on a dual tensor: reverse mode instead
            return _finish(_reverse_jacobian(func, args, kwargs, nums, many, has_aux))
    return wrapper


def _agrees(result, check, has_aux):
    """Do two Jacobians hold the same numbers up to rounding?"""
    if has_aux:
        result, check = result[0], check[0]
    for a, b in zip(_leaves(result), _leaves(check)):
        x, y = a._data, b._data
        scale = float(abs(y).max()) if y.size and y.dtype.kind in "fcV" else 0.0
        if not (x.shape == y.shape and _np.allclose(x, y, rtol=1e-3, atol=1e-5 * (1 + scale),
                                                     equal_nan=True)):
            return False
    return True


def _reverse_jacobian(func, args, kwargs, nums, many, has_aux):
    """jacrev's Jacobian: one backward pass per output element."""
    # (an input that is a tree of tensors, a dict of parameters: reverse mode, the
    # Jacobian with respect to each leaf in its place)
    args = list(args)
    for k in nums:
        args[k] = _prepare_tree(args[k])
    out = func(*args, **kwargs)
    aux = None
    if has_aux:
        out, aux = out
        _check_aux(aux)
    outs = _output_leaves(out, "vjp(f, *primals)")
    if len(outs) == 1:
        jac = [tuple(_rebuild(args[k], iter([_jacobian_rows(outs[0], x)
                                             for x in _leaves(args[k])])) for k in nums)]
    else:
        xs = [_leaves(args[k]) for k in nums]
        blocks = _joint_rows(outs, [x for leaves in xs for x in leaves])
        jac = []
        for row in blocks:
            row = iter(row)
            jac.append(tuple(_rebuild(args[k], iter([next(row) for _ in xs[n]]))
                             for n, k in enumerate(nums)))
    result = _rebuild(out, iter([j if many else j[0] for j in jac]))
    return (result, aux) if has_aux else result


def _refusing_randomness(func, args, kwargs):
    """func(*args, **kwargs), with the error PyTorch's vmap (jacfwd's engine) gives when func
    draws random numbers (checked on the first call: the calls are alike)."""
    before = _random_api.get_rng_state()
    res = func(*args, **kwargs)
    if not _random_api.get_rng_state().equal(before):
        raise RuntimeError("vmap: called random operation while in randomness error mode. "
                           "Please either use the 'same' or 'different' randomness flags on "
                           "vmap or perform the randomness operation out of vmap")
    return res


def _forward_jacobian(func, args, kwargs, nums, many, has_aux):
    """Columns of the Jacobian from forward-mode AD, one basis tangent at a time (as PyTorch's
    jacfwd computes them, so the signs of its zeros are PyTorch's)."""
    per_input = []
    aux = out = None
    for k in nums:
        x = args[k]
        cols = []
        for j in range(max(x.numel(), 1)):   # an empty x: one call, for the outputs
            e = _factories.zeros(x.numel(), dtype=x.dtype)
            if x.numel():
                e[j] = 1
            with _fwAD.dual_level():
                call = list(args)
                if many:   # (PyTorch's basis spans all argnums inputs: the others' are zeros)
                    for other in nums:
                        call[other] = _fwAD.make_dual(args[other],
                                                      _factories.zeros_like(args[other]))
                call[k] = _fwAD.make_dual(x, e.reshape(x.shape))
                first = not per_input and not cols
                res = _refusing_randomness(func, call, kwargs) if first else func(*call, **kwargs)
                if has_aux:
                    res, aux = res
                    _check_aux(aux)
                outs = _output_leaves(res, "jvp(f, primals, tangents)")
                pairs = [_fwAD.unpack_dual(o) for o in outs]
                tangents = [_factories.zeros_like(p) if t is None else t for p, t in pairs]
                out = res
            if not cols:  # the Jacobian's size, known from the first column: checked before
                for p, _ in pairs:  # the others are made (as _jacobian_rows does)
                    _check_alloc(tuple(p.shape) + tuple(x.shape), p._data.dtype)
            if not x.numel():
                break
            cols.append(tangents)
        per_input.append(cols)
    outs = _leaves(out)
    jac = []
    for oi, o in enumerate(outs):
        parts = []
        for k, cols in zip(nums, per_input):
            x = args[k]
            if cols:
                j = _shape.stack([c[oi] for c in cols], -1)
            else:
                j = _factories.zeros(tuple(o.shape) + (0,), dtype=o.dtype)
            parts.append(j.reshape(tuple(o.shape) + tuple(x.shape)))
        jac.append(tuple(parts) if many else parts[0])
    result = _rebuild(out, iter(jac))
    return (result, aux) if has_aux else result


def _alias(value):
    """An output of jvp with history (a closed-over tensor requiring grad): PyTorch hands back
    an alias of the function's output (AliasBackward0 over its node), without the tangent."""
    out = _view_of(_make(value._data), value, "reshape", value._data.shape)
    _record(out, _AliasBackward0, (value,))
    return out


def linearize(func, *primals):
    """(func(*primals), jvp_fn): jvp_fn(*tangents) is the Jacobian-vector product at primals
    (PyTorch traces func once; here each call is a jvp, the same values)."""
    for p in primals:
        if isinstance(p, _Tensor) and not (p.is_floating_point() or p.is_complex()):
            raise ValueError(f"Expected primal to be floating point or complex, but got: "
                             f"{p.dtype}")
    _tuple_of_tensors(primals, "primals")
    out = func(*primals)     # (PyTorch's output is the function's own, its history kept)

    def jvp_fn(*tangents):
        if len(tangents) != len(primals) or not all(isinstance(t, _Tensor) for t in tangents):
            raise RuntimeError(f"Expected the tangents {_tree_spec(tangents)} to have the same "
                               f"argspec as the primals {_tree_spec(primals)}")
        for i, (t, p) in enumerate(zip(tangents, primals)):
            if t.shape != p.shape:
                raise RuntimeError(f"tangent:{i} with shape {t.shape} in flattened pytree "
                                   f"doesn't match the shape {p.shape} of the corresponding "
                                   "primal.")
            if t.dtype != p.dtype:
                raise RuntimeError(f"tangent:{i} with dtype {t.dtype} in flattened pytree "
                                   f"doesn't match the dtype {p.dtype} of the corresponding "
                                   "primal.")
        return jvp(func, primals, tangents)[1]
    return out, jvp_fn


def _check_chunk_size(chunk_size):
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """f -> its Jacobian (output shape + input shape) by reverse mode."""
    _check_chunk_size(chunk_size)
    return _jac(func, argnums, has_aux, forward=False)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """f -> its Jacobian by forward mode (reverse mode for ops without a forward rule)."""
    return _jac(func, argnums, has_aux, forward=True)


def hessian(func, argnums=0):
    """f -> the Jacobian of its gradient: jacfwd(jacrev(f)), forward over reverse as PyTorch
    composes it (the reverse pass runs on dual tensors), so its zeros' signs are PyTorch's."""
    return jacfwd(jacrev(func, argnums), argnums)


def _swap(module, name, value):
    """Put value in the place of module's parameter or buffer `name` ('sub.weight'); the old
    value is returned (_ABSENT when the name was not one: PyTorch then sets a plain attribute
    for the call, which the module's forward may read or not)."""
    if name == "":
        raise KeyError('tensor name can\'t be empty string ""')
    if not isinstance(value, _Tensor):
        raise TypeError(f"{value!r} is not an instance of torch.Tensor")
    path, _, leaf = name.rpartition(".")
    owner, walked = module, []
    for part in path.split(".") if path else ():
        walked.append(part)
        if not hasattr(owner, part):
            raise AttributeError(f"{type(owner).__name__} has no attribute `{part}`")
        owner = getattr(owner, part)
        if not isinstance(owner, _Module):
            raise TypeError(f"submodule `{'.'.join(walked)}`: {owner!r} is not an instance of "
                            "torch.nn.Module")
    for store in (owner._parameters, owner._buffers):
        if leaf in store:
            old, store[leaf] = store[leaf], value
            return store, leaf, old
    store = owner.__dict__
    old = store.get(leaf, _ABSENT)
    store[leaf] = value
    return store, leaf, old


_ABSENT = object()


def _check_reparametrized_keys(module, given, tie_weights):
    """functional_call(strict=True): PyTorch's error naming the missing and unexpected keys (a
    tied tensor's name covers its other names when tie_weights)."""
    names_of = {}
    for name, t in list(module.named_parameters(remove_duplicate=False)) + \
            list(module.named_buffers(remove_duplicate=False)):
        names_of.setdefault(id(t), []).append(name)
    valid = {name for names in names_of.values() for name in names}
    keys = set(given)
    if tie_weights:
        keys |= {alias for names in names_of.values() if keys & set(names) for alias in names}
    messages = []
    if keys - valid:
        messages.append("Unexpected key(s): %s." % ", ".join(map(repr, sorted(keys - valid))))
    if valid - keys:
        messages.append("Missing key(s): %s." % ", ".join(map(repr, sorted(valid - keys))))
    if messages:
        raise RuntimeError("Error(s) in reparametrizing for %s:\n\t%s"
                           % (type(module).__name__, "\n\t".join(messages)))


def _tied_values(module, given):
    """given with each value also under the other names of its tied tensor (one parameter or
    buffer reached by several names): PyTorch's tie_weights. Tied names given different
    tensors are refused with PyTorch's ValueError."""
    names_of = {}
    for name, t in list(module.named_parameters(remove_duplicate=False)) + \
            list(module.named_buffers(remove_duplicate=False)):
        names_of.setdefault(id(t), []).append(name)
    out = dict(given)
    for names in names_of.values():
        named = [n for n in names if n in given]
        if len(names) < 2 or not named:
            continue
        if len({id(given[n]) for n in named}) > 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(named)}, "
                             "which are tied. Consider using tie_weights=False")
        for n in names:
            out.setdefault(n, given[named[0]])
    return out


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """module(*args, **kwargs) with the given tensors in place of its parameters and buffers
    (by their state_dict names); the module's own tensors are back afterwards."""
    if not hasattr(module, "named_parameters"):  # what PyTorch asks of the module first
        raise _TorchAttributeError("'%s' object has no attribute 'named_parameters'"
                                  % type(module).__name__)
    dicts = parameter_and_buffer_dicts
    if not isinstance(dicts, (dict, list, tuple)) or isinstance(dicts, (list, tuple)) and \
            not all(isinstance(d, dict) for d in dicts):
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         f"dicts, but got {type(dicts)!r}")
    if isinstance(dicts, (list, tuple)):
        merged, counts = {}, {}
        for d in dicts:
            for key in d:
                counts[key] = counts.get(key, 0) + 1
            merged.update(d)
        repeated = [key for key, n in counts.items() if n > 1]  # in order of first appearance
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        dicts = merged
    given = dicts
    if tie_weights:  # (tied names given different tensors are refused before strict's check)
        dicts = _tied_values(module, dicts)
    if strict:
        _check_reparametrized_keys(module, given, tie_weights)
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    swapped = []
    try:
        for name, value in dicts.items():
            swapped.append(_swap(module, name, value))
        return module(*args, **(kwargs or {}))
    finally:
        for store, leaf, old in reversed(swapped):
            if old is _ABSENT:
                store.pop(leaf, None)
            else:
                store[leaf] = old


def _func_name(func):
    return getattr(func, "__name__", type(func).__name__)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """func mapped over a dimension of its inputs: called once per slice (`in_dims`: one
    dimension, or None, per argument), the results stacked along `out_dims`."""
    if chunk_size is not None and not (isinstance(chunk_size, int) and chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")

    @_functools.wraps(func)
    def mapped(*args):
        name = _func_name(func)
        _check_dims(in_dims, out_dims, name)
        if not args:
            raise ValueError(
                f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you "
                "are trying to vmap over a function with no inputs. The latter is unsupported.")
        dims = in_dims if isinstance(in_dims, tuple) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible "
                "with the structure of `inputs`. in_dims has structure "
                f"{_spec(dims)} but inputs has structure {_spec(args)}.")
        batched = []   # (argument, leaf index, dim) of each mapped tensor
        sizes = []     # the size of each one's mapped dim (read once: a wide tree of 10^5
        # leaves asked for the whole tree again per leaf, 10^10 steps before round 15)
        for k, (a, d) in enumerate(zip(args, dims)):
            if d is None:
                continue
            leaves = _leaves(a)
            # (an in_dims tree for a tree argument: one dim, or None, per leaf)
            leaf_dims = _leaves(d) if isinstance(d, (tuple, list, dict)) else [d] * len(leaves)
            if len(leaf_dims) != len(leaves) or (isinstance(d, (tuple, list, dict))
                                                 and isinstance(a, _Tensor)):
                raise ValueError(
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible "
                    f"with the structure of `inputs`. in_dims has structure {_spec(dims)} but "
                    f"inputs has structure {_spec(args)}.")
            for j, (leaf, d) in enumerate(zip(leaves, leaf_dims)):
                if d is None:
                    continue
                if not isinstance(d, int):
                    raise ValueError(
                        f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for "
                        "an input but in_dim must be either an integer dimension or None.")
                if not isinstance(leaf, _Tensor):
                    raise ValueError(
                        f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for "
                        f"an input but the input is of type {type(leaf)}. We cannot vmap over "
                        "non-Tensor arguments, please use None as the respective in_dim")
                n = leaf.dim()
                if not -n <= d < n:
                    raise ValueError(
                        f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for "
                        f"some input, but that input is a Tensor of dimensionality {n} so "
                        f"expected in_dim to satisfy -{n} <= in_dim < {n}.")
                batched.append((k, j, d % n))
                sizes.append(leaf.shape[d % n])
        if not batched:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sizes} for the mapped dimension")
        by_argument = {}  # argument -> its mapped leaves (one pass: 10^6 arguments were
        for k, j, d in batched:  # each compared with every mapped leaf, per slice)
            by_argument.setdefault(k, []).append((j, d))
        results = []
        start = _random_api.get_rng_state()
        call = {"size": sizes[0], "randomness": randomness, "rules": {}, "name": name}
        for i in range(sizes[0]):
            if randomness == "same":      # every slice draws what the first one drew
                _random_api.set_rng_state(start)
            sliced = list(args)
            made = []       # the slices (the arguments not mapped are no batched tensors)
            for k, mapped_leaves in by_argument.items():
                leaves = _leaves(args[k])
                for j, d in mapped_leaves:
                    whole = leaves[j]
                    leaves[j] = whole.select(d, i)
                    _slices[id(leaves[j])] = (whole, d, i, call)
                    made.append(leaves[j])
                sliced[k] = _rebuild(args[k], iter(leaves))
            _custom_function.under_transform[0] += 1
            _custom_function.under_vmap[0] += 1
            try:
                with _BatchedCall(made):
                    if randomness == "error" and i == 0:
                        results.append(_refusing_randomness(func, sliced, {}))
                    else:
                        results.append(func(*sliced))
            finally:
                _custom_function.under_transform[0] -= 1
                _custom_function.under_vmap[0] -= 1
                for leaf in made:
                    _slices.pop(id(leaf), None)
        return _stack_results(results, out_dims, name)
    return mapped


# ----- what vmap's batched tensors refuse --------------------------------------------------------
# vmap calls func once per slice, on plain tensors; PyTorch's batched tensors refuse to become
# Python values. While func runs, every tensor made (the slices and all computed from them, and
# also a constant made inside: the one difference) is recorded, by swapping the code of
# Tensor._make (whose function every module keeps, as for inference mode); item(), float(),
# int(), bool() and tolist() on one of them from outside gradsh's core say PyTorch's words.
_made = []          # a set of ids per vmap call being evaluated
_ITEM = ("vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over "
         "calling .item() on a Tensor, please try to rewrite what you're doing with other "
         "operations. If error is occurring somewhere inside PyTorch internals, please file a bug "
         "report.")
_CONTROL_FLOW = ("vmap: It looks like you're attempting to use a Tensor in some data-dependent "
                 "control flow. We don't support that yet, please file an issue at "
                 "https://github.com/pytorch/pytorch/issues .")
_NO_STORAGE = "Cannot access data pointer of Tensor that doesn't have storage"


def _recording_code(make):
    """The code of `def _make(data): return RECORD(data)` with RECORD a constant."""
    def record(data):
        t = make(data)
        for ids in _made:
            ids.add(id(t))
        return t
    scope = {}
    exec(compile("def _make(data):\n    call = '@call@'\n    return call(data)\n",
                 "<vmap>", "exec"), scope)
    code = scope["_make"].__code__
    return code.replace(co_consts=tuple(record if c == "@call@" else c for c in code.co_consts))


def _batched_user_call(t):
    """Is t made inside the vmapped function, converted by code outside gradsh's core?"""
    if not any(id(t) in ids for ids in _made):
        return False
    module = _sys._getframe(2).f_globals.get("__name__", "")
    return not module.startswith(("gradsh.core", "gradsh.autograd", "gradsh.func", "numpy"))


def _refusing(name, text):
    original = getattr(_Tensor, name)

    def method(self, *args, **kwargs):
        if _batched_user_call(self):
            raise RuntimeError(text)
        return original(self, *args, **kwargs)
    method.__name__ = name
    return name, original, method


class _BatchedCall:
    """While vmap's function runs on a slice: the tensors made are recorded, and refuse to
    become Python values."""

    def __init__(self, slices):
        self.slices = slices

    def __enter__(self):
        ids = {id(t) for t in self.slices}
        _made.append(ids)
        if len(_made) == 1:
            fn = _Tensor._make
            self.code = fn.__code__
            copy = _types.FunctionType(fn.__code__, fn.__globals__, fn.__name__)
            fn.__code__ = _recording_code(copy)
            self.methods = [_refusing(n, t) for n, t in (
                ("item", _ITEM), ("__float__", _ITEM), ("__int__", _ITEM),
                ("__bool__", _CONTROL_FLOW), ("tolist", _NO_STORAGE))]
            for name, _, method in self.methods:
                setattr(_Tensor, name, method)

    def __exit__(self, *exc):
        _made.pop()
        if not _made:
            _Tensor._make.__code__ = self.code
            for name, original, _ in self.methods:
                setattr(_Tensor, name, original)
        return False


# ----- a custom Function's own vmap rule ------------------------------------------------------
_slices = {}   # id(slice vmap passed to func) -> (the whole tensor, its dim, the slice's index, call)


class _VmapInfo:
    """What a Function's vmap staticmethod gets as `info`, printed as PyTorch's."""

    def __init__(self, batch_size, randomness):
        self.batch_size, self.randomness = batch_size, randomness

    def __repr__(self):
        return f"VmapInfo(batch_size={self.batch_size}, randomness='{self.randomness}')"


_VmapInfo.__name__ = _VmapInfo.__qualname__ = "VmapInfo"


def _function_vmap_rule(cls, args, kwargs):
    """A custom Function applied under vmap to slices of vmap's inputs: its vmap staticmethod
    is called once, with the whole tensors and their in_dims as PyTorch passes them, and each
    slice's call gets its slice of the result. Inputs computed inside the function (no whole
    tensor exists per slice) take the generated rule: forward on each slice (docs/autograd.md)."""
    if kwargs or not any(isinstance(a, _Tensor) and id(a) in _slices for a in args):
        return NotImplemented
    whole, dims, index, call = [], [], None, None
    for a in args:
        entry = _slices.get(id(a)) if isinstance(a, _Tensor) else None
        if entry is not None and entry[0] is not a:
            whole.append(entry[0])
            dims.append(entry[1])
            index, call = entry[2], entry[3]
        elif isinstance(a, _Tensor) and any(id(a) in ids for ids in _made):
            return NotImplemented          # computed from a slice: no whole tensor
        else:
            whole.append(a)
            dims.append(None)
    key = (cls, tuple(id(w) for w in whole), tuple(dims))
    done = call["rules"].get(key)
    if done is None:
        info = _VmapInfo(call["size"], call["randomness"])
        _custom_function.under_vmap[0] -= 1       # the rule runs outside this vmap's level
        _custom_function.under_transform[0] -= 1
        try:
            done = cls.vmap(info, tuple(dims), *whole)
        finally:
            _custom_function.under_vmap[0] += 1
            _custom_function.under_transform[0] += 1
        call["rules"][key] = done
    out, out_dims = done
    outs = out if isinstance(out, tuple) else (out,)
    odims = out_dims if isinstance(out_dims, tuple) else (out_dims,) * len(outs)
    for o, d in zip(outs, odims):
        if d is not None and not isinstance(o, _Tensor):  # (PyTorch's check of the rule's result)
            name = call["name"]
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(o)}. Did you mean to set out_dims= to None for output?")
    picked = tuple(o if d is None else o.select(d, index) for o, d in zip(outs, odims))
    return picked if isinstance(out, tuple) else picked[0]


_custom_function.vmap_rule_hook[0] = _function_vmap_rule


def _spec(values, depth=0):
    """PyTorch's repr of a pytree's structure (TreeSpec): containers with their keys, '*' per
    leaf, children on lines indented two spaces per level; a tree of more leaves than gradsh's
    item limit shows its top level only."""
    if not isinstance(values, (tuple, list, dict)):
        return "*"
    if depth == 0 and _leaf_count(values, {}) > _MAX_LEAVES:
        depth, values = -1, tuple(values)
    keys = repr(list(values)) if isinstance(values, dict) else "None"
    children = values.values() if isinstance(values, dict) else values
    kind = "dict" if isinstance(values, dict) else "list" if isinstance(values, list) else "tuple"
    sep = ",\n" + "  " * (max(depth, 0) + 1)
    return "TreeSpec(%s, %s, [%s])" % (kind, keys, sep.join(
        "*" if depth < 0 else _spec(c, depth + 1) for c in children))


def _check_dims(in_dims, out_dims, name):
    """vmap's dims checked as PyTorch does before the call: out_dims an int, None or a tree of
    them; in_dims an int or a tuple (a tree of ints or None checked leaf by leaf later)."""
    outs = _leaves(out_dims) if isinstance(out_dims, (tuple, list, dict)) else [out_dims]
    if not all(d is None or isinstance(d, int) for d in outs):
        raise ValueError(
            f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an int, None or a "
            "python collection of ints representing where in the outputs the vmapped "
            "dimension should appear.")
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
            "(potentially nested) tuple matching the structure of inputs, got: "
            f"{type(in_dims)}.")


def _stack_results(results, out_dims, name):
    first = results[0]
    leaves = [_leaves(r) for r in results]
    n = len(leaves[0])
    dims = out_dims if isinstance(out_dims, tuple) else (out_dims,) * n
    out = []
    for j in range(n):
        column = [ls[j] for ls in leaves]
        if dims[j] is None:
            out.append(column[0])
            continue
        if not isinstance(column[0], _Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(column[0])}. Did you mean to set out_dims= to None for "
                             "output?")
        out.append(_shape.stack(column, dims[j]))
    return _rebuild(first, iter(out))


def stack_module_state(models):
    """The parameters and buffers of same-class models stacked along a new first dimension,
    as new leaves ({name: stacked}, {name: stacked}), for functional_call over an ensemble."""
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same "
                           "training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")

    def stacked(dicts):
        return {k: _stacked_leaf(tuple(d[k] for d in dicts), k) for k in dicts[0]}
    return (stacked([dict(m.named_parameters()) for m in models]),
            stacked([dict(m.named_buffers()) for m in models]))


def replace_all_batch_norm_modules_(root):
    """Patch every batch norm module under `root` in place to use the batch's statistics only
    (no running statistics: vmap over a model that would update them fails), as PyTorch's
    'Patching Batch Norm' note does; returns root."""
    for module in root.modules():
        if isinstance(module, _BatchNorm):
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root


def _stacked_leaf(tensors, name):
    all_requires_grad = all(t.requires_grad for t in tensors)
    if not all_requires_grad and any(t.requires_grad for t in tensors):
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = _shape.stack(tensors)
    return result.detach().requires_grad_() if all_requires_grad else result
