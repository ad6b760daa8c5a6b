"""Starting the kernel process: the REPL's limits, then ipykernel's application."""

import os


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
    IPKernelApp.launch_instance(argv=argv, kernel_class=GradshKernel)
