"""Each benchmark workload runs once and computes what its numpy floor computes (correctness only)."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))

import floor  # noqa: E402
import workloads  # noqa: E402

import gradsh  # noqa: E402


@pytest.mark.parametrize("wid", sorted(workloads.WORKLOADS))
def test_workload_matches_its_numpy_floor(wid):
    _, check = workloads.WORKLOADS[wid](gradsh)
    _, floor_check = floor.FLOORS[wid]()
    got, want = check(), floor_check()
    assert got == pytest.approx(want, rel=1e-4, abs=1e-4)


@pytest.mark.parametrize("wid", sorted(floor.TUNED))
def test_a_tuned_floor_computes_what_its_plain_floor_does(wid):
    assert floor.TUNED[wid]()[1]() == floor.FLOORS[wid]()[1]()


@pytest.mark.parametrize("wid", sorted(floor.FAITHFUL))
def test_a_faithful_floor_prints_gradshs_digits(wid):
    # the faithful floor is the numpy code that gives PyTorch's float32 digits: gradsh's too
    assert floor.FAITHFUL[wid]()[1]() == workloads.WORKLOADS[wid](gradsh)[1]()


@pytest.mark.parametrize("wid", sorted(workloads.WORKLOADS))
def test_workload_matches_pytorch(wid):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    _, check = workloads.WORKLOADS[wid](gradsh)
    _, torch_check = workloads.WORKLOADS[wid](torch)
    assert check() == pytest.approx(torch_check(), rel=1e-4, abs=1e-4)


def test_tutorial_graph_gradient_is_4_5_per_element():
    _, check = workloads.make_w1(gradsh)
    assert check() == pytest.approx(4 * 4.5)


BENCH = pathlib.Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("script, args, says", [
    ("run.py", ["--quick", "--only", "W1"], "W1 "),
    ("lang_bench.py", ["--iterations", "20", "--lines", "60", "--repeat", "1"], "lines/s"),
    ("startup_bench.py", ["--runs", "1"], "W5 ratio"),
    ("rng_bench.py", ["--n", "1000", "--repeats", "1"], "ratio"),
    ("parser_bench.py", ["--lines", "60", "--repeat", "1"], "driver speed-up"),
    ("jupyter_bench.py", ["--runs", "1", "--steps", "20", "--plot-steps", "20"], "J3"),
])
def test_each_benchmark_command_runs_to_its_figures(script, args, says):
    """The commands README.md gives run (tiny sizes, figures not checked: timing is no test)."""
    import subprocess
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert says in done.stdout


@pytest.mark.parametrize("make", ["realistic_program", "dense_program"])
def test_w8s_ten_thousand_line_programs_fit_the_token_limit(make):
    """W8 parses 10,000-line programs by default: the token limit (docs/security.md) must let
    them through, or the benchmark measures a LimitError."""
    import lang_bench
    from gradsh.lang.syntax.parser import parse_source
    text = getattr(lang_bench, make)(10_000)
    assert text.count("\n") >= 10_000
    parse_source(text, "w8.grad")  # no LimitError


def test_icount_stmt_runs_its_statement_in_the_setups_namespace():
    """icount_stmt.py's counted child (valgrind itself is not needed for this): the statement
    sees the setup's names, and a failing statement fails the run instead of counting nothing."""
    import subprocess
    run = [sys.executable, str(BENCH / "icount_stmt.py"), "--run", "--reps", "3",
           "import numpy as np; a = np.ones(4, np.float32)"]
    done = subprocess.run(run + ["a + a"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    failed = subprocess.run(run + ["b + a"], capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0 and "NameError" in failed.stderr
