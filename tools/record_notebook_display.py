"""Record what a real IPython kernel (ipykernel, running PyTorch 2.13) shows for each cell of
tests/data/notebook_display_cases.py, into tests/data/notebook_display.json.

    python tools/record_notebook_display.py

The cells run in order in one kernel (started from a kernelspec made in a temporary JUPYTER_PATH:
this interpreter with `-m ipykernel_launcher`). For each cell it keeps the execute_result's
text/plain (None when there is none), the stdout stream's text, the error's ename and evalue
(the traceback is IPython's own and not compared), and the text/plain of any display_data.
Memory addresses (0x7f...) are written as 0x0: they differ in every run.
"""

import json
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
sys.path.insert(0, str(ROOT / "tools"))

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
TIMEOUT = 60


def outputs(client, code):
    msg_id = client.execute(code, allow_stdin=False)
    while True:
        reply = client.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    fact = {"result": None, "stdout": "", "error": None, "display": []}
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream" and content["name"] == "stdout":
            fact["stdout"] += content["text"]
        elif kind == "execute_result":
            fact["result"] = ADDRESS.sub("0x0", content["data"]["text/plain"])
        elif kind == "display_data":
            fact["display"].append(ADDRESS.sub("0x0", content["data"].get("text/plain", "")))
        elif kind == "error":
            fact["error"] = [content["ename"], ADDRESS.sub("0x0", content["evalue"])]
    return fact


def main():
    import os
    import torch
    from jupyter_client.manager import KernelManager
    import facts_file
    from notebook_display_cases import CELLS
    assert torch.__version__.startswith("2.13."), torch.__version__
    with tempfile.TemporaryDirectory() as folder:
        spec = pathlib.Path(folder) / "kernels" / "pytorch"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (PyTorch)", "language": "python"}))
        os.environ["JUPYTER_PATH"] = folder
        manager = KernelManager(kernel_name="pytorch")
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=TIMEOUT)
            facts = {name: outputs(client, code) for name, code in CELLS}
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    import IPython
    facts_file.write("notebook_display.json", facts,
                     "%s (IPython %s)" % (torch.__version__, IPython.__version__))


if __name__ == "__main__":
    main()
