"""``python -m cxdesk``: the command line (with no command, the window)."""

from cxdesk.cli import run

run()
