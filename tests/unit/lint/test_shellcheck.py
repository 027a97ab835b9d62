"""The scripts handed to ShellCheck, and the runner: batching, dedupe, cache, failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import proc
from dockwright.dockerfile import parse
from dockwright.errors import UsageError
from dockwright.lint import LintConfig, lint_dockerfile, sccache, scripts, shellcheck
from dockwright.lint.pragmas import shell_pragma

PROXIES = "export " + " ".join(f"{v}=1" for v in sorted(scripts.PROXY_VARS)) + "\n"


def _scripts(text: str, **kw: bool) -> list[tuple[int, str]]:
    return [(u.line, u.script) for u in scripts.collect(parse(text, path="D"), **kw)]


def _exports(*names: str) -> str:
    """One ``export`` command for all (valid) names: ShellCheck pays per command."""
    return "export " + " ".join(f"{v}=1" for v in sorted(scripts.PROXY_VARS | set(names))) + "\n"


def test_script_has_shebang_exports_and_text() -> None:
    assert _scripts('FROM a\nARG V=1\nENV "W"=2 X=3\nRUN echo $V \\\n  && true\n') == [
        (4, f"#!/bin/sh\n{_exports('V', 'W', 'X')}echo $V   && true")
    ]


def test_shell_follows_shell_instruction_and_arg_env_keep_it() -> None:
    text = 'FROM a\nSHELL ["/bin/bash", "-c"]\nENV A=1\nRUN x $A\n'
    assert _scripts(text) == [(4, f"#!/bin/bash\n{_exports('A')}x $A")]
    # hadolint 2.15.1 went back to /bin/sh after ARG/ENV
    assert _scripts(text, arg_env_resets_shell=True) == [(4, f"#!/bin/sh\n{_exports('A')}x $A")]


def test_stage_inheritance_and_fresh_stages() -> None:
    text = (
        'FROM a AS base\nSHELL ["bash", "-c"]\nARG V\nFROM base\nRUN $one\nFROM other\nRUN $two\n'
    )
    assert _scripts(text) == [
        (5, f"#!bash\n{_exports('V')}$one"),
        (7, f"#!/bin/sh\n{PROXIES}$two"),
    ]


def test_no_export_line_when_the_script_cannot_name_a_variable() -> None:
    assert _scripts("FROM a\nARG V\nRUN make install\n") == [(3, "#!/bin/sh\nmake install")]


def test_shell_pragma_first_sets_default_for_every_stage() -> None:
    text = "# hadolint shell=/bin/bash\nFROM a\nRUN one\nFROM b\nRUN two\n"
    assert [s.split("\n")[0] for _, s in _scripts(text)] == ["#!/bin/bash", "#!/bin/bash"]
    later = "FROM a\n# hadolint shell=/bin/bash\nRUN one\nFROM b\nRUN two\n"
    assert [s.split("\n")[0] for _, s in _scripts(later)] == ["#!/bin/bash", "#!/bin/sh"]


@pytest.mark.parametrize(
    "text",
    [
        'FROM a\nSHELL ["pwsh", "-c"]\nRUN x\n',
        'FROM a\nSHELL ["C:\\\\Windows\\\\powershell.exe", "-c"]\nRUN x\n',
        'FROM a\nSHELL ["cmd", "/S", "/C"]\nRUN x\n',
        "FROM a\n# hadolint shell=powershell\nRUN x\n",
        'FROM a\nRUN ["sh", "-c", "echo $x"]\n',
        "FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n",
    ],
)
def test_skipped(text: str) -> None:
    assert _scripts(text) == []


def test_onbuild_has_its_own_state() -> None:
    text = 'FROM a\nSHELL ["bash", "-c"]\nARG MAIN\nONBUILD ARG OB\nONBUILD RUN x $OB\n'
    assert _scripts(text) == [(5, f"#!/bin/sh\n{_exports('OB')}x $OB")]


@pytest.mark.parametrize(
    ("text", "shell"),
    [
        (" hadolint shell=pwsh", "pwsh"),
        ("hadolint\tshell = /bin/bash # why", "/bin/bash"),
        (" hadolint shell=", None),
        (" hadolint shell=bash why", None),
        (" HADOLINT shell=bash", None),
    ],
)
def test_shell_pragma_grammar(text: str, shell: str | None) -> None:
    assert shell_pragma(text) == shell


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(sccache.ENV_CACHE, raising=False)
    return tmp_path / "dockwright" / "shellcheck"


def test_check_dedupes_batches_and_caches(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many = [f"#!/bin/sh\necho $X{i}\n" for i in range(150)] * 2
    first = shellcheck.check(many, jobs=2)
    assert len(first) == 150
    assert all(c and c[0].code == 2086 and c[0].level == "info" for c in first.values())
    assert len(list(cache.glob("*/*"))) == 150
    # a repeated run needs no ShellCheck process at all

    def no_process(*args: object) -> None:
        raise AssertionError("ShellCheck started")

    monkeypatch.setattr(proc, "start", no_process)
    assert shellcheck.check(many) == first


def test_cache_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sccache.ENV_CACHE, "off")
    assert shellcheck.check(["#!/bin/sh\ntrue\n"]) == {"#!/bin/sh\ntrue\n": ()}
    assert not cache.exists()


def test_binary_from_package_and_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(shellcheck.ENV_BINARY, raising=False)
    assert Path(shellcheck.find_binary()).is_file()
    assert shellcheck._from_package() is not None
    monkeypatch.setenv(shellcheck.ENV_BINARY, "/nonexistent/shellcheck")
    with pytest.raises(UsageError, match="DOCKWRIGHT_SHELLCHECK=/nonexistent/shellcheck: no such"):
        shellcheck.check(["#!/bin/sh\nnew script\n"])


def test_unreadable_script_gives_no_comments(cache: Path) -> None:
    odd = "#!/bin/sh\necho \x00 \udcff\n"
    good = "#!/bin/sh\necho $Y\n"
    out = shellcheck.check([odd, good])
    assert set(out) == {odd, good} and out[good]


def test_engine_applies_config_and_pragmas(cache: Path) -> None:
    text = "FROM a:1\n# hadolint ignore=SC2164\nRUN cd /x; echo $X\nRUN echo $Y\n"
    df = parse(text, path="D")
    found = [(f.code, f.line, f.severity.value) for f in lint_dockerfile(df, LintConfig())]
    assert [f for f in found if f[0].startswith("SC")] == [
        ("SC2086", 3, "info"),
        ("SC2086", 4, "info"),
    ]
    config = LintConfig.from_mapping({"ignored": ["SC2086"], "override": {"error": ["SC2164"]}})
    found = [(f.code, f.line, f.severity.value) for f in lint_dockerfile(df, config)]
    assert [f for f in found if f[0].startswith("SC")] == []
    config = LintConfig.from_mapping({"override": {"error": ["SC2086"]}})
    found = [(f.code, f.line, f.severity.value) for f in lint_dockerfile(df, config)]
    assert ("SC2086", 4, "error") in found


def test_names_that_are_not_identifiers_keep_their_own_export_line() -> None:
    assert scripts._exports(frozenset({"A", "b-c", "D", "é"}), "echo $A") == (
        "export A=1 D=1\nexport b-c=1\nexport é=1\n"
    )
    # without a possible reference only the lines ShellCheck may comment on are kept
    assert scripts._exports(frozenset({"A", "b-c", "D"}), "true") == "export b-c=1\n"


def test_cache_entry_answers_only_its_own_script(tmp_path: Path) -> None:
    from dockwright.lint.scresult import ScComment

    cache = sccache.Cache(str(tmp_path), "/bin/shellcheck", ("-f", "json1"))
    comment = ScComment(2086, "info", "Double quote", 2, 6)
    cache.put("#!/bin/sh\necho $A\n", (comment,))
    assert cache.get("#!/bin/sh\necho $A\n") == (comment,)
    # another script whose entry would have the same name: a miss, never A's comments
    a_path = cache._path("#!/bin/sh\necho $A\n")
    b_path = cache._path("#!/bin/sh\necho $B\n")
    Path(b_path).parent.mkdir(parents=True, exist_ok=True)
    Path(a_path).replace(b_path)
    assert cache.get("#!/bin/sh\necho $B\n") is None
    # scripts that are not valid UTF-8 text (a lone surrogate from a JSON escape) round-trip
    odd = "#!\udc80\necho $A\n"
    cache.put(odd, (comment,))
    assert cache.get(odd) == (comment,)


@pytest.mark.parametrize(("value", "seconds"), [("", 60.0), ("2.5", 2.5), (" 30 ", 30.0)])
def test_timeout_setting(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float) -> None:
    monkeypatch.setenv(shellcheck.ENV_TIMEOUT, value)
    assert shellcheck.timeout() == seconds


@pytest.mark.parametrize("value", ["abc", "0", "-1", "inf", "nan"])
def test_bad_timeout_setting(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(shellcheck.ENV_TIMEOUT, value)
    with pytest.raises(UsageError) as caught:
        shellcheck.timeout()
    assert str(caught.value) == (
        f"DOCKWRIGHT_SHELLCHECK_TIMEOUT={value}: expected a number of seconds above 0"
    )
