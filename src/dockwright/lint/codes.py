"""Code -> rule table (data). Modules are imported only when a rule is needed.

Codes are hadolint's and are never reused for another meaning. ``TRIGGERS`` and
``NEEDS_CONFIG`` say when a rule cannot report anything, so `dockwright lint` imports only
the rules that can fire on the files at hand (a rule module costs start-up time).
"""

from __future__ import annotations

from dockwright.lint.rule import Rule, shell_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable

    from dockwright.dockerfile import Dockerfile, Instruction
    from dockwright.lint.config import LintConfig

# code -> "module:Class" under dockwright.lint.rules
RULES: dict[str, str] = {
    "DL1001": "dl1001:NoInlineIgnore",
    "DL3000": "dl3000:AbsoluteWorkdir",
    "DL3001": "dl3001:PointlessCommand",
    "DL3002": "dl3002:LastUserNotRoot",
    "DL3003": "dl3003:WorkdirNotCd",
    "DL3004": "dl3004:NoSudo",
    "DL3006": "dl3006:TaggedImage",
    "DL3007": "dl3007:NoLatestTag",
    "DL3008": "dl3008:PinnedAptPackages",
    "DL3009": "dl3009:AptListsRemoved",
    "DL3010": "dl3010:AddToExtract",
    "DL3011": "dl3011:ValidPort",
    "DL3012": "dl3012:OneHealthcheck",
    "DL3013": "dl3013:PinnedPipPackages",
    "DL3014": "dl3014:AptGetYes",
    "DL3015": "dl3015:NoInstallRecommends",
    "DL3016": "dl3016:PinnedNpmPackages",
    "DL3018": "dl3018:PinnedApkPackages",
    "DL3019": "dl3019:ApkNoCache",
    "DL3020": "dl3020:CopyNotAdd",
    "DL3021": "dl3021:CopyManyToDirectory",
    "DL3022": "dl3022:CopyFromKnownStage",
    "DL3023": "dl3023:CopyFromNotSelf",
    "DL3024": "dl3024:UniqueStageNames",
    "DL3025": "dl3025:JsonCmd",
    "DL3026": "dl3026:TrustedRegistry",
    "DL3027": "dl3027:NoApt",
    "DL3028": "dl3028:PinnedGems",
    "DL3029": "dl3029:NoFromPlatform",
    "DL3030": "dl3030:YumYes",
    "DL3032": "dl3032:YumCleanAll",
    "DL3033": "dl3033:PinnedYumPackages",
    "DL3034": "dl3034:ZypperNonInteractive",
    "DL3035": "dl3035:NoZypperDistUpgrade",
    "DL3036": "dl3036:ZypperClean",
    "DL3037": "dl3037:PinnedZypperPackages",
    "DL3038": "dl3038:DnfYes",
    "DL3040": "dl3040:DnfCleanAll",
    "DL3041": "dl3041:PinnedDnfPackages",
    "DL3042": "dl3042:PipNoCacheDir",
    "DL3043": "dl3043:OnbuildTrigger",
    "DL3044": "dl3044:EnvSelfReference",
    "DL3045": "dl3045:CopyRelativeWithoutWorkdir",
    "DL3046": "dl3046:UseraddLowUid",
    "DL3047": "dl3047:WgetProgress",
    "DL3048": "dl3048:LabelKey",
    "DL3049": "dl3049:MissingLabel",
    "DL3050": "dl3050:SuperfluousLabels",
    "DL3051": "dl3051:EmptyLabel",
    "DL3052": "dl3052:UrlLabel",
    "DL3053": "dl3053:Rfc3339Label",
    "DL3054": "dl3054:SpdxLabel",
    "DL3055": "dl3055:GitHashLabel",
    "DL3056": "dl3056:SemverLabel",
    "DL3057": "dl3057:MissingHealthcheck",
    "DL3058": "dl3058:EmailLabel",
    "DL3059": "dl3059:ConsecutiveRuns",
    "DL3060": "dl3060:YarnCacheClean",
    "DL3061": "dl3061:InstructionOrder",
    "DL3062": "dl3062:PinnedGoPackages",
    "DL3063": "dl3063:ReservedStageName",
    "DL3064": "dl3064:SensitiveArgEnv",
    "DL3065": "dl3065:RedundantTargetPlatform",
    "DL3066": "dl3066:NumericUser",
    "DL3067": "dl3067:CopyWholeFilesystem",
    "DL4000": "dl4000:NoMaintainer",
    "DL4001": "dl4001:WgetOrCurl",
    "DL4003": "dl4003:MultipleCmd",
    "DL4004": "dl4004:MultipleEntrypoint",
    "DL4005": "dl4005:ShellNotLinked",
    "DL4006": "dl4006:PipefailBeforePipe",
}

