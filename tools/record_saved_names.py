"""Record the names of the values PyTorch's nodes save (`grad_fn._saved_<name>`, as dir() lists
them) into tests/data/saved_names.json, for each case of CASES.

Run with PyTorch 2.13 installed:  python tools/record_saved_names.py
Each case is an expression over the tensors of INPUTS (float32, requiring grad); the fact is
[the result's grad_fn class name, its sorted _saved_ names]. tests/core/test_saved_names.py
evaluates the same expressions in gradsh and compares.
"""

import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import facts_file  # noqa: E402

INPUTS = {
    "x": [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]],
    "y": [[2.0, 1.0, 0.5], [0.5, 4.0, 2.0]],
    "p": [[1.0, 2.0, 0.5], [3.0, 0.25, 1.5]],
    "v": [1.0, 2.0, 3.0],
}

CASES = {
    "add": "x + y",
    "add_s": "x + 2",
    "sub": "x - y",
    "rsub": "2 - x",
    "mul": "x * y",
    "mul_s": "x * 2",
    "div": "x / y",
    "div_s": "x / 2",
    "rdiv": "2 / p",
    "neg": "-x",
    "pow_s": "x ** 3",
    "pow_t": "p ** y",
    "rpow": "2 ** x",
    "exp": "x.exp()",
    "log": "p.log()",
    "sqrt": "p.sqrt()",
    "rsqrt": "p.rsqrt()",
    "sin": "x.sin()",
    "cos": "x.cos()",
    "tan": "x.tan()",
    "tanh": "x.tanh()",
    "sigmoid": "x.sigmoid()",
    "relu": "x.relu()",
    "abs": "x.abs()",
    "log1p": "p.log1p()",
    "expm1": "x.expm1()",
    "reciprocal": "p.reciprocal()",
    "square": "x.square()",
    "sinh": "x.sinh()",
    "cosh": "x.cosh()",
    "asin": "(x / 4).asin()",
    "atan": "x.atan()",
    "sum": "x.sum()",
    "sum_dim": "x.sum(1)",
    "mean": "x.mean()",
    "mean_dim": "x.mean(0, keepdim=True)",
    "prod": "x.prod()",
    "prod_dim": "x.prod(1)",
    "max": "x.max()",
    "max_dim": "x.max(1).values",
    "amax": "x.amax(1)",
    "min": "x.min()",
    "norm": "x.norm()",
    "norm_dim": "x.norm(dim=1)",
    "var": "x.var()",
    "std": "x.std(1)",
    "logsumexp": "x.logsumexp(1)",
    "cumsum": "x.cumsum(1)",
    "cumprod": "x.cumprod(1)",
    "softmax": "x.softmax(1)",
    "log_softmax": "x.log_softmax(1)",
    "clamp": "x.clamp(-1, 1)",
    "clamp_min": "x.clamp(min=0)",
    "clamp_t": "x.clamp(min=y)",
    "where": "torch.where(x > 0, x, y)",
    "maximum": "torch.maximum(x, y)",
    "atan2": "torch.atan2(x, y)",
    "view": "x.view(6)",
    "reshape": "x.reshape(3, 2)",
    "reshape_nc": "x.t().reshape(6)",
    "t": "x.t()",
    "transpose": "x.transpose(0, 1)",
    "permute": "x.permute(1, 0)",
    "unsqueeze": "x.unsqueeze(1)",
    "squeeze": "x[None].squeeze(0)",
    "expand": "v.expand(2, 3)",
    "select": "x[0]",
    "slice": "x[:, 1:]",
    "index": "x[[0, 1, 1]]",
    "index_select": "x.index_select(1, torch.tensor([0, 2]))",
    "gather": "x.gather(1, torch.tensor([[0], [2]]))",
    "cat": "torch.cat([x, y])",
    "stack": "torch.stack([x, y])",
    "flatten": "x.flatten()",
    "repeat": "x.repeat(2, 1)",
    "flip": "x.flip(0)",
    "roll": "x.roll(1)",
    "narrow": "x.narrow(1, 0, 2)",
    "split": "x.split(1)[0]",
    "mm": "x @ y.t()",
    "mv": "x @ v",
    "dot": "v.dot(v)",
    "matmul3": "x.unsqueeze(0) @ y.t()",
    "outer": "torch.outer(v, v)",
    "mse": "F.mse_loss(x, y)",
    "l1": "F.l1_loss(x, y)",
    "smooth_l1": "F.smooth_l1_loss(x, y)",
    "huber": "F.huber_loss(x, y)",
    "bce": "F.binary_cross_entropy(x.sigmoid(), y / 4)",
    "bcel": "F.binary_cross_entropy_with_logits(x, y / 4)",
    "ce": "F.cross_entropy(x, torch.tensor([0, 2]))",
    "nll": "F.nll_loss(x, torch.tensor([0, 2]))",
    "leaky": "F.leaky_relu(x, 0.1)",
    "elu": "F.elu(x)",
    "gelu": "F.gelu(x)",
    "silu": "F.silu(x)",
    "softplus": "F.softplus(x)",
    "hardtanh": "F.hardtanh(x)",
    "linear": "F.linear(x, y)",
    "dropout_eval": "F.dropout(x, training=False)",
    "sign": "x.sign()",
    "floor": "x.floor()",
    "round": "x.round()",
    "to_double": "x.double()",
    "clone": "x.clone()",
    "masked_fill": "x.masked_fill(x > 0, 0.0)",
    "lerp": "torch.lerp(x, y, 0.3)",
    "addcmul": "torch.addcmul(x, y, p)",
    "trace": "x[:, :2].trace()",
    "diag": "v.diag()",
    "tril": "x.tril()",
    "sort": "x.sort(1).values",
    "topk": "x.topk(2).values",
    "kthvalue": "x.kthvalue(2).values",
    "median": "x.median()",
    "logit": "(x.sigmoid()).logit()",
    "erf": "x.erf()",
    "hypot": "torch.hypot(x, y)",
    "fmod": "torch.fmod(x, 1.5)",
    "remainder": "torch.remainder(x, 1.5)",
    "dist": "torch.dist(x, y)",
    "cdist": "torch.cdist(x, y)",
    "cosine": "F.cosine_similarity(x, y)",
    "normalize": "F.normalize(x)",
    "layer_norm": "F.layer_norm(x, (3,))",
    "pad": "F.pad(x, (1, 1))",
    "unfold": "v.unfold(0, 2, 1)",
    "chunk": "x.chunk(3, 1)[1]",
    "unbind": "x.unbind(1)[0]",
    "abs_": "(x * 1).abs_()",
    "exp_": "(x * 1).exp_()",
}


def saved_names(torch, expression):
    """[grad_fn's class name, its sorted _saved_ names] of `expression` evaluated with `torch`."""
    scope = {name: torch.tensor(value, requires_grad=True) for name, value in INPUTS.items()}
    scope.update(torch=torch, F=torch.nn.functional)
    fn = eval(expression, scope).grad_fn
    return [type(fn).__name__, sorted(n for n in dir(fn) if n.startswith("_saved_"))]


def main():
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    facts = {name: saved_names(torch, e) for name, e in CASES.items()}
    facts_file.write("saved_names.json", facts, torch.__version__)


if __name__ == "__main__":
    main()
