from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand
from dockwright.lint.model import Severity
from dockwright.lint.packages import contains_run, is_pip_install
from dockwright.lint.rule import LintContext, Rule, shell_text
from dockwright.lint.values import cache_targets, image_name, stage_name, unquoted_pairs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

TRUTHY = ("1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES")


def _is_wrapper(cmd: ShellCommand) -> bool:
    return any(
        w in cmd.name or (cmd.name.startswith("python") and contains_run(cmd.args, ("-m", w)))
        for w in ("pipx", "pipenv")
    )


def _forgets_no_cache_dir(cmd: ShellCommand) -> bool:
    return is_pip_install(cmd) and "--no-cache-dir" not in cmd.args and not _is_wrapper(cmd)


def _inline_no_cache_dir(text: str) -> bool:
    _, found, after = text.partition("PIP_NO_CACHE_DIR=")
    return bool(found) and after.startswith(TRUTHY)


class PipNoCacheDir(Rule):
    """Avoid use of cache directory with pip.

    What: ``pip install`` without ``--no-cache-dir``. Not reported when the stage (or the
    stage it is built from) sets ``ENV PIP_NO_CACHE_DIR`` to a true value, when the RUN sets
    ``PIP_NO_CACHE_DIR=1`` itself, or when a cache/tmpfs mount holds ``.cache/pip``;
    ``pipx`` and ``pipenv`` are not pip.

    Why: pip's download cache is of no use in an image and only makes the layer bigger.

    Bad::

        RUN pip install requests==2.32.3

    Good::

        RUN pip install --no-cache-dir requests==2.32.3
    """

    code = "DL3042"
    severity = Severity.WARNING
    message = "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`"

    def _violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if any(".cache/pip" in t for t in cache_targets(ins)):
            return False
        if _inline_no_cache_dir(shell_text(ins)):
            return False
        return any(_forgets_no_cache_dir(c) for c in ctx.script(ins).commands)

    def _fold(self, ctx: LintContext, items: Iterable[tuple[int, Instruction]]) -> Iterator[int]:
        # Stage key (alias or image name; None before a FROM) -> PIP_NO_CACHE_DIR is on.
        current: str | None = None
        no_cache: dict[str | None, bool] = {}
        for line, ins in items:
            if ins.keyword == "FROM":
                current = stage_name(ins)
                no_cache[current] = no_cache.get(image_name(ins), False)
            elif ins.keyword == "ENV":
                values = [v for k, v in unquoted_pairs(ins) if k == "PIP_NO_CACHE_DIR"]
                if values and values[0] in TRUTHY:
                    no_cache[current] = True
            elif ins.keyword == "RUN":
                if no_cache.get(current, False):
                    continue
                if self._violates(ctx, ins):
                    yield line

    def check(self, ctx: LintContext) -> Iterator[int]:
        plain = ((i.start_line, i) for i in ctx.instructions if i.inner is None)
        yield from self._fold(ctx, plain)
        yield from self._fold(ctx, ctx.onbuild_instructions)
