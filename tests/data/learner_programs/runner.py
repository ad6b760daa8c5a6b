"""Run learner programs (the .grad files beside this one) under Python, one process for all.

`python runner.py torch PROG...` runs each program with PyTorch; `python runner.py gradsh
PROG...` first makes `import torch` load gradsh (`gradsh.install_as_torch()`), which is the
`import gradsh as torch` way. Each program starts from the state of a fresh process (the
default seed, print options, default dtype, grad mode), prints into a buffer, and an exception
it lets escape is recorded as a last line `!! Kind: message`. The result is a JSON object
{program file name: its output} on stdout. Used by tools/record_learner_programs.py (which
records PyTorch's side into NAME.out) and by tests/lang/test_learner_programs.py.
"""

import contextlib
import io
import json
import os
import re
import runpy
import sys
import warnings

FRESH_SEED = 67280421310721  # the seed of a fresh process's default generator in PyTorch
ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")


def fresh_state(torch):
    """What a program may change that a fresh process would not have changed."""
    torch.manual_seed(FRESH_SEED)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)


def escaped(error):
    """The last line a program that lets `error` escape prints here."""
    return "!! %s: %s\n" % (type(error).__name__, error)


def normalize(text):
    """Object addresses differ from run to run (PyTorch's too)."""
    return ADDRESS.sub(" object at 0x...>", text)


def run_all(torch, paths):
    results = {}
    for path in paths:
        fresh_state(torch)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(path, run_name="__main__")
        except Exception as error:  # noqa: BLE001 - recorded as the program's last line
            out.write(escaped(error))
        results[os.path.basename(path)] = normalize(out.getvalue())
    return results


def main(argv):
    side, paths = argv[0], argv[1:]
    warnings.simplefilter("ignore")
    if side == "gradsh":
        import gradsh
        gradsh.install_as_torch()
    import torch
    if side == "torch":
        torch.set_num_threads(1)
    print(json.dumps(run_all(torch, paths)))


if __name__ == "__main__":
    main(sys.argv[1:])
