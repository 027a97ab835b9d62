from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, drop_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_VERSION_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.~^_:+")


class KnownVariables:
    """ENV names per stage (a ``FROM <alias>`` stage starts with its parent's) and every
    ARG seen so far, as hadolint tracks them for ``${VAR}`` versions."""

    __slots__ = ("aliases", "args", "stage_envs")

    def __init__(self) -> None:
        self.stage_envs: list[set[str]] = [set()]
        self.aliases: list[str | None] = [None]
        self.args: set[str] = set()

    def see(self, ins: Instruction) -> None:
        if ins.keyword == "FROM":
            image = from_image(ins)
            parent = next((i for i, a in enumerate(self.aliases) if a == image.name), None)
            self.stage_envs.append(set(self.stage_envs[parent]) if parent is not None else set())
            self.aliases.append(image.alias)
        elif ins.keyword == "ENV":
            self.stage_envs[-1].update(drop_quotes(k) for k, _ in ins.pairs)
        elif ins.keyword == "ARG":
            self.args.update(drop_quotes(w.split("=", 1)[0]) for w in ins.args)

    def defines(self, text: str) -> bool:
        return any("${" + v + "}" in text for v in (*self.stage_envs[-1], *self.args))


def version_like(package: str, known: KnownVariables) -> bool:
    """``name-version[-release]``: hadolint's test for yum and dnf package words."""
    parts = package.split("-")
    if len(parts) <= 1:
        return False
    if package.endswith(".rpm"):
        return True
    if "$" in package:
        return known.defines(package)
    rest = parts[1:]
    return all(set(p) <= _VERSION_CHARS for p in rest) and any(p[:1].isdigit() for p in rest)


def versioned_install_violations(
    ctx: LintContext, instructions: Iterable[tuple[int, Instruction]], judge: YumJudge
) -> Iterator[int]:
    known = KnownVariables()
    for line, ins in instructions:
        if ins.keyword == "RUN":
            if judge(ctx.script(ins), known):
                yield line
        else:
            known.see(ins)


class YumJudge:
    """Whether a RUN's ``names`` installs have an unversioned package or module."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def __call__(self, script: ShellScript, known: KnownVariables) -> bool:
        for cmd in script.named(*self.names):
            if not cmd.has_arg("install"):
                continue
            words = [a for a in cmd.args_no_flags() if a not in ("install", "module")]
            if cmd.has_arg("module"):
                if any(":" not in w for w in words):
                    return True
            elif any(not version_like(w, known) for w in words):
                return True
        return False


class PinnedYumPackages(Rule):
    """Specify versions with yum install.

    What: ``yum install`` of a package that is not ``name-version`` (each part after the
    first ``-`` made of version characters, one starting with a digit) and not an
    ``.rpm`` file. A ``${VAR}`` version counts when VAR is an ENV of the stage or an ARG.
    ``yum module install`` needs ``module:stream``. RUNs inside ONBUILD are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN yum install -y httpd && yum clean all

    Good::

        RUN yum install -y httpd-2.4.6 && yum clean all
    """

    code = "DL3033"
    severity = Severity.WARNING
    message = "Specify version with `yum install -y <package>-<version>`."
    judge = YumJudge("yum")

    def check(self, ctx: LintContext) -> Iterator[int]:
        plain = ((i.start_line, i) for i in ctx.instructions if i.inner is None)
        yield from versioned_install_violations(ctx, plain, self.judge)
        # The ONBUILD copy has its own state and sees only ONBUILD's ENV/ARG.
        yield from versioned_install_violations(ctx, ctx.onbuild_instructions, self.judge)
