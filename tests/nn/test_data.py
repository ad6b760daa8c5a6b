"""torch.utils.data (gradsh/utils/data.py) against PyTorch: batches, shuffle order, drop_last,
custom datasets, collation, random_split and the errors PyTorch gives."""

import warnings

import pytest

import gradsh
from gradsh.utils import data as gdata

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for torch.utils.data")
tdata = pytest.importorskip("torch.utils.data")

BOTH = [(gradsh, gdata), (torch, tdata)]


def _plain(value):
    """Batches as comparable Python values: (dtype name, shape, values) for tensors."""
    if isinstance(value, (gradsh.Tensor, torch.Tensor)):
        return (str(value.dtype), tuple(value.shape), value.tolist())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_plain(v) for v in value])
    return value


def _same(program):
    """program(torch module, data module) gives the same values with gradsh and with PyTorch."""
    ours, theirs = (_plain(program(T, D)) for T, D in BOTH)
    assert ours == theirs
    return ours


def _tensor_dataset(T, D):
    return D.TensorDataset(T.arange(14.0).reshape(7, 2), T.arange(7))


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 7, 9])
def test_batches_in_order(batch_size, drop_last):
    def program(T, D):
        loader = D.DataLoader(_tensor_dataset(T, D), batch_size=batch_size, drop_last=drop_last)
        return [len(loader), list(loader)]
    _same(program)


@pytest.mark.parametrize("seed", [0, 1, 1234])
def test_shuffle_order_follows_manual_seed(seed):
    def program(T, D):
        T.manual_seed(seed)
        loader = D.DataLoader(_tensor_dataset(T, D), batch_size=2, shuffle=True)
        epochs = [[yb for _, yb in loader] for _ in range(3)]
        return [epochs, T.rand(2)]  # the default generator moved as PyTorch's does
    _same(program)


def test_every_iteration_draws_a_base_seed_like_pytorch():
    def program(T, D):
        T.manual_seed(5)
        for _ in D.DataLoader(list(range(4)), batch_size=2):
            pass
        return T.rand(3)
    _same(program)


def test_shuffle_with_a_generator_and_random_sampler_options():
    def program(T, D):
        g = T.Generator().manual_seed(7)
        loader = D.DataLoader(list(range(10)), batch_size=4, shuffle=True, generator=g)
        drawn = list(D.RandomSampler(range(5), replacement=True, num_samples=40,
                                     generator=T.Generator().manual_seed(3)))
        more = list(D.RandomSampler(range(4), num_samples=10,
                                    generator=T.Generator().manual_seed(2)))
        return [list(loader), list(loader), drawn, more]
    _same(program)


def test_custom_dataset_and_collation_of_tuples_dicts_numbers():
    def program(T, D):
        class Squares(D.Dataset):
            def __len__(self):
                return 5

            def __getitem__(self, i):
                return {"x": T.tensor([float(i), 1.0]), "y": i * i, "w": i / 2,
                        "pair": (i, T.tensor(i)), "name": f"s{i}", "flag": i % 2 == 0}
        return list(D.DataLoader(Squares(), batch_size=2))
    _same(program)


def test_default_collate_and_len_of_datasets():
    def program(T, D):
        ds = _tensor_dataset(T, D)
        return [len(ds), ds[3], D.default_collate([(1, 2.0), (3, 4.0)]),
                D.default_collate([[1, 2], [3, 4]]), len(ds + ds), (ds + ds)[9]]
    _same(program)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.3, 0.4], [0.5, 0.5], [0.25, 0.75]])
