"""A ceiling on the command's total memory, so that the kernel's OOM killer never ends a session.

The tensor limit (--max-memory) is per tensor; a program can still keep many tensors, or grow a
Python list in a loop. The process's data segment is capped at three quarters of physical memory
(or twice the tensor limit, if that was raised above it), and at half of the address space when
gradsh was started under one (`ulimit -v`), so that the data segment, not the address space
that also holds the code, the libraries and the stack, is what runs out: past it an allocation
fails with a MemoryError, which the program sees as an "out of memory" error with its line,
and the REPL goes on. Every allocation of the process meets it (Python's objects, numpy's
arrays, the parser's tables), whatever made it: it is the backstop behind the per-value limits.
Only the real `gradsh` process is capped, never a program embedding the language.
"""


CEILING_FRACTION = 0.75
ADDRESS_SPACE_FRACTION = 0.5


def ceiling_bytes(physical, tensor_limit, address_space=None):
    ceiling = max(int(physical * CEILING_FRACTION), 2 * tensor_limit)
    if address_space is not None:
        ceiling = min(ceiling, int(address_space * ADDRESS_SPACE_FRACTION))
    return ceiling


def _finite(limit, resource):
    return None if limit == resource.RLIM_INFINITY else limit


def cap_process_memory():
    """Lower the soft RLIMIT_DATA to the ceiling (never raise it); True if a limit was set."""
    try:
        import os
        import resource
        import sys

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        # The core (and numpy) is not imported for this: the REPL shows its prompt first. If a
        # limit was set (--max-memory, GRADSH_MAX_MEMORY), the core is loaded already.
        memory = sys.modules.get("gradsh.core.memory")
        tensor_limit = memory.max_bytes() if memory is not None else physical // 4
        address_space = _finite(resource.getrlimit(resource.RLIMIT_AS)[0], resource)
        ceiling = ceiling_bytes(physical, tensor_limit, address_space)
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        if soft != resource.RLIM_INFINITY and soft <= ceiling:
            return False
        resource.setrlimit(resource.RLIMIT_DATA, (ceiling, hard))
        return True
    except (ImportError, ValueError, OSError, AttributeError):
        # no resource module (Windows), or a system that refuses: run without a ceiling
        return False


STACK_BYTES = 256 << 20


def raise_stack_limit():
    """Raise the soft RLIMIT_STACK to STACK_BYTES (never lower it); True if it was raised.

    Python code that recurses through C (generators resuming generators, `map` calling a
    program's function that iterates a `map`...) uses several KiB of C stack per level, so the
    recursion limit a program gets (a few thousand) overflows Linux's usual 8 MiB stack before
    the RecursionError, and the process dies with a signal. The main thread's stack grows on
    demand up to the soft limit as it is when the stack grows, so raising it here is enough;
    the stack costs memory only as far as it is used. CPython's own C recursion over values
    (hashing a tuple nested millions deep) also gets this room.
    """
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        target = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
        if soft == resource.RLIM_INFINITY or soft >= target:
            return False
        resource.setrlimit(resource.RLIMIT_STACK, (target, hard))
        return True
    except (ImportError, ValueError, OSError, AttributeError):
        return False
