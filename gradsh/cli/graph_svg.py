"""The backward graph as a picture: SVG or PNG drawn by Graphviz's `dot` when it is installed,
or an HTML tree that needs nothing (for notebooks without Graphviz)."""

import shutil
import subprocess
from html import escape

from .graph import to_dot

NO_DOT = ("Graphviz's `dot` is not on PATH, so no picture can be drawn (install Graphviz: "
          "apt-get install graphviz, brew install graphviz, conda install graphviz); "
          ":graph --dot FILE writes the DOT text without it")
DOT_TIMEOUT = 30  # seconds; a huge graph is not worth waiting longer for


class DotError(Exception):
    """dot is missing or failed: the message says which."""


def dot_program():
    return shutil.which("dot")


def render(root, title, fmt):
    """The graph drawn by dot as `fmt` ("svg" or "png") bytes; DotError if that cannot be."""
    program = dot_program()
    if program is None:
        raise DotError(NO_DOT)
    try:
        done = subprocess.run([program, "-T" + fmt], input=to_dot(root, title).encode("utf-8"),
                              capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise DotError("dot failed: %s" % e) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip() or "status %d" % done.returncode
        raise DotError("dot failed: %s" % reason)
    return done.stdout


def svg_text(root, title):
    """SVG for a notebook: dot's drawing without its XML prolog (HTML embeds it as is)."""
    text = render(root, title, "svg").decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def html_tree(root, title):
    """The tree :graph prints, as nested HTML lists: nothing to install."""
    out = ['<div class="gradsh-graph" style="font-family:monospace">',
           "<div><b>%s</b></div>" % escape(title), '<ul style="list-style:none">']
    # iterative: a chain of thousands of nodes must not exhaust the stack
    stack = [("node", root)]
    while stack:
        kind, node = stack.pop()
        if kind == "close":
            out.append("</ul></li>")
            continue
        out.append("<li>%s" % _label(node))
        if node.children and not node.repeat:
            out.append('<ul style="list-style:none;border-left:1px solid #bbb;'
                       'margin-left:0.4em;padding-left:1.2em">')
            stack.append(("close", None))
            stack.extend(("node", child) for child in reversed(node.children))
        else:
            out.append("</li>")
    out.append("</ul></div>")
    return "".join(out)


def _label(node):
    if node.fn is None:
        return '<span style="color:#888">None (an input that needs no gradient)</span>'
    text = ""
    if node.var:
        text += '<span style="color:#1a7f37">%s</span>: ' % escape(node.var)
    text += '<span style="color:#8250df">%s</span>' % escape(node.name)
    if node.shape is not None:
        text += ' <span style="color:#888">%s</span>' % escape(str(node.shape))
    if node.repeat:
        text += ' <span style="color:#888">(shown above)</span>'
    return text


def write_picture(root, title, fmt, path):
    """Writes the drawing to `path`; DotError or OSError if it cannot."""
    data = render(root, title, fmt)
    with open(path, "wb") as f:
        f.write(data)


def write_picture_command(state, root, title, fmt, path):
    """`:graph --svg FILE` / `--png FILE` in the terminal: write it, or say clearly why not."""
    import os

    from .meta import MetaError
    from .render import note
    path = os.path.expanduser(path)
    try:
        write_picture(root, title, fmt, path)
    except DotError as e:
        raise MetaError("cannot write %s: %s" % (path, e)) from None
    except OSError as e:
        raise MetaError("cannot write %s: %s" % (path, e.strerror or e)) from None
    state.console.print(note("wrote %s (%s drawn by Graphviz)" % (path, fmt.upper())))
