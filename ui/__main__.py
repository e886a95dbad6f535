"""``python -m ui``: the window of cxdesk (the bundle's windowed program starts here)."""

import sys

from ui.app import main

raise SystemExit(main(sys.argv[1:]))
