"""`gradsh --install-kernel [--user|--sys-prefix]`: register the "gradsh" kernelspec.

The spec runs this interpreter (`sys.executable -m gradsh.kernel -f {connection_file}`), so
the kernel sees exactly the gradsh that installed it. Without an option: --sys-prefix inside a
virtual environment (the Jupyter installed there finds it), --user otherwise.
"""

import json
import os
import shutil
import sys
import tempfile

NAME = "gradsh"
NEEDS = ("the Jupyter kernel needs the jupyter extra: pip install 'gradsh[jupyter]' "
         "(ipykernel and jupyter_client)")


def kernel_json():
    return {
        "argv": [sys.executable, "-m", "gradsh.kernel", "-f", "{connection_file}"],
        "display_name": "gradsh",
        "language": "gradsh",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
        # ipykernel loads debugpy, whose check of Python's frozen modules would print a
        # warning into the front end at every start; gradsh has no debugger to offer
        "env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }


def default_place():
    return "sys-prefix" if sys.prefix != getattr(sys, "base_prefix", sys.prefix) else "user"


def install(place=None):
    """Install the kernelspec ("user" or "sys-prefix"); returns the directory it went to."""
    from jupyter_client.kernelspec import KernelSpecManager
    place = place or default_place()
    folder = tempfile.mkdtemp(prefix="gradsh-kernelspec-")
    try:
        with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as f:
            json.dump(kernel_json(), f, indent=1)
        manager = KernelSpecManager()
        if place == "user":
            return manager.install_kernel_spec(folder, NAME, user=True)
        return manager.install_kernel_spec(folder, NAME, prefix=sys.prefix)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def install_command(env, place):
    """The CLI's --install-kernel: a line saying where it went; the exit status."""
    try:
        import ipykernel  # noqa: F401 - the spec would start a kernel that cannot run
        import jupyter_client  # noqa: F401
    except ImportError:
        env.stderr.write("gradsh: %s\n" % NEEDS)
        return 1
    try:
        where = install(place)
    except OSError as e:
        env.stderr.write("gradsh: cannot install the kernelspec: %s\n" % (e.strerror or e))
        return 1
    env.stdout.write("installed the gradsh kernel (%s) in %s\n"
                     % (place or default_place(), where))
    env.stdout.write("run it with: jupyter console --kernel gradsh, or choose gradsh in "
                     "JupyterLab\n")
    return 0
