"""gradsh.install_as_torch() and `gradsh --python`: one copy of the core under every torch name;
a second copy refused. Each case runs in a fresh interpreter (sys.modules is process-wide)."""

import subprocess
import sys
import textwrap


def run(code, *args):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=60)


def test_every_torch_submodule_is_the_one_gradsh_module():
    r = run("""
        import gradsh
        gradsh.install_as_torch()
        import torch, torch.nn, torch.nn.functional as F, torch.optim, torch.autograd
        import torch.autograd.functional, torch.linalg, torch.nn.init, torch.func
        import torch.autograd.forward_ad as fwAD
        from torch.autograd.variable import Variable
        from torch.optim.lr_scheduler import StepLR
        from torch.autograd import grad
        from torch import nn, optim
        import gradsh.core.tensor as core_tensor
        assert torch is gradsh and torch.Tensor is core_tensor.Tensor
        assert F is gradsh.nn.functional and optim is gradsh.optim
        assert torch.func is gradsh.func and fwAD is gradsh.autograd.forward_ad
        assert repr(torch.Tensor) == "<class 'torch.Tensor'>"
        x = torch.ones(2, requires_grad=True)
        y = F.relu(x * 2).sum()
        print(y.requires_grad, grad(y, x)[0], type(nn.Linear(2, 1).weight) is torch.Tensor)
        print(sorted(k for k in __import__("sys").modules if k.startswith("torch.core")))
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "True tensor([2., 2.]) False\n[]\n"  # a weight is an nn.Parameter


def test_registering_only_torch_and_importing_a_submodule_is_refused_clearly():
    r = run("""
        import sys, gradsh
        sys.modules["torch"] = gradsh
        import torch.nn.functional
    """)
    assert r.returncode == 1
    assert "ImportError: gradsh's core is being imported a second time, as 'torch.core'" \
        in r.stderr
    assert "gradsh.install_as_torch()" in r.stderr


def test_install_refuses_when_another_torch_is_loaded():
    r = run("""
        import sys, types, gradsh
        sys.modules["torch"] = types.ModuleType("torch")
        try:
            gradsh.install_as_torch()
        except RuntimeError as e:
            print(str(e).split(";")[0])
    """)
    assert r.stdout.startswith("gradsh.install_as_torch(): a module named 'torch' is already "
                               "imported")


def test_gradsh_python_runs_a_program_with_its_arguments(tmp_path):
    prog = tmp_path / "prog.py"
    prog.write_text("import sys\nimport torch\nfrom torch import nn\n"
                    "torch.manual_seed(0)\nprint(sys.argv[1:], nn.Linear(3, 1).weight)\n"
                    "sys.exit(3)\n")
    r = subprocess.run([sys.executable, "-m", "gradsh", "--python", str(prog), "a", "-b"],
                       capture_output=True, text=True, timeout=60)
    # the weights PyTorch 2.13 prints for nn.Linear(3, 1) after manual_seed(0)
    assert r.stdout == ("['a', '-b'] Parameter containing:\n"
                        "tensor([[-0.0043,  0.3097, -0.4752]], requires_grad=True)\n")
    assert r.returncode == 3


def test_gradsh_python_error_prints_the_programs_traceback(tmp_path):
    prog = tmp_path / "bad.py"
    prog.write_text("import torch\n\ndef f():\n    return torch.ones(2) @ torch.ones(3)\n\nf()\n")
    r = subprocess.run([sys.executable, "-m", "gradsh", "--python", str(prog)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith("Traceback (most recent call last):\n  File \"" + str(prog))
    assert "runpy" not in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("RuntimeError: ")


def test_gradsh_python_without_a_file_is_a_usage_error():
    r = subprocess.run([sys.executable, "-m", "gradsh", "--python"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2
    assert "--python needs a program file" in r.stderr
