"""torch.utils.data for gradsh: map-style datasets, samplers, default collation, DataLoader.

Loading happens in the calling process, with any num_workers: the batches and their order are
the same as the workers' would be (get_worker_info() is None, worker_init_fn is not called, a
random transform inside __getitem__ draws from the main generator). The random draws are PyTorch's,
in PyTorch's order: each iteration over a DataLoader first draws a base seed from its generator
(torch's default one when none is given), then a shuffling sampler without a generator draws
a seed for a fresh Generator on its first batch and takes torch.randperm from it.
"""

from ..core.torchclass import TorchClass

import abc
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from .. import _api as torch
import time

from .. import module_paths as _module_paths
from ..core.dtypes import (MAX_SIZE_LENGTH, READ_FREELY, READ_SECONDS, TooManyItems,
                           out_of_time, read_bounded, read_each, read_items)
from ..core.errors import TorchAssertionError

# torch.utils.data.dataset, .sampler, .dataloader (gradsh/module_paths.py): submodules of this
# module, as of PyTorch's package
__path__ = []
_SWEPT = _module_paths.swept(__name__)
__getattr__ = _module_paths.package_getattr(__name__, "torch.utils.data")

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]


def _torch_repr(self, module):
    """PyTorch's default text for its data classes (`<torch.utils.data.dataset.TensorDataset
    object at 0x...>`); a program's own subclass keeps Python's."""
    if not type(self).__module__.startswith("gradsh."):
        return object.__repr__(self)
    return f"<torch.utils.data.{module}.{type(self).__name__} object at {hex(id(self))}>"


class Dataset(metaclass=TorchClass):
    """A map-style dataset: subclasses define __getitem__ (and __len__ for samplers)."""

    def __repr__(self):
        return _torch_repr(self, "dataset")

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset((self, other))


class IterableDataset(Dataset):
    """A dataset read as a stream: subclasses define __iter__; a DataLoader batches what it
    yields, in order (no sampler, no shuffling)."""

    def __iter__(self):
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other):
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """The iterable datasets one after another."""

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        # (read within the reading budget: ten to the twelve empty datasets stop)
        for dataset in read_each(self.datasets, "ChainDataset"):
            _streamed(dataset)
            yield from dataset

    def __len__(self):
        return sum(len(_streamed(dataset)) for dataset in read_each(self.datasets, "ChainDataset"))


def _streamed(dataset):
    if not isinstance(dataset, IterableDataset):
        raise TorchAssertionError("ChainDataset only supports IterableDataset")
    return dataset


class StackDataset(Dataset):
    """Datasets of one length read side by side: a sample is the tuple of their samples
    (datasets given by position) or the dict of them (datasets given by keyword)."""

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via "
                             "``kwargs``) like input/output, but both types are given.")
        datasets = args or list(kwargs.values())
        if not datasets:
            raise ValueError("At least one dataset should be passed")
        self._length = len(datasets[0])
        if any(len(d) != self._length for d in datasets):
            raise ValueError("Size mismatch between datasets")
        self.datasets = args if args else dict(kwargs)

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: d[index] for key, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self):
        return self._length


class TensorDataset(Dataset):
    """Samples are tuples of the tensors' rows: dataset[i] == (t[i] for t in tensors)."""

    def __init__(self, *tensors):
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise TorchAssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        """A batch's samples at once (what a DataLoader asks a dataset that has this method):
        through the dataset's own __getitems__ when it has one."""
        chosen = [self.indices[i] for i in indices]
        return _fetch_many(self.dataset, chosen)

    def __len__(self):
        return len(self.indices)


def _fetch_many(dataset, indices):
    """The samples at `indices`: dataset.__getitems__(indices) when the dataset has it (PyTorch's
    batched fetch), else one dataset[i] after another."""
    many = getattr(dataset, "__getitems__", None)
    if callable(many):
        return many(indices)
    return [dataset[i] for i in indices]


