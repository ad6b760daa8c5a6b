"""The order PyTorch's CPU topk and sort(stable=False) leave their results in, step for step.

PyTorch's topk kernel (aten/src/ATen/native/TopKImpl.h) fills a queue of (value, index) pairs
for each row and rearranges it with the C++ standard library as built by GCC (libstdc++):
`nth_element(k - 1)` then, when `sorted`, `sort` of the first k - 1 entries; or, when
k * 64 <= the row's size, `partial_sort` of the first k (a heap of them that the rest of the row
goes through, then `sort_heap`: sorted whatever `sorted` says). The first k entries are the
result. sort(stable=False) is `std::sort` of the same pairs (cpu/SortingKernel.cpp).

The comparison looks at values only (NaN counts as the largest), so among equal values, and for
`sorted=False`, the order is whatever these algorithms leave: reproduced here with libstdc++'s
own steps (introselect, median-of-three partition, insertion sort up to 16 entries, its heap
sifting); checked against PyTorch 2.13 on rows full of ties and NaN
(tests/core/test_topk_order.py). Rows where a stable order is the same (sorted, no ties) take
numpy's argsort instead, and so do rows longer than sorting.KERNEL_ORDER_MAX (Python-speed
steps).
"""

_SORT_THRESHOLD = 16  # libstdc++'s _S_threshold


def _lg(n):
    return n.bit_length() - 1


def _swap(q, i, j):
    q[i], q[j] = q[j], q[i]


