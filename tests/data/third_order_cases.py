"""Third derivatives over the op sweep's samples, shared by tools/record_third_order.py
(PyTorch) and tests/core/test_third_order.py (gradsh).

For a sample of the op sweep's cases (tests/data/op_sweep_cases.py; float64, the first
out-of-place surface) and every case of tests/data/double_backward_cases.py: the gradient of
the outputs (fixed weights) with create_graph, the gradient of that gradient (weighted again)
with create_graph, then its gradient: the second and third derivatives' values (or the
exception class where PyTorch raises). The nodes inside the third-order graph are not compared
(docs/autograd.md).
"""

import zlib

import op_sweep_cases as sweep
import double_backward_cases as dbl
import forward_ad_cases as fwd


def cases(ops, every=4):
    """(op name, surface, 0, "float64") for about one op in `every` of the forward sweep's list
    (first sample), chosen by a hash of its name so that a new op never changes which others
    are sampled, and the composite ops always."""
    firsts = [c for c in fwd.cases(ops) if c[2] == 0]
    return [c for c in firsts if c[0] in COMPOSITE or sampled(c[0], every)]


def sampled(name, every):
    """Is the op `name` in a stable one-in-`every` sample (crc32 of its name)?"""
    return zlib.crc32(name.encode()) % every == 0


COMPOSITE = {"layer_norm", "batch_norm", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
             "conv_transpose2d", "conv_transpose3d"}
key = sweep.key


def _orders(lib, outs, leaves):
    """{"g2": ..., "g3": ...}: each order's gradient of the previous one's weighted sum (the
    gradients that require grad), as long as there are such."""
    facts = {}
    current = [o for o in outs if isinstance(o, lib.Tensor) and o.requires_grad]
    for order in (1, 2, 3):
        if not current:
            break
        grads = sweep._grads(lib, current, leaves, order < 3)
        if order > 1:
            facts[f"g{order}"] = [sweep._values(g) for g in grads]
        current = [g for g in grads if g is not None and g.requires_grad]
    return facts


def run(lib, case):
    """The third-order facts of one op sweep case."""
    import warnings
    name, surface, k, dtype = case
    sample = sweep.samples(name)[k]
    ins = sweep._Inputs(lib, dtype)
    args = [ins.make(a) for a in sample.args]
    kwargs = {n: ins.make(v) for n, v in sample.kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if name in fwd.RANDOM:  # the ops that draw: the same draws on both sides
                lib.manual_seed(0)
            out, _ = sweep._call(lib, name, surface, args, kwargs)
            return _orders(lib, sweep._flat(out), ins.leaves)
        except Exception as e:  # noqa: BLE001 - the class is the fact compared
            return {"error": type(e).__name__}


def run_double(lib, name, i):
    """The third-order facts of a double-backward case (float32, as recorded there)."""
    fn, inputs = dbl.CASES[name]
    x = lib.tensor(inputs[i], requires_grad=True)
    try:
        return _orders(lib, [fn(lib, x)], [x])
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__}
