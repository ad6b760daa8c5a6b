"""numpy.linalg's LAPACK routines as the core calls them, each counted against gradsh's work
limit before it starts (memory.check_flops): a batch of n x n matrices costs about
batch * n**3 times the routine's factor (an SVD or eig some twenty times a solve), a
right-hand side of k columns n**2 * k more. The values are numpy's own."""

import math

import numpy as np

from ..memory import check_flops

# multiply-adds of float32 BLAS per n**3 each routine costs in numpy's LAPACK, measured against
# a matmul (round 16; the API fuzzer found a 3000 x 3000 QR taking 8-14 s with a weight of 2)
_FACTOR = {"inv": 6, "det": 3, "slogdet": 3, "solve": 3, "cholesky": 2, "eigh": 30, "svd": 60,
           "qr": 20, "lstsq": 60, "eig": 100}


def _checked(name):
    fn = getattr(np.linalg, name)
    factor = _FACTOR[name]

    def call(a, *args, **kwargs):
        a = np.asarray(a)
        if a.ndim >= 2:
            m, n = a.shape[-2:]
            batch = math.prod(a.shape[:-2])
            work = batch * m * n * min(m, n) * factor
            if args and name in ("solve", "lstsq"):
                work += np.asarray(args[0]).size * max(m, n)
            check_flops(work, f"linalg.{name} of a {'x'.join(map(str, a.shape))} matrix")
        return fn(a, *args, **kwargs)
    call.__name__ = name
    return call


inv, det, slogdet, solve, cholesky, eigh, svd, qr, lstsq, eig = map(_checked, _FACTOR)
