"""Write NAME.out for each golden NAME.grad that is expected to succeed, from PyTorch itself.

    python tests/lang/golden/make_expected.py      (needs torch installed)

The programs are Python programs too; `python NAME.grad` with PyTorch prints the reference text.
Programs expected to fail (NAME.err exists) have hand-written .err and .out files.
"""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main():
    for grad in sorted(HERE.glob("*.grad")):
        if grad.with_suffix(".err").exists():
            continue
        done = subprocess.run([sys.executable, str(grad)], capture_output=True, text=True,
                              cwd=HERE, check=True)
        grad.with_suffix(".out").write_text(done.stdout)
        print("wrote", grad.with_suffix(".out").name)


if __name__ == "__main__":
    main()
