"""The lint step of the pipeline: each image's Dockerfile against the `lint:` keys.

`lint:` in dockwright.yaml holds the keys of `.hadolint.yaml`; when it is absent, a
config file is searched as hadolint does (beside dockwright.yaml first). The HADOLINT_*
environment variables apply in both cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from dockwright.pipeline.config import Config, ImageSpec
from dockwright.pipeline.stepresult import Status, StepResult

if TYPE_CHECKING:
    from dockwright.lint.config import LintConfig


def settings_source(config: Config, environ: Mapping[str, str]) -> dict[str, object] | None:
    """What the lint settings are made of when dockwright.yaml holds them: its ``lint:`` keys
    and the HADOLINT_* variables (and NO_COLOR) that :func:`lint_config` reads. Enough to know
    the settings by, for the job cache, without reading them (which loads the linter). None
    when they come from a .hadolint.yaml found by search: only the linter knows where."""
    if not config.lint.raw:
        return None
    env = {k: v for k, v in environ.items() if k.startswith("HADOLINT_") or k == "NO_COLOR"}
    return {"lint": config.lint.raw, "environment": env}


def lint_config(config: Config) -> LintConfig:
    """The lint settings for every image; a bad value fails here, before any step runs."""
    from dockwright.lint.settings import resolve

    if config.lint.raw:
        return resolve({}, base=config.lint.raw, base_file=str(config.path), base_prefix="lint.")
    return resolve({}, cwd=config.root)


def lint_image(image: ImageSpec, settings: LintConfig) -> StepResult:
    from dockwright.lint.engine import failed, lint_path

    findings = lint_path(str(image.dockerfile), settings)
    shown = tuple(f"{f.file}:{f.line} {f.code} {f.severity.value}: {f.message}" for f in findings)
    status = Status.FAILED if failed(findings, settings) else Status.PASSED
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return StepResult(image.name, "lint", status, summary=summary, details=shown)
