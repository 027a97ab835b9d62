"""Lint configuration: ``.hadolint.yaml`` keys, and the pipeline's ``lint:`` section.

Keys: ``ignored`` (codes), ``failure-threshold`` (error|warning|info|style|ignore|none),
``override`` ({error,warning,info,style: [codes]}), ``no-fail`` and
``disable-ignore-pragma``, ``strict-labels``, ``no-color``, ``verbose`` (booleans),
``trustedRegistries``, ``label-schema``, ``format``/``formats``. Unknown keys are ignored.

As in hadolint, a key with no value (``ignored:`` with every entry commented out, or
``override: {error: }``) is a key not set. Unlike hadolint, which lints with defaults when its
config is invalid, a bad value is a ConfigError listing every problem of the file, each with
its line and key path. A file is checked by the shared config layer (:mod:`dockwright.config`),
imported only when there is a file to read.
"""

from __future__ import annotations

from dockwright.dockerfile.pattern import LazyPattern
from dockwright.errors import ConfigError
from dockwright.lint.model import THRESHOLDS, Severity
from dockwright.record import Record, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping
    from os import PathLike
    from pathlib import Path
    from typing import Any, TypeGuard

    from dockwright.config.schema import Map


_CODE = LazyPattern(r"[A-Z]+[0-9]+\Z")  # DL/SC, and plugin codes (ACME001)
_LEVELS = ("error", "warning", "info", "style")
_OTHER_KEYS = frozenset({"output-file"})
# hadolint's output formats (``-f``, ``format:``, ``formats:``, HADOLINT_FORMAT)
FORMATS = (
    "tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy",
    "sonarqube", "sarif", "junit",
)  # fmt: skip
# hadolint's label-schema types
LABEL_TYPES = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
CONFIG_NAMES = (".hadolint.yaml", ".hadolint.yml")


