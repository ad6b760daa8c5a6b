"""torch.save and torch.load: gradsh's own file format on pickle (not PyTorch's zip archive; a
file written by one cannot be read by the other: docs/nn.md).

A file is MAGIC followed by one pickle. Tensors are not pickled by value: each is a persistent
id naming its storage (the numpy array that owns the memory, written once), its offset, shape,
strides, dtype, requires_grad and whether it is a Parameter, so views of one storage share it
again after loading, as PyTorch's do.

`load` reads with `weights_only=True` by default, as PyTorch 2.6+: only tensors, Parameters,
dicts, lists, tuples, sets, numbers, strings, bytes, None, OrderedDict, torch.Size, dtypes and
devices; any other class is refused with PyTorch's message.

In a .grad program (gradsh/lang) the host's files are out of reach: a run has a `MemoryFiles`
(made by its session, active while its code runs), and a path names one of its in-memory files;
every file's bytes count against gradsh's memory limit. A program's own classes (a model class)
are kept by the run too, so `torch.save(model, 'm.pt')` and `torch.load('m.pt',
weights_only=False)` work within one run; a program's bytes never reach an unrestricted
unpickler (only gradsh's own classes and the run's program classes can be loaded).
"""

import collections
import contextlib
import copyreg
import io
import os
import pickle

import numpy as np

from .core import dtypes, layout
from .core.device import device, check as check_device
from .core.nn.parameter import Parameter, is_parameter
from .core.sparse import SparseArray, make_sparse, sparse_array
from .core.tensor import Tensor
from .program_files import _ACTIVE

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL"]

MAGIC = b"GRADSH-TORCH-SAVE\x01"
DEFAULT_PROTOCOL = 2

class FileArgumentError(AttributeError):
    """PyTorch's AttributeError for an `f` that is no path or file (a program's error, not a
    bug of gradsh's: lang/runtime/tracing.py reads gradsh_kind)."""

    gradsh_kind = "AttributeError"


FileArgumentError.__name__ = FileArgumentError.__qualname__ = "AttributeError"


# ------------------------------------------------------------------------------------- saving
def _storage(a):
    """(the array owning a's memory, a's offset in it in elements, the array whose strides to
    record): a's owner when a's memory can be addressed inside it, else a C-ordered copy of a
    written as a storage of its own."""
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root is not a and root.dtype == a.dtype and (root.flags.c_contiguous or
                                                    root.flags.f_contiguous):
        offset, rest = divmod(a.__array_interface__["data"][0]
                              - root.__array_interface__["data"][0], a.itemsize)
        if not rest and 0 <= offset < max(root.size, 1) and not any(
                s % a.itemsize for s in a.strides):
            return root, offset, a
    if root is a and (a.flags.c_contiguous or a.flags.f_contiguous):
        return a, 0, a
    a = np.ascontiguousarray(a)
    return a, 0, a


class _Pickler(pickle.Pickler):
    def __init__(self, file, protocol, files):
        super().__init__(file, protocol)
        self.storages = []   # the arrays written, by storage index
        self.by_id = {}      # id(owner array) -> storage index
        self.keep = []
        self.tensor_keys = {}   # id(tensor) -> its index: one tensor saved twice loads as one
        self.files = files

    def persistent_id(self, obj):
        if isinstance(obj, Tensor) and type(obj._data) is SparseArray:
            # (a sparse tensor: its indices and values, each saved as a tensor is)
            a = obj._data
            return ("sparse", Tensor._make(a.indices), Tensor._make(a.values), tuple(a.shape),
                    a.coalesced, obj.requires_grad)
        if isinstance(obj, Tensor):
            same = self.tensor_keys.setdefault(id(obj), len(self.tensor_keys))
            self.keep.append(obj)
            root, offset, a = _storage(obj._data)
            key = self.by_id.get(id(root))
            if key is None:
                key = self.by_id[id(root)] = len(self.storages)
                self.storages.append(root)
                self.keep.append(root)  # (its id must not be reused while pickling)
            strides = tuple(s // a.itemsize for s in a.strides)
            return ("tensor", key, offset, a.shape, strides,
                    dtypes.from_numpy_dtype(a.dtype).name, obj.requires_grad, is_parameter(obj),
                    same)
        if self.files is not None and isinstance(obj, type) and _program_class(obj):
            return ("class", self.files.class_id(obj))
        return None


def _program_class(cls):
    module = getattr(cls, "__module__", "") or ""
    return not (module == "builtins" or module.startswith(("gradsh.", "collections", "numpy")))


def _storage_bytes(root):
    """The owner's memory in address order (C or Fortran order), and that order."""
    if root.flags.c_contiguous:
        return root.tobytes(order="C"), "C"
    return root.tobytes(order="F"), "F"


def _dumps(obj, files):
    # protocol 4 whatever pickle_protocol asks: protocol 2 writes bytes as a call of
    # _codecs.encode, which a weights_only load refuses
    protocol = 4
    body = io.BytesIO()
    p = _Pickler(body, protocol, files)
    p.dump(obj)
    storages = [_storage_bytes(r) + (dtypes.from_numpy_dtype(r.dtype).name, r.size)
                for r in p.storages]
    head = io.BytesIO()
    pickle.Pickler(head, protocol).dump(storages)
    return MAGIC + len(head.getvalue()).to_bytes(8, "little") + head.getvalue() + body.getvalue()


def save(obj, f, pickle_module=None, pickle_protocol=DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization=True, _disable_byteorder_record=False):
    """Write obj to f (a path, or a file object with write()) in gradsh's format."""
    if isinstance(pickle_protocol, int) and pickle_protocol > pickle.HIGHEST_PROTOCOL:
        raise ValueError(f"pickle protocol must be <= {pickle.HIGHEST_PROTOCOL}")
    files = _ACTIVE[0]
    if not isinstance(f, (str, os.PathLike)) and not callable(getattr(f, "write", None)):
        raise FileArgumentError("expected 'f' to be string, path, or a file-like object with a "
                                "'write' attribute")
    data = _dumps(obj, files)
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        if files is not None:
            files.write(name, data)
            return
        with open(name, "wb") as out:
            out.write(data)
        return
    f.write(data)


def _program_files():
    files = _ACTIVE[0]
    if files is None:  # (never the host's files, whatever runs a program's code)
        raise RuntimeError("gradsh programs cannot read or write the host's files")
    return files


def program_save(obj, f, pickle_module=None, pickle_protocol=DEFAULT_PROTOCOL,
                 _use_new_zipfile_serialization=True, _disable_byteorder_record=False):
    """torch.save as a .grad program has it: a path names one of the run's in-memory files."""
    _program_files()
    return save(obj, f, pickle_module, pickle_protocol)


def program_load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
                 **pickle_load_args):
    """torch.load as a .grad program has it: from the run's in-memory files."""
    _program_files()
    return load(f, map_location, weights_only=weights_only)


