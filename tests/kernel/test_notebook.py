"""A notebook of the tutorial executes with nbclient (what `jupyter nbconvert --execute` uses) on
the gradsh kernel, and its outputs are the REPL's text."""

import re

import pytest
from kernel_helpers import make_jupyter_path, repl_text, tutorial_cells

nbformat = pytest.importorskip("nbformat", reason="the jupyter extra is not installed")
nbclient = pytest.importorskip("nbclient", reason="the jupyter extra is not installed")

ADDRESS = re.compile(r"0x[0-9a-f]+")


def test_tutorial_notebook_executes_with_the_repls_output(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", make_jupyter_path(tmp_path / "jupyter"))
    cells = tutorial_cells() + [":graph out", "losses = [1.0 / (i + 1) for i in range(20)]",
                                ":plot losses"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "gradsh", "display_name": "gradsh",
                                 "language": "gradsh"}
    nb.cells = [nbformat.v4.new_code_cell(code) for code in cells]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="gradsh").execute()
    nbformat.validate(nb)

    n = len(tutorial_cells())
    text = []
    for cell in nb.cells[:n]:
        assert all(out.output_type != "error" for out in cell.outputs), cell.outputs
        for out in cell.outputs:
            text.append(out.text if out.output_type == "stream" else
                        out.data["text/plain"] + "\n")
    expected = repl_text("\n\n".join(tutorial_cells()) + "\n")
    assert ADDRESS.sub("0x?", "".join(text)) == ADDRESS.sub("0x?", expected)
    graph, plot = nb.cells[n].outputs[0], nb.cells[n + 2].outputs[0]
    assert graph.output_type == "display_data"
    assert {"image/svg+xml", "text/html"} & set(graph.data)
    assert plot.data["image/svg+xml"].startswith("<svg")