class LintConfig(Record):
    __slots__ = (
        "disable_ignore_pragma",
        "failure_threshold",
        "formats",
        "ignored",
        "label_schema",
        "no_color",
        "no_fail",
        "overrides",
        "source",
        "strict_labels",
        "trusted_registries",
        "verbose",
    )
    _compared = (
        "ignored",
        "failure_threshold",
        "overrides",
        "no_fail",
        "disable_ignore_pragma",
        "trusted_registries",
        "label_schema",
        "strict_labels",
        "no_color",
        "formats",
        "verbose",
    )

    ignored: frozenset[str]
    failure_threshold: str
    overrides: tuple[tuple[Severity, frozenset[str]], ...]
    no_fail: bool
    disable_ignore_pragma: bool
    trusted_registries: tuple[str, ...]  # DL3026 runs only when non-empty
    label_schema: tuple[tuple[str, str], ...]  # (label, type) for DL3049-DL3058
    strict_labels: bool  # DL3050
    no_color: bool
    formats: tuple[str, ...]  # empty: tty
    verbose: bool
    source: str | None

    def __init__(
        self,
        ignored: frozenset[str] = frozenset(),
        failure_threshold: str = "info",
        overrides: tuple[tuple[Severity, frozenset[str]], ...] = (),
        no_fail: bool = False,
        disable_ignore_pragma: bool = False,
        trusted_registries: tuple[str, ...] = (),
        label_schema: tuple[tuple[str, str], ...] = (),
        strict_labels: bool = False,
        no_color: bool = False,
        formats: tuple[str, ...] = (),
        verbose: bool = False,
        source: str | None = None,
    ) -> None:
        Record.__init__(
            self,
            ignored=ignored,
            failure_threshold=failure_threshold,
            overrides=overrides,
            no_fail=no_fail,
            disable_ignore_pragma=disable_ignore_pragma,
            trusted_registries=trusted_registries,
            label_schema=label_schema,
            strict_labels=strict_labels,
            no_color=no_color,
            formats=formats,
            verbose=verbose,
            source=source,
        )

    def severity_for(self, code: str, default: Severity) -> Severity:
        """hadolint applies style, info, warning, error overrides in turn: the strongest wins."""
        result = default
        for level in (Severity.STYLE, Severity.INFO, Severity.WARNING, Severity.ERROR):
            for sev, codes in self.overrides:
                if sev is level and code in codes:
                    result = level
        return result

    def fails(self, severity: Severity) -> bool:
        return severity.rank >= THRESHOLDS[self.failure_threshold]

    def merged(
        self,
        *,
        ignored: tuple[str, ...] = (),
        overrides: tuple[tuple[Severity, frozenset[str]], ...] = (),
        failure_threshold: str | None = None,
        no_fail: bool | None = None,
    ) -> LintConfig:
        """Add command-line values: lists concatenate, scalars replace (as hadolint)."""
        return replace(
            self,
            ignored=self.ignored | frozenset(ignored),
            overrides=self.overrides + overrides,
            failure_threshold=failure_threshold or self.failure_threshold,
            no_fail=self.no_fail if no_fail is None else no_fail,
        )

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, object],
        *,
        file: str | None = None,
        lines: Mapping[str, int | None] | None = None,
        prefix: str = "",
    ) -> LintConfig:
        """Validate a mapping (e.g. parsed ``.hadolint.yaml`` or the pipeline's ``lint:``).

        ``lines`` maps key paths to line numbers for error messages; ``prefix`` is put in
        front of key paths (``lint.``).
        """

        lines = lines or {}

        def fail(key: str, message: str) -> ConfigError:
            return ConfigError(message, file=file, line=lines.get(key), key_path=prefix + key)

        def codes(key: str, value: object) -> frozenset[str]:
            if not isinstance(value, list):
                raise fail(key, f"expected a list of rule codes, found {_describe(value)}")
            out = set()
            for i, item in enumerate(value):
                if not isinstance(item, str) or not _CODE.match(item):
                    raise fail(f"{key}[{i}]", f"expected a rule code like DL3008, found {item!r}")
                out.add(item)
            return frozenset(out)

        def strings(key: str, value: object) -> tuple[str, ...]:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(key, f"expected a list of strings, found {_describe(value)}")
            return tuple(value)

        def boolean(key: str, value: object) -> bool:
            if not isinstance(value, bool):
                raise fail(key, f"expected true or false, found {_describe(value)}")
            return value

        if not is_mapping(data):
            raise ConfigError(f"expected a mapping, found {_describe(data)}", file=file)
        config = cls(source=file)
        for key, value in data.items():
            if value is None:
                continue  # a key with no value is a key not set, as in hadolint
            if key == "ignored":
                config = replace(config, ignored=codes(key, value))
            elif key == "failure-threshold":
                if value not in THRESHOLDS:
                    raise fail(
                        key, f"expected one of {', '.join(THRESHOLDS)}, found {_describe(value)}"
                    )
                config = replace(config, failure_threshold=str(value))
            elif key == "override":
                if not is_mapping(value):
                    raise fail(key, f"expected a mapping of levels, found {_describe(value)}")
                overrides = []
                for level, listed in value.items():
                    if listed is None:
                        continue  # a level with no value is not set
                    if level not in _LEVELS:
                        raise fail(
                            f"{key}.{level}",
                            f"expected one of {', '.join(_LEVELS)}, found {level!r}",
                        )
                    overrides.append((Severity(level), codes(f"{key}.{level}", listed)))
                config = replace(config, overrides=tuple(overrides))
            elif key in ("format", "formats"):
                listed = value if isinstance(value, list) else [value]
                if not all(isinstance(v, str) and v in FORMATS for v in listed):
                    found = _describe(value)
                    raise fail(key, f"expected one of {', '.join(FORMATS)}, found {found}")
                config = replace(config, formats=config.formats + tuple(map(str, listed)))
            elif key == "no-color":
                config = replace(config, no_color=boolean(key, value))
            elif key == "verbose":
                config = replace(config, verbose=boolean(key, value))
            elif key == "no-fail":
                config = replace(config, no_fail=boolean(key, value))
            elif key == "disable-ignore-pragma":
                config = replace(config, disable_ignore_pragma=boolean(key, value))
            elif key == "trustedRegistries":
                config = replace(config, trusted_registries=strings(key, value))
            elif key == "strict-labels":
                config = replace(config, strict_labels=boolean(key, value))
            elif key == "label-schema":
                if not is_mapping(value):
                    raise fail(key, f"expected a mapping of label: type, found {_describe(value)}")
                schema = []
                for label, kind in value.items():
                    kind = "text" if kind == "" else kind  # hadolint reads "" as text
                    if kind not in LABEL_TYPES:  # a null too: hadolint rejects it
                        raise fail(
                            f"{key}.{label}",
                            f"expected one of {', '.join(LABEL_TYPES)}, found {_describe(kind)}",
                        )
                    schema.append((str(label), str(kind)))
                config = replace(config, label_schema=tuple(schema))
            elif key not in _OTHER_KEYS:
                continue  # hadolint ignores unknown keys; so do we
        return config


