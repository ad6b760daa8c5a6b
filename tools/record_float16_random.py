"""Record what PyTorch's random factories draw in float16 into tests/data/float16_random.json.

Run with PyTorch 2.13 installed:  python tools/record_float16_random.py
For every call of `calls()` (rand, randn, their _like forms, uniform_, normal_, torch.normal
with numbers and with tensors, bernoulli, dropout, exponential_, randint, a Generator object)
and every size of SIZES, after `manual_seed(7)`: the SHA-256 of the result's bytes, its dtype,
and `rand(1).item()` drawn after it (where the generator was left).
"""

import hashlib
import json
import pathlib

try:
    import torch
except ImportError:  # the test imports calls() without torch
    torch = None

SIZES = [1, 5, 15, 16, 17, 33, 100, 1000]


def calls():
    """name -> function of (library, n) making a float16 tensor from random draws."""
    h = lambda L: L.float16  # noqa: E731
    return {
        "rand": lambda L, n: L.rand(n, dtype=h(L)),
        "randn": lambda L, n: L.randn(n, dtype=h(L)),
        "rand_like": lambda L, n: L.rand_like(L.zeros(n, dtype=h(L))),
        "randn_like": lambda L, n: L.randn_like(L.zeros(n, dtype=h(L))),
        "uniform_": lambda L, n: L.empty(n, dtype=h(L)).uniform_(-2, 3),
        "uniform_ narrow": lambda L, n: L.empty(n, dtype=h(L)).uniform_(0.1, 0.3),
        "normal_": lambda L, n: L.empty(n, dtype=h(L)).normal_(0.1, 0.3),
        "normal_ strided": lambda L, n: L.empty(2 * n, dtype=h(L))[::2].normal_(1, 2),
        "normal numbers": lambda L, n: L.normal(0.5, 2.0, size=(n,), dtype=h(L)),
        "normal tensors": lambda L, n: L.normal(L.zeros(n, dtype=h(L)), L.ones(n, dtype=h(L))),
        "bernoulli": lambda L, n: L.bernoulli(L.full((n,), 0.3, dtype=h(L))),
        "bernoulli_": lambda L, n: L.empty(n, dtype=h(L)).bernoulli_(0.3),
        "dropout": lambda L, n: L.nn.functional.dropout(L.ones(n, dtype=h(L)), 0.4),
        "exponential_": lambda L, n: L.empty(n, dtype=h(L)).exponential_(1.5),
        "randint": lambda L, n: L.randint(0, 10, (n,), dtype=h(L)),
        "generator": lambda L, n: L.rand(n, dtype=h(L), generator=L.Generator().manual_seed(3)),
    }


def draw(lib, name, n):
    """[digest of the result's bytes, its dtype, the uniform drawn after it] under seed 7."""
    lib.manual_seed(7)
    out = calls()[name](lib, n)
    return [hashlib.sha256(out.numpy().tobytes()).hexdigest(), str(out.dtype),
            lib.rand(1).item()]


def main():
    torch.set_num_threads(1)
    facts = {"torch": torch.__version__,
             "draws": {f"{name} {n}": draw(torch, name, n) for name in calls() for n in SIZES}}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "float16_random.json"
    path.write_text(json.dumps(facts, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