class ConcatDataset(Dataset):
    """The datasets one after another."""

    def __init__(self, datasets):
        self.datasets = list(read_items(datasets, "ConcatDataset()'s datasets"))  # bounded
        if not self.datasets:
            raise TorchAssertionError("datasets should not be an empty iterable")
        for d in self.datasets:  # all checked before any len() is taken
            if isinstance(d, IterableDataset):
                raise TorchAssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        for i, end in enumerate(self.cumulative_sizes):
            if idx < end:
                start = self.cumulative_sizes[i - 1] if i else 0
                return self.datasets[i][idx - start]
        raise IndexError("list index out of range")


def _fraction_lengths(n, fractions):
    """PyTorch's split sizes for fractions summing to 1: floors, then the remainder round-robin."""
    bad = next((i for i, f in enumerate(fractions) if f < 0 or f > 1), None)
    if bad is not None:
        raise ValueError(f"Fraction at index {bad} is not between 0 and 1")
    lengths = [math.floor(n * f) for f in fractions]
    left_over = n - sum(lengths)
    for k in range(left_over):
        lengths[k % len(lengths)] += 1
    for empty in (i for i, size in enumerate(lengths) if size == 0):
        warnings.warn(f"Length of split at index {empty} is 0. "
                      f"This might result in an empty dataset.", stacklevel=3)
    return lengths


def random_split(dataset, lengths, generator=None):
    """Subsets of sizes `lengths` (or fractions of len(dataset)) over one random permutation."""
    lengths = read_items(lengths, "random_split()'s lengths")  # an endless one stops
    total = sum(lengths)
    if total <= 1 and math.isclose(total, 1):  # fractions of the dataset
        lengths = _fraction_lengths(len(dataset), lengths)
        total = sum(lengths)
    if total != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = torch.randperm(total, generator=generator).tolist()
    ends = list(itertools.accumulate(lengths))
    return [Subset(dataset, indices[end - length:end]) for end, length in zip(ends, lengths)]


class Sampler(metaclass=TorchClass):
    """Iterates over dataset indices (or lists of them)."""

    def __repr__(self):
        return _torch_repr(self, "sampler")

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        yield from range(len(self.data_source))

    def __len__(self):
        return len(self.data_source)


def _draw_seed(generator=None):
    """One int64 drawn as a 0-d tensor's random_() draws it: how PyTorch seeds a sampler's
    generator and a loader's workers."""
    return int(torch.empty((), dtype=torch.int64).random_(generator=generator).item())


def _seeded_generator(generator):
    """The given generator, or a fresh one seeded from a draw of torch's default one."""
    if generator is not None:
        return generator
    fresh = torch.Generator()
    fresh.manual_seed(_draw_seed())
    return fresh


class RandomSampler(Sampler):
    """Indices in a random order (torch.randperm), or drawn with replacement (torch.randint)."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source, self.replacement = data_source, replacement
        self._asked = num_samples  # None: one pass over the data source, however long it is
        self.generator = generator
        if type(replacement) is not bool:
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={replacement}")
        count = self.num_samples
        if not (isinstance(count, int) and count > 0):
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={count}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._asked is None else self._asked

    def __iter__(self):
        n, count = len(self.data_source), self.num_samples
        generator = _seeded_generator(self.generator)
        if self.replacement:  # drawn 32 at a time, as PyTorch draws them
            whole, rest = divmod(count, 32)
            for k in range(whole + 1):  # (lazily: num_samples=10**15 is a long stream)
                yield from torch.randint(high=n, size=(32 if k < whole else rest,),
                                         dtype=torch.int64, generator=generator).tolist()
            return
        whole, rest = divmod(count, n)
        # whole permutations, then the start of one more (drawn even when rest is 0)
        for k in range(whole + 1):
            order = torch.randperm(n, generator=generator).tolist()
            yield from (order if k < whole else order[:rest])

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        # (a generator: the permutation is drawn at the first index, as PyTorch draws it)
        order = torch.randperm(len(self.indices), generator=self.generator)
        yield from (self.indices[i] for i in order.tolist())

    def __len__(self):
        return len(self.indices)


def _positive_count(num_samples):
    if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
        raise ValueError("num_samples should be a positive integer value, but got "
                         f"num_samples={num_samples}")


class WeightedRandomSampler(Sampler):
    """`num_samples` indices drawn with probabilities proportional to `weights`
    (torch.multinomial over the weights as float64, with or without replacement)."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        _positive_count(num_samples)
        if type(replacement) is not bool:
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")  # noqa: TRY004
        weights = torch.as_tensor(weights, dtype=torch.float64)
        if weights.dim() != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights.shape)}")
        self.weights, self.num_samples = weights, num_samples
        self.replacement, self.generator = replacement, generator

    def __iter__(self):
        drawn = torch.multinomial(self.weights, self.num_samples, self.replacement,
                                  generator=self.generator)
        yield from drawn.tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of `batch_size` indices from `sampler` (the last one shorter unless drop_last)."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if type(drop_last) is not bool:
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")  # noqa: TRY004
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        while True:
            batch = _batch_of(indices, self.batch_size, "a batch of BatchSampler")
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size


