"""The text of the starter files, each key explained in a comment beside it.

Values are written as JSON scalars and flow lists (which YAML reads as they are), so any
string a Dockerfile or an image holds comes out quoted right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dockwright.init.derive import Suite
from dockwright.init.find import Starter

CONFIG_HEADER = """\
# dockwright.yaml: what `dockwright run` does for this repository (written by `dockwright init`).
# Each image below is linted (hadolint's rules), built (BuildKit), tested (its structure
# tests) and, on a release (a git tag) or the default branch, published: the image ID that
# passed the tests is pushed under every tag to every repository, never a rebuild.
# `dockwright config validate` checks this file; `dockwright run --dry-run` shows a run's plan.
version: 1  # the format of this file

images:  # one entry per image; the key names the image and its job in `dockwright run`
"""

TAGS = """\
    tags:  # which tags a checkout gets (metadata-action's rules; `dockwright tags` shows them)
      - {type: semver, pattern: "{{version}}"}  # git tag v1.2.3 -> 1.2.3 (and latest)
      - {type: semver, pattern: "{{major}}.{{minor}}"}  # -> 1.2
      - {type: ref, event: branch}  # a branch -> its name
      - {type: sha}  # every commit -> sha-<short commit>
"""

PUBLISH = """\
    # publish:  # where the tested image goes; uncomment and name your repository
    #   - repository: ghcr.io/OWNER/{name}
    #     credentials: {{username-env: REGISTRY_USERNAME, password-env: REGISTRY_PASSWORD}}
    #     # ^ the names of the environment variables that hold them, never the secrets;
    #     #   without `credentials`, Docker's config.json (`docker login`) is used
"""


@dataclass(frozen=True)
class Entry:
    """An image as the config shows it: ``tests`` False when no test file could be made."""

    starter: Starter
    tests: bool
    note: str = ""  # why there are no tests


_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./-]*")
# Words YAML 1.1 (PyYAML) reads as something other than a string.
_SPECIAL = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})


def q(value: object) -> str:
    """``value`` as YAML: a plain word or path as it is, anything else as JSON."""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _SPECIAL:
        return value
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def config_text(entries: Sequence[Entry], lint_ignored: Sequence[str], hadolint_file: str) -> str:
    out = [CONFIG_HEADER]
    for entry in entries:
        s = entry.starter
        out.append(f"  {s.name}:\n")
        out.append(
            f"    context: {q(str(s.context))}  # the build context: what the builder gets\n"
        )
        out.append(f"    dockerfile: {q(s.dockerfile_in_context)}  # relative to the context\n")
        if entry.tests:
            out.append(
                f"    tests: [{q(str(s.tests))}]  # structure tests, run on the image after "
                "each build\n"
            )
        else:
            out.append(f"    # tests: [{q(str(s.tests))}]  # not written: {entry.note}\n")
        out.append(TAGS)
        out.append(PUBLISH.format(name=s.name))
    out.append("\n")
    if hadolint_file:
        out.append(
            f"# lint: the settings of {hadolint_file} apply (hadolint's own file); a `lint:` key\n"
            "# here would replace them, with the same keys.\n"
        )
        return "".join(out)
    out.append("lint:  # hadolint's settings: the keys of .hadolint.yaml\n")
    out.append(
        "  failure-threshold: warning  # findings at this level or above fail the lint step\n"
    )
    if lint_ignored:
        out.append(
            f"  ignored: {q(list(lint_ignored))}  # rules these Dockerfiles break today: "
            "fix them, then take them out\n"
        )
    return "".join(out)


def structure_text(starter: Starter, suite: Suite) -> str:
    out = [
        f"# Structure tests of the image `{starter.name}` (container-structure-test, schema "
        "2.0.0),\n",
        f"# written by `dockwright init` from the image {q(str(starter.dockerfile))} builds; "
        "each passed on it.\n",
        "# `dockwright run` runs them after each build, as does\n",
        "# `container-structure-test test --image IMAGE --config FILE`.\n",
        f"schemaVersion: {q('2.0.0')}  # the format of this file\n",
    ]
    if suite.commands:
        out.append(
            "\n# Commands run in a new container of the image: each passes when it exits 0 and "
            "its output\n# matches every regular expression (RE2) listed.\ncommandTests:\n"
        )
        for c in suite.commands:
            out.append(f"  - name: {q(c.name)}  # {c.why}\n")
            out.append(f"    command: {q(c.command)}\n")
            out.append(f"    args: {q(list(c.args))}\n")
            if c.expected_output:
                out.append(f"    expectedOutput: {q(list(c.expected_output))}  # on stdout\n")
            if c.expected_error:
                out.append(f"    expectedError: {q(list(c.expected_error))}  # on stderr\n")
    if suite.files:
        out.append("\n# Paths that must be in the image: what the Dockerfile puts there.\n")
        out.append("fileExistenceTests:\n")
        for f in suite.files:
            out.append(f"  - name: {q(f.name)}  # {f.why}\n")
            out.append(f"    path: {q(f.path)}\n")
            out.append("    shouldExist: true\n")
            if f.permissions:
                out.append(
                    f"    permissions: {q(f.permissions)}  # its mode, as `ls -l` shows it\n"
                )
            if f.executable:
                out.append(f"    isExecutableBy: {q('any')}  # some execute bit is set\n")
    m = suite.metadata
    if not m.is_empty():
        out.append("\n# The image's configuration, as the Dockerfile sets it.\nmetadataTest:\n")
        if m.entrypoint is not None:
            out.append(f"  entrypoint: {q(list(m.entrypoint))}  # ENTRYPOINT\n")
        if m.cmd is not None:
            out.append(f"  cmd: {q(list(m.cmd))}  # CMD (the entrypoint's default arguments)\n")
        if m.workdir:
            out.append(f"  workdir: {q(m.workdir)}  # WORKDIR\n")
        if m.user:
            out.append(f"  user: {q(m.user)}  # USER\n")
        if m.exposed_ports:
            out.append(f"  exposedPorts: {q(list(m.exposed_ports))}  # EXPOSE\n")
        if m.volumes:
            out.append(f"  volumes: {q(list(m.volumes))}  # VOLUME\n")
        if m.env:
            out.append("  envVars:  # ENV: each variable with its value in the image\n")
            out += [f"    - {{key: {q(k)}, value: {q(v)}}}\n" for k, v in m.env]
    return "".join(out)
