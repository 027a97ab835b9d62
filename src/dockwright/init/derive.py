"""Structure tests read off a built image, for what its Dockerfile says it should hold.

- **metadata**: the settings the Dockerfile makes (ENTRYPOINT, CMD, WORKDIR, USER, EXPOSE,
  VOLUME, the keys of its ENV), with the values the image has;
- **files**: what COPY and ADD put in (the destination as the instruction resolves it: after
  WORKDIR and variables, into a directory or onto a file), each as the image holds it, with
  its permissions; only paths that exist in the image are kept;
- **a command**: the entrypoint's program (else the command's) with ``--version``, when that
  exits 0 and prints something (its first line becomes the expected output, numbers left
  free: ``^Python \\d+\\.\\d+\\.\\d+``); else ``sh -c 'test -x PROGRAM'``; in an image without
  a shell, a file test that the program is executable.

Whatever is derived is checked against the image afterwards (:mod:`dockwright.init.starter`).
"""

from __future__ import annotations

import glob
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dockwright.dockerfile import Dockerfile, Instruction, Stage, environment_at, expand
from dockwright.engine.base import ImageConfig
from dockwright.structure.goexpand import file_mode_string
from dockwright.structure.views import FileView

MAX_FILES = 12  # file tests per image: enough to catch a missing COPY, few enough to read
PROBE_TIMEOUT = 20.0
_GLOB = re.compile(r"[*?\[]")
_RE2_SPECIAL = re.compile(r"[\\.+*?()|\[\]{}^$]")
PER_DIRECTORY = 4  # files named for a directory copied in

# (program, args) -> (exit code 0, stdout, stderr); None when it did not run or timed out
Probe = Callable[[str, tuple[str, ...]], tuple[bool, str, str] | None]


@dataclass(frozen=True)
class FileCheck:
    path: str
    permissions: str
    why: str  # where it comes from: "COPY, line 12"
    executable: bool = False  # isExecutableBy: any (the program of an image without a shell)

    @property
    def name(self) -> str:
        return self.path


@dataclass(frozen=True)
class CommandCheck:
    name: str
    command: str
    args: tuple[str, ...]
    expected_output: tuple[str, ...] = ()
    expected_error: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class MetadataCheck:
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    workdir: str = ""
    user: str = ""
    exposed_ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        return self == MetadataCheck()


@dataclass(frozen=True)
class Suite:
    commands: tuple[CommandCheck, ...] = ()
    files: tuple[FileCheck, ...] = ()
    metadata: MetadataCheck = MetadataCheck()

    def count(self) -> int:
        return len(self.commands) + len(self.files) + (not self.metadata.is_empty())

    def without(self, failed: set[str]) -> Suite:
        """Less the tests named (as structure-test results name them) in ``failed``."""
        return Suite(
            tuple(c for c in self.commands if f"Command Test: {c.name}" not in failed),
            tuple(f for f in self.files if f"File Existence Test: {f.name}" not in failed),
            MetadataCheck() if "Metadata Test" in failed else self.metadata,
        )


def final_chain(df: Dockerfile) -> list[Stage]:
    """The stages the default target is made of: the last one, and the earlier stages it is
    built FROM, oldest first."""
    stages = df.stages
    if not stages:
        return []
    chain = [stages[-1]]
    by_name = {s.name.lower(): s for s in stages if s.name}
    while True:
        base = by_name.get(chain[0].image.lower())
        if base is None or base in chain or base.index >= chain[0].index:
            return chain
        chain.insert(0, base)


def derive(df: Dockerfile, cfg: ImageConfig, view: FileView, probe: Probe, context: Path) -> Suite:
    chain = final_chain(df)
    instructions = [ins for stage in chain for ins in stage.instructions]
    metadata = derive_metadata(instructions, cfg)
    files = list(_files(df, chain, view, cfg, context))
    commands, extra = _command(cfg, view, probe)
    return Suite(commands, tuple([*files, *extra]), metadata)


def derive_metadata(instructions: list[Instruction], cfg: ImageConfig) -> MetadataCheck:
    keys = {ins.keyword for ins in instructions}
    image_env = cfg.env_map()
    env_keys: list[str] = []
    for ins in instructions:
        if ins.keyword == "ENV":
            env_keys += [k for k, _ in ins.pairs if k in image_env and k not in env_keys]
    ports = sorted({p.split("/", 1)[0] for p in cfg.exposed_ports}, key=_port_order)
    return MetadataCheck(
        entrypoint=tuple(cfg.entrypoint or ()) if "ENTRYPOINT" in keys else None,
        cmd=tuple(cfg.cmd or ()) if "CMD" in keys else None,
        workdir=cfg.workdir if "WORKDIR" in keys else "",
        user=cfg.user if "USER" in keys else "",
        exposed_ports=tuple(ports) if "EXPOSE" in keys else (),
        volumes=cfg.volumes if "VOLUME" in keys else (),
        env=tuple((k, image_env[k]) for k in env_keys),
    )


def _port_order(port: str) -> tuple[int, str]:
    return (int(port), port) if port.isdigit() else (1 << 30, port)


