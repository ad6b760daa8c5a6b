"""The files of a .grad program's run: in memory, never the host's (gradsh/serialization.py
reads and writes them for torch.save/torch.load while the run's code runs). Light on purpose: a
session makes one at start-up, before anything of the torch API is loaded."""

import contextlib
import errno
import os

_ACTIVE = [None]  # the MemoryFiles of the program run now running, if any


class MemoryFiles:
    """A run's file system: name -> bytes, within gradsh's memory limit; and the program classes
    whose instances were saved (a pickle names such a class by its index here)."""

    def __init__(self, budget=None):
        self.files = {}
        self.classes = []
        self.budget = budget

    def write(self, name, data):
        from .core.memory import fmt_bytes, max_bytes
        limit = self.budget if self.budget is not None else max_bytes()
        total = len(data) + sum(len(v) for k, v in self.files.items() if k != name)
        if total > limit:
            raise MemoryError(f"torch.save: the program's files would hold {fmt_bytes(total)}, "
                              f"above gradsh's memory limit of {fmt_bytes(limit)}")
        self.files[name] = data

    def read(self, name):
        try:
            return self.files[name]
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), name) from None

    def class_id(self, cls):
        for i, known in enumerate(self.classes):
            if known is cls:
                return i
        self.classes.append(cls)
        return len(self.classes) - 1


@contextlib.contextmanager
def program_files(files):
    """While a program runs: paths name `files`' entries, never the host's files."""
    old = _ACTIVE[0]
    _ACTIVE[0] = files
    try:
        yield files
    finally:
        _ACTIVE[0] = old


class BytesIO:
    """io.BytesIO as a .grad program has it (`import io`): an in-memory binary file for
    torch.save/torch.load, whose size counts against gradsh's memory limit."""

    def __init__(self, initial_bytes=b""):
        import io
        self._check(len(initial_bytes))
        self._buf = io.BytesIO(initial_bytes)

    @staticmethod
    def _check(size):
        from .core.memory import fmt_bytes, max_bytes
        if size > max_bytes():
            raise MemoryError(f"io.BytesIO: {fmt_bytes(size)} is above gradsh's memory limit of "
                              f"{fmt_bytes(max_bytes())}")

    def write(self, b):
        self._check(self._buf.tell() + len(b))
        return self._buf.write(b)

    def read(self, size=-1):
        return self._buf.read(size)

    def seek(self, offset, whence=0):
        return self._buf.seek(offset, whence)

    def tell(self):
        return self._buf.tell()

    def getvalue(self):
        return self._buf.getvalue()

    def getbuffer(self):
        return self._buf.getvalue()

    def close(self):
        self._buf.close()

    @property
    def closed(self):
        return self._buf.closed

    def readable(self):
        return True

    writable = seekable = readable

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<_io.BytesIO object at 0x%x>" % id(self)
