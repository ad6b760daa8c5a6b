"""Run hostile programs in-process as test_cli_hostile.py does (a 64 MiB tensor limit) and
write the rows of a table (tests/cli/hostile_round8.py) for those that end within a second of
CPU, with the status, kind, line and message fragment each gives. The alarm counts CPU time
(ITIMER_PROF, 8 s), so a machine loaded many times over does not turn slow starts into skips.

    python tools/hostile_table.py ROWS.txt PROGRAMS.py [PROGRAMS.py...]

ROWS_AS_MADE=FILE also appends each row to FILE as soon as it is made."""
import importlib.util, os, signal, sys, time, re
sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "tests", "cli"))
from conftest import make_env
from cli_helpers import headline
from gradsh.cli.main import main
from gradsh.core import memory
class TO(BaseException): pass
def alarm(*a): raise TO()
signal.signal(signal.SIGPROF, alarm)
rows = []
for f in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location("p", f)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    for pid, src in m.PROGRAMS:
        env = make_env(src)
        t = time.process_time()
        signal.setitimer(signal.ITIMER_PROF, 8)
        try:
            status = main(["--max-memory", "64M"], env)
        except TO:
            print("skip (time)", pid, file=sys.stderr); continue
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            memory.set_max_memory(None)
        dt = time.process_time() - t
        err = env.stderr.getvalue()
        if dt > 1.0:
            print("skip (%.1fs)" % dt, pid, file=sys.stderr); continue
        if "Traceback" in err or status not in (0, 1):
            print("BAD", pid, status, err[:300], file=sys.stderr); continue
        kind, line = headline(err) if status == 1 else (None, None)
        frag = ""
        if status == 1:
            last = [l for l in err.splitlines() if re.match(r"^\S+:\d+:\d+: %s: " % re.escape(kind or ""), l)]
            frag = last[-1].split(": ", 2)[2][:60] if last and last[-1].count(": ") >= 2 else ""
            if re.search(r"0x[0-9a-f]+", frag): frag = frag[:frag.find("0x")][:60]
        elif err:
            print("skip (stderr on success)", pid, file=sys.stderr); continue
        rows.append((pid, src, status, kind, line, frag))
        if os.environ.get("ROWS_AS_MADE"):  # each row written as it is made (a long run)
            with open(os.environ["ROWS_AS_MADE"], "a") as made:
                made.write("    %r,\n" % (rows[-1],))
        print("row %-40s %.2fs %s %s" % (pid, dt, status, kind), file=sys.stderr, flush=True)
with open(sys.argv[1], "w") as out:
    for r in rows:
        out.write("    %r,\n" % (r,))
print(len(rows), "rows", file=sys.stderr)
