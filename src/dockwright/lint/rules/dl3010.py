from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand
from dockwright.lint.model import Severity
from dockwright.lint.rule import ARCHIVE_EXTENSIONS, LintContext, Rule, drop_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator

_UNPACKERS = frozenset(
    {"unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"}
)


def _basename(path: str) -> str:
    path = drop_quotes(path)
    cut = max(path.rfind("/"), path.rfind("\\"))
    return path[cut + 1 :]


def _is_archive(path: str) -> bool:
    return drop_quotes(path).endswith(ARCHIVE_EXTENSIONS)


def _extracts(cmd: ShellCommand) -> bool:
    if cmd.name == "tar":
        # A dash word holding ``x`` (``-xzf``, but also ``--exclude``) counts, as in hadolint.
        return any(a in ("--extract", "--get") or (a[:1] == "-" and "x" in a) for a in cmd.args)
    return cmd.name in _UNPACKERS


def _copied_archives(ins: Instruction) -> set[str]:
    *sources, target = ins.args
    if _is_archive(target):
        return {_basename(target)}
    return {_basename(s) for s in sources if _is_archive(_basename(s))}


class AddToExtract(Rule):
    """Use ADD to extract archives into an image.

    What: in the final stage, a local archive (``.tar``, ``.tar.gz``, ``.tgz``, ``.xz``...)
    brought in with COPY and later unpacked by ``tar -x`` or ``gunzip``/``unxz``/``unzip``
    and the like in a RUN. Reported at the COPY.

    Why: ADD unpacks a local tar archive in one step; COPY then extract keeps the archive
    in an extra layer.

    Bad::

        COPY rootfs.tar.xz /tmp/
        RUN tar -xJf /tmp/rootfs.tar.xz -C /

    Good::

        ADD rootfs.tar.xz /
    """

    code = "DL3010"
    severity = Severity.INFO
    message = "Use `ADD` for extracting archives into an image"

    def check(self, ctx: LintContext) -> Iterator[int]:
        archives: list[tuple[int, str]] = []
        reported: set[int] = set()
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                archives, reported = [], set()  # only the last stage counts
            elif ins.keyword == "COPY" and ins.flag("from") is None and len(ins.args) >= 2:
                archives.extend((ins.start_line, a) for a in sorted(_copied_archives(ins)))
            elif ins.keyword == "RUN" and archives:
                for cmd in ctx.script(ins).commands:
                    if not _extracts(cmd):
                        continue
                    names = {_basename(a) for a in cmd.args_no_flags()}
                    reported.update(line for line, a in archives if a in names)
        yield from sorted(reported)
