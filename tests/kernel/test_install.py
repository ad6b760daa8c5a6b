"""`gradsh --install-kernel [--user|--sys-prefix]` registers a "gradsh" kernelspec that runs
this interpreter's `python -m gradsh.kernel -f {connection_file}`."""

import io
import json
import sys

import pytest

pytest.importorskip("jupyter_client", reason="the jupyter extra is not installed "
                                             "(pip install '.[jupyter]')")

from gradsh.cli.env import Environment  # noqa: E402
from gradsh.cli.main import main  # noqa: E402


def run(argv):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), stdin_isatty=False,
                      environ={})
    status = main(argv, env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


def test_install_kernel_user_writes_the_kernelspec(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    status, out, err = run(["--install-kernel", "--user"])
    assert (status, err) == (0, "")
    spec = json.loads((tmp_path / "kernels" / "gradsh" / "kernel.json").read_text())
    assert spec["argv"] == [sys.executable, "-m", "gradsh.kernel", "-f", "{connection_file}"]
    assert spec["language"] == "gradsh" and spec["interrupt_mode"] == "signal"
    assert "installed the gradsh kernel (user) in %s" % (tmp_path / "kernels" / "gradsh") in out

    from jupyter_client.kernelspec import KernelSpecManager
    assert KernelSpecManager().get_kernel_spec("gradsh").display_name == "gradsh"


@pytest.mark.parametrize("argv, message", [
    (["--user"], "--user and --sys-prefix go with --install-kernel"),
    (["--install-kernel", "prog.grad"], "--install-kernel takes no program"),
])
def test_install_kernel_misuse_is_a_usage_error(argv, message):
    status, _, err = run(argv)
    assert status == 2
    assert message in err
