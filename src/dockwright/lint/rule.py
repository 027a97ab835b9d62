"""The rule interface and the per-file context rules read.

A rule is a class with ``code``, ``severity`` and ``message`` (hadolint's exact text) and a
docstring (what it checks, why, a bad and a good example; ``dockwright rule CODE`` prints
it). ``check(ctx)`` yields the line of each violation; the engine turns lines into findings,
applies pragmas and config.
"""

from __future__ import annotations

from dockwright.dockerfile import Dockerfile, Instruction
from dockwright.dockerfile.shell import ShellScript, parse_shell
from dockwright.lint.config import LintConfig
from dockwright.lint.model import Severity

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar


class Rule:
    code: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]

    def check(self, ctx: LintContext) -> Iterator[int]:
        raise NotImplementedError

    def violations(self, ctx: LintContext) -> Iterator[tuple[int, str]]:
        """(line, message) pairs; rules whose message varies (a label name) override this."""
        for line in self.check(ctx):
            yield line, self.message


class InstructionRule(Rule):
    """A rule that judges each instruction on its own.

    ``onbuild = True`` also judges what ONBUILD wraps (reported at the ONBUILD line), as
    hadolint's ``r <> onbuild r`` does.
    """

    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        raise NotImplementedError

    def check(self, ctx: LintContext) -> Iterator[int]:
        for ins in ctx.instructions:
            if ins.inner is not None:
                if self.onbuild and self.violates(ctx, ins.inner):
                    yield ins.start_line
            elif self.violates(ctx, ins):
                yield ins.start_line


def has_cache_mount_with(ins: Instruction, fragment: str) -> bool:
    """A cache or tmpfs mount whose target contains ``fragment`` (hadolint's exemption)."""
    from dockwright.lint.values import cache_targets

    return any(fragment in t for t in cache_targets(ins))


def drop_quotes(text: str) -> str:
    """hadolint's ``dropQuotes``: strip every leading and trailing ``"`` and ``'``."""
    return text.strip("\"'")


def raw_flag_value(ins: Instruction, name: str) -> str | None:
    """The last ``--name=value`` flag's value as written, quotes kept (hadolint compares
    ``COPY --from="x"`` literally), or None."""
    found = None
    words = ins.original.split()
    start = 1 + (len(words) > 1 and words[0].upper() == "ONBUILD" and ins.keyword != "ONBUILD")
    for word in words[start:]:
        if not word.startswith("--"):
            break
        flag, eq, value = word[2:].partition("=")
        if flag == name and eq:
            found = value
    return found


class ShellRule(InstructionRule):
    """A rule over the commands of each RUN (exec form included): ``bad_run`` says whether
    a RUN violates it. ``onbuild`` defaults to True, as most of hadolint's RUN rules."""

    onbuild: ClassVar[bool] = True

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        raise NotImplementedError

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        return ins.keyword == "RUN" and self.bad_run(ctx, ins, ctx.script(ins))


ARCHIVE_EXTENSIONS = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
    ".tlz", ".tpz", ".txz", ".xz",
)  # fmt: skip


def repeated_in_stage(ctx: LintContext, keyword: str) -> Iterator[int]:
    """Lines of the second and later ``keyword`` instructions of each stage."""
    seen = False
    for ins in ctx.instructions:
        if ins.keyword == "FROM":
            seen = False
        elif ins.keyword == keyword:
            if seen:
                yield ins.start_line
            seen = True


class LintContext:
    """A parsed Dockerfile plus cached views that several rules share."""

    def __init__(self, df: Dockerfile, config: LintConfig | None = None) -> None:
        self.df = df
        self.config = config if config is not None else LintConfig()
        self._scripts: dict[int, ShellScript] = {}
        self.instructions: tuple[Instruction, ...] = df.instructions
        # (ONBUILD line, wrapped instruction) pairs: hadolint's ``onbuild`` view.
        self.onbuild_instructions: tuple[tuple[int, Instruction], ...] = tuple(
            (i.start_line, i.inner) for i in self.instructions if i.inner is not None
        )

    def script(self, ins: Instruction) -> ShellScript:
        """Shell commands of a RUN (or SHELL/CMD/ENTRYPOINT) the way hadolint reads them."""
        key = id(ins)
        if key not in self._scripts:
            self._scripts[key] = parse_shell(shell_text(ins))
        return self._scripts[key]


_MARKER_PREFIXES = ("<<",)


def _is_marker(word: str) -> bool:
    stripped = word.lstrip("0123456789")
    return stripped.startswith(_MARKER_PREFIXES)


def shell_text(ins: Instruction) -> str:
    """The text hadolint analyses for a command instruction.

    Exec form: the items joined by spaces. Shell form: the joined line. With heredocs:
    ``RUN <<EOF`` gives the body (prefixed by words after the marker, ``RUN <<EOF bash``);
    ``RUN cmd <<EOF`` gives only the text before the marker.
    """
    if ins.keyword == "HEALTHCHECK":
        args = ins.args[1:]
        return " ".join(args) if ins.json else (args[0] if args else "")
    if ins.json:
        return " ".join(ins.args)
    rest = ins.rest
    if not ins.heredocs:
        return rest
    words = rest.split()
    if words and _is_marker(words[0]):
        after = rest.split(None, 1)[1] if len(words) > 1 else ""
        cut = after.find("<<")
        if cut >= 0:
            after = after[:cut]
        body = ins.heredocs[0].content.strip()
        return f"{after.strip()}\n{body}" if after.strip() else body
    idx = rest.find("<<")
    while idx > 0 and rest[idx - 1].isdigit():
        idx -= 1
    return rest[:idx] if idx >= 0 else rest