def test_random_split(lengths):
    def program(T, D):
        T.manual_seed(3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = D.random_split(range(10), lengths)
            seeded = D.random_split(range(10), lengths, generator=T.Generator().manual_seed(42))
        return [[list(p) for p in parts], [list(p) for p in seeded], T.rand(1)]
    _same(program)


def test_subset_with_a_shuffling_loader():
    def program(T, D):
        T.manual_seed(11)
        train, test = D.random_split(_tensor_dataset(T, D), [5, 2])
        return [list(D.DataLoader(train, batch_size=2, shuffle=True)), test[1], len(train)]
    _same(program)


ERRORS = [
    ("batch_size=0", lambda D: D.DataLoader([1, 2], batch_size=0)),
    ("batch_size=-1", lambda D: D.DataLoader([1, 2], batch_size=-1)),
    ("drop_last", lambda D: D.DataLoader([1, 2], drop_last=1)),
    ("num_workers<0", lambda D: D.DataLoader([1, 2], num_workers=-1)),
    ("timeout<0", lambda D: D.DataLoader([1, 2], timeout=-1, shuffle=True, sampler=[0])),
    ("prefetch without workers", lambda D: D.DataLoader([1, 2], prefetch_factor=2)),
    ("prefetch<0", lambda D: D.DataLoader([1, 2], num_workers=1, prefetch_factor=-1)),
    ("persistent without workers", lambda D: D.DataLoader([1, 2], persistent_workers=True)),
    ("sampler+shuffle", lambda D: D.DataLoader([1, 2], shuffle=True,
                                               sampler=D.SequentialSampler([1, 2]))),
    ("batch_sampler+batch_size", lambda D: D.DataLoader(
        [1, 2], batch_size=2, batch_sampler=D.BatchSampler(range(2), 1, False))),
    ("split sum", lambda D: D.random_split(range(10), [3, 3])),
    ("fraction", lambda D: D.random_split(range(10), [1.5, -0.5])),
    ("num_samples", lambda D: D.RandomSampler(range(3), num_samples=0)),
]


@pytest.mark.parametrize("name,make", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_are_pytorchs(name, make):
    caught = []
    for _, D in BOTH:
        with pytest.raises(Exception) as info:
            make(D)
        caught.append((type(info.value), str(info.value)))
    assert caught[0] == caught[1]


def test_tensor_dataset_size_mismatch():
    for T, D in BOTH:
        with pytest.raises(AssertionError, match="Size mismatch between tensors"):
            D.TensorDataset(T.zeros(3), T.zeros(2))


def test_workers_give_the_batches_pytorchs_workers_give():
    # (the 60 minute blitz's classifier loads CIFAR-10 with num_workers=2; gradsh loads in the
    # calling process, batches and order as PyTorch's worker processes deliver them)
    def program(T, D):
        T.manual_seed(3)
        ds = _tensor_dataset(T, D)
        return [list(D.DataLoader(ds, batch_size=2, shuffle=True, num_workers=2)),
                list(D.DataLoader(ds, batch_size=3, num_workers=1, persistent_workers=True,
                                  prefetch_factor=4)), T.rand(2)]
    _same(program)


@pytest.mark.parametrize("batch", [
    [(1, "a"), (2, "b")], [["x", 1.5], ["y", 2.5]], [{"k": ("s", 1)}, {"k": ("t", 2)}],
    [(1, (2, "p")), (3, (4, "q"))], [("a", "b"), ("c", "d")], ["only", "strings"]])
def test_strings_collated_inside_sequences_stay_tuples(batch):
    _same(lambda T, D: D.default_collate(batch))


@pytest.mark.parametrize("sample", [(1, 2), [1, (2, 3)], {"a": (1, "x")}, 3, "s",
                                    ((4.5, "t"), [5])])
def test_a_loader_without_batches_yields_sequences_as_lists(sample):
    """batch_size=None: PyTorch's default_convert turns tuples, however deep, into lists."""
    _same(lambda T, D: list(D.DataLoader([sample, sample], batch_size=None)))


def _stream(D, n):
    class Count(D.IterableDataset):
        def __iter__(self):
            return iter(range(n))
    return Count()


@pytest.mark.parametrize("batch_size", [None, 1, 3, 7, 8])
@pytest.mark.parametrize("drop_last", [False, True])
def test_iterable_dataset_batches_its_stream_in_order(batch_size, drop_last):
    if batch_size is None and drop_last:
        return
    ours = _same(lambda T, D: [
        len(D.DataLoader(_sized_stream(D, 7), batch_size=batch_size, drop_last=drop_last)),
        list(D.DataLoader(_stream(D, 7), batch_size=batch_size, drop_last=drop_last))])
    assert ours[1][0] == len(ours[1][1][1])


def _sized_stream(D, n):
    class Sized(D.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self):
            return n
    return Sized()


def test_chain_and_stack_datasets():
    _same(lambda T, D: [list(D.ChainDataset([_stream(D, 2), _stream(D, 3)])),
                        list(_stream(D, 2) + _stream(D, 1)),
                        len(D.ChainDataset([_sized_stream(D, 2), _sized_stream(D, 3)])),
                        D.StackDataset(D.TensorDataset(T.arange(2)), [5, 6])[1],
                        list(D.DataLoader(D.StackDataset(x=[1, 2], y=["a", "b"]), batch_size=2))])


@pytest.mark.parametrize("make", [
    lambda D: D.DataLoader(_stream(D, 3), shuffle=True),
    lambda D: D.DataLoader(_stream(D, 3), sampler=[0]),
    lambda D: D.DataLoader(_stream(D, 3), batch_sampler=[[0]]),
    lambda D: D.DataLoader([1, 2], batch_size=None, drop_last=True),
    lambda D: len(D.DataLoader(_stream(D, 3))),
    lambda D: D.StackDataset(),
    lambda D: len(D.ChainDataset([[1, 2]])),
    lambda D: list(D.ChainDataset([_stream(D, 1), [1, 2]])),
    lambda D: D.StackDataset([1], b=[2]),
    lambda D: D.StackDataset([1], [1, 2]),
    lambda D: D.WeightedRandomSampler([[1.0]], 2),
    lambda D: D.WeightedRandomSampler([1.0, 2.0], 0),
    lambda D: D.WeightedRandomSampler([1.0, 2.0], 2, replacement=1),
])
def test_stream_stack_and_weighted_sampler_errors(make):
    caught = []
    for _, D in BOTH:
        with pytest.raises(Exception) as info:
            make(D)
        caught.append((type(info.value).__name__, str(info.value).replace("0x", "")[:60]))
    assert caught[0][0] == caught[1][0]
    assert caught[0][1].split(" at ")[0] == caught[1][1].split(" at ")[0]


@pytest.mark.parametrize("weights, count, replacement", [
    ([0.1, 0.9, 0.0], 6, True), ([1, 1, 1], 3, False), ([5.0, 1.0, 2.0, 0.5], 40, True)])
def test_weighted_random_sampler_draws_pytorchs_indices(weights, count, replacement):
    _same(lambda T, D: [list(D.WeightedRandomSampler(weights, count, replacement,
                                                     generator=T.Generator().manual_seed(3))),
                        D.WeightedRandomSampler(weights, count).weights])
