"""The user's cache of plain data (core/user_cache.py) and what keywords.py keeps in it."""

import os

from gradsh.core import keywords, user_cache


def test_saved_data_loads_back_under_its_key_only(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    user_cache.save("probe", "key 1", {"a": (1, "b"), "c": frozenset({"d"})})
    assert user_cache.load("probe", "key 1") == {"a": (1, "b"), "c": frozenset({"d"})}
    assert user_cache.load("probe", "key 2") is None


def test_saving_replaces_the_kinds_older_files_and_leaves_other_kinds(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    user_cache.save("probe", "old", [1])
    user_cache.save("other", "old", [2])
    user_cache.save("probe", "new", [3])
    names = sorted(os.listdir(tmp_path / "gradsh"))
    assert [n.split("-")[0] for n in names] == ["other", "probe"]
    assert user_cache.load("probe", "old") is None
    assert user_cache.load("other", "old") == [2]


def test_a_file_others_may_write_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    user_cache.save("probe", "key", [1])
    (path,) = (tmp_path / "gradsh").iterdir()
    os.chmod(path, 0o622)
    assert user_cache.load("probe", "key") is None


def test_a_damaged_file_is_recomputed_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    user_cache.save("probe", "key", [1])
    (path,) = (tmp_path / "gradsh").iterdir()
    path.write_bytes(path.read_bytes()[:5])
    assert user_cache.load("probe", "key") is None


def test_keyword_summaries_from_the_cache_equal_the_ones_read_from_the_tables(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = keywords._build_summaries()
    keywords._summaries.cache_clear()
    try:
        assert keywords._summaries() == fresh  # built and saved
        assert len(os.listdir(tmp_path / "gradsh")) == 1
        keywords._summaries.cache_clear()
        assert keywords._summaries() == fresh  # loaded back
    finally:
        keywords._summaries.cache_clear()
    # a name's summary as PyTorch's signatures give it: clamp(input, min, max), numpy's names
    positional, names, python = fresh["torch.clamp"]
    assert ("input", 0) in positional and ("x", 0) in positional and not python
    assert {"input", "min", "max"} <= names
