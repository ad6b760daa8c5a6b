"""Devices: gradsh computes on the CPU, and answers as PyTorch 2.13 (CPU build) answers on a
machine without an accelerator, so that programs written for any machine run unchanged.

`torch.device("cuda")` can be made (as in PyTorch); putting a tensor there fails with PyTorch's
own error (`AssertionError: Torch not compiled with CUDA enabled`).
"""

import re

from .torchclass import TorchClass

TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
         "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
NO_CUDA = "Torch not compiled with CUDA enabled"
NO_MTIA = ("Torch not compiled with MTIA enabled. Ensure you have `import "
           "mtia.host_runtime.torch_mtia.dynamic_library` in your python src file and include "
           "`//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!")


# PyTorch's words where a CUDA library is asked for by a CPU build (Tensor.pin_memory('cuda'))
NO_CUDA_LIBRARY = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two "
    "shared libraries: a CPU library and a CUDA library; this error has occurred because you "
    "are trying to use some CUDA functionality, but the CUDA library has not been loaded by the "
    "dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't "
    "directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic "
    "library dependencies if you don't depend on any of their symbols.  You can check if this "
    "has occurred by using ldd on your binary to see if there is a dependency on *_cuda.so "
    "library.")


class NotCompiledError(AssertionError):
    """PyTorch's AssertionError for a device this build lacks (shown as AssertionError)."""

    gradsh_kind = "AssertionError"
    gradsh_hint = ("gradsh computes on the CPU only: use device='cpu', or choose the device with "
                   "torch.device('cuda' if torch.cuda.is_available() else 'cpu')")


NotCompiledError.__module__ = "builtins"
NotCompiledError.__name__ = NotCompiledError.__qualname__ = "AssertionError"


_DEVICE_STRING = re.compile(r"[A-Za-z_]+(?::(?:[1-9][0-9]*|0))?")


class device(metaclass=TorchClass):
    """torch.device: a device type and an optional index ("cpu", "cuda:1", device("cpu", 0))."""

    __slots__ = ("type", "index")

    def __init__(self, type=None, index=None):
        if isinstance(type, device) and index is None:
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            if not -2 ** 63 <= type < 2 ** 63:
                raise ValueError("Overflow when unpacking long long")  # PyTorch's parser's
            # a bare index means the current accelerator, which this machine does not have
            raise RuntimeError(NO_ACCELERATOR)
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({_typename(type)}), but expected one of:\n"
                            " * (torch.device device)\n"
                            " * (str type, int index = -1)\n")
        name, colon, number = type.partition(":")
        if colon and index is not None:
            raise RuntimeError("type (string) must not include an index because index was "
                               f"passed explicitly: {type}")
        # PyTorch's parser, in its order: the text's form (ASCII letters and '_', then ':' and
        # an index without leading zeros), the index's range, then the device type
        if not type:
            raise RuntimeError("Device string must not be empty")
        if not _DEVICE_STRING.fullmatch(type):
            raise RuntimeError(f"Invalid device string: '{type}'")
        if colon and (len(number) > 10 or int(number) >= 2 ** 31):  # (PyTorch's std::stoi)
            raise RuntimeError(f"Could not parse device index '{number}' in device string "
                               f"'{type}'")
        if name not in TYPES:
            raise RuntimeError(f"Expected one of {', '.join(TYPES)} device type at start of "
                               f"device string: {type}")
        if colon:
            index = int(number)
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                                f"{_typename(index)}")
            if not -2 ** 63 <= index < 2 ** 63:
                raise ValueError("Overflow when unpacking long long")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
        self.type, self.index = name, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        # `with torch.device(d):` makes d the default device of the factories inside, and the
        # one before it again on leaving (nested blocks restore in turn)
        _entered.append(_default[0])
        _default[0] = self
        return self

    def __exit__(self, *exc):
        _default[0] = _entered.pop()


def _typename(v):
    return "NoneType" if v is None else type(v).__name__


CPU = device("cpu")
META = device("meta")  # tensors with a shape and no data (core/meta.py)
_default = [CPU]
_entered = []  # the default devices that `with device(...)` blocks replaced, innermost last


def set_default_device(d):
    """torch.set_default_device: None or "cpu" (another device makes later factories fail, as
    in PyTorch on a machine without it)."""
    _default[0] = CPU if d is None else device(d)


def get_default_device():
    return _default[0]


def check(d):
    """Refuse a device other than the CPU and 'meta' with PyTorch's error; None means the
    default device. True for the meta device (the caller makes its result a meta tensor)."""
    if d is None:
        d = _default[0]
        if d is CPU:
            return False
    elif isinstance(d, str) and d == "cpu":
        return False
    d = device(d)
    if d.type == "cpu":
        return False
    if d.type == "meta":
        return True
    if d.type == "cuda":
        raise NotCompiledError(NO_CUDA)
    if d.type == "xpu":
        raise NotCompiledError("Torch not compiled with XPU enabled")
    if d.type == "mps":
        raise RuntimeError("PyTorch is not linked with support for mps devices")
    if d.type == "mtia":
        raise NotCompiledError(NO_MTIA)
    raise RuntimeError(f"gradsh computes on the CPU only: the device '{d}' is not available "
                       "(use 'cpu')")


def is_device_like(v):
    """Could this positional argument of Tensor.to() be a device?"""
    return isinstance(v, (str, device)) or (isinstance(v, int) and not isinstance(v, bool))


def cuda_method(self, device=None, non_blocking=False, memory_format=None):
    """Tensor.cuda(): PyTorch's error on a machine without CUDA, after its parser's checks of
    the device (a torch.device, a device string or an index)."""
    if isinstance(device, int) and not isinstance(device, bool):
        raise RuntimeError(NO_ACCELERATOR)
    if isinstance(device, str):
        globals()["device"](device)  # (an unknown device type: PyTorch's RuntimeError)
    elif device is not None and type(device) is not globals()["device"]:
        raise TypeError("cuda(): argument 'device' (position 1) must be torch.device, not "
                        + type(device).__name__)
    raise NotCompiledError(NO_CUDA)
