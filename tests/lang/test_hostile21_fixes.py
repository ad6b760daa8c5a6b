"""Fixes of hostile round 21 (issue 16, docs/security.md "A twenty-first round"): the standard
library modules offered to programs made values past the limits where Python's code built them
(logging's %-formats, re.sub with a function, re.findall/re.split, json.loads, textwrap's tabs,
pprint's indents, io.StringIO's newline translation, csv's quoting), and raised exceptions the
runtime did not know as the program's (csv.Error, StringIO's OSError). Each limit is lowered in
the module that checks it, so every case runs in microseconds; below the limit the result is
Python's."""


import pytest

from gradsh.lang.runtime import remodule, textio, textmodules

from .helpers import run_error, run_program, run_python


@pytest.mark.parametrize("source", [
    "import logging\nlogging.warning('%*d', 10 ** 9, 1)\n",
    "import logging\nlogging.warning('%(a)s' * 100000, {'a': 'x' * 10 ** 4})\n",
    "import logging\nlogging.basicConfig(format='%(message)s' * 10 ** 5)\nlogging.warning('x' * 2000)\n",
    "import logging\nlogging.basicConfig(format='%(message)999999999s')\nlogging.warning('x')\n",
    "s = '%(a)s' * 1000 % {'a': 'x' * 10 ** 6}\n",
])
def test_percent_formats_of_logging_and_of_a_mapping_are_measured_before_they_are_built(source):
    error, _ = run_error(source)
    assert error.kind == "LimitError"
    assert "%-formatting" in error.message or "format width" in error.message


def test_logging_formats_below_the_limits_are_pythons():
    source = ("import logging, io\nb = io.StringIO()\n"
              "logging.basicConfig(stream=b, format='%(levelname)s|%(name)s|%(message)s', force=True)\n"
              "logging.getLogger('a.b').error('%(x)s and %(x)r', {'x': 'y'})\n"
              "logging.warning('%5d|%-3s|', 7, 'z')\nprint(repr(b.getvalue()))\n")
    assert run_program(source) == run_python(source)


def test_a_date_format_past_its_limit_is_refused_and_an_unused_one_costs_nothing():
    error, _ = run_error("import logging\nlogging.basicConfig(format='%(asctime)s', "
                         "datefmt='%c' * 10 ** 6)\n")
    assert error.kind == "LimitError" and "datefmt" in error.message
    assert run_program("import logging\nlogging.basicConfig(format='%(message)s', "
                       "datefmt='%c' * 1000)\nlogging.warning('w')\n") == ""


def test_re_sub_with_a_function_adds_up_what_it_returns(monkeypatch):
    monkeypatch.setattr(remodule, "MAX_STR", 1000)
    error, _ = run_error("import re\nre.sub('a', lambda m: 'x' * 100, 'a' * 20)\n")
    assert (error.kind, error.line) == ("LimitError", 2)
    source = "import re\nprint(re.sub('a', lambda m: m.group() * 3 + '!', 'banana'))\n"
    assert run_program(source) == run_python(source)


def test_re_findall_and_split_stay_within_the_item_limit(monkeypatch):
    monkeypatch.setattr(remodule, "MAX_ITEMS", 100)
    for call in ("re.findall('', 'a' * 150)", "re.split('', 'a' * 150)",
                 "re.split('(,)(x)?', ',' * 40)"):
        error, _ = run_error("import re\nx = %s\n" % call)
        assert (error.kind, error.line) == ("LimitError", 2), call
    # within it (even just so: 49 splits of two groups make 148 items), Python's lists
    source = ("import re\nprint(re.findall('a(b)?', 'ab' * 40 + 'a'))\n"
              "print(re.split('(,)(x)?', ',' * 33))\nprint(re.split(',', 'a,b' * 40, 3))\n")
    assert run_program(source) == run_python(source)


def test_json_loads_lists_and_dicts_stay_within_the_item_limit(monkeypatch):
    monkeypatch.setattr(textmodules, "MAX_ITEMS", 100)
    error, _ = run_error("import json\nx = json.loads('[' + '0,' * 200 + '0]')\n")
    assert (error.kind, error.line) == ("LimitError", 2)
    error, _ = run_error("import json\nx = json.loads('[[' + '{},' * 200 + '{}]]')\n")
    assert error.kind == "LimitError"
    source = "import json\nprint(json.loads('[' + '[1, 2],' * 60 + '{\"a\": [3]}]')[-2:])\n"
    assert run_program(source) == run_python(source)


