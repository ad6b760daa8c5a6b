"""The keyword adapters' factories compiled with gradsh (core/keyword_templates.py, docs/speed.md's
seventeenth pass): the recorded file is current, and each factory's code is exactly what compiling
its source at start-up gave (file name, line numbers, positions), so nothing a frame, a traceback
or the argument reader shows changes."""

import builtins
import os
import pathlib
import subprocess
import sys
import types

from gradsh.core import keyword_templates, keywords

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _codes(code):
    yield code
    for c in code.co_consts:
        if type(c) is types.CodeType:
            yield from _codes(c)


def _compiled(count):
    ns = {}
    exec(compile(keywords.template_source(count), keywords.TEMPLATE_FILE, "exec"), ns)
    return ns["__make"]


def test_the_recorded_templates_are_current():
    # (in a fresh process: the tool records the counts the adapters ask for while gradsh loads)
    code = ("import importlib.util\n"
            "spec = importlib.util.spec_from_file_location('tool', "
            "'tools/record_keyword_templates.py')\n"
            "tool = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(tool)\n"
            "import sys; sys.stdout.write(tool.text())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env).stdout
    assert (ROOT / "gradsh" / "core" / "keyword_templates.py").read_text(encoding="utf-8") == out, \
        "gradsh/core/keyword_templates.py is stale: run python tools/record_keyword_templates.py"


def test_each_recorded_factory_is_the_compiled_source():
    assert keyword_templates.MAKERS  # (the ops have adapters of several counts)
    for count in keyword_templates.MAKERS:
        made, fresh = keywords._template(count), _compiled(count)
        assert made.__name__ == fresh.__name__ == "__make"
        assert made.__globals__["__builtins__"] is builtins.__dict__
        for a, b in zip(_codes(made.__code__), _codes(fresh.__code__), strict=True):
            assert a == b  # bytecode, names, constants, first line and line table
            assert (a.co_filename, a.co_qualname, a.co_firstlineno) == \
                (b.co_filename, b.co_qualname, b.co_firstlineno)
            assert list(a.co_positions()) == list(b.co_positions())


def test_a_count_no_op_has_is_compiled_at_its_first_use():
    count = max(keyword_templates.MAKERS) + 1
    make = keywords._template(count)

    def op(*args):
        return args

    adapter = make(op, lambda args, kwargs: ("slow", args, kwargs), keywords._ABSENT)
    assert adapter(*range(count)) == tuple(range(count))
    assert adapter(1, key=2) == ("slow", (1,), {"key": 2})
    assert adapter.__code__.co_filename == keywords.TEMPLATE_FILE
