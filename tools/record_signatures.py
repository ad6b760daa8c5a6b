"""Record PyTorch's argument-parser signatures for the names gradsh offers, into
gradsh/core/signatures.txt (read by gradsh/core/argcheck.py), and the sweep of wrong calls
into tests/data/argument_errors.json (tests/lang/test_argument_errors.py).

Run with PyTorch 2.13 installed:  python tools/record_signatures.py

PyTorch's C functions hold their signatures as strings ("mv(Tensor input, Tensor vec, *, Tensor
out=None)") in libtorch_python.so. For each name gradsh offers as torch.X, Tensor.X,
torch.nn.functional.X, torch.linalg.X or torch.special.X whose PyTorch version is a C function, the strings of
that name are the candidates; PyTorch itself says which belong to which surface: a call with an
object no parser takes lists every visible signature of a name that has several, and a few
probe calls (none, one, many arguments, an unknown keyword) must give, word for word, the
messages gradsh's argcheck predicts from the chosen strings. A name whose probes do not all
agree is left out (printed at the end).
"""

import itertools
import pathlib
import re
import sys

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "lang"))
import argument_sweep  # noqa: E402 - the sweep's odd values (ODD_VALUES)
from gradsh.core import argcheck  # noqa: E402
from gradsh.lang.runtime.namespaces import Provider  # noqa: E402

_SIGNATURE = re.compile(rb"([a-z_][a-z0-9_]*)\(([ -~]*)\)(\|deprecated|\|hidden)?$")


class S:
    """An object no parser takes."""


def library_strings():
    """name -> the signature strings of that name in libtorch_python.so, in file order (each
    NUL-ended string and its suffixes: the linker may share one string's tail with another)."""
    path = pathlib.Path(torch.__file__).parent / "lib" / "libtorch_python.so"
    found = {}
    for chunk in path.read_bytes().split(b"\0"):
        if b"(" not in chunk or not (chunk.endswith(b")") or chunk.endswith(b"|deprecated")
                                     or chunk.endswith(b"|hidden")):
            continue
        for start in range(len(chunk)):
            m = _SIGNATURE.match(chunk, start)
            # (a name's own start: new_empty's string is not empty's, though its tail reads so)
            if m and (start == 0 or not (chunk[start - 1:start].isalnum()
                                         or chunk[start - 1:start] == b"_")):
                text = m.group(0).decode()
                if not parses(text):
                    continue
                found.setdefault(m.group(1).decode(), [])
                if text not in found[m.group(1).decode()]:
                    found[m.group(1).decode()].append(text)
    return found


def parses(text):
    try:
        argcheck.Signature(text)
    except (KeyError, ValueError):
        return False
    return True


def surfaces():
    """(surface, gradsh name, PyTorch's callable) for every C function gradsh offers."""
    provider = Provider()
    torch_ns = provider.torch
    functional = torch_ns.get("nn").get("functional")
    linalg = torch_ns.get("linalg")
    special = torch_ns.get("special")
    out = []
    builtin = type(torch.sum)
    for name in sorted(provider.public_names()):
        if isinstance(getattr(torch, name, None), builtin):
            out.append(("torch", name, getattr(torch, name)))
    import gradsh
    for name in sorted(n for n in dir(gradsh.Tensor) if not n.startswith("_")):
        if type(getattr(torch.Tensor, name, None)).__name__ == "method_descriptor":
            out.append(("Tensor", name, name))
    for surface, ns, module in (("F", functional, torch.nn.functional),
                                ("linalg", linalg, torch.linalg),
                                ("special", special, torch.special)):
        for name in sorted(ns.names()):
            if isinstance(getattr(module, name, None), builtin):
                out.append((surface, name, getattr(module, name)))
    return out


def call(surface, fn, args, kwargs):
    """PyTorch's (type, message) for a call, or None when it runs. The call is written out
    (t.abs(a0, zzz=k0)), as a program writes it: CPython names a method of no arguments
    otherwise when it is called through a bound method object or f(*args) (Tensor.abs, not
    TensorBase.abs)."""
    env = {"t": torch.ones(2, 3), "f": fn}
    env.update(("a%d" % i, a) for i, a in enumerate(args))
    env.update(("k_" + k, v) for k, v in kwargs.items())
    text = ("t.%s(%%s)" % fn if surface == "Tensor" else "f(%s)") % ", ".join(["a%d" % i for i in range(len(args))]
                               + ["%s=k_%s" % (k, k) for k in kwargs])
    try:
        eval(text, env)  # noqa: S307 - the tool's own call text
    except Exception as e:  # noqa: BLE001 - every outcome is recorded
        return [type(e).__name__, str(e)]
    return None


T = torch.ones(2, 3)  # a tensor first: the probes after it tell apart signatures whose first
# parameter is the same (torch.select(Tensor, int, SymInt) vs a Tensor index)
PROBES = [((), {}), ((S(),), {}), ((S(), S()), {}), ((S(),) * 9, {}), ((), {"zzz": S()}),
          ((S(),), {"zzz": S()}), ((1,), {}), ((1.5, S()), {}), ((T, S()), {}),
          ((T, 0, S()), {}), ((T, 0, 0, S()), {}), ((0, S()), {}), ((0, 0, S()), {})]


def _gradsh_value(x):
    import gradsh
    return gradsh.ones(tuple(x.shape)) if isinstance(x, torch.Tensor) else x


def predicted(sigs, args, kwargs):
    message = argcheck._no_arguments(sigs[0], args, kwargs) if isinstance(sigs[0], str) \
        else argcheck._refusal(sigs, args, kwargs)
    return None if message is None else ["TypeError", message]


