"""nn.Parameter's type through the API, shared by tools/record_parameter_type.py (PyTorch) and
tests/core/test_parameter_type.py (gradsh).

EXPRESSIONS: expressions over `p` (a float32 Parameter) whose result's type name and repr are
recorded. `sweep_run`: every op of the op sweep (tests/data/op_sweep_cases.py) once, on its
first sample in float32 with every float leaf made an nn.Parameter: the type name and repr of
each output, or the exception's class.
"""

import copy  # noqa: F401 - used by the expressions

import op_sweep_cases as sweep

EXPRESSIONS = [
    "p", "type(p) is torch.nn.Parameter", "isinstance(p, torch.Tensor)",
    "isinstance(p.detach(), torch.nn.Parameter)", "p.data", "p.detach()", "p.clone()",
    "copy.deepcopy(p)", "p * 2", "p + p", "p[0]", "p.view(2)", "torch.relu(p)", "p.sum()",
    "p.to(torch.float64)", "p.to(torch.float32)", "p.float()", "p.requires_grad_()",
    "p.contiguous()", "p.new_ones(2)", "torch.ones_like(p)",
    "torch.nn.Parameter(torch.ones(2), requires_grad=False)",
    "torch.nn.Parameter(torch.ones(2), False).requires_grad",
    "torch.nn.Buffer(torch.ones(1))", "torch.nn.parameter.is_lazy(p)",
    "torch.nn.parameter.is_lazy(torch.nn.parameter.UninitializedParameter())",
    "isinstance(torch.nn.parameter.UninitializedParameter(), torch.nn.Parameter)",
    "torch.nn.Linear(2, 1).weight.shape", "type(torch.nn.Linear(2, 1).weight).__name__",
    "isinstance(torch.nn.Linear(2, 1).bias, torch.nn.Parameter)",
]


def evaluate(torch, expression):
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    try:
        v = eval(expression, {"torch": torch, "copy": copy, "p": p})
    except Exception as e:  # noqa: BLE001 - the class is the fact compared
        return {"error": type(e).__name__}
    return {"type": type(v).__name__, "repr": repr(v)}


def sweep_cases(ops):
    """(op, surface, 0, float32 or None): each op and surface once, on its first sample."""
    seen, out = set(), []
    for case in sweep.cases(ops):
        if case[:2] not in seen and case[2] == 0 and case[3] in ("float32", None):
            seen.add(case[:2])
            out.append(case)
    return out


def sweep_run(lib, case, parameters=True):
    """The case's facts with Parameter leaves (plain tensors that require grad if not
    `parameters`: what the test compares with to tell an op's own difference)."""
    name, surface, k, dtype = case
    sample = sweep.samples(name, surface)[k]
    ins = sweep._Inputs(lib, dtype)
    if parameters:
        ins.leaf = lambda values: lib.nn.Parameter(lib.tensor(values, dtype=ins.dtype))
    import warnings
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = [ins.make(a) for a in sample.args]
            kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
            out, mutated = sweep._call(lib, name, surface, args, kwargs)
        except Exception as e:  # noqa: BLE001 - the class is the fact compared
            return {"error": type(e).__name__}
    outs = sweep._flat(out) if mutated is None else [mutated]
    return {"types": [type(o).__name__ for o in outs],
            "reprs": [repr(o) for o in outs if isinstance(o, lib.Tensor)]}
