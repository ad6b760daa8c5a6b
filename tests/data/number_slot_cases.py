"""The calls of the number-slot sweep (issue 15): a tensor where PyTorch's signature has a
Scalar, float or int. Shared by tools/record_number_slots.py (PyTorch) and
tests/core/test_number_slots.py (gradsh). See the tool's docstring."""

import pathlib

SIGNATURES = pathlib.Path(__file__).resolve().parent.parent.parent / "gradsh" / "core" / \
    "signatures.txt"

# the tensors put in a number slot: 0-d requiring grad, 1-element 1-d, 2x2, and the 0-d
# tensors without grad PyTorch converts (float and integer)
TENSORS = ["g0", "t1", "t22", "f0", "i0"]

# plain values for each parameter type of a base call
PLAIN = {"Tensor": "t", "Scalar": "2", "double": "0.5", "int64_t": "1", "SymInt": "1",
         "bool": "False", "IntArrayRef": "[1]", "SymIntArrayRef": "[2]",
         "ScalarType": "torch.float32", "c10::string_view": None, "std::string": None}
NUMBERS = ("Scalar", "double", "int64_t")

# PyTorch's Python functions that pass a number on to a C function (F.leaky_relu, ...)
EXTRA = [
    "F.leaky_relu(t, {})", "F.leaky_relu_(t.clone(), {})", "F.hardtanh(t, {})",
    "F.hardtanh(t, -1.0, {})", "F.hardtanh_(t.clone(), {})", "F.elu(t, {})",
    "F.elu_(t.clone(), {})",
    "F.threshold(t, {}, 0.0)", "F.threshold(t, 0.5, {})", "F.celu(t, {})", "F.selu(t)",
    "F.softplus(t, {})", "F.softplus(t, 1, {})", "F.hardshrink(t, {})", "F.softshrink(t, {})",
    "F.rrelu(t, {})", "F.glu(t22, {})", "F.normalize(t, {})", "F.dropout(t, {})",
    "F.pad(t, (1, 1), 'constant', {})", "F.huber_loss(t, t, delta={})",
    "F.smooth_l1_loss(t, t, beta={})", "F.cosine_similarity(t, t, eps={})",
    "F.pairwise_distance(t, t, {})", "F.gelu(t)", "F.relu6(t)", "F.leaky_relu(t, {}, True)",
    "torch.full((2,), {})", "torch.full_like(t, {})", "torch.arange({})", "torch.arange(0, {})",
    "torch.arange(0, 3, {})", "torch.linspace(0, {}, 3)", "torch.logspace(0, {}, 3)",
    "t.masked_fill(t > 0, {})", "t.masked_fill_(t > 0, {})", "t.fill_({})",
    "t.lerp(t, {})", "torch.lerp(t, t, {})", "t.pow({})", "torch.pow({}, t)", "t.clamp({})",
    "t.clamp(max={})", "t.new_full((2,), {})", "torch.tensor([1.0, 2.0]).index_fill(0, "
    "torch.tensor([0]), {})", "t.scatter(1, torch.zeros(2, 1, dtype=torch.long), {})",
    "t.add(t, alpha={})", "t.sub(t, alpha={})", "torch.addmm(t22, t22, t22, beta={})",
    "t.round(decimals={})", "t.renorm(2, 0, {})", "t.dist(t, {})", "t.norm({})",
    "torch.nn.init.constant_(t.clone(), {})", "t.div({})", "t.mul({})", "t.remainder({})",
    "t.fmod({})", "t.ge({})", "t.eq({})", "torch.where(t > 0, t, {})", "torch.where(t > 0, {}, t)",
    "torch.isclose(t, t, {})", "t.allclose(t, {})", "t.hardshrink({})", "t.std(correction={})",
    "t.var(correction={})", "t.cumsum({})", "t.sum({})", "t.softmax({})", "t.topk({})",
    "t.narrow(0, {}, 1)", "t.select(0, {})", "t.unsqueeze({})", "t.repeat_interleave({})",
    "t.nan_to_num({})", "t.quantile({})", "torch.histc(t, {})", "t.kthvalue({})",
]


def environment(torch):
    """The names the calls use, made fresh for each call (a call may change them in place)."""
    return {"torch": torch, "F": torch.nn.functional, "t": torch.ones(2, 3),
            "t22": torch.ones(2, 2), "g0": torch.tensor(0.5, requires_grad=True),
            "t1": torch.ones(1), "f0": torch.tensor(0.5), "i0": torch.tensor(1)}


def _table():
    for line in SIGNATURES.read_text().splitlines():
        if line and not line.startswith("#"):
            key, *texts = line.split("\t")
            if not texts[0].startswith("|noargs"):
                yield key, texts


def _params(text):
    body = text.split("(", 1)[1].rpartition(")")[0]
    keyword_only, out = False, []
    for part in body.split(", ") if body else ():
        if part == "*":
            keyword_only = True
            continue
        kind, rest = part.split(" ", 1)
        name, eq, default = rest.partition("=")
        out.append((kind.rstrip("?").split("[")[0], name, bool(eq), keyword_only,
                    kind.endswith("?") or default == "None"))
    return out


def _call(head, first, params, values):
    positional, keywords = [], []
    for (kind, name, optional, keyword_only, _), value in zip(params, values):
        if value is None:
            continue
        (keywords if keyword_only else positional).append(
            name + "=" + value if keyword_only else value)
    return head + ", ".join(([first] if first else []) + positional + keywords) + ")"


def calls():
    """(base call, [swept calls]) pairs, as source text."""
    out = []
    seen = set()
    for key, texts in sorted(_table()):
        surface, name = key.split(".", 1)
        head = {"torch": "torch.%s(" % name, "Tensor": "t.%s(" % name,
                "F": "F.%s(" % name, "linalg": "torch.linalg.%s(" % name,
                "special": "torch.special.%s(" % name}[surface]
        for text in texts:
            if text.endswith("|hidden"):
                continue
            params = _params(text.rpartition(")")[0] + ")")
            if surface != "Tensor" and params and params[0][0] == "Tensor" \
                    and not params[0][3]:
                params = params[1:]
                first = "t"
            else:
                first = ""
            for at, (kind, pname, optional, keyword_only, _) in enumerate(params):
                if kind not in NUMBERS:
                    continue
                values, fits = [], True
                for j, (k, n, opt, ko, nullable) in enumerate(params):
                    if j == at or (not opt and True) or (not ko and j < at):
                        plain = PLAIN.get(k)
                        if plain is None:
                            if opt:
                                values.append(None)
                                if j < at and not ko:
                                    fits = False
                                continue
                            fits = False
                            break
                        values.append(plain)
                    else:
                        values.append(None)
                if not fits:
                    continue
                base = _call(head, first, params, values)
                swept = []
                for tensor in TENSORS:
                    changed = list(values)
                    changed[at] = tensor
                    swept.append(_call(head, first, params, changed))
                if base not in seen:
                    seen.add(base)
                    out.append((base, swept))
    for template in EXTRA:
        if "{}" in template:
            out.append((template.format("2" if "arange" in template or "topk" in template
                                        or "sum" in template else "1"),
                        [template.format(t) for t in TENSORS]))
    return out
