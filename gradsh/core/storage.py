"""What `Tensor.untyped_storage()` and the deprecated `Tensor.storage()` give: a read-only look
at the memory a tensor lives in, as PyTorch's UntypedStorage (bytes) and TypedStorage (elements)
show it: sizes, `data_ptr()` (the same for a tensor and its views), `tolist()`, indexing and
PyTorch's printing. A tensor's storage is the numpy buffer at the root of its array's `.base`
chain. Nothing writes through a storage, resizes it or makes one from raw memory (a `.grad`
program's rules: docs/security.md)."""

import warnings

import numpy as np

from . import errors
from .device import CPU
from .torchclass import TorchClass


def root_array(a):
    """The numpy array owning a's memory (as_strided's arrays hang off a holder object whose
    .base is the array)."""
    while True:
        b = a.base
        if not isinstance(b, np.ndarray):
            b = getattr(b, "base", None)
            if not isinstance(b, np.ndarray):
                return a
        a = b


def _bytes_of(a):
    """The root buffer's bytes, as uint8 (a view: nothing is copied until tolist)."""
    flat = a.reshape(-1) if a.flags.c_contiguous or a.flags.f_contiguous else a.copy().reshape(-1)
    return flat.view(np.uint8)


MAX_SHOWN = 10 ** 6  # the elements a storage's text may list (one line each)


class _Storage(metaclass=TorchClass):
    __slots__ = ("_root",)

    def __init__(self, tensor):
        self._root = root_array(tensor._data)

    @property
    def device(self):
        return CPU

    def data_ptr(self):
        return self._root.__array_interface__["data"][0]

    def nbytes(self):
        return int(self._root.nbytes)

    def is_shared(self):
        return False

    def __len__(self):
        return self.size()

    def __getitem__(self, i):
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            if type(self) is TypedStorage:
                raise RuntimeError("can't index a <class 'torch.storage.TypedStorage'> with "
                                   "<class '%s'>" % type(i).__name__)
            raise TypeError("can't index a torch.UntypedStorage with %s" % type(i).__name__)
        n = self.size()
        if not -n <= i < n:
            raise IndexError("index %d out of range for storage of size %d" % (i, n))
        return self._flat()[i].item()

    def __iter__(self):
        return iter(self.tolist())

    def __eq__(self, other):  # (PyTorch's: the same memory)
        return isinstance(other, _Storage) and type(other) is type(self) and \
            other.data_ptr() == self.data_ptr() and other.nbytes() == self.nbytes()

    __hash__ = None

    def __repr__(self):
        if self.size() > MAX_SHOWN:  # (PyTorch writes a line per element, whatever the size)
            raise RuntimeError("gradsh prints a storage of at most %d elements; this one has %d "
                               "(print the tensor, or a part of it, instead)"
                               % (MAX_SHOWN, self.size()))
        items = "\n ".join(str(v) for v in self.tolist())
        return " %s\n[%s of size %d]" % (items, self._title(), self.size())

    __str__ = __repr__


class UntypedStorage(_Storage):
    """The bytes of a tensor's memory (`t.untyped_storage()`)."""

    __slots__ = ()

    def size(self):
        return self.nbytes()

    def element_size(self):
        return 1

    def _flat(self):
        return _bytes_of(self._root)

    def tolist(self):
        return self._flat().tolist()

    def _title(self):
        return "torch.storage.UntypedStorage(device=cpu)"


_TYPED_WARNED = errors.once_flags([])
TYPED_DEPRECATED = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
    "the only storage class. This should only matter to you if you are using storages "
    "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
    "tensor.storage()")


def warn_typed_storage():
    """PyTorch's deprecation warning for TypedStorage, once per process as PyTorch gives it."""
    if not _TYPED_WARNED:
        _TYPED_WARNED.append(True)
        warnings.warn(TYPED_DEPRECATED, UserWarning, stacklevel=3)


class TypedStorage(_Storage):
    """The elements of a tensor's memory in its dtype (`t.storage()`, deprecated in PyTorch)."""

    __slots__ = ("_dtype",)

    def __init__(self, tensor):
        super().__init__(tensor)
        self._dtype = tensor.dtype

    @property
    def dtype(self):
        return self._dtype

    def size(self):
        return self.nbytes() // self._root.itemsize

    def element_size(self):
        return int(self._root.itemsize)

    def _flat(self):
        a = self._root
        return a.reshape(-1) if a.flags.c_contiguous else a.ravel(order="K")

    def tolist(self):
        return self._flat().tolist()

    def untyped(self):
        out = UntypedStorage.__new__(UntypedStorage)
        out._root = self._root
        return out

    def _title(self):
        return "torch.storage.TypedStorage(dtype=%s, device=cpu)" % self._dtype

