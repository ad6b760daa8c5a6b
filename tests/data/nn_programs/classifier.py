# A small classifier: Embedding, LayerNorm, GELU, Dropout, CrossEntropyLoss with label smoothing
# and class weights, AdamW with a StepLR schedule, train/eval modes, hooks, state_dict round trip.
import torch
from torch import nn, optim
import torch.nn.functional as F

torch.manual_seed(0)
tokens = torch.randint(0, 10, (16, 4))
labels = torch.randint(0, 3, (16,))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 6, padding_idx=0)
        self.norm = nn.LayerNorm(6)
        self.body = nn.Sequential(nn.Linear(24, 8), nn.GELU(), nn.Dropout(0.1), nn.Linear(8, 3))

    def forward(self, t):
        h = self.norm(self.emb(t))
        return self.body(h.flatten(1))


net = Net()
print(net)
calls = []
handle = net.body.register_forward_hook(lambda m, i, o: calls.append(tuple(o.shape)))
loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.1)
opt = optim.AdamW(net.parameters(), lr=0.01)
sched = optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
for epoch in range(30):
    out = net(tokens)
    loss = loss_fn(out, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if epoch % 10 == 9:
        print(epoch, round(loss.item(), 4), sched.get_last_lr())
handle.remove()
print(len(calls), calls[0])
net.eval()
with torch.no_grad():
    pred = net(tokens).argmax(1)
print(pred)
print((pred == labels).float().mean())
copy = Net()
print(copy.load_state_dict(net.state_dict()))
print(torch.equal(copy.emb.weight, net.emb.weight), net.training, net.body[2].training)
print(F.softmax(net(tokens[:2]), dim=1))
print(net.emb.weight.grad[0])
