"""torch.save/torch.load in .grad programs: the run's in-memory files, never the host's
(gradsh/program_files.py, docs/security.md)."""

import io
import pathlib
import pickle

import pytest

from gradsh.core import memory
from gradsh.lang import GradshError, Session

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(session, program):
    out = io.StringIO()
    session.stdout = out
    session.run(program, "t.grad")
    return out.getvalue()


def test_a_path_saved_in_a_run_loads_in_the_same_run_and_touches_no_host_file():
    name = "runtime2_never_on_disk.pt"
    s = Session()
    out = run(s, f"x = torch.arange(6.).reshape(2, 3).requires_grad_()\n"
                 f"torch.save({{'x': x, 'n': 3}}, {name!r})\nr = torch.load({name!r})\n"
                 "print(r['x'], r['n'], r['x'].is_leaf)\n")
    assert out == ("tensor([[0., 1., 2.],\n        [3., 4., 5.]], requires_grad=True) 3 True\n")
    assert not (ROOT / name).exists()
    # the REPL keeps its files between inputs, as it keeps variables
    assert run(s, f"print(torch.load({name!r})['n'])\n") == "3\n"


def test_a_path_never_saved_is_pythons_file_not_found_error():
    with pytest.raises(GradshError) as e:
        run(Session(), "torch.load('x.pt')\n")
    assert (e.value.kind, e.value.message) == (
        "FileNotFoundError", "[Errno 2] No such file or directory: 'x.pt'")
    out = run(Session(), "try:\n    torch.load('/etc/passwd')\nexcept OSError as e:\n"
                         "    print(type(e).__name__, e)\n")
    assert out == "FileNotFoundError [Errno 2] No such file or directory: '/etc/passwd'\n"


def test_a_reset_session_forgets_its_files():
    s = Session()
    run(s, "torch.save(1, 'a.pt')\n")
    s.reset()
    with pytest.raises(GradshError, match="No such file or directory: 'a.pt'"):
        run(s, "torch.load('a.pt')\n")


def test_state_dicts_and_a_program_class_round_trip_by_path():
    out = run(Session(), """
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
    def forward(self, x):
        return self.fc(x)
torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
net(torch.ones(3, 2)).sum().backward()
opt.step()
torch.save(net.state_dict(), 'sd.pt')
torch.save(opt.state_dict(), 'opt.pt')
torch.save(net, 'net.pt')
net2 = Net()
print(net2.load_state_dict(torch.load('sd.pt')))
opt2 = torch.optim.SGD(net2.parameters(), lr=0.5)
opt2.load_state_dict(torch.load('opt.pt'))
print(torch.equal(net2.fc.weight, net.fc.weight), opt2.param_groups[0]['lr'])
whole = torch.load('net.pt', weights_only=False)
print(type(whole).__name__, torch.equal(whole(torch.ones(1, 2)), net(torch.ones(1, 2))))
""")
    assert out == "<All keys matched successfully>\nTrue 0.1\nNet True\n"


def test_weights_only_refuses_a_program_class_with_pytorchs_message():
    with pytest.raises(GradshError) as e:
        run(Session(), "class C:\n    pass\ntorch.save(C(), 'c.pt')\ntorch.load('c.pt')\n")
    assert e.value.kind == "UnpicklingError"
    assert "Unsupported global: GLOBAL __main__.C was not an allowed global by default" \
        in e.value.message


def test_crafted_bytes_never_reach_an_unrestricted_unpickler():
    # (the guard holds for any bytes a program's load reads, bytes literals included) a
    # pickle calling os.system behind gradsh's header: refused even with weights_only=False
    # while a program runs
    from gradsh.program_files import MemoryFiles
    from gradsh.serialization import MAGIC, _loads
    head = b"\x80\x04]\x94."  # an empty list of storages
    evil = b"cos\nsystem\n(S'echo pwned'\ntR."
    data = MAGIC + len(head).to_bytes(8, "little") + head + evil
    with pytest.raises(pickle.UnpicklingError,
                       match="gradsh programs can load tensors, containers and gradsh's own "
                             "classes only, not os.system"):
        _loads(data, False, MemoryFiles())


def test_the_files_count_against_the_memory_limit():
    old = memory.limits.max_bytes
    memory.set_max_memory(10_000)
    try:
        s = Session()
        run(s, "torch.save(torch.zeros(1000), 'a.pt')\n")  # about 4 KB
        with pytest.raises(GradshError) as e:
            run(s, "torch.save(torch.zeros(1000), 'b.pt')\ntorch.save(torch.zeros(1000), 'c.pt')\n")
        assert e.value.kind == "MemoryError"
        assert "above gradsh's memory limit" in e.value.message
        with pytest.raises(GradshError, match="above gradsh's memory limit"):
            run(s, "import io\nb = io.BytesIO()\ntorch.save(torch.zeros(1000), b)\n"
                   "for i in range(5):\n    b.write(b.getvalue())\n")
    finally:
        memory.set_max_memory(old)


def test_library_save_outside_a_program_still_needs_a_program_for_program_versions():
    from gradsh.serialization import program_load
    with pytest.raises(RuntimeError, match="cannot read or write the host's files"):
        program_load("x.pt")
