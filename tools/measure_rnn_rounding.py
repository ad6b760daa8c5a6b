"""How far gradsh's recurrent layers are from PyTorch's numbers (docs/nn.md, "Recurrent layers").

Run with PyTorch 2.13 installed:  python tools/measure_rnn_rounding.py
For RNN, GRU and LSTM (two layers, input 10, hidden 20, 30 steps, batch 4) in float32 and
float64, built under manual_seed(0) in both libraries: the largest difference of the output and
of any gradient (input and parameters, through sin(output).sum()) relative to the largest
element of PyTorch's, and the relative difference of the loss after 100 SGD steps.
"""

import warnings

import numpy as np
import torch

import gradsh


def run(lib, cls, dtype, steps=100):
    lib.manual_seed(0)
    dtype = getattr(lib, dtype)
    model = getattr(lib.nn, cls)(10, 20, num_layers=2, dtype=dtype)
    x = lib.randn(30, 4, 10, dtype=dtype, requires_grad=True)
    out, _ = model(x)
    out.sin().sum().backward()
    arrays = [out.detach().numpy().copy(), x.grad.numpy().copy()]
    arrays += [p.grad.numpy().copy() for p in model.parameters()]
    opt = lib.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(x.detach())[0] - 0.5) ** 2).mean()
        loss.backward()
        opt.step()
    return arrays, loss.item()


def main():
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    for cls in ("RNN", "GRU", "LSTM"):
        for dtype in ("float32", "float64"):
            (want, want_loss), (got, got_loss) = run(torch, cls, dtype), run(gradsh, cls, dtype)
            rel = [np.abs(a - b).max() / np.abs(a).max() for a, b in zip(want, got)]
            print(f"{cls} {dtype}: output {rel[0]:.1e}, gradients {max(rel[1:]):.1e}, loss after "
                  f"100 SGD steps {abs(want_loss - got_loss) / want_loss:.1e}")


if __name__ == "__main__":
    main()
