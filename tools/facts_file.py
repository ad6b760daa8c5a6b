"""Write a sweep's recorded facts as tests/data/NAME.json: one line per case (so a re-record
shows as a readable diff), headed by the PyTorch version that produced them."""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def write(name, facts, torch_version):
    path = ROOT / "tests" / "data" / name
    lines = [json.dumps(k) + ": " + json.dumps(v, separators=(",", ":")) for k, v in facts.items()]
    head = json.dumps({"torch": torch_version})[:-1]
    path.write_text(head + ', "facts": {\n' + ",\n".join(lines) + "\n}}\n")
    print(f"wrote {path}: {len(facts)} cases")