def _batch_of(iterator, n, what):
    """The next n items of iterator (fewer at its end), read within gradsh's limits: a
    batch_size of 10**9 stops at MAX_SIZE_LENGTH items or the reading budget instead of
    filling memory (issue 16, round 15)."""
    items, late = read_bounded(itertools.islice(iterator, n), MAX_SIZE_LENGTH)
    if late:
        raise TooManyItems(out_of_time(what, items))
    if len(items) > MAX_SIZE_LENGTH:
        raise TooManyItems("%s of more than %d items: above gradsh's limit of items in a "
                           "tuple" % (what, MAX_SIZE_LENGTH))
    return items


class _Walk:
    """The clock of one collation: a sample shared at many levels (`x = [x, x]` sixty times)
    is walked at each place, 2**60 times, as PyTorch would; gradsh stops it once READ_FREELY
    values were walked and READ_SECONDS of CPU have passed (issue 16, round 15)."""

    def __init__(self, what):
        self.what, self.count, self.started = what, 0, time.process_time()

    def tick(self):
        self.count += 1
        if self.count % 4096 == 0 and self.count >= READ_FREELY \
                and time.process_time() - self.started > READ_SECONDS:
            raise TooManyItems("%s walked %d values in %g seconds and was not done: gradsh "
                               "collates for at most %g seconds once %d values were walked"
                               % (self.what, self.count, READ_SECONDS, READ_SECONDS,
                                  READ_FREELY))


def _collate_numbers(batch):
    if isinstance(batch[0], float):  # Python floats are doubles: float64, as PyTorch's
        return torch.tensor(batch, dtype=torch.float64)
    return torch.tensor(batch)


def _collate_mappings(batch, walk):
    return {key: _collate([sample[key] for sample in batch], walk) for key in batch[0]}


def _collate_sequences(batch, walk):
    first = batch[0]
    for sample in batch:  # a program's own Sequence class (adv14c): its length, read first
        if not isinstance(sample, (list, tuple)) and len(sample) > MAX_SIZE_LENGTH:
            raise TooManyItems("default_collate() would read a sequence of %d items: more than "
                               "%d (gradsh's limit of items)" % (len(sample), MAX_SIZE_LENGTH))
    fields = list(zip(*batch))  # columns are tuples: a column of strings stays one
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple keeps its type
        return type(first)(*(_collate(column, walk) for column in fields))
    if any(len(sample) != len(first) for sample in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    return [_collate(column, walk) for column in fields]


class _NumpyValue(abc.ABC):
    """numpy's arrays and scalars, and the values a .grad program holds for them (wrappers
    that hand numpy's array over through `__array__`); not tensors."""

    @classmethod
    def __subclasshook__(cls, other):
        if issubclass(other, torch.Tensor):
            return False
        return issubclass(other, (np.ndarray, np.generic)) or hasattr(other, "__array__")


def _collate_numpy(batch, walk):
    """numpy arrays stacked as tensors of their dtype, numpy scalars one tensor of theirs;
    arrays of strings or objects refused, naming their dtype (PyTorch's words)."""
    arrays = [np.asarray(x) for x in batch]
    if any(a.dtype.kind in _NOT_NUMBERS for a in arrays):
        raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, "
                        f"dicts or lists; found {arrays[0].dtype}")
    if arrays[0].ndim > 0:
        return torch.stack([torch.as_tensor(a) for a in arrays], 0)
    return torch.as_tensor(np.array(arrays))


