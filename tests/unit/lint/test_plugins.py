"""Lint rule plugins: a distribution on sys.path with a ``dockwright.lint_rules`` entry point."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright import proc
from dockwright.cli.main import main
from dockwright.errors import LintPluginError
from dockwright.lint import plugins

RULE_MODULE = '''
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule


class NoCurlPipeShell(InstructionRule):
    """Do not pipe curl into a shell.

    What: a RUN that runs ``curl`` and pipes into ``sh`` or ``bash``.

    Why: the script is not pinned or checked.

    Bad::

        RUN curl -fsSL https://example.com/install.sh | sh

    Good::

        COPY install.sh /tmp/
    """

    code = "{code}"
    severity = Severity.WARNING
    message = "Do not pipe curl into a shell"

    def violates(self, ctx, ins):
        if ins.keyword != "RUN":
            return False
        script = ctx.script(ins)
        return script.has_pipe and bool(script.named("curl")) and bool(script.named("sh", "bash"))
'''

DOCKERFILE = "FROM debian:12\nRUN curl -fsSL https://example.com/i.sh | sh\n"


def make_dist(root: Path, code: str, *, name: str = "acme_lint") -> Path:
    """A minimal installed distribution (module + dist-info) under ``root``."""
    pkg = root / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(RULE_MODULE.replace("{code}", code))
    info = root / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[dockwright.lint_rules]\n{code} = {name}:NoCurlPipeShell\n"
    )
    return root


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    plugins.reset()
    yield root
    plugins.reset()
    sys.modules.pop("acme_lint", None)


def test_no_plugins_installed_loads_nothing() -> None:
    plugins.reset()
    assert plugins.rules() == {}


def test_plugin_rule_reports_and_can_be_ignored(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_dist(site, "ACME001")
    assert main(["lint", "-f", "json", "--ignore", "DL4006", "--ignore", "DL3047"]) == 1
    found = [(f["code"], f["line"], f["message"]) for f in json.loads(capsys.readouterr().out)]
    assert ("ACME001", 2, "Do not pipe curl into a shell") in found
    assert main(["lint", "-f", "json", "--ignore", "ACME001"]) in (0, 1)
    out = capsys.readouterr()
    assert "ACME001" not in out.out and out.err == ""  # a plugin's code is no unknown code
    (site.parent / ".hadolint.yaml").write_text("ignored: [ACME001]\n")
    main(["lint", "-f", "json"])
    out = capsys.readouterr()
    assert "ACME001" not in out.out and out.err == ""
    assert main(["rule", "acme001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ACME001 (warning)\n") and "Source: plugin (acme_lint)" in out


def test_plugin_codes_in_pragmas(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_dist(site, "ACME001")
    dockerfile = site.parent / "Dockerfile"
    dockerfile.write_text(
        "FROM debian:12\n# hadolint ignore=DL4006,ACME001\n"
        "RUN curl -fsSL https://example.com/i.sh | sh\n"
        "RUN curl -fsSL https://example.com/j.sh | sh\n"
    )
    main(["lint", "-f", "json", "--no-fail"])
    found = {(f["code"], f["line"]) for f in json.loads(capsys.readouterr().out)}
    assert ("ACME001", 4) in found and ("ACME001", 3) not in found
    assert ("DL4006", 4) in found and ("DL4006", 3) not in found
    dockerfile.write_text("# hadolint global ignore=ACME001\n" + DOCKERFILE)
    main(["lint", "-f", "json", "--no-fail"])
    assert "ACME001" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DL3000", "DL3000 collides with the built-in codes"),
        ("DL9000", "DL9000 collides with the built-in codes"),
        ("SC9999", "SC9999 collides with the built-in codes"),
        ("acme1", "expected a code of upper-case letters then digits"),
    ],
)
def test_colliding_or_malformed_code_is_a_clear_error(
    site: Path, code: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_dist(site, code)
    with pytest.raises(LintPluginError, match=expected):
        plugins.rules()
    plugins.reset()
    assert main(["lint"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"dockwright: error: lint rule plugin {code} = 'acme_lint:NoCurlPipeShell'"
    )
    assert "(from acme_lint)" in err


def test_class_code_must_match_entry_point(site: Path) -> None:
    make_dist(site, "ACME002")
    info = site / "acme_lint-1.0.dist-info" / "entry_points.txt"
    info.write_text("[dockwright.lint_rules]\nACME003 = acme_lint:NoCurlPipeShell\n")
    with pytest.raises(LintPluginError, match="the class says code 'ACME002', expected 'ACME003'"):
        plugins.rules()


def test_plugin_in_a_fresh_process(tmp_path: Path) -> None:
    """End to end, as a user runs it: the distribution is found through PYTHONPATH."""
    site = make_dist(tmp_path / "site", "ACME001")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    env = {**os.environ, "PYTHONPATH": str(site)}
    res = proc.run(
        [sys.executable, "-m", "dockwright", "lint", "-f", "json", "Dockerfile"],
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert "ACME001" in {f["code"] for f in json.loads(res.stdout)}, res.stderr
