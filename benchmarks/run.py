"""Run gradsh's benchmarks: medians and ratios against PyTorch and the numpy floor, same run.

    python benchmarks/run.py            # everything (a few minutes)
    python benchmarks/run.py --quick    # fewer rounds
    python benchmarks/run.py --only W1,W3

The machines this runs on are shared and noisy, so every figure is a ratio measured in the same
run: the systems are interleaved round by round, and the ratio quoted is the median of the
per-round ratios. BLAS is single-threaded on every side (set before numpy or torch is imported).
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import floor  # noqa: E402
import workloads  # noqa: E402

TARGETS = {  # issue 19's second-round targets
    "W1": ("torch", 0.45), "W1c20": ("torch", 0.5), "W2": ("torch", 0.85), "W3": ("torch", 0.7),
    "W4": ("floor", 1.05), "W10": ("torch", 0.9), "W11": ("torch", 1.0),
}


def _load_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def _time_batch(step, n):
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t0) / n


def _calibrate(step, budget):
    n = 1
    while True:
        t = _time_batch(step, n)
        if t * n >= budget / 4 or n >= 1 << 20:
            return max(1, int(budget / max(t, 1e-9)))
        n *= 2


def measure_inprocess(name, systems, rounds, budget):
    """Interleave the systems' steps; return {system: median seconds} and per-round ratios."""
    steps = {}
    for sys_name, make in systems.items():
        step, _ = make()
        for _ in range(3):
            step()
        steps[sys_name] = step
    counts = {s: _calibrate(st, budget) for s, st in steps.items()}
    times = {s: [] for s in steps}
    order = list(steps)
    for r in range(rounds):
        gc.collect()
        for s in order[r % len(order):] + order[:r % len(order)]:
            times[s].append(_time_batch(steps[s], counts[s]))
    return times


def _ratio(times, a, b):
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure_w6(steps=2000, make=workloads.make_w2):
    """Resident memory growth of W2 (or `make`'s workload) on gradsh over `steps` training
    steps (after a warm-up)."""
    import gradsh
    step, _ = make(gradsh)
    for _ in range(200):
        step()
    gc.collect()
    before = rss_bytes()
    for _ in range(steps):
        step()
    gc.collect()
    return rss_bytes() - before


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.1f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def machine_line():
    try:
        with open("/proc/cpuinfo") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                         platform.processor())
    except OSError:
        model = platform.processor()
    import numpy
    line = (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"numpy {numpy.__version__}")
    torch = sys.modules.get("torch")
    if torch is not None:
        line += f", torch {torch.__version__}"
    return line + ", single-threaded BLAS"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    ap.add_argument("--only", default="", help="comma-separated workload ids")
    args = ap.parse_args(argv)
    only = {w.strip() for w in args.only.split(",") if w.strip()}
    rounds, budget = (5, 0.1) if args.quick else (11, 0.25)

    import gradsh
    torch = _load_torch()
    rows = []
    for wid, make in workloads.WORKLOADS.items():
        if only and wid not in only:
            continue
        systems = {"gradsh": lambda m=make: m(gradsh), "floor": floor.FLOORS[wid]}
        for extra in ("TUNED", "KERNELS", "FAITHFUL"):
            if wid in getattr(floor, extra):
                systems[extra.lower()] = getattr(floor, extra)[wid]
        if torch is not None:
            systems["torch"] = lambda m=make: m(torch)
        times = measure_inprocess(wid, systems, rounds, budget)
        med = {s: statistics.median(v) for s, v in times.items()}
        base, target = TARGETS[wid]
        ratio = _ratio(times, "gradsh", base) if base in times else None
        rows.append((wid, med, times, base, target, ratio))
        vs_torch = f"{_ratio(times, 'gradsh', 'torch'):.2f}x" if "torch" in times else "n/a"
        vs_floor = f"{_ratio(times, 'gradsh', 'floor'):.2f}x"
        ok = "" if ratio is None else ("met" if ratio <= target else "NOT met")
        print(f"{wid:6} gradsh {fmt_time(med['gradsh']):>10}  torch "
              f"{fmt_time(med['torch']) if 'torch' in med else 'n/a':>10}  floor "
              f"{fmt_time(med['floor']):>10}  gradsh/torch {vs_torch:>6}  gradsh/floor "
              f"{vs_floor:>6}  target <= {target}x {base}: {ok}", flush=True)
        for extra, label in (("tuned", "tuned floor"), ("kernels", "exp+tanh only"),
                             ("faithful", "faithful floor")):
            if extra in times:
                print(f"{'':6} {label:>14} {fmt_time(med[extra]):>10}  gradsh/{extra} "
                      f"{_ratio(times, 'gradsh', extra):.2f}x  torch/{extra} "
                      f"{_ratio(times, 'torch', extra) if 'torch' in times else float('nan'):.2f}x",
                      flush=True)
    if not only or "W6" in only:
        growth = measure_w6()
        print(f"W6     resident memory growth over 2000 W2 steps: {growth / 2 ** 20:.2f} MiB "
              f"(target < 2 MiB: {'met' if growth < 2 * 2 ** 20 else 'NOT met'})", flush=True)
    if not only or "W6" in only or "W10" in only:
        growth = measure_w6(make=workloads.make_w10)
        print(f"W6/W10 resident memory growth over 2000 W10 steps: {growth / 2 ** 20:.2f} MiB "
              f"(target < 2 MiB: {'met' if growth < 2 * 2 ** 20 else 'NOT met'})", flush=True)
    print(machine_line())


if __name__ == "__main__":
    main()