_NOT_NUMBERS = "SUaO"  # numpy dtype kinds of bytes, str and objects

# the first sample's kind -> how a batch of such samples is combined (first match wins)
_COLLATION = [
    (torch.Tensor, lambda batch, walk: torch.stack(batch, 0)),
    (_NumpyValue, _collate_numpy),
    ((int, float), lambda batch, walk: _collate_numbers(batch)),  # not complex, as PyTorch
    ((str, bytes), lambda batch, walk: batch),
    (Mapping, _collate_mappings),
    (Sequence, _collate_sequences),
]


def default_collate(batch):
    """PyTorch's default collation: tensors stacked, numbers made a tensor (floats as float64),
    strings kept as they come (a list, or a tuple inside a sequence), mappings and sequences collated field by field."""
    return _collate(batch, _Walk("default_collate()"))


def default_convert(data):
    """PyTorch's conversion of one sample (what a loader with batch_size=None yields): the
    sample as it is, its sequences made lists (named tuples keep their type)."""
    return _converted(data, _Walk("default_convert()"))


def get_worker_info():
    """None: gradsh loads every batch in the calling process, as PyTorch's main process does."""
    return None


def _collate(batch, walk):
    walk.tick()
    first = batch[0]
    for kinds, combine in _COLLATION:
        if isinstance(first, kinds):
            return combine(batch, walk)
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(first)}")


def _check_loader_options(dataset, shuffle, sampler, batch_sampler, batch_size, drop_last,
                          num_workers, timeout=0, prefetch_factor=None, persistent_workers=False):
    """PyTorch's refusals of option combinations, in its order (lazily: each condition is
    evaluated only when the ones before it held)."""
    streamed = isinstance(dataset, IterableDataset)
    refusals = [
        (lambda: num_workers < 0, "num_workers option should be non-negative; "
                                  "use num_workers=0 to disable multiprocessing."),
        (lambda: timeout < 0, "timeout option should be non-negative"),
        (lambda: num_workers == 0 and prefetch_factor is not None,
         "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
         "to enable multiprocessing, otherwise set prefetch_factor to None."),
        (lambda: prefetch_factor is not None and prefetch_factor < 0,
         "prefetch_factor option should be non-negative"),
        (lambda: persistent_workers and num_workers == 0,
         "persistent_workers option needs num_workers > 0"),
        (lambda: streamed and shuffle not in (False, None),
         "DataLoader with IterableDataset: expected unspecified shuffle option, but got "
         f"shuffle={shuffle}"),
        (lambda: streamed and sampler is not None,
         "DataLoader with IterableDataset: expected unspecified sampler option, but got "
         f"sampler={sampler}"),
        (lambda: streamed and batch_sampler is not None,
         "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
         f"batch_sampler={batch_sampler}"),
        (lambda: sampler is not None and shuffle,
         "sampler option is mutually exclusive with shuffle"),
        (lambda: batch_sampler is not None and (batch_size != 1 or shuffle
                                                or sampler is not None or drop_last),
         "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
         "drop_last"),
        (lambda: batch_sampler is None and batch_size is None and drop_last,
         "batch_size=None option disables auto-batching and is mutually exclusive with "
         "drop_last"),
    ]
    for refused, message in refusals:
        if refused():
            raise ValueError(message)


