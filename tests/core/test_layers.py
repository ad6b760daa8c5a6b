"""The core's import structure: layers that import downward only, and no cycle.

Read from the source with ast (nothing is imported), so the test states the architecture:
data at the bottom, the graph (nodes, the helpers rules call) above it, the engine above that,
the ops above both, and the bindings and the torch-like API at the top.
"""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "gradsh" / "core"

# Layer of each core module (by its name under gradsh.core); a module may import its own layer
# or a lower one. Within a layer the imports must still form no cycle.
LAYERS = {
    0: ["torch_class_names", "torchclass", "allocator", "dtypes", "grad_mode", "autocast", "errors", "memory", "printing", "random", "hooks",
        "tensor", "factories", "random_api", "ops.special", "device", "ranges",
        "fma", "libm", "ops.summation", "ops.moments", "ops.rowwise_moments", "ops.activation_kernels", "layout", "spare", "ops.expf", "ops.vml", "ops.softmax_inner",
        "ops.cephes", "ops.incomplete_beta", "ops.getrf", "ops.lapack",
        "return_types", "argcheck", "settings", "user_cache", "callreader", "guarded", "saved_names", "storage", "sparse", "meta",
        "ops_index", "keyword_templates"],
    1: ["node", "ops.prim", "saved_hooks"],
    2: ["engine"],
    3: ["ops.registry", "ops.complex_gate", "ops.dtype_refusals", "ops.uint_kernels", "ops.meta_route", "ops.complex_ops", "ops.fft", "ops.base", "ops.views", "ops.pointwise", "ops.shape", "ops.index",
        "ops.linalg", "ops.reduce", "ops.sorting", "ops.inplace", "ops.convert", "ops.fast",
        "nn_functional", "ops.sampling", "promotion", "ops.nn_ops", "ops.composite",
        "ops.selection", "ops.quantile", "ops.out", "ops.pooling", "ops.unpool", "ops.padding", "ops.conv",
        "ops.interpolate", "ops.cdist", "ops.fold", "nn_losses", "ctc_loss", "weight_norm", "ops.arrange", "rnn_functional",
        "ops.norms", "activations",
        "ops.special_ops", "ops.combine", "ops.dense", "ops.inplace_more", "ops.scatters",
        "ops.stacking", "ops.stats", "ops.legacy_types", "ops.windows", "ops.attention", "attention", "ops.shuffle", "ops.rms_norm",
        "inplace_activations", "lp_pool", "ops.polynomials", "ops.bessel", "ops.unpool", "ops.embedding_bag",
        "ops.grid_sample", "ops.fractional_pool", "ops.aliases",
        "ops.complex_formulas", "ops.lu", "ops.igamma", "ops.removed", "ops.linalg_more", "ops.strided", "ops.numeric", "ops.index_reduce", "ops.creation",
        "ops.householder", "ops.ldl", "ops.lowrank", "ops.stft", "ops.sparse"],
    4: ["custom_function", "number_slots", "keywords", "autograd", "gradcheck", "autograd_functional", "bindings",
        "library_errors", "checkpoint", "function_names",
        "torch_functions", "overrides",
        "ops", ""],  # "" is gradsh.core itself (its __init__), "ops" the ops package
    # torch.nn's modules and torch.optim, built on the ops (gradsh/nn, gradsh/optim re-export)
    5: ["nn", "nn.parameter", "nn.backward_hook", "nn.module", "nn.init", "nn.activation", "nn.container",
        "nn.conv", "nn.dropout", "nn.flatten", "nn.linear", "nn.loss", "nn.normalization",
        "nn.sparse", "nn.pooling", "nn.padding", "nn.distance", "nn.upsampling", "nn.fold",
        "optim", "optim.fused", "optim.optimizer", "optim.sgd",
        "optim.adam", "optim.rmsprop", "optim.adagrad", "optim.adadelta", "optim.lr_scheduler",
        "nn.utils", "nn.rnn", "nn.rnn_utils", "nn.activation_more",
        "nn.margin_loss", "optim.adamax", "optim.nadam", "optim.radam", "optim.asgd",
        "optim.rprop", "optim.lbfgs", "optim.lr_cycles", "optim.lr_plateau", "optim.lr_compose",
        "nn.transformer", "nn.shuffle", "nn.lp_pool", "nn.adaptive", "nn.parallel",
        "optim.swa_utils", "optim.adafactor", "optim.sparse_adam", "optim.muon", "nn.parametrize", "nn.parametrizations",
        "nn.legacy_norms", "nn.lazy", "nn.prune", "grad_scaler", "nn.fusion"],
}
LAYER_OF = {m: n for n, mods in LAYERS.items() for m in mods}


