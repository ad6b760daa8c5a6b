"""io.StringIO and csv (branch adv12c): an in-memory text file, at most MAX_STR characters,
and Python's csv readers and writers on it (or on any iterable of lines / object with write).

StringIO is gradsh's own, over Python's io.StringIO: print(..., file=buf) writes to it (as to
sys.stdout), `with io.StringIO() as f:` closes it, iterating gives its lines. csv's reader and
writer are Python's C objects: a writer writes each row to the file's write() (the row's text
measured first), a reader reads lines from its iterable (a field is at most csv's own limit,
131,072 characters); DictReader and DictWriter are Python's, over them.
"""

import csv
import io

from ...core.errors import TorchOSError
from .limits import MAX_STR, LimitError, check_text_size
from .nesting import bounded
from .namespaces import Namespace
from .pybuiltins import PRINT_FILES
from .sandbox import PYTHON_ALLOWED


class StringIO:
    """io.StringIO: an in-memory text file (at most MAX_STR characters)."""

    __slots__ = ("_buf", "_crlf")

    def __init__(self, initial_value="", newline="\n"):
        if initial_value is None:
            initial_value = ""
        self._crlf = newline == "\r\n"  # each "\n" written is stored as two characters
        if self._crlf and isinstance(initial_value, str) and \
                len(initial_value) + initial_value.count("\n") > MAX_STR:
            raise LimitError("io.StringIO would hold more than %d characters (gradsh's limit)"
                             % MAX_STR)
        self._buf = io.StringIO(initial_value, newline)

    def write(self, s, /):
        if not isinstance(s, str):
            raise TypeError("string argument expected, got '%s'" % type(s).__name__)
        if self._buf.tell() + len(s) + (s.count("\n") if self._crlf else 0) > MAX_STR:
            raise LimitError("io.StringIO would hold more than %d characters (gradsh's limit)"
                             % MAX_STR)
        return self._buf.write(s)

    @property
    def gradsh_stream(self):
        return self.write  # print(..., file=buf)

    def writelines(self, lines, /):
        for line in lines:
            self.write(line)

    def read(self, size=-1, /):
        return self._buf.read(size)

    def readline(self, size=-1, /):
        return self._buf.readline(size)

    def readlines(self, hint=-1, /):
        return self._buf.readlines(hint)

    def getvalue(self):
        return self._buf.getvalue()

    def seek(self, pos, whence=0, /):
        try:
            return self._buf.seek(pos, whence)
        except OSError as e:
            raise TorchOSError(*e.args) from None

    def tell(self):
        return self._buf.tell()

    def truncate(self, pos=None, /):
        return self._buf.truncate(pos)

    def close(self):
        self._buf.close()

    @property
    def closed(self):
        return self._buf.closed

    def flush(self):
        self._buf.flush()

    def __iter__(self):
        return self

    def __next__(self):
        line = self._buf.readline()
        if not line:
            raise StopIteration
        return line

    def __enter__(self):
        if self._buf.closed:
            raise ValueError("I/O operation on closed file.")
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return "<_io.StringIO object at 0x%x>" % id(self)


StringIO.__module__ = "_io"
PYTHON_ALLOWED[StringIO] = frozenset((
    "write", "writelines", "read", "readline", "readlines", "getvalue", "seek", "tell",
    "truncate", "close", "closed", "flush"))
PRINT_FILES.add(StringIO)


class _Line:
    """What a csv writer writes to: the file's write(), given lines within MAX_STR."""

    __slots__ = ("write",)

    def __init__(self, write):
        def checked(line):
            if len(line) > MAX_STR:
                raise LimitError("csv writerow() would write a line of %d characters (gradsh's "
                                 "limit is %d)" % (len(line), MAX_STR))
            return write(line)
        self.write = checked


class _Writer:
    """csv.writer's object: writerow, writerows and its dialect's data."""

    __slots__ = ("_w",)

    def __init__(self, f, dialect="excel", **fmtparams):
        write = getattr(f, "write", None)
        # a row's line is built in C before it is written: quoting doubles every quote
        # character and the line terminator has no length limit, so the line is measured
        # before the file's write() gets it
        self._w = csv.writer(f if write is None else _Line(write), dialect, **fmtparams)

    def writerow(self, row):
        check_text_size(row, "csv writerow()")
        return self._w.writerow(row)

    def writerows(self, rows):
        # an endless iterable made in C (itertools.repeat) is read within the reading budget,
        # as list() reads it: each small row was microseconds, the StringIO limit minutes away
        for row in bounded(rows, "csv writerows()"):
            self.writerow(row)

    @property
    def dialect(self):
        return self._w.dialect


PYTHON_ALLOWED[_Writer] = frozenset(("writerow", "writerows"))
PYTHON_ALLOWED[type(csv.reader([]))] = frozenset(("line_num", "dialect"))


class DictWriter(csv.DictWriter):
    """csv.DictWriter, its rows written by the checked writer."""

    def __init__(self, f, fieldnames, restval="", extrasaction="raise", dialect="excel",
                 *args, **kwds):
        super().__init__(f, fieldnames, restval, extrasaction, dialect, *args, **kwds)
        self.writer = _Writer(f, dialect, *args, **kwds)


PYTHON_ALLOWED[DictWriter] = frozenset(("writeheader", "writerow", "writerows", "fieldnames"))
PYTHON_ALLOWED[csv.DictReader] = frozenset(("fieldnames", "line_num"))


def csv_namespace():
    from .stdlib import _Module
    return Namespace("csv", _Module(
        writer=_Writer, reader=csv.reader, DictWriter=DictWriter, DictReader=csv.DictReader,
        Error=csv.Error, QUOTE_ALL=csv.QUOTE_ALL, QUOTE_MINIMAL=csv.QUOTE_MINIMAL,
        QUOTE_NONE=csv.QUOTE_NONE, QUOTE_NONNUMERIC=csv.QUOTE_NONNUMERIC))


class _Redirect:
    """contextlib.redirect_stdout / redirect_stderr: inside the block, what the program prints
    (and sys.stdout's or sys.stderr's writes) goes to the target: an io.StringIO, sys.stdout or
    sys.stderr (Session._write reads the runtime's stacks)."""

    __slots__ = ("_target", "_stack", "_which")

    def __init__(self, new_target, stack, what, which):
        if type(new_target) not in PRINT_FILES:
            raise TypeError("%s() takes an io.StringIO, sys.stdout or sys.stderr in gradsh, not "
                            "%s" % (what, type(new_target).__name__))
        self._target, self._stack, self._which = new_target, stack, which

    def __enter__(self):
        write = self._target.gradsh_stream
        if getattr(self._target, "name", None) == self._which and self._stack:
            write = self._stack[-1]  # Python's sys.stdout is the redirected file by now
        self._stack.append(write)
        return self._target

    def __exit__(self, *exc_info):
        self._stack.pop()
        return False


def redirections(runtime):
    """redirect_stdout and redirect_stderr for the session of `runtime`."""
    stacks = runtime.__dict__.setdefault("redirects", {"stdout": [], "stderr": []})

    def redirect_stdout(new_target):
        """Print to new_target (an io.StringIO) inside the block."""
        return _Redirect(new_target, stacks["stdout"], "redirect_stdout", "stdout")

    def redirect_stderr(new_target):
        """Write what goes to stderr to new_target inside the block."""
        return _Redirect(new_target, stacks["stderr"], "redirect_stderr", "stderr")
    return redirect_stdout, redirect_stderr


PYTHON_ALLOWED[_Redirect] = frozenset()
