"""Record what PyTorch prints for the learner programs into tests/data/learner_programs/NAME.out,
and what Python's REPL prints when they are typed into it line by line into repl.json.

Run with PyTorch 2.13 installed:  python tools/record_learner_programs.py [--repl] [NAME...]
(--repl: record repl.json only: the named programs, merged into what repl.json holds, or every
program when none is named; other sessions add programs too, so naming yours keeps theirs)
Each program runs under Python with PyTorch through tests/data/learner_programs/runner.py (one
process, each program from a fresh process's state); tests/lang/test_learner_programs.py runs
them in gradsh both ways (as .grad programs and through `import gradsh as torch`) and compares.
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "data" / "learner_programs"


def main(names):
    if names[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return
    unknown = [n for n in names if n != "--repl" and not (PROGRAMS / (n + ".grad")).exists()]
    if unknown:
        raise SystemExit("no such program: " + ", ".join(unknown) + " (names are "
                         "tests/data/learner_programs/NAME.grad without the suffix)")
    if names[:1] == ["--repl"]:
        return record_repl(names[1:])
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    paths = [PROGRAMS / (n + ".grad") for n in names] or sorted(PROGRAMS.glob("*.grad"))
    done = subprocess.run([sys.executable, str(PROGRAMS / "runner.py"), "torch"]
                          + [str(p) for p in paths], capture_output=True, text=True, check=True)
    for name, text in json.loads(done.stdout).items():
        (PROGRAMS / name).with_suffix(".out").write_text(text)
    print(f"recorded {len(paths)} programs into {PROGRAMS}")


def record_repl(names):
    """Python's REPL with PyTorch, each program typed line by line (runner.typed_in_repl): what
    tests/cli/test_learner_repl.py compares gradsh's REPL with. Named programs are merged into
    the recording; programs whose .grad file is gone are dropped from it."""
    paths = [PROGRAMS / (n + ".grad") for n in names] or sorted(PROGRAMS.glob("*.grad"))
    done = subprocess.run([sys.executable, str(PROGRAMS / "runner.py"), "torch-repl"]
                          + [str(p) for p in paths], capture_output=True, text=True, check=True)
    file = PROGRAMS / "repl.json"
    recorded = json.loads(file.read_text()) if names and file.exists() else {}
    recorded.update({pathlib.Path(name).stem: result
                     for name, result in json.loads(done.stdout).items()})
    recorded = {name: result for name, result in recorded.items()
                if (PROGRAMS / (name + ".grad")).exists()}
    file.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(paths)} programs typed into Python's REPL into {PROGRAMS}/repl.json")


if __name__ == "__main__":
    main(sys.argv[1:])
