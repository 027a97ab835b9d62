"""What the package-manager rules share: which commands install, whether they ask for
confirmation, whether a clean follows an install, and hadolint's yum/dnf version test."""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.images import from_image
from dockwright.lint.rule import LintContext, drop_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    Predicate = Callable[[ShellCommand], bool]


def apt_get_installs(ctx: LintContext, ins: Instruction) -> list[ShellCommand]:
    return [c for c in ctx.script(ins).named("apt-get") if c.has_arg("install")]


INSTALL_VERBS = ("install", "groupinstall", "localinstall")


def installs_without_yes(script: ShellScript, *names: str) -> bool:
    """An install by one of the package managers ``names`` that may stop to ask."""
    return any(
        c.has_arg(*INSTALL_VERBS) and not c.has_flag("y", "assumeyes") for c in script.named(*names)
    )


def cleaned_after(script: ShellScript, install: Predicate, clean: Predicate) -> bool:
    """hadolint's check: no install, or the first clean comes after the first install."""
    first_install = next((i for i, c in enumerate(script.commands) if install(c)), None)
    if first_install is None:
        return True
    first_clean = next((i for i, c in enumerate(script.commands) if clean(c)), None)
    return first_clean is not None and first_install < first_clean


def contains_run(args: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(args[i : i + n] == run for i in range(len(args) - n + 1))


def is_pip_install(cmd: ShellCommand) -> bool:
    """``pip*`` (not ``pipenv``) with an ``install`` word, or ``python* ... -m pip install``."""
    if cmd.name.startswith("pip") and not cmd.name.startswith("pipenv"):
        return "install" in cmd.args
    return cmd.name.startswith("python") and contains_run(cmd.args, ("-m", "pip", "install"))


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
