"""Which rules can fire on some files: what the files hold, read against the rules' entries
(``dockwright.lint.codes.ENTRIES``), so that only those rules are imported.

A test proves the choice safe: on every fixture, the parser corpus, the benchmark corpus and
generated instruction mixes, under the default config and one that turns every gated rule
on, running the chosen rules finds what running every rule finds.
"""

from __future__ import annotations

from dockwright.lint.codes import ALWAYS, ENTRIES, RULES, load
from dockwright.lint.rule import shell_text
from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable

    from dockwright.dockerfile import Dockerfile, Instruction
    from dockwright.lint.config import LintConfig
    from dockwright.lint.rule import Rule

ANY: frozenset[str] = frozenset(ALWAYS)  # a fact that could not be read: anything may be
_HIDING = str.maketrans("", "", "\"'\\")


class Facts(Record):
    """What some files hold, as far as the entries ask (ONBUILD's instructions included)."""

    __slots__ = ("flags", "keywords", "repeated", "words")

    keywords: frozenset[str]  # instruction keywords
    repeated: frozenset[str]  # keywords of which a file holds two instructions or more
    flags: frozenset[str]  # "KEYWORD --name" for each flag
    words: frozenset[str] | None  # the entries' RUN words found; None: not read (any)

    def __init__(
        self,
        keywords: frozenset[str],
        repeated: frozenset[str] = ANY,
        flags: frozenset[str] = ANY,
        words: frozenset[str] | None = None,
    ) -> None:
        Record.__init__(self, keywords=keywords, repeated=repeated, flags=flags, words=words)

    def __or__(self, other: Facts) -> Facts:
        words = None if self.words is None or other.words is None else self.words | other.words
        return Facts(
            self.keywords | other.keywords,
            self.repeated | other.repeated,
            self.flags | other.flags,
            words,
        )


UNKNOWN = Facts(ANY)
NOTHING = Facts(frozenset(), frozenset(), frozenset(), frozenset())


def _instructions(df: Dockerfile) -> list[Instruction]:
    out = []
    for ins in df.instructions:
        out.append(ins)
        if ins.inner is not None:
            out.append(ins.inner)
    return out


def run_words(df: Dockerfile) -> frozenset[str]:
    """The entries' ``words`` found in the shell text of the file's RUNs (ONBUILD's too),
    searched with quotes, backslashes and escaped newlines deleted."""
    texts = []
    for ins in df.instructions:
        run = ins.inner if ins.inner is not None else ins
        if run.keyword == "RUN":
            texts.append(shell_text(run).replace("\\\n", "").translate(_HIDING))
    text = "\n".join(texts)
    return frozenset(w for entry in ENTRIES for w in entry.words if w in text)


def facts_of(df: Dockerfile) -> Facts:
    """What one file holds; UNKNOWN, so that every rule loads, should reading it fail (the
    rules then report the trouble where it lies)."""
    try:
        seen: set[str] = set()
        repeated: set[str] = set()
        flags: set[str] = set()
        for ins in _instructions(df):
            (repeated if ins.keyword in seen else seen).add(ins.keyword)
            flags.update(f"{ins.keyword} --{f.name}" for f in ins.flags)
        return Facts(frozenset(seen), frozenset(repeated), frozenset(flags), run_words(df))
    except Exception:
        return UNKNOWN


def can_fire(code: str, facts: Facts, config: LintConfig) -> bool:
    """Whether the rule ``code`` may report anything on files holding ``facts`` under
    ``config`` (True for codes without an entry: plugins)."""
    if code in config.ignored:
        return False
    entry = RULES.get(code)
    if entry is None:
        return True
    if entry.off and not any(code in codes for _, codes in config.overrides):
        return False
    if entry.needs is not None and not getattr(config, entry.needs):
        return False
    if entry.on is not ALWAYS:
        if not _any(facts.keywords, entry.on):
            return False
        if entry.twice and not _any(facts.repeated, entry.on):
            return False
        if entry.flag is not None and not _any(
            facts.flags, [f"{keyword} --{entry.flag}" for keyword in entry.on]
        ):
            return False
    return facts.words is None or not entry.words or not facts.words.isdisjoint(entry.words)


def _any(held: frozenset[str], wanted: Iterable[str]) -> bool:
    return "*" in held or not held.isdisjoint(wanted)


def rules_for(dfs: Iterable[Dockerfile], config: LintConfig) -> list[Rule]:
    """The built-in rules that can report on any of ``dfs`` under ``config``, then those
    of installed plugins: running them gives the findings of running all rules."""
    facts = NOTHING
    for df in dfs:
        facts = facts | facts_of(df)
    built_in = [load(code) for code in RULES if can_fire(code, facts, config)]
    from dockwright.lint import plugins

    return built_in + list(plugins.rules().values())
