"""Special functions numpy lacks."""

import math

import numpy as np

from ..dtypes import default_float_np

_erf_scalar = np.frompyfunc(math.erf, 1, 1)


def erf(a):
    """The error function, elementwise, to double precision (math.erf per element)."""
    a = np.asarray(a)
    # (frompyfunc gives a Python float, not an array, for a 0-dimensional input)
    return np.asarray(_erf_scalar(a), dtype=a.dtype if a.dtype.kind == "f" else default_float_np())
