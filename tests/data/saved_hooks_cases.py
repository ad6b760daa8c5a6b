"""What each op packs under torch.autograd.graph.saved_tensors_hooks: the op sweep's cases
(tests/data/op_sweep_cases.py), each run once inside a pair of hooks whose pack hook notes the
dtype and shape of every tensor a node saves, index and mask tensors included. Shared by
tools/record_saved_hooks.py (PyTorch) and tests/core/test_fid23_saved_hooks.py (gradsh)."""

import warnings

import op_sweep_cases as sweep


def run(lib, case):
    """[[dtype, shape], ...] in pack order, or {"error": class} when the op raises."""
    name, surface, k, dtype = case
    sample = sweep.samples(name, surface)[k]
    ins = sweep._Inputs(lib, dtype)
    args = [ins.make(a) for a in sample.args]
    kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
    packed = []

    def pack(t):
        packed.append([str(t.dtype).split(".")[-1], list(t.shape)])
        return t

    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with lib.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                sweep._call(lib, name, surface, args, kwargs)
        except Exception as e:  # noqa: BLE001 - the class is the fact compared
            return {"error": type(e).__name__}
    return packed
