"""The `gradsh` command: scripts, pipes, -c, and the interactive REPL.

The pipe path (main.py, run.py, env.py, args.py) imports only the language; the REPL's modules
(prompt_toolkit, Rich, Pygments) load only when a terminal session starts.
"""
