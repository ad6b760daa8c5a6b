"""`from tqdm import tqdm, trange` for gradsh programs: tqdm's common API, drawn with Rich.

A training script that uses tqdm runs unchanged: `for i in trange(n)`, `tqdm(iterable,
desc=...)`, `total=`, `set_postfix(loss=...)`, `set_description`, `update`, `close`, and
`with tqdm(total=n) as bar:`. The bar is drawn on stderr only when stderr is a terminal, and
nothing is written otherwise, so stdout stays what PyTorch prints. tqdm itself is not needed.

Per step the cost is a counter and, every `miniters` steps, a clock read; the bar is redrawn
at most every `mininterval` seconds (docs/jupyter.md: the cost measured).
"""

import sys
import time

from gradsh.lang.runtime.namespaces import Namespace

__all__ = ["tqdm", "trange"]

_CHECK_EVERY = 16   # steps between clock reads while a bar is drawn


class tqdm:  # noqa: N801 - tqdm's own name, so programs run unchanged
    """tqdm(iterable=None, desc=None, total=None, leave=True, ...)

    A progress bar over `iterable` (or updated by hand with `update(n)` when there is none),
    drawn with Rich on stderr when it is a terminal; silent otherwise."""

    # declared on the class: what a program may read (the gate offers class-level names)
    n = 0
    total = None
    desc = ""
    postfix = ""
    unit = "it"
    leave = True
    disable = False

    def __init__(self, iterable=None, desc=None, total=None, leave=True, file=None, ncols=None,
                 mininterval=0.1, maxinterval=10.0, miniters=None, ascii=None, disable=False,
                 unit="it", unit_scale=False, dynamic_ncols=False, smoothing=0.3,
                 bar_format=None, initial=0, position=None, postfix=None, unit_divisor=1000,
                 colour=None, delay=0):
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except (TypeError, AttributeError):
                total = None
        self._iterable = iterable
        self.total = total
        self.desc = desc or ""
        self.n = initial
        self.postfix = ""
        self.unit = unit
        self.leave = leave
        self.mininterval = mininterval
        self.disable = bool(disable)
        self._stream = file if file is not None else sys.stderr
        self._drawing = None    # the Rich display while the bar is drawn
        self._last_draw = 0.0
        self._closed = False
        if postfix is not None:
            self.set_postfix(postfix, refresh=False)
        if not self.disable and _is_terminal(self._stream):
            self._drawing = _Drawing(self)

    # ------------------------------------------------------------ iteration
    def __iter__(self):
        if self._iterable is None:
            raise TypeError("this tqdm has no iterable: give one, or call update(n)")
        if self._drawing is None:
            try:
                for item in self._iterable:
                    yield item
                    self.n += 1
            finally:
                self.close()
            return
        every = _CHECK_EVERY
        try:
            for item in self._iterable:
                yield item
                self.n += 1
                every -= 1
                if not every:
                    every = _CHECK_EVERY
                    self._maybe_draw()
        finally:
            self.close()

    def __len__(self):
        if self.total is not None:
            return int(self.total)
        return len(self._iterable)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

    def __repr__(self):
        total = "?" if self.total is None else self.total
        return "%s%s/%s %s" % (self.desc + ": " if self.desc else "", self.n, total, self.unit)

    # ------------------------------------------------------------ tqdm's methods
    def update(self, n=1):
        """Adds n steps (for a bar without an iterable, or to jump ahead)."""
        self.n += n
        if self._drawing is not None:
            self._maybe_draw()

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        """Shows `key=value` pairs after the bar (numbers with 3 significant digits)."""
        items = dict(ordered_dict or {})
        items.update(kwargs)
        self.postfix = ", ".join("%s=%s" % (k, _postfix_value(v)) for k, v in items.items())
        if refresh:
            self.refresh()

    def set_postfix_str(self, s="", refresh=True):
        self.postfix = str(s)
        if refresh:
            self.refresh()

    def set_description(self, desc=None, refresh=True):
        """Changes the text before the bar."""
        self.desc = desc or ""
        if refresh:
            self.refresh()

    def set_description_str(self, desc=None, refresh=True):
        self.set_description(desc, refresh)

    def reset(self, total=None):
        """Starts again from 0, with a new total if given."""
        self.n = 0
        if total is not None:
            self.total = total
        self.refresh()

    def refresh(self):
        if self._drawing is not None:
            self._drawing.draw()
            self._last_draw = time.monotonic()

    def clear(self):
        pass

    def close(self):
        """Ends the bar (drawn one last time, or removed when leave=False)."""
        if self._closed:
            return
        self._closed = True
        if self._drawing is not None:
            self._drawing.stop()
            self._drawing = None

    def _maybe_draw(self):
        now = time.monotonic()
        if now - self._last_draw >= self.mininterval:
            self._last_draw = now
            self._drawing.draw()


def trange(*args, **kwargs):
    """trange(n, ...) is tqdm(range(n), ...)."""
    return tqdm(range(*args), **kwargs)


def _postfix_value(v):
    if isinstance(v, float):
        return "%.3g" % v
    if type(v).__name__ == "Tensor" and v.numel() == 1:
        return "%.3g" % v.item()
    return str(v)


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class _Drawing:
    """A Rich Progress on the bar's stream, refreshed by the bar (no thread of its own)."""

    def __init__(self, bar):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        self.bar = bar
        console = Console(file=bar._stream, markup=False, emoji=False, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[postfix]}"),
            console=console, auto_refresh=False, transient=not bar.leave,
            redirect_stdout=False, redirect_stderr=False)
        self.task = self.progress.add_task(bar.desc, total=bar.total, postfix=bar.postfix)
        self.progress.start()

    def draw(self):
        bar = self.bar
        self.progress.update(self.task, completed=bar.n, total=bar.total,
                             description=bar.desc, postfix=bar.postfix)
        self.progress.refresh()

    def stop(self):
        self.draw()
        self.progress.stop()


def namespace():
    """The `tqdm` module a program imports (lang/importable.py)."""
    return Namespace("tqdm", sys.modules[__name__])
