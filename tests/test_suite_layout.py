"""The suite's own layout: pytest imports a test file outside a package by its base name, so two
such files with one name stop a whole run with an "import file mismatch" error (each alone
passes, which is how it slips in)."""

import collections
import pathlib

TESTS = pathlib.Path(__file__).resolve().parent


def test_test_files_outside_packages_have_distinct_names():
    by_name = collections.defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        if not (path.parent / "__init__.py").exists():
            by_name[path.name].append(str(path.relative_to(TESTS)))
    assert {n: p for n, p in by_name.items() if len(p) > 1} == {}