def is_mapping(value: object) -> TypeGuard[Mapping[str, Any]]:
    """is_mapping(value), importing collections.abc (start-up time) only for
    what is neither a dict nor a plain value."""
    if isinstance(value, dict):
        return True
    if value is None or isinstance(value, (str, int, float, list, tuple)):
        return False

    return is_mapping(value)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if is_mapping(value):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def load_config(path: Path) -> LintConfig:
    """Read a ``.hadolint.yaml``; YAML is imported only here."""
    data, lines = read_mapping(path)
    return LintConfig.from_mapping(data, file=str(path), lines=lines)


def read_mapping(path: Path) -> tuple[dict[str, object], dict[str, int | None]]:
    """A config file's settings, checked, and its key path -> line map.

    Every problem of the file is one :class:`ConfigError`. Keys hadolint does not read, and keys
    with no value, are left out.
    """
    from dockwright.config.nodes import compose_file
    from dockwright.config.schema import Ctx

    file = str(path)
    ctx = Ctx(file)
    node = compose_file(path, file, problems=ctx.problems)
    data = {} if node is None else ctx.check(_schema(), node)
    ctx.raise_problems()
    return (data if isinstance(data, dict) else {}), ctx.lines


def _schema() -> Map:
    """``.hadolint.yaml`` as data: unknown keys ignored, a key with no value not set."""
    from dockwright.config.schema import AnyOf, Bool, Field, Map, MapOf, OneOf, Pattern, Seq, Str

    codes = Seq(Pattern(r"[A-Z]+[0-9]+", "a rule code like DL3008"))
    formats = AnyOf(
        (OneOf(FORMATS), Seq(OneOf(FORMATS))), what=f"one of {', '.join(FORMATS)} (or a list)"
    )
    switches = ("no-fail", "no-color", "verbose", "strict-labels", "disable-ignore-pragma")
    return Map(
        (
            Field("ignored", codes),
            Field("failure-threshold", OneOf(tuple(THRESHOLDS))),
            Field("override", Map(tuple(Field(k, codes) for k in _LEVELS), null_unset=True)),
            Field("trustedRegistries", Seq(Str())),
            # hadolint reads an empty type as text, and rejects a null one
            Field("label-schema", MapOf(Str(coerce=True), OneOf(LABEL_TYPES, hidden=("",)))),
            *(Field(k, Bool()) for k in switches),
            Field("format", formats),
            Field("formats", formats),
            Field("output-file", Str()),
        ),
        strict=False,
        null_unset=True,
    )


def config_candidates(
    cwd: str | PathLike[str], environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Where hadolint looks for its config, in order (the first existing file wins).

    ``./.hadolint.y[a]ml``, ``$XDG_CONFIG_HOME/hadolint.y[a]ml`` (default ``~/.config``),
    ``~/.hadolint/{hadolint,config}.y[a]ml``, ``~/.hadolint.y[a]ml``.
    """
    from pathlib import Path

    return [Path(p) for p in _candidates(cwd, environ)]


def _candidates(cwd: str | PathLike[str], environ: Mapping[str, str] | None) -> list[str]:
    # os.path, not pathlib: this runs on every lint and pathlib costs start-up time
    import os

    join = os.path.join
    env = os.environ if environ is None else environ
    out = [join(cwd, name) for name in CONFIG_NAMES]
    home = env.get("HOME") or os.path.expanduser("~")
    if not home or home == "~":
        return out
    xdg = env.get("XDG_CONFIG_HOME", "")
    config_home = xdg if os.path.isabs(xdg) else join(home, ".config")
    out += [join(config_home, "hadolint.yaml"), join(config_home, "hadolint.yml")]
    app = join(home, ".hadolint")
    out += [join(app, n) for n in ("hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml")]
    out += [join(home, name) for name in CONFIG_NAMES]
    return out


def find_config(cwd: str | PathLike[str], environ: Mapping[str, str] | None = None) -> Path | None:
    """The config file hadolint would use when none is given (see ``config_candidates``)."""
    import os.path

    for candidate in _candidates(cwd, environ):
        if os.path.isfile(candidate):
            from pathlib import Path

            return Path(candidate)
    return None
