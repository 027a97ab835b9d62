"""ARG and ENV scopes of build stages: the environment an instruction sees."""

from __future__ import annotations

from dockwright.dockerfile.expand import expand
from dockwright.dockerfile.model import Dockerfile, Instruction

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping


def global_args(df: Dockerfile) -> tuple[Instruction, ...]:
    """ARG instructions before the first FROM."""
    out: list[Instruction] = []
    for ins in df.instructions:
        if ins.keyword == "FROM":
            break
        if ins.keyword == "ARG":
            out.append(ins)
    return tuple(out)


def _apply_arg(
    ins: Instruction,
    args: dict[str, str],
    visible: Mapping[str, str],
    defaults: Mapping[str, str],
    build_args: Mapping[str, str],
) -> None:
    for word in ins.args:
        name, eq, default = word.partition("=")
        if name in build_args:
            args[name] = build_args[name]
        elif eq:
            args[name] = expand(default, visible, ins.escape)
        elif name in defaults:
            args[name] = defaults[name]
        else:
            args.pop(name, None)
        visible = {**visible, **args}


def environment_at(
    df: Dockerfile,
    instruction: Instruction,
    build_args: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Variables visible to ``instruction``: ARG values (build args first, then defaults)
    and ENV values of its stage, ENV taking precedence, as BuildKit expands them.

    For a FROM (or anything before the first FROM) this is the global ARG scope.
    ENV is inherited through ``FROM <earlier stage name>``.
    """
    build_args = build_args or {}
    global_scope: dict[str, str] = {}
    for ins in df.instructions:
        if ins.keyword == "FROM" or ins is instruction:
            break
        if ins.keyword == "ARG":
            _apply_arg(ins, global_scope, global_scope, {}, build_args)
    if instruction.keyword == "FROM" or not any(instruction in s.instructions for s in df.stages):
        return dict(global_scope)
    stage_env: dict[str, dict[str, str]] = {}
    for stage in df.stages:
        envs: dict[str, str] = dict(stage_env.get(stage.image, {}))
        args: dict[str, str] = {}
        for ins in stage.instructions:
            if ins is instruction:
                return {**args, **envs}
            if ins.keyword == "ARG":
                _apply_arg(ins, args, {**args, **envs}, global_scope, build_args)
            elif ins.keyword == "ENV":
                visible = {**args, **envs}
                for key, value in ins.pairs:
                    envs[expand(key, visible, ins.escape)] = expand(value, visible, ins.escape)
                    visible = {**args, **envs}
        if stage.name:
            stage_env[stage.name] = envs
    return {}
