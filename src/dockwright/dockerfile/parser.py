"""Line scanner and instruction parser, following BuildKit's ``parser.Parse`` step by step.

Differences from BuildKit's parser, on purpose:
- an empty file (or one with only comments) parses to a Dockerfile with no instructions
  (BuildKit says "file with no instructions" when building);
- a few errors BuildKit raises later, when it turns nodes into instructions, are raised
  here: unknown instruction, wrong argument counts, unknown or malformed flags.
"""

from __future__ import annotations

from bisect import bisect_right

from dockwright.dockerfile import words as w
from dockwright.dockerfile.model import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    Node,
)
from dockwright.dockerfile.pattern import LazyPattern
from dockwright.errors import DockerfileParseError
from dockwright.record import Record

KEYWORDS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip

# Flags BuildKit accepts per instruction: name -> takes a value (False: boolean flag).
_FLAGS: dict[str, dict[str, bool]] = {
    "FROM": {"platform": True},
    "RUN": {"mount": True, "network": True, "security": True, "device": True},
    "COPY": {
        "from": True, "chown": True, "chmod": True, "link": False, "parents": False,
        "exclude": True,
    },
    "ADD": {
        "chown": True, "chmod": True, "link": False, "checksum": True, "keep-git-dir": False,
        "exclude": True, "unpack": False,
    },
    "HEALTHCHECK": {
        "interval": True, "timeout": True, "start-period": True, "start-interval": True,
        "retries": True,
    },
}  # fmt: skip

_VALID_DIRECTIVES = frozenset({"escape", "syntax", "check"})
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _LETTERS | frozenset("0123456789")
_DIRECTIVE_SPACE = "\t\n\f\r "


def match_directive(token: str) -> tuple[str, str] | None:
    """(name, value) where BuildKit's directive expression matches a comment line:
    ``(?s)^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*\\Z`` (``\\s`` being tab, newline,
    form feed, carriage return and space). String methods instead of ``re``: most files
    start with a comment, many with ``# syntax=``, and ``re`` costs start-up time."""
    if not token.startswith("#"):
        return None
    body = token[1:].lstrip(_DIRECTIVE_SPACE)
    i = 0
    while i < len(body) and body[i] in _ALNUM:
        i += 1
    if i == 0 or body[0] not in _LETTERS:
        return None
    rest = body[i:].lstrip(_DIRECTIVE_SPACE)
    if not rest.startswith("="):
        return None
    rest = rest[1:]
    value = rest.strip(_DIRECTIVE_SPACE)
    if value:
        return body[:i], value
    # only spaces after "=": the lazy group still takes one character, the last
    return (body[:i], rest[-1]) if rest else None


_FLAG_NAME = _ALNUM | frozenset("-")


def match_flag(word: str) -> tuple[str, str | None] | None:
    """(name, value or None) of a ``--name[=value]`` word, as the expression
    ``(?s)--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?\\Z`` reads it (string methods: flags are
    common, and ``re`` costs start-up time)."""
    if not word.startswith("--") or len(word) < 3 or word[2] not in _LETTERS:
        return None
    i = 3
    while i < len(word) and word[i] in _FLAG_NAME:
        i += 1
    if i == len(word):
        return word[2:], None
    if word[i] != "=":
        return None
    return word[2:i], word[i + 1 :]