def _files(
    df: Dockerfile, chain: list[Stage], view: FileView, cfg: ImageConfig, context: Path
) -> Iterator[FileCheck]:
    seen: set[str] = set()
    count = 0
    workdir = "/"  # each stage of the chain starts from the one before it
    for stage in chain:
        for ins in stage.instructions:
            env = environment_at(df, ins)
            if ins.keyword == "WORKDIR" and ins.args:
                workdir = posixpath.join(workdir, expand(ins.args[0], env, ins.escape))
            if ins.keyword not in ("COPY", "ADD") or len(ins.args) < 2:
                continue
            for path in _destinations(ins, env, workdir, view, context):
                stat = view.lstat(path)
                if path in seen or stat is None or stat.type == "other":
                    continue
                seen.add(path)
                why = f"{ins.keyword}, line {ins.start_line}"
                yield FileCheck(path, file_mode_string(stat.type, stat.mode), why)
                count += 1
                if count >= MAX_FILES:
                    return


def _destinations(
    ins: Instruction, env: dict[str, str], workdir: str, view: FileView, context: Path
) -> list[str]:
    """Where the instruction's sources land, most telling first."""
    *sources, dest = (expand(word, env, ins.escape) for word in ins.args)
    into = posixpath.normpath(posixpath.join(workdir, dest))
    from_context = ins.flag("from") is None
    as_dir = dest.endswith("/") or len(sources) > 1 or any(_GLOB.search(s) for s in sources)
    if not as_dir:
        found = view.lstat(into)
        as_dir = found is not None and found.type == "dir"
    if not as_dir:
        return [into]  # a file (or a directory's content) copied onto this path
    out = []
    for source in sources:
        if source.startswith("<<"):
            continue
        name = posixpath.basename(source.rstrip("/"))
        if from_context and _GLOB.search(source):
            matches = sorted(glob.glob(str(context / source.lstrip("/"))))
            out += [posixpath.join(into, Path(m).name) for m in matches if Path(m).is_file()]
        elif name in ("", ".") or (from_context and (context / source.lstrip("/")).is_dir()):
            # a directory's content: the destination, and a few of the files it holds
            folder = context / source.lstrip("/")
            names = sorted(p.name for p in folder.iterdir() if p.is_file()) if name else []
            out += [into, *(posixpath.join(into, n) for n in names[:PER_DIRECTORY])]
        elif "://" in source:
            out.append(posixpath.join(into, posixpath.basename(source.split("?")[0])))
        else:
            out.append(posixpath.join(into, name))
    return out or [into]


def _program(cfg: ImageConfig) -> str:
    """The program the image runs: the entrypoint's, else the command's; for a shell form
    (``sh -c "exec nginx -g …"``) the first word of the script."""
    argv = list(cfg.entrypoint or ()) or list(cfg.cmd or ())
    if len(argv) >= 3 and posixpath.basename(argv[0]) in ("sh", "bash") and argv[1] == "-c":
        words = argv[2].split()
        words = words[1:] if words[:1] == ["exec"] else words
        return words[0] if words else argv[0]
    return argv[0] if argv else ""


def _resolve(program: str, cfg: ImageConfig, view: FileView) -> str:
    if program.startswith("/"):
        return program if view.lstat(program) is not None else ""
    for folder in cfg.env_map().get("PATH", "/usr/local/bin:/usr/bin:/bin").split(":"):
        candidate = posixpath.join(folder or "/", program)
        if folder and view.lstat(candidate) is not None:
            return candidate
    return ""


def _command(
    cfg: ImageConfig, view: FileView, probe: Probe
) -> tuple[tuple[CommandCheck, ...], tuple[FileCheck, ...]]:
    program = _program(cfg)
    if not program:
        return (), ()
    ran = probe(program, ("--version",))
    if ran is not None and ran[0] and (ran[1].strip() or ran[2].strip()):
        _, out, err = ran
        pattern = version_pattern(out if out.strip() else err)
        check = CommandCheck(
            f"{posixpath.basename(program)} --version",
            program,
            ("--version",),
            expected_output=(pattern,) if out.strip() else (),
            expected_error=() if out.strip() else (pattern,),
            why="the image's program answers --version; its first line, numbers left free",
        )
        return (check,), ()
    path = _resolve(program, cfg, view)
    if not path:
        return (), ()
    if view.lstat("/bin/sh") is not None:
        check = CommandCheck(
            f"{posixpath.basename(program)} is executable",
            "sh",
            ("-c", f"test -x {path}"),
            why=f"the image's program ({program}) gives no --version: is it there to run?",
        )
        return (check,), ()
    stat = view.lstat(path)
    mode = file_mode_string(stat.type, stat.mode) if stat else ""
    return (), (FileCheck(path, mode, "the image's program (no shell to run it)", True),)


def version_pattern(output: str) -> str:
    """The first line of ``output`` as an RE2 pattern anchored at the start, every run of
    digits free: ``Python 3.11.2`` → ``^Python \\d+\\.\\d+\\.\\d+``."""
    line = next((ln.strip() for ln in output.splitlines() if ln.strip()), "")[:80]
    pieces = re.split(r"(\d+)", line)
    return "^" + "".join(r"\d+" if p.isdigit() else _RE2_SPECIAL.sub(r"\\\g<0>", p) for p in pieces)
