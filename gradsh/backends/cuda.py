"""torch.backends.cuda: not built. Its cuBLAS flags (`torch.backends.cuda.matmul.allow_tf32`,
which PyTorch's numerical-accuracy note reads and sets) are read and set as in a CPU build:
allow_tf32 is the float32 matmul precision seen as a bool, the reduced-precision reductions are
stored; none changes gradsh's arithmetic (docs/autograd.md)."""

from ..core import settings as _settings
from ..core.torchclass import TorchClass

__all__ = ["is_built", "matmul"]


def is_built():
    return False


def _reduction_flag(name, value):
    if isinstance(value, bool) or (isinstance(value, (tuple, list))
                                   and all(isinstance(v, bool) for v in value)):
        return value if isinstance(value, bool) else value[0]
    raise TypeError(f"{name} expects a bool or a tuple/list of bools, but got {type(value)}")


def _reduction(kind):
    name = "allow_%s_reduced_precision_reduction" % kind

    def set_flag(self, value):
        _settings.set_reduced_precision_reduction(kind, _reduction_flag(name, value))
    set_flag.program_assigns = True
    return property(lambda self: _settings.reduced_precision_reduction(kind), set_flag)


def _set_allow_tf32(self, value):
    if not isinstance(value, bool):
        raise RuntimeError("set_allow_tf32_cublas expects a bool, but got " + type(value).__name__)
    _settings.set_float32_matmul_precision("high" if value else "highest")


# a .grad program may set these flags (the sandbox's gate reads this mark on a property's setter)
_set_allow_tf32.program_assigns = True


class cuBLASModule(metaclass=TorchClass):
    """PyTorch's torch.backends.cuda.matmul: named flags only, any other name refused."""

    __slots__ = ()

    allow_tf32 = property(lambda self: _settings.get_float32_matmul_precision() != "highest",
                          _set_allow_tf32)
    allow_fp16_reduced_precision_reduction = _reduction("fp16")
    allow_bf16_reduced_precision_reduction = _reduction("bf16")

    def __getattr__(self, name):
        raise AttributeError("Unknown attribute " + name)

    def __setattr__(self, name, value):
        if name not in type(self).__dict__:
            raise AttributeError("Unknown attribute " + name)
        object.__setattr__(self, name, value)

    def __repr__(self):
        return f"<torch.backends.cuda.cuBLASModule object at {hex(id(self))}>"


matmul = cuBLASModule()
