"""Starting the kernel process: the REPL's limits, then ipykernel's application."""

import os

CONTROL_JOIN_SECONDS = 5


def main(argv=None):
    from gradsh.cli.ceiling import cap_process_memory
    limit = os.environ.get("GRADSH_MAX_MEMORY")
    if limit:
        from gradsh.cli.main import UsageError, _set_max_memory
        try:
            _set_max_memory(limit, "GRADSH_MAX_MEMORY")
        except UsageError as e:
            raise SystemExit("gradsh kernel: %s" % e) from None
    cap_process_memory()
    from ipykernel.kernelapp import IPKernelApp

    from .kernel import GradshKernel

    class App(IPKernelApp):
        def start(self):
            """After the main loop ends (a shutdown request stops it), let the control thread
            finish the request it is handling before the exit handlers stop the IOPub thread:
            after a shutdown request it still flushes the output streams and publishes "idle",
            and a send into a stopped IOPub thread's event pipe blocks for ever (the process
            hung at exit, about once in five shutdowns on a loaded machine)."""
            super().start()
            control = getattr(self, "control_thread", None)
            if control is not None and control.is_alive():
                control.stop()
                control.join(CONTROL_JOIN_SECONDS)

    App.launch_instance(argv=argv, kernel_class=GradshKernel)