_HEREDOC_RE = LazyPattern(r"(?s)^(\d*)<<(-?)([^<]*)\Z")


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse Dockerfile text. Raises DockerfileParseError (file, line, column) on bad input."""
    return _Parser(text, path).run()


def parse_bytes(data: bytes, path: str = "Dockerfile") -> Dockerfile:
    """Decode UTF-8 (with or without a byte order mark) and parse."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DockerfileParseError(
            "expected UTF-8 text, found a UTF-16 byte order mark", file=path, line=1, column=1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col_bytes = before[before.rfind(b"\n") + 1 :]
        column = len(col_bytes.decode("utf-8", errors="replace")) + 1
        raise DockerfileParseError(
            f"expected UTF-8 text, found the byte 0x{data[exc.start]:02x}",
            file=path,
            line=line,
            column=column,
        ) from None
    return parse(text, path)


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings; only ``\\n`` ends a line (as Go's scanner)."""
    lines: list[str] = []
    start = 0
    while True:
        i = text.find("\n", start)
        if i < 0:
            if start < len(text):
                lines.append(text[start:])
            return lines
        lines.append(text[start : i + 1])
        start = i + 1


def _trim_newline(s: str) -> str:
    return s.rstrip("\r\n")


class _Logical:
    """A logical line being assembled: text plus a map back to source positions."""

    __slots__ = ("seg_pos", "seg_starts", "text")

    def __init__(self) -> None:
        self.text = ""
        self.seg_starts: list[int] = []
        self.seg_pos: list[tuple[int, int]] = []  # (line, column) of each segment start

    def position(self, offset: int) -> tuple[int, int]:
        i = max(bisect_right(self.seg_starts, offset) - 1, 0)
        line, col = self.seg_pos[i]
        return line, col + offset - self.seg_starts[i]

    def add(self, piece: str, line: int, column: int) -> None:
        self.seg_starts.append(len(self.text))
        self.seg_pos.append((line, column))
        self.text += piece


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.bom = text.startswith("\ufeff")
        self.lines = split_lines(text[1:] if self.bom else text)
        self.escape = "\\"
        self.directives_done = False
        self.directive_line = 0
        self.seen_directives: set[str] = set()

    def error(self, message: str, line: int, column: int = 1) -> DockerfileParseError:
        return DockerfileParseError(message, file=self.path, line=line, column=column)

    def _directive(self, token: str, line: int) -> Directive | None:
        """BuildKit's DirectiveParser: only the leading block of directive lines counts."""
        self.directive_line += 1
        if self.directives_done:
            return None
        found = match_directive(token)
        if found is None or found[0].lower() not in _VALID_DIRECTIVES:
            self.directives_done = True
            return None
        name, value = found[0].lower(), found[1]
        if name in self.seen_directives:
            raise self.error(f"only one {name} parser directive can be used", line)
        self.seen_directives.add(name)
        if name == "escape":
            if value not in ("`", "\\"):
                raise self.error(f"invalid escape token '{value}' does not match ` or \\", line)
            self.escape = value
        return Directive(line=line, name=name, value=value, source="")

    def _trim_continuation(self, s: str) -> tuple[str, bool]:
        # A single escape char (not itself escaped) then optional blanks ends the line
        # (BuildKit's `(?<!e)e[ \t]*$`; string tests, no pattern to compile).
        e = self.escape
        t = s.rstrip(" \t")
        if t.endswith(e) and not t.endswith(e + e):
            return t[:-1], False
        return s, True

    def run(self) -> Dockerfile:
        nodes: list[Node] = []
        lines = self.lines
        n = len(lines)
        i = 0
        while i < n:
            raw = lines[i]
            lineno = i + 1
            token = _trim_newline(raw)
            stripped = w.lstrip_space(token)
            directive = self._directive(stripped, lineno)
            if stripped.startswith("#"):
                if directive is not None:
                    nodes.append(Directive(lineno, directive.name, directive.value, raw))
                else:
                    nodes.append(Comment(lineno, stripped[1:], raw))
                i += 1
                continue
            first, eol = self._trim_continuation(stripped)
            if eol and first == "":
                nodes.append(Blank(lineno, raw))
                i += 1
                continue
            start_index = i
            logical = _Logical()
            logical.add(first, lineno, len(token) - len(stripped) + 1)
            comments: list[Comment] = []
            while not eol and i + 1 < n:
                i += 1
                raw_c = lines[i]
                tok = _trim_newline(raw_c)
                self._directive(tok, i + 1)
                lead = w.lstrip_space(tok)
                if lead.startswith("#"):
                    comments.append(Comment(i + 1, lead[1:], raw_c))
                    continue
                if lead == "":
                    continue
                piece, eol = self._trim_continuation(tok)
                logical.add(piece, i + 1, 1)
            instr_fields = self._instruction(logical, lineno)
            heredocs: list[Heredoc] = []
            if _can_contain_heredoc(instr_fields) and "<<" in logical.text:
                marker = -2
                for spec in _heredocs_from_line(logical.text):
                    marker = logical.text.find("<<", marker + 2)
                    name, strip_tabs, quoted, fd = spec
                    body: list[str] = []
                    h_start = i + 2
                    terminated = False
                    while i + 1 < n:
                        i += 1
                        candidate = _trim_newline(lines[i])
                        if strip_tabs:
                            candidate = candidate.lstrip("\t")
                        if candidate == name:
                            terminated = True
                            break
                        body.append(lines[i])
                    if not terminated:
                        l_, c_ = logical.position(max(marker, 0))
                        raise self.error(f"unterminated heredoc {name!r}", l_, c_)
                    heredocs.append(
                        Heredoc(name, "".join(body), strip_tabs, quoted, fd, h_start, i + 1)
                    )
            source = "".join(lines[start_index : i + 1])
            nodes.append(_finish(instr_fields, heredocs, comments, source, i + 1, self.escape))
            i += 1
        return Dockerfile(path=self.path, nodes=tuple(nodes), bom=self.bom, escape=self.escape)

    def _instruction(self, logical: _Logical, lineno: int) -> _Fields:
        text = logical.text
        # splitCommand: TrimSpace, then split keyword from the rest on the first whitespace.
        trimmed = w.strip_space(text)
        m = w.find_whitespace(trimmed)
        keyword_raw = trimmed[: m[0]] if m else trimmed
        args_start = m[1] if m else len(trimmed)
        column = logical.position(0)[1]
        keyword = keyword_raw.upper()
        if keyword not in KEYWORDS:
            if any(trimmed.upper().startswith(k) for k in KEYWORDS) and not m:
                raise self.error(
                    f"unknown instruction: {keyword_raw} (missing whitespace?)", lineno, column
                )
            raise self.error(f"unknown instruction: {keyword_raw}", lineno, column)
        return self._parse_body(keyword, keyword_raw, trimmed, args_start, logical, lineno, column)

    def _parse_body(
        self,
        keyword: str,
        keyword_raw: str,
        line: str,
        args_start: int,
        logical: _Logical,
        lineno: int,
        column: int,
    ) -> _Fields:
        rest_all = line[args_start:]
        flag_words, rest_off = w.extract_flags(rest_all) if rest_all else ([], 0)
        rest = rest_all[rest_off:]
        flags: list[Flag] = []
        allowed = _FLAGS.get(keyword, {})
        for fw in flag_words:
            fl, fc = logical.position(args_start + fw.offset)
            fm = match_flag(fw.text)
            if fm is None:
                raise self.error(f"{keyword}: bad flag syntax {fw.text!r}", fl, fc)
            name, value = fm
            if keyword != "ONBUILD":
                if name not in allowed:
                    raise self.error(f"{keyword}: unknown flag: --{name}", fl, fc)
                if allowed[name] and value is None:
                    raise self.error(f"{keyword}: missing a value on flag: --{name}", fl, fc)
                if (
                    not allowed[name]
                    and value is not None
                    and value.lower() not in ("true", "false")
                ):
                    raise self.error(
                        f"{keyword}: expecting boolean value for flag --{name}, not: {value}",
                        fl,
                        fc,
                    )
            flags.append(Flag(name, value, fw.text, fl, fc))
        err_line, err_col = logical.position(args_start + rest_off) if rest else (lineno, column)
        json_form = False
        inner: _Fields | None = None
        args: list[str]
        if keyword == "ONBUILD":
            if flags:
                raise self.error(
                    "ONBUILD: flags must follow the wrapped instruction",
                    flags[0].line,
                    flags[0].column,
                )
            if rest == "":
                raise self.error("ONBUILD requires at least one argument", lineno, column)
            sub = w.strip_space(rest)
            m = w.find_whitespace(sub)
            sub_kw_raw = sub[: m[0]] if m else sub
            sub_kw = sub_kw_raw.upper()
            if sub_kw not in KEYWORDS:
                raise self.error(f"unknown instruction: {sub_kw_raw}", err_line, err_col)
            if sub_kw == "ONBUILD":
                raise self.error(
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", err_line, err_col
                )
            base = args_start + rest_off
            sub_line = line[: base + len(sub)]
            inner = self._parse_body(
                sub_kw,
                sub_kw_raw,
                sub_line,
                base + (m[1] if m else len(sub)),
                logical,
                lineno,
                err_col,
            )
            args = list(inner.args)
        elif keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL"):
            args, json_form = self._maybe_json(rest, err_line, err_col, to_list=False)
        elif keyword in ("ADD", "COPY", "VOLUME"):
            args, json_form = self._maybe_json(rest, err_line, err_col, to_list=True)
        elif keyword == "ARG":
            args = w.parse_words(rest, self.escape)
        elif keyword in ("ENV", "LABEL"):
            args = self._name_val(keyword, rest, err_line, err_col)
        elif keyword in ("EXPOSE", "FROM"):
            args = w.split_whitespace(rest)
        elif keyword == "HEALTHCHECK":
            args, json_form = self._health(rest, err_line, err_col)
        else:  # MAINTAINER, STOPSIGNAL, USER, WORKDIR
            args = [rest] if rest else []
        self._check_counts(keyword, args, json_form, lineno, column)
        return _Fields(
            keyword,
            keyword_raw,
            lineno,
            column,
            logical.text,
            rest,
            tuple(flags),
            tuple(args),
            json_form,
            inner,
        )

    def _maybe_json(
        self, rest: str, line: int, col: int, *, to_list: bool
    ) -> tuple[list[str], bool]:
        try:
            items = w.parse_json_array(rest)
        except w.NotStringArray:
            raise self.error(
                "when using JSON array syntax, arrays must be comprised of strings only", line, col
            ) from None
        if items is not None:
            return items, True
        if to_list:
            return w.split_whitespace(rest), False
        return ([rest] if rest else []), False

    def _name_val(self, keyword: str, rest: str, line: int, col: int) -> list[str]:
        words = w.parse_words(rest, self.escape)
        if not words:
            return []
        if "=" not in words[0]:
            parts = w.split_whitespace_once(rest)
            if len(parts) < 2:
                raise self.error(f"{keyword} must have two arguments", line, col)
            return [parts[0], parts[1]]
        out: list[str] = []
        for word in words:
            if "=" not in word:
                raise self.error(
                    f'Syntax error - can\'t find = in "{word}". Must be of the form: name=value',
                    line,
                    col,
                )
            k, v = word.split("=", 1)
            out += [k, v]
        return out

    def _health(self, rest: str, line: int, col: int) -> tuple[list[str], bool]:
        sep = 0
        while sep < len(rest) and not w.is_space(rest[sep]):
            sep += 1
        nxt = sep
        while nxt < len(rest) and w.is_space(rest[nxt]):
            nxt += 1
        if sep == 0:
            return [], False
        typ = rest[:sep]
        cmd, json_form = self._maybe_json(rest[nxt:], line, col, to_list=False)
        upper = typ.upper()
        if upper == "NONE":
            if cmd:
                raise self.error("HEALTHCHECK NONE takes no arguments", line, col)
        elif upper == "CMD":
            if not cmd:
                raise self.error("Missing command after HEALTHCHECK CMD", line, col)
        else:
            raise self.error(f'Unknown type "{typ}" in HEALTHCHECK (try CMD)', line, col)
        return [typ, *cmd], json_form

    def _check_counts(
        self, keyword: str, args: list[str], json_form: bool, line: int, col: int
    ) -> None:
        if keyword == "FROM":
            if len(args) not in (1, 3):
                raise self.error("FROM requires either one or three arguments", line, col)
            if len(args) == 3 and args[1].upper() != "AS":
                raise self.error(
                    f'FROM with three arguments expects "AS" as the second, found {args[1]!r}',
                    line,
                    col,
                )
        elif keyword in ("COPY", "ADD"):
            if len(args) < 2:
                raise self.error(f"{keyword} requires at least two arguments", line, col)
        elif keyword == "SHELL":
            if not json_form:
                raise self.error("SHELL requires the arguments to be in JSON form", line, col)
            if not args:
                raise self.error("SHELL requires at least one argument", line, col)
        elif keyword in ("CMD", "ENTRYPOINT") or (keyword == "RUN" and json_form):
            return
        elif not args:
            raise self.error(f"{keyword} requires at least one argument", line, col)


class _Fields(Record):
    __slots__ = (
        "args",
        "column",
        "flags",
        "inner",
        "json",
        "keyword",
        "original",
        "raw_keyword",
        "rest",
        "start_line",
    )

    keyword: str
    raw_keyword: str
    start_line: int
    column: int
    original: str
    rest: str
    flags: tuple[Flag, ...]
    args: tuple[str, ...]
    json: bool
    inner: _Fields | None

    def __init__(
        self,
        keyword: str,
        raw_keyword: str,
        start_line: int,
        column: int,
        original: str,
        rest: str,
        flags: tuple[Flag, ...],
        args: tuple[str, ...],
        json: bool,
        inner: _Fields | None,
    ) -> None:
        Record.__init__(
            self,
            keyword=keyword,
            raw_keyword=raw_keyword,
            start_line=start_line,
            column=column,
            original=original,
            rest=rest,
            flags=flags,
            args=args,
            json=json,
            inner=inner,
        )


def _can_contain_heredoc(f: _Fields) -> bool:
    target = f.inner if f.inner is not None else f
    return target.keyword in ("RUN", "COPY", "ADD") and not target.json


def _finish(
    f: _Fields,
    heredocs: list[Heredoc],
    comments: list[Comment],
    source: str,
    end_line: int,
    escape: str,
) -> Instruction:
    original = f.original
    # BuildKit appends heredoc bodies to the node text, except for ONBUILD's.
    if heredocs and f.keyword != "ONBUILD":
        original += "\n" + "".join(h.body + h.delimiter + "\n" for h in heredocs)
    inner = None
    if f.inner is not None:
        inner = _finish(f.inner, heredocs, [], "", end_line, escape)
        inner = Instruction(
            inner.keyword, inner.raw_keyword, inner.start_line, inner.end_line, inner.column,
            original, inner.rest, inner.flags, inner.args, inner.json, inner.heredocs, inner.inner,
            (), "",
            escape,
        )  # fmt: skip
    return Instruction(
        keyword=f.keyword,
        raw_keyword=f.raw_keyword,
        start_line=f.start_line,
        end_line=end_line,
        column=f.column,
        original=original,
        rest=f.rest,
        flags=f.flags,
        args=f.args,
        json=f.json,
        heredocs=tuple(heredocs),
        inner=inner,
        comments=tuple(comments),
        source=source,
        escape=escape,
    )


def _heredocs_from_line(line: str) -> list[tuple[str, bool, bool, int]]:
    """Heredoc markers on a logical line: (name, strip_tabs, quoted, fd)."""
    from dockwright.dockerfile.expand import lex_words

    out: list[tuple[str, bool, bool, int]] = []
    for word in lex_words(line, raw=True):
        m = _HEREDOC_RE.match(word)
        if m is None:
            continue
        fd = int(m.group(1)) if m.group(1) else 0
        rest = word[len(m.group(1)) + 2 + len(m.group(2)) :]
        cooked = lex_words(rest, raw=False)
        if len(cooked) != 1:
            continue
        raw = lex_words(rest, raw=True)
        name = cooked[0]
        quotes = name.count("'") + name.count('"')
        raw_quotes = raw[0].count("'") + raw[0].count('"') if raw else quotes
        out.append((name, m.group(2) == "-", quotes != raw_quotes, fd))
    return out
