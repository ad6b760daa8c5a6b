"""PyTorch's own docstring examples as an oracle, read from the installed torch at run time.

Run with PyTorch 2.13 installed:
    python tools/docstring_sweep.py [--only NAME,...] [--json FILE] [--show] [--causes N]

Nothing of PyTorch's is copied into the repository: the `>>>` examples are read from the
docstrings of the installed torch each time (torch.*, Tensor.*, torch.nn.functional.*,
torch.linalg.*, torch.special.*, torch.fft.*, torch.nn's classes and torch.nn.init,
torch.autograd and its submodules, torch.distributions' classes). A block is one docstring's
examples. Each block runs twice, in two worker processes: under PyTorch, and with
`import gradsh as torch` (gradsh.install_as_torch()). Both start from `torch.manual_seed(0)`,
the default print options, dtype and grad mode, in a fresh namespace holding `torch`, `nn`
and `F` (plus the public names of torch.distributions for its classes' blocks, whose
examples use them unqualified). The examples run as typed into Python's shell: each one is
compiled in 'single' mode, so an expression statement echoes its value's repr; an exception
is recorded as `!! Type: message` and the next example runs. Warnings are silenced.

Per block the report says: same; differs (both ran, printed other text); error-only-in-gradsh
(gradsh raised where PyTorch did not); not-supported (a name gradsh lacks: AttributeError or
NameError for something torch has, or NotImplementedError), grouped by the first differing
cause: the missing name, the refused keyword, or the first call of the first example whose
output differs. Skipped blocks (CUDA and other devices, files, quantization, sparse
layouts, jit/compile/fx/export, distributed and processes, printed addresses) are counted
by reason and not run; so are blocks PyTorch itself prints otherwise when run a second time
(uninitialized memory of torch.empty, timings).
"""

import argparse
import collections
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import warnings

# A block is skipped when its source matches (first matching reason wins). Blocks are PyTorch's
# own, so a pattern only needs to be good enough for them.
SKIPS = [
    ("cuda/devices", r"cuda|\bmps\b|xpu|device\(|\.to\(['\"]|meta['\"]|accelerator|half\(\)"),
    ("files", r"\bopen\(|torch\.save|torch\.load|\.pt['\"]|tempfile|\bpath\b|os\.|io\.|"
              r"pickle|from_file|\.npy|\bfile"),
    ("quantization", r"quant|qint|quint"),
    ("sparse", r"sparse|_coo|\bcoo|csr|csc|bsr|bsc|to_dense|\bcrow|nested"),
    ("jit/compile", r"\bjit\b|torch\.compile|script|\btrace|\bfx\b|export|dynamo|"
                    r"_dynamo|inductor|\bvmap\b|functorch"),
    ("distributed/processes", r"distributed|\bdist\.|multiprocessing|\bthread|"
                              r"DataParallel|rpc|fsdp"),
    ("addresses", r"0x[0-9a-fA-F]{6,}|object at"),
]

TIMEOUT = 30  # seconds for one example (the 3-d convolutions take seconds here)


# --- extraction (needs torch) --------------------------------------------------------------

def examples_of(doc):
    """The `>>>` examples of a docstring: each one's source (its `...` lines joined)."""
    lines, out, i = doc.expandtabs().split("\n"), [], 0
    while i < len(lines):
        text = lines[i].lstrip()
        if text.startswith(">>>"):
            source = [text[4:]]
            i += 1
            while i < len(lines) and lines[i].lstrip().startswith("..."):
                source.append(lines[i].lstrip()[4:])
                i += 1
            out.append("\n".join(source))
        else:
            i += 1
    return out


def sources(torch):
    """(qualified name, object, names to put in the namespace) for every place searched."""
    import torch.nn.functional  # noqa: F401
    import torch.autograd.forward_ad  # noqa: F401
    import torch.autograd.functional  # noqa: F401
    import torch.autograd.graph  # noqa: F401
    import torch.nn.init  # noqa: F401
    import torch.distributions  # noqa: F401
    places = [("torch", torch, None), ("torch.Tensor", torch.Tensor, None),
              ("torch.nn.functional", torch.nn.functional, None), ("torch.linalg", torch.linalg, None),
              ("torch.special", torch.special, None), ("torch.fft", torch.fft, None),
              ("torch.nn", torch.nn, None), ("torch.nn.init", torch.nn.init, None),
              ("torch.autograd", torch.autograd, None),
              ("torch.autograd.functional", torch.autograd.functional, None),
              ("torch.autograd.forward_ad", torch.autograd.forward_ad, None),
              ("torch.autograd.graph", torch.autograd.graph, None),
              ("torch.autograd.Function", torch.autograd.Function, None),
              ("torch.distributions", torch.distributions, "torch.distributions")]
    for place, owner, preset in places:
        if place != "torch.Tensor" and owner.__doc__:
            yield place, owner, preset
        for name in sorted(dir(owner)):
            if not name.startswith("_"):
                yield place + "." + name, getattr(owner, name, None), preset


