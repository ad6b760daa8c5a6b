"""The REPL's persistent history: a file that survives sessions, or memory when it cannot.

Where: $GRADSH_HISTORY, else $XDG_STATE_HOME/gradsh/history, else ~/.local/state/gradsh/history.
The file format is prompt_toolkit's (`+`-prefixed lines per entry), read leniently: undecodable
bytes and NULs are dropped, stray lines ignored. If the file cannot be read or written, one
warning line is shown and the session goes on with in-memory history.
"""

import datetime
import os
import stat

from prompt_toolkit.history import History, InMemoryHistory, ThreadedHistory

# history files are read at every start: keep only the recent past
MAX_ENTRIES = 5000
# a file this small loads in a millisecond; a bigger one loads in a thread behind the prompt
SYNC_LOAD_BYTES = 256 * 1024
# only the end of a bigger file is read (MAX_ENTRIES entries fit in it many times over)
MAX_READ_BYTES = 8 << 20


def history_path(environ):
    explicit = environ.get("GRADSH_HISTORY")
    if explicit:
        return os.path.expanduser(explicit)
    state = environ.get("XDG_STATE_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".local", "state")
    return os.path.join(state, "gradsh", "history")


class GradshHistory(History):
    """File history that never lets an I/O problem reach the REPL."""

    def __init__(self, path, warn):
        super().__init__()
        self.path = path
        self._warn = warn
        self._broken = False

    def load_history_strings(self):
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size > MAX_READ_BYTES:
                    f.seek(size - MAX_READ_BYTES)
                data = f.read(MAX_READ_BYTES)
        except FileNotFoundError:
            return []
        except OSError as e:
            self._give_up("cannot read", e)
            return []
        entries, lines = [], []
        for raw in data.replace(b"\0", b"").split(b"\n"):
            line = raw.decode("utf-8", errors="ignore")
            if line.startswith("+"):
                lines.append(line[1:])
            elif lines:
                entries.append("\n".join(lines))
                lines = []
        if lines:
            entries.append("\n".join(lines))
        return list(reversed(entries[-MAX_ENTRIES:]))

    def store_string(self, string):
        if self._broken:
            return
        stamp = "\n# %s\n" % datetime.datetime.now().isoformat(timespec="seconds")
        body = "".join("+%s\n" % line for line in string.split("\n"))
        try:
            with open(self.path, "ab") as f:
                f.write((stamp + body).encode("utf-8", errors="replace"))
        except OSError as e:
            self._give_up("cannot write", e)

    def _give_up(self, what, err):
        if not self._broken:
            self._broken = True
            self._warn("gradsh: %s the history file %s (%s); history is kept in memory only"
                       % (what, self.path, err.strerror or err))


def open_history(environ, warn):
    """The REPL's history object; `warn(line)` reports a problem (once)."""
    path = history_path(environ)
    if path == os.devnull:  # the usual way to ask for no history
        return InMemoryHistory()
    problem = _check_usable(path)
    if problem:
        warn("gradsh: cannot use the history file %s (%s); history is kept in memory only"
             % (path, problem))
        return InMemoryHistory()
    history = GradshHistory(path, warn)
    try:
        small = os.path.getsize(path) <= SYNC_LOAD_BYTES
    except OSError:
        small = True
    return history if small else ThreadedHistory(history)


def _check_usable(path):
    """Why `path` cannot hold the history, or None. Creates its directory if needed."""
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        if os.path.isdir(path):
            return "it is a directory"
        # a FIFO would block the start (open waits for a writer), /dev/zero never ends
        if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            return "it is not a regular file"
        with open(path, "ab"):
            pass
    except OSError as e:
        return e.strerror or str(e)
    return None
