"""logging (branch adv12c): what a training script does with it, gradsh's own and per session.

`logging.basicConfig(level=..., format=...)`, `logging.getLogger(name)`, a logger's `debug`,
`info`, `warning`, `error`, `critical`, `exception` and `log`, `setLevel`, the level constants
and `getLevelName`: records at or above the logger's effective level are written as Python
writes them, to the output of gradsh's warnings (stderr), or to `stream=sys.stdout` given to
basicConfig. With no configuration, WARNING and above are written as the message alone (Python's
last-resort handler); a module-level call configures the root logger first, as Python's do.
Formats take `%(name)s`, `%(levelname)s`, `%(levelno)s`, `%(message)s` and `%(asctime)s`.
Not offered: handlers, filters, files (a program has none), the manager and its loggers.
"""

import time

from .limits import LimitError, check_text_size, percent_format
from .namespaces import Namespace
from .pybuiltins import PRINT_FILES
from .sandbox import PYTHON_ALLOWED

LEVELS = {"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20,
          "DEBUG": 10, "NOTSET": 0}
_NAMES = {50: "CRITICAL", 40: "ERROR", 30: "WARNING", 20: "INFO", 10: "DEBUG", 0: "NOTSET"}
BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"
MAX_DATEFMT = 1_000_000  # characters of a date format


def getLevelName(level):
    """The name of a level number, or the number of a level name (Python's 'Level %s' else)."""
    if level in _NAMES:
        return _NAMES[level]
    if isinstance(level, str) and level in LEVELS:
        return LEVELS[level]
    return "Level %s" % level


def _level(level):
    if isinstance(level, bool) or not isinstance(level, (int, str)):
        raise TypeError("Level not an integer or a valid string: %r" % (level,))
    if isinstance(level, str):
        if level not in LEVELS:
            raise ValueError("Unknown level: %r" % level)
        return LEVELS[level]
    return level


class _Config:
    __slots__ = ("format", "write", "configured", "datefmt")

    def __init__(self, write):
        self.format, self.write, self.configured, self.datefmt = None, write, False, None


class Logger:
    """logging.Logger: its level, and records written when they are at or above it."""

    __slots__ = ("name", "level", "parent", "propagate", "disabled", "_config")

    def __init__(self, name, parent, config):
        self.name, self.parent, self._config = name, parent, config
        self.level, self.propagate, self.disabled = 0, True, False

    def setLevel(self, level):
        self.level = _level(level)

    def getEffectiveLevel(self):
        logger = self
        while logger is not None:
            if logger.level:
                return logger.level
            logger = logger.parent
        return 0

    def isEnabledFor(self, level):
        return not self.disabled and level >= self.getEffectiveLevel()

    def log(self, level, msg, *args, exc_info=None, stack_info=False, stacklevel=1, extra=None):
        if not isinstance(level, int):
            raise TypeError("level must be an integer")
        if not self.isEnabledFor(level):
            return
        message = str(msg)
        if args:
            if len(args) == 1 and isinstance(args[0], dict) and args[0]:
                args = args[0]
            check_text_size(args, "logging")
            message = percent_format(message, args)  # (its widths and fields measured)
        config = self._config
        if config.format is None:  # no handler: Python's last resort, WARNING and above
            if level >= 30:
                config.write(message + "\n")
            return
        record = {"name": self.name, "levelname": getLevelName(level), "levelno": level,
                  "message": message}
        if "%(asctime)" in config.format:  # (Python's Formatter.usesTime)
            record["asctime"] = time.strftime(config.datefmt or "%Y-%m-%d %H:%M:%S")
        config.write(percent_format(config.format, record) + "\n")

    def debug(self, msg, *args, **kwargs):
        self.log(10, msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        self.log(20, msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        self.log(30, msg, *args, **kwargs)

    warn = warning

    def error(self, msg, *args, **kwargs):
        self.log(40, msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        self.log(40, msg, *args, **kwargs)

    def critical(self, msg, *args, **kwargs):
        self.log(50, msg, *args, **kwargs)

    fatal = critical

    def __repr__(self):
        return "<%s %s (%s)>" % (type(self).__name__, self.name,
                                 getLevelName(self.getEffectiveLevel()))


Logger.__module__ = "logging"
PYTHON_ALLOWED[Logger] = frozenset((
    "name", "level", "parent", "propagate", "disabled", "setLevel", "getEffectiveLevel",
    "isEnabledFor", "log", "debug", "info", "warning", "warn", "error", "exception", "critical",
    "fatal"))


class RootLogger(Logger):
    """The root logger (WARNING unless configured)."""

    __slots__ = ()


RootLogger.__module__ = "logging"
PYTHON_ALLOWED[RootLogger] = PYTHON_ALLOWED[Logger]


def logging_namespace(runtime):
    from .stdlib import _Module
    write_err = getattr(runtime, "write_err", None) or runtime.write
    config = _Config(write_err)
    root = RootLogger("root", None, config)
    root.level = 30
    loggers = {}

    def getLogger(name=None):
        """The logger of that name (the root logger without one), made once a session."""
        if name is None or name == "root":
            return root
        if not isinstance(name, str):
            raise TypeError("A logger name must be a string")
        if name not in loggers:
            parent_name = name.rpartition(".")[0]
            parent = getLogger(parent_name) if parent_name else root
            loggers[name] = Logger(name, parent, config)
        return loggers[name]

    def basicConfig(*, level=None, format=None, datefmt=None, style="%", force=False,
                    stream=None, **unknown):
        """Configure the root logger once (again with force=True)."""
        if unknown:
            raise ValueError("Unrecognised argument(s): " + ", ".join(unknown)
                             + " (gradsh has no files or handlers)")
        if style != "%":
            raise ValueError("logging.basicConfig(style=%r) is not supported in gradsh: use "
                             "%%-style formats" % (style,))
        if config.configured and not force:
            return
        if isinstance(datefmt, str) and len(datefmt) > MAX_DATEFMT:
            # each directive of strftime writes at most about twelve times its length (%c)
            raise LimitError("logging.basicConfig(datefmt=...) of %d characters (gradsh's "
                             "limit is %d)" % (len(datefmt), MAX_DATEFMT))
        config.configured = True
        config.format = BASIC_FORMAT if format is None else str(format)
        config.datefmt = datefmt
        if stream is not None:
            if type(stream) not in PRINT_FILES:
                raise TypeError("logging.basicConfig(stream=...) takes sys.stdout, sys.stderr "
                                "or an io.StringIO in gradsh")
            config.write = stream.gradsh_stream
        if level is not None:
            root.setLevel(level)

    def module_level(name):
        def call(msg, *args, **kwargs):
            if not config.configured:
                basicConfig()
            getattr(root, name)(msg, *args, **kwargs)
        call.__name__ = call.__qualname__ = name
        return call

    def log(level, msg, *args, **kwargs):
        if not config.configured:
            basicConfig()
        root.log(level, msg, *args, **kwargs)

    members = dict(LEVELS, getLogger=getLogger, basicConfig=basicConfig, log=log,
                   getLevelName=getLevelName, Logger=Logger, BASIC_FORMAT=BASIC_FORMAT,
                   **{name: module_level(name) for name in (
                       "debug", "info", "warning", "warn", "error", "exception", "critical",
                       "fatal")})
    return Namespace("logging", _Module(**members))


logging_namespace.needs_runtime = True
