"""The lossless Dockerfile model: every source line belongs to exactly one node.

``Dockerfile.render()`` concatenates the nodes' ``source`` text, so it gives back the
exact input (byte order mark included).
"""

from __future__ import annotations

from dockwright.record import Record


class Flag(Record):
    """A ``--name[=value]`` flag. ``raw`` is the word as BuildKit reports it (``--from=x``)."""

    __slots__ = ("column", "line", "name", "raw", "value")

    name: str
    value: str | None
    raw: str
    line: int
    column: int

    def __init__(self, name: str, value: str | None, raw: str, line: int, column: int) -> None:
        Record.__init__(self, name=name, value=value, raw=raw, line=line, column=column)


class Heredoc(Record):
    """A here-document. ``body`` is the text between the marker line and the terminator,
    line endings included, tabs not stripped (``strip_tabs`` says whether ``<<-`` asks)."""

    __slots__ = ("body", "delimiter", "end_line", "fd", "quoted", "start_line", "strip_tabs")

    delimiter: str
    body: str
    strip_tabs: bool
    quoted: bool
    fd: int
    start_line: int
    end_line: int

    def __init__(
        self,
        delimiter: str,
        body: str,
        strip_tabs: bool,
        quoted: bool,
        fd: int,
        start_line: int,
        end_line: int,
    ) -> None:
        Record.__init__(
            self,
            delimiter=delimiter,
            body=body,
            strip_tabs=strip_tabs,
            quoted=quoted,
            fd=fd,
            start_line=start_line,
            end_line=end_line,
        )

    @property
    def content(self) -> str:
        """The body as the build sees it: leading tabs removed for ``<<-``."""
        if not self.strip_tabs:
            return self.body
        return "".join(line.lstrip("\t") for line in self.body.splitlines(keepends=True))


class Comment(Record):
    """A ``#`` comment line. ``text`` is what follows ``#``, line ending removed."""

    __slots__ = ("line", "source", "text")

    line: int
    text: str
    source: str

    def __init__(self, line: int, text: str, source: str) -> None:
        Record.__init__(self, line=line, text=text, source=source)


class Directive(Record):
    """A parser directive (``# escape=``, ``# syntax=``, ``# check=``) in the leading block."""

    __slots__ = ("line", "name", "source", "value")

    line: int
    name: str
    value: str
    source: str

    def __init__(self, line: int, name: str, value: str, source: str) -> None:
        Record.__init__(self, line=line, name=name, value=value, source=source)


class Blank(Record):
    """A line holding only whitespace."""

    __slots__ = ("line", "source")

    line: int
    source: str

    def __init__(self, line: int, source: str) -> None:
        Record.__init__(self, line=line, source=source)


class Instruction(Record):
    """One instruction, spanning ``start_line``..``end_line`` (1-based, inclusive).

    - ``keyword``: upper-cased (``raw_keyword`` keeps the spelling).
    - ``original``: the logical line as BuildKit builds it (continuations joined,
      comment lines dropped), without heredoc bodies.
    - ``rest``: the argument text after the flags.
    - ``args``: BuildKit's node values (for ENV/LABEL: key, value, key, value...).
    - ``inner``: for ONBUILD, the wrapped instruction.
    - ``source``: the exact source text of all lines of the instruction.
    """

    __slots__ = (
        "args",
        "column",
        "comments",
        "end_line",
        "escape",
        "flags",
        "heredocs",
        "inner",
        "json",
        "keyword",
        "original",
        "raw_keyword",
        "rest",
        "source",
        "start_line",
    )

    keyword: str
    raw_keyword: str
    start_line: int
    end_line: int
    column: int
    original: str
    rest: str
    flags: tuple[Flag, ...]
    args: tuple[str, ...]
    json: bool
    heredocs: tuple[Heredoc, ...]
    inner: Instruction | None
    comments: tuple[Comment, ...]
    source: str
    escape: str

    def __init__(
        self,
        keyword: str,
        raw_keyword: str,
        start_line: int,
        end_line: int,
        column: int,
        original: str,
        rest: str,
        flags: tuple[Flag, ...],
        args: tuple[str, ...],
        json: bool,
        heredocs: tuple[Heredoc, ...],
        inner: Instruction | None,
        comments: tuple[Comment, ...],
        source: str,
        escape: str = "\\",
    ) -> None:
        Record.__init__(
            self,
            keyword=keyword,
            raw_keyword=raw_keyword,
            start_line=start_line,
            end_line=end_line,
            column=column,
            original=original,
            rest=rest,
            flags=flags,
            args=args,
            json=json,
            heredocs=heredocs,
            inner=inner,
            comments=comments,
            source=source,
            escape=escape,
        )

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (BuildKit keeps the last of repeated flags)."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def flag_values(self, name: str) -> tuple[str, ...]:
        return tuple(f.value or "" for f in self.flags if f.name == name)

    @property
    def effective(self) -> Instruction:
        """The instruction that runs: the wrapped one for ONBUILD, else itself."""
        return self.inner if self.inner is not None else self

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """ENV/LABEL key/value pairs as written (quotes kept; see ``expand`` to unquote)."""
        a = self.args
        return tuple((a[i], a[i + 1]) for i in range(0, len(a) - 1, 2))