class DataLoader(metaclass=TorchClass):
    """Batches of a dataset, loaded in the calling process (whatever num_workers says)."""

    def __repr__(self):
        return _torch_repr(self, "dataloader")

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        _check_loader_options(dataset, shuffle, sampler, batch_sampler, batch_size, drop_last,
                              num_workers, timeout, prefetch_factor, persistent_workers)
        given_batches = batch_sampler is not None
        self.batch_size = None if given_batches else batch_size
        if sampler is None and isinstance(dataset, IterableDataset):
            sampler = _Endless()
        elif sampler is None:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if not given_batches and batch_size is not None:  # indices grouped by the loader
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset, self.drop_last = dataset, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.num_workers, self.generator = num_workers, generator
        batched = batch_sampler is not None
        self.collate_fn = collate_fn or (default_collate if batched else _no_collation)
        # accepted, without effect in the calling process
        self.pin_memory, self.timeout, self.worker_init_fn = pin_memory, timeout, worker_init_fn
        self.persistent_workers = persistent_workers
        self.prefetch_factor, self.pin_memory_device = prefetch_factor, pin_memory_device
        self.in_order = in_order  # (one process: the batches always come in order)
        self.multiprocessing_context = _checked_context(multiprocessing_context, num_workers)
        self.__initialized = True

    def __setattr__(self, name, value):
        # the batching is decided at construction: PyTorch refuses to change what it hangs on
        if self.__dict__.get("_DataLoader__initialized") and name in _FIXED_LOADER_ATTRIBUTES:
            raise ValueError(f"{name} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(name, value)

    def _index_sampler(self):
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __iter__(self):
        indices = iter(self._index_sampler())
        # every iteration draws the workers' base seed, with or without workers (PyTorch does)
        _draw_seed(self.generator)
        return _SingleProcessDataLoaderIter(self, self._batches(indices))

    def _batches(self, indices):
        if isinstance(self.dataset, IterableDataset):
            yield from self._streamed_batches()
            return
        for index in indices:
            if self.batch_sampler is not None:
                yield self.collate_fn(_fetch_many(self.dataset, index))
            else:
                yield self.collate_fn(self.dataset[index])

    def _streamed_batches(self):
        """An IterableDataset's samples in the order it yields them, `batch_size` at a time."""
        samples = iter(self.dataset)
        if self.batch_size is None:
            yield from map(self.collate_fn, samples)
            return
        while True:
            batch = _batch_of(samples, self.batch_size, "a batch of DataLoader")
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield self.collate_fn(batch)

    def __len__(self):
        if isinstance(self.dataset, IterableDataset):
            return self._streamed_length()
        return len(self._index_sampler())

    def _streamed_length(self):
        n = len(self.dataset)  # TypeError when the stream has no length, as in PyTorch
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def _checked_context(context, num_workers):
    """multiprocessing_context= as PyTorch checks it (kept, without effect: there are no worker
    processes)."""
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError("multiprocessing_context can only be used with multi-process loading "
                         f"(num_workers > 0), but got num_workers={num_workers}")
    methods = ["fork", "spawn", "forkserver"]
    if isinstance(context, str) and context not in methods:
        raise ValueError("multiprocessing_context option should specify a valid start method "
                         f"in {methods!r}, but got multiprocessing_context={context!r}")
    return context


_FIXED_LOADER_ATTRIBUTES = frozenset(
    "batch_size batch_sampler sampler drop_last dataset persistent_workers".split())


class _SingleProcessDataLoaderIter(metaclass=TorchClass):
    """One pass over a DataLoader (what iter(loader) gives, PyTorch's class name): next()
    gives the next batch, len() the loader's number of batches."""

    def __repr__(self):
        return _torch_repr(self, "dataloader")

    def __init__(self, loader, batches):
        self._loader, self._batches = loader, batches

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._batches)

    def __len__(self):
        return len(self._loader)


class _Endless(Sampler):
    """An IterableDataset's sampler: it never picks samples (the dataset yields them)."""

    def __iter__(self):
        while True:
            yield None


def _no_collation(sample):
    """What a loader without batches (batch_size=None) yields, PyTorch's default_convert: the
    sample as it is, except that its sequences, however deep (tuples too, but not named tuples
    or strings), come out as lists."""
    return _converted(sample, _Walk("the DataLoader's conversion"))


def _converted(sample, walk):
    walk.tick()
    if isinstance(sample, (str, bytes)):
        return sample
    if isinstance(sample, _NumpyValue):  # numbers become a tensor, as PyTorch's
        array = np.asarray(sample)
        return sample if array.dtype.kind in _NOT_NUMBERS else torch.as_tensor(array)
    if isinstance(sample, Mapping):
        return {key: _converted(value, walk) for key, value in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(_converted(item, walk) for item in sample))
    if isinstance(sample, Sequence):
        return [_converted(item, walk) for item in sample]
    return sample
