"""torch.profiler as context managers that run the code they wrap: profile, record_function,
schedule, ProfilerActivity, ProfilerAction. Timings are measured (wall clock, per
record_function region and per profiler step), never reproducible, so nothing compares them;
key_averages().table() prints PyTorch's table layout with these regions only: gradsh does not
itemise each aten op (docs/autograd.md, "What differs")."""

import time

from .core.dtypes import read_items
from .core.errors import TorchAssertionError, TorchAttributeError
from .core.torchclass import TorchClass

__all__ = ["ProfilerAction", "ProfilerActivity", "profile", "record_function", "schedule",
           "supported_activities", "tensorboard_trace_handler"]

_active = []  # the profiles recording now (innermost last)


class _Choices(metaclass=TorchClass):
    """An enum's members as class attributes (enum.Enum's class is not one of gradsh's types,
    so a .grad program could not read `ProfilerActivity.CPU` from it)."""

    __slots__ = ("name", "value")

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __repr__(self):
        return f"<{type(self).__name__}.{self.name}: {self.value}>"

    def __str__(self):
        return f"{type(self).__name__}.{self.name}"

    def __reduce__(self):
        return getattr, (type(self), self.name)

    @classmethod
    def _fill(cls, names):
        cls.__members__ = {}
        for value, name in enumerate(names):
            member = cls(name, value)
            setattr(cls, name, member)
            cls.__members__[name] = member


class ProfilerActivity(_Choices):
    """The devices a profile can record (only CPU here)."""

    __slots__ = ()


class ProfilerAction(_Choices):
    """What a schedule asks of each step."""

    __slots__ = ()


ProfilerActivity._fill(["CPU", "XPU", "MTIA", "CUDA", "HPU", "PrivateUse1"])
ProfilerAction._fill(["NONE", "WARMUP", "RECORD", "RECORD_AND_SAVE"])


def supported_activities():
    return {ProfilerActivity.CPU}


def schedule(*, wait, warmup, active, repeat=0, skip_first=0, skip_first_wait=0):
    """PyTorch's step -> ProfilerAction function (torch/profiler/profiler.py)."""
    def schedule_fn(step):
        if step < 0:
            raise TorchAssertionError("Step must be non-negative")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        num_steps = wait + warmup + active
        if repeat > 0 and step / num_steps >= repeat:
            return ProfilerAction.NONE
        mod_step = step % num_steps
        if mod_step < wait:
            return ProfilerAction.NONE
        if mod_step < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if mod_step < num_steps - 1 else ProfilerAction.RECORD_AND_SAVE
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise TorchAssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
            f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
            f"skip_first={skip_first} (need >= 0).")
    return schedule_fn


def tensorboard_trace_handler(dir_name, worker_name=None, use_gzip=False):
    raise RuntimeError("torch.profiler.tensorboard_trace_handler writes trace files; gradsh "
                       "keeps profiles in memory (print prof.key_averages().table())")


class FunctionEvent:
    """One measured region (times in microseconds, as PyTorch's events)."""

    def __init__(self, name, start_us, end_us):
        self.name, self.key = name, name
        self.time_range_start, self.time_range_end = start_us, end_us
        self.count = 1
        self.cpu_time_total = end_us - start_us
        self.self_cpu_time_total = self.cpu_time_total
        self.cpu_children = []

    @property
    def cpu_time(self):
        return self.cpu_time_total / max(self.count, 1)

    def __repr__(self):
        return (f"<FunctionEvent name={self.name} cpu_time={self.cpu_time_total:.3f}us "
                f"count={self.count}>")