Node = Instruction | Comment | Directive | Blank


class Dockerfile(Record):
    """A parsed Dockerfile. ``nodes`` cover the whole text in order."""

    __slots__ = ("_stages", "bom", "escape", "nodes", "path")
    _compared = ("path", "nodes", "bom", "escape")

    path: str
    nodes: tuple[Node, ...]
    bom: bool
    escape: str
    _stages: list[Stage]

    def __init__(
        self, path: str, nodes: tuple[Node, ...], bom: bool = False, escape: str = "\\"
    ) -> None:
        Record.__init__(self, path=path, nodes=nodes, bom=bom, escape=escape, _stages=[])

    def render(self) -> str:
        return ("\ufeff" if self.bom else "") + "".join(n.source for n in self.nodes)

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        return tuple(n for n in self.nodes if isinstance(n, Instruction))

    @property
    def comments(self) -> tuple[Comment, ...]:
        """Comment lines, including those inside continuations, in line order."""
        out: list[Comment] = []
        for n in self.nodes:
            if isinstance(n, Comment):
                out.append(n)
            elif isinstance(n, Instruction):
                out.extend(n.comments)
        return tuple(out)

    @property
    def directives(self) -> tuple[Directive, ...]:
        return tuple(n for n in self.nodes if isinstance(n, Directive))

    @property
    def stages(self) -> list[Stage]:
        """Build stages, one per FROM (computed once)."""
        if not self._stages:
            self._stages.extend(build_stages(self))
        return self._stages


class Stage(Record):
    """``FROM [--platform=P] image [AS name]`` and the instructions up to the next FROM."""

    __slots__ = ("from_instruction", "image", "index", "instructions", "name", "platform")

    index: int
    image: str
    name: str | None
    platform: str | None
    from_instruction: Instruction
    instructions: tuple[Instruction, ...]

    def __init__(
        self,
        index: int,
        image: str,
        name: str | None,
        platform: str | None,
        from_instruction: Instruction,
        instructions: tuple[Instruction, ...],
    ) -> None:
        Record.__init__(
            self,
            index=index,
            image=image,
            name=name,
            platform=platform,
            from_instruction=from_instruction,
            instructions=instructions,
        )

    @property
    def start_line(self) -> int:
        return self.from_instruction.start_line


def build_stages(df: Dockerfile) -> list[Stage]:
    stages: list[Stage] = []
    current: Instruction | None = None
    body: list[Instruction] = []

    def close() -> None:
        if current is None:
            return
        a = current.args
        platform = current.flag("platform")
        stages.append(
            Stage(
                index=len(stages),
                image=a[0] if a else "",
                name=a[2] if len(a) == 3 else None,
                platform=platform.value if platform else None,
                from_instruction=current,
                instructions=tuple(body),
            )
        )

    for ins in df.instructions:
        if ins.keyword == "FROM":
            close()
            current, body = ins, []
        elif current is not None:
            body.append(ins)
    close()
    return stages
