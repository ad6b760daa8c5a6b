"""`python -m gradsh` runs the gradsh command."""

import sys

from gradsh.cli.main import entry

sys.exit(entry())