def extract():
    import torch
    blocks, seen = [], set()
    for name, obj, preset in sources(torch):
        doc = getattr(obj, "__doc__", None)
        if not isinstance(doc, str) or ">>>" not in doc or doc in seen:
            continue
        seen.add(doc)
        exs = examples_of(doc)
        if exs:
            blocks.append({"name": name, "examples": exs, "preset": preset})
    return blocks


def skip_reason(block):
    text = "\n".join(block["examples"])
    for reason, pattern in SKIPS:
        if re.search(pattern, text):
            return reason
    return None


# --- running (in a worker process, one per side) -------------------------------------------

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout("example ran over %d s" % TIMEOUT)


def fresh_namespace(torch, preset):
    torch.manual_seed(0)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    import torch.nn.functional as F
    space = {"__name__": "__main__", "torch": torch, "nn": torch.nn, "F": F}
    if preset:
        module = torch
        for part in preset.split(".")[1:]:
            module = getattr(module, part)
        space.update({k: getattr(module, k) for k in dir(module) if not k.startswith("_")})
    return space


def run_example(source, space):
    """What the shell shows for one example: its printed text and echoed value, or the error."""
    out = io.StringIO()

    def echo(value):
        if value is not None:
            out.write(repr(value) + "\n")

    sys.displayhook = echo
    signal.alarm(TIMEOUT)
    try:
        try:
            code = compile(source, "<example>", "single")
        except SyntaxError:
            code = compile(source, "<example>", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, space)
    except BaseException as error:  # noqa: BLE001 - the shell reports it and goes on
        if isinstance(error, KeyboardInterrupt):
            raise
        out.write("!! %s: %s\n" % (type(error).__name__, str(error).split("\n")[0]))
    finally:
        signal.alarm(0)
        sys.displayhook = sys.__displayhook__
    return ADDRESS.sub(" at 0x...", out.getvalue())


def worker(side, blocks_file, start):
    warnings.simplefilter("ignore")
    if side == "gradsh":
        import gradsh
        gradsh.install_as_torch()
    import torch
    if side == "torch":
        torch.set_num_threads(1)
    signal.signal(signal.SIGALRM, _alarm)
    blocks = json.load(open(blocks_file))
    answer = os.fdopen(os.dup(1), "w")
    sys.stdout = sys.stderr
    for index in range(start, len(blocks)):
        block = blocks[index]
        try:
            space = fresh_namespace(torch, block["preset"])
            outs = [run_example(src, space) for src in block["examples"]]
        except BaseException as error:  # noqa: BLE001
            outs = ["!! setup %s: %s\n" % (type(error).__name__, error)]
        answer.write(json.dumps([index, outs]) + "\n")
        answer.flush()


