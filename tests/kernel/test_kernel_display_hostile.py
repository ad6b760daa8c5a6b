"""A cell's value shown by the kernel when the program's class fights the display (issue 16,
round 15): a __repr__ that raises, returns a non-string, returns 10^7 characters or never
returns through recursion, and a `_repr_html_` or `_repr_png_` a program defines (IPython
would call them; gradsh shows the text only, and never runs them). Each ends as one located
error or a bounded text, never a traceback, and the kernel goes on answering."""

import pytest

CASES = {
    "repr raises": ("class A:\n    def __repr__(self):\n        raise ValueError('no repr')\nA()",
                    "error", "ValueError: no repr"),
    "repr not a str": ("class A:\n    def __repr__(self):\n        return 5\nA()",
                       "error", "TypeError: __repr__ returned non-string (type int)"),
    "repr recursing": ("class A:\n    def __repr__(self):\n        return repr(self)\nA()",
                       "error", "RecursionError"),
    "repr huge": ("class A:\n    def __repr__(self):\n        return 'x' * 10 ** 7\nA()",
                  "ok", None),
    "repr_html": ("class A:\n    def _repr_html_(self):\n        while True:\n            pass\n"
                  "    def __repr__(self):\n        return 'A!'\nA()", "ok", "A!"),
    "repr_png raising": ("class A:\n    def _repr_png_(self):\n        raise ValueError('png')\n"
                         "    def __repr__(self):\n        return 'P'\nA()", "ok", "P"),
}


@pytest.mark.parametrize("cell, status, shown", CASES.values(), ids=list(CASES))
def test_a_value_fighting_the_display_ends_cleanly(kernel, cell, status, shown):
    result = kernel.run(cell, timeout=60)
    assert result.status == status
    if status == "error":
        lines = result.reply["traceback"]
        assert "Traceback" not in "\n".join(lines) and "site-packages" not in "\n".join(lines)
        assert lines[0].startswith("<cell %d>:" % result.reply["execution_count"]), lines
        assert shown in lines[0], lines
    else:
        text = result.text()
        assert "Traceback" not in text + result.stderr()
        if shown is not None:
            assert text == shown + "\n"
        else:
            assert len(text) <= 10 ** 7 + 1 and text.startswith("x")
    assert kernel.run("1 + 1").text() == "2\n"   # the kernel answers after it