ALWAYS: tuple[str, ...] = ("*",)

# code -> the instruction keywords of which a file must hold at least one (at top level or
# inside ONBUILD) for the rule to report anything: every finding is at, or needs, one of
# them. ALWAYS for rules about something missing, comments or order. A test proves the
# table safe (same findings as running every rule) on every fixture and corpus file.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "DL1001": ALWAYS,  # comments
    "DL3000": ("WORKDIR",),
    "DL3001": ("RUN",),
    "DL3002": ("USER",),
    "DL3003": ("RUN",),
    "DL3004": ("RUN",),
    "DL3006": ("FROM",),
    "DL3007": ("FROM",),
    "DL3008": ("RUN",),
    "DL3009": ("RUN",),
    "DL3010": ("COPY",),  # reported at the COPY of an archive a later RUN extracts
    "DL3011": ("EXPOSE",),
    "DL3012": ("HEALTHCHECK",),
    "DL3013": ("RUN",),
    "DL3014": ("RUN",),
    "DL3015": ("RUN",),
    "DL3016": ("RUN",),
    "DL3018": ("RUN",),
    "DL3019": ("RUN",),
    "DL3020": ("ADD",),
    "DL3021": ("COPY",),
    "DL3022": ("COPY",),
    "DL3023": ("COPY",),
    "DL3024": ("FROM",),
    "DL3025": ("CMD", "ENTRYPOINT", "HEALTHCHECK"),
    "DL3026": ("FROM", "COPY", "RUN"),
    "DL3027": ("RUN",),
    "DL3028": ("RUN",),
    "DL3029": ("FROM",),
    "DL3030": ("RUN",),
    "DL3032": ("RUN",),
    "DL3033": ("RUN",),
    "DL3034": ("RUN",),
    "DL3035": ("RUN",),
    "DL3036": ("RUN",),
    "DL3037": ("RUN",),
    "DL3038": ("RUN",),
    "DL3040": ("RUN",),
    "DL3041": ("RUN",),
    "DL3042": ("RUN",),
    "DL3043": ("ONBUILD",),
    "DL3044": ("ENV",),
    "DL3045": ("COPY",),
    "DL3046": ("RUN",),
    "DL3047": ("RUN",),
    "DL3048": ("LABEL",),
    "DL3049": ALWAYS,  # a label missing from a stage
    "DL3050": ("LABEL",),
    "DL3051": ("LABEL",),
    "DL3052": ("LABEL",),
    "DL3053": ("LABEL",),
    "DL3054": ("LABEL",),
    "DL3055": ("LABEL",),
    "DL3056": ("LABEL",),
    "DL3057": ALWAYS,  # HEALTHCHECK missing from a stage
    "DL3058": ("LABEL",),
    "DL3059": ("RUN",),
    "DL3060": ("RUN",),
    "DL3061": ALWAYS,  # anything but ARG before the first FROM
    "DL3062": ("RUN",),
    "DL3063": ("FROM",),
    "DL3064": ("ARG", "ENV"),
    "DL3065": ("FROM",),
    "DL3066": ("USER",),
    "DL3067": ("COPY",),
    "DL4000": ("MAINTAINER",),
    "DL4001": ("RUN",),
    "DL4003": ("CMD",),
    "DL4004": ("ENTRYPOINT",),
    "DL4005": ("RUN",),
    "DL4006": ("RUN",),
}

# code -> the LintConfig field that must be set (non-empty, true) for the rule to report.
NEEDS_CONFIG: dict[str, str] = {
    "DL3026": "trusted_registries",
    "DL3049": "label_schema",
    "DL3050": "strict_labels",
    "DL3051": "label_schema",
    "DL3052": "label_schema",
    "DL3053": "label_schema",
    "DL3054": "label_schema",
    "DL3055": "label_schema",
    "DL3056": "label_schema",
    "DL3058": "label_schema",
}

