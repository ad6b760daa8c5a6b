"""Cases of the runtime services of issue 15's third round (torch.random, the small process
switches, the profilers), each a snippet run with `torch`
bound, whose printed text (and `!! Kind: message` for an escaping exception) is recorded from
PyTorch 2.13 by tools/record_runtime3.py into runtime3.json and compared by
tests/core/test_runtime3.py. Each starts from torch.manual_seed(0)."""

CASES = {
    "random_module": """
torch.random.manual_seed(3)
a = torch.rand(2)
s = torch.random.get_rng_state()
with torch.random.fork_rng():
    inside = torch.rand(2)
print(a, inside, torch.rand(2), torch.random.initial_seed(), s.shape, s.dtype)
torch.random.set_rng_state(s)
print(torch.rand(2), torch.random.manual_seed is torch.manual_seed, torch.random.get_rng_state is torch.get_rng_state)
with torch.random.fork_rng(enabled=False):
    torch.rand(1)
print(torch.rand(1))
type(torch.random.seed())
try:
    with torch.random.fork_rng(devices=[0]):
        pass
except Exception as e:
    print(type(e).__name__, e)
""",
    "process_switches": """
x = torch.ones(2)
print(torch.get_device(x), x.get_device(), torch.is_inference(x))
with torch.inference_mode():
    y = torch.ones(2)
print(torch.is_inference(y), torch.is_inference(y[0]), torch.is_inference(x * 2))
torch.set_anomaly_enabled(True)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.set_anomaly_enabled(True, False)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.set_anomaly_enabled(False)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
torch.set_anomaly_enabled(False, True)
for f in [lambda: torch.get_device(3), lambda: torch.is_inference([1.0]), lambda: torch.set_anomaly_enabled("x"),
          lambda: torch.set_anomaly_enabled(True, 1)]:
    try:
        print(f())
    except TypeError as e:
        print("TypeError", e)
""",
    "profiler": """
P = torch.profiler
print(P.ProfilerActivity.CPU, P.ProfilerActivity.CUDA, sorted(P.ProfilerActivity.__members__))
s = P.schedule(wait=1, warmup=1, active=2, repeat=1)
print([s(i) for i in range(6)])
s2 = P.schedule(skip_first=2, wait=0, warmup=0, active=1)
print([s2(i).name for i in range(5)])
w = torch.tensor([1.0, 2.0], requires_grad=True)
with P.profile(activities=[P.ProfilerActivity.CPU], record_shapes=True) as prof:
    for i in range(3):
        with P.record_function("forward"):
            loss = (w * 2).sum()
        with P.record_function("backward"):
            loss.backward()
print(w.grad)
ka = prof.key_averages()
print(sorted((e.key, e.count) for e in ka if e.key in ("forward", "backward")))  # gradsh itemises no op
print(all(e.cpu_time_total >= 0 for e in ka), type(prof.key_averages().table(sort_by="cpu_time_total", row_limit=3)).__name__)
steps = []
with P.profile(schedule=P.schedule(wait=1, warmup=1, active=2), on_trace_ready=lambda p: steps.append(p.step_num)) as prof:
    for i in range(5):
        with P.record_function("step_body"):
            torch.ones(2).sum()
        prof.step()
print(steps, sorted({e.key for e in prof.events() if e.key.startswith(("ProfilerStep", "step_body"))}))
with torch.autograd.profiler.profile() as p2:
    with torch.autograd.profiler.record_function("legacy"):
        torch.ones(3).mul(2)
print(sorted(e.key for e in p2.function_events if e.key == "legacy"))
@P.record_function("decorated")
def f(x):
    return x + 1
with P.profile() as p3:
    print(f(torch.ones(1)))
print([e.key for e in p3.key_averages() if e.key == "decorated"])
for g in [lambda: P.profile(activities=[P.ProfilerActivity.CUDA]).__enter__(), lambda: torch.autograd.profiler.emit_nvtx().__enter__(),
          lambda: P.schedule(wait=0, warmup=0, active=0), lambda: torch.autograd.profiler.profile(use_cuda=True).__enter__()]:
    try:
        g()
        print("ok")
    except Exception as e:
        print(type(e).__name__, e)
""",
}


import runtime_services_cases  # noqa: E402

run_case = runtime_services_cases.run_case  # (the same way of running a case)
