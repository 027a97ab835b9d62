"""Keeping pinned versions current, as Renovate's Dockerfile manager does.

- :mod:`~dockwright.update.deps`: the dependencies of a Dockerfile and where each version and
  digest is written (:mod:`~dockwright.update.locate`, :mod:`~dockwright.update.sourced`,
  :mod:`~dockwright.update.annotations`);
- :mod:`~dockwright.update.versioning`: Renovate's docker, semver, semver-coerced and PEP 440
  versionings; :mod:`~dockwright.update.policy`: which release a policy picks;
- :mod:`~dockwright.update.datasources`: OCI registries, GitHub, PyPI, npm behind one
  interface;
- :mod:`~dockwright.update.plan`: the lookups and choices as data;
  :mod:`~dockwright.update.rewrite`: minimal-diff edits; :mod:`~dockwright.update.report`:
  JSON and unified diffs; :mod:`~dockwright.update.commit`: git commits;
- :mod:`~dockwright.update.settings`: the ``update:`` section of dockwright.yaml;
  :mod:`~dockwright.update.session`: one run's inputs, dockwright.yaml read by the config layer;
  :mod:`~dockwright.update.patterns`: glob-or-/regex/ lists.

Nothing is imported here: each command imports what it uses.
"""
