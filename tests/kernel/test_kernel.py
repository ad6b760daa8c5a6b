"""The gradsh Jupyter kernel, started for real and driven with jupyter_client (one kernel for
the module; cells run in order and share its session, as in a notebook).

Expected text comes from the REPL itself (the same cells through `gradsh -`), from PyTorch's
tutorial facts (x.grad = 4.5 everywhere, its printed form) or from gradsh's documented formats.
"""

import re
import shutil
import time
import xml.etree.ElementTree as ET

import pytest
from kernel_helpers import repl_text, tutorial_cells

ADDRESS = re.compile(r"0x[0-9a-f]+")


@pytest.fixture(scope="module")
def tutorial(kernel):
    """The tutorial's cells run in the kernel (first, on a fresh session)."""
    return [kernel.run(code) for code in tutorial_cells()]


def test_tutorial_cells_give_the_repls_text(tutorial):
    cells = tutorial_cells()
    assert all(cell.status == "ok" for cell in tutorial), [c.reply for c in tutorial]
    shown = "".join(cell.text() for cell in tutorial)
    expected = repl_text("\n\n".join(cells) + "\n")
    # print(x.grad_fn) shows an address, which differs between the two processes
    assert ADDRESS.sub("0x?", shown) == ADDRESS.sub("0x?", expected)


def test_tutorial_backward_shows_gradients_as_text_and_html(tutorial):
    # PyTorch's tutorial: out.backward() gives x.grad = 4.5 everywhere
    expected = "x.grad = tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"
    shown = [c["data"] for cell in tutorial for c in cell.of("display_data")
             if "text/html" in c["data"]]
    first = shown[0]
    assert first["text/plain"] == expected
    html = first["text/html"]
    ET.fromstring(html)   # a well-formed table
    assert "<code>x.grad</code>" in html
    assert "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])" in html


def test_print_goes_to_stdout_and_the_last_value_is_the_execute_result(kernel):
    cell = kernel.run("a = 2\nprint('a is', a)\na\na * 3")
    assert cell.status == "ok"
    assert cell.stdout() == "a is 2\n"
    # as in the REPL every expression statement shows its value, in order
    assert [kind for kind, _ in cell.outputs] == ["stream", "display_data", "execute_result"]
    assert cell.of("display_data")[0]["data"] == {"text/plain": "2"}
    results = cell.of("execute_result")
    assert [r["data"]["text/plain"] for r in results] == ["6"]
    assert results[0]["execution_count"] == cell.reply["execution_count"]


def test_a_cell_ending_in_an_assignment_has_no_result(kernel):
    cell = kernel.run("b = 5\nb\nc = b + 1")
    assert cell.of("execute_result") == []
    assert cell.of("display_data")[0]["data"] == {"text/plain": "5"}


def test_html_of_gradients_escapes_the_tensor_text(kernel):
    cell = kernel.run("w = tensor([1.0, -2.0], requires_grad=True)\n(w * w).sum().backward()")
    data = cell.of("display_data")[0]["data"]
    assert data["text/plain"] == "w.grad = tensor([ 2., -4.])"
    assert "&lt;" not in data["text/plain"]
    assert "tensor([ 2., -4.])" in data["text/html"]


def test_an_error_cell_gives_the_located_message(kernel):
    cell = kernel.run("q = 1\nq = q / 0")
    assert cell.status == "error"
    assert cell.reply["ename"] == "ZeroDivisionError"
    lines = cell.reply["traceback"]
    assert lines[0].endswith(":2:5: ZeroDivisionError: division by zero")
    assert lines[0].startswith("<cell %d>" % cell.reply["execution_count"])
    assert lines[1:] == ["    q = q / 0", "        ^^^^^"]
    published = cell.of("error")
    assert published and published[0]["traceback"] == lines
    assert not any("Traceback" in line or ".py" in line for line in lines)


def test_a_syntax_error_is_located_and_nothing_runs(kernel):
    kernel.run("s = 1")
    cell = kernel.run("s = 2\ns = (2 +")
    assert cell.reply["ename"] == "SyntaxError"
    assert ":2:" in cell.reply["traceback"][0]
    assert kernel.run("s").of("execute_result")[0]["data"]["text/plain"] == "1"


def test_interrupt_stops_a_running_cell_and_keeps_the_session(kernel):
    kernel.run("kept = 41")
    msg_id = kernel.client.execute("while True: pass")
    time.sleep(0.5)   # let the loop start
    kernel.manager.interrupt_kernel()
    reply = kernel.reply_to(msg_id, timeout=2)   # the bound: within 2 s
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    kernel.outputs(msg_id)
    cell = kernel.run("kept + 1")
    assert cell.of("execute_result")[0]["data"]["text/plain"] == "42"