program_save.__name__, program_load.__name__ = "save", "load"
program_save.__qualname__, program_load.__qualname__ = "save", "load"


# ------------------------------------------------------------------------------------ loading
# what PyTorch's weights-only unpickler allows (measured: Counter loads, as a MultiStepLR's
# state_dict needs; frozenset, defaultdict, deque, range and slice do not)
_SAFE = {("collections", "OrderedDict"): collections.OrderedDict,
         ("collections", "Counter"): collections.Counter,
         ("builtins", "set"): set,
         ("builtins", "complex"): complex, ("builtins", "bytearray"): bytearray,
         ("__builtin__", "set"): set,
         ("__builtin__", "complex"): complex, ("__builtin__", "bytearray"): bytearray,
         ("gradsh.core.layout", "strided"): layout.strided,
         ("gradsh.core.dtypes", "Size"): dtypes.Size,
         ("gradsh.core.dtypes", "_by_name"): dtypes._by_name,
         ("gradsh.core.device", "device"): device,
         ("copyreg", "_reconstructor"): copyreg._reconstructor}
_USER_SAFE = {}

_WEIGHTS_ONLY = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, "
    "\x1b[1mdo those steps only if you trust the source of the checkpoint\x1b[0m. \n\t(1) In "
    "PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will "
    "likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source.\n\t(2) Alternatively, to load with `weights_only=True` please "
    "check the recommended steps in the following error message.\n\tWeightsUnpickler error: "
    "{}\n\nCheck the documentation of torch.load to learn more about types accepted by default "
    "with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


def _torch_name(module, name):
    """The name PyTorch's message gives a class: torch's own for gradsh's classes."""
    from .core.torch_class_names import NAMES
    full = NAMES.get(f"{module}.{name}")
    if full is not None:
        return full
    if module.startswith("gradsh."):
        return "torch." + module[len("gradsh."):].replace("core.", "", 1) + "." + name
    return name if module in ("builtins", "__builtin__") else f"{module}.{name}"


