"""Calls in keyword form for every function and Tensor method gradsh offers, run in PyTorch and
in gradsh, compared (values, dtypes, exception class and message).

    python tools/keyword_sweep.py            # compare live (needs PyTorch 2.13), list differences
    python tools/keyword_sweep.py --names    # and the names no call could be built for

PyTorch's parameter names are taken at run time from PyTorch itself: the lambdas of
torch.overrides.get_testing_overrides() (a lambda with PyTorch's names for nearly every function
and method), inspect.signature of PyTorch's Python functions, and the signature lines that open
its docstrings ("sum(input, dim, keepdim=False, *, dtype=None) -> Tensor"). Each list of names
gives a call: the arguments chosen by name (VALUES) until PyTorch takes the positional form;
then the same call all by keyword, mixed (the first argument by position), and with numpy's
names (axis, keepdims, x, x2...). Each call is an expression over the tensors of SETUP, so the
record (tools/record_keyword_sweep.py -> tests/data/keyword_sweep.json) is plain text and the
test (tests/core/test_keyword_sweep.py) replays it under `import gradsh as torch`.
"""

import inspect
import itertools
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
sys.path.insert(0, str(ROOT))
from gradsh.core import argcheck  # noqa: E402 - PyTorch's recorded parser signatures
from keyword_sweep_run import SETUP, namespace, outcome  # noqa: E402,F401 - the test's runner

# candidate values (expressions) by parameter name, first that PyTorch takes wins
VALUES = {
    "input": ["x", "m", "v", "n", "b", "p"], "self": ["x", "m", "v", "n", "b", "p"],
    "a": ["x", "m"], "A": ["m"], "x": ["x", "m", "v"], "x1": ["x", "v"], "tensor": ["x", "v"],
    "other": ["y", "m", "w", "n", "b"], "x2": ["y", "w"], "tensor1": ["y"], "tensor2": ["p"],
    "vec": ["v"], "vec1": ["v"], "vec2": ["w"], "mat": ["m"], "mat1": ["m"], "mat2": ["m"],
    "B": ["m"], "end": ["y", "1.0"], "weight": ["p", "0.25"], "exponent": ["2", "y"],
    "dim": ["1", "0", "(0, 1)"], "dim0": ["0"], "dim1": ["1"], "dims": ["(0, 1)", "[0]"],
    "keepdim": ["True"], "tensors": ["[x, y]", "(x, y)"], "shape": ["(3, 2)"],
    "size": ["(3, 2)", "(2, 3)"], "sizes": ["(3, 2)"], "min": ["-0.5"], "max": ["1.0"],
    "alpha": ["2"], "beta": ["0.5"], "value": ["0.5"], "p": ["2"], "index": ["k"],
    "mask": ["b"], "src": ["y"], "source": ["y"], "diagonal": ["1"], "offset": ["1"],
    "k": ["1"], "largest": ["False"], "sorted": ["True"], "descending": ["True"],
    "stable": ["True"], "decimals": ["1"], "unbiased": ["False"], "correction": ["0"],
    "start": ["0"], "length": ["2"], "chunks": ["2"], "sections": ["2"],
    "split_size": ["1"], "split_size_or_sections": ["1"], "indices_or_sections": ["2"],
    "repeats": ["2"], "rounding_mode": ["'floor'"], "q": ["0.5"], "ord": ["2"],
    "eps": ["1e-06"], "lambd": ["0.5"], "threshold": ["0.5"], "negative_slope": ["0.2"],
    "approximate": ["'tanh'"], "rcond": ["1e-15"], "upper": ["False"], "n": ["2"],
    "decimals_": ["1"], "other_": ["y"], "condition": ["b"], "dtype": ["torch.float64"],
    "scalar": ["2"], "mode": ["'reduced'"], "reduction": ["'sum'"], "target": ["p"],
    "full_matrices": ["False"], "some": ["True"], "compute_uv": ["True"], "hermitian": ["False"],
    "check_errors": ["False"], "pivot": ["True"], "left": ["True"], "nan": ["0.0"],
    "posinf": ["1.0"], "neginf": ["-1.0"], "num_classes": ["3"], "reps": ["(2, 1)"],
    "shifts": ["1"], "source_": ["0"], "destination": ["1"], "start_dim": ["0"],
    "end_dim": ["1"], "step": ["1"], "bins": ["3"], "lower": ["0.1"], "upper_": ["0.3"],
    "batch1": ["x.unsqueeze(0)"], "batch2": ["y.t().unsqueeze(0)"], "mat_": ["m"],
}
NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"),
               "other": ("x2",)}