def agrees(surface, fn, texts):
    if texts[0].startswith(argcheck.NO_ARGUMENTS):
        sigs = (texts[0][len(argcheck.NO_ARGUMENTS):],)
    else:
        sigs = tuple(argcheck.Signature(t) for t in texts)
        sigs = tuple([s for s in sigs if not s.deprecated] + [s for s in sigs if s.deprecated])
    for args, kwargs in PROBES:
        actual = call(surface, fn, args, kwargs)
        if actual is not None and actual[0] != "TypeError":
            continue  # the arguments matched and the op refused the values
        try:
            if predicted(sigs, [_gradsh_value(a) for a in args], kwargs) != actual:
                return False
        except (argcheck.ElementError, LookupError):
            return False
    return True


_NO_ARGUMENTS = re.compile(r"(\S+)\(\) takes no arguments \(1 given\)$")


def choose(surface, name, fn, candidates):
    """The signature strings of fn among the candidates, or None."""
    no_arguments = _NO_ARGUMENTS.match((call(surface, fn, (S(),), {}) or ["", ""])[1])
    if no_arguments:  # a C function of no arguments: Python's words, with PyTorch's name
        chosen = [argcheck.NO_ARGUMENTS + no_arguments.group(1)]
        return chosen if agrees(surface, fn, chosen) else None
    method = surface == "Tensor"
    visible = [c for c in candidates if not c.endswith(("|deprecated", "|hidden"))]
    hidden = [c for c in candidates if c not in visible
              and (c.split("(", 1)[1].startswith("Tensor input") != method)]
    listings = [call(surface, fn, args, kwargs) for args, kwargs in PROBES]
    listing = next((m for m in listings if m and "expected one of:\n" in m[1]), None)
    if listing:
        printed = [line[3:] for line in listing[1].split("\n") if line.startswith(" * ")]
        chosen = []
        for line in printed:
            same = [c for c in visible if str(argcheck.Signature(c)) == line]
            if not same:
                return None
            chosen.append(same)
        for pick in itertools.islice(itertools.product(*chosen), 64):
            for extra in ([], hidden):
                if agrees(surface, fn, list(pick) + extra):
                    return list(pick) + extra
        return None
    for one in visible:
        for extra in ([], hidden):
            if agrees(surface, fn, [one] + extra):
                return [one] + extra
    return None


def record_table():
    strings = library_strings()
    table, missed = {}, []
    for surface, name, fn in surfaces():
        raw = (fn if surface == "Tensor" else fn.__name__)
        candidates = strings.get(raw, [])
        chosen = choose(surface, name, fn, candidates)
        if chosen is None:
            missed.append(surface + "." + name)
        else:
            table[surface + "." + name] = chosen
    path = ROOT / "gradsh" / "core" / "signatures.txt"
    head = ("# PyTorch %s's argument-parser signatures (facts recorded from PyTorch by "
            "tools/record_signatures.py:\n# the strings of libtorch_python.so, each checked "
            "against PyTorch's own messages). surface.name<TAB>signature<TAB>...\n"
            % torch.__version__)
    path.write_text(head + "".join("\t".join([k] + v) + "\n" for k, v in sorted(table.items())))
    print(f"wrote {path}: {len(table)} names; not recorded: {len(missed)}: {' '.join(missed)}")
    return table


# ----- the sweep of wrong calls ------------------------------------------------------------
# the wrong arguments tried after the leading tensor (the sweep's calls, as .grad source)
WRONG = ["'a'", "[1, 'a']", "None", "1.5", "t", "1, 1, 1, 1, 1, 1, 1, 1, 1", "zzz=1",
         "dim='x'"]
# more classes, recorded apart (argument_errors_more.json): __index__ / __float__ that raise or
# return a float (argument_sweep.ODD_VALUES), a tuple of tensors, a ragged nested list
MORE_WRONG = ["RaisingIndex()", "FloatIndex()", "RaisingFloat()", "(t, t)", "[[1, 2], [3]]"]


def sweep_calls(table, wrong_values=WRONG, alone=True):
    calls = []
    for key in sorted(table):
        surface, name = key.split(".", 1)
        head = {"torch": "torch.%s(" % name, "Tensor": "t.%s(" % name,
                "F": "F.%s(" % name, "linalg": "torch.linalg.%s(" % name,
                "special": "torch.special.%s(" % name}[surface]
        first = "" if surface == "Tensor" else "t, "
        if alone:
            calls.append(head + ")")
            calls.append(head + "'a')")
        calls += [head + first + wrong + ")" for wrong in wrong_values]
    return calls


def record_sweep(calls, name):
    import torch.nn.functional as F  # noqa: F401 - the calls name it
    exec(argument_sweep.ODD_VALUES, globals())  # noqa: S102 - the sweep's own class texts
    facts = {}
    for source in calls:
        t = torch.ones(2, 3)  # noqa: F841 - the calls name it
        try:
            eval(source)  # noqa: S307 - the tool's own call texts
            facts[source] = None
        except Exception as e:  # noqa: BLE001 - every outcome is recorded
            facts[source] = [type(e).__name__, str(e)]
    facts_file.write(name, facts, torch.__version__)


def main():
    torch.set_num_threads(1)
    table = record_table()
    record_sweep(sweep_calls(table), "argument_errors.json")
    record_sweep(sweep_calls(table, MORE_WRONG, alone=False), "argument_errors_more.json")


if __name__ == "__main__":
    main()
