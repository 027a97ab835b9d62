"""The top-level error handler: exceptions become one clear line on stderr and an exit code."""

from __future__ import annotations

import sys

from dockwright.errors import DockwrightError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable


def handle(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except DockwrightError as exc:
        print(f"dockwright: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dockwright: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        import traceback

        print(
            "dockwright: an unexpected error occurred; this is a bug, please report it with "
            "the trace below",
            file=sys.stderr,
        )
        traceback.print_exception(exc, file=sys.stderr)
        return 3
