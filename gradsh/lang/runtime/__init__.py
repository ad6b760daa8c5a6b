"""Running compiled programs: the sandbox gate, namespaces, the session, limits, the Python
builtins a program may use, string methods and the tracing of errors to program lines."""
