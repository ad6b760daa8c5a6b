""""Did you mean" for an unknown name or attribute, chosen as Python 3.12 chooses it.

Python's rule (its traceback module): the candidate with the smallest edit distance, where
inserting, deleting or replacing a character costs 2 and a change of case only 1, accepted if
the distance is at most (len(wrong) + len(candidate) + 3) // 3; the first of equals wins. Names
starting with '_' are offered only for a name that starts with '_'.

One addition: when Python's rule finds nothing, a candidate that is the name with two adjacent
letters swapped is offered (`x.gard` -> `grad`, a learner's most common typo, for which Python
3.12 suggests nothing: a swap costs 4 there, above its limit for short names).
"""

import builtins

_MOVE = 2
_CASE = 1
_MAX_CANDIDATES = 750
_MAX_LENGTH = 40


def suggestion(wrong, candidates):
    """The candidate Python would suggest for `wrong`, or None."""
    if len(candidates) > _MAX_CANDIDATES or len(wrong) > _MAX_LENGTH:
        return None
    if not wrong.startswith("_"):
        candidates = [c for c in candidates if not c.startswith("_")]
    best, best_distance = None, None
    for name in candidates:
        if name == wrong:
            continue
        limit = (len(name) + len(wrong) + 3) * _MOVE // 6
        if best_distance is not None:
            limit = min(limit, best_distance - 1)
        distance = edit_distance(wrong, name, limit)
        if distance > limit:
            continue
        if best is None or distance < best_distance:
            best, best_distance = name, distance
    if best is None:
        best = next((name for name in candidates if _one_swap(wrong, name)), None)
    return best


def _one_swap(a, b):
    if len(a) != len(b) or a == b:
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def edit_distance(a, b, limit):
    """The weighted edit distance of a and b; anything above `limit` may be cut short."""
    if a == b:
        return 0
    # a common prefix and suffix cost nothing
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE
    if len(a) > _MAX_LENGTH or len(b) > _MAX_LENGTH:
        return limit + 1
    if (len(b) - len(a)) * _MOVE > limit and (len(a) - len(b)) * _MOVE > limit:
        return limit + 1
    row = [(k + 1) * _MOVE for k in range(len(b))]
    for i, ca in enumerate(a):
        diagonal = i * _MOVE
        left = (i + 1) * _MOVE
        smallest = left
        for j, cb in enumerate(b):
            if ca == cb:
                cost = 0
            elif ca.lower() == cb.lower():
                cost = _CASE
            else:
                cost = _MOVE
            here = min(diagonal + cost, left + _MOVE, row[j] + _MOVE)
            diagonal = row[j]
            row[j] = left = here
            smallest = min(smallest, here)
        if smallest > limit:
            return limit + 1
    return row[-1]


def did_you_mean(exc, gate, registry):
    """". Did you mean: 'grad'?" for a NameError or AttributeError a program raised, chosen
    among what the program could have written there (its names; the attributes the gate
    allows), or "" when Python would suggest nothing."""
    name = getattr(exc, "name", None)
    if not isinstance(name, str) or not isinstance(exc, (NameError, AttributeError)):
        return ""
    if isinstance(exc, NameError):
        frame = _innermost_program_frame(exc.__traceback__, registry)
        if frame is None:
            return ""
        # Python's candidates (the program's names and Python's builtins) first, then the
        # torch names a bare name falls back to (as many again: together past Python's limit)
        python = [k for k in (*frame.f_locals, *frame.f_globals, *frame.f_builtins)
                  if not k.startswith(".") and not k.startswith("__")
                  and (k in frame.f_locals or k in frame.f_globals or hasattr(builtins, k))]
        best = suggestion(name, python)
        if best is None:
            best = suggestion(name, [k for k in _builtin_names(frame.f_builtins)
                                     if not k.startswith("_") and not hasattr(builtins, k)])
        return ". Did you mean: '%s'?" % best if best else ""
    else:
        obj = getattr(exc, "obj", None)
        if obj is None:
            return ""
        try:
            candidates = sorted(gate.attribute_names(obj))
        except Exception:  # noqa: BLE001 - no suggestion is better than a failure here
            return ""
    best = suggestion(name, candidates)
    return ". Did you mean: '%s'?" % best if best else ""


def _innermost_program_frame(tb, registry):
    found = None
    while tb is not None:
        if tb.tb_frame.f_code in registry:
            found = tb.tb_frame
        tb = tb.tb_next
    return found


def _builtin_names(names):
    """A program's builtins in the order a session made them, with the torch names whose op
    modules load on first use (not in the dict until a program names one: Session.builtin)."""
    torch_names = names.get(".torch_names")
    if torch_names is None:
        return list(names)
    first_use = set(names.get(".first_use", ()))
    torch = [n for n in torch_names if n in names or n in first_use]
    seen = set(torch_names)
    return torch + [k for k in names if k not in seen and k not in (".torch_names", ".first_use")]
