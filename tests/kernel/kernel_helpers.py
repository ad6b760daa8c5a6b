"""A real gradsh kernel for tests: started by jupyter_client from a kernelspec made in a temporary
Jupyter path (the same kernel.json `gradsh --install-kernel` writes), driven over ZMQ."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("ipykernel", reason="the jupyter extra is not installed "
                                        "(pip install '.[jupyter]')")
pytest.importorskip("jupyter_client", reason="the jupyter extra is not installed "
                                             "(pip install '.[jupyter]')")

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
TIMEOUT = 30


def tutorial_cells():
    """scripts/tutorial.grad split into cells at its blank lines; a seeded generator first, so
    its randn draws are the same in every run."""
    text = (ROOT / "scripts" / "tutorial.grad").read_text()
    cells = [c.strip("\n") for c in text.split("\n\n") if c.strip()]
    assert cells[0].startswith("import torch")
    cells[0] = cells[0] + "\ng = torch.manual_seed(0)"
    return cells


def repl_text(source):
    """What the REPL's echo prints for `source` as plain text (`gradsh --echo -`)."""
    gradsh = os.path.join(os.path.dirname(sys.executable), "gradsh")
    done = subprocess.run([gradsh, "--echo", "-"],
                          input=source.encode(), capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def make_jupyter_path(folder):
    from gradsh.kernel.spec import kernel_json
    spec = pathlib.Path(folder) / "kernels" / "gradsh"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(kernel_json()))
    return str(folder)


class Kernel:
    """One running kernel: run(code) -> Cell (the reply and what iopub carried for it)."""

    def __init__(self, manager, client):
        self.manager = manager
        self.client = client

    def run(self, code, timeout=TIMEOUT):
        msg_id = self.client.execute(code, allow_stdin=False)
        reply = self.reply_to(msg_id, timeout)
        return Cell(reply["content"], self.outputs(msg_id, timeout))

    def reply_to(self, msg_id, timeout=TIMEOUT):
        """The shell reply to msg_id (wait_for_ready may leave extra kernel_info replies)."""
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def outputs(self, msg_id, timeout=TIMEOUT):
        out = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return out
            if kind in ("stream", "execute_result", "display_data", "error"):
                out.append((kind, content))

    def request(self, method, *args):
        msg_id = getattr(self.client, method)(*args)
        return self.reply_to(msg_id)["content"]


class Cell:
    def __init__(self, reply, outputs):
        self.reply = reply
        self.outputs = outputs

    @property
    def status(self):
        return self.reply["status"]

    def of(self, kind):
        return [content for k, content in self.outputs if k == kind]

    def stdout(self):
        return "".join(c["text"] for c in self.of("stream") if c["name"] == "stdout")

    def stderr(self):
        return "".join(c["text"] for c in self.of("stream") if c["name"] == "stderr")

    def text(self):
        """Everything shown, as the REPL prints it: streams, values and gradient lines."""
        parts = []
        for kind, content in self.outputs:
            if kind == "stream" and content["name"] == "stdout":
                parts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                parts.append(content["data"]["text/plain"] + "\n")
        return "".join(parts)


def start_kernel():
    """A kernel from the "gradsh" spec on JUPYTER_PATH (see make_jupyter_path)."""
    from jupyter_client.manager import KernelManager
    manager = KernelManager(kernel_name="gradsh")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=TIMEOUT)
    return Kernel(manager, client)


def stop_kernel(kernel):
    kernel.client.stop_channels()
    kernel.manager.shutdown_kernel(now=True)