# never called: randomness, in-place writes of the shared tensors, whole-process switches
SKIP = re.compile(r"^(rand|normal|bernoulli|multinomial|poisson|dropout|alpha_dropout|"
                  r"feature_|uniform_|exponential_|geometric_|cauchy_|log_normal_|random_|"
                  r"set_|manual_seed|seed|use_deterministic|empty|.*_$|__.*|backward|"
                  r"register_|share_memory|pin_memory|storage|untyped_storage|data_ptr|"
                  r"resize|record_stream|numpy|tolist|item|save|load|new_empty|"
                  r"stft|istft|lobpcg|svd_lowrank|pca_lowrank|rrelu|gumbel|native_|"
                  r"fractional|nested|sparse|to_sparse|quantize|q_|dequant|mkldnn|"
                  r"is_nonzero|cuda|cpu|to_mkldnn|apply_|map_|map2_|type|element_size|const_data_ptr|"
                  r"compile|get_rng_state|initial_seed)")
SURFACES = ("torch", "Tensor", "F", "linalg", "special")


def _owner(torch, surface):
    return {"torch": torch, "Tensor": torch.Tensor, "F": torch.nn.functional,
            "linalg": torch.linalg, "special": torch.special}[surface]


def _prefix(surface):
    return {"torch": "torch.", "F": "torch.nn.functional.", "linalg": "torch.linalg.",
            "special": "torch.special."}.get(surface)


_DOC_LINE = re.compile(r"^\s*(?:torch\.|Tensor\.)?([a-z_][a-z0-9_]*)\(([^()]*)\)\s*(->|$)")


def _names(obj, name, lam, recorded=()):
    """Lists of (parameter name, required, keyword only) from PyTorch, each a candidate;
    `recorded`: PyTorch's parser signatures of the name (gradsh/core/signatures.txt, read from
    libtorch_python.so by tools/record_signatures.py)."""
    found = []

    def add(params):
        if params and params not in found:
            found.append(params)

    for sig in recorded:
        if not isinstance(sig, str) and not sig.hidden:
            add(tuple((p.name, not p.optional, p.keyword_only) for p in sig.params
                      if p.name != "out"))

    for fn in (lam, obj):
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            continue
        params = []
        for prm in sig.parameters.values():
            if prm.kind in (prm.VAR_POSITIONAL, prm.VAR_KEYWORD) or prm.name in ("out",) or \
                    prm.name.startswith("_"):
                continue
            params.append((prm.name, prm.default is prm.empty, prm.kind == prm.KEYWORD_ONLY))
        add(tuple(params))
    for line in (getattr(obj, "__doc__", None) or "").splitlines()[:12]:
        mt = _DOC_LINE.match(line)
        if not mt or mt.group(1) != name:
            continue
        params, kwonly = [], False
        for part in [s.strip() for s in mt.group(2).split(",") if s.strip()]:
            if part == "*":
                kwonly = True
                continue
            if part.startswith("*"):
                params = None
                break
            pname, eq, _ = part.partition("=")
            pname = pname.strip()
            if not pname.isidentifier() or pname == "out":
                continue
            params.append((pname, not eq, kwonly))
        if params is not None:
            add(tuple(params))
    return found


def _call(surface, name, positional, keywords):
    args = ", ".join(list(positional) + ["%s=%s" % kv for kv in keywords])
    if surface == "Tensor":
        return None if not positional else "%s.%s(%s)" % (
            positional[0], name, ", ".join(list(positional[1:]) + ["%s=%s" % kv
                                                                  for kv in keywords]))
    return "%s%s(%s)" % (_prefix(surface), name, args)


