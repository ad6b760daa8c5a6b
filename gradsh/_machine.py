"""numpy's kernels pinned to one choice on every x86-64 machine, before numpy loads.

numpy picks its loops by the CPU at import: on an AVX-512 CPU its float64 `power`, `exp`, `log`,
`tanh`... take SIMD kernels (X86_V4 and later groups) whose last bits differ from the scalar C
library's, and OpenBLAS (numpy's BLAS) picks its gemm kernels by the CPU too (SkylakeX and
Sapphire Rapids kernels add in another order than Haswell's). gradsh reproduces PyTorch's digits
with numpy's operations, measured on an AVX2 machine: so that a program prints the same digits on
every machine, gradsh asks numpy for its AVX2 loops (NPY_DISABLE_CPU_FEATURES) and OpenBLAS for
its Haswell kernels (OPENBLAS_CORETYPE, only where the CPU has AVX2 and FMA). Both are read once,
when numpy is imported: they take effect only when gradsh is imported first (the `gradsh` command,
the Jupyter kernel, `import gradsh` before numpy), and a value the user set is kept
(docs/autograd.md, "The same digits on every machine")."""

import os
import sys

# numpy's dispatch groups above AVX2 (numpy 2.4's names; older releases ignore them)
_ABOVE_AVX2 = "X86_V4 AVX512_ICL AVX512_SPR"


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            return set(next((line.split() for line in f if line.startswith("flags")), ()))
    except OSError:
        return set()


def pin_numpy_kernels(environ=os.environ):
    """Set numpy's and OpenBLAS's kernel choice in `environ` unless numpy is loaded already."""
    if "numpy" in sys.modules:
        return
    environ.setdefault("NPY_DISABLE_CPU_FEATURES", _ABOVE_AVX2)
    if {"avx2", "fma"} <= _cpu_flags():
        environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
