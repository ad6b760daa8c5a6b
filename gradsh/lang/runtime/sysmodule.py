"""sys (branch adv12c): what a learner's script reads of it, no more. The interpreter's facts
(version_info, version, maxsize, float_info, int_info, byteorder, platform), the program's
arguments (argv, a copy), getrecursionlimit (gradsh's call-depth limit, which stands for
Python's), and stdout/stderr as objects with write() and flush() that write where print and
gradsh's warnings go. Not offered: modules, path, setrecursionlimit, exit, getsizeof and the
rest (the host's state, or what the sandbox does not let a program change).
"""

import sys

from .limits import check_text_size
from .namespaces import Namespace
from .pybuiltins import PRINT_FILES
from .sandbox import PYTHON_ALLOWED


class ProgramStream:
    """sys.stdout or sys.stderr as a program sees them: write(text) and flush()."""

    __slots__ = ("name", "_write")

    def __init__(self, name, write):
        self.name, self._write = name, write

    def write(self, text, /):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        check_text_size(text, "sys.%s.write()" % self.name)
        self._write(text)
        return len(text)

    @property
    def gradsh_stream(self):
        """Where print(..., file=this) writes."""
        return self._write

    def flush(self):
        return None

    def isatty(self):
        return False

    def __repr__(self):
        return "<_io.TextIOWrapper name='<%s>' mode='w' encoding='utf-8'>" % self.name


PYTHON_ALLOWED[ProgramStream] = frozenset(("write", "flush", "isatty"))
PRINT_FILES.add(ProgramStream)
for _info in (sys.version_info, sys.float_info, sys.int_info):
    PYTHON_ALLOWED[type(_info)] = frozenset(
        name for name in dir(_info) if not name.startswith("_")) - {"n_fields",
                                                                   "n_sequence_fields",
                                                                   "n_unnamed_fields"}


def sys_namespace(runtime):
    from .stdlib import _Module

    def getrecursionlimit():
        """The depth of nested calls a program may reach (gradsh's limit)."""
        return runtime.counter.limit

    write_err = getattr(runtime, "write_err", None) or sys.stderr.write
    return Namespace("sys", _Module(
        version_info=sys.version_info, version=sys.version, hexversion=sys.hexversion,
        maxsize=sys.maxsize, float_info=sys.float_info, int_info=sys.int_info,
        byteorder=sys.byteorder, platform=sys.platform, argv=list(runtime.argv),
        getrecursionlimit=getrecursionlimit, stdout=ProgramStream("stdout", runtime.write),
        stderr=ProgramStream("stderr", write_err)))


sys_namespace.needs_runtime = True
