"""Plain data kept between runs in the user's cache folder, so a start need not recompute it.

The folder is `$XDG_CACHE_HOME/gradsh/` (or `~/.cache/gradsh/`), as for the parser's tables
(lang/syntax/tables.py, whose rules these are: docs/security.md, "The parser's cache"). A file
is written with `marshal`, which reads plain data back and never runs code while reading, and is
read only from a folder and a file that belong to the user and that no one else may write. A
file that is missing, stale, foreign or unreadable, or a folder that cannot be written, costs a
recomputation, never an error.
"""

import marshal
import os
import stat
import sys
import zlib

FOLDER = "gradsh"


def load(kind, key):
    """The data saved for `kind` under `key` (a string naming everything the data was made from),
    or None."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            if _private(os.fstat(f.fileno())):
                data = marshal.loads(f.read())
                if type(data) is tuple and len(data) == 2 and data[0] == _full(key):
                    return data[1]
    except Exception:  # missing, stale, truncated or foreign: the caller recomputes it
        pass
    return None


def save(kind, key, data):
    """Keep `data` (marshal's plain types only) for `kind` under `key`, replacing the other
    files of `kind`; quietly nothing when the folder cannot be written."""
    path = _path(kind, key)
    if path is None:
        return
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        blob = marshal.dumps((_full(key), data))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)  # atomic: a concurrent gradsh never reads half a file
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (a bug)
        try:
            os.remove(tmp)
        except OSError:
            pass
        return
    directory, current = os.path.split(path)
    try:
        for name in os.listdir(directory):
            if name != current and name.startswith(kind + "-") and name.endswith(".marshal"):
                os.remove(os.path.join(directory, name))
    except OSError:
        pass


def _full(key):
    # marshal's format may change between Python versions
    return "%d.%d|%s" % (sys.version_info[0], sys.version_info[1], key)


def _path(kind, key):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, FOLDER)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not (os.access(directory, os.W_OK | os.X_OK) and _private(os.stat(directory))):
            return None
    except OSError:
        return None
    return os.path.join(directory, "%s-%08x.marshal" % (kind, zlib.crc32(_full(key).encode())))


def _private(st):
    """Does a folder or file (its os.stat) belong to this user, with no write access for anyone
    else? (Where there are no user ids, on Windows, the profile folder's own rights do this.)"""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
