"""No test reads outside the repository: the test sources name no outside path, and the session's
audit hook (tests/conftest.py, tests/read_guard.py) catches a test that opens one anyway."""

import ast
import inspect
import os
import pathlib
import subprocess
import sys

import pytest

import read_guard

TESTS = pathlib.Path(__file__).resolve().parent
ROOT = TESTS.parent

# Absolute paths a test may name: the operating system's own (a sandbox program that tries
# /etc/passwd, /dev/zero as a program, /usr/bin/env in a shebang), and made-up ones that exist
# nowhere (the "can't open file" tests under /nonexistent; history_path, a pure function of
# its environment, given HOME=/h, XDG_STATE_HOME=/s, GRADSH_HISTORY=/x/y).
MADE_UP = ("/nonexistent", "/h", "/s", "/x")
NAMED_FREELY = read_guard.SYSTEM_FOLDERS + MADE_UP


def _sources():
    return sorted(p for p in TESTS.rglob("*.py") if "data" not in p.relative_to(TESTS).parts)


def _docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _absolute_paths(text):
    """The absolute paths a string names: `/word/...` not preceded by a path character (nor by
    `<`: `</code>` closes an HTML tag)."""
    out, i = [], text.find("/")
    while i >= 0:
        before = text[i - 1] if i else " "
        end = i + 1
        while end < len(text) and (text[end].isalnum() or text[end] in "._-/"):
            end += 1
        if not (before.isalnum() or before in "._-~/\\<") and end > i + 1 and \
                (text[i + 1].isalpha() or text[i + 1] == "_"):
            out.append(text[i:end])
        i = text.find("/", end)
    return out


def _escapes(node, depth):
    """Why `node` climbs above the repository from a file `depth` folders below it, or None.
    From tests/cli/x.py (depth 2), parents[2] is the repository and parents[3] is outside."""
    if isinstance(node, ast.Attribute) and node.attr == "pardir":
        return "os.pardir"
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
            and node.value.attr == "parents" and isinstance(node.slice, ast.Constant) \
            and isinstance(node.slice.value, int) and node.slice.value > depth:
        return "parents[%d]" % node.slice.value
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        n, inner = 0, node
        while isinstance(inner, ast.Attribute) and inner.attr == "parent":
            n, inner = n + 1, inner.value
        if n - 1 > depth:
            return ".parent x %d" % n
    if isinstance(node, ast.Call) and _called(node) == "dirname":
        n, inner = 0, node
        while isinstance(inner, ast.Call) and _called(inner) in ("dirname", "abspath",
                                                                 "realpath"):
            n += _called(inner) == "dirname"
            inner = inner.args[0] if inner.args else None
        if n - 1 > depth:
            return "dirname x %d" % n
    if isinstance(node, ast.Call) and _called(node) in ("expanduser", "home"):
        return _called(node) + "()"
    return None


def _called(call):
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)


def _outside_names(source, relative):
    """(file:line, what) for each outside path named by `source`, the file at `relative`."""
    tree = ast.parse(source, relative)
    docs = _docstrings(tree)
    depth = len(pathlib.PurePath(relative).parts) - 1
    found = []
    for node in ast.walk(tree):
        where = "%s:%d" % (relative, getattr(node, "lineno", 0))
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) \
                and id(node) not in docs:
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            for p in _absolute_paths(text):
                if not any(p == f or p.startswith(f + "/") for f in NAMED_FREELY):
                    found.append((where, p))
            parts = text.replace("\\", "/").split("/")
            if ".." in parts and len(parts) > 1:
                found.append((where, text))
        why = _escapes(node, depth)
        if why:
            found.append((where, why))
    return found


def test_the_scan_finds_absolute_and_parent_escaping_paths():
    # the scanner itself, on the kinds of line it must catch and must let pass (the absolute
    # samples are assembled here, so that this file's own text names no outside path)
    root = "/"
    bad = ['open("%swork/shared/oracle/errors.json")' % root, 'Path("%shome/me/facts.json")' % root,
           'Path(__file__).resolve().parents[3] / "shared"', 'open("../../shared/x.json")',
           'os.path.join(here, os.pardir, os.pardir, "x")', 'Path.home() / "x"',
           'Path(__file__).parent.parent.parent.parent', 'os.path.expanduser("~/x")',
           'os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))']
    good = ['Path(__file__).resolve().parents[2] / "README.md"', 'open("/dev/null")',
            '"1/2 or a/b"', 'history_path({"HOME": "/h"})', 'Path(__file__).parent / "x"',
            'os.path.dirname(os.path.dirname(os.path.abspath(__file__)))']
    for line, expected in [(b, True) for b in bad] + [(g, False) for g in good]:
        assert bool(_outside_names(line, "tests/cli/scanned.py")) == expected, line