def run_side(side, blocks, blocks_file):
    """Every block's outputs on one side; a worker that dies is restarted after the block."""
    results, start = {}, 0
    while start < len(blocks):
        proc = subprocess.Popen([sys.executable, __file__, "--worker", side, blocks_file,
                                 str(start)], stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            if not line.startswith("["):
                continue  # something the block wrote around sys.stdout
            index, outs = json.loads(line)
            results[index] = outs
            start = index + 1
        proc.wait()
        if start < len(blocks) and start not in results:
            results[start] = ["!! worker died (exit %s)\n" % proc.returncode]
            start += 1
    return results


# --- comparing -----------------------------------------------------------------------------

MISSING = [re.compile(r"^!! AttributeError: (?:module|type object) '([\w.]+)' has no "
                      r"attribute '(\w+)'"),
           re.compile(r"^!! AttributeError: '(\w+)' object has no attribute '(\w+)'"),
           re.compile(r"^!! NameError: name '(\w+)'()")]
KEYWORD = re.compile(r"got an unexpected keyword argument '(\w+)'")
CALL = re.compile(r"((?:torch|nn|F)(?:\.\w+)+|\.\w+(?=\())")


def first_call(source):
    m = CALL.search(source)
    return m.group(1) if m else source.split("(")[0].strip()[:40]


def _gradsh_name(owner):
    return owner.replace("gradsh", "torch")


def compare(block, mine, theirs):
    """(verdict, cause) of one block."""
    for i, (src, a, b) in enumerate(zip(block["examples"], theirs, mine)):
        if a == b:
            continue
        last = b.strip().split("\n")[-1] if b.strip() else ""
        if last.startswith("!!") and not a.strip().split("\n")[-1:][0].startswith("!!"):
            for pattern in MISSING:
                m = pattern.match(last)
                if m:
                    owner, attr = m.groups()
                    what = ("%s.%s" % (_gradsh_name(owner), attr)) if attr else owner
                    return "not-supported", "missing: " + what
            if last.startswith("!! NotImplementedError"):
                return "not-supported", "not implemented: " + first_call(src)
            m = KEYWORD.search(last)
            if m:
                return "error-only-in-gradsh", "keyword %r of %s" % (m.group(1), first_call(src))
            return "error-only-in-gradsh", "%s raises %s" % (first_call(src), last[3:].split(":")[0])
        if a.strip().startswith("!!") or a.strip().split("\n")[-1:][0].startswith("!!"):
            return "differs", "message of " + first_call(src)
        if " ".join(a.split()) == " ".join(b.split()):
            return "differs", "spacing of " + first_call(src)
        return "differs", "output of " + first_call(src)
    if len(mine) != len(theirs):
        return "differs", "worker: " + (mine[-1] if mine else "no output").strip()
    return "same", None


def report(blocks, torch_out, gradsh_out, skipped, causes_shown):
    verdicts = collections.Counter()
    by_cause = collections.defaultdict(list)
    rows = []
    for index, block in enumerate(blocks):
        verdict, cause = compare(block, gradsh_out[index], torch_out[index])
        verdicts[verdict] += 1
        if cause:
            by_cause[(verdict, cause)].append(block["name"])
        rows.append({"name": block["name"], "verdict": verdict, "cause": cause})
    total = len(blocks) + sum(skipped.values())
    print("docstring sweep: %d blocks with examples, %d run, %d skipped" %
          (total, len(blocks), sum(skipped.values())))
    for verdict in ("same", "differs", "error-only-in-gradsh", "not-supported"):
        print("  %-22s %5d" % (verdict, verdicts[verdict]))
    print("skipped:")
    for reason, n in skipped.most_common():
        print("  %-22s %5d" % (reason, n))
    print("causes (first differing example of each block), most blocks first:")
    ordered = sorted(by_cause.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for (verdict, cause), names in ordered[:causes_shown]:
        print("  %3d  %-20s %s   [%s%s]" % (len(names), verdict, cause, ", ".join(names[:3]),
                                            ", ..." if len(names) > 3 else ""))
    if len(ordered) > causes_shown:
        print("  ... %d more causes (--causes N shows more)" % (len(ordered) - causes_shown))
    return rows


def show(blocks, torch_out, gradsh_out):
    for index, block in enumerate(blocks):
        if compare(block, gradsh_out[index], torch_out[index])[0] == "same":
            continue
        print("=" * 30, block["name"])
        for src, a, b in zip(block["examples"], torch_out[index], gradsh_out[index]):
            mark = "   " if a == b else "XX "
            print(mark + ">>> " + src.replace("\n", "\n    ... "))
            if a == b:
                print("    " + a.rstrip().replace("\n", "\n    "))
            else:
                print("  torch:\n    " + a.rstrip().replace("\n", "\n    "))
                print("  gradsh:\n    " + b.rstrip().replace("\n", "\n    "))


def main(argv):
    if argv[:1] == ["--worker"]:
        return worker(argv[1], argv[2], int(argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run only blocks whose name contains one of these "
                                       "comma-separated strings")
    parser.add_argument("--json", help="write each block's verdict and cause to this file")
    parser.add_argument("--show", action="store_true",
                        help="print the examples of each block that is not the same, both "
                             "sides' output where they differ")
    parser.add_argument("--causes", type=int, default=40, help="causes listed (default 40)")
    args = parser.parse_args(argv)
    blocks = extract()
    if args.only:
        wanted = args.only.split(",")
        blocks = [b for b in blocks if any(w in b["name"] for w in wanted)]
    skipped, kept = collections.Counter(), []
    for block in blocks:
        reason = skip_reason(block)
        if reason:
            skipped[reason] += 1
        else:
            kept.append(block)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(kept, f)
    try:
        torch_out = run_side("torch", kept, f.name)
        again = run_side("torch", kept, f.name)
        gradsh_out = run_side("gradsh", kept, f.name)
    finally:
        os.unlink(f.name)
    # a block PyTorch itself does not print the same twice (uninitialized memory of empty,
    # timings) says nothing about gradsh: skipped
    unstable = [i for i in range(len(kept)) if torch_out[i] != again[i]]
    skipped["unstable under torch"] += len(unstable)
    kept = [b for i, b in enumerate(kept) if i not in unstable]
    torch_out = [o for i, o in sorted(torch_out.items()) if i not in unstable]
    gradsh_out = [o for i, o in sorted(gradsh_out.items()) if i not in unstable]
    if args.show:
        return show(kept, torch_out, gradsh_out)
    rows = report(kept, torch_out, gradsh_out, skipped, args.causes)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(sys.argv[1:])
