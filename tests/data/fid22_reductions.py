"""Every reduction's keyword forms (branch fid22): with and without dim, keepdim, dtype, as a
method and a torch function, run under PyTorch (tools/record_fid22.py, into
fid22_reductions.json) and gradsh (tests/core/test_fid22.py): the result's shapes and dtypes,
or the exception's class and first line (PyTorch refuses `x.sum(keepdim=True)`: no overload
of sum takes keepdim without dim)."""

import linecache

REDUCTIONS = ("sum", "mean", "prod", "amax", "amin", "max", "min", "std", "var", "norm",
              "logsumexp", "all", "any", "count_nonzero", "nansum", "nanmean", "median",
              "nanmedian", "mode", "argmax", "argmin", "aminmax")
FORMS = ("()", "(keepdim=True)", "(keepdim=False)", "(dim=None)", "(None, keepdim=True)",
         "(dim=None, keepdim=True)", "(1)", "(1, keepdim=True)", "(1, True)", "(dim=1)",
         "(dim=(0, 1))", "((0, 1), True)", "(dim=(), keepdim=True)", "(dim=[1])",
         "(dtype=torch.float64)", "(dtype=torch.float64, keepdim=True)",
         "(1, dtype=torch.float64)", "(-1, keepdim=True, dtype=torch.float64)")
CASES = ([f"x.{r}{f}" for r in REDUCTIONS for f in FORMS] +
         [f"torch.{r}(x, keepdim=True)" for r in REDUCTIONS] +
         [f"torch.{r}(x, 0, keepdim=True)" for r in REDUCTIONS] +
         [f"torch.{r}(x, keepdim=True)" for r in ("std_mean", "var_mean")] +
         [f"torch.{r}(x)" for r in ("std_mean", "var_mean")] +
         [f"b.{r}(keepdim=True)" for r in ("all", "any", "sum", "count_nonzero", "amax")] +
         [f"i.{r}(keepdim=True)" for r in ("sum", "prod", "amax", "argmax", "all")])


def _summary(torch, r):
    if isinstance(r, torch.Tensor):
        return ["tensor", list(r.shape), str(r.dtype)]
    if isinstance(r, tuple):
        return ["seq", [_summary(torch, x) for x in r]]
    return ["value", repr(r)]


def run(torch, expr):
    """What `expr` gives, run as a line of a program (its source in linecache, where gradsh's
    library errors read a call back to word PyTorch's TypeError)."""
    env = {"torch": torch, "x": torch.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, 2.0]]),
           "b": torch.tensor([[True, False, True]]), "i": torch.tensor([[1, 2, 3]])}
    name = f"<fid22 reductions: {expr}>"
    linecache.cache[name] = (len(expr) + 1, None, [expr + "\n"], name)
    try:
        r = eval(compile(expr, name, "eval"), env)
    except Exception as e:  # noqa: BLE001 - every error is a fact to compare
        return ["error", type(e).__name__, str(e).split("\n")[0]]
    return _summary(torch, r)
