"""The tensor-size limit: every way to ask for a tensor above it is refused before the memory is
allocated (numpy reports its allocations to tracemalloc, so the peak during the refused call
shows that nothing big was allocated), naming the shape and the limit; just below it works."""

import tracemalloc

import pytest

import gradsh as torch
from gradsh.core import memory
from gradsh.core.memory import TensorTooLarge, parse_memory

F = torch.nn.functional
LIMIT = 1 << 20  # 1 MiB keeps every refused request cheap to build


@pytest.fixture(autouse=True)
def small_limit():
    memory.set_max_memory(LIMIT)
    yield
    memory.set_max_memory(None)


def _idx():
    return torch.arange(1000) % 10


# (id, inputs made before the call, the call, the refused shape)
REFUSED = [
    ("broadcast-add", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, b: a + b, "[2000, 2000]"),
    ("broadcast-mul", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, b: a * b, "[2000, 2000]"),
    ("broadcast-sub-float64", lambda: (torch.ones(600, 1, dtype=torch.float64),
                                       torch.ones(600, dtype=torch.float64)),
     lambda a, b: a - b, "[600, 600]"),
    ("broadcast-compare", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, b: a < b, "[2000, 2000]"),
    ("broadcast-maximum", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, b: torch.maximum(a, b), "[2000, 2000]"),
    ("where", lambda: (torch.ones(2000, 1) > 0, torch.ones(1, 2000)),
     lambda c, b: torch.where(c, b, 0.0), "[2000, 2000]"),
    ("lerp-tensor-weight", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, w: torch.lerp(a, a, w), "[2000, 2000]"),
    ("outer", lambda: (torch.ones(2000), torch.ones(2000)),
     lambda a, b: torch.outer(a, b), "[2000, 2000]"),
    ("mm", lambda: (torch.ones(2000, 1), torch.ones(1, 2000)),
     lambda a, b: a @ b, "[2000, 2000]"),
    ("bmm", lambda: (torch.ones(10, 200, 1), torch.ones(10, 1, 200)),
     lambda a, b: torch.bmm(a, b), "[10, 200, 200]"),
    ("batched-matmul", lambda: (torch.ones(2000, 1, 1), torch.ones(1, 1, 2000)),
     lambda a, b: a @ b, "[2000, 1, 2000]"),
    ("linear", lambda: (torch.ones(2000, 1), torch.ones(2000, 1)),
     lambda x, w: F.linear(x, w), "[2000, 2000]"),
    ("einsum", lambda: (torch.ones(2000), torch.ones(2000)),
     lambda a, b: torch.einsum("i,j->ij", a, b), "[2000, 2000]"),
    ("einsum-diagonal", lambda: (torch.ones(2, 2), torch.ones(500, 500)),
     lambda a, b: torch.einsum("ii,jk->ijk", a, b), "[2, 500, 500]"),
    ("repeat", lambda: (torch.ones(1000),), lambda a: a.repeat(1000), "[1000000]"),
    ("repeat-2d", lambda: (torch.ones(2, 2),), lambda a: a.repeat(3, 500, 200),
     "[3, 1000, 400]"),
    ("repeat_interleave", lambda: (torch.ones(1000),),
     lambda a: torch.repeat_interleave(a, 1000), "[1000000]"),
    ("cat", lambda: (torch.ones(100000),), lambda a: torch.cat([a] * 10), "[1000000]"),
    ("stack", lambda: (torch.ones(100000),), lambda a: torch.stack([a] * 10), "[10, 100000]"),
    ("diag", lambda: (torch.ones(2000),), lambda a: torch.diag(a), "[2000, 2000]"),
    ("one_hot", lambda: (torch.tensor([10 ** 9]),), lambda t: F.one_hot(t), "[1, 1000000001]"),
    ("index_select", lambda: (torch.ones(1, 1000), torch.zeros(1000, dtype=torch.int64)),
     lambda x, i: x.index_select(0, i), "[1000, 1000]"),
    ("index-tensors-broadcast", lambda: (torch.ones(10, 10), _idx()),
     lambda x, i: x[i[:, None], i], "[1000, 1000]"),
    ("expand", lambda: (torch.ones(1),), lambda a: a.expand(1000, 1000), "[1000, 1000]"),
    ("expand-then-copy", lambda: (torch.ones(1, 1),),
     lambda a: a.expand(1000, 1000).contiguous(), "[1000, 1000]"),
    ("broadcast_to", lambda: (torch.ones(1),), lambda a: torch.broadcast_to(a, (1000, 1000)),
     "[1000, 1000]"),
    ("normal-broadcast", lambda: (torch.zeros(1000, 1), torch.ones(1, 1000)),
     lambda m, s: torch.normal(m, s), "[1000, 1000]"),
    # factories
    ("zeros", lambda: (), lambda: torch.zeros(1000, 1000), "[1000, 1000]"),
    ("ones", lambda: (), lambda: torch.ones((1000, 1000)), "[1000, 1000]"),
    ("empty", lambda: (), lambda: torch.empty(1000, 1000), "[1000, 1000]"),
    ("full", lambda: (), lambda: torch.full((1000, 1000), 2.0), "[1000, 1000]"),
    ("new_zeros", lambda: (torch.ones(2),), lambda a: a.new_zeros(1000, 1000), "[1000, 1000]"),
    ("rand", lambda: (), lambda: torch.rand(1000, 1000), "[1000, 1000]"),
    ("randn", lambda: (), lambda: torch.randn(1000, 1000), "[1000, 1000]"),
    ("randint", lambda: (), lambda: torch.randint(0, 9, (1000, 1000)), "[1000, 1000]"),
    ("randperm", lambda: (), lambda: torch.randperm(10 ** 6), "[1000000]"),
    ("arange", lambda: (), lambda: torch.arange(10 ** 6), "[1000000]"),
    ("linspace", lambda: (), lambda: torch.linspace(0, 1, 10 ** 6), "[1000000]"),
    ("eye", lambda: (), lambda: torch.eye(1000), "[1000, 1000]"),
    ("tensor-from-list", lambda: ([0.5] * 300000,), lambda v: torch.tensor(v), "[300000]"),
    ("huge-shape", lambda: (), lambda: torch.zeros(2 ** 40, 4), "[1099511627776, 4]"),
]


