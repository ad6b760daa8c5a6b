"""The guard behind tests/conftest.py: an audit hook (PEP 578) that records every file this
process opens, or hands to a subprocess, outside the repository, the Python installation and the
operating system's own folders. `outside` lists (what was running, path, how)."""

import os
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# the operating system's own folders (and temporary ones): reading there is not reading the
# project's surroundings
SYSTEM_FOLDERS = ("/tmp", "/dev", "/proc", "/sys", "/etc", "/usr", "/lib", "/lib64", "/lib32",
                  "/bin", "/sbin", "/run") + tuple(
                      os.path.join(os.sep, "var", d) for d in ("tmp", "lib", "cache"))


def _system_prefixes():
    """Where a test may read: the repository, the interpreter and its packages, temporary
    files, and the operating system's own folders."""
    places = {ROOT, sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              tempfile.gettempdir(), *SYSTEM_FOLDERS}
    places.update(p for p in sysconfig.get_paths().values() if p)
    places.update(p for p in sys.path if p and os.path.isabs(p) and "site-packages" in p)
    found = set()
    for p in places:
        found.add(os.path.abspath(p))
        found.add(os.path.realpath(p))
    # a tuple: str.startswith tests them all in one call
    return tuple(sorted(p.rstrip(os.sep) + os.sep for p in found if p != os.sep))


ALLOWED = _system_prefixes()

outside = []            # (what was running, path, how): filled by the hook, read at the end
_verdict = {}           # path -> allowed?  (a suite opens the same files many times)
running = ["start-up"]    # the test (or collection) under way


def _allowed(full):
    known = _verdict.get(full)
    if known is None:
        known = (full + os.sep).startswith(ALLOWED)
        if not known:   # a link from an allowed place, e.g. a venv's python
            known = (os.path.realpath(full) + os.sep).startswith(ALLOWED)
        _verdict[full] = known
    return known


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND


def _check(path, how, writes=False):
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str) or not path:
        return
    full = os.path.abspath(path)
    if _allowed(full):
        return
    # An open that finds no file reads nothing (a test of the "can't open file" message), nor
    # does opening a directory; a write that creates a file outside is recorded too.
    if os.path.isdir(full):
        return
    if os.path.exists(full) or (writes and os.path.isdir(os.path.dirname(full))):
        outside.append((running[-1], full, how))


def _audit(event, args):
    # called for every audit event of the process: leave at once unless it is one of ours
    if event == "open":
        path, mode, flags = args
        if path is not None and not isinstance(path, int):
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) \
                or bool(isinstance(flags, int) and flags & _WRITE_FLAGS)
            _check(path, "open for writing" if writes else "open", writes)
    elif event == "subprocess.Popen":
        # a path handed to a child process is read by it
        argv = args[1]
        if isinstance(argv, (str, bytes, os.PathLike)):
            argv = [argv]
        for arg in argv or ():
            arg = os.fspath(arg) if isinstance(arg, os.PathLike) else arg
            if isinstance(arg, (str, bytes)) and os.path.isabs(arg):
                _check(arg, "passed to a subprocess")


def install():
    """Start recording; audit hooks cannot be removed, so this lasts the whole process."""
    if not _installed:
        sys.addaudithook(_audit)
        _installed.append(True)


_installed = []
