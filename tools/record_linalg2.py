"""Record PyTorch's facts for issue 15's second linear-algebra and special-function round
(branch linalg2) into tests/data/linalg2.json.

Run with PyTorch 2.13 installed:  python tools/record_linalg2.py
The cases are tests/data/linalg2_cases.py; each fact is the outputs, the inputs' gradients, the
outputs' node names, dtypes and strides, or an exception's class and message. The tests of each
family (tests/core/test_lu.py, ...) compare gradsh with them and, with PyTorch, live.
"""

import pathlib
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import linalg2_cases as cases  # noqa: E402


def main():
    torch.set_num_threads(1)
    facts = {f"{name}|{dt}": cases.run(torch, name, dt)
             for name in sorted(cases.CASES) for dt in cases.DTYPES}
    facts.update({f"error|{c[0]}": cases.error(torch, c) for c in cases.ERRORS})
    import mpmath  # (PyTorch's sympy brings it)
    mpmath.mp.dps = 40
    facts["mpmath|gammainc"] = [
        [a, x, float(mpmath.gammainc(a, 0, x, regularized=True)),
         float(mpmath.gammainc(a, x, mpmath.inf, regularized=True))]
        for a, x in cases.EXACT_GAMMA]
    exact = {"bessel_j0": lambda x: mpmath.besselj(0, x), "bessel_j1": lambda x: mpmath.besselj(1, x),
             "bessel_y0": lambda x: mpmath.bessely(0, x), "bessel_y1": lambda x: mpmath.bessely(1, x),
             "modified_bessel_k0": lambda x: mpmath.besselk(0, x),
             "modified_bessel_k1": lambda x: mpmath.besselk(1, x),
             "scaled_modified_bessel_k0": lambda x: mpmath.besselk(0, x) * mpmath.exp(x),
             "scaled_modified_bessel_k1": lambda x: mpmath.besselk(1, x) * mpmath.exp(x),
             "airy_ai": mpmath.airyai}
    for name, f in exact.items():  # where the function is finite, nonzero and defined
        points = [x for x in cases.BESSEL_X if 0 < abs(x) < 1e3 and (x > 0 or "y" not in name[-2]
                                                                  and "k" not in name[-2])
                  and not (name == "airy_ai" and x > 100)]
        facts[f"mpmath|{name}"] = [[x, float(f(mpmath.mpf(x)))] for x in points]
    facts_file.write("linalg2.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
