"""uint16, uint32 and uint64 through the op sweep's integer samples (tests/data/op_sweep_cases.py):
each sample whose first argument is an int64 tensor, run with every int64 tensor of it made one
of the three barebones unsigned dtypes. Shared by tools/record_uint_sweep.py (PyTorch: the facts,
and gradsh's table of refusing kernels, gradsh/core/ops/uint_kernels.py) and
tests/core/test_fid23_fixes.py (gradsh)."""

import warnings

import op_sweep_cases as sweep

DTYPES = ("uint16", "uint32", "uint64")


def cases(ops):
    """(op, surface, sample index) of the integer samples led by an int64 tensor."""
    out = []
    for name, surface, k, dtype in sweep.cases(ops):
        sample = sweep.samples(name, surface)[k]
        first = sample.args[0] if sample.args else None
        if dtype is None and isinstance(first, sweep.In) and first.kind == "i":
            out.append((name, surface, k))
    return out


def key(case, dtype):
    return "|".join(map(str, case)) + "|" + dtype


def run(lib, case, dtype):
    """The outcome: [dtype, shape, values] of each output, or [exception class, message]."""
    name, surface, k = case
    sample = sweep.samples(name, surface)[k]
    ins = sweep._Inputs(lib, None)
    target = getattr(lib, dtype)

    def make(a):
        t = ins.make(a)
        if isinstance(a, sweep.In) and a.kind == "i":
            return t.to(target)
        if isinstance(a, tuple):
            return tuple(make(v) for v in a)
        return t
    args = [make(a) for a in sample.args]
    kwargs = {n: make(v) for n, v in sample.kwargs.items()}
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out, mutated = sweep._call(lib, name, surface, args, kwargs)
        except Exception as e:  # noqa: BLE001 - the class and message are the facts compared
            return [type(e).__name__, str(e).split("\n")[0]]
    outs = sweep._flat(out) if mutated is None else [mutated]
    return [sweep._describe(lib, o) for o in outs]
