"""Commands of the command line, grouped by feature; each module has register(subparsers)."""
