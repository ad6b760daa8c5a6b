"""Warnings PyTorch raises from its C++ code end with "(Triggered internally at <its source file
and line>)", and several are given once per process (TORCH_WARN_ONCE). gradsh's give the same
text, category and count: each library runs the same calls in a fresh process, compared here."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = r'''
import json, sys, warnings
torch = __import__(sys.argv[1])
t = torch.ones(2, 2)
cases = {
    "nuclear_norm": lambda: torch.nuclear_norm(t),
    "frobenius_norm": lambda: torch.frobenius_norm(t, (0, 1)),
    "cross without dim": lambda: torch.cross(torch.ones(3, 3), torch.ones(3, 3)),
    "T of 3-d": lambda: torch.ones(2, 2, 2).T,
    "index_reduce": lambda: torch.ones(3).index_reduce(0, torch.tensor([0]), torch.tensor([2.0]),
                                                       "prod"),
    "float of a non-leaf": lambda: float(torch.ones(1, requires_grad=True) * 2),
    "float again (once)": lambda: float(torch.ones((), requires_grad=True)),
    "complex to real": lambda: torch.ones(2, dtype=torch.cfloat).float(),
    "out resized": lambda: torch.add(torch.ones(2), 1, out=torch.ones(3)),
    "non-leaf .grad": lambda: (torch.ones(1, requires_grad=True) * 2).grad,
    "meshgrid": lambda: torch.meshgrid(torch.ones(2), torch.ones(2)),
    "meshgrid again (once)": lambda: torch.meshgrid(torch.ones(3), torch.ones(2)),
    "padding same": lambda: torch.nn.functional.conv1d(torch.ones(1, 1, 4), torch.ones(1, 1, 2),
                                                       padding="same", dilation=1),
}
seen = {}
for name, call in cases.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    seen[name] = [[w.category.__name__, str(w.message)] for w in caught]
print(json.dumps(seen))
'''


def _warnings_of(module):
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-c", SCRIPT, module], capture_output=True,
                          text=True, env=env, check=True)
    return json.loads(done.stdout)


def test_cpp_warnings_have_pytorchs_text_category_and_count():
    pytest.importorskip("torch", reason="PyTorch is the oracle for its warnings")
    ours, theirs = _warnings_of("gradsh"), _warnings_of("torch")
    assert ours == theirs
