"""Session-wide guard: no test reads a file outside the repository.

A clone anywhere must test itself with nothing beside it, so the facts recorded from PyTorch live
in tests/data/. read_guard's audit hook sees every `open` in this process (builtins.open, os.open,
io.open_code for imports) and every subprocess started; a file outside the repository, the
Python installation, the operating system's folders and the temporary ones is recorded with the
test that opened it, and the session fails at its end, listing them.
tests/test_no_outside_reads.py checks the guard itself and scans the test sources for absolute
and parent-escaping paths.
"""

import os
import shutil
import sys
import tempfile

import pytest

# gradsh pins numpy's and OpenBLAS's kernels before numpy loads (gradsh/_machine.py): first, so
# that no test module's `import numpy` comes before it
import gradsh  # noqa: F401
import read_guard

read_guard.install()

# gradsh keeps its analysed grammar in the user's cache folder: the tests (and the gradsh
# processes they start, which inherit this) use a fresh one of their own instead, so that no
# test reads, or depends on, a cache left by another checkout
_CACHE = tempfile.mkdtemp(prefix="gradsh-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE

# A terminal's size comes from the terminal (the pty a test opens), not from COLUMNS/LINES:
# pytest-xdist's workers export 80 x 24, as a shell may, and gradsh (like Rich) honours them
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _process_state_is_restored():
    """A test (or a program it runs in-process: the hostile tables, the learner programs) may
    change gradsh's process-wide settings: each test starts from what the last one started from,
    so that no test's outcome depends on the tests run before it in the same worker."""
    from gradsh.autograd import forward_ad
    from gradsh.core import dtypes, grad_mode, node, printing
    options = printing.get_printoptions()
    enabled = grad_mode.is_grad_enabled()
    default = dtypes.get_default_dtype()
    topological = node.order.topological  # (a custom Function turns the engine's order off)
    hooks = _global_hooks()   # (the API fuzzer registers random objects as global hooks)
    saved_hooks = [(d, dict(d)) for d in hooks]
    yield
    for d in _global_hooks():   # those of a module loaded by the test were empty before it
        d.clear()
    for d, items in saved_hooks:
        d.update(items)
    printing.set_printoptions(**options)
    grad_mode.set_grad_enabled(enabled)
    dtypes.set_default_dtype(default)
    node.order.topological = topological
    if forward_ad._level[0] is not None:      # a dual level left open (exit_dual_level undoes
        forward_ad.exit_dual_level()          # the ops' swap for forward mode)


def _global_hooks():
    """The process-wide hook tables of the loaded modules: nn.Module's global hooks, every
    optimizer's step hooks."""
    found = []
    for name, attrs in (("gradsh.core.nn.module", ("_global_forward_pre_hooks",
                                                   "_global_forward_hooks",
                                                   "_global_backward_hooks",
                                                   "_global_backward_pre_hooks")),
                        ("gradsh.core.optim.optimizer", ("_global_step_pre_hooks",
                                                         "_global_step_post_hooks"))):
        module = sys.modules.get(name)
        found += [getattr(module, a) for a in attrs if hasattr(module, a)]
    return found


def pytest_collectstart(collector):
    read_guard.running[-1] = "collecting " + (collector.nodeid or "the session")


def pytest_collection_modifyitems(items):
    try:
        import cpu_capability
    except ImportError:   # (test_no_outside_reads' miniature repository has no such module)
        return
    cpu_capability.mark_known_on_this_cpu(items)


def pytest_runtest_setup(item):
    read_guard.running[-1] = item.nodeid


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE, ignore_errors=True)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        # a worker of a parallel run (pytest-xdist): its findings go to the controller, which
        # fails the session and names them
        workeroutput["outside"] = list(read_guard.outside)
        return
    if read_guard.outside:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller of a parallel run collects what each worker's guard recorded."""
    read_guard.outside.extend(tuple(found) for found in node.workeroutput.get("outside", ()))


def pytest_terminal_summary(terminalreporter):
    if not read_guard.outside:
        return
    first = {}
    for who, path, how in read_guard.outside:
        first.setdefault((path, how), who)
    terminalreporter.section("files read outside the repository", sep="=", red=True, bold=True)
    for (path, how), who in sorted(first.items()):
        terminalreporter.line("%s: %s (%s)" % (who, path, how))
    terminalreporter.line("Tests must carry their data: copy the facts into tests/data/ "
                          "(see tests/data/README.md).")
