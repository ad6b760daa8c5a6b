"""numpy.linalg's LAPACK routines as the core calls them, each counted against gradsh's work
limit before it starts (memory.check_flops): a batch of n x n matrices costs about
batch * n**3 times the routine's factor (an SVD or eig some twenty times a solve), a
right-hand side of k columns n**2 * k more. The values are numpy's own."""

import math

import numpy as np

from ..memory import check_flops

# multiply-adds per n**3 of each routine (LAPACK's operation counts, rounded up)
_FACTOR = {"inv": 2, "det": 1, "slogdet": 1, "solve": 1, "cholesky": 1, "eigh": 9, "svd": 22,
           "qr": 2, "lstsq": 22, "eig": 25}


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