def _modules():
    out = {}
    for p in sorted(CORE.rglob("*.py")):
        rel = p.relative_to(CORE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _imports(name, path, modules):
    """(imported core module, line, inside a function?) for each import of the core in a file."""
    tree = ast.parse(path.read_text())
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [p for p in package if p]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                      ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[:len(package) - (child.level - 1)]
                    target = base + (child.module.split(".") if child.module else [])
                elif (child.module or "").startswith("gradsh.core"):
                    target = child.module.split(".")[2:]
                else:
                    target = None
                if target is not None:
                    for alias in child.names:
                        full = ".".join(target + [alias.name])
                        mod = full if full in modules else ".".join(target)
                        found.append((mod, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("gradsh.core"):
                        found.append((".".join(alias.name.split(".")[2:]), child.lineno,
                                      in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _graph():
    modules = _modules()
    return modules, {name: _imports(name, path, modules) for name, path in modules.items()}


def test_every_core_module_has_a_layer():
    modules, _ = _graph()
    assert sorted(set(modules) - set(LAYER_OF)) == []


def test_each_layer_imports_only_its_own_or_lower_layers():
    _, graph = _graph()
    upward = [f"gradsh.core.{src or '__init__'} (layer {LAYER_OF[src]}) imports {dst} (layer "
              f"{LAYER_OF.get(dst)}) at line {line}"
              for src, imports in graph.items() for dst, line, _ in imports
              if dst != src and LAYER_OF.get(dst, 99) > LAYER_OF[src]]
    assert upward == []


# Imports deferred to first use for start-up time, not to dodge a cycle (each is downward):
# gradsh.core.random makes numpy.random's generator at import, 15 ms that a program drawing no
# random numbers never pays.
DEFERRED = {("factories", "random"), ("nn_functional", "random"), ("random_api", "random"),
            ("activations", "random")}


def test_no_import_of_the_core_inside_a_function():
    # an import inside a function to dodge a cycle is a sign the layers are wrong
    _, graph = _graph()
    inner = [f"gradsh.core.{src}: line {line} imports {dst}"
             for src, imports in graph.items() for dst, line, in_fn in imports
             if in_fn and (src, dst) not in DEFERRED]
    assert inner == []


def test_importing_the_core_leaves_numpy_random_for_later():
    import subprocess
    import sys
    code = "import gradsh.core, sys; print('numpy.random' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=CORE.parents[1])
    assert out.stdout.strip() == "False"


def test_the_core_imports_form_no_cycle():
    _, graph = _graph()
    edges = {src: {dst for dst, _, _ in imports if dst in graph and dst != src}
             for src, imports in graph.items()}
    # a package's __init__ is imported with each of its submodules: not an edge of its own
    for src in edges:
        edges[src] = {d for d in edges[src] if not src.startswith(d + ".") and d != ""}
    state = {}
    cycles = []

    def walk(node, path):
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node, [node])
    assert cycles == []


def test_the_core_imports_nothing_of_the_language_or_the_repl():
    outside = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level >= 2 + len(
                    path.relative_to(CORE).parts) - 1:
                outside.append(f"{path.name}: from {'.' * node.level}{node.module}")
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for n in names:
                if n.startswith(("gradsh.lang", "gradsh.cli", "rich", "prompt_toolkit", "lark")):
                    outside.append(f"{path.name}: {n}")
    assert outside == []
