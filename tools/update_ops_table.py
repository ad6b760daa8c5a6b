"""Rewrite the table of ops in docs/autograd.md from the declarations (ops/registry.py).

    python tools/update_ops_table.py

tests/core/test_registry.py fails when the table and the declarations disagree.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gradsh.core.bindings import ops_table  # noqa: E402

BEGIN, END = "<!-- ops table: begin (tools/update_ops_table.py) -->", "<!-- ops table: end -->"


def main():
    doc = ROOT / "docs" / "autograd.md"
    text = doc.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    new = pattern.sub(lambda m: BEGIN + "\n" + ops_table() + END, text)
    if new != text:
        doc.write_text(new)
        print("docs/autograd.md: table of ops updated")


if __name__ == "__main__":
    main()
