"""Regenerate tests/data/fid22_meta_known.json: the cases of the registry-wide meta sweep
(tests/data/fid22_meta_registry.py) where gradsh still differs from PyTorch's recorded facts
(tests/data/fid22_meta_registry.json), grouped by the reason of their kind of difference. Run
after a change that closes (or opens) differences, then read the diff:
    python tools/update_fid22_meta_known.py
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(DATA))

import fid22_meta_registry as meta  # noqa: E402
import gradsh  # noqa: E402
from gradsh.core.bindings import load_all  # noqa: E402
from gradsh.core.ops.registry import OPS  # noqa: E402

REASONS = {
 "text": "both raise the same class of error; PyTorch's meta kernel words it otherwise than its CPU kernel, whose text gradsh gives",
 "class": "both raise; PyTorch's meta kernel raises another class of error than its CPU kernel, which gradsh follows",
 "values": "gradsh raises where PyTorch's meta kernel only works out the shape: its kernel reads the stand-in's values (lerp's weight, integer div, the scatter embeddings' checks, fill_diagonal_, as_strided_scatter) or makes a refusal of the CPU kernel's that the meta kernel does not make (frac, gcd, lcm, logaddexp, nextafter, igamma, histc over integers; the in-place casts of addcdiv, ldexp)",
 "refuses": "PyTorch's meta kernel (or its lack of one) refuses where gradsh gives a meta result",
 "backward1": "records Backward0 where PyTorch records Backward1 (the op sweep's known difference for the in-place inverse hyperbolics)",
 "composed": "gradsh composes the op from others (linalg.solve, a transpose), so its node is not PyTorch's one node, as on the CPU",
 "decomposed": "PyTorch decomposes the op on meta tensors (native_channel_shuffle's views), so its node is not the CPU kernel's node, which gradsh records",
 "layout": "layout: a meta op's result is laid out contiguously here, where PyTorch's keeps its input's layout, so a reshape after it chooses a view or a copy otherwise",
}

BACKWARD_REASONS = {
    "forward": "the forward already differs on meta (fid22_meta_known.json): gradsh raised",
    "no_derivative": "PyTorch has no derivative for this form (NotImplementedError: the "
                     "inverse hyperbolics' Backward1, the margin losses, fractional_max_pool3d "
                     "on meta, ctc_loss) where gradsh computes one",
    "rule": "gradsh's backward rule reads values or mixes a CPU array into the meta gradient "
            "(the linalg factorizations' rules, matrix_exp, index_reduce, fmod/remainder's "
            "gradient for other, native_channel_shuffle)",
}
HYPERBOLICS = ("asinh", "acosh", "atanh")
COMPOSED = ("cholesky_solve", "cholesky_inverse")
DECOMPOSED = ("scaled_dot_product_attention", "native_channel_shuffle")


def _no_strides(s):
    if s[0] == "tensor":
        return s[:6]
    if s[0] == "seq":
        return ["seq", [_no_strides(x) for x in s[1]]]
    return s


def _kind(key, got, want):
    op = key.split("|")[0]
    if got[0] == "error" and want[0] == "error":
        return "text" if got[1] == want[1] else "class"
    if got[0] == "error":
        return "values"
    if want[0] == "error":
        return "refuses"
    if op.rstrip("_").replace("arc", "a") in HYPERBOLICS:
        return "backward1"
    return "composed" if op in COMPOSED else "decomposed" if op in DECOMPOSED else "layout"


def main():
    load_all()
    facts = json.loads((DATA / "fid22_meta_registry.json").read_text())["facts"]
    known = {reason: [] for reason in REASONS.values()}
    for case in meta.cases(OPS):
        key = meta.key(case)
        got = json.loads(json.dumps(meta.run(gradsh, case)))
        if _no_strides(got) != _no_strides(facts[key]):
            known[REASONS[_kind(key, got, facts[key])]].append(key)
    known = {reason: keys for reason, keys in known.items() if keys}
    (DATA / "fid22_meta_known.json").write_text(json.dumps(known, indent=0))
    print({reason[:40]: len(keys) for reason, keys in known.items()})
    backward = json.loads((DATA / "fid22_meta_registry.json").read_text())["backward"]
    known = {reason: [] for reason in BACKWARD_REASONS.values()}
    for case in meta.cases(OPS):
        key = meta.key(case)
        if key not in backward:
            continue
        got = json.loads(json.dumps(meta.run_backward(gradsh, case)))
        want = backward[key]
        if got != want:
            kind = "forward" if got is None else "no_derivative" if want[0] == "error" and \
                want[1] == "NotImplementedError" else "rule"
            known[BACKWARD_REASONS[kind]].append(key)
    known = {reason: keys for reason, keys in known.items() if keys}
    (DATA / "fid22_meta_backward_known.json").write_text(json.dumps(known, indent=0))
    print({reason[:40]: len(keys) for reason, keys in known.items()})


if __name__ == "__main__":
    main()