def test_textwrap_counts_tabs_as_their_expansion():
    error, _ = run_error("import textwrap\ntextwrap.fill('\\t' * 200 + 'x', tabsize=10 ** 7)\n")
    assert (error.kind, error.line) == ("LimitError", 2)
    source = "import textwrap\nprint(textwrap.wrap('a\\tb\\tc d', width=6, tabsize=3))\n"
    assert run_program(source) == run_python(source)


def test_pprint_measures_its_indented_text(monkeypatch):
    monkeypatch.setattr(textmodules, "MAX_STR", 5000)
    # the repr is 80 characters; width=1 writes each item on a line indented by its depth
    error, _ = run_error("import pprint\nx = list(range(20))\nfor i in range(30):\n"
                         "    x = [x]\npprint.pformat(x, width=1, indent=20)\n")
    assert (error.kind, error.line) == ("LimitError", 5)
    source = ("import pprint\nx = {'b': [1, {'c': 'x' * 30}], 'a': (2, 3)}\n"
              "print(pprint.pformat(x, width=12, indent=3))\npprint.pprint([x] * 2, width=30)\n"
              "print(repr(pprint.pformat([])))\n")
    assert run_program(source) == run_python(source)


def test_stringio_counts_the_newlines_it_translates(monkeypatch):
    monkeypatch.setattr(textio, "MAX_STR", 100)
    error, _ = run_error("import io\nb = io.StringIO(newline='\\r\\n')\nb.write('\\n' * 60)\n")
    assert (error.kind, error.line) == ("LimitError", 3)
    error, _ = run_error("import io\nb = io.StringIO('\\n' * 60, newline='\\r\\n')\n")
    assert (error.kind, error.line) == ("LimitError", 2)
    source = ("import io\nb = io.StringIO('a\\nb', newline='\\r\\n')\nb.seek(0, 2)\n"
              "b.write('c\\n' * 3)\nprint(repr(b.getvalue()))\n")
    assert run_program(source) == run_python(source)


def test_a_csv_line_is_measured_before_the_files_write_gets_it(monkeypatch):
    monkeypatch.setattr(textio, "MAX_STR", 100)
    writer = ("import csv\nclass W:\n    def write(self, s):\n        print(len(s))\n"
              "w = csv.writer(W())\n")
    error, _ = run_error(writer + "w.writerow(['\"' * 60])\n")  # quoting doubles it: 122
    assert (error.kind, error.line) == ("LimitError", 6)
    source = writer + "w.writerow(['a\"b', 1, 'x,y'])\nw.writerows([[1, 2], ['', None]])\n"
    assert run_program(source) == run_python(source)


@pytest.mark.parametrize("source", [
    "import csv\nlist(csv.reader([[1, 2]]))\n",
    "import csv, io\ncsv.writer(io.StringIO(), quoting=csv.QUOTE_NONE).writerow(['a,b'])\n",
    "import io\nio.StringIO('abc').seek(5, 1)\n",
])
def test_csv_and_stringio_errors_are_the_programs_as_in_python(source):
    with pytest.raises(Exception) as python:
        run_python(source)
    error, _ = run_error(source)
    assert (error.kind, error.message, error.line) == (
        type(python.value).__name__, str(python.value), 2)
    first, last = source.splitlines()
    caught = run_program(first + "\nimport csv\ntry:\n    " + last +
                         "\nexcept (csv.Error, OSError):\n    print('caught')\n")
    assert caught == "caught\n"


def test_type_with_three_arguments_passes_its_keywords_to_init_subclass_as_python():
    # (the keywords were "make_class_builtins.<locals>.type_() got an unexpected keyword
    # argument", naming gradsh's own function)
    source = ("class B:\n    def __init_subclass__(cls, **kw):\n        print(sorted(kw))\n"
              "C = type('C', (B,), {}, x=1, y=2)\ntry:\n    type(1, x=1)\n"
              "except TypeError as e:\n    print(e)\n")
    assert run_program(source) == run_python(source)
