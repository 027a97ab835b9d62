"""``dockwright update`` as the command table dispatches it (argparse, then the error
handler), without going through cli/main.py's table."""

from __future__ import annotations

import argparse

from dockwright.cli import update
from dockwright.cli.errors import handle


def dockwright_update(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="dockwright update", description=update.HELP)
    update.configure(parser)
    try:
        ns = parser.parse_args(list(argv))
    except SystemExit as exc:
        return 2 if exc.code else 0
    return handle(lambda: update.run(ns))
