"""Code -> rule table (data). Modules are imported only when a rule is needed.

Codes are hadolint's and are never reused for another meaning.
"""

from __future__ import annotations

import importlib

from dockwright.lint.rule import Rule

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

# Codes hadolint knows that are not implemented here; named so configs using them are valid.
KNOWN_ELSEWHERE: frozenset[str] = frozenset(
    {f"DL{n}" for n in range(3000, 3068)} | {"DL1001", "DL4001", "DL4003", "DL4004", "DL4005"}
) - {"DL3005", "DL3017", "DL3031", "DL3039"}


def load(code: str) -> Rule:
    """Instantiate the rule for ``code`` (KeyError when unknown)."""
    module, _, cls = RULES[code].partition(":")
    mod = importlib.import_module(f"dockwright.lint.rules.{module}")
    rule: Rule = getattr(mod, cls)()
    return rule


def all_rules() -> list[Rule]:
    """Built-in rules, then those of installed plugins (``dockwright.lint.plugins``)."""
    from dockwright.lint import plugins

    return [load(code) for code in RULES] + list(plugins.rules().values())
