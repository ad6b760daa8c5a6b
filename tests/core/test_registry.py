"""One declaration per op (gradsh/core/ops/registry.py): every surface comes from it, a name is
claimed once, node names are declared once, and the docs' table of ops is the registry's."""

import builtins
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import gradsh
import gradsh.nn.functional as F
from gradsh.core import bindings, ops, ops_index, overrides
from gradsh.core.node import NODE_CLASSES, Node, node_class, node_name
from gradsh.core.ops import pointwise, registry
from gradsh.core.ops.registry import OPS, declare
from gradsh.core.bindings import load_all  # noqa: E402
load_all()  # every op, the first-use modules' too (gradsh/core/ops_index.py)

ROOT = Path(__file__).resolve().parents[2]


def _unwrapped(fn):
    """fn, or the function under the wrappers allowed: PyTorch's refusal of a tensor in a
    number slot (core/number_slots.py; the hot paths' ops have no number slot), then PyTorch's
    keyword names where the op's differ (core/keywords.py: x.sum(axis=0), x.view(size=...);
    a wrapper of the op's own signature, one plain call more), all under a torch.* or F.*
    function's __torch_function__ dispatch (core/overrides.py: one flag test). Once a program
    (another test in this process) has made a Tensor subclass with its own handler, a method
    is its dispatching wrapper (core/overrides.py `_dispatch_plain_methods`; before that, none:
    tests/core/test_torch_function.py checks it in a fresh interpreter)."""
    if getattr(fn, "dispatches_torch_function", False):
        fn = fn.__wrapped__
    if overrides._subclasses and getattr(fn, "torch_function_dispatch", False):
        fn = fn.__wrapped__
    if getattr(fn, "number_slots", False):
        fn = fn.__wrapped__
    return fn.__wrapped__ if getattr(fn, "pytorch_keywords", False) else fn


def _is_op(fn, op):
    """fn is the op, or the op under PyTorch's name for an alias (core/function_names.py: a copy
    of the same code and closure, `Tensor.negative` of neg's; no wrapper, no call more)."""
    return fn is op or (fn.__code__ is op.__code__ and fn.__closure__ == op.__closure__
                        and fn.__defaults__ == op.__defaults__)


def test_every_method_is_the_declared_function_itself():
    # no wrapper between a method and its op: the hot paths count every call
    for o in OPS:
        if o.method is True:
            for n in (o.name,) + o.aliases:
                assert _is_op(_unwrapped(gradsh.Tensor.__dict__[n]), o.fn), n
    for n in ("mul", "pow", "sum", "mean", "matmul", "tanh", "exp", "div", "eq", "lerp"):
        assert not getattr(gradsh.Tensor.__dict__[n], "number_slots", False), n


def test_every_surface_of_every_op_is_bound():
    for o in OPS:
        names = (o.name,) + o.aliases
        for n in names:
            if o.method:
                assert n in gradsh.Tensor.__dict__, f"Tensor.{n}"
            if o.inplace:
                assert n + "_" in gradsh.Tensor.__dict__, f"Tensor.{n}_"
            if o.function:
                assert _unwrapped(getattr(gradsh, n)) is bindings.TORCH_FUNCTIONS[n], \
                    f"torch.{n}"
        for n in o.operators:
            assert n in gradsh.Tensor.__dict__, n
        if o.nn:
            bound = _unwrapped(getattr(F, o.name))
            if o.nn is not True and getattr(bound, "complex_gate", False):
                bound = bound.__wrapped__  # an adapter behind the complex gate (complex_gate.py)
            assert bound is (o.fn if o.nn is True else o.nn), f"F.{o.name}"
        if o.prop:
            assert isinstance(gradsh.Tensor.__dict__[o.name], property)


def test_the_torch_and_nn_namespaces_hold_only_declared_ops():
    # no second, hand-kept list: torch_functions and nn.functional are the registry's
    from gradsh.core import torch_functions
    declared = {n for o in OPS if o.function for n in (o.name,) + o.aliases}
    # (the first-use modules' names are in torch_functions only if it was imported after them:
    # gradsh/_api.py serves them from the index either way)
    assert set(torch_functions.__all__) | set(ops_index.FUNCTIONS) == declared
    assert set(F.__all__) == {o.name for o in OPS if o.nn}


def test_a_name_claimed_twice_is_refused_and_the_registry_is_unchanged():
    before = len(OPS)

    def add(self, other):
        return self

    with pytest.raises(ValueError, match="method 'add' is declared twice"):
        declare(add)
    assert len(OPS) == before and _unwrapped(gradsh.Tensor.add) is pointwise.add


def test_a_node_name_declared_twice_is_refused():
    with pytest.raises(ValueError, match="node MulBackward0 is declared twice"):
        node_class("MulBackward0", lambda need, g: (g,))