def _unsupported(module, name):
    full = _torch_name(module, name)
    return pickle.UnpicklingError(_WEIGHTS_ONLY.format(
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{full}])` or the "
        f"`torch.serialization.safe_globals([{full}])` context manager to allowlist this global "
        "if you trust this class/function."))


def _gradsh_class(module, name):
    """One of gradsh's public classes (a Module, an optimizer...), for a full load in a program
    (never a function: a program's pickle could otherwise call any of gradsh's)."""
    if not module.startswith("gradsh.") or module.startswith(("gradsh.lang", "gradsh.cli",
                                                               "gradsh.kernel")):
        return None
    import importlib
    try:
        value = importlib.import_module(module)
        for part in name.split("."):
            value = getattr(value, part)
    except (ImportError, AttributeError):
        return None
    return value if isinstance(value, type) and not name.startswith("_") else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, storages, weights_only, files):
        super().__init__(file)
        self.storages = storages
        self.weights_only = weights_only
        self.files = files
        self.made = {}
        self.tensors = {}

    def find_class(self, module, name):
        key = (module, name)
        if key in _SAFE:
            return _SAFE[key]
        if key in _USER_SAFE:
            return _USER_SAFE[key]
        if self.weights_only:
            raise _unsupported(module, name)
        if self.files is not None:  # a program's bytes: gradsh's own classes only
            cls = _gradsh_class(module, name)
            if cls is None:
                raise pickle.UnpicklingError(
                    f"gradsh programs can load tensors, containers and gradsh's own classes "
                    f"only, not {_torch_name(module, name)}")
            return cls
        return super().find_class(module, name)

    def persistent_load(self, pid):
        with _damaged("a tensor record is"):
            return self._persistent(pid)

    def _persistent(self, pid):
        if pid[0] == "class":
            known = self.files.classes if self.files is not None else ()
            if pid[1] >= len(known):
                raise pickle.UnpicklingError("invalid file: a class of another run")
            cls = known[pid[1]]
            if self.weights_only:
                raise _unsupported(cls.__module__, cls.__qualname__)
            return cls
        if pid[0] == "sparse":
            _, indices, values, size, coalesced, requires_grad = pid
            t = make_sparse(sparse_array(indices._data, values._data, size, coalesced))
            return t.requires_grad_(requires_grad) if requires_grad else t
        _, key, offset, shape, strides, dtype_name, requires_grad, parameter, same = pid
        if type(same) is not int:
            raise pickle.UnpicklingError("invalid file: a tensor without its index")
        if same in self.tensors:  # the same tensor object, saved in several places
            return self.tensors[same]
        self.tensors[same] = t = self._tensor(key, offset, shape, strides, requires_grad,
                                              parameter)
        return t

    def _tensor(self, key, offset, shape, strides, requires_grad, parameter):
        storage = self.storages[key]
        # an ndarray over the storage's buffer: its base is the storage (shared memory, and
        # storage_offset() finds its offset there)
        a = np.ndarray(shape, storage.dtype, buffer=storage, offset=offset * storage.itemsize,
                       strides=[s * storage.itemsize for s in strides])
        t = Tensor._make(a)
        if parameter:
            return Parameter(t, requires_grad=requires_grad)
        if requires_grad:
            t.requires_grad_(True)
        return t


def _read_storages(head):
    out = []
    for data, order, dtype_name, size in head:
        flat = np.frombuffer(data, dtype=dtypes._by_name(dtype_name).np, count=size).copy()
        out.append(flat)
    return out


class _HeadUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"invalid file: unexpected global {module}.{name}")


@contextlib.contextmanager
def _damaged(what):
    """A file that starts as gradsh's but whose bytes were changed (a program can write any
    bytes to a BytesIO) fails as a damaged file, never with numpy's or pickle's words about the
    parts gradsh decodes (`buffer is smaller than requested size`); the limits pass through."""
    try:
        yield
    except (ValueError, TypeError, IndexError, KeyError, EOFError, OverflowError):
        raise pickle.UnpicklingError(f"invalid file: {what} damaged") from None


def _loads(data, weights_only, files):
    if not data:  # an empty file, or a buffer read from its end (no seek(0) after saving)
        raise EOFError
    if not data.startswith(MAGIC):
        raise pickle.UnpicklingError(
            "not a file written by gradsh's torch.save (gradsh reads its own format only; "
            "PyTorch's zip files cannot be read)")
    n = int.from_bytes(data[len(MAGIC):len(MAGIC) + 8], "little")
    start = len(MAGIC) + 8
    with _damaged("its storages are"):
        head = _HeadUnpickler(io.BytesIO(data[start:start + n])).load()
        storages = _read_storages(head)
    return _Unpickler(io.BytesIO(data[start + n:]), storages, weights_only, files).load()


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Read what save wrote from f (a path, or a file object with read())."""
    if weights_only is None:
        weights_only = True  # PyTorch 2.6+'s default
    files = _ACTIVE[0]
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        if files is not None:
            data = files.read(name)
        else:
            with open(name, "rb") as src:
                data = src.read()
    else:
        if not callable(getattr(f, "seek", None)):
            raise FileArgumentError(
                f"'{type(f).__name__}' object has no attribute 'seek'. You can only torch.load "
                "from a file that is seekable. Please pre-load the data into a buffer like "
                "io.BytesIO and try to load from it instead.")
        data = f.read()
    if map_location is not None and not callable(map_location) and not isinstance(
            map_location, dict):
        check_device(map_location)
    return _loads(bytes(data), bool(weights_only), files)


def add_safe_globals(safe_globals):
    """Allow these classes or functions in weights_only loads (outside programs)."""
    for g in safe_globals:
        _USER_SAFE[(g.__module__, g.__qualname__)] = g


def get_safe_globals():
    return list(_USER_SAFE.values())


def clear_safe_globals():
    _USER_SAFE.clear()


@contextlib.contextmanager
def safe_globals(safe_globals):
    old = dict(_USER_SAFE)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _USER_SAFE.clear()
        _USER_SAFE.update(old)
