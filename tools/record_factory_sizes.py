"""Record PyTorch's outcome for the factories (and the ops that make a tensor of a given size)
given huge, negative and zero sizes, and the shape-taking ops (view, reshape, unflatten, expand,
broadcast_to, resize_, nn.Unflatten, tile) of an empty tensor given the same sizes, into tests/data/factory_sizes.json
(tests/core/test_factory_sizes.py): the shape made, or the exception's type and first line.

Run with PyTorch 2.13 installed:  python tools/record_factory_sizes.py
"""

import facts_file
import torch

BIG = 2 ** 63 - 1
SIZES = ["(0,)", "(-1,)", "(BIG, 0)", "(0, BIG)", "(BIG,)", "(2**62, 2**62, 0)", "(-1, 0)",
         "(0, -1)", "(2**40,)", "(2**31, 2**31)", "(-5,)", "(BIG, BIG)", "(3, -2)", "(2**62, 4)",
         "(2**62, 4, 0)", "(2**61,)", "(2**40, 2**20, 0)"]
FACTORIES = ["torch.zeros", "torch.ones", "torch.empty", "torch.rand", "torch.randn",
             "t.new_zeros", "t.new_ones", "t.new_empty", "torch.Tensor"]


def calls():
    out = []
    for s in SIZES:
        for f in FACTORIES:
            out += ["%s%s" % (f, s), "%s(%s)" % (f, s)]
        out += ["torch.full(%s, 1.5)" % s, "torch.randint(5, %s)" % s, "t.new_full(%s, 2)" % s,
                "torch.zeros(%s, dtype=torch.float64)" % s, "torch.ones(%s, dtype=torch.int8)" % s]
    for a in ["(BIG,)", "(0, BIG)", "(0, BIG, 2**62)", "(-1,)", "(0, -5)", "(5, 0, -1)",
              "(0, 1e30)", "(0, float('inf'))", "(float('-inf'), 0)", "(0, float('nan'))",
              "(0, 2**62, 1)", "(0, 10, 0)", "(1e300,)", "(2**63,)", "(0.5, 3)", "(10, 0, -3)",
              "(0, 1, 0.3)", "(-5, 5, 2)", "(0, 2**40)"]:
        out.append("torch.arange%s" % a)
    for a in ["(0, 1, BIG)", "(0, 1, -1)", "(0, 1, 2**40)", "(0, 1, 0)"]:
        out += ["torch.linspace%s" % a, "torch.logspace%s" % a]
    for n in ["BIG", "-1", "2**40", "0"]:
        out += ["torch.eye(%s, 0)" % n, "torch.eye(0, %s)" % n, "torch.eye(-1, %s)" % n,
                "torch.hann_window(%s)" % n, "torch.randperm(%s)" % n]
    # the ops that give an empty tensor another shape (issue 16, round 10): numpy cannot hold
    # some shapes PyTorch makes ([2**63 - 1, 0]); PyTorch's own overflow checks come first
    for s in SIZES:
        out += ["e.view%s" % s, "e.reshape%s" % s, "e.unflatten(0, %s)" % s, "e1.expand%s" % s,
                "e.broadcast_to(%s)" % s, "torch.empty(0).resize_%s" % s,
                "torch.nn.Unflatten(0, %s)(e)" % s, "e.tile(%s)" % s]
    for like in ("zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"):
        out.append("torch.%s(torch.zeros(2, 0))" % like)
    return out


def main():
    torch.set_num_threads(1)
    facts = {}
    for source in calls():
        t = torch.ones(2)
        try:
            r = eval(source, {"torch": torch, "t": t, "BIG": BIG, "e": torch.empty(0),
                              "e1": torch.empty(1)})  # noqa: S307 - own texts
            facts[source] = ["shape", list(r.shape), str(r.dtype).replace("torch.", "")]
        except Exception as e:  # noqa: BLE001 - every outcome is recorded
            facts[source] = [type(e).__name__, str(e).split("\n")[0]]
    facts_file.write("factory_sizes.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
