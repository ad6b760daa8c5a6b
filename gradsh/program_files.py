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
