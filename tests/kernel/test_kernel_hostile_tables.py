"""The hostile tables through the Jupyter kernel (issue 16, round 10): a sample of the programs
of rounds 9 and 10 (tests/cli/hostile_round9.py, hostile_round10.py), each run as one cell by an
execute_request as the CLI runs them as files, in one kernel with a 64 MiB tensor limit
(GRADSH_MAX_MEMORY). The kernel never dies, a failing cell is one located error of the kind
and line the CLI gives (never a traceback, never a host path), and the kernel keeps working
after each: a cell after it runs."""

import os
import pathlib
import re
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
from hostile_round9 import ROUND9_CASES  # noqa: E402
from hostile_round10 import ROUND10_CASES  # noqa: E402
from hostile_round11 import ROUND11_CASES  # noqa: E402
from hostile_round12 import ROUND12_CASES  # noqa: E402
from hostile_round13 import ROUND13_CASES  # noqa: E402
from hostile_round14 import ROUND14_CASES  # noqa: E402
from hostile_round15 import ROUND15_CASES  # noqa: E402
from hostile_round16 import ROUND16_CASES  # noqa: E402
from hostile_round20 import ROUND20_CASES  # noqa: E402
from hostile_round21 import ROUND21_CASES  # noqa: E402

# every 12th program of each round: about 55 cells (the kernel runs them one after another)
SAMPLE = [("round9-" + c[0],) + c[1:] for c in ROUND9_CASES[::12]] + [
    ("round10-" + c[0],) + c[1:] for c in ROUND10_CASES[::12]] + [
    ("round11-" + c[0],) + c[1:] for c in ROUND11_CASES[::12]] + [
    ("round12-" + c[0],) + c[1:] for c in ROUND12_CASES[::12]] + [
    ("round13-" + c[0],) + c[1:] for c in ROUND13_CASES[::12]] + [
    ("round14-" + c[0],) + c[1:] for c in ROUND14_CASES[::12]] + [
    ("round15-" + c[0],) + c[1:] for c in ROUND15_CASES[::12]] + [
    ("round16-" + c[0],) + c[1:] for c in ROUND16_CASES[::12]] + [
    # --- hostile20 ---
    ("round20-" + c[0],) + c[1:] for c in ROUND20_CASES[::40]] + [
    # --- hostile21 ---
    ("round21-" + c[0],) + c[1:] for c in ROUND21_CASES[::40]]
_HEAD = re.compile(r"^<cell \d+>:(\d+):\d+: (\w+)(?:: |$)")  # (an empty message: `EOFError` alone)


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    from kernel_helpers import make_jupyter_path, start_kernel, stop_kernel
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", make_jupyter_path(tmp_path_factory.mktemp("jupyter")))
        mp.setenv("GRADSH_MAX_MEMORY", "64M")
        k = start_kernel()
        try:
            yield k
        finally:
            stop_kernel(k)


# program -> why it differs in the kernel (strict xfail). Round 14's sample found one, fixed: a
# backward after round 13's ma-deep-chain cell (a chain of 5,000 modules kept in the kernel's
# variables) failed as an internal RecursionError while naming the changed gradients
# (session._name_of walked the chain's named_parameters); a model too deep to walk is skipped.
KNOWN = {}


@pytest.mark.parametrize("program, status, kind, line, fragment", [
    pytest.param(*c[1:], marks=pytest.mark.xfail(reason=KNOWN[c[0]], strict=True))
    if c[0] in KNOWN else c[1:] for c in SAMPLE], ids=[c[0] for c in SAMPLE])
def test_hostile_programs_end_cleanly_in_the_kernel(limited, program, status, kind, line,
                                                    fragment):
    cell = limited.run(program, timeout=60)
    shown = "\n".join(cell.reply.get("traceback", [])) + cell.stderr()
    assert "Traceback" not in shown and "site-packages" not in shown and \
        os.sep + "gradsh" + os.sep not in shown  # (no host path of gradsh's own files)
    if status == 0:
        assert cell.status == "ok", shown
    else:
        assert cell.status == "error", shown
        heads = [_HEAD.match(t) for t in "\n".join(cell.reply["traceback"]).splitlines()]
        head = next((h for h in heads if h), None)
        assert head and (head.group(2), int(head.group(1))) == (kind, line), shown
        assert fragment in shown
    after = limited.run("print(1 + 1)")
    assert (after.status, after.stdout()) == ("ok", "2\n")
    if "simplefilter" in program or "filterwarnings" in program:
        # a program's warning filters stay in the kernel, as in a notebook (`error` would turn
        # the next programs' warnings into errors): the sample goes on in a fresh session
        assert limited.run(":reset").status == "ok"