# ----- sorting and selection ------------------------------------------------------------------
def nth_element(q, nth, less):
    """std::nth_element(q.begin(), q.begin() + nth, q.end(), less)."""
    first, last = 0, len(q)
    if first == last or nth == last:
        return
    depth = _lg(last - first) * 2
    while last - first > 3:
        if depth == 0:
            _heap_select(q, first, nth + 1, last, less)
            _swap(q, first, nth)
            return
        depth -= 1
        cut = _partition_pivot(q, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(q, first, last, less)


def sort(q, first, last, less):
    """std::sort over q[first:last] (introsort, then the final insertion sort)."""
    if first == last:
        return
    _introsort_loop(q, first, last, _lg(last - first) * 2, less)
    if last - first > _SORT_THRESHOLD:
        _insertion_sort(q, first, first + _SORT_THRESHOLD, less)
        for i in range(first + _SORT_THRESHOLD, last):
            _linear_insert(q, i, less)
    else:
        _insertion_sort(q, first, last, less)


def _introsort_loop(q, first, last, depth, less):
    while last - first > _SORT_THRESHOLD:
        if depth == 0:
            _heap_select(q, first, last, last, less)  # std::__partial_sort over the whole range
            sort_heap(q, first, last, less)
            return
        depth -= 1
        cut = _partition_pivot(q, first, last, less)
        _introsort_loop(q, cut, last, depth, less)
        last = cut


def _partition_pivot(q, first, last, less):
    mid = first + (last - first) // 2
    _move_median_to_first(q, first, first + 1, mid, last - 1, less)
    return _unguarded_partition(q, first + 1, last, first, less)


def _move_median_to_first(q, result, a, b, c, less):
    if less(q[a], q[b]):
        pick = b if less(q[b], q[c]) else (c if less(q[a], q[c]) else a)
    elif less(q[a], q[c]):
        pick = a
    else:
        pick = c if less(q[b], q[c]) else b
    _swap(q, result, pick)


def _unguarded_partition(q, first, last, pivot, less):
    while True:
        while less(q[first], q[pivot]):
            first += 1
        last -= 1
        while less(q[pivot], q[last]):
            last -= 1
        if not first < last:
            return first
        _swap(q, first, last)
        first += 1


def _insertion_sort(q, first, last, less):
    for i in range(first + 1, last):
        if less(q[i], q[first]):
            value = q[i]
            q[first + 1:i + 1] = q[first:i]
            q[first] = value
        else:
            _linear_insert(q, i, less)


def _linear_insert(q, last, less):
    value = q[last]
    while less(value, q[last - 1]):
        q[last] = q[last - 1]
        last -= 1
    q[last] = value


# ----- heaps ----------------------------------------------------------------------------------
def make_heap(q, first, last, less):
    n = last - first
    if n < 2:
        return
    for parent in range((n - 2) // 2, -1, -1):
        _adjust_heap(q, first, parent, n, q[first + parent], less)


def sort_heap(q, first, last, less):
    while last - first > 1:
        last -= 1
        _pop_heap(q, first, last, last, less)


def _heap_select(q, first, middle, last, less):
    make_heap(q, first, middle, less)
    for i in range(middle, last):
        if less(q[i], q[first]):
            _pop_heap(q, first, middle, i, less)


def _pop_heap(q, first, last, result, less):
    value = q[result]
    q[result] = q[first]
    _adjust_heap(q, first, 0, last - first, value, less)


def _adjust_heap(q, first, hole, n, value, less):
    top = child = hole
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if less(q[first + child], q[first + child - 1]):
            child -= 1
        q[first + hole] = q[first + child]
        hole = child
    if n % 2 == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        q[first + hole] = q[first + child - 1]
        hole = child - 1
    _push_heap(q, first, hole, top, value, less)


def _push_heap(q, first, hole, top, value, less):
    parent = (hole - 1) // 2
    while hole > top and less(q[first + parent], value):
        q[first + hole] = q[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    q[first + hole] = value


# ----- PyTorch's topk loop for one row --------------------------------------------------------
def _greater(x, y):
    a, b = x[0], y[0]
    return (a != a and b == b) or a > b  # NaN first


def _smaller(x, y):
    a, b = x[0], y[0]
    return (a == a and b != b) or a < b  # NaN last


def _value_less(x, y):
    return x[0] < y[0]


def topk_row(values, k, largest, sorted_):
    """The indices topk_impl_loop leaves in its first k queue entries for one row (a list)."""
    less = _greater if largest else _smaller
    n = len(values)
    if k == 0:
        return []
    q = [(v, j) for j, v in enumerate(values)]
    if k * 64 <= n:  # std::partial_sort: sorted whatever `sorted` says
        _heap_select(q, 0, k, n, less)
        sort_heap(q, 0, k, less)
    else:
        nth_element(q, k - 1, less)
        if sorted_:
            sort(q, 0, k - 1, less)
    return [j for _, j in q[:k]]


def sort_row(values, descending):
    """The indices PyTorch's sort(stable=False) gives one row: std::sort of (value, index)
    pairs by value (SortingKernel.cpp's KeyValueCompAsc / KeyValueCompDesc, NaN the largest)."""
    q = [(v, j) for j, v in enumerate(values)]
    sort(q, 0, len(q), _greater if descending else _smaller)
    return [j for _, j in q]


# ----- PyTorch's kthvalue for one row ---------------------------------------------------------
def kthvalue_row(values, k):
    """The index PyTorch's kthvalue picks in one row: its quick_select_template (Sorting.cpp,
    Sedgewick's median-of-three partition) run on (value, index) pairs, NaN the largest, k
    counting from 0. Returns a one-element list."""
    q = [(v, j) for j, v in enumerate(values)]
    gt = _greater
    lo, hi = 0, len(q) - 1
    while hi > lo:
        if hi == lo + 1:
            if gt(q[lo], q[hi]):
                _swap(q, lo, hi)
            break
        _swap(q, (lo + hi) >> 1, lo + 1)
        for a, b in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            if gt(q[a], q[b]):
                _swap(q, a, b)
        i, j = _sedgewick_partition(q, lo, hi, gt)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return [q[k][1]]


def _sedgewick_partition(q, lo, hi, gt):
    """The partition step of quick_select_template around q[lo]: returns where its scans
    stopped (i, j), the pivot swapped into place j."""
    i, j, pivot = lo + 1, hi, q[lo]
    while True:
        i += 1
        while gt(pivot, q[i]):
            i += 1
        j -= 1
        while gt(q[j], pivot):
            j -= 1
        if j < i:
            break
        _swap(q, i, j)
    _swap(q, lo, j)
    return i, j


def mode_row(values):
    """(value, index) PyTorch's mode gives one row: std::sort of (value, index) pairs by value,
    then the first longest run of equal values, its index the run's last entry. Its comparison
    is a plain `<` (a NaN is equal to nothing and lands wherever the sort leaves it)."""
    q = [(v, j) for j, v in enumerate(values)]
    sort(q, 0, len(q), _value_less)
    best, run = None, 0
    for n, (v, j) in enumerate(q):
        run += 1
        if n == len(q) - 1 or q[n + 1][0] != v:
            if best is None or run > best[0]:
                best = (run, v, j)
            run = 0
    return best[1], best[2]
