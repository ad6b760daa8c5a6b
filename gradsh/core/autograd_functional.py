"""torch.autograd.functional: Jacobians, Hessians and their products, built on autograd.grad.

Signatures, results and error messages follow PyTorch's. Like PyTorch's, jvp and hvp use the
double-backward trick (the vjp of a vjp taken with respect to its zero upstream gradient), and
results are detached unless create_graph=True. gradsh has no forward-mode AD: strategy=
"forward-mode" computes the same Jacobian in reverse mode.
"""

from . import grad_mode
from .autograd import grad
from .errors import TorchAssertionError
from .factories import zeros, zeros_like
from .ops.shape import stack
from .tensor import Tensor


def _tupled(x, what, fn):
    """(was it a tuple, x as a tuple), refusing anything but tensors as PyTorch does."""
    is_tuple = isinstance(x, tuple)
    xs = x if is_tuple else (x,)
    for i, el in enumerate(xs):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {what}"
            raise TypeError(f"The {what} given to {fn} must be either a Tensor or a tuple of "
                            f"Tensors but the {where} has type {type(el)}.")
    return is_tuple, xs


def _prepare(xs, create_graph, need_graph):
    """Fresh inputs for func: still connected to the caller's graph only with create_graph."""
    if create_graph:
        return tuple(x.view_as(x) if x.requires_grad else x.detach().requires_grad_(need_graph)
                     for x in xs)
    return tuple(x.detach().requires_grad_(need_graph) for x in xs)


def _check_v(v, others, others_tuple):
    if len(v) != len(others):
        if others_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(others)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, others)):
        if a.shape != b.shape:
            where = f"Entry {i} in " if others_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.shape} but got "
                               f"{a.shape}.")


def _require_grad(ts, kind, strict):
    """In strict mode, refuse values that do not depend on the inputs (PyTorch's messages)."""
    if not strict:
        return
    for i, t in enumerate(ts):
        if t is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if t.requires_grad:
            continue
        if kind == "hessian":
            raise RuntimeError(
                f"The hessian of the user-provided function with respect to input {i} is "
                "independent of the input. This is not allowed in strict mode. You should ensure "
                "that your function is thrice differentiable and that the hessian depends on the "
                "inputs.")
        if kind == "jacobian":
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided "
                f"function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).")
        if kind == "grad_inputs":
            raise RuntimeError(
                f"The gradient with respect to input {i} is independent of the inputs of the "
                "user-provided function. This is not allowed in strict mode.")
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients. The outputs "
            "must be computed in a differentiable manner from the input when running in strict "
            "mode.")


def _grads(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """autograd.grad over the outputs that require grad (None for every input if none does)."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return grad([o for o, _ in pairs], inputs, [g for _, g in pairs], retain_graph=retain_graph,
                create_graph=create_graph, allow_unused=True)


_STAGE_MESSAGES = {
    "back": "The output of the user-provided function is independent of input {i}. This is not "
            "allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This "
                   "is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} "
                         "in the grad_jacobian. This is not allowed in strict mode as it prevents "
                         "from using the double backward trick to replace forward mode AD.",
}


def _zeros_for_none(gs, refs, strict, create_graph, stage):
    """Zeros where a gradient is None (the mathematical value), or strict mode's errors."""
    out = []
    for i, g in enumerate(gs):
        if g is None:
            if strict:
                raise RuntimeError(_STAGE_MESSAGES[stage].format(i=i))
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of input "
                               f"{i}. This is not allowed in strict mode when create_graph=True.")
        out.append(g)
    return tuple(out)


def _detached(x, create_graph):
    if isinstance(x, tuple):
        return tuple(_detached(el, create_graph) for el in x)
    return x if create_graph else x.detach()


def _untuple(res, was_tuple):
    """Undo _tupled: a nested pair (outputs, inputs) for Jacobians, else one flag."""
    if isinstance(was_tuple, tuple):
        outer, inner = was_tuple
        if not inner:
            res = tuple(el[0] for el in res)
        return res if outer else res[0]
    return res if was_tuple else res[0]


def _single_output(fn_name, outputs, is_tuple):
    if is_tuple:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                           "contain a single element")


def _v_or_one(v, xs, xs_tuple, create_graph, fn, none_message):
    if v is not None:
        _, v = _tupled(v, "v", fn)
        v = _prepare(v, create_graph, False)
        _check_v(v, xs, xs_tuple)
        return v
    if len(xs) != 1 or xs[0].numel() != 1:
        raise RuntimeError(none_message)
    return None


