"""The language loads in a background thread while the first prompt is already up.

Importing gradsh's core and parser takes longer than a prompt should keep anyone waiting
(issue 8, W9: first prompt within 0.5 s); nothing needs them until the first Enter.
"""

import threading


class SessionLoader:
    """Makes the Session once, in a thread; `get()` waits for it (and re-raises its failure)."""

    def __init__(self, factory, session=None):
        self._factory = factory
        self._session = session
        self._error = None
        self._thread = None

    def start(self):
        if self._session is None and self._thread is None:
            self._thread = threading.Thread(target=self._load, name="gradsh-loader", daemon=True)
            self._thread.start()
        return self

    def _load(self):
        try:
            self._session = self._factory()
        except BaseException as e:  # noqa: B902 - handed to the main thread by get()
            self._error = e

    @property
    def ready(self):
        return self._session is not None

    def get(self):
        if self._session is None:
            if self._thread is None:
                self._load()
            else:
                self._thread.join()
            if self._error is not None:
                raise self._error
        return self._session
