"""Run each program of a hostile round (tools/hostile_round9/, tools/hostile_round10/...) with
PyTorch itself, in one process (under `prlimit
--as=6442450944`), each in a fresh namespace with `torch` bound and a 10 s alarm, and write
what PyTorch does: 'ok' and the printed text, or the exception's kind and message.

    prlimit --as=6442450944 python tools/record_hostile_torch.py OUT.json PROGRAMS.py..."""
import contextlib, os, importlib.util, io, json, signal, sys
import torch
class Alarm(BaseException): pass
def alarm(*a): raise Alarm()
signal.signal(signal.SIGALRM, alarm)
out = json.load(open(sys.argv[1])) if os.path.exists(sys.argv[1]) else {}  # resume
for f in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location("progs", f)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    for pid, src in m.PROGRAMS:
        if pid in out:
            continue
        buf = io.StringIO()
        signal.alarm(10)
        try:
            with contextlib.redirect_stdout(buf):
                exec(compile(src, pid, "exec"), {"torch": torch, "__name__": "__main__"})
            r = dict(rc=0, kind=None, msg="")
        except Alarm:
            r = dict(rc="timeout", kind=None, msg="")
        except BaseException as e:
            try:
                msg = str(e)[:300]
            except BaseException as e2:
                msg = "<str() failed: %s>" % type(e2).__name__
            r = dict(rc=1, kind=type(e).__name__, msg=msg)
        finally:
            signal.alarm(0)
        r["out"] = buf.getvalue()[:300]
        out[pid] = r
        print(pid, r["rc"], r["kind"], r["msg"][:120].replace("\n", " "), flush=True)
        json.dump(out, open(sys.argv[1], "w"), indent=0)
