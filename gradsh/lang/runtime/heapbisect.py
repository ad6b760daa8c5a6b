"""heapq and bisect (branch adv12c): Python's functions, written here so that every comparison
they make is the program's own `<` (comparing.py: within the comparison budget, a tensor's
`<` as a tensor's). Python's heapq and bisect compare in C, where the budget is not counted.

The heap functions keep the list in the layout Python's heapq gives (a pop moves the smaller
child up to a leaf, then the moved item back up towards the root), so a program printing its
heap prints Python's list. nsmallest and nlargest are the sorts Python documents them to equal
(`sorted(iterable, key=key)[:n]`, the same with reverse=True), through gradsh's checked sorted.
"""

from ...core.tensor import Tensor
from .comparing import COMPARISONS
from .pybuiltins import _sorted

_LT = COMPARISONS["<"]


def _need_list(heap, what):
    if not isinstance(heap, list):  # Python's words (its argument clinic's)
        raise TypeError("%s must be list, not %s" % (
            what, "None" if heap is None else type(heap).__name__))


def _towards_root(heap, start, pos):
    """Move heap[pos] up while it is smaller than its parent (not past `start`)."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) // 2
        if _LT(item, heap[parent]):
            heap[pos] = heap[parent]
            pos = parent
        else:
            break
    heap[pos] = item


def _to_leaf(heap, pos):
    """Move the smaller child up until a leaf is free for heap[pos], then move it up from
    there (fewer comparisons than stopping on the way down; Python's layout)."""
    end, start, item = len(heap), pos, heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not _LT(heap[child], heap[right]):
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _towards_root(heap, start, pos)


def heappush(heap, item, /):
    """Push item onto heap, keeping it a heap."""
    _need_list(heap, "heappush() argument 1")
    heap.append(item)
    _towards_root(heap, 0, len(heap) - 1)


def heappop(heap, /):
    """Pop the smallest item off the heap, keeping it a heap."""
    _need_list(heap, "heappop() argument")
    if not heap:
        raise IndexError("index out of range")
    last = heap.pop()
    if not heap:
        return last
    smallest, heap[0] = heap[0], last
    _to_leaf(heap, 0)
    return smallest


def heapreplace(heap, item, /):
    """Pop the smallest item, then push item (the heap keeps its size)."""
    _need_list(heap, "heapreplace() argument 1")
    if not heap:
        raise IndexError("index out of range")
    smallest, heap[0] = heap[0], item
    _to_leaf(heap, 0)
    return smallest


def heappushpop(heap, item, /):
    """Push item, then pop the smallest item (faster than heappush then heappop)."""
    _need_list(heap, "heappushpop() argument 1")
    if heap and _LT(heap[0], item):
        item, heap[0] = heap[0], item
        _to_leaf(heap, 0)
    return item


def heapify(heap, /):
    """Make the list a heap, in place."""
    _need_list(heap, "heapify() argument")
    for pos in reversed(range(len(heap) // 2)):
        _to_leaf(heap, pos)


def nsmallest(n, iterable, key=None):
    """The n smallest items: sorted(iterable, key=key)[:n]."""
    return _sorted(iterable, key=key)[:n] if n > 0 else []


def nlargest(n, iterable, key=None):
    """The n largest items: sorted(iterable, key=key, reverse=True)[:n]."""
    return _sorted(iterable, key=key, reverse=True)[:n] if n > 0 else []


def merge(*iterables, key=None, reverse=False):
    """Merge sorted inputs into one sorted output, lazily (equal items in the order of the
    inputs)."""
    heads = []
    for n, it in enumerate(map(iter, iterables)):
        for value in it:
            heads.append([value if key is None else key(value), n, value, it])
            break
    while heads:
        best = heads[0]
        for head in heads[1:]:
            if _LT(best[0], head[0]) if reverse else _LT(head[0], best[0]):
                best = head
        yield best[2]
        for value in best[3]:
            best[0] = value if key is None else key(value)
            best[2] = value
            break
        else:
            heads.remove(best)


# ------------------------------------------------------------------ bisect
def _bounds(a, lo, hi):
    if lo < 0:
        raise ValueError("lo must be non-negative")
    lo, hi = lo, len(a) if hi is None else hi
    if lo < hi:  # Python's bisect reads items as a sequence's (a dict's or a tensor's are not)
        if isinstance(a, (dict, Tensor)):
            raise TypeError("%s is not a sequence" % type(a).__name__)
        if not hasattr(type(a), "__getitem__"):
            raise TypeError("'%s' object does not support indexing" % type(a).__name__)
    return lo, hi


def bisect_left(a, x, lo=0, hi=None, *, key=None):
    """Where x goes in the sorted a, before any equal items."""
    lo, hi = _bounds(a, lo, hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if _LT(a[mid] if key is None else key(a[mid]), x):
            lo = mid + 1
        else:
            hi = mid
    return lo


def bisect_right(a, x, lo=0, hi=None, *, key=None):
    """Where x goes in the sorted a, after any equal items."""
    lo, hi = _bounds(a, lo, hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if _LT(x, a[mid] if key is None else key(a[mid])):
            hi = mid
        else:
            lo = mid + 1
    return lo


def insort_left(a, x, lo=0, hi=None, *, key=None):
    """Insert x into the sorted a, before any equal items."""
    a.insert(bisect_left(a, x if key is None else key(x), lo, hi, key=key), x)


def insort_right(a, x, lo=0, hi=None, *, key=None):
    """Insert x into the sorted a, after any equal items."""
    a.insert(bisect_right(a, x if key is None else key(x), lo, hi, key=key), x)


def heapq_namespace():
    from .namespaces import Namespace
    from .stdlib import _Module
    return Namespace("heapq", _Module(
        heappush=heappush, heappop=heappop, heapreplace=heapreplace, heappushpop=heappushpop,
        heapify=heapify, nsmallest=nsmallest, nlargest=nlargest, merge=merge))


def bisect_namespace():
    from .namespaces import Namespace
    from .stdlib import _Module
    return Namespace("bisect", _Module(
        bisect_left=bisect_left, bisect_right=bisect_right, bisect=bisect_right,
        insort_left=insort_left, insort_right=insort_right, insort=insort_right))


__all__ = ["heapq_namespace", "bisect_namespace"]
