"""Devices as on a machine without an accelerator: the CPU works, others fail as PyTorch fails."""

import pytest

import gradsh as torch
from gradsh.core.device import NO_CUDA


def observe(torch):
    """What a program sees of devices; compared with PyTorch 2.13 (CPU build) below."""
    seen = [torch.cuda.is_available(), torch.cuda.device_count(), torch.cuda.is_initialized(),
            torch.accelerator.is_available(), torch.accelerator.device_count(),
            torch.accelerator.current_accelerator(), torch.backends.mps.is_available(),
            torch.backends.mps.is_built(), torch.backends.cuda.is_built(),
            torch.backends.cudnn.is_available()]
    d = torch.device("cpu")
    seen += [repr(d), str(d), d.type, d.index, repr(torch.device("cpu", 0)),
             str(torch.device("cuda:1")), torch.device("cpu:0").index, torch.device(d) == d,
             d == "cpu", d == torch.device("cpu:0"), hash(d) == hash(torch.device("cpu"))]
    t = torch.ones(2)
    seen += [repr(t.device), t.to("cpu") is t, t.to(d) is t, t.cpu() is t, t.is_cuda, t.is_cpu,
             t.get_device(), str(t.to(d, torch.float64).dtype),
             str(t.to("cpu", dtype=torch.float64).dtype), repr(t.to("cpu:0").device),
             repr(torch.zeros(2, device="cpu")), repr(torch.tensor([1.], device=d)),
             repr(torch.get_default_device())]
    attempts = [lambda: torch.device("cuda"), lambda: torch.ones(2, device="cuda"),
                lambda: t.to("cuda"), lambda: t.cuda(), lambda: t.cuda(0), lambda: t.to(0),
                lambda: torch.device("gpu"), lambda: torch.device("CPU"),
                lambda: torch.device("cpu:x"), lambda: torch.device("cuda", -1),
                lambda: torch.cuda.current_device(), lambda: t.to("mps"),
                lambda: torch.randn(2, device=torch.device("cuda")), lambda: torch.device(1),
                lambda: torch.ones(2, device="xpu"), lambda: torch.zeros(2).to(device="cuda"),
                lambda: torch.arange(3, device="cuda")]
    for attempt in attempts:
        try:
            seen.append(repr(attempt()))
        except (AssertionError, RuntimeError) as e:
            seen.append((type(e).__name__, str(e)))
    torch.set_default_device("cuda")
    try:
        torch.ones(1)
    except AssertionError as e:
        seen.append(str(e))
    finally:
        torch.set_default_device(None)
    seen.append(repr(torch.ones(1)))
    return seen


def test_devices_match_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert observe(torch) == observe(real)


def test_cuda_is_refused_with_pytorchs_assertion():
    with pytest.raises(AssertionError, match=f"^{NO_CUDA}$"):
        torch.ones(2).to("cuda")
    assert NO_CUDA == "Torch not compiled with CUDA enabled"   # as PyTorch 2.13's CPU build
    assert torch.ones(2, device="cpu").to(torch.device("cpu")).tolist() == [1.0, 1.0]


DEVICE_MODULES = ("cpu", "mps", "xpu", "mtia")


def _call_every_function(torch, module):
    """Each public function of torch.<module> that gradsh offers, called as a program without the
    device would call it: (name, its result or its exception's class and message)."""
    import gradsh
    seen = []
    for name in getattr(gradsh, module).__all__:
        f = getattr(getattr(torch, module), name)
        if not callable(f) or name in ("amp",):
            continue
        args = (0,) if name in ("manual_seed", "manual_seed_all", "set_device") else ()
        try:
            seen.append((name, repr(f(*args))))
        except Exception as e:
            seen.append((name, type(e).__name__, str(e)))
    return seen


@pytest.mark.parametrize("module", DEVICE_MODULES)
def test_device_modules_answer_as_pytorch_on_a_machine_without_the_device(module):
    """torch.cpu, torch.mps, torch.xpu and torch.mtia: every function gradsh offers returns
    what PyTorch's CPU build returns, or raises its exception with its message."""
    real = pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert _call_every_function(torch, module) == _call_every_function(real, module)


def test_mtia_device_is_refused_as_pytorch_refuses_it():
    real = pytest.importorskip("torch", reason="PyTorch is the oracle")
    for lib in (torch, real):
        with pytest.raises(AssertionError) as caught:
            lib.ones(2, device="mtia")
        if lib is real:
            assert str(caught.value) == seen
        seen = str(caught.value)
