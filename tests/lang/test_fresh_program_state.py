"""A program's process-wide switches do not outlive it: the next program in the same process
(the tests' in-process runs, the shell's :reset, a notebook's :reset) starts as a fresh process
would. Each case changes one switch, then a second program checks it is back to its default."""

import io

import pytest

from gradsh.lang import GradshError, Session

from .helpers import run_program

CASES = {
    # --- hostile20 ---
    "dual level left open": ("import torch.autograd.forward_ad as fwAD\nfwAD.enter_dual_level()\n",
                             "import torch.autograd.forward_ad as fwAD\ntry:\n"
                             "    fwAD.exit_dual_level()\nexcept RuntimeError as e:\n    print(e)\n",
                             "Dual level must be a positive number.\n"),
    "default device": ("torch.set_default_device('meta')\n",
                       "print(torch.ones(2))\n", "tensor([1., 1.])\n"),
    "grad mode": ("torch.set_grad_enabled(False)\n",
                  "print(torch.is_grad_enabled())\n", "True\n"),
    "anomaly mode": ("torch.autograd.set_detect_anomaly(True)\n",
                     "print(torch.is_anomaly_enabled())\n", "False\n"),
    "default dtype": ("torch.set_default_dtype(torch.float64)\n",
                      "print(torch.ones(1).dtype)\n", "torch.float32\n"),
    "distributions' checks": (
        "torch.distributions.Distribution.set_default_validate_args(False)\n",
        "try:\n    torch.distributions.Normal(0.0, -1.0)\nexcept ValueError:\n"
        "    print('checked')\n", "checked\n"),
    "constraint registries": (
        "from torch.distributions import biject_to, constraints, transforms\n"
        "biject_to.register(constraints.positive, lambda c: transforms.SoftplusTransform())\n",
        "from torch.distributions import biject_to, constraints\n"
        "print(biject_to(constraints.positive).parts)\n",
        "[ExpTransform(), AffineTransform()]\n"),
    "global module hook": (
        "import torch.nn as nn\n"
        "nn.modules.module.register_module_forward_hook(lambda m, a, o: o * 0)\n",
        "import torch.nn as nn\nm = nn.Identity()\nprint(m(torch.ones(2)))\n",
        "tensor([1., 1.])\n"),
    "print options": ("torch.set_printoptions(precision=2, linewidth=20, sci_mode=True)\n",
                      "print(torch.tensor([0.5, 1.0, 2.0, 3.0]))\n",
                      "tensor([0.5000, 1.0000, 2.0000, 3.0000])\n"),
    "register_kl": (  # (KL(N(0, 1) || N(1, 1)) = 1/2)
        "from torch.distributions import Normal, register_kl\n"
        "@register_kl(Normal, Normal)\ndef mine(p, q):\n    return torch.tensor(123.0)\n",
        "from torch.distributions import Normal, kl_divergence\n"
        "print(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0)))\n", "tensor(0.5000)\n"),
    "once-a-process warnings": (  # (what PyTorch 2.13 gives in a fresh process)
        "x = torch.ones(2, requires_grad=True)\nfloat(x.sum())\n"
        "torch.meshgrid(torch.ones(2), torch.ones(2))\n",
        "import warnings\nx = torch.ones(2, requires_grad=True)\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n    float(x.sum())\n"
        "    torch.meshgrid(torch.ones(2), torch.ones(2))\n"
        "print([str(m.message)[:30] for m in w])\n",
        "['Converting a tensor with requi', 'torch.meshgrid: in an upcoming']\n"),
    "a distribution's argument table": (  # (a class's dict: the change breaks every Normal)
        "d = torch.distributions.Normal(0.0, 1.0)\nd.arg_constraints['x'] = 1\n"
        "del d.arg_constraints['loc']\n",
        "print(sorted(torch.distributions.Normal(0.0, 1.0).arg_constraints))\n",
        "['loc', 'scale']\n"),
    "the shared identity transform": (  # (a module-level ComposeTransform([]): its list)
        "from torch.distributions import transforms\n"
        "transforms.identity_transform.parts.append(transforms.ExpTransform())\n",
        "from torch.distributions import transforms\n"
        "print(transforms.identity_transform(torch.tensor(1.0)))\n", "tensor(1.)\n"),
    "cudnn flags": ("torch.backends.cudnn.benchmark = True\ntorch.backends.cudnn.enabled = False\n",
                    "print(torch.backends.cudnn.benchmark, torch.backends.cudnn.enabled)\n",
                    "False True\n"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_programs_switch_does_not_reach_the_next_program(case):
    change, check, fresh = CASES[case]
    run_program("import torch\n" + change)
    assert run_program("import torch\n" + check) == fresh


def test_an_object_a_program_left_in_the_print_options_does_not_reach_the_next_program():
    """Issue 16 (hostile round 18, run in one process): a program gave one of its objects as
    set_printoptions' precision; the next program's print met it, and its error named the first
    program's class R. Each program starts from PyTorch's default options (a fresh process)."""
    first = Session(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(GradshError) as info:
        first.run("import torch\nclass R:\n    pass\ntorch.set_printoptions(precision=R())\n"
                  "print(torch.tensor([0.5]))\n", "first.grad")
    assert "'R'" in str(info.value)   # the subject of the first program's error
    out = io.StringIO()
    second = Session(stdout=out, stderr=io.StringIO())
    with pytest.raises(GradshError) as info:
        second.run("import torch\nclass I:\n    def __index__(self):\n        return True\n"
                   "print(torch.zeros(I()))\nprint(torch.tensor([0.5]))\n"
                   "print(torch.tensor(I()))\n", "second.grad")
    # PyTorch 2.13 in a fresh process prints the two tensors, then refuses tensor(I()) naming I
    assert out.getvalue() == "tensor([0.])\ntensor([0.5000])\n"
    assert "Could not infer dtype of I" in str(info.value)
    assert "'R'" not in str(info.value)


def _seed_and_draw(source):
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO()).run("import torch\n" + source)
    return out.getvalue()


def test_a_programs_seed_does_not_reach_the_next_program():
    """Issue 16 (round 18's leftover): a second session read the first one's seed and continued
    its stream. A fresh process seeds from the system, so the next program's seed is not the
    one the last program set, nor the stream it left."""
    first = _seed_and_draw("torch.manual_seed(5)\nprint(torch.initial_seed())\n")
    assert first == "5\n"
    seeds = {_seed_and_draw("print(torch.initial_seed())\nx = torch.rand(1)\n") for _ in range(3)}
    assert "5\n" not in seeds and len(seeds) == 3   # each program moved it: each is re-seeded


def test_a_seed_the_host_sets_before_a_program_is_kept():
    """A host that seeds before running a program (the tests' own habit) keeps its stream: only
    a stream the last program moved, and nobody changed since, is re-seeded."""
    import gradsh
    _seed_and_draw("torch.manual_seed(5)\nx = torch.rand(1)\n")
    gradsh.manual_seed(3)
    expected = gradsh.rand(2).tolist()
    gradsh.manual_seed(3)
    assert _seed_and_draw("print(torch.initial_seed(), torch.rand(2).tolist())\n") == \
        "3 %r\n" % (expected,)
    gradsh.manual_seed(3)   # a program that does not touch the generator leaves it alone
    _seed_and_draw("x = 1\n")
    assert gradsh.initial_seed() == 3
