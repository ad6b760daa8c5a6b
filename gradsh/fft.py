"""torch.fft for gradsh: the discrete Fourier transforms and their helpers (core/ops/fft.py),
with PyTorch's nodes and gradients."""

from .core import function_names as _function_names
from .core import library_errors as _library_errors
from .core import overrides as _overrides
from .core.ops.fft import (fft, fft2, fftfreq, fftn, fftshift, hfft, hfft2, hfftn, ifft, ifft2,
                           ifftn, ifftshift, ihfft, ihfft2, ihfftn, irfft, irfft2, irfftn, rfft,
                           rfft2, rfftfreq, rfftn)

__all__ = ["fft", "fft2", "fftfreq", "fftn", "fftshift", "hfft", "hfft2", "hfftn", "ifft",
           "ifft2", "ifftn", "ifftshift", "ihfft", "ihfft2", "ihfftn", "irfft", "irfft2", "irfftn",
           "rfft", "rfft2", "rfftfreq", "rfftn"]

_overrides.wrap_module(globals())  # __torch_function__ (core/overrides.py)
_library_errors.install(_library_errors.public_functions(globals()))
_function_names.give(globals(), "fft")  # PyTorch's __name__ (core/function_names.py)