def test_completion_offers_the_repls_names(kernel):
    kernel.run("xs = ones(2, requires_grad=True)")
    reply = kernel.request("complete", "xs.back", 7)
    assert reply["status"] == "ok"
    assert "backward" in reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (3, 7)
    names = kernel.request("complete", "print(x", 7)
    assert "xs" in names["matches"] and names["cursor_start"] == 6
    private = kernel.request("complete", "xs._", 4)
    assert private["matches"] == []    # the sandbox never offers _ names


def test_inspection_gives_the_signature_and_summary(kernel):
    kernel.run("xi = ones(2, requires_grad=True)")
    code = "xi.backward("
    reply = kernel.request("inspect", code, len(code))
    assert reply["found"] is True
    text = reply["data"]["text/plain"]
    assert text.startswith("Tensor.backward(gradient=None, retain_graph=None, "
                           "create_graph=False, inputs=None)")
    assert "gradient" in text.split("\n\n", 1)[1]
    missing = kernel.request("inspect", "nothing_here", 5)
    assert missing["found"] is False


def test_question_mark_cell_pages_the_help(kernel):
    """`NAME?` sends the help as the reply's page payload, as IPython does (nb23): nothing on
    stdout; for a name that is not there, the REPL's error line (IPython prints "Object `...`
    not found."), and the cell succeeds as IPython's does."""
    kernel.run("xq = ones(2, requires_grad=True)")
    cell = kernel.run("xq.backward?")
    assert cell.status == "ok" and cell.stdout() == ""
    [page] = cell.reply["payload"]
    assert page["source"] == "page"
    assert page["data"]["text/plain"].startswith("Tensor.backward(gradient=None")
    missing = kernel.run("nothing_here_at_all?")
    assert missing.status == "ok" and "payload" not in missing.reply or \
        missing.reply["payload"] == []
    assert "NameError" in missing.stderr()


def test_is_complete_comes_from_the_parser(kernel):
    assert kernel.request("is_complete", "x = (1,")["status"] == "incomplete"
    block = kernel.request("is_complete", "for i in range(3):")
    assert block == {"status": "incomplete", "indent": "    "}
    assert kernel.request("is_complete", "x = 1")["status"] == "complete"
    assert kernel.request("is_complete", "x = )")["status"] == "invalid"


def test_meta_commands_work_in_cells(kernel):
    kernel.run("mv = ones(2, 2, requires_grad=True)\nmo = (mv * 2).sum()")
    names = kernel.run(":vars").stdout()
    assert "mv" in names and "mo" in names and "SumBackward0" in names
    trace = kernel.run(":trace mo")
    assert "backward of mo" in trace.stdout()
    assert "mv.grad = tensor([[2., 2.]," in trace.stdout()


def test_graph_in_a_notebook_is_a_picture(kernel):
    kernel.run("gx = ones(2, requires_grad=True)\ngy = (gx * 3).sum()")
    cell = kernel.run(":graph gy")
    data = cell.of("display_data")[0]["data"]
    assert data["text/plain"].split("\n")[:2] == ["backward graph of gy",
                                                 "gy: SumBackward0  ()"]
    if shutil.which("dot"):
        svg = ET.fromstring(data["image/svg+xml"])
        assert "gx: AccumulateGrad" in "".join(svg.itertext())
    else:
        assert "gx</span>: <span" in data["text/html"]


def test_plot_in_a_notebook_is_an_svg(kernel):
    kernel.run("losses = []\nfor i in range(50):\n    losses.append(1.0 / (i + 1))\n")
    cell = kernel.run(":plot losses")
    data = cell.of("display_data")[0]["data"]
    svg = ET.fromstring(data["image/svg+xml"])
    line = svg.find("{http://www.w3.org/2000/svg}polyline")
    assert len(line.get("points").split()) == 50
    assert "x: index (0 to 49)" in data["text/plain"]


def test_reset_then_restart_clears_the_session(kernel):
    kernel.run("forgotten_value = 1")
    kernel.run(":reset")
    assert kernel.run("forgotten_value").reply["ename"] == "NameError"
    kernel.run("forgotten_value = 2")
    kernel.manager.restart_kernel(now=True)
    kernel.client.wait_for_ready(timeout=30)
    kernel.run("")   # and past any extra kernel_info replies
    cell = kernel.run("forgotten_value")
    assert cell.reply["ename"] == "NameError"
    assert cell.reply["traceback"][0].endswith("NameError: name 'forgotten_value' is not defined")


def test_a_runaway_output_is_capped_as_in_the_repl(kernel):
    cell = kernel.run("'a' * 30000")
    text = cell.of("execute_result")[0]["data"]["text/plain"]
    assert text.endswith("[... 10002 more characters not shown]")
