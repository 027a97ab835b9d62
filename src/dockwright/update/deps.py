"""Dependencies of a Dockerfile, found as Renovate's Dockerfile manager and its
``dockerfileVersions`` preset find them, read through the lossless parser.

- every ``FROM`` image (``--platform`` noted; ``scratch`` and earlier stages skipped), with
  ``ARG`` values substituted: the tag or digest of ``FROM alpine:${TAG}`` is written in the
  ARG line (or in ``dockwright.yaml`` when a build arg sets it) and is updated there;
- ``COPY --from=IMAGE`` and ``RUN --mount=…,from=IMAGE`` (not stage names or indexes),
  expanded with the stage's ARG and ENV values;
- the ``# syntax=`` directive (Renovate's depType ``syntax``);
- ``ARG``/``ENV`` versions annotated with ``# renovate: datasource=… depName=…``.

Each dependency says where its version and digest are written (file and offsets), so an
update changes those characters and nothing else. A dependency found but not updatable
carries a ``skip`` reason instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dockwright.dockerfile.model import Directive, Dockerfile, Instruction
from dockwright.errors import UsageError
from dockwright.image.ref import ImageRef
from dockwright.update.annotations import find_annotations
from dockwright.update.locate import flag_value, line_starts, logical_line, words_of
from dockwright.update.sourced import Loc, Sourced, expand

Where = tuple[str, int, int]  # file, start, end (character offsets)


@dataclass(frozen=True)
class Dependency:
    """One thing to keep current.

    ``name`` is Renovate's depName (the image as written, or the annotation's depName);
    ``package`` what is looked up. ``value`` is the current tag or version, ``digest`` the
    pinned digest; ``value_locs``/``digest_locs`` where each of their characters is written
    (a tag may be partly an ARG's value, partly the FROM line's: ``golang:${GO}-alpine``),
    ``pin_at`` the empty span where ``@sha256:…`` goes when pinning.
    """

    file: str
    line: int
    kind: str  # from, copy-from, mount-from, syntax, arg, env
    dep_type: str  # Renovate's: stage, final, syntax; arg/env for annotations
    datasource: str
    name: str
    package: str
    value: str | None
    digest: str | None = None
    # where each character of the value and digest is written (None: nowhere to edit)
    value_locs: tuple[Loc | None, ...] = ()
    digest_locs: tuple[Loc | None, ...] = ()
    pin_at: Where | None = None
    versioning: str | None = None
    extract_version: str | None = None
    registry_url: str | None = None
    platform: str | None = None
    written: str = ""
    skip: str | None = None
    via: tuple[str, ...] = field(default=())  # files besides ``file`` the value is written in

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def value_at(self) -> Where | None:
        """Where the whole value is written, when in one place."""
        return Sourced(self.value or "", self.value_locs).span()

    @property
    def digest_at(self) -> Where | None:
        return Sourced(self.digest or "", self.digest_locs).span()


@dataclass(frozen=True)
class ImageParts:
    name: Sourced
    tag: Sourced | None
    digest: Sourced | None


def split_image(image: Sourced) -> ImageParts:
    """Renovate's ``splitImageParts``: ``name[:tag][@digest]``; a ``:`` whose right side
    holds a ``/`` belongs to a registry port."""
    text = image.text
    at = text.find("@")
    digest = None
    rest = image
    if at >= 0:
        end = text.find("@", at + 1)
        digest = image[at + 1 : end if end >= 0 else len(text)]
        rest = image[:at]
    colon = rest.text.rfind(":")
    if colon < 0 or "/" in rest.text[colon + 1 :]:
        return ImageParts(rest, None, digest)
    return ImageParts(rest[:colon], rest[colon + 1 :], digest)


def _nowhere(part: Sourced | None) -> bool:
    """Text none of whose characters is written anywhere (so none can be edited)."""
    return part is not None and bool(part.text) and all(loc is None for loc in part.locs)


def _files(*parts: Sourced | None) -> set[str]:
    return {loc[0] for p in parts if p is not None for loc in p.locs if loc is not None}


class _Finder:
    def __init__(
        self, df: Dockerfile, text: str, file: str, build_args: Mapping[str, Sourced]
    ) -> None:
        self.df = df
        self.text = text
        self.file = file
        self.build_args = build_args
        self.base = 1 if df.bom else 0
        self.starts = [s + self.base for s in line_starts(text[self.base :])]
        self.deps: list[Dependency] = []
        self.stage_names: set[str] = set()

    def node_offsets(self) -> dict[int, int]:
        out: dict[int, int] = {}
        offset = self.base
        for node in self.df.nodes:
            out[id(node)] = offset
            offset += len(node.source)
        return out

    def run(self) -> list[Dependency]:
        offsets = self.node_offsets()
        for node in self.df.nodes:
            if isinstance(node, Directive) and node.name == "syntax":
                self._syntax(node, offsets[id(node)])
        global_env: dict[str, Sourced] = {}
        env: dict[str, Sourced] = global_env
        seen_from = False
        last_from: int | None = None
        for node in self.df.nodes:
            if not isinstance(node, Instruction):
                continue
            if node.keyword in ("FROM", "ARG", "ENV"):
                line = logical_line(node, self.file, offsets[id(node)])
            if node.keyword == "FROM":
                seen_from = True
                before = len(self.deps)
                self._from(node, line, global_env)
                last_from = len(self.deps) - 1 if len(self.deps) > before else None
                env = {}
            elif node.keyword == "ARG":
                self._arg(node, line, env, global_env if seen_from else None)
            elif node.keyword == "ENV" and seen_from:
                self._env(node, line, env)
            elif node.keyword == "COPY":
                self._copy(node, env)
            elif node.keyword == "RUN":
                self._mount(node, env)
        if last_from is not None:
            dep = self.deps[last_from]
            self.deps[last_from] = _replace(dep, dep_type="final")
        self._annotations()
        return self.deps

    # -- variables ----------------------------------------------------------------------

    def _arg(
        self,
        ins: Instruction,
        line: Sourced,
        env: dict[str, Sourced],
        global_env: dict[str, Sourced] | None,
    ) -> None:
        for word, written in zip(ins.args, words_of(line, ins.args), strict=True):
            name, eq, _ = word.partition("=")
            if name in self.build_args:
                env[name] = self.build_args[name]
            elif eq and written is not None:
                env[name] = expand(written[len(name) + 1 :], env, ins.escape)
            elif eq:
                env[name] = Sourced.nowhere(word[len(name) + 1 :])
            elif global_env is not None and name in global_env:
                env[name] = global_env[name]  # a global ARG brought into the stage
            else:
                env.pop(name, None)

    def _env(self, ins: Instruction, line: Sourced, env: dict[str, Sourced]) -> None:
        pairs = ins.pairs
        if len(ins.args) == 2 and "=" not in ins.rest.split(None, 1)[0]:
            found = words_of(line, [ins.args[1]])[0]
            env[ins.args[0]] = (
                expand(found, env, ins.escape) if found else Sourced.nowhere(ins.args[1])
            )
            return
        raw = [f"{k}={v}" for k, v in pairs]
        for (key, text), word in zip(pairs, words_of(line, raw), strict=True):
            if word is None:
                env[key] = Sourced.nowhere(text)
            else:
                env[key] = expand(word[len(key) + 1 :], env, ins.escape)

    # -- images -------------------------------------------------------------------------

    def _from(self, ins: Instruction, line: Sourced, global_env: dict[str, Sourced]) -> None:
        args = ins.args
        if not args:
            return
        platform_flag = ins.flag("platform")
        written = words_of(line, args[:1])[0]
        image = (
            expand(written, global_env, ins.escape)
            if written is not None
            else Sourced.nowhere(args[0])
        )
        alias = args[2].lower() if len(args) == 3 else None
        self._image(
            ins,
            "from",
            image,
            args[0],
            platform=platform_flag.value if platform_flag else None,
        )
        if alias:
            self.stage_names.add(alias)

    def _copy(self, ins: Instruction, env: Mapping[str, Sourced]) -> None:
        flag = ins.flag("from")
        if flag is None or not flag.value:
            return
        written = flag_value(flag, self.text, self.starts, self.file)
        raw = flag.value
        image = expand(written, env, ins.escape) if written else Sourced.nowhere(raw)
        if image.text.isdigit():
            return
        self._image(ins, "copy-from", image, raw)

    def _mount(self, ins: Instruction, env: Mapping[str, Sourced]) -> None:
        for flag in ins.flags:
            if flag.name != "mount" or not flag.value:
                continue
            written = flag_value(flag, self.text, self.starts, self.file)
            value = written if written is not None else Sourced.nowhere(flag.value)
            start = 0
            for item in flag.value.split(","):
                end = start + len(item)
                if item.startswith("from="):
                    raw = item[len("from=") :]
                    image = expand(value[start + 5 : end], env, ins.escape)
                    if raw and not image.text.isdigit():
                        self._image(ins, "mount-from", image, raw)
                start = end + 1

    def _syntax(self, node: Directive, offset: int) -> None:
        value = node.value.split()[0] if node.value.split() else ""
        eq = node.source.find("=")
        at = node.source.find(value, eq + 1) if value else -1
        if at < 0:
            return
        image = Sourced.at(value, self.file, offset + at)
        self._image(None, "syntax", image, value, line=node.line)

    def _image(
        self,
        ins: Instruction | None,
        kind: str,
        image: Sourced,
        written: str,
        *,
        platform: str | None = None,
        line: int | None = None,
    ) -> None:
        text = image.text
        if not text.strip() or text.lower() == "scratch" or text.lower() in self.stage_names:
            return
        where = line if line is not None else (ins.start_line if ins else 1)
        dep_type = "syntax" if kind == "syntax" else "stage"
        parts = split_image(image)
        skip = None
        if image.unresolved or "$" in text:
            skip = "contains-variable"
        name = parts.name.text if skip is None else written
        if skip is None:
            try:
                ImageRef.parse(text)
            except UsageError:
                skip = "invalid-name"
        pin = parts.tag.end() if parts.tag is not None and parts.tag.text else None
        if skip is None and (_nowhere(parts.tag) or _nowhere(parts.digest)):
            skip = "not-editable"
        via = tuple(sorted(_files(parts.tag, parts.digest) - {self.file}))
        self.deps.append(
            Dependency(
                file=self.file,
                line=where,
                kind=kind,
                dep_type=dep_type,
                datasource="docker",
                name=name,
                package=name,
                value=parts.tag.text if parts.tag is not None else None,
                digest=parts.digest.text if parts.digest is not None else None,
                value_locs=parts.tag.locs if parts.tag is not None else (),
                digest_locs=parts.digest.locs if parts.digest is not None else (),
                pin_at=(pin[0], pin[1], pin[1]) if pin is not None else None,
                platform=platform,
                written=written,
                skip=skip,
                via=via,
            )
        )

    # -- annotations --------------------------------------------------------------------

    def _annotations(self) -> None:
        for found in find_annotations(self.text):
            written = Sourced.at(found.value, self.file, found.start)
            via: tuple[str, ...] = ()
            override = self.build_args.get(found.variable) if found.keyword == "ARG" else None
            if override is not None:
                written = override
                via = tuple(sorted(_files(override) - {self.file}))
            self.deps.append(
                Dependency(
                    file=self.file,
                    line=found.line,
                    kind=found.keyword.lower(),
                    dep_type=found.keyword.lower(),
                    datasource=found.datasource,
                    name=found.dep_name,
                    package=found.package_name or found.dep_name,
                    value=written.text,
                    value_locs=written.locs,
                    versioning=found.versioning,
                    extract_version=found.extract_version,
                    registry_url=found.registry_url,
                    written=found.value,
                    skip="not-editable" if _nowhere(written) else None,
                    via=via,
                )
            )


def _replace(dep: Dependency, **changes: object) -> Dependency:
    from dataclasses import replace

    return replace(dep, **changes)  # type: ignore[arg-type]


def find_dependencies(
    df: Dockerfile, *, file: str | None = None, build_args: Mapping[str, Sourced] | None = None
) -> list[Dependency]:
    """Every dependency of ``df``, in file order (annotations last). ``file`` names the file
    in locations (default: ``df.path``); ``build_args`` are values set from outside, with
    where they are written (``dockwright.yaml``), overriding ARG defaults as a build does."""
    name = file if file is not None else df.path
    return _Finder(df, df.render(), name, build_args or {}).run()


__all__ = ["Dependency", "ImageParts", "Loc", "Where", "find_dependencies", "split_image"]
