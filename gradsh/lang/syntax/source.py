"""Turning a file's bytes or a string into the text the parser reads.

UTF-8 only (a BOM is accepted); CRLF and lone CR become LF; a final newline is added because
the lexer's line structure (indentation.Layout, called at each newline) needs every line, a
trailing comment included, to be terminated.
"""

from ..errors import GradshSyntaxError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def decode(source, filename="<stdin>"):
    """Return the program text of `source` (str or bytes), or raise GradshSyntaxError."""
    if isinstance(source, (bytes, bytearray)):
        text = _decode_bytes(bytes(source), filename)
    elif isinstance(source, str):
        text = source[1:] if source.startswith("\ufeff") else source
    else:
        raise TypeError("a gradsh program is str or bytes, not %s" % type(source).__name__)
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text, nul)
        raise GradshSyntaxError(
            "the source contains a NUL byte (\\0)", filename, line, col,
            source_line=_line_text(text, line).replace("\0", "\\0"),
            hint="is this a text file saved as UTF-8? (UTF-16 files are full of NUL bytes)")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    return text


def split_lines(text):
    """The lines of a decoded program, without their newlines; index 0 is line 1."""
    return text.split("\n")


def _decode_bytes(data, filename):
    if data.startswith(_UTF32_BOMS) or data.startswith(_UTF16_BOMS):
        width = "UTF-32" if data.startswith(_UTF32_BOMS) else "UTF-16"
        raise GradshSyntaxError(
            "the file is %s; save it as UTF-8" % width, filename, 1, 1,
            hint="gradsh reads programs in UTF-8 only")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        end = data.find(b"\n", e.start)
        shown = data[start:end if end >= 0 else len(data)].decode("utf-8", "replace")
        col = len(data[start:e.start].decode("utf-8", "replace")) + 1
        raise GradshSyntaxError(
            "invalid UTF-8: byte 0x%02x at line %d, byte %d of the line"
            % (data[e.start], line, e.start - start + 1),
            filename, line, col, source_line=shown,
            hint="gradsh reads programs in UTF-8 only; re-save the file as UTF-8") from None


def _line_col(text, index):
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _line_text(text, line):
    return text.split("\n")[line - 1]
