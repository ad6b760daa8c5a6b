# Two-layer nets on random data: nn.Sequential with SGD, a custom Module with Adam.
import torch

torch.manual_seed(0)
N, D_in, H, D_out = 32, 50, 20, 5
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(), torch.nn.Linear(H, D_out))
loss_fn = torch.nn.MSELoss(reduction="sum")
for t in range(100):
    loss = loss_fn(model(x), y)
    if t % 20 == 19:
        print(t, loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 1e-4 * p.grad


class TwoLayer(torch.nn.Module):
    def __init__(self, d_in, h, d_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(d_in, h)
        self.linear2 = torch.nn.Linear(h, d_out)

    def forward(self, x):
        return self.linear2(self.linear1(x).clamp(min=0))


net = TwoLayer(D_in, H, D_out)
print(net)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for t in range(100):
    loss = loss_fn(net(x), y)
    if t % 20 == 19:
        print(t, loss.item())
    opt.zero_grad()
    loss.backward()
    opt.step()
print(net.linear2.bias)
print(list(net.state_dict().keys()))
