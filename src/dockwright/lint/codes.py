"""The lint rules: one entry per rule, in code order, and what it takes to load only those
that can fire.

An entry names the rule's class (in ``dockwright.lint.rules.<code>``) and what a file must
hold for the rule to report anything, so that `dockwright lint` imports only the rules that
can fire on the files at hand (a rule module costs start-up time):

- ``on``: instruction keywords of which the file must hold one (at top level or inside
  ONBUILD); ``ALWAYS`` for rules about something missing, comments or order;
- ``words``: command words of which the shell text of some RUN must hold one (the text is
  searched with quotes, backslashes and escaped newlines deleted, so ``a'p't-get`` counts);
- ``twice``: the file must hold two instructions of those keywords (a rule about a
  repeated instruction);
- ``flag``: one of those instructions must carry this flag (``--platform``);
- ``needs``: the LintConfig field that must be set (non-empty, true);
- ``off``: off by default (hadolint's severity ``ignore``): it loads only when an override
  names it.

``dockwright.lint.triggers`` reads these against the files at hand.

Everything else about a rule (code, severity, message, documentation, check) is on its
class; a test checks that each entry and its class agree, and that running only the rules
chosen here finds what running every rule finds. Codes are hadolint's, never reused.
"""

from __future__ import annotations

from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable

    from dockwright.lint.rule import Rule

ALWAYS: tuple[str, ...] = ("*",)
RUN: tuple[str, ...] = ("RUN",)


class RuleEntry(Record):
    """One rule: its code, class, and what it takes for it to fire (see the module doc)."""

    __slots__ = ("cls", "code", "flag", "needs", "off", "on", "twice", "words")

    code: str
    cls: str
    on: tuple[str, ...]
    words: tuple[str, ...]
    twice: bool
    flag: str | None
    needs: str | None
    off: bool

    def __init__(
        self,
        code: str,
        cls: str,
        on: tuple[str, ...],
        words: tuple[str, ...] = (),
        twice: bool = False,
        flag: str | None = None,
        needs: str | None = None,
        off: bool = False,
    ) -> None:
        Record.__init__(
            self, code=code, cls=cls, on=on, words=words, twice=twice, flag=flag, needs=needs,
            off=off,
        )  # fmt: skip


