"""Record PyTorch's output of its "PyTorch: Tensors" tutorial (a cubic fitted to sin with
hand-written gradients) into tests/data/poly_fit_tensors.json.

Run with PyTorch 2.13 installed:  python tools/record_poly_fit.py
Recorded: the printed text of PROGRAM (seed 0, single-threaded) and torch.sin of the 2000
points as float32 bytes (base64): PyTorch's float32 sin is MKL's VML (closed source), whose last
bit gradsh does not reproduce, so the test also runs the program on PyTorch's sine values.
"""

import base64
import contextlib
import io
import json
import math
import pathlib

# The tutorial, as published, with a seed; `torch` is whatever module the runner passes.
PROGRAM = '''
dtype = torch.float
device = torch.device("cpu")
torch.manual_seed(0)

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), device=device, dtype=dtype)
b = torch.randn((), device=device, dtype=dtype)
c = torch.randn((), device=device, dtype=dtype)
d = torch.randn((), device=device, dtype=dtype)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    loss = (y_pred - y).pow(2).sum().item()
    if t % 100 == 99:
        print(t, loss)

    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()

    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
'''

SINE_LINE = "y = torch.sin(x)"


def run(torch, sine=None):
    """PROGRAM's printed text with the module `torch`; `sine`: a function of x giving y in
    place of torch.sin(x)."""
    program = PROGRAM if sine is None else PROGRAM.replace(SINE_LINE, "y = sine(x)")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(program, {"torch": torch, "math": math, "sine": sine})
    return out.getvalue()


def main():
    import torch
    torch.set_num_threads(1)
    x = torch.linspace(-math.pi, math.pi, 2000)
    record = {"torch": torch.__version__, "output": run(torch),
              "sin_float32_base64": base64.b64encode(torch.sin(x).numpy().tobytes()).decode()}
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "poly_fit_tensors.json"
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
