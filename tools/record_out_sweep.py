"""Record what PyTorch does with `out=` for every torch.* function gradsh gives it to
(gradsh/core/ops/out.py's OUT_FUNCTIONS, from signatures.txt) into tests/data/out_sweep.json
(tests/core/test_out_sweep.py): for each name, the first of a few plain calls that PyTorch
runs, then that call with `out=` an empty tensor of the result's dtype (the values made), with
an out of the wrong size (the warning), of the wrong dtype, requiring grad, and aliasing the
first input (the exception's type and first line, or the shape made).

Run with PyTorch 2.13 installed:  python tools/record_out_sweep.py
"""

import pathlib
import sys
import warnings

import torch

import facts_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gradsh.core.ops.out import OUT_FUNCTIONS  # noqa: E402

# candidate argument lists, tried in order (x: a 3x3 float matrix of positive values, v: a
# vector, i: an int64 matrix of indices): the first PyTorch runs is the name's call
CANDIDATES = ["x", "x, x", "x, 0", "x, x, x", "[x, x]", "x, 2", "v, v", "x, v", "i, i", "x, 0, i",
              "x, i", "x > 1", "x > 1, x, x", "x, 1, 1", "i", "x, 0, i, x", "v", "x, 2, 0",
              "x, x.max() + 1", "v, 2", "x.sum(0), x"]
SETUP = ("x = torch.tensor([[1.5, 2.0, 0.5], [3.0, 0.25, 1.0], [2.5, 1.0, 4.0]]); "
         "v = torch.tensor([0.5, 1.5, 2.0]); i = torch.tensor([[0, 1, 2], [2, 1, 0], [1, 1, 0]])")


def _plain(v):
    """tolist()'s values as JSON data: a complex number as [real, imag]."""
    if isinstance(v, list):
        return [_plain(a) for a in v]
    return [v.real, v.imag] if isinstance(v, complex) else v


def outcome(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = fn()
        except Exception as e:  # noqa: BLE001 - every outcome is recorded
            return [type(e).__name__, str(e).split("\n")[0][:200]]
    said = [str(m.message).split(" This behavior")[0][:120] for m in w
            if "was resized" in str(m.message)]
    rs = r if isinstance(r, tuple) else (r,)
    return ["ok", [[str(t.dtype).replace("torch.", ""), list(t.shape), _plain(t.tolist())]
                   if isinstance(t, torch.Tensor) else repr(t) for t in rs], said]


def empty_like_result(r, dtype=None, n=0, grad=False):
    def one(t):
        return torch.zeros(n, dtype=dtype or t.dtype, requires_grad=grad and t.is_floating_point())
    return tuple(one(t) for t in r) if isinstance(r, tuple) else one(r)


def record(name, only=None):
    """(call, outcomes) for the first candidate PyTorch runs (only that one if given)."""
    fn = getattr(torch, name)
    env = {"torch": torch}
    exec(SETUP, env)  # noqa: S102 - own text
    for args in CANDIDATES if only is None else [only]:
        call = "torch.%s(%s)" % (name, args)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = eval(call, env)  # noqa: S307 - own text
        except Exception:  # noqa: BLE001 - try the next
            continue
        if not (isinstance(r, torch.Tensor) or isinstance(r, tuple) and r and
                all(isinstance(t, torch.Tensor) for t in r)):
            return call, None
        first = eval(args.split(",")[0].strip() if not args.startswith("[") else "x", env)

        def again(out):
            def f():
                exec(SETUP, env)  # noqa: S102 - fresh inputs each time
                return eval("torch.%s(%s, out=OUT)" % (name, args), dict(env, OUT=out(env)))
            return f
        wrong_dtype = torch.int64 if (r[0] if isinstance(r, tuple) else r).is_floating_point() \
            else torch.bool
        cases = {
            "empty": again(lambda e: empty_like_result(r)),
            "wrong_size": again(lambda e: empty_like_result(r, n=1)),
            "wrong_dtype": again(lambda e: empty_like_result(r, dtype=wrong_dtype)),
            "requires_grad": again(lambda e: empty_like_result(r, grad=True)),
            "alias_first": again(lambda e: e[args.split(",")[0].strip()] if not isinstance(r, tuple)
                                 and not args.startswith("[") else e["x"]),
        }
        del first, fn
        return call, {k: outcome(f) for k, f in cases.items()}
    return None, None


def main():
    torch.set_num_threads(1)
    facts = {}
    for name in sorted(OUT_FUNCTIONS):
        call, cases = record(name)
        facts[name] = {"call": call, "cases": cases}
    facts_file.write("out_sweep.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
