"""`:time` and `:timeit` measurements, printed as IPython's %time and %timeit print them."""

import math
import os
import time

ROUNDS = 7
ROUND_SECONDS = 0.2


def measure_once(fn):
    """(fn's result, (user, sys, wall) seconds)."""
    before, t0 = os.times(), time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t0
    after = os.times()
    return result, (after.user - before.user, after.system - before.system, wall)


def format_time(seconds, precision=3):
    """3 significant digits in s, ms, µs or ns (IPython's _format_time)."""
    if seconds >= 60:
        minutes, rest = divmod(seconds, 60)
        return "%dmin %s" % (minutes, format_time(rest, precision))
    units = ("s", "ms", "\u00b5s", "ns")
    order = min(-int(math.floor(math.log10(seconds)) // 3), 3) if seconds > 0 else 3
    return "%.*g %s" % (precision, seconds * 1000 ** order, units[order])


def timeit_report(fn, rounds=ROUNDS, round_seconds=ROUND_SECONDS):
    """Time fn as %timeit does: loops per round 1, 2, 5, 10, 20, 50... until a round takes
    `round_seconds` (timeit's autorange); then `rounds` rounds, fewer when a round is slow."""
    loops, elapsed = _autorange(fn, round_seconds)
    if elapsed > 5 * round_seconds:
        rounds = min(rounds, 3)
    times = [elapsed / loops] + [_round(fn, loops) / loops for _ in range(rounds - 1)]
    mean = sum(times) / len(times)
    std = math.sqrt(sum((t - mean) ** 2 for t in times) / len(times))
    return "%s \u00b1 %s per loop (mean \u00b1 std. dev. of %d run%s, %s loop%s each)" % (
        format_time(mean), format_time(std), len(times), "" if len(times) == 1 else "s",
        "{:,}".format(loops), "" if loops == 1 else "s")


def _autorange(fn, round_seconds):
    scale = 1
    while True:
        for step in (1, 2, 5):
            loops = scale * step
            elapsed = _round(fn, loops)
            if elapsed >= round_seconds:
                return loops, elapsed
        scale *= 10


def _round(fn, loops):
    t0 = time.perf_counter()
    for _ in range(loops):
        fn()
    return time.perf_counter() - t0