class EventList(list):
    """Events with PyTorch's table and key_averages."""

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        if not isinstance(self, EventList):  # called unbound: PyTorch's first read of self
            raise TorchAttributeError("'%s' object has no attribute '_tree_built'"
                                      % type(self).__name__)
        groups = {}
        for e in self:
            g = groups.get(e.key)
            if g is None:
                g = groups[e.key] = FunctionEvent(e.key, 0, 0)
                g.count = 0
            g.count += e.count
            g.cpu_time_total += e.cpu_time_total
            g.self_cpu_time_total += e.self_cpu_time_total
        return EventList(groups.values())

    @property
    def self_cpu_time_total(self):
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False, **kwargs):
        if len(self) == 0:  # PyTorch's: no events, no table (and len before any reading)
            return ""
        rows = list(self)
        if sort_by is not None:
            key = sort_by if sort_by != "cpu_time" else "cpu_time_total"
            rows.sort(key=lambda e: getattr(e, key, 0), reverse=True)
        if row_limit is not None and row_limit > 0:
            rows = rows[:row_limit]
        total = self.self_cpu_time_total or 1.0
        width = max([len(e.key) for e in rows] + [4])
        width = min(width, max_name_column_width)
        cols = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
                "# of Calls"]
        line = "-" * width + "  " + "  ".join("-" * 12 for _ in cols) + "  "
        out = [line, f"{'Name':>{width}}  " + "  ".join(f"{c:>12}" for c in cols) + "  ",
               line]
        for e in rows:
            vals = [f"{100 * e.self_cpu_time_total / total:.2f}%", _fmt(e.self_cpu_time_total),
                    f"{100 * e.cpu_time_total / total:.2f}%", _fmt(e.cpu_time_total),
                    _fmt(e.cpu_time), str(e.count)]
            out.append(f"{e.key[:width]:>{width}}  " + "  ".join(f"{v:>12}" for v in vals) + "  ")
        out.append(line)
        out.append(f"Self CPU time total: {_fmt(self.self_cpu_time_total)}")
        return "\n".join(out) + "\n"

    def __str__(self):
        return self.table()


def _fmt(us):
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _now_us():
    return time.perf_counter_ns() / 1e3


class record_function:
    """A named region: timed into every profile that is recording (a context manager or a
    decorator, as PyTorch's)."""

    def __init__(self, name, args=None):
        if not isinstance(name, str):
            raise TypeError(f"record_function(): name must be str, not {type(name).__name__}")
        self.name, self.args = name, args
        self._start = None

    def __enter__(self):
        self._start = _now_us()
        return self

    def __exit__(self, *exc):
        end = _now_us()
        for prof in _active:
            prof._add(self.name, self._start, end)
        return False

    def __call__(self, fn):
        def wrapped(*args, **kwargs):
            with record_function(self.name):
                return fn(*args, **kwargs)
        wrapped.__name__ = getattr(fn, "__name__", "wrapped")
        return wrapped

    def __repr__(self):
        return f"<torch.autograd.profiler.record_function object at {hex(id(self))}>"


class profile:
    """Records the record_function regions (and ProfilerStep#N with a schedule) of its block."""

    def __init__(self, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, execution_trace_observer=None,
                 acc_events=False, use_cuda=None, custom_trace_id_callback=None):
        if activities is None:
            activities = supported_activities()
        activities = set(read_items(activities, "profile(activities=...)"))  # (an endless one stops)
        if not activities:
            raise TorchAssertionError("No valid profiler activities found")
        # the activities this machine cannot record (CUDA here) are dropped; none left is
        # refused when recording starts, as PyTorch's
        self.activities = activities & supported_activities()
        self.schedule = schedule
        self.on_trace_ready = on_trace_ready
        self.record_shapes, self.profile_memory = record_shapes, profile_memory
        self.step_num = 0
        self._events = EventList()
        self._step_start = None

    def _recording(self):
        if self.schedule is None:
            return True
        return self.schedule(self.step_num) in (ProfilerAction.RECORD,
                                                ProfilerAction.RECORD_AND_SAVE)

    def _add(self, name, start, end):
        if self._recording():
            self._events.append(FunctionEvent(name, start, end))

    def start(self):
        if not isinstance(self, profile):  # (profile.start(x) called on another object)
            raise TorchAttributeError("'%s' object has no attribute 'schedule'"
                                      % type(self).__name__)
        if not self.activities:  # only what this machine cannot record (CUDA)
            raise TorchAssertionError("No activities specified for the profiler")
        _active.append(self)
        self._step_start = _now_us()

    def stop(self):
        if self in _active:
            _active.remove(self)
        if self.on_trace_ready is not None and self.schedule is None:
            self.on_trace_ready(self)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def step(self):
        """The end of one training step (with a schedule: records ProfilerStep#N; after the
        last active step hands the trace to on_trace_ready, then starts a new cycle)."""
        action = self.schedule(self.step_num) if self.schedule is not None else None
        now = _now_us()
        if self.schedule is not None and self._recording():
            self._events.append(FunctionEvent(f"ProfilerStep#{self.step_num}",
                                              self._step_start, now))
        self.step_num += 1
        self._step_start = now
        if action == ProfilerAction.RECORD_AND_SAVE:
            if self.on_trace_ready is not None:
                self.on_trace_ready(self)
            self._events = EventList()

    def events(self):
        return self._events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0,
                     group_by_overload_name=False):
        return self._events.key_averages()

    def export_chrome_trace(self, path):
        raise RuntimeError("export_chrome_trace writes a file; gradsh keeps profiles in memory")

    export_stacks = export_memory_timeline = export_chrome_trace
