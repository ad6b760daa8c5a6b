"""`:graph` and `:plot` in a notebook: pictures (SVG, or an HTML tree without Graphviz), each
with the terminal's text as text/plain for front ends that show no pictures."""

import io


def _plain(renderable, width):
    from gradsh.cli.render import make_console
    out = io.StringIO()
    make_console(out, False, width).print(renderable)
    return out.getvalue().rstrip("\n")


def show_graph(kernel, expr):
    from gradsh.cli import graph_svg
    from gradsh.cli.meta import MetaError, graph_root
    from gradsh.cli.render import GraphTree
    state = kernel.state
    try:
        root = graph_root(state, expr)
        if root is None:
            return
    except MetaError as e:
        state.err_console.print("%s\nusage: :graph [--dot|--svg|--png FILE] EXPR" % e)
        return
    title = "backward graph of %s" % expr
    data = {"text/plain": _plain(GraphTree(root, title), state.env.width)}
    if graph_svg.dot_program() is not None:
        try:
            data["image/svg+xml"] = graph_svg.svg_text(root, title)
        except graph_svg.DotError:
            data["text/html"] = graph_svg.html_tree(root, title)
    else:
        data["text/html"] = graph_svg.html_tree(root, title)
    kernel.publish(data)


def show_plot(kernel, expr):
    from gradsh.cli import plot
    from gradsh.cli.meta import MetaError
    state = kernel.state
    try:
        value = plot.evaluate(state, expr)
        if value is None:
            return
        values = plot.numbers(value)
    except (MetaError, plot.PlotError) as e:
        state.err_console.print("%s\nusage: :plot EXPR" % e)
        return
    data = {"image/svg+xml": plot.svg(values, expr)}
    try:
        data["text/plain"] = "\n".join(plot.chart_lines(values, expr, state.env.width))
    except ImportError:  # uniplot is missing: the picture alone
        data["text/plain"] = "<line chart of %s: %d values>" % (expr, len(values))
    kernel.publish(data)
