"""The modules a program may import besides `torch`: one line each.

Each entry maps the name a program imports to the function (module path and name) that builds
the read-only namespace it gets; the compiler refuses any other import before the program runs
and the runtime builds a namespace once per session, on first import. A program also has
`math` without importing it.
"""

MODULES = {
    "math": "gradsh.lang.runtime.namespaces:math_namespace",
    "random": "gradsh.lang.runtime.stdlib:random_namespace",
    "time": "gradsh.lang.runtime.stdlib:time_namespace",
    "functools": "gradsh.lang.runtime.stdlib:functools_namespace",
    "itertools": "gradsh.lang.runtime.stdlib:itertools_namespace",
    "typing": "gradsh.lang.runtime.stdlib:typing_namespace",
    "tqdm": "gradsh.progress:namespace",
    "collections": "gradsh.lang.runtime.stdlib:collections_namespace",
    "copy": "gradsh.lang.runtime.stdlib:copy_namespace",
    "contextlib": "gradsh.lang.runtime.stdlib:contextlib_namespace",
    "dataclasses": "gradsh.lang.runtime.stdlib:dataclasses_namespace",
    "io": "gradsh.lang.runtime.stdlib:io_namespace",
    "warnings": "gradsh.lang.runtime.warnfilters:warnings_namespace",
    "numpy": "gradsh.lang.runtime.numpymodule:numpy_namespace",
    "string": "gradsh.lang.runtime.stdlib:string_namespace",
    "operator": "gradsh.lang.runtime.stdlib:operator_namespace",
    "statistics": "gradsh.lang.runtime.stdlib:statistics_namespace",
    "enum": "gradsh.lang.runtime.enums:enum_namespace",
    "abc": "gradsh.lang.runtime.stdlib:abc_namespace",
    "cmath": "gradsh.lang.runtime.stdlib:cmath_namespace",
    "unicodedata": "gradsh.lang.runtime.stdlib:unicodedata_namespace",
    # --- adv12c ---
    "heapq": "gradsh.lang.runtime.heapbisect:heapq_namespace",
    "bisect": "gradsh.lang.runtime.heapbisect:bisect_namespace",
    "json": "gradsh.lang.runtime.textmodules:json_namespace",
    "textwrap": "gradsh.lang.runtime.textmodules:textwrap_namespace",
    "pprint": "gradsh.lang.runtime.textmodules:pprint_namespace",
    "sys": "gradsh.lang.runtime.sysmodule:sys_namespace",
    "numbers": "gradsh.lang.runtime.abcmodules:numbers_namespace",
    "re": "gradsh.lang.runtime.remodule:re_namespace",
    "csv": "gradsh.lang.runtime.textio:csv_namespace",
    "logging": "gradsh.lang.runtime.loggingmodule:logging_namespace",
    # --- adv13c ---
    "keyword": "gradsh.lang.runtime.stdlib:keyword_namespace",
    # --- lang22 ---
    "fractions": "gradsh.lang.runtime.exactnumbers:fractions_namespace",
}

# the private base classes of torch a program may name, to subclass them as PyTorch programs do
# (`from torch.nn.modules.loss import _Loss`): where torch has them, and no other '_' name
# (docs/language.md, "Module paths")
PRIVATE_BASES = ("_Loss", "_WeightedLoss", "_LRScheduler", "_BatchNorm", "_NormBase",
                 "_InstanceNorm", "_ConvNd", "_ConvTransposeNd", "_MaxPoolNd", "_AvgPoolNd")

# torch's private helpers PyTorch code calls (module path -> names; functions of tensors giving
# numbers, branch lang20: runtime/torchprivate.py)
PRIVATE_FUNCTIONS = {"torch.nn.init": ("_calculate_fan_in_and_fan_out",)}

# the submodules a program may import by name (`from numpy.random import default_rng`): members
# of their module's namespace
SUBMODULES = ("numpy.random", "collections.abc")
