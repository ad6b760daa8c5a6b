""":plot EXPR: a list of numbers or a 1-d tensor (a loss history) as a line chart.

In the terminal the chart is drawn with Unicode block characters by uniplot (pure Python,
imported on the first :plot only, so start-up never pays for it); in a notebook it is an SVG made
here (see docs/jupyter.md for why uniplot).
"""

import math
from html import escape

NEEDS = "needs a list of numbers or a 1-d tensor (e.g. a loss history)"
MIN_WIDTH = 20
HEIGHT = 15


class PlotError(ValueError):
    """The value cannot be plotted: the message says why."""


def numbers(value):
    """The floats to plot from a list/tuple of numbers or 0-d tensors, or a 1-d tensor."""
    if type(value).__name__ == "Tensor":
        if value.dim() != 1:
            raise PlotError(":plot %s, not a tensor of shape %s" % (NEEDS, tuple(value.shape)))
        items = value.tolist()
    elif isinstance(value, (list, tuple, range)):
        items = []
        for item in value:
            if type(item).__name__ == "Tensor":
                if item.numel() != 1:
                    raise PlotError(":plot %s; an item is a tensor of shape %s"
                                    % (NEEDS, tuple(item.shape)))
                item = item.item()
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise PlotError(":plot %s; an item is %s" % (NEEDS, type(item).__name__))
            items.append(item)
    else:
        raise PlotError(":plot %s, not %s" % (NEEDS, type(value).__name__))
    if not items:
        raise PlotError(":plot has nothing to draw: the list is empty")
    try:
        values = [float(v) for v in items]
    except OverflowError:
        raise PlotError(":plot has an integer too large for a float among its values") from None
    except TypeError:  # a complex tensor's values
        raise PlotError(":plot %s of real numbers" % NEEDS) from None
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        raise PlotError(":plot has nothing to draw: no value is finite")
    if not math.isfinite(max(finite) - min(finite)):
        raise PlotError(":plot cannot scale its axis: the values span more than a float holds "
                        "(%g to %g)" % (min(finite), max(finite)))
    return values


def evaluate(state, expr):
    """The value of `expr` in the session, or None (the error is already shown)."""
    from .execute import run_source
    from .meta import MetaError
    if not expr:
        raise MetaError(":plot needs an expression")
    session = state.session
    captured, saved = [], session.on_value
    session.on_value = captured.append
    try:
        ok = run_source(state, expr, "<:plot>", record=False, echo=True)
    finally:
        session.on_value = saved
    if not ok:
        return None
    if len(captured) != 1:
        raise MetaError(":plot %s" % NEEDS)
    return captured[0]


# ---------------------------------------------------------------- the terminal

def chart_lines(values, title, width):
    """The chart as lines of at most `width` characters: values by index, both axes labelled."""
    from uniplot import plot_to_string
    xs = list(range(len(values)))
    finite = [v for v in values if math.isfinite(v)]
    ys = [v if math.isfinite(v) else float("nan") for v in values]
    width = max(width, MIN_WIDTH)
    kwargs = dict(title=title, height=HEIGHT, lines=len(values) > 1, x_unit="",
                  line_length_hard_cap=width, x_gridlines=[], y_min=min(finite), y_max=max(finite))
    if kwargs["y_min"] == kwargs["y_max"]:  # a flat line still needs a y range
        kwargs["y_min"] -= 1
        kwargs["y_max"] += 1
    if len(values) == 1:
        kwargs.update(x_min=-1, x_max=1)
    text = plot_to_string(ys, xs, width=width, **kwargs)
    lines = text if isinstance(text, list) else text.split("\n")
    lines = [line.rstrip() for line in lines]
    lines.append("x: index (0 to %d), y: value (min %s, max %s)"
                 % (len(values) - 1, _short(min(finite)), _short(max(finite))))
    return lines


def _short(x):
    return "%.6g" % x


