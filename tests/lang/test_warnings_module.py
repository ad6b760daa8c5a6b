"""`import warnings` in a program (gradsh/lang/runtime/warnfilters.py): Python's filters, with
patterns that cannot backtrack for ever, a bounded number of filters, and the filters kept
from run to run of one session only. PyTorch's text for the same calls is the learner program
warnings_module_filters (tests/data/learner_programs)."""

import io

import pytest

from gradsh.lang import Session

from .helpers import run_error, run_program


@pytest.mark.parametrize("pattern", ["(a*)*b", "(ab+)+c", "a*a*a*a*a*b", "(x){2,}", "x" * 201])
def test_a_pattern_that_could_backtrack_for_ever_is_refused(pattern):
    error, _ = run_error("import warnings\nwarnings.filterwarnings('ignore', %r)\n" % pattern)
    assert error.kind == "ValueError" and "warnings filter's message pattern" in error.message


def test_arguments_are_checked_as_python_checks_them():
    out = run_program(
        "import warnings\n"
        "for args in [('bogus',), ('ignore', 5), ('ignore', '', ValueError), ('ignore', '', 5)]:\n"
        "    try:\n        warnings.filterwarnings(*args)\n"
        "    except AssertionError as e:\n        print(type(e).__name__, e)\n"
        "try:\n    warnings.warn('x', int)\nexcept TypeError as e:\n    print(e)\n")
    # Python 3.11's asserts in filterwarnings, its TypeError in warn
    assert out == ("AssertionError invalid action: 'bogus'\n"
                   "AssertionError message must be a string\n"
                   "AssertionError category must be a Warning subclass\n"
                   "AssertionError category must be a class\n"
                   "category must be a Warning subclass, not 'type'\n")


def test_filters_are_bounded():
    error, _ = run_error("import warnings\nfor i in range(5000):\n"
                         "    warnings.filterwarnings('ignore', message='m%d' % i)\n")
    assert error.kind == "ValueError" and "at most 1000 warnings filters" in error.message


def test_records_name_the_programs_line_and_are_bounded():
    out = run_program("import warnings\nx = torch.ones(2, requires_grad=True)\n"
                      "with warnings.catch_warnings(record=True) as w:\n"
                      "    warnings.simplefilter('always')\n"
                      "    (x * 2).grad\n    warnings.warn('mine', FutureWarning)\n"
                      "print(len(w), [r.category.__name__ for r in w], [r.lineno for r in w])\n"
                      "print(w[1].message, w[0].filename)\n")
    assert out == "2 ['UserWarning', 'FutureWarning'] [5, 6]\nmine t.grad\n"
    error, _ = run_error("import warnings\nwith warnings.catch_warnings(record=True) as w:\n"
                         "    for i in range(20000):\n        warnings.warn('x')\n")
    assert "keeps at most 10000 warnings" in error.message


def test_a_long_warning_is_matched_on_its_start_only():
    # a pattern is tried on the first 1000 characters: a filter for a later word misses
    out = run_program("import warnings\nwarnings.filterwarnings('error', message='.*tail')\n"
                      "warnings.warn('x' * 2000 + 'tail')\nprint('ran')\n")
    assert out == "ran\n"


def test_filters_last_from_run_to_run_of_a_session_and_not_beyond():
    out, err = io.StringIO(), io.StringIO()
    nonleaf = "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.grad)\n"
    session = Session(stdout=out, stderr=err)
    session.run("import warnings\nwarnings.filterwarnings('ignore')\n")
    session.run(nonleaf)
    assert out.getvalue() == "None\n" and err.getvalue() == ""
    Session(stdout=out, stderr=err).run(nonleaf)
    assert "UserWarning: The .grad attribute of a Tensor that is not a leaf" in err.getvalue()
    session.reset()
    session.run(nonleaf)
    assert err.getvalue().count("UserWarning") == 2


@pytest.mark.parametrize("line, kind", [
    ("(torch.ones(2, requires_grad=True) * 2).grad", "UserWarning"),
    ("torch.ones(1).std()", "UserWarning"),
    ("torch.nn.init.uniform(torch.ones(2))", "FutureWarning"),
    ("with torch.autograd.detect_anomaly():\n    pass", "UserWarning"),
])
def test_a_warning_made_an_error_is_the_programs_located_error(line, kind):
    # (every learner program with this filter first ends with a program's error, never an
    # internal one: the sweep in the commit that made Warning an expected kind)
    error, _ = run_error("import warnings\nwarnings.simplefilter('error')\n" + line + "\n")
    assert error.kind == kind and error.line == 3


def test_a_session_shows_a_bounded_number_of_different_warnings():
    out, err = io.StringIO(), io.StringIO()
    Session(stdout=out, stderr=err).run(
        "import warnings\nfor i in range(10010):\n    warnings.warn('w%d' % i)\nprint('done')\n")
    assert out.getvalue() == "done\n"
    text = err.getvalue()
    assert text.count("UserWarning: w") == 10000 and "UserWarning: w10000" not in text
    assert text.count("gradsh shows no more in this session") == 1
