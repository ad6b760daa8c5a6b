"""Adam's flat state (optim/adam.py, FlatState): a group's parameters updated together must give
the bits of the per-parameter loop (PyTorch's single-tensor Adam), before and after the steps
that leave the flat path (a parameter without a gradient, load_state_dict, a replaced state
tensor)."""

import copy

import numpy as np
import pytest

import gradsh
from gradsh.core.optim import adam

OPTIONS = [
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.05)),
    ("Adam", dict(lr=0.01, amsgrad=True, maximize=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


def _run(name, kwargs, dtype, fuse, monkeypatch, steps=12):
    monkeypatch.setattr(adam, "FUSE", fuse)
    rng = np.random.default_rng(1)
    shapes = ((5, 7), (7,), (7, 1), ())
    params = [gradsh.from_numpy(rng.standard_normal(s).astype(dtype)).requires_grad_()
              for s in shapes]
    opt = getattr(gradsh.optim, name)(params, **kwargs)
    for i in range(steps):
        opt.zero_grad()
        for k, p in enumerate(params):
            if i == 4 and k == 1:
                continue  # one step without this parameter's gradient
            v = p.detach().numpy()
            # (np.asarray: a 0-d parameter's arithmetic gives a numpy scalar, which from_numpy
            # refuses as PyTorch's does)
            p.grad = gradsh.from_numpy(np.asarray((np.cos(3 * v) + (k + 1) * v).astype(dtype)))
        if i == 7:
            opt.load_state_dict(copy.deepcopy(opt.state_dict()))
        opt.step()
    state = [{k: np.array(t._data) for k, t in opt.state[p].items()} for p in params]
    return [p.detach().numpy().copy() for p in params], state, opt


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,kwargs", OPTIONS)
def test_flat_state_gives_the_per_parameter_bits(name, kwargs, dtype, monkeypatch):
    fused, fused_state, _ = _run(name, kwargs, dtype, True, monkeypatch)
    single, single_state, _ = _run(name, kwargs, dtype, False, monkeypatch)
    for a, b in zip(fused, single):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    for sa, sb in zip(fused_state, single_state):
        assert sa.keys() == sb.keys()
        for k in sa:
            assert sa[k].shape == sb[k].shape and sa[k].tobytes() == sb[k].tobytes(), k


def test_flat_state_is_used_and_its_tensors_are_the_parameters_state(monkeypatch):
    monkeypatch.setattr(adam, "FUSE", True)
    params = [gradsh.zeros(3, 2).requires_grad_(), gradsh.zeros(2).requires_grad_()]
    opt = gradsh.optim.Adam(params, lr=0.1)
    for _ in range(3):
        for p in params:
            p.grad = gradsh.ones_like(p)
        opt.step()
    flat = opt._flats[id(opt.param_groups[0])]
    assert flat.holds(opt.state, list(opt._with_grads(opt.param_groups[0])))
    st = opt.state[params[0]]
    assert st["exp_avg"].shape == (3, 2) and st["step"].item() == 3.0
    assert str(st["step"]) == "tensor(3.)"
    st["exp_avg_sq"] = st["exp_avg_sq"].clone()  # a replaced state tensor: per parameter after
    assert not flat.holds(opt.state, list(opt._with_grads(opt.param_groups[0])))


def test_parameters_sharing_memory_are_updated_one_by_one(monkeypatch):
    monkeypatch.setattr(adam, "FUSE", True)
    base = gradsh.zeros(4)
    a = base[:2].requires_grad_()
    b = base[2:].requires_grad_()
    opt = gradsh.optim.Adam([a, b], lr=0.1)
    a.grad, b.grad = gradsh.ones(2), gradsh.ones(2)
    opt.step()
    assert not getattr(opt, "_flats", {})
