# The cubic fit at full length: 2000 points, 2000 steps of a hand-written update, then a fresh
# model fitted by 600 steps of RMSprop. (Past about 700 RMSprop steps this fit amplifies
# last-bit differences of sums and matmuls exponentially, in float64 too: see docs/nn.md.)
import math
import torch

torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction="sum")
for t in range(2000):
    loss = loss_fn(model(xx), y)
    if t % 100 == 99:
        print(t, loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= 1e-6 * param.grad
layer = model[0]
print(f"y = {layer.bias.item()} + {layer.weight[:, 0].item()} x + "
      f"{layer.weight[:, 1].item()} x^2 + {layer.weight[:, 2].item()} x^3")
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
for t in range(600):
    loss = loss_fn(model(xx), y)
    if t % 100 == 99:
        print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
layer = model[0]
print(f"y = {layer.bias.item()} + {layer.weight[:, 0].item()} x + "
      f"{layer.weight[:, 1].item()} x^2 + {layer.weight[:, 2].item()} x^3")
