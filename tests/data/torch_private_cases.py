"""The objects of tools/record_torch_private.py and tests/lang/test_torch_private.py: one of every
nn layer (the first argument list of ARGUMENTS that constructs it under PyTorch), and the
common optimizers, schedulers, data classes, distributions, pruning methods and tensors. Each is
an expression over `torch` (and `nn`, `prune`, `p`: a parameter, `opt`: an SGD optimizer of it)."""

ARGUMENTS = ["", "3", "4, 2", "2, 2, 2", "(2, 3)"]
# nn's classes that are not layers to build bare (abstract, deprecated, or wrapping others)
NOT_LAYERS = {"Module", "Container", "DataParallel", "SyncBatchNorm", "RNNBase",
              "RNNCellBase", "CrossMapLRN2d", "NLLLoss2d", "Sequential", "ModuleList",
              "ModuleDict", "ParameterList", "ParameterDict", "LinearCrossEntropyLoss"}

OBJECTS = [
    "nn.Module()", "nn.Sequential(nn.Linear(2, 2), nn.ReLU())", "nn.ModuleList([nn.Tanh()])",
    "nn.ModuleDict({'a': nn.Tanh()})", "nn.ParameterList([p])", "nn.ParameterDict({'w': p})",
    "nn.MultiheadAttention(4, 2, batch_first=True)", "nn.MultiheadAttention(4, 2, kdim=3)",
    "nn.LSTM(2, 3, num_layers=2, bidirectional=True)", "nn.GRU(2, 3)", "nn.RNN(2, 3)",
    "nn.TransformerEncoderLayer(4, 2, dim_feedforward=8)",
    "nn.TransformerDecoderLayer(4, 2, dim_feedforward=8)",
    "nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, dim_feedforward=8), 1)",
    "nn.Conv1d(1, 2, 3, padding=1)", "nn.Conv2d(1, 2, 3, padding=(1, 2))",
    "nn.ConvTranspose2d(2, 1, 3)", "nn.Embedding(5, 2, padding_idx=0)",
    "nn.BatchNorm2d(3, affine=False)", "nn.LayerNorm([2, 3])", "nn.GroupNorm(2, 4)",
    "torch.optim.SGD([p], lr=0.1, momentum=0.9)", "torch.optim.Adam([p], lr=0.01)",
    "torch.optim.AdamW([p])", "torch.optim.RMSprop([p])", "torch.optim.Adagrad([p])",
    "torch.optim.LBFGS([p])",
    "torch.optim.lr_scheduler.StepLR(opt, 2)", "torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)",
    "torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.5)",
    "torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10)",
    "torch.optim.lr_scheduler.MultiStepLR(opt, [2, 4])",
    "torch.optim.lr_scheduler.ReduceLROnPlateau(opt)",
    "torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=10)",
    "torch.utils.data.TensorDataset(torch.ones(4, 2))",
    "torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(4, 2)), batch_size=2)",
    "torch.utils.data.random_split(range(4), [2, 2])[0]",
    "torch.distributions.Normal(torch.zeros(2), torch.ones(2))",
    "torch.distributions.Categorical(probs=torch.tensor([0.25, 0.75]))",
    "torch.distributions.Bernoulli(probs=torch.tensor([0.5]))",
    "torch.distributions.Uniform(0.0, 1.0)",
    "prune.L1Unstructured(0.5)", "prune.RandomUnstructured(0.5)",
    "pruning_container()", "pruning_hook('l1_unstructured', amount=0.5)",
    "pruning_hook('random_unstructured', amount=0.5)", "pruning_hook('identity')",
    "pruning_hook('ln_structured', amount=0.5, n=2, dim=0)",
    "torch.ones(2, requires_grad=True)", "torch.ones(2, 3)[0]", "p",
    "torch.ones(2, requires_grad=True) * 2",
]


# the names the expressions use beside torch, as program text (tools/hostile_lang21 runs the
# same text as a .grad program's head)
HELPERS = """nn = torch.nn
prune = nn.utils.prune
p = nn.Parameter(torch.ones(2))
opt = torch.optim.SGD([nn.Parameter(torch.ones(2))], lr=0.1)
def pruning_hook(how, **kwargs):
    m = nn.Linear(3, 2)
    getattr(prune, how)(m, 'weight', **kwargs)
    return next(iter(m._forward_pre_hooks.values()))
def pruning_container():
    m = nn.Linear(3, 2)
    prune.l1_unstructured(m, 'weight', 0.5)
    prune.random_unstructured(m, 'weight', 0.25)
    return next(iter(m._forward_pre_hooks.values()))
"""


def build(torch, expression):
    """The object of `expression` under `torch` (PyTorch or gradsh)."""
    names = {"torch": torch}
    exec(HELPERS, names)
    return eval(expression, names)


def layer_expressions(torch):
    """`nn.Name(args)` for each of nn's layers: the first argument list that builds it."""
    found = []
    for name in sorted(dir(torch.nn)):
        cls = getattr(torch.nn, name)
        if not isinstance(cls, type) or not issubclass(cls, torch.nn.Module) \
                or name in NOT_LAYERS or name.startswith(("Lazy", "_")):
            continue
        for args in ARGUMENTS:
            expression = "nn.%s(%s)" % (name, args)
            try:
                build(torch, expression)
            except Exception:
                continue
            found.append(expression)
            break
    return found


def plain(value, depth=0):
    """`value` as JSON when it is plain data (None, bool, numbers, text, and lists, tuples,
    dicts of those), else None: the test compares those values, the others by type."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if depth < 3 and type(value) in (list, tuple):
        items = [plain(v, depth + 1) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value)) \
            else {"tuple" if type(value) is tuple else "list": items}
    if depth < 3 and isinstance(value, dict) and all(type(k) is str for k in value):
        items = {k: plain(v, depth + 1) for k, v in value.items()}
        return None if any(items[k] is None and value[k] is not None for k in value) \
            else {"dict": items}
    return None
