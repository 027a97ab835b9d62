"""The shell scripts hadolint hands to ShellCheck, one per shell-form RUN.

A script is ``#!<first word of the shell>``, ``export NAME=1 ...`` for each known variable
(the proxy variables plus every ARG/ENV name in scope, sorted) and the RUN text. The shell
and variables follow the stage: FROM starts from the defaults (or from the state of the
stage whose alias it names), SHELL and ``# hadolint shell=`` set the shell, ARG and ENV add
names. ONBUILD RUNs get their own state that only sees ONBUILD ARG/ENV.

Unlike hadolint 2.15.1, a later ARG or ENV keeps the shell (its #1228, fixed after the
release).
"""

from __future__ import annotations

from dockwright.dockerfile import Comment, Dockerfile, Instruction
from dockwright.lint.pragmas import shell_pragma
from dockwright.lint.rule import shell_text
from dockwright.record import Record, replace

DEFAULT_SHELL = "/bin/sh -c"
PROXY_VARS = frozenset(
    {
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
    }
)
_NON_POSIX = ("pwsh", "powershell", "cmd")
_SH_SHEBANGS = (
    "#!/bin/sh",
    "#!/bin/bash",
    "#!/bin/ksh",
    "#!/usr/bin/env sh",
    "#!/usr/bin/env bash",
    "#!/usr/bin/env ksh",
)


class ShellOpts(Record):
    __slots__ = ("shell", "variables")

    shell: str
    variables: frozenset[str]

    def __init__(self, shell: str = DEFAULT_SHELL, variables: frozenset[str] = PROXY_VARS) -> None:
        Record.__init__(self, shell=shell, variables=variables)


class ScriptUse(Record):
    """A script to check and the line its findings are reported at."""

    __slots__ = ("line", "script")

    line: int
    script: str

    def __init__(self, line: int, script: str) -> None:
        Record.__init__(self, line=line, script=script)


def _unquote(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'":
        return word[1:-1]
    return word


def _names(ins: Instruction) -> list[str]:
    if ins.keyword == "ARG":
        return [_unquote(w.split("=", 1)[0]) for w in ins.args]
    return [_unquote(k) for k, _ in ins.pairs]


def _shell_of(ins: Instruction) -> str:
    return " ".join(ins.args) if ins.json else ins.rest


def build_script(opts: ShellOpts, text: str) -> str | None:
    """The script for RUN text, or None when ShellCheck must not see it."""
    if any(name in opts.shell for name in _NON_POSIX):
        return None
    if text.startswith("#!") and not text.startswith(_SH_SHEBANGS):
        return None
    words = opts.shell.split()
    return f"#!{words[0] if words else ''}\n{_exports(opts.variables, text)}{text}"


# What a script needs before it can name a variable (``$X``, ``${X}``, ``$((X))``,
# ``[[ X -eq 1 ]]``, ``let X``, ``read X``, ``test -v X``, ...). A script with none of them
# cannot refer to a declared variable, so ShellCheck says the same without the
# declarations, and a declaration costs it as much as a command (the test of this module
# compares ShellCheck's output with and without them).
_MAY_REFER = (
    "$", "(", "[", "`", "let", "declare", "typeset", "local", "export", "readonly", "read",
    "unset", "printf", "mapfile", "wait", "eval", "test", "getopts", "source", "set",
)  # fmt: skip


def may_refer_to_variables(text: str) -> bool:
    return any(s in text for s in _MAY_REFER)


def _exports(variables: frozenset[str], text: str) -> str:
    """``export A=1 B=1 ...`` lines for the variables, in sorted order.

    Consecutive valid names share one ``export`` command: ShellCheck's cost grows with the
    number of commands (one per variable doubles its time on a typical RUN), while its
    comments stay the same; they are reported at the RUN's line, so the script's own line
    numbers do not show. A name that is not a shell identifier keeps a line of its own,
    so whatever ShellCheck says about it is said as before. Valid names are left out when
    ``text`` cannot refer to a variable at all.
    """
    lines: list[str] = []
    run: list[str] = []
    referable = may_refer_to_variables(text)
    for name in sorted(variables):
        if name.isidentifier() and name.isascii():
            if referable:
                run.append(f"{name}=1")
            continue
        if run:
            lines.append(f"export {' '.join(run)}\n")
            run = []
        lines.append(f"export {name}=1\n")
    if run:
        lines.append(f"export {' '.join(run)}\n")
    return "".join(lines)


class _State:
    """hadolint's fold state: current opts, defaults for new stages, opts per stage."""

    __slots__ = ("aliases", "default", "opts", "stage_opts", "started")

    def __init__(self) -> None:
        self.opts = ShellOpts()
        self.default = ShellOpts()
        self.started = False  # anything that changes state has been seen
        self.stage_opts: list[ShellOpts] = []
        self.aliases: dict[str, int] = {}  # alias -> first stage index

    def update(self, opts: ShellOpts) -> None:
        self.opts = opts
        self.started = True
        if self.stage_opts:
            self.stage_opts[-1] = opts


def _is_shell_form_run(ins: Instruction) -> bool:
    return ins.keyword == "RUN" and not ins.json


def collect(df: Dockerfile, *, arg_env_resets_shell: bool = False) -> list[ScriptUse]:
    """Every script of ``df`` to shellcheck, in file order.

    ``arg_env_resets_shell`` reproduces hadolint 2.15.1's bug (ARG/ENV set the shell back to
    ``/bin/sh -c``), to compare with that release.
    """
    from dockwright.lint.images import from_image

    uses: list[ScriptUse] = []
    st = _State()
    onbuild = ShellOpts()
    for node in df.nodes:
        if isinstance(node, Comment):
            sh = shell_pragma(node.text)
            if sh is not None:
                if not st.started:
                    st.default = ShellOpts(sh, st.opts.variables)
                st.update(replace(st.opts, shell=sh))
            continue
        if not isinstance(node, Instruction):
            continue
        ins = node
        kw = ins.keyword
        if kw == "FROM":
            image = from_image(ins)
            inherited = st.aliases.get(image.name)
            opts = st.default if inherited is None else st.stage_opts[inherited]
            st.stage_opts.append(opts)
            if image.alias is not None:
                st.aliases.setdefault(image.alias, len(st.stage_opts) - 1)
            st.opts = opts
            st.started = True
        elif kw in ("ARG", "ENV"):
            opts = replace(st.opts, variables=st.opts.variables | frozenset(_names(ins)))
            st.update(replace(opts, shell=DEFAULT_SHELL) if arg_env_resets_shell else opts)
        elif kw == "SHELL":
            st.update(replace(st.opts, shell=_shell_of(ins)))
        elif _is_shell_form_run(ins):
            script = build_script(st.opts, shell_text(ins))
            if script is not None:
                uses.append(ScriptUse(ins.start_line, script))
        elif kw == "ONBUILD" and ins.inner is not None:
            inner = ins.inner
            if inner.keyword in ("ARG", "ENV"):
                onbuild = replace(onbuild, variables=onbuild.variables | frozenset(_names(inner)))
            elif _is_shell_form_run(inner):
                script = build_script(onbuild, shell_text(inner))
                if script is not None:
                    uses.append(ScriptUse(ins.start_line, script))
    return uses