def test_node_names_follow_pytorchs_generator():
    assert [node_name(n) for n in ("add", "log1p", "clamp_min", "t", "linalg_vector_norm")] == [
        "AddBackward0", "Log1PBackward0", "ClampMinBackward0", "TBackward0",
        "LinalgVectorNormBackward0"]
    assert node_name("max", 1) == "MaxBackward1"
    for name in ("exp", "log1p", "expm1", "atan", "sigmoid", "erf", "trunc"):
        assert node_name(name) in NODE_CLASSES


def test_every_node_class_is_bound_under_its_own_name():
    # a rule's node name is written once: where a module names a node class, it is that name
    import gradsh.core.nn_functional as nnf
    modules = [nnf] + [getattr(ops, m) for m in ("base", "views", "pointwise", "shape", "index",
                                                 "linalg", "reduce", "sorting", "inplace")]
    classes = set(NODE_CLASSES.values())
    wrong = [f"{m.__name__}.{attr} is {val.__name__}" for m in modules
             for attr, val in vars(m).items()
             if isinstance(val, type) and val in classes and attr != val.__name__
             # (PyTorch's name is a Python builtin: the module binds the class under another)
             and not hasattr(builtins, val.__name__)]
    assert wrong == []
    assert all(issubclass(c, Node) for c in classes)


def test_a_rule_s_node_is_named_after_its_function():
    src = "".join(inspect.getsource(getattr(ops, m)) for m in
                  ("pointwise", "reduce", "shape", "index", "linalg", "inplace", "views"))
    assert re.findall(r'@rule\("', src) == []  # no name typed over a def of the same name


def test_a_new_elementwise_op_is_one_declaration(monkeypatch):
    # What adding an op takes: one call beside its rule. Bound here as bindings.py binds every
    # declared op at import; then removed again so other tests do not see it.
    monkeypatch.setattr(registry, "OPS", list(OPS))
    monkeypatch.setattr(registry, "_CLAIMED", dict(registry._CLAIMED))
    monkeypatch.setattr(bindings, "TORCH_FUNCTIONS", dict(bindings.TORCH_FUNCTIONS))
    monkeypatch.setattr(bindings, "NN_FUNCTIONAL", dict(bindings.NN_FUNCTIONAL))
    names = ["halve", "halve_"]
    try:
        halve = pointwise.unary("halve", lambda a: a / 2, lambda need, g, self: (g / 2,),
                                "x / 2 (an op made for this test).", nn=True)
        bindings._bind(registry.OPS[-1])
        x = gradsh.tensor([1.0, 4.0], requires_grad=True)
        y = x.halve()
        assert y.tolist() == [0.5, 2.0] and type(y.grad_fn).__name__ == "HalveBackward0"
        y.sum().backward()
        assert x.grad.tolist() == [0.5, 0.5]
        assert bindings.TORCH_FUNCTIONS["halve"](x).tolist() == [0.5, 2.0]
        # (behind the complex gate, as every op not declared complex-aware: complex_gate.py)
        gated = registry.OPS[-1].fn
        assert bindings.NN_FUNCTIONAL["halve"] is gated and gated.__wrapped__ is halve
        with pytest.raises(NotImplementedError, match="\"halve\" not implemented for 'ComplexFloat'"):
            gradsh.tensor([1j]).halve()
        z = gradsh.tensor([2.0])
        assert z.halve_() is z and z.tolist() == [1.0]
    finally:
        for n in names:
            if n in gradsh.Tensor.__dict__:
                delattr(gradsh.Tensor, n)
        NODE_CLASSES.pop("HalveBackward0", None)


def test_the_docs_table_of_ops_is_the_registry():
    text = (ROOT / "docs" / "autograd.md").read_text()
    begin = text.index("<!-- ops table: begin")
    table = text[text.index("\n", begin) + 1:text.index("<!-- ops table: end -->")]
    assert table == bindings.ops_table(), "run: python tools/update_ops_table.py"


def test_the_repl_colours_only_names_torch_has():
    from gradsh.cli.lexer import TORCH_NAMES
    namespaces = ("torch", "math", "tensor", "autograd", "nn")
    missing = [n for n in TORCH_NAMES if n not in namespaces and not hasattr(gradsh, n)]
    assert missing == []


def test_tensor_first_functions_refuse_a_number_with_pytorchs_message():
    with pytest.raises(TypeError, match=r"exp\(\): argument 'input' \(position 1\) must be "
                                        r"Tensor, not int"):
        gradsh.exp(2)
    # PyTorch's listing, as under `import torch` (core/library_errors.py)
    with pytest.raises(TypeError, match=r"^where\(\) received an invalid combination of "
                                        r"arguments - got \("):
        gradsh.where(np.bool_(True), 1.0, 2.0)
