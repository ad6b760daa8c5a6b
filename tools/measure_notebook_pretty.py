"""How often gradsh's notebook layout (gradsh/kernel/pretty.py) differs from IPython's printer
(IPython.lib.pretty) on seeded random nests of containers, with a share of values whose text has
several lines (as a 2-d tensor's).

    python tools/measure_notebook_pretty.py [SEED ...] [--multi SHARE] [--show N]

Prints the number of differing cases of 3,000 per seed, and the first N differences.
"""

import argparse
import random
import sys
from collections import OrderedDict


class Lines:
    def __init__(self, rows):
        self.rows = rows

    def __repr__(self):
        return "M(\n" + "".join("  row%d\n" % k for k in range(self.rows)) + ")"


def value(rng, depth, multi):
    if depth <= 0 or rng.random() < 0.3:
        if rng.random() < multi:
            return Lines(rng.randint(1, 3))
        k = rng.random()
        if k < 0.4:
            return rng.randint(-10 ** rng.randint(0, 8), 10 ** rng.randint(0, 8))
        if k < 0.6:
            return "s" * rng.randint(0, 30)
        return rng.random() if k < 0.7 else None if k < 0.8 else rng.random() < 0.5
    items = [value(rng, depth - 1, multi) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 13, 25]))]
    kind = rng.randint(0, 4)
    if kind == 0:
        return items
    if kind == 1:
        return tuple(items)
    if kind == 2:
        return {("k%d" % i if rng.random() < 0.7 else i): v for i, v in enumerate(items)}
    if kind == 3:
        return {x for x in items if isinstance(x, (int, float)) and not isinstance(x, bool)}
    return OrderedDict(("k%d" % i, v) for i, v in enumerate(items))


def main(argv):
    from IPython.lib.pretty import pretty as ipython_pretty
    from gradsh.kernel.pretty import pretty
    parser = argparse.ArgumentParser()
    parser.add_argument("seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--multi", type=float, default=0.05)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args(argv)
    for seed in args.seeds:
        rng = random.Random(seed)
        differ = []
        for _ in range(3000):
            v = value(rng, rng.randint(1, 4), args.multi)
            if pretty(v, text_of=repr) != ipython_pretty(v):
                differ.append(v)
        print("seed %d: %d of 3000 differ" % (seed, len(differ)))
        for v in differ[:args.show]:
            print(ipython_pretty(v), "\n--- gradsh:\n" + pretty(v, text_of=repr), "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
