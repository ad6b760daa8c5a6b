"""The grammar, analysed: terminals, rules and the LALR table, as plain data cached on disk.

Lark reads grammar/gradsh.lark and computes the LALR(1) table (about 0.6 s; lark_access.py is
the one place that reads Lark's internals for it). The result is kept as plain lists and dicts
in `$XDG_CACHE_HOME/gradsh/` (or `~/.cache/gradsh/`), so a start with a warm cache neither
builds the table nor imports Lark; a cache that cannot be read or written is rebuilt or skipped
without a word.

The file is written with `marshal`, which reads plain data back and never runs code while
reading (pickle would: a pickle is a program). It is read
only from a folder and a file that belong to the user and that no one else may write
(docs/security.md, "The parser's cache"): whoever can write there can already run code as the
user, so the parse tables it holds give no one a way past the sandbox.
"""

import marshal
import os
import stat
import sys
import zlib

FORMAT = 3  # bump when the shape of the cached data changes (3: marshal, with "shapes")

__all__ = ["load_tables", "grammar_text", "build_tables"]


# where grammar/gradsh.lark is: installed, it is the package gradsh.grammar (gradsh/grammar/);
# in a checkout, grammar/ beside the gradsh package
_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRAMMAR_PLACES = (os.path.join(_PACKAGE, "grammar", "gradsh.lark"),
                  os.path.join(os.path.dirname(_PACKAGE), "grammar", "gradsh.lark"))


def grammar_text():
    """The grammar's text. Read by path: importlib.resources would add ~20 ms of imports to
    every start; it remains the way in for a package that is not plain files (a zip)."""
    for path in GRAMMAR_PLACES:
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            continue
    from importlib.resources import files
    return files("gradsh.grammar").joinpath("gradsh.lark").read_text(encoding="utf-8")


def load_tables():
    """The analysed grammar, from the cache when it is there and matches the grammar."""
    text = grammar_text()
    # the file holds the grammar it was made from: equal text, not a hash, decides (and
    # hashlib would cost more start-up time than the comparison)
    key = "%d|%d.%d|%s" % ((FORMAT,) + tuple(sys.version_info[:2]) + (text,))
    path = _cache_path("%08x" % zlib.crc32(key.encode("utf-8")))
    if path is not None:
        try:
            with open(path, "rb") as f:
                if _private(os.fstat(f.fileno())):
                    data = marshal.loads(f.read())
                    if type(data) is dict and data.get("key") == key:
                        return data
        except Exception:  # missing, stale, truncated or foreign: rebuild it
            pass
    data = build_tables(text)
    data["key"] = key
    if path is not None:
        _save(data, path)
    return data


def build_tables(text):
    """Analyse the grammar with Lark; return terminals, rules and table as plain data, and what
    the rules decide about the parser's callbacks (lalr.rule_shapes: ~5 ms a start, saved)."""
    from .lark_access import analyse
    from .lalr import rule_shapes
    data = analyse(text)
    data["shapes"] = rule_shapes(data["rules"])
    return data


def _cache_path(key):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "gradsh")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return None
    try:
        if not (os.access(directory, os.W_OK | os.X_OK) and _private(os.stat(directory))):
            return None
    except OSError:
        return None
    return os.path.join(directory, "grammar-%s.marshal" % key)


def _private(st):
    """Does a folder or file (its os.stat) belong to this user, with no write access for anyone
    else? (Where there are no user ids, on Windows, the profile folder's own rights do this.)"""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _save(data, path):
    """Write atomically, so a concurrent gradsh never reads half a file; readable and
    writable by the user alone, whatever the umask."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        blob = marshal.dumps(data)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (a bug)
        try:
            os.remove(tmp)
        except OSError:
            pass
        return
    # tables of other grammar versions (and Lark caches of early gradsh versions) are stale
    directory, current = os.path.split(path)
    try:
        for name in os.listdir(directory):
            if name != current and name.startswith(("grammar-", "parser-")) \
                    and name.endswith((".marshal", ".pickle", ".lark")):
                os.remove(os.path.join(directory, name))
    except OSError:
        pass
