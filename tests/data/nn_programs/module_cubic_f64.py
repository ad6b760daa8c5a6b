# A custom nn.Module of four scalar Parameters (a program class), trained with SGD.
import math
import random
import torch


class Cubic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return f"y = {self.a.item():.4f} + {self.b.item():.4f} x + {self.c.item():.4f} x^2 + {self.d.item():.4f} x^3"


torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 400, dtype=torch.float64)
y = torch.sin(x)
model = Cubic().double()
print(model)
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(300):
    loss = criterion(model(x), y)
    if t % 100 == 99:
        print(t, round(loss.item(), 6))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(model.string())
print([name for name, p in model.named_parameters()])
print(model.state_dict())
