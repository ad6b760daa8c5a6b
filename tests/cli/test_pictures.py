"""Pictures in the terminal: `:plot` (a Unicode line chart fitted to the width), `:graph --svg`
and `--png` (drawn by Graphviz when it is installed, a clear message when not), and the pieces a
notebook uses (the SVG chart, the HTML tree)."""

import shutil
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import body

from gradsh.cli import graph, graph_svg, plot

TUTORIAL = "x = ones(2, 2, requires_grad=True)\ry = x + 2\rz = y * y * 3\rout = z.mean()\r"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")


def test_plot_draws_a_loss_history_fitted_to_the_width_with_labelled_axes(repl):
    r = repl("losses = [1.0 / (i + 1) for i in range(200)]\r:plot losses\r")
    lines = body(r.out).rstrip("\n").split("\n")
    assert r.err == ""
    assert max(len(line) for line in lines) <= 80          # the test console is 80 wide
    assert lines[0].strip() == "losses"                    # the title is the expression
    assert any(ch in "".join(lines) for ch in "▀▄▌▐▖▗▘▝▙▛▜▟█")   # drawn with Unicode blocks
    # the axes carry their ranges: y from 1/200 to 1, x from 0 to 199
    assert lines[-1] == "x: index (0 to 199), y: value (min 0.005, max 1)"
    ticks = [float(t) for t in lines[-2].split()]
    assert ticks[0] == 0 and ticks == sorted(ticks) and ticks[-1] < 200
    y_ticks = [float(line.rsplit("│", 1)[1]) for line in lines
               if line.startswith("│") and line.rsplit("│", 1)[1].strip()]
    assert y_ticks == sorted(y_ticks, reverse=True) and 0 < y_ticks[-1] < y_ticks[0] < 1


def test_plot_accepts_a_1d_tensor_and_a_list_of_0d_tensors(repl):
    r = repl("t = arange(5.0)\r:plot t\rls = [t[i] * 2 for i in range(5)]\r:plot ls\r")
    assert r.err == ""
    assert "x: index (0 to 4), y: value (min 0, max 4)" in r.out
    assert "x: index (0 to 4), y: value (min 0, max 8)" in r.out


def test_plot_of_something_else_says_what_it_needs(repl):
    r = repl("m = ones(2, 3)\r:plot m\r:plot 'abc'\r:plot []\r:plot\r")
    err = " ".join(r.err.split())   # the console wraps long messages
    assert "needs a list of numbers or a 1-d tensor" in r.err
    assert "not a tensor of shape (2, 3)" in err
    assert "not str" in err
    assert "the list is empty" in err
    assert err.count("usage: :plot EXPR") == 4


def test_plot_values_come_from_the_expression_exactly():
    assert plot.numbers([1, 2.5, 3]) == [1.0, 2.5, 3.0]
    with pytest.raises(plot.PlotError):
        plot.numbers([1, "a"])
    with pytest.raises(plot.PlotError):
        plot.numbers([True, False])


def test_svg_chart_is_well_formed_and_passes_through_every_point():
    values = [3.0, 1.0, 2.0]
    root = ET.fromstring(plot.svg(values, "loss < 1 & more"))
    ns = "{http://www.w3.org/2000/svg}"
    line = root.find(ns + "polyline")
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(points) == 3
    # x evenly spaced, y inverted: the largest value is highest (smallest y)
    assert points[0][0] < points[1][0] < points[2][0]
    assert points[0][1] < points[2][1] < points[1][1]
    assert root.find(ns + "text").text == "loss < 1 & more"


def test_svg_chart_breaks_the_line_at_nan():
    root = ET.fromstring(plot.svg([1.0, 2.0, float("nan"), 3.0, 4.0], "v"))
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 2


def _tutorial_root():
    import gradsh as torch
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    out = (y * y * 3).mean()
    return graph.build(out, {"x": x, "y": y, "out": out})


def test_html_tree_has_every_node_of_the_text_tree():
    html = graph_svg.html_tree(_tutorial_root(), "backward graph of out")
    ET.fromstring(html)  # well-formed (it is also XHTML)
    for label in ("out", "MeanBackward0", "MulBackward0", "y", "AddBackward0", "x",
                  "AccumulateGrad", "(shown above)", "None (an input that needs no gradient)"):
        assert label in html
    # one item per line of the text tree: mean, mul, mul, add, x, None, add (again), None
    assert html.count("<li>") == 8


def test_graph_svg_without_dot_says_how_to_get_it(repl, tmp_path, monkeypatch):
    monkeypatch.setattr(graph_svg.shutil, "which", lambda name: None)
    target = tmp_path / "g.svg"
    r = repl(TUTORIAL + ":graph --svg %s out\r" % target)
    err = " ".join(r.err.split())
    assert "Graphviz's `dot` is not on PATH" in err
    assert "apt-get install graphviz" in err
    assert not target.exists()
    assert "out: MeanBackward0" in r.out     # the tree is still shown


@needs_dot
def test_graph_svg_and_png_files_are_drawn_by_dot(repl, tmp_path):
    svg, png = tmp_path / "g.svg", tmp_path / "g.png"
    r = repl(TUTORIAL + ":graph --svg %s out\r:graph --png %s out\r" % (svg, png))
    assert r.err == ""
    out = " ".join(r.out.split())
    assert "wrote %s (SVG drawn by Graphviz)" % svg in out
    assert "wrote %s (PNG drawn by Graphviz)" % png in out
    root = ET.fromstring(svg.read_bytes())
    text = "".join(root.itertext())
    assert "x: AccumulateGrad" in text and "MeanBackward0" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_ticks_are_round_numbers_that_cover_the_values():
    assert plot.nice_ticks(0, 199) == [0, 50, 100, 150]
    assert plot.nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1]
    assert plot.nice_ticks(-3, 4) == [-2, 0, 2, 4]
    root = ET.fromstring(plot.svg([10.0 / (1 + i) ** 2 for i in range(200)], "losses"))
    ns = "{http://www.w3.org/2000/svg}"
    y_labels = [t.text for t in root.iter(ns + "text") if t.get("text-anchor") == "end"]
    assert y_labels == ["0", "2.5", "5", "7.5", "10"]   # 0.00025 .. 10 rounded out to 0 .. 10


def test_completion_knows_plot_and_the_picture_options(tmp_path):
    import io

    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli.completer import GradshCompleter
    from gradsh.lang import Session

    class State:
        class loader:
            ready = True

    (tmp_path / "graph_out.svg").write_text("")
    state = State()
    state.session = Session(stdout=io.StringIO())
    state.session.run("losses = [1.0, 0.5]\n")
    completer = GradshCompleter(state)

    def complete(text):
        event = CompleteEvent(completion_requested=True)
        return [c.text for c in completer.get_completions(Document(text), event)]

    assert "plot" in complete(":pl")
    assert "losses" in complete(":plot lo")
    # prompt_toolkit's path completer offers the rest of the name
    assert "ph_out.svg" in complete(":graph --svg %s/gra" % tmp_path)
    assert "ph_out.svg" in complete(":graph --png %s/gra" % tmp_path)
    assert "losses" in complete(":graph --svg g.svg lo")   # past the file: the expression
