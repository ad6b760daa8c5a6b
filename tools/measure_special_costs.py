"""Measure the CPU time an element of the special functions' kernels costs (float32, 200,000
elements over [-5, 15)), the figures of COSTS in gradsh/core/ops/special_ops.py and
gradsh/core/ops/bessel.py that memory.check_elementwise weighs against MAX_WORK.

    python tools/measure_special_costs.py"""
import time

import numpy as np

from gradsh.core.ops import bessel, cephes, special_ops

x = np.random.default_rng(0).random(200000).astype(np.float32) * 20 - 5


def cost(kernel):
    t0 = time.process_time()
    kernel(x)
    return (time.process_time() - t0) / x.size * 1e6


for name in special_ops.COSTS:
    print("%-28s %6.2f us (table %s)" % (name, cost(getattr(cephes, name)), special_ops.COSTS[name]))
kernels = dict(bessel.KERNELS, **{n: bessel._kernel(f) for n, f in bessel.KERNELS2.items()})
for name, kernel in kernels.items():
    print("%-28s %6.2f us (table %s)" % (name, cost(kernel), bessel.COSTS[name]))