@pytest.mark.parametrize("make, call, shape", [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_request_above_the_limit_is_refused_before_allocating(make, call, shape):
    inputs = make()
    tracemalloc.start()
    try:
        with pytest.raises(TensorTooLarge) as info:
            call(*inputs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert shape in message
    assert "above gradsh's memory limit of 1.0 MiB" in message
    assert "--max-memory" in message and "GRADSH_MAX_MEMORY" in message
    assert peak < LIMIT // 2, "%d bytes were allocated before the refusal" % peak


@pytest.mark.parametrize("call, each", [
    (lambda: torch.ones(512, 1) + torch.ones(1, 512), 2),  # 512 * 512 float32: exactly 1 MiB
    (lambda: torch.ones(512, 1) @ torch.ones(1, 512), 1),
    (lambda: torch.ones(1).expand(512, 512).contiguous(), 1),
    (lambda: torch.zeros(512, 512), 0),
    (lambda: torch.ones(256).repeat(1024), 1),
    (lambda: torch.cat([torch.ones(65536)] * 4), 1),
], ids=["broadcast", "mm", "expand", "zeros", "repeat", "cat"])
def test_request_at_the_limit_is_allowed(call, each):
    out = call()
    assert out.numel() * out.element_size() == LIMIT
    assert out.sum().item() == each * LIMIT // 4


def test_ops_that_do_not_grow_are_not_checked_and_still_work():
    x = torch.ones(512, 512, requires_grad=True)  # at the limit
    y = (x * 2 + 1).exp().sum(0)
    y.sum().backward()
    assert x.grad.shape == (512, 512)


@pytest.mark.parametrize("call, kind, fragment", [
    (lambda: torch.ones(-1), RuntimeError, "negative dimension -1"),
    (lambda: torch.zeros(3, -2), RuntimeError, "must be non-negative"),
    (lambda: torch.ones(2.5), TypeError, "ones(): argument 'size' (position 1) must be tuple of "
     "ints, not float"),
    (lambda: torch.ones("3"), TypeError, "ones(): argument 'size' (position 1) must be tuple of "
     "ints, not str"),
    (lambda: torch.eye(2.5), TypeError, "eye(): argument 'n' (position 1) must be int, not float"),
    (lambda: torch.ones(*[1] * 65), RuntimeError, "at most 64 dimensions, but 65"),
    (lambda: torch.ones(1).expand(-2), RuntimeError, "numel: integer multiplication overflow"),
    (lambda: torch.ones(2).expand(-1, 2), RuntimeError, "isn't allowed in a leading"),
    (lambda: torch.arange(0, 10, 0), RuntimeError, "step must be nonzero"),
    (lambda: torch.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: torch.ones(2, 2).repeat(1, -3), RuntimeError, "negative dimension -6: [2, -6]"),
])
def test_bad_sizes_are_clear_errors(call, kind, fragment):
    with pytest.raises(kind) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize("text, nbytes", [
    ("2G", 2 << 30), ("512M", 512 << 20), ("512m", 512 << 20), ("1.5GiB", 3 << 29),
    ("64MB", 64 << 20), (" 64 M ", 64 << 20), ("1000000", 1000000), ("1K", 1024), ("2T", 2 << 40),
])
def test_memory_sizes_are_parsed(text, nbytes):
    assert parse_memory(text) == nbytes


@pytest.mark.parametrize("text", ["abc", "", "-5", "0", "0.5", "inf", "nan", "1e400", "G", "5X"])
def test_bad_memory_sizes_are_refused(text):
    with pytest.raises(ValueError):
        parse_memory(text)


def test_the_limit_comes_from_the_environment_or_a_quarter_of_memory(monkeypatch):
    monkeypatch.setenv("GRADSH_MAX_MEMORY", "3M")
    memory.set_max_memory(None)
    assert memory.max_bytes() == 3 << 20
    monkeypatch.delenv("GRADSH_MAX_MEMORY")
    memory.set_max_memory(None)
    assert memory.max_bytes() == memory.physical_memory() // 4
    monkeypatch.setenv("GRADSH_MAX_MEMORY", "lots")
    memory.set_max_memory(None)
    with pytest.raises(ValueError) as info:
        torch.ones(1)
    assert "GRADSH_MAX_MEMORY" in str(info.value) and "'lots' is not a size" in str(info.value)


def test_numpy_memory_error_is_described_with_shape_and_limit():
    # above the tensor limit: the limit's own words (an op that had no check of its own);
    # within it (the machine or the process ceiling said no): out of memory
    import numpy as np
    try:
        np.empty((2 ** 20, 2 ** 20, 2 ** 10), np.float32)  # 4 PiB
    except MemoryError as e:
        kind, text = memory.describe_memory_error(e)
    assert kind == "TensorTooLarge" and text.startswith("refusing to allocate a tensor of shape ")
    assert "4.0 PiB" in text and "[1048576, 1048576, 1024]" in text and "1.0 MiB" in text
    within = MemoryError()
    within.shape, within.dtype = (1000,), np.dtype(np.float32)
    text = memory.describe_memory_error(within)
    assert text.startswith("out of memory: cannot allocate 3.9 KiB for a tensor of shape [1000]")
    assert memory.describe_memory_error(MemoryError()) is None


def test_every_tensor_made_above_the_limit_is_refused():
    # the backstop in Tensor._make: an op with no check of its own before computing
    import numpy as np
    data = np.zeros(2 ** 19, np.float32)  # 2 MiB, above the 1 MiB limit of these tests
    with pytest.raises(memory.TensorTooLarge, match=r"shape \[524288\] \(2.0 MiB\)"):
        torch.Tensor._make(data)
    torch.Tensor._make(np.zeros(2 ** 17, np.float32))  # 512 KiB: made

