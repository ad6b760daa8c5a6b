# Fit y = sin(x) by a cubic: nn.Sequential of Linear(3, 1) and Flatten, summed squared error,
# and a hand-written gradient step over model.parameters().
import math
import torch

torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 500)
y = torch.sin(x)
powers = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(powers)

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
print(model)
loss_fn = torch.nn.MSELoss(reduction="sum")
lr = 1e-5
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 50 == 49:
        print(t, loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= lr * param.grad

linear = model[0]
print(f"y = {linear.bias.item()} + {linear.weight[:, 0].item()} x + "
      f"{linear.weight[:, 1].item()} x^2 + {linear.weight[:, 2].item()} x^3")
print(list(model.parameters()))
print(model.state_dict())
print([name for name, _ in model.named_parameters()])
