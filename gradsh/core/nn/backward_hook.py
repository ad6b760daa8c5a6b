"""Module backward hooks (register_full_backward_hook, register_full_backward_pre_hook) as
PyTorch's torch.utils.hooks.BackwardHook makes them: the module's tensor inputs and its outputs
each pass an identity Function (BackwardHookFunctionBackward in the graph), whose nodes see the
gradients: the outputs' node the gradients arriving (grad_output, where the pre-hooks run), the
inputs' node the gradients leaving (grad_input, where the hooks run and may replace them). When
no input requires grad the hooks run at the outputs' node, with grad_input all None."""

import warnings

from .. import grad_mode
from ..custom_function import Function
from ..tensor import Tensor


NO_INPUT_GRADS = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.")


class BackwardHookFunction(Function):
    """Identity on the tensors given, so that their gradients pass one node."""

    @staticmethod
    def forward(ctx, *args):
        ctx.mark_non_differentiable(*[a for a in args if not a.requires_grad])
        return args

    @staticmethod
    def backward(ctx, *grads):
        return grads


def _pack_with_none(indices, values, size):
    out = [None] * size
    for i, v in zip(indices, values):
        out[i] = v
    return tuple(out)


def _unpack_none(indices, values):
    return tuple(values[i] for i in indices)


class BackwardHook:
    """One module call's backward hooks."""

    def __init__(self, module, hooks, pre_hooks):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_index = self.output_index = None

    def _apply_on_tensors(self, on_node, args):
        index = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensors = [args[i] for i in index]
        if not (grad_mode.state.enabled and any(t.requires_grad for t in tensors)):
            return args, None
        passed = BackwardHookFunction.apply(*tensors)
        on_node(next(t.grad_fn for t in passed if t.grad_fn is not None))
        out = list(args)
        for i, t in zip(index, passed):
            out[i] = t
        return tuple(out), index

    def setup_input_hook(self, args):
        args, self.input_index = self._apply_on_tensors(
            lambda node: node.register_hook(self._on_grad_input), args)
        self.n_inputs = len(args)
        return args

    def setup_output_hook(self, result):
        single = not isinstance(result, tuple)
        outs, self.output_index = self._apply_on_tensors(
            lambda node: node.register_prehook(self._on_grad_output), (result,) if single else result)
        self.n_outputs = len(outs)
        return outs[0] if single else outs

    def _on_grad_input(self, grad_input, _grad_output):
        if self.grad_outputs is None:
            return None   # the outputs' gradients never came (PyTorch's hooks do not run)
        res = _pack_with_none(self.input_index, grad_input, self.n_inputs)
        for hook in self.hooks:
            new = hook(self.module, res, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(res):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {len(new)}, but expected {len(res)}")
            res = new
        self.grad_outputs = None
        return _unpack_none(self.input_index, res)

    def _on_grad_output(self, grad_output):
        self.grad_outputs = _pack_with_none(self.output_index, grad_output, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(new)}, but expected {len(self.grad_outputs)}")
            self.grad_outputs = new
        if self.input_index is None:
            self._hooks_without_input_grads()
        if self.grad_outputs is not None:
            return _unpack_none(self.output_index, self.grad_outputs)
        return None

    def _hooks_without_input_grads(self):
        warnings.warn(NO_INPUT_GRADS, UserWarning, stacklevel=2)
        grad_inputs = (None,) * self.n_inputs
        for hook in self.hooks:
            res = hook(self.module, grad_inputs, self.grad_outputs)
            if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                raise RuntimeError("Backward hook for Modules where no input requires gradient "
                                   "should always return None or None for all gradients.")
        self.grad_outputs = None