ENTRIES: tuple[RuleEntry, ...] = (
    RuleEntry("DL1001", "NoInlineIgnore", ALWAYS, off=True),
    RuleEntry("DL3000", "AbsoluteWorkdir", ("WORKDIR",)),
    RuleEntry(
        "DL3001",
        "PointlessCommand",
        RUN,
        words=("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"),
    ),
    RuleEntry("DL3002", "LastUserNotRoot", ("USER",)),
    RuleEntry("DL3003", "WorkdirNotCd", RUN, words=("cd",)),
    RuleEntry("DL3004", "NoSudo", RUN, words=("sudo",)),
    RuleEntry("DL3006", "TaggedImage", ("FROM",)),
    RuleEntry("DL3007", "NoLatestTag", ("FROM",)),
    RuleEntry("DL3008", "PinnedAptPackages", RUN, words=("apt-get",)),
    RuleEntry("DL3009", "AptListsRemoved", RUN, words=("apt",)),  # apt-get, apt, aptitude
    RuleEntry("DL3010", "AddToExtract", ("COPY",)),
    RuleEntry("DL3011", "ValidPort", ("EXPOSE",)),
    RuleEntry("DL3012", "OneHealthcheck", ("HEALTHCHECK",), twice=True),
    RuleEntry("DL3013", "PinnedPipPackages", RUN, words=("pip",)),  # pip*, python -m pip
    RuleEntry("DL3014", "AptGetYes", RUN, words=("apt-get",)),
    RuleEntry("DL3015", "NoInstallRecommends", RUN, words=("apt-get",)),
    RuleEntry("DL3016", "PinnedNpmPackages", RUN, words=("npm",)),
    RuleEntry("DL3018", "PinnedApkPackages", RUN, words=("apk",)),
    RuleEntry("DL3019", "ApkNoCache", RUN, words=("apk",)),
    RuleEntry("DL3020", "CopyNotAdd", ("ADD",)),
    RuleEntry("DL3021", "CopyManyToDirectory", ("COPY",)),
    RuleEntry("DL3022", "CopyFromKnownStage", ("COPY",)),
    RuleEntry("DL3023", "CopyFromNotSelf", ("COPY",)),
    RuleEntry("DL3024", "UniqueStageNames", ("FROM",), twice=True),
    RuleEntry("DL3025", "JsonCmd", ("CMD", "ENTRYPOINT", "HEALTHCHECK")),
    RuleEntry("DL3026", "TrustedRegistry", ("FROM", "COPY", "RUN"), needs="trusted_registries"),
    RuleEntry("DL3027", "NoApt", RUN, words=("apt",)),
    RuleEntry("DL3028", "PinnedGems", RUN, words=("gem",)),
    RuleEntry("DL3029", "NoFromPlatform", ("FROM",), flag="platform"),
    RuleEntry("DL3030", "YumYes", RUN, words=("yum",)),
    RuleEntry("DL3032", "YumCleanAll", RUN, words=("yum",)),
    RuleEntry("DL3033", "PinnedYumPackages", RUN, words=("yum",)),
    RuleEntry("DL3034", "ZypperNonInteractive", RUN, words=("zypper",)),
    RuleEntry("DL3035", "NoZypperDistUpgrade", RUN, words=("zypper",)),
    RuleEntry("DL3036", "ZypperClean", RUN, words=("zypper",)),
    RuleEntry("DL3037", "PinnedZypperPackages", RUN, words=("zypper",)),
    RuleEntry("DL3038", "DnfYes", RUN, words=("dnf",)),  # dnf, microdnf
    RuleEntry("DL3040", "DnfCleanAll", RUN, words=("dnf",)),
    RuleEntry("DL3041", "PinnedDnfPackages", RUN, words=("dnf",)),
    RuleEntry("DL3042", "PipNoCacheDir", RUN, words=("pip",)),
    RuleEntry("DL3043", "OnbuildTrigger", ("ONBUILD",)),
    RuleEntry("DL3044", "EnvSelfReference", ("ENV",)),
    RuleEntry("DL3045", "CopyRelativeWithoutWorkdir", ("COPY",)),
    RuleEntry("DL3046", "UseraddLowUid", RUN, words=("useradd",)),
    RuleEntry("DL3047", "WgetProgress", RUN, words=("wget",)),
    RuleEntry("DL3048", "LabelKey", ("LABEL",)),
    RuleEntry("DL3049", "MissingLabel", ALWAYS, needs="label_schema"),
    RuleEntry("DL3050", "SuperfluousLabels", ("LABEL",), needs="strict_labels"),
    RuleEntry("DL3051", "EmptyLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3052", "UrlLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3053", "Rfc3339Label", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3054", "SpdxLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3055", "GitHashLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3056", "SemverLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3057", "MissingHealthcheck", ALWAYS, off=True),
    RuleEntry("DL3058", "EmailLabel", ("LABEL",), needs="label_schema"),
    RuleEntry("DL3059", "ConsecutiveRuns", RUN, twice=True),
    RuleEntry("DL3060", "YarnCacheClean", RUN, words=("yarn",)),
    RuleEntry("DL3061", "InstructionOrder", ALWAYS),
    RuleEntry("DL3062", "PinnedGoPackages", RUN, words=("go",)),
    RuleEntry("DL3063", "ReservedStageName", ("FROM",)),
    RuleEntry("DL3064", "SensitiveArgEnv", ("ARG", "ENV")),
    RuleEntry("DL3065", "RedundantTargetPlatform", ("FROM",), flag="platform"),
    RuleEntry("DL3066", "NumericUser", ("USER",)),
    RuleEntry("DL3067", "CopyWholeFilesystem", ("COPY",), flag="from"),
    RuleEntry("DL4000", "NoMaintainer", ("MAINTAINER",)),
    RuleEntry("DL4001", "WgetOrCurl", RUN, words=("curl", "wget")),
    RuleEntry("DL4003", "MultipleCmd", ("CMD",), twice=True),
    RuleEntry("DL4004", "MultipleEntrypoint", ("ENTRYPOINT",), twice=True),
    RuleEntry("DL4005", "ShellNotLinked", RUN, words=("ln",)),
    RuleEntry("DL4006", "PipefailBeforePipe", RUN, words=("|",)),
)
RULES: dict[str, RuleEntry] = {entry.code: entry for entry in ENTRIES}

# Codes hadolint used and retired (its git history): code -> (message, the release that
# removed it). Configurations written for older releases still list them: they are accepted
# everywhere a code is, and never reported.
RETIRED: dict[str, tuple[str, str]] = {
    "DL3005": ("Do not use apt-get dist-upgrade", "2.13"),
    "DL3017": ("Do not use apk upgrade", "2.7"),
    "DL3031": ("Do not use yum update.", "2.7"),
    "DL3039": ("Do not use dnf update.", "2.7"),
}

_DIGITS = "0123456789"


def load(code: str) -> Rule:
    """Instantiate the rule for ``code`` (KeyError when unknown)."""
    entry = RULES[code]
    # __import__ rather than importlib.import_module: importlib is one more import at start-up
    mod = __import__(f"dockwright.lint.rules.{code.lower()}", fromlist=[entry.cls])
    rule: Rule = getattr(mod, entry.cls)()
    return rule


def all_rules() -> list[Rule]:
    """Built-in rules, then those of installed plugins (``dockwright.lint.plugins``)."""
    from dockwright.lint import plugins

    return [load(code) for code in RULES] + list(plugins.rules().values())


def is_shellcheck_code(code: str) -> bool:
    return code.startswith("SC") and code[2:].isdigit()


def well_formed(code: str) -> bool:
    """Upper-case letters, then digits (``DL3008``, ``SC2086``, ``ACME001``)."""
    letters = code.rstrip(_DIGITS)
    return letters != code and letters.isascii() and letters.isalpha() and letters.isupper()


def unknown_code_warnings(codes: Iterable[str]) -> list[str]:
    """A warning for each code no rule answers to: not a built-in rule's, not one hadolint
    retired, not ShellCheck's, not an installed plugin's. Each names the code and, when one
    is close, the real code it may mean."""
    unknown = [
        c
        for c in dict.fromkeys(codes)
        if c not in RULES and c not in RETIRED and not is_shellcheck_code(c)
    ]
    if not unknown:
        return []
    from dockwright.lint import plugins

    plugin_codes = list(plugins.rules())
    known = [*RULES, *plugin_codes]
    out = []
    for code in unknown:
        if code in plugin_codes:
            continue
        import difflib

        near = difflib.get_close_matches(code.upper(), known, n=1, cutoff=0.6)
        hint = f" (did you mean {near[0]}?)" if near and near[0] != code else ""
        out.append(f"unknown rule code {code!r} has no effect{hint}")
    return out
