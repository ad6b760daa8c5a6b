"""torch.autograd.functional: Jacobians, Hessians and products, built on autograd.grad."""

from . import grad_mode
from .autograd import grad
from .tensor import Tensor


def _as_inputs(inputs, create_graph):
    is_tuple = isinstance(inputs, tuple)
    ins = inputs if is_tuple else (inputs,)
    out = []
    for x in ins:
        if not isinstance(x, Tensor):
            raise TypeError("The inputs given to the function must be either a Tensor or a tuple "
                            f"of Tensors but the given inputs has type {type(x)}.")
        if create_graph and x.requires_grad:
            out.append(x.view_as(x) if x.ndim else x * 1)
        else:
            out.append(x.detach().requires_grad_(x.is_floating_point()))
    return is_tuple, tuple(out)


def _as_outputs(outputs, fn_name):
    is_tuple = isinstance(outputs, tuple)
    outs = outputs if is_tuple else (outputs,)
    for o in outs:
        if not isinstance(o, Tensor):
            raise TypeError(f"The outputs of the user-provided function given to {fn_name} must be "
                            "either a Tensor or a tuple of Tensors but the given outputs of the "
                            f"user-provided function has type {type(outputs)}.")
    return is_tuple, outs


def _grads(outputs, inputs, grad_outputs, create_graph, strict, what):
    outs = [o for o in outputs]
    gos = list(grad_outputs)
    diff = [(o, g) for o, g in zip(outs, gos) if o.requires_grad]
    if not diff:
        res = (None,) * len(inputs)
    else:
        res = grad([o for o, _ in diff], inputs, [g for _, g in diff], retain_graph=True,
                   create_graph=create_graph, allow_unused=True)
    final = []
    for i, (r, x) in enumerate(zip(res, inputs)):
        if r is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode.")
            from .factories import zeros_like
            r = zeros_like(x)
        final.append(r)
    return tuple(final)


def _detach_unless(t, create_graph):
    if isinstance(t, tuple):
        return tuple(_detach_unless(x, create_graph) for x in t)
    return t if create_graph else t.detach()


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product."""
    with grad_mode.enable_grad():
        is_tuple, ins = _as_inputs(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _as_outputs(out, "vjp")
        if v is None:
            if len(outs) != 1 or outs[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the user-provided function "
                                   "returns a single Tensor with a single element.")
            from .factories import ones_like
            vs = (ones_like(outs[0]),)
        else:
            vs = v if isinstance(v, tuple) else (v,)
        res = _grads(outs, ins, vs, create_graph, strict, "vjp")
    res = _detach_unless(res, create_graph)
    return (_detach_unless(out, create_graph), res if is_tuple else res[0])


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of func at inputs: shape output.shape + input.shape (tuples for several)."""
    from .ops.shape import stack
    with grad_mode.enable_grad():
        is_tuple, ins = _as_inputs(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _as_outputs(out, "jacobian")
        rows = []
        for o in outs:
            per_input = [[] for _ in ins]
            flat = o.reshape(-1)
            for k in range(flat.numel()):
                if o.requires_grad:
                    gs = grad(flat[k], ins, retain_graph=True, create_graph=create_graph,
                              allow_unused=True)
                else:
                    gs = (None,) * len(ins)
                for i, (g, x) in enumerate(zip(gs, ins)):
                    if g is None:
                        if strict:
                            raise RuntimeError(f"Output {outs.index(o)} of the user-provided "
                                               f"function is independent of input {i}. This is "
                                               "not allowed in strict mode.")
                        from .factories import zeros_like
                        g = zeros_like(x)
                    per_input[i].append(g)
            jac = []
            for i, x in enumerate(ins):
                if per_input[i]:
                    j = stack(per_input[i]).reshape(tuple(o.shape) + tuple(x.shape))
                else:
                    from .factories import zeros
                    j = zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype)
                jac.append(_detach_unless(j, create_graph))
            rows.append(tuple(jac) if is_tuple else jac[0])
    return tuple(rows) if out_tuple else rows[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function: shape input.shape + input.shape."""
    is_tuple = isinstance(inputs, tuple)

    def jac_fn(*ins):
        out = func(*ins)
        _, outs = _as_outputs(out, "hessian")
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor "
                               "with a single element.")
        j = jacobian(func, ins if is_tuple else ins[0], create_graph=True, strict=strict)
        return j

    return jacobian(jac_fn, inputs, create_graph=create_graph, strict=strict)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product, by the double-backward trick."""
    with grad_mode.enable_grad():
        is_tuple, ins = _as_inputs(inputs, create_graph)
        out = func(*ins)
        out_tuple, outs = _as_outputs(out, "jvp")
        if v is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the input to the "
                                   "user-provided function is a single Tensor with a single "
                                   "element.")
            from .factories import ones_like
            vs = (ones_like(ins[0]),)
        else:
            vs = v if isinstance(v, tuple) else (v,)
        from .factories import zeros_like
        us = tuple(zeros_like(o).requires_grad_(True) for o in outs)
        g = _grads(outs, ins, us, True, strict, "jvp")
        res = _grads(g, us, vs, create_graph, strict, "jvp")
    res = _detach_unless(res, create_graph)
    return (_detach_unless(out, create_graph), res if out_tuple else res[0])


def _second(func, inputs, v, create_graph, strict, name):
    with grad_mode.enable_grad():
        is_tuple, ins = _as_inputs(inputs, create_graph)
        out = func(*ins)
        _, outs = _as_outputs(out, name)
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {name} should "
                               "contain a single element")
        vs = v if isinstance(v, tuple) else (v,)
        g = grad(outs[0], ins, create_graph=True, allow_unused=True)
        from .factories import zeros_like
        g = tuple(zeros_like(x) if gi is None else gi for gi, x in zip(g, ins))
        dot = sum((gi * vi).sum() for gi, vi in zip(g, vs))
        res = _grads((dot,), ins, (None,), create_graph, strict, name) if dot.requires_grad else \
            tuple(zeros_like(x) for x in ins)
    res = _detach_unless(res, create_graph)
    return (_detach_unless(out, create_graph), res if is_tuple else res[0])


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for a scalar function."""
    return _second(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar function (H is symmetric: the same as vhp)."""
    return _second(func, inputs, v, create_graph, strict, "hvp")