def test_no_test_source_names_a_path_outside_the_repository():
    found = [hit for path in _sources()
             for hit in _outside_names(path.read_text(encoding="utf-8"),
                                       str(path.relative_to(ROOT)))]
    # except the scanner's own examples of what it must catch, above
    examples = _lines_of(test_the_scan_finds_absolute_and_parent_escaping_paths)
    found = [(where, what) for where, what in found
             if where.rsplit(":", 1)[0] != "tests/test_no_outside_reads.py"
             or int(where.rsplit(":", 1)[1]) not in examples]
    assert found == [], "tests must read only tests/data/ and the repository: %s" % found


def _lines_of(function):
    lines, first = inspect.getsourcelines(function)
    return range(first, first + len(lines))


def test_the_guard_is_recording_and_allows_the_repository_and_the_interpreter():
    assert read_guard._installed
    assert read_guard._allowed(str(ROOT / "tests" / "data" / "errors.json"))
    assert read_guard._allowed(os.path.realpath(sys.executable))
    assert read_guard._allowed(os.__file__)


def test_the_guard_records_a_read_outside(tmp_path, monkeypatch):
    # tmp_path is allowed (temporary); pretend it is not, for this test only
    target = tmp_path / "facts.json"
    target.write_text("{}")
    kept = tuple(p for p in read_guard.ALLOWED if not (str(target) + os.sep).startswith(p))
    monkeypatch.setattr(read_guard, "ALLOWED", kept)
    monkeypatch.setattr(read_guard, "_verdict", {})
    before = list(read_guard.outside)
    try:
        with open(target) as f:
            f.read()
        os.close(os.open(target, os.O_RDONLY))
        subprocess.run([sys.executable, "-c", "pass", str(target)], check=True)
        with open(tmp_path / "missing.json", "a"):   # a file created outside
            pass
        new = read_guard.outside[len(before):]
    finally:
        read_guard.outside[:] = before
    hows = [how for _, path, how in new if path == str(target)]
    assert hows == ["open", "open", "passed to a subprocess"]
    assert (str(tmp_path / "missing.json"), "open for writing") in [(p, h) for _, p, h in new]
    assert {who for who, _, _ in new} == {
        "tests/test_no_outside_reads.py::test_the_guard_records_a_read_outside"}


def test_the_guard_ignores_opens_that_read_nothing(tmp_path, monkeypatch):
    kept = tuple(p for p in read_guard.ALLOWED if not (str(tmp_path) + os.sep).startswith(p))
    monkeypatch.setattr(read_guard, "ALLOWED", kept)
    monkeypatch.setattr(read_guard, "_verdict", {})
    before = list(read_guard.outside)
    try:
        with pytest.raises(OSError):
            open(tmp_path / "absent.json")
        with pytest.raises(OSError):
            open(tmp_path)                 # a folder
        new = read_guard.outside[len(before):]
    finally:
        read_guard.outside[:] = before
    assert new == []


@pytest.mark.parametrize("parallel", [[], ["-n", "2"]], ids=["serial", "parallel"])
def test_a_session_with_an_outside_read_fails_and_names_it(tmp_path, parallel):
    if parallel:
        pytest.importorskip("xdist", reason="pytest-xdist not installed")
    # a miniature repository with this conftest, whose one (passing) test reads a file beside it
    repo = tmp_path / "clone"
    (repo / "tests").mkdir(parents=True)
    for name in ("conftest.py", "read_guard.py"):
        (repo / "tests" / name).write_text((TESTS / name).read_text())
    beside = tmp_path / "shared.json"
    beside.write_text("[]")
    (repo / "pytest.ini").write_text("[pytest]\n")
    (repo / "tests" / "test_reads.py").write_text(
        "import os\nimport read_guard\n\n\n"
        "def test_reads_beside(monkeypatch):\n"
        "    path = %r\n"
        "    monkeypatch.setattr(read_guard, 'ALLOWED', tuple(\n"
        "        p for p in read_guard.ALLOWED if not (path + os.sep).startswith(p)))\n"
        "    monkeypatch.setattr(read_guard, '_verdict', {})\n"
        "    open(path).read()\n" % str(beside))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           *parallel, "tests"], cwd=repo, capture_output=True, text=True,
                          timeout=120)
    assert "1 passed" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1, done.stdout
    assert "files read outside the repository" in done.stdout
    assert "tests/test_reads.py::test_reads_beside: %s (open)" % beside in done.stdout
