"""Record PyTorch's topk (and unstable sort) order among ties into tests/data/topk_order.json.

Run with PyTorch 2.13 installed:  python tools/record_topk_order.py
Rows of small integers (many ties), some with NaN, of sizes on both sides of the kernel's
k * 64 <= size switch (nth_element + sort, or partial_sort), for largest / smallest and sorted /
unsorted; each case records the values, k, the flags and PyTorch's indices. A few rows for
sort(stable=False) too (std::sort's order among ties), and rows with ties (some with NaN) for
kthvalue (its quickselect) and mode (std::sort, then the longest run).
tests/core/test_topk_order.py compares gradsh's topk, sort, kthvalue and mode with them.
"""

import json
import pathlib

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
SIZES = (1, 2, 3, 4, 5, 8, 15, 16, 17, 33, 64, 65, 130, 300)


def cases(rng):
    for n in SIZES:
        for _ in range(12):
            k = int(rng.integers(0, n + 1)) if rng.random() < 0.6 else int(
                rng.integers(0, max(1, n // 64) + 1))
            values = rng.integers(0, max(2, n // int(rng.choice([1, 4, 8]))), n).astype(float)
            if rng.random() < 0.2:
                values[rng.random(n) < 0.2] = np.nan
            yield values, k, bool(rng.random() < 0.5), bool(rng.random() < 0.7)


def selection_cases(rng):
    """Rows with ties (a fifth with NaN): kthvalue's index for a random k, mode's value and
    index."""
    for n in (1, 2, 3, 5, 9, 17, 31, 64, 100):
        for _ in range(6):
            values = rng.integers(0, 4, n).astype(float)
            if rng.random() < 0.2:
                values[rng.random(n) < 0.2] = np.nan
            k = int(rng.integers(1, n + 1))
            t = torch.tensor(values, dtype=torch.float32)
            mode = t.mode()
            yield {"values": [None if np.isnan(v) else int(v) for v in values], "k": k,
                   "kthvalue": t.kthvalue(k).indices.item(),
                   "mode": [None if mode.values.isnan() else int(mode.values),
                            mode.indices.item()]}


def main():
    torch.set_num_threads(1)
    out = []
    for values, k, largest, sorted_ in cases(np.random.default_rng(15)):
        got = torch.topk(torch.tensor(values, dtype=torch.float32), k, largest=largest,
                         sorted=sorted_)
        out.append({"values": [None if np.isnan(v) else int(v) for v in values], "k": k,
                    "largest": largest, "sorted": sorted_, "indices": got.indices.tolist()})
    rng = np.random.default_rng(16)
    sorts = []
    for n in (17, 40, 100, 300, 700):
        values = rng.integers(0, 4, n).astype(float)
        got = torch.sort(torch.tensor(values, dtype=torch.float32), stable=False)
        sorts.append({"values": [int(v) for v in values], "indices": got.indices.tolist()})
    path = ROOT / "tests" / "data" / "topk_order.json"
    selections = list(selection_cases(np.random.default_rng(17)))
    lines = ",\n".join(json.dumps(c, separators=(",", ":")) for c in out)
    path.write_text(json.dumps({"torch": torch.__version__})[:-1] + ', "cases": [\n' + lines +
                    '\n], "unstable_sort": ' + json.dumps(sorts, separators=(",", ":")) +
                    ', "kthvalue_mode": ' + json.dumps(selections, separators=(",", ":")) + "}\n")
    print(f"wrote {path}: {len(out)} cases")


if __name__ == "__main__":
    main()
