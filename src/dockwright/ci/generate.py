"""A CI configuration from dockwright.yaml: where it goes, and its text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dockwright import __version__
from dockwright.ci.plan import Options, build_plan, repository_root
from dockwright.ci.registry import GENERATORS
from dockwright.errors import UsageError
from dockwright.pipeline.config import load_config


@dataclass(frozen=True)
class Generated:
    path: Path  # where the CI reads it (or where it was asked to go)
    text: str


def generate(
    provider: str,
    config_path: Path,
    *,
    options: Options | None = None,
    output: Path | None = None,
    version: str = __version__,
) -> Generated:
    """The ``provider``'s configuration for the pipeline of ``config_path``, pinned to
    dockwright ``version``. Nothing is written."""
    generator = GENERATORS.get(provider)
    if generator is None:
        known = ", ".join(GENERATORS)
        raise UsageError(f"no CI named {provider!r}; the CIs are: {known}")
    config = load_config(config_path)
    root = repository_root(config_path)
    plan = build_plan(config, version=version, options=options or Options(), root=root)
    return Generated(output or root / generator.default_path, generator.render(plan))
