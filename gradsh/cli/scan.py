"""Where the end of some program text is: in code, a string or a comment, and which brackets
are open there. For completion and auto-indent (cheap, and right for unfinished input, which
the parser cannot say much about)."""


def scan(text):
    """Where the end of `text` is ("code", "string", "comment") and the brackets open there,
    as (char, index)."""
    brackets = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            if end < 0:
                return "comment", brackets
            i = end
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while True:
                if j >= n:
                    return "string", brackets
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    i = j + len(quote) - 1
                    break
                if text[j] == "\n" and len(quote) == 1:
                    i = j
                    break
                j += 1
        elif c in "([{":
            brackets.append((c, i))
        elif c in ")]}" and brackets:
            brackets.pop()
        i += 1
    return "code", brackets