# ---------------------------------------------------------------- notebooks

def svg(values, title, width=640, height=320):
    """A small line chart in SVG: axes with ticks and labels, a polyline, nothing to install."""
    finite = [v for v in values if math.isfinite(v)]
    lo, hi = min(finite), max(finite)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    n = len(values)
    step = tick_step(lo, hi)
    # the y axis runs from tick to tick, so its ends are labelled
    lo, hi = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    y_ticks = nice_ticks(lo, hi)
    x_ticks = [i for i in nice_ticks(0, max(n - 1, 1)) if 0 <= i <= n - 1 and i == int(i)]
    labels = [_tick(v, y_ticks) for v in y_ticks]
    # room on the left for the longest y label (about 6.5 px per character at 11 px)
    left, right, top, bottom = 30 + int(6.5 * max(map(len, labels))), 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(v):
        return top + plot_h * (hi - v) / (hi - lo)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="16" font-size="13">%s</text>' % (left, escape(title))]
    for v, label in zip(y_ticks, labels):
        y = y_of(v)
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e5e5e5"/>'
                   % (left, left + plot_w, y, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                   % (left - 6, y + 4, escape(label)))
    for i in x_ticks:
        i = int(i)
        x = x_of(i)
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#333"/>'
                   % (x, x, top + plot_h, top + plot_h + 4))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>'
                   % (x, top + plot_h + 16, i))
    out.append('<path d="M%d %d V%d H%d" fill="none" stroke="#333"/>'
               % (left, top, top + plot_h, left + plot_w))
    out.append('<text x="%d" y="%d" text-anchor="middle">index</text>'
               % (left + plot_w // 2, height - 6))
    out.append('<text x="14" y="%d" text-anchor="middle" transform="rotate(-90 14 %d)">value'
               '</text>' % (top + plot_h // 2, top + plot_h // 2))
    for segment in _segments(values):
        points = " ".join("%.1f,%.1f" % (x_of(i), y_of(values[i])) for i in segment)
        if len(segment) == 1:
            i = segment[0]
            out.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="#1f77b4"/>'
                       % (x_of(i), y_of(values[i])))
        else:
            out.append('<polyline points="%s" fill="none" stroke="#1f77b4" stroke-width="1.5"/>'
                       % points)
    out.append("</svg>")
    return "\n".join(out)


def tick_step(lo, hi, count=5):
    """A round distance between about `count` ticks over [lo, hi]: 1, 2, 2.5 or 5 times a
    power of ten."""
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


def nice_ticks(lo, hi, count=5):
    """Round tick values covering [lo, hi] (see tick_step)."""
    span = hi - lo
    if not span > 0 or not math.isfinite(span):
        return [lo]
    step = tick_step(lo, hi, count)
    first = math.ceil(lo / step) * step
    ticks, k = [], 0
    while first + k * step <= hi + step * 1e-9:
        ticks.append(round(first + k * step, 12))
        k += 1
    return ticks


def _tick(v, ticks):
    """A tick label as short as the spacing allows (0.5, 1e-06, 2000)."""
    text = "%.4g" % v
    return "0" if abs(v) < 1e-12 * max(abs(t) for t in ticks) else text


def _segments(values, max_points=2000):
    """Runs of finite values (nan/inf break the line), thinned to about max_points points."""
    step = max(1, len(values) // max_points)
    runs, run = [], []
    for i in range(0, len(values), step):
        if math.isfinite(values[i]):
            run.append(i)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def plot_command(state, expr):
    """`:plot EXPR` in the terminal."""
    from .meta import MetaError
    from .render import Text
    value = evaluate(state, expr.strip())
    if value is None:
        return
    try:
        values = numbers(value)
    except PlotError as e:
        raise MetaError(str(e)) from None
    for line in chart_lines(values, expr.strip(), state.console.width):
        state.console.print(Text(line), soft_wrap=True)
