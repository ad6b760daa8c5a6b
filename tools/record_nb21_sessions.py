"""Record what PyTorch shows for the sessions of tests/data/nb21_sessions.py (or, with
`--set nb23`, tests/data/nb23_sessions.py, into nb23_*.json), on both surfaces a learner types
them into:

    python tools/record_nb21_sessions.py [--set nb23] [--repl | --notebook] [NAME...]

- nb21_notebook.json: each session in a FRESH IPython kernel (ipykernel, started from a
  kernelspec in a temporary JUPYTER_PATH: this interpreter with `-m ipykernel_launcher`), one
  execute request a cell. For each cell, its outputs in order: ["stdout", text],
  ["stderr", text] (consecutive chunks of one stream joined), ["result", text/plain],
  ["display", text/plain], ["error", ename, evalue] (IPython's traceback is not kept), and
  ["page", text/plain] for a page payload of the execute reply (`obj?`). A session's
  complete(...) and inspect(...) entries (nb23) are sent as complete_request and
  inspect_request instead of being run: ["complete", matches, cursor_start, cursor_end] and
  ["inspect", found, text/plain without its colour codes].
- nb21_repl.json: each session in a FRESH `python -q -i` (stdin a pipe: the basic REPL, prompts
  on stderr), its cells typed line by line (the sessions module's typed: an empty line after each
  top-level block, none inside one), a separator printed to both streams after
  each cell (the requests are left out: a REPL has none). For each cell: stdout, the last line of each traceback (`Kind: message`) and the
  warnings (`Kind: message` of each `FILE:N: Kind: message` line: FILE is <stdin>, or
  the library's file where the warning names the library's line).

Memory addresses are written as 0x0; IPython's cell file names (/tmp/ipykernel_N/M.py, and
M.py in a SyntaxError's message) as <cell>. Naming sessions re-records only those (merged into the files).
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(DATA))
sys.path.insert(0, str(ROOT / "tools"))

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
CELL_FILE = re.compile(r"/tmp/ipykernel_\d+/\d+\.py|(?<=\()\d+\.py(?=, line \d+\))")
SEPARATOR = "\x1e"
MARK = "print(%r); print(%r, file=_rec_sys.stderr)" % (SEPARATOR, SEPARATOR)
PROMPT = re.compile(r"^(?:(?:>>>|\.\.\.) ?)+")
WARNING = re.compile(r"^\S.*?:\d+: (\w*Warning: .*)$")  # <stdin>:1:, or a library's file
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
TIMEOUT = 120


def clean(text):
    return CELL_FILE.sub("<cell>", ADDRESS.sub("0x0", text))


def shell_reply(client, msg_id):
    while True:
        reply = client.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def request_outputs(client, request):
    """What the kernel answers to a session's complete(...) or inspect(...) entry."""
    if "complete" in request:
        reply = shell_reply(client, client.complete(request["complete"], request["cursor"]))
        return [["complete", reply["matches"], reply["cursor_start"], reply["cursor_end"]]]
    reply = shell_reply(client, client.inspect(request["inspect"], request["cursor"]))
    return [["inspect", reply["found"], COLOUR.sub("", reply["data"].get("text/plain", ""))]]


def notebook_outputs(client, code):
    if not isinstance(code, str):
        return request_outputs(client, code)
    msg_id = client.execute(code, allow_stdin=False)
    reply = shell_reply(client, msg_id)
    shown = []
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return shown + [["page", clean(COLOUR.sub("", page["data"].get("text/plain", "")))]
                            for page in reply.get("payload", []) if page.get("source") == "page"]
        if kind == "stream":
            if shown and shown[-1][0] == content["name"]:
                shown[-1][1] += clean(content["text"])
            else:
                shown.append([content["name"], clean(content["text"])])
        elif kind in ("execute_result", "display_data"):
            shown.append(["result" if kind == "execute_result" else "display",
                          clean(content["data"].get("text/plain", ""))])
        elif kind == "error":
            shown.append(["error", content["ename"], clean(content["evalue"])])


def record_notebook(sessions):
    from jupyter_client.manager import KernelManager
    facts = {}
    with tempfile.TemporaryDirectory() as folder:
        spec = pathlib.Path(folder) / "kernels" / "pytorch"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (PyTorch)", "language": "python"}))
        os.environ["JUPYTER_PATH"] = folder
        for name, cells in sessions:
            manager = KernelManager(kernel_name="pytorch")
            manager.start_kernel()
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=TIMEOUT)
                facts[name] = [notebook_outputs(client, code) for code in cells]
            finally:
                client.stop_channels()
                manager.shutdown_kernel(now=True)
            print(name, file=sys.stderr)
    return facts


def record_repl(sessions, typed):
    facts = {}
    for name, cells in sessions:
        cells = [c for c in cells if isinstance(c, str)]
        text = "import sys as _rec_sys\n" + "".join(typed(code) + MARK + "\n" for code in cells)
        done = subprocess.run([sys.executable, "-q", "-i"], input=text, capture_output=True,
                              text=True, timeout=600)
        outs = done.stdout.split(SEPARATOR + "\n")
        errs = done.stderr.split(SEPARATOR + "\n")
        assert len(outs) == len(errs) == len(cells) + 1, (name, len(outs), len(errs))
        facts[name] = [{"stdout": clean(out), "errors": errors(err), "warnings": warnings(err)}
                       for out, err in zip(outs[:-1], errs[:-1])]
        print(name, file=sys.stderr)
    return facts


def errors(err):
    """The last line of each traceback in the REPL's stderr: `Kind: message` (a SyntaxError's
    too, which has no traceback header)."""
    lines = [PROMPT.sub("", line) for line in err.split("\n")]
    found = []
    for k, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):") or (
                line.startswith("  File \"<stdin>\"") and (k == 0 or not lines[k - 1].startswith(
                    (" ", "Traceback")))):
            end = k + 1
            while end < len(lines) and (lines[end].startswith(" ") or not lines[end]):
                end += 1
            if end < len(lines):
                found.append(clean(lines[end]))
    return found


def warnings(err):
    lines = [PROMPT.sub("", line) for line in err.split("\n")]
    return [clean(m.group(1)) for m in map(WARNING.match, lines) if m]


def merge(file, facts, note, sessions):
    import facts_file
    path = DATA / file
    old = json.loads(path.read_text())["facts"] if path.exists() else {}
    old.update(facts)
    facts_file.write(file, {n: old[n] for n, _ in sessions if n in old}, note)


def main(args):
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    round_name = "nb21"
    if "--set" in args:
        at = args.index("--set")
        round_name, args = args[at + 1], args[:at] + args[at + 2:]
    module = __import__(round_name + "_sessions")
    SESSIONS = module.SESSIONS
    surfaces = {"--repl", "--notebook"} & set(args) or {"--repl", "--notebook"}
    names = [a for a in args if not a.startswith("--")]
    unknown = set(names) - {n for n, _ in SESSIONS}
    if unknown:
        raise SystemExit("no such session: " + ", ".join(sorted(unknown)))
    sessions = [(n, c) for n, c in SESSIONS if not names or n in names]
    if "--repl" in surfaces:
        merge(round_name + "_repl.json", record_repl(sessions, module.typed),
              "%s (Python %s REPL)" % (torch.__version__, sys.version.split()[0]), SESSIONS)
    if "--notebook" in surfaces:
        import IPython
        merge(round_name + "_notebook.json", record_notebook(sessions),
              "%s (IPython %s)" % (torch.__version__, IPython.__version__), SESSIONS)


if __name__ == "__main__":
    main(sys.argv[1:])
