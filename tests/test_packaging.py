"""The package ships every module and the grammar (pip install . must work, not only a checkout)."""

import pathlib
import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11")

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _declared_packages():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return set(tomllib.load(f)["tool"]["setuptools"]["packages"])


def test_every_python_folder_under_gradsh_is_a_declared_package():
    declared = _declared_packages()
    found = set()
    for py in (ROOT / "gradsh").rglob("*.py"):
        rel = py.parent.relative_to(ROOT)
        if "__pycache__" not in rel.parts:
            found.add(".".join(rel.parts))
    missing = found - declared
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_grammar_folder_is_shipped_as_gradsh_grammar():
    with open(ROOT / "pyproject.toml", "rb") as f:
        tool = tomllib.load(f)["tool"]["setuptools"]
    assert tool["package-dir"]["gradsh.grammar"] == "grammar"
    assert "gradsh.grammar" in tool["packages"]
    assert list((ROOT / "grammar").glob("*.lark")), "grammar/ holds the .lark grammar"
