"""Legacy and documented names: Variable, storage_offset, result_type, promote_types,
torch.Generator, multinomial, exponential_ (bit for bit against PyTorch where it is random)."""

import numpy as np
import pytest

import gradsh
from gradsh.autograd import Variable

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


def test_variable_is_a_tensor_on_the_same_storage():
    t = gradsh.ones(2)
    v = Variable(t, requires_grad=True)
    assert v is not t and v.requires_grad and not t.requires_grad
    assert isinstance(t, Variable) and not isinstance(2, Variable)
    v.data[0] = 5.0
    assert t.tolist() == [5.0, 1.0]
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
        Variable([1, 2])
    assert repr(Variable) == "<class 'torch.autograd.variable.Variable'>"


def test_storage_offset_matches_pytorch(torch):
    def cases(t):
        x = t.arange(24.).view(2, 3, 4)
        return [x, x[1], x[1:, 2:], x.transpose(0, 2)[3], x[:, 1], x.view(-1)[5:], x[..., 2],
                x.narrow(2, 1, 2), x.select(1, 2), x.unbind(0)[1], x.split(2, 2)[1],
                x.diagonal(0, 1, 2), x[1].t().unsqueeze(0), x + 1, x.exp(), x.sum(0), x.clone(),
                x[:, [0, 2]], x.detach()[1], x.flatten()[7:], x.chunk(3, 1)[2], x.expand(2, 2, 3, 4)[1]]
    assert [c.storage_offset() for c in cases(gradsh)] == \
        [c.storage_offset() for c in cases(torch)]


def test_promote_types_every_pair_matches_pytorch(torch):
    for a in DTYPES:
        for b in DTYPES:
            got = gradsh.promote_types(getattr(gradsh, a), getattr(gradsh, b))
            want = torch.promote_types(getattr(torch, a), getattr(torch, b))
            assert str(got) == str(want), (a, b)


def test_result_type_matches_pytorch(torch):
    def operands(t):
        return [t.ones(2), t.ones(2, dtype=t.int64), t.tensor(1, dtype=t.int32),
                t.ones(2, dtype=t.int8), t.tensor(2.0, dtype=t.float64), t.ones(2, dtype=t.bool),
                t.ones(3, dtype=t.uint8), 1, 2.5, True]
    for i, (x, y) in enumerate(zip(operands(gradsh), operands(torch))):
        for j, (u, w) in enumerate(zip(operands(gradsh), operands(torch))):
            if isinstance(y, torch.Tensor) or isinstance(w, torch.Tensor):
                assert str(gradsh.result_type(x, u)) == str(torch.result_type(y, w)), (i, j)


def draws(t, g):
    """Every random function given generator=g, with a call on the default stream between."""
    out = [t.rand(3, generator=g), t.randn(20, generator=g), t.randint(0, 10, (4,), generator=g),
           t.randperm(6, generator=g), t.normal(0.0, 2.0, (17,), generator=g),
           t.ones(5).uniform_(-1, 1, generator=g), t.ones(4).normal_(generator=g)]
    t.rand(2)   # the default generator is a different stream
    out += [t.bernoulli(t.full((6,), 0.3), generator=g),
            t.ones(7, dtype=t.float64).exponential_(2.0, generator=g),
            t.multinomial(t.tensor([0.1, 0.2, 0.7]), 2, generator=g),
            t.multinomial(t.tensor([[0.1, 0.2, 0.7], [1.0, 0.0, 3.0]]), 5, True, generator=g),
            t.randn(3, dtype=t.float64, generator=g)]
    return [o.numpy() for o in out] + [g.initial_seed(), g.get_state().numpy()]


def test_generator_objects_match_pytorch(torch):
    for seed in (0, 7, 2**40 + 3):
        torch.manual_seed(1)
        gradsh.manual_seed(1)
        want = draws(torch, torch.Generator().manual_seed(seed))
        got = draws(gradsh, gradsh.Generator().manual_seed(seed))
        for w, o in zip(want, got):
            assert np.array_equal(w, o) and np.asarray(w).dtype == np.asarray(o).dtype
        assert np.array_equal(gradsh.get_rng_state().numpy(), torch.get_rng_state().numpy())
    g = gradsh.Generator()
    assert g.initial_seed() == torch.Generator().initial_seed() and str(g.device) == "cpu"
    assert repr(g).startswith("<torch._C.Generator object at 0x")


def test_generator_state_round_trip():
    g = gradsh.Generator().manual_seed(5)
    state = g.get_state()
    a = gradsh.randn(30, generator=g)
    assert g.set_state(state) is g
    assert gradsh.equal(a, gradsh.randn(30, generator=g))


@pytest.mark.parametrize("replacement", [False, True])
def test_multinomial_sweep_matches_pytorch(torch, replacement):
    rng = np.random.default_rng(0)
    for trial in range(40):
        k = int(rng.integers(2, 300))
        shape = (k,) if trial % 3 else (int(rng.integers(1, 4)), k)
        dt = [np.float32, np.float64][trial % 2]
        p = (rng.random(shape) ** 3).astype(dt)
        if trial % 4 == 0:
            p[..., 0] = 0
        if trial % 5 == 0:
            p = np.round(p * 2).astype(dt) + 1          # ties
        n = int(rng.integers(1, min(k, 40)))
        torch.manual_seed(trial)
        gradsh.manual_seed(trial)
        want = torch.multinomial(torch.from_numpy(p), n, replacement=replacement).numpy()
        got = gradsh.multinomial(gradsh.tensor(p), n, replacement=replacement).numpy()
        assert np.array_equal(want, got), (trial, shape, dt, n)
        assert np.array_equal(gradsh.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_multinomial_errors_match_pytorch(torch):
    bad = [([0.5, -0.1], 1, False), ([0.0, 0.0], 1, False), ([0.2, 0.8], 3, False),
           ([float("inf"), 1.0], 2, True), ([0.0, 0.0], 2, True), ([0.5, -1.0], 2, True),
           ([0.5, 0.5], 0, True)]
    for p, n, rep in bad:
        with pytest.raises(RuntimeError) as theirs:
            torch.multinomial(torch.tensor(p), n, rep)
        with pytest.raises(RuntimeError) as ours:
            gradsh.multinomial(gradsh.tensor(p), n, rep)
        assert str(ours.value) == str(theirs.value)


def test_exponential_matches_pytorch(torch):
    for dt in ("float32", "float64"):
        for lambd in (1.0, 0.25, 3.0):
            torch.manual_seed(4)
            gradsh.manual_seed(4)
            want = torch.empty(1000, dtype=getattr(torch, dt)).exponential_(lambd).numpy()
            got = gradsh.empty(1000, dtype=getattr(gradsh, dt)).exponential_(lambd).numpy()
            assert want.tobytes() == got.tobytes()
