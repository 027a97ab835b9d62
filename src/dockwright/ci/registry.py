"""The CI generators: one module each, behind the :class:`Generator` protocol, in one table."""

from __future__ import annotations

from typing import Protocol

from dockwright.ci import circleci, codebuild, github, gitlab
from dockwright.ci.plan import Plan


class Generator(Protocol):
    """A CI's configuration file, rendered from a :class:`~dockwright.ci.plan.Plan`."""

    @property
    def name(self) -> str: ...  # the provider's name on the command line

    @property
    def title(self) -> str: ...  # as the CI calls itself

    @property
    def default_path(self) -> str: ...  # where the CI reads it, from the repository's root

    def render(self, plan: Plan) -> str: ...


GENERATORS: dict[str, Generator] = {
    "circleci": circleci,
    "github": github,
    "gitlab": gitlab,
    "codebuild": codebuild,
}
