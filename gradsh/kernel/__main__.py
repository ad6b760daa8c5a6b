"""`python -m gradsh.kernel -f CONNECTION_FILE`: what the kernelspec runs."""

from .app import main

main()
