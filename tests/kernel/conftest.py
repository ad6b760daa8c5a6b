"""The kernel every test module of this directory talks to: one per module, started with a
private JUPYTER_PATH (the gradsh kernelspec only) and stopped after the module's tests."""

import pytest


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    # (imported here: kernel_helpers skips when the jupyter extra is not installed)
    from kernel_helpers import make_jupyter_path, start_kernel, stop_kernel
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", make_jupyter_path(tmp_path_factory.mktemp("jupyter")))
        k = start_kernel()
        try:
            yield k
        finally:
            stop_kernel(k)