# code -> words of which the shell text of some RUN (at top level or inside ONBUILD) must
# contain one for the rule to report anything: these rules look only at commands of these
# names (or at a pipe). The text is searched with quotes, backslashes and escaped newlines
# deleted, so quoting (``a'p't-get``) cannot hide a name. The test of TRIGGERS covers this.
RUN_WORDS: dict[str, tuple[str, ...]] = {
    "DL3001": ("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"),
    "DL3003": ("cd",),
    "DL3004": ("sudo",),
    "DL3008": ("apt-get",),
    "DL3009": ("apt",),  # apt-get, apt, aptitude
    "DL3013": ("pip",),  # pip*, python -m pip
    "DL3014": ("apt-get",),
    "DL3015": ("apt-get",),
    "DL3016": ("npm",),
    "DL3018": ("apk",),
    "DL3019": ("apk",),
    "DL3027": ("apt",),
    "DL3028": ("gem",),
    "DL3030": ("yum",),
    "DL3032": ("yum",),
    "DL3033": ("yum",),
    "DL3034": ("zypper",),
    "DL3035": ("zypper",),
    "DL3036": ("zypper",),
    "DL3037": ("zypper",),
    "DL3038": ("dnf",),  # dnf, microdnf
    "DL3040": ("dnf",),
    "DL3041": ("dnf",),
    "DL3042": ("pip",),
    "DL3046": ("useradd",),
    "DL3047": ("wget",),
    "DL3060": ("yarn",),
    "DL3062": ("go",),
    "DL4001": ("curl", "wget"),
    "DL4005": ("ln",),
    "DL4006": ("|",),
}
_HIDING = str.maketrans("", "", "\"'\\")

# Rules whose default severity is ``ignore``: they report only when an override names them.
OFF_BY_DEFAULT: frozenset[str] = frozenset({"DL1001", "DL3057"})

# Codes hadolint knows that are not implemented here; named so configs using them are valid.
KNOWN_ELSEWHERE: frozenset[str] = frozenset(
    {f"DL{n}" for n in range(3000, 3068)} | {"DL1001", "DL4001", "DL4003", "DL4004", "DL4005"}
) - {"DL3005", "DL3017", "DL3031", "DL3039"}


def load(code: str) -> Rule:
    """Instantiate the rule for ``code`` (KeyError when unknown)."""
    module, _, cls = RULES[code].partition(":")
    # __import__ rather than importlib.import_module: importlib is one more import at start-up
    mod = __import__(f"dockwright.lint.rules.{module}", fromlist=[cls])
    rule: Rule = getattr(mod, cls)()
    return rule


def keywords(df: Dockerfile) -> frozenset[str]:
    """The instruction keywords a file holds, at top level or inside ONBUILD."""
    found: set[str] = set()

    def add(ins: Instruction) -> None:
        found.add(ins.keyword)
        if ins.inner is not None:
            add(ins.inner)

    for ins in df.instructions:
        add(ins)
    return frozenset(found)


def run_words(df: Dockerfile) -> frozenset[str]:
    """The RUN_WORDS found in the shell text of the file's RUNs (ONBUILD's included)."""
    texts = []
    for ins in df.instructions:
        run = ins.inner if ins.inner is not None else ins
        if run.keyword == "RUN":
            texts.append(shell_text(run).replace("\\\n", "").translate(_HIDING))
    text = "\n".join(texts)
    return frozenset(w for words in RUN_WORDS.values() for w in words if w in text)


def can_fire(
    code: str,
    present: frozenset[str],
    config: LintConfig,
    words: frozenset[str] | None = None,
) -> bool:
    """Whether the rule ``code`` may report anything on a file holding the keywords
    ``present`` and, unless None, the RUN_WORDS ``words``, under ``config`` (True for
    codes without a TRIGGERS entry: plugins)."""
    if code in config.ignored:
        return False
    if code in OFF_BY_DEFAULT and not any(code in codes for _, codes in config.overrides):
        return False
    field = NEEDS_CONFIG.get(code)
    if field is not None and not getattr(config, field):
        return False
    triggers = TRIGGERS.get(code, ALWAYS)
    if "*" not in triggers and present.isdisjoint(triggers):
        return False
    needed = RUN_WORDS.get(code)
    return words is None or needed is None or not words.isdisjoint(needed)


def rules_for(dfs: Iterable[Dockerfile], config: LintConfig) -> list[Rule]:
    """The built-in rules that can report on any of ``dfs`` under ``config``, then those
    of installed plugins: running them gives the findings of running all rules."""
    dfs = list(dfs)
    present: frozenset[str] = frozenset().union(*(keywords(df) for df in dfs))
    words: frozenset[str] = frozenset().union(*(run_words(df) for df in dfs))
    built_in = [load(code) for code in RULES if can_fire(code, present, config, words)]
    from dockwright.lint import plugins

    return built_in + list(plugins.rules().values())


def all_rules() -> list[Rule]:
    """Built-in rules, then those of installed plugins (``dockwright.lint.plugins``)."""
    from dockwright.lint import plugins

    return [load(code) for code in RULES] + list(plugins.rules().values())
