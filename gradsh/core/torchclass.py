"""The metaclass of gradsh's public classes: each prints as PyTorch prints the class gradsh
offers under the same path (`<class 'torch.nn.modules.linear.Linear'>`, `<class 'torch.dtype'>`:
torch_class_names.py, recorded from PyTorch); a subclass a program or a user makes prints as
Python prints it (`<class '__main__.Net'>`). Nothing else: instances are untouched."""

from .torch_class_names import NAMES


class TorchClass(type):

    def __repr__(cls):
        name = NAMES.get("%s.%s" % (cls.__module__, cls.__qualname__))
        return "<class '%s'>" % name if name is not None else type.__repr__(cls)
