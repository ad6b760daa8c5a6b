"""Record which private names PyTorch 2.13's objects carry, and their values, for branch lang21's
rule on private attributes (gradsh/lang/runtime/torchprivate.py, docs/security.md).

Run with PyTorch 2.13 installed:  python tools/record_torch_private.py

It builds one object of every nn layer (the first of a few argument lists that constructs it),
of the common optimizers, schedulers, data classes, distributions, pruning methods and tensors
(tests/data/torch_private_cases.py), and lists each object's names starting with one '_' whose
value is data, not a method (dir() of the object: the instance's and its classes' names).
It writes:
- gradsh/lang/torch_private_names.py: PyTorch's class name -> those names (what the .grad gate
  reads: a private name PyTorch's object does not have is not offered, whatever gradsh keeps);
- tests/data/torch_private.json: for each object (its constructor expression), each name's value
  as the test compares it (type name, and the value itself when it is plain data).
"""

import json
import pathlib
import pprint
import sys
import types
import warnings

import torch
import torch.nn.utils.prune  # noqa: F401  (the cases name nn.utils.prune)

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
import torch_private_cases as cases  # noqa: E402

SAME = {"TensorBase": "Tensor"}
NAMES_OUT = ROOT / "gradsh" / "lang" / "torch_private_names.py"
FACTS_OUT = ROOT / "tests" / "data" / "torch_private.json"
METHODS = (types.MethodType, types.BuiltinMethodType, types.FunctionType,
           types.MethodWrapperType, staticmethod, classmethod)


def private_data(obj):
    """{name: value} of obj's names with one leading '_' whose values are not methods."""
    found = {}
    for name in dir(obj):
        if not name.startswith("_") or name.startswith("__"):
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if isinstance(value, METHODS) or name.startswith("_abc_"):
            continue
        found[name] = value
    return found


def fact(value):
    """A value as the test compares it: its type's name, and the value when it is plain data."""
    return [type(value).__name__, cases.plain(value)]


def objects():
    """(expression, object) for each case that constructs under PyTorch."""
    made = []
    for expression in cases.layer_expressions(torch) + cases.OBJECTS:
        try:
            made.append((expression, cases.build(torch, expression)))
        except Exception as e:
            print("skipped %s: %s" % (expression, e))
    return made


def main():
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    names, bases, facts = {}, {}, {}
    module = {n: fact(v) for n, v in private_data(torch.nn.Module()).items()}
    for expression, obj in objects():
        data = private_data(obj)
        mine = {n: fact(v) for n, v in sorted(data.items())}
        if isinstance(obj, torch.nn.Module) and expression != "nn.Module()":
            # (a layer's names as a bare Module's: once, in nn.Module()'s)
            mine = {n: f for n, f in mine.items() if module.get(n) != f}
        facts[expression] = {"class": type(obj).__name__, "names": mine}
        # (PyTorch's TensorBase is gradsh's Tensor; typing's Generic is no torch class)
        mro = [SAME.get(c.__name__, c.__name__) for c in type(obj).__mro__[:-1]
               if c.__module__ != "typing"]
        for i, name in enumerate(mro):
            if name not in names:
                names[name] = set(data)
            elif i == 0:  # the object's own class: the names any of its objects carries
                names[name] |= set(data)
            else:  # a base class: the names all its objects carry
                names[name] &= set(data)
            bases[name] = [b for b in mro[i + 1:] if b != name]
    # each class lists only the names its bases in the table do not (the gate takes the union
    # over an object's classes)
    table = {}
    for name in sorted(names):
        inherited = set().union(*(names[b] for b in bases[name]))
        if names[name] - inherited:
            table[name] = tuple(sorted(names[name] - inherited))
    NAMES_OUT.write_text(
        '"""PyTorch 2.13\'s private data names by class (written by tools/record_torch_private.py;\n'
        'do not edit): a class\'s names are those its objects carry whatever their subclass\n'
        '(nn.Module\'s hook dicts: the names common to all the objects recorded), a class\'s own\n'
        'those any of its objects carries (MultiheadAttention\'s `_qkv_same_embed_dim`), less its\n'
        'bases\'. The .grad gate offers a private name of a torch object only when\n'
        'PyTorch\'s object has it (gradsh/lang/runtime/torchprivate.py)."""\n\n'
        "NAMES = " + pprint.pformat(table, width=99, compact=True) + "\n")
    FACTS_OUT.write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    print("%d classes, %d objects" % (len(table), len(facts)))


if __name__ == "__main__":
    main()