_V_NONE_INPUT = ("The vector v can only be None if the input to the user-provided function is a "
                 "single Tensor with a single element.")


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product."""
    with grad_mode.enable_grad():
        in_tuple, ins = _tupled(inputs, "inputs", "vjp")
        ins = _prepare(ins, create_graph, True)
        out_tuple, outs = _tupled(func(*ins), "outputs of the user-provided function", "vjp")
        _require_grad(outs, "outputs", strict)
        v = _v_or_one(v, outs, out_tuple, create_graph, "vjp",
                      "The vector v can only be None if the user-provided function returns a "
                      "single Tensor with a single element.")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _zeros_for_none(_grads(outs, ins, v, create_graph), ins, strict, create_graph,
                              "back")
    return (_untuple(_detached(outs, create_graph), out_tuple),
            _untuple(_detached(res, create_graph), in_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product (by the double-backward trick)."""
    with grad_mode.enable_grad():
        in_tuple, ins = _tupled(inputs, "inputs", "jvp")
        ins = _prepare(ins, create_graph, True)
        v = _v_or_one(v, ins, in_tuple, create_graph, "jvp", _V_NONE_INPUT)
        out_tuple, outs = _tupled(func(*ins), "outputs of the user-provided function", "jvp")
        _require_grad(outs, "outputs", strict)
        us = tuple(zeros_like(o).requires_grad_(True) for o in outs)
        g_ins = _grads(outs, ins, us, create_graph=True)
        _require_grad(g_ins, "grad_inputs", strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _zeros_for_none(_grads(g_ins, us, v, create_graph), outs, strict, create_graph,
                              "back_trick")
    return (_untuple(_detached(outs, create_graph), out_tuple),
            _untuple(_detached(res, create_graph), out_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of func at inputs: for each output and input, output.shape + input.shape."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise TorchAssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`strict=False` or `strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                      "Hessian isonly implemented for `vectorize=True`.")
    with grad_mode.enable_grad():
        in_tuple, ins = _tupled(inputs, "inputs", "jacobian")
        ins = _prepare(ins, create_graph, True)
        out_tuple, outs = _tupled(func(*ins), "outputs of the user-provided function",
                                  "jacobian")
        _require_grad(outs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                "supported together. Please either set `strict=False` or `vectorize=False`.")
        if strategy == "reverse-mode":
            _refuse_empty_outputs(outs, vectorize)
        jac = []
        for i, out in enumerate(outs):
            rows = [[] for _ in ins]  # rows[k][j]: d out.flat[j] / d ins[k]
            flat = out.reshape(-1)
            for j in range(out.numel()):
                gs = _grads((flat[j],), ins, retain_graph=True, create_graph=create_graph)
                for k, (g, x) in enumerate(zip(gs, ins)):
                    if g is None:
                        if strict:
                            raise RuntimeError(f"Output {i} of the user-provided function is "
                                               f"independent of input {k}. This is not allowed "
                                               "in strict mode.")
                        g = zeros_like(x)
                    elif strict and create_graph and not g.requires_grad:
                        # (PyTorch's message names the output index here.)
                        raise RuntimeError(f"The jacobian of the user-provided function is "
                                           f"independent of input {i}. This is not allowed in "
                                           "strict mode when create_graph=True.")
                    rows[k].append(g)
            jac.append(tuple(_stack_rows(r, out, x, stack) for r, x in zip(rows, ins)))
        jac = _detached(tuple(jac), create_graph)
    if strategy == "forward-mode" and in_tuple:
        # PyTorch's forward-mode path hands back lists wherever the inputs were a tuple
        jac = [list(per_input) for per_input in jac]
    return _untuple(jac, (out_tuple, in_tuple))


def _refuse_empty_outputs(outs, vectorize):
    """PyTorch's reverse-mode Jacobian stacks one row per output element: an output without
    elements is its stack of nothing, and the vectorized path indexes a basis of no rows."""
    if vectorize:
        if sum(out.numel() for out in outs) == 0:
            raise IndexError("index 0 is out of bounds for dimension 0 with size 0")
    elif any(out.numel() == 0 for out in outs):
        raise RuntimeError("stack expects a non-empty TensorList")


def _stack_rows(rows, out, x, stack):
    if rows:
        return stack(rows, 0).view(tuple(out.shape) + tuple(x.shape))
    return zeros(tuple(out.shape) + tuple(x.shape), dtype=x.dtype)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function: for each pair of inputs, x_i.shape + x_j.shape."""
    in_tuple, ins = _tupled(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise TorchAssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar_func(*xs):
        out = func(*xs)
        is_tuple, outs = _tupled(out, "outputs of the user-provided function", "hessian")
        _require_grad(outs, "outputs", strict)
        _single_output("hessian", outs, is_tuple)
        return out.squeeze()

    def jac_func(*xs):
        j = jacobian(scalar_func, xs, create_graph=True)
        _require_grad(j, "jacobian", strict)
        return j

    res = jacobian(jac_func, ins, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _untuple(res, (in_tuple, in_tuple))


def _hessian_setup(func, inputs, v, create_graph, strict, fn):
    in_tuple, ins = _tupled(inputs, "inputs", fn)
    ins = _prepare(ins, create_graph, True)
    v = _v_or_one(v, ins, in_tuple, create_graph, fn, _V_NONE_INPUT)
    out_tuple, outs = _tupled(func(*ins), "outputs of the user-provided function", fn)
    _require_grad(outs, "outputs", strict)
    _single_output(fn, outs, out_tuple)
    jac = _grads(outs, ins, create_graph=True)
    _require_grad(jac, "jacobian", strict)
    return in_tuple, ins, v, out_tuple, outs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for a scalar function."""
    with grad_mode.enable_grad():
        in_tuple, ins, v, out_tuple, outs, jac = _hessian_setup(func, inputs, v, create_graph,
                                                                strict, "vhp")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _zeros_for_none(_grads(jac, ins, v, create_graph), ins, strict, create_graph,
                              "double_back")
    return (_untuple(_detached(outs, create_graph), out_tuple),
            _untuple(_detached(res, create_graph), in_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar function (by the double-backward trick)."""
    with grad_mode.enable_grad():
        in_tuple, ins, v, out_tuple, outs, jac = _hessian_setup(func, inputs, v, create_graph,
                                                                strict, "hvp")
        us = tuple(zeros_like(x).requires_grad_(True) for x in ins)
        back = _grads(jac, ins, us, create_graph=True)
        _require_grad(jac, "hessian", strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _zeros_for_none(_grads(back, us, v, create_graph), ins, strict, create_graph,
                              "double_back_trick")
    return (_untuple(_detached(outs, create_graph), out_tuple),
            _untuple(_detached(res, create_graph), in_tuple))