def _forms(surface, name, params, values):
    """The keyword forms of one call: (label, expression)."""
    named = [(pn, values[pn]) for pn, _, _ in params if pn in values]
    out = []
    if surface == "Tensor":
        receiver = values[params[0][0]]
        rest = named[1:]
        out.append(("keyword", "%s.%s(%s)" % (receiver, name, ", ".join("%s=%s" % kv
                                                                        for kv in rest))))
        for i, (pn, val) in enumerate(rest):
            for alias in NUMPY_NAMES.get(pn, ()):
                swapped = rest[:i] + [(alias, val)] + rest[i + 1:]
                out.append(("alias " + alias, "%s.%s(%s)" % (receiver, name, ", ".join(
                    "%s=%s" % kv for kv in swapped))))
        return out
    out.append(("keyword", _call(surface, name, [], named)))
    if len(named) > 1:
        out.append(("mixed", _call(surface, name, [named[0][1]], named[1:])))
    for i, (pn, val) in enumerate(named):
        for alias in NUMPY_NAMES.get(pn, ()):
            swapped = named[:i] + [(alias, val)] + named[i + 1:]
            out.append(("alias " + alias, _call(surface, name, [], swapped)))
    return out


def _choose(torch_ns, surface, name, params):
    """{parameter: value} PyTorch takes positionally (by keyword past a parameter left out, and
    where PyTorch takes a keyword only), or None."""
    usable, gap = [], False
    for pn, required, kwonly in params:
        if pn in VALUES:
            usable.append((pn, kwonly or gap))
        elif required:
            return None
        else:
            gap = True
    if surface == "Tensor" and (not usable or usable[0][0] not in ("self", "input")):
        return None
    choices = [VALUES[pn] for pn, _ in usable]
    for combo in itertools.islice(itertools.product(*choices), 24):
        values = dict(zip([pn for pn, _ in usable], combo))
        pos = [values[pn] for pn, kw in usable if not kw]
        kws = [(pn, values[pn]) for pn, kw in usable if kw]
        expr = _call(surface, name, pos, kws)
        if expr and "raises" not in outcome(expr, torch_ns):
            return values
    return None


def cases(torch, offered):
    """[{surface, name, form, expr}] for every name gradsh offers (`offered`: surface -> names)
    that PyTorch has and a call could be built for; and the names none could be built for."""
    lambdas = torch.overrides.get_testing_overrides()
    torch_ns = {"torch": torch}
    exec(SETUP, torch_ns)  # noqa: S102 - the sweep's own setup
    out, unbuilt = [], []
    for surface in SURFACES:
        owner = _owner(torch, surface)
        for name in sorted(offered.get(surface, ())):
            if SKIP.match(name):
                continue
            obj = getattr(owner, name, None)
            if obj is None or not callable(obj) or isinstance(obj, type):
                continue
            lam = lambdas.get(obj)
            seen, built = set(), False
            for params in _names(obj, name, lam, argcheck.signatures(surface, name)):
                if surface == "Tensor" and (not params or params[0][0] not in ("self", "input")):
                    params = (("self", True, False),) + params
                values = _choose(torch_ns, surface, name, params)
                if values is None:
                    continue
                built = True
                for label, expr in _forms(surface, name, params, values):
                    if expr and expr not in seen:
                        seen.add(expr)
                        out.append({"surface": surface, "name": name, "form": label,
                                    "expr": expr})
            if not built:
                unbuilt.append(surface + "." + name)
    return out, unbuilt


def offered_names(gradsh):
    """surface -> the public names gradsh offers there."""
    def public(ns):
        return {n for n in dir(ns) if not n.startswith("_")}
    return {"torch": public(gradsh), "Tensor": public(gradsh.Tensor),
            "F": public(gradsh.nn.functional), "linalg": public(gradsh.linalg),
            "special": public(gradsh.special)}


def main():
    import gradsh
    import torch
    found, unbuilt = cases(torch, offered_names(gradsh))
    differ = 0
    for case in found:
        want = outcome(case["expr"], namespace(torch))
        got = outcome(case["expr"], namespace(gradsh))
        if want != got:
            differ += 1
            print("%-40s torch: %s\n%-40s gradsh: %s" % (case["expr"], str(want)[:150], "",
                                                       str(got)[:150]))
    print("%d calls, %d differ; %d names without a call" % (len(found), differ, len(unbuilt)))
    if "--names" in sys.argv:
        print(" ".join(unbuilt))


if __name__ == "__main__":
    main()
