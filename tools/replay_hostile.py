"""Replay hostile programs as real gradsh processes under `prlimit --as=6442450944` (a 6 GiB
address space) and a wall-clock timeout, two at a time, and judge each ending: exit 0 or 1, a
located one-line error, no traceback, no internal error, no more than 10 s of CPU.

    python tools/replay_hostile.py PROGRAMS.py RESULTS.json [id...]

PROGRAMS.py defines PROGRAMS, a list of (id, source). The programs are written to
$HOSTILE_DIR/ID.grad (default /tmp/h8/r8; START=n skips the first n); TIMEOUT=s is the
wall-clock limit (default 60); CPU=s adds a CPU-time limit (`prlimit --cpu=s`, a signal past
it: on a machine loaded many times over the wall clock says little). Used for rounds 8 and 9 of issue 16 (docs/security.md);
the table test_cli_hostile.py runs is made from the same programs by tools/hostile_table.py."""
import concurrent.futures, json, os, re, subprocess, sys, time, importlib.util
spec = importlib.util.spec_from_file_location("progs", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
only = set(sys.argv[3:])
HEAD = re.compile(r"^\S+:(\d+):\d+: (\w+)(: |$)")  # a bare `raise E()` ends at its name
def run(case):
    pid, src = case
    d = os.environ.get("HOSTILE_DIR", "/tmp/h8/r8")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "%s.grad" % pid)
    open(path, "w").write(src)
    t = time.time()
    cpu_cap = ["--cpu=%s" % os.environ["CPU"]] if os.environ.get("CPU") else []
    p = subprocess.run(["/usr/bin/time", "-f", "CPU %U %S", "prlimit", "--as=6442450944"] + cpu_cap + ["timeout", os.environ.get("TIMEOUT", "60"), sys.executable, "-m", "gradsh", path],
                       capture_output=True, text=True, errors="replace")
    dt = time.time() - t
    lines = p.stderr.splitlines()
    cpu = lines.pop() if lines and lines[-1].startswith("CPU ") else "CPU 0 0"
    if lines and lines[-1].startswith("Command exited"): lines.pop()
    cpu = sum(map(float, cpu.split()[1:]))
    err = "\n".join(lines)
    heads = [l for l in lines if HEAD.match(l) and not re.match(r"^\S+:\d+:\d+: in ", l)]
    first = heads[0] if heads else (lines[0] if lines else "")
    h = HEAD.match(first)
    bad = []
    if p.returncode not in (0, 1): bad.append("rc=%d" % p.returncode)
    if "Traceback (most recent call last)" in err: bad.append("traceback")  # (anomaly mode's warning shows PyTorch's "Traceback of forward call")
    if "internal error" in err or "InternalError" in err: bad.append("internal")
    if p.returncode == 1 and not h: bad.append("unlocated")
    if len(err) > 30000 or len(p.stdout) > 10**6: bad.append("huge-output")
    if cpu > 10: bad.append("cpu")
    return dict(id=pid, rc=p.returncode, t=round(cpu, 2), first=first[:200], bad=bad)
cases = [c for c in m.PROGRAMS if not only or c[0] in only][int(os.environ.get("START", "0")):]
res = []
with concurrent.futures.ThreadPoolExecutor(2) as ex:
    for r in ex.map(run, cases):
        res.append(r)
        flag = "BAD " + ",".join(r["bad"]) if r["bad"] else ("SLOW" if r["t"] > 5 else "ok")
        print("%-5s %-32s rc=%s %5.1fs %s" % (flag[:40], r["id"], r["rc"], r["t"], r["first"][:150]), flush=True)
json.dump(res, open(sys.argv[2], "w"), indent=0)
