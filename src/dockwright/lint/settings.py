"""Lint settings from the environment, a config file and the command line, merged as hadolint.

Each source is a *layer* in config-file form (``{"ignored": [...], "no-fail": true}``).
hadolint merges ``env <> file <> cli``: scalars from a later layer win, lists concatenate,
and ``label-schema`` maps are unioned with the earlier layer winning on a duplicate label.
The environment is read leniently, as hadolint does: a bad value is dropped, not an error.
"""

from __future__ import annotations

import os

from dockwright.dockerfile.pattern import LazyPattern
from dockwright.lint.config import (
    FORMATS,
    LABEL_TYPES,
    LintConfig,
    find_config,
    is_mapping,
    read_mapping,
)
from dockwright.lint.model import THRESHOLDS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
_TRUTHY = ("1", "y", "on", "true", "yes")
_CODE = LazyPattern(r"(DL|SC)[0-9]+\Z")
_LIST_KEYS = ("ignored", "trustedRegistries", "format")
_LEVELS = ("error", "warning", "info", "style")
Layer = dict[str, object]


def _truthy(value: str) -> bool:
    return value.lower() in _TRUTHY


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def from_environment(environ: Mapping[str, str] | None = None) -> Layer:
    """The ``HADOLINT_*`` variables (and ``NO_COLOR``) as a layer."""
    env = os.environ if environ is None else environ
    layer: Layer = {}
    for name, key in (
        ("HADOLINT_NOFAIL", "no-fail"),
        ("HADOLINT_VERBOSE", "verbose"),
        ("HADOLINT_STRICT_LABELS", "strict-labels"),
        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "disable-ignore-pragma"),
    ):
        if name in env:
            layer[key] = _truthy(env[name])
    if "NO_COLOR" in env:  # any value, even empty
        layer["no-color"] = True
    if "HADOLINT_FORMAT" in env:
        layer["format"] = [f for f in _split(env["HADOLINT_FORMAT"]) if f in FORMATS]
    if env.get("HADOLINT_FAILURE_THRESHOLD") in THRESHOLDS:
        layer["failure-threshold"] = env["HADOLINT_FAILURE_THRESHOLD"]
    if "HADOLINT_IGNORE" in env:
        layer["ignored"] = [c for c in _split(env["HADOLINT_IGNORE"]) if _CODE.match(c)]
    override = {
        level: [c for c in _split(env[f"HADOLINT_OVERRIDE_{level.upper()}"]) if _CODE.match(c)]
        for level in _LEVELS
        if f"HADOLINT_OVERRIDE_{level.upper()}" in env
    }
    if override:
        layer["override"] = override
    if "HADOLINT_TRUSTED_REGISTRIES" in env:
        layer["trustedRegistries"] = _split(env["HADOLINT_TRUSTED_REGISTRIES"])
    if "HADOLINT_REQUIRE_LABELS" in env:
        schema: dict[str, str] = {}
        for item in env["HADOLINT_REQUIRE_LABELS"].split(","):
            label, sep, kind = item.partition(":")
            if sep and label and (kind or "text") in LABEL_TYPES:
                schema[label] = kind or "text"
        layer["label-schema"] = schema
    return layer


def _normalise(layer: Mapping[str, object]) -> Layer:
    """``formats`` folds into ``format`` (a list); everything else is kept as is."""
    out = dict(layer)
    formats: list[object] = []
    for key in ("format", "formats"):
        value = out.pop(key, None)
        if isinstance(value, list):
            formats.extend(value)
        elif value is not None:
            formats.append(value)
    if formats:
        out["format"] = formats
    return out


def merge(*layers: Mapping[str, object]) -> Layer:
    """``layers`` in hadolint's order (environment, file, command line)."""
    out: Layer = {}
    for raw in layers:
        layer = _normalise(raw)
        for key, value in layer.items():
            old = out.get(key)
            if key in _LIST_KEYS and isinstance(old, list) and isinstance(value, list):
                out[key] = old + value
            elif key == "override" and is_mapping(old) and is_mapping(value):
                levels = dict(old)
                for level, codes in value.items():
                    prev = levels.get(level)
                    both = isinstance(prev, list) and isinstance(codes, list)
                    levels[level] = prev + codes if both else codes
                out[key] = levels
            elif key == "label-schema" and is_mapping(old) and is_mapping(value):
                out[key] = {**value, **old}  # the earlier layer wins a duplicate label
            else:
                out[key] = value
    return out


def resolve(
    cli: Mapping[str, object],
    *,
    config_file: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    base: Mapping[str, object] | None = None,
    base_file: str | None = None,
    base_prefix: str = "",
) -> LintConfig:
    """The effective settings: environment, then the config file, then ``cli``.

    ``config_file`` is ``-c``; without it the file is searched where hadolint looks.
    ``base`` replaces the file layer (the pipeline's ``lint:`` section).
    """
    env_layer = from_environment(environ)
    file_layer: Mapping[str, object] = {}
    source: str | None = None
    if base is not None:
        LintConfig.from_mapping(base, file=base_file, prefix=base_prefix)  # validate, with path
        file_layer, source = base, base_file
    else:
        if config_file:
            from pathlib import Path

            path: Path | None = Path(config_file)
        else:
            path = find_config(os.getcwd() if cwd is None else cwd, environ)
        if path is not None:
            data, lines = read_mapping(path)
            LintConfig.from_mapping(data, file=str(path), lines=lines)  # errors name the line
            file_layer, source = data, str(path)
    merged = merge(env_layer, file_layer, cli)
    config = LintConfig.from_mapping(merged, file=source)
    return config if source is None else _with_source(config, source)


def _with_source(config: LintConfig, source: str) -> LintConfig:
    from dockwright.record import replace

    return replace(config, source=source)


def cli_layer(
    *,
    ignored: Sequence[str] = (),
    overrides: Mapping[str, Sequence[str]] | None = None,
    trusted_registries: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    formats: Sequence[str] = (),
    failure_threshold: str | None = None,
    flags: Mapping[str, bool] | None = None,
) -> Layer:
    """Command-line values as a layer; ``flags`` holds the switches that were given."""
    layer: Layer = {}
    if ignored:
        layer["ignored"] = list(ignored)
    if overrides:
        layer["override"] = {k: list(v) for k, v in overrides.items() if v}
    if trusted_registries:
        layer["trustedRegistries"] = list(trusted_registries)
    if labels:
        layer["label-schema"] = dict(labels)
    if formats:
        layer["format"] = list(formats)
    if failure_threshold is not None:
        layer["failure-threshold"] = failure_threshold
    for key, on in (flags or {}).items():
        if on:
            layer[key] = True
    return layer
