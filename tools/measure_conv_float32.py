"""How far gradsh's float32 convolutions are from PyTorch's (docs/nn.md, "What differs").

Run with PyTorch 2.13 installed:  python tools/measure_conv_float32.py
For a few learner-sized layers: the output and both gradients in float32 from gradsh and from
PyTorch, and PyTorch's float64 result as the reference. Printed per tensor: the largest
|gradsh - torch| and each library's largest error against float64, all divided by the largest
float64 magnitude, and the share of elements where the two float32 results differ.
"""

import numpy as np
import torch

import gradsh

LAYERS = [
    ("conv2d 8->16 3x3, 2x8x28x28", lambda F, x, w: F.conv2d(x, w, padding=1),
     (2, 8, 28, 28), (16, 8, 3, 3)),
    ("conv_transpose2d 16->8 4x4 stride 2, 2x16x14x14",
     lambda F, x, w: F.conv_transpose2d(x, w, stride=2, padding=1), (2, 16, 14, 14),
     (16, 8, 4, 4)),
    ("conv1d 4->8 k5, 4x4x100", lambda F, x, w: F.conv1d(x, w), (4, 4, 100), (8, 4, 5)),
    ("conv3d 2->4 3x3x3, 1x2x8x8x8", lambda F, x, w: F.conv3d(x, w), (1, 2, 8, 8, 8),
     (4, 2, 3, 3, 3)),
]


def _run(lib, fn, x, w):
    """(output, input gradient, weight gradient) as numpy arrays, for an all-ones upstream."""
    xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
    y = fn(lib.nn.functional, xt, wt)
    y.backward(lib.ones(tuple(y.shape), dtype=y.dtype))
    return y.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    for name, fn, x_shape, w_shape in LAYERS:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = rng.standard_normal(w_shape).astype(np.float32)
        ours, theirs = _run(gradsh, fn, x, w), _run(torch, fn, x, w)
        exact = _run(torch, fn, x.astype(np.float64), w.astype(np.float64))
        print(name)
        for part, a, b, r in zip(("output", "grad input", "grad weight"), ours, theirs, exact):
            scale = np.abs(r).max()
            print(f"  {part}: |gradsh - torch| {np.abs(a - b).max() / scale:.1e}, "
                  f"gradsh vs float64 {np.abs(a - r).max() / scale:.1e}, "
                  f"torch vs float64 {np.abs(b - r).max() / scale:.1e}, "
                  f"differing {np.mean(a != b):.0%}")


if __name__ == "__main__":
    main()
