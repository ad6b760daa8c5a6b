"""MIME bundles for what a cell shows: values (the REPL's text), gradients (text and HTML)."""

from html import escape

from .pretty import DISPLAY_MODULE, pretty_start


def capped(text, max_chars):
    if max_chars is not None and len(text) > max_chars:
        cut = len(text) - max_chars
        return text[:max_chars] + "\n[... %d more character%s not shown]" % (
            cut, "" if cut == 1 else "s")
    return text


def value(obj, max_chars=None):
    """IPython's text of the value (pretty.py: long containers broken at 79 columns). A text
    laid out only in part (longer than max_chars) ends with a note without a count."""
    text, whole = pretty_start(obj, max_chars)
    if whole:
        return {"text/plain": capped(text, max_chars)}
    return {"text/plain": text[:max_chars] + "\n[... more characters not shown]"}


def gradients(pairs, max_chars=None, title="gradients"):
    """The REPL's plain lines (`x.grad = tensor(...)`) and a two-column HTML table."""
    rows = [(name, capped(repr(leaf.grad), max_chars)) for name, leaf in pairs]
    plain = "\n".join("%s.grad = %s" % row for row in rows)
    cells = "".join(
        '<tr><td style="text-align:left;vertical-align:top"><code>%s.grad</code></td>'
        '<td style="text-align:left"><pre style="margin:0">%s</pre></td></tr>'
        % (escape(name), escape(text)) for name, text in rows)
    html = ('<table class="gradsh-gradients"><caption style="text-align:left">%s</caption>'
            '<tbody>%s</tbody></table>' % (escape(title), cells))
    return {"text/plain": plain, "text/html": html}


def display_builtin(kernel, max_chars=None):
    """The `display(...)` a notebook program calls: each object as a display_data (the text a
    cell's value shows), in order with what was printed; `raw=True` sends dicts as they are (a
    MIME bundle), `clear=True` clears the cell's output first. Returns None, as IPython's does
    when no display_id is asked for."""

    def display(*objs, include=None, exclude=None, metadata=None, transient=None,
                display_id=None, raw=False, clear=False, **kwargs):
        kernel.shown()
        if clear:
            kernel.clear_output()
        for obj in objs:
            if raw:
                if not isinstance(obj, dict):
                    raise TypeError("display(raw=True) takes MIME bundles (dicts), not %s"
                                    % type(obj).__name__)
                kernel.publish({str(k): str(v) for k, v in obj.items()})
            else:
                kernel.publish(value(obj, max_chars))

    display.__module__ = DISPLAY_MODULE
    display.__qualname__ = "display"
    return display
