# Program classes subclassing torch.nn.Module: a net of random depth (Python's random, seeded)
# reusing one Parameter, and a two-layer net with submodules, Adam and a forward hook.
import math
import random
import torch
from torch import nn


class Dynamic(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn((), dtype=torch.float64))
        self.b = nn.Parameter(torch.randn((), dtype=torch.float64))
        self.c = nn.Parameter(torch.randn((), dtype=torch.float64))
        self.d = nn.Parameter(torch.randn((), dtype=torch.float64))
        self.e = nn.Parameter(torch.randn((), dtype=torch.float64))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y


class TwoLayer(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.linear1 = nn.Linear(d_in, hidden)
        self.linear2 = nn.Linear(hidden, d_out)

    def forward(self, x):
        return self.linear2(self.linear1(x).clamp(min=0))


random.seed(0)
torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 300, dtype=torch.float64)
y = torch.sin(x)
model = Dynamic()
criterion = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
for t in range(400):
    loss = criterion(model(x), y)
    if t % 100 == 99:
        print(t, round(loss.item(), 6))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(model)
print(round(model.e.item(), 6), len(list(model.parameters())))

net = TwoLayer(8, 5, 2).double()
print(net)
shapes = []
handle = net.register_forward_hook(lambda module, args, out: shapes.append(tuple(out.shape)))
inputs = torch.randn(16, 8, dtype=torch.float64)
targets = torch.randn(16, 2, dtype=torch.float64)
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for t in range(50):
    loss = criterion(net(inputs), targets)
    if t % 10 == 9:
        print(t, round(loss.item(), 6))
    opt.zero_grad()
    loss.backward()
    opt.step()
handle.remove()
print(len(shapes), shapes[0])
print([name for name, p in net.named_parameters()])
print(net.linear2.bias)
net.eval()
print(net.training, net.linear1.training)
