"""Why gradsh has its own LALR driver: the driver against Lark's own LALR parser.

    python benchmarks/parser_bench.py [--lines 10000] [--repeat 5]

Both parse the same tokens (gradsh's lexer) with the same table and call the same compiler at
each reduction (gradsh/lang/syntax/lark_reference.py); only the parser loop differs.
1. Parse + compile to a Python AST, lines/s (CPU time, best of N), for the programs in scripts/
   repeated and for dense synthetic lines; the tokens alone are timed too.
2. Time to the first parse in a fresh process (CPU and wall time, best of N): gradsh (cached tables,
   no Lark import) against Lark built from the grammar, and Lark loading its own cache.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

from lang_bench import CHILD_ENV, best_of, dense_program, realistic_program  # noqa: E402


def bench_parse(program, repeat):
    from gradsh.lang.syntax.indentation import Layout
    from gradsh.lang.syntax.lark_reference import lark_parser
    from gradsh.lang.syntax import parser as driver_module
    from gradsh.lang.syntax.parser import get_parser

    driver, lark = get_parser(), lark_parser()
    lines = program.count("\n")
    tokens = sum(1 for _ in driver.lexer.tokens(program, Layout()))
    t_lex = best_of(repeat, lambda: sum(1 for _ in driver.lexer.tokens(program, Layout())))
    t_driver = best_of(repeat, lambda: driver.parse(program))

    def with_lark():
        saved = driver_module._parser
        driver_module._parser = lark  # f-string fields too
        try:
            lark.parse(program)
        finally:
            driver_module._parser = saved
    t_lark = best_of(repeat, with_lark)
    return lines, tokens, t_lex, t_driver, t_lark


FIRST_PARSE = {
    "gradsh driver (cached tables)":
        "from gradsh.lang.syntax.parser import parse; parse('x = 1\\n')",
    "Lark LALR, built from the grammar":
        "from gradsh.lang.syntax.lark_reference import lark_parser; "
        "lark_parser().parse('x = 1\\n')",
    "Lark LALR, from Lark's cache":
        "from gradsh.lang.syntax.lark_reference import lark_parser; "
        "lark_parser(cache=True).parse('x = 1\\n')",
}


def first_parse(code, repeat):
    """(wall, CPU) seconds from the first import to the parsed AST, best of `repeat`."""
    timed = ("import time; t0, c0 = time.perf_counter(), time.process_time(); %s; "
             "print(time.perf_counter() - t0, time.process_time() - c0)" % code)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=CHILD_ENV)  # caches
    wall = cpu = float("inf")
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", timed], capture_output=True, text=True,
                             cwd=ROOT, check=True, env=CHILD_ENV)
        w, c = map(float, out.stdout.strip().splitlines()[-1].split())
        wall, cpu = min(wall, w), min(cpu, c)
    return wall, cpu


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    print("1. parse + compile to a Python AST (CPU time, best of %d)" % args.repeat)
    for label, program in (("scripts/*.grad repeated", realistic_program(args.lines)),
                           ("dense synthetic lines", dense_program(args.lines))):
        lines, tokens, t_lex, t_driver, t_lark = bench_parse(program, args.repeat)
        print("   %s: %d lines, %d tokens (lexing alone %.3f s)" % (label, lines, tokens, t_lex))
        print("     driver       %.3f s = %7.0f lines/s" % (t_driver, lines / t_driver))
        print("     Lark LALR    %.3f s = %7.0f lines/s   driver speed-up x%.2f"
              % (t_lark, lines / t_lark, t_lark / t_driver))

    print("2. time to the first parse, fresh process (import + build + parse 'x = 1'; "
          "best of %d)" % args.repeat)
    for label, code in FIRST_PARSE.items():
        wall, cpu = first_parse(code, args.repeat)
        print("   %-36s %6.1f ms CPU, %6.1f ms wall" % (label, 1e3 * cpu, 1e3 * wall))


if __name__ == "__main__":
    main()
