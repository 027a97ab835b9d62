"""Fuzz `dockwright lint`: mutated real Dockerfiles must give exit 0 or 1 and valid JSON,
and a batch must report for each file what linting that file alone reports.

Takes the real Dockerfiles of the corpus (bench/corpus.py; default
$DOCKWRIGHT_STATE/corpus/dockerfiles), mutates each (seeded) at the byte and token level:
truncation, deleted brackets and quotes, duplicated lines, heredoc markers with or without
their end, escape and other parser directives, CRLF and lone CR, NUL, bytes that are not
UTF-8 or a UTF-16 re-encoding, huge lines, deep JSON nesting, broken exec forms, stray
continuations. Then, per batch of files written to a temporary directory:

- `dockwright lint -f json FILE...` in this process (the CLI's ``main``): exit 0 or 1,
  a JSON array of findings whose files are the batch's, and nothing on stderr but
  ShellCheck running out of time on a script (see below);
- each file alone, the same way: exit 0 or 1, valid JSON, and the same findings as the
  batch gave for it;
- every ``--process-every``-th batch again as a real process (`python -m dockwright`),
  which must print what the in-process call printed and exit with the same code.

A failure saves the batch's files and what went wrong under ``--out`` and the run goes on.
ShellCheck runs with its result cache on, in a private directory, so the files checked
one by one reuse what the batch computed (the same scripts give the same comments).

ShellCheck itself takes minutes on some shapes of script (thousands of ``[`` or ``$A``,
tens of thousands of words: hadolint, which links ShellCheck, takes as long). The fuzz
gives it ``--shellcheck-timeout`` seconds; a script it does not finish in time is an
error on stderr for its file and the run fails (exit 1), which is the expected outcome,
counted apart. Since whether that happens depends on the machine's load, such a file's
ShellCheck findings are left out when the batch is compared with the file alone. Huge
lines of those shapes go mostly to instructions ShellCheck does not see, so that the
run checks our code rather than waiting on ShellCheck.

``--stub-shellcheck`` puts a stand-in in ShellCheck's place (one fixed comment per script,
at once): the run then checks dockwright's own parsing, rules, batching and output many
times faster than with the real ShellCheck.

    .venv/bin/python bench/lint_fuzz.py --files 100000 [--batch 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))
CORPUS = Path(os.environ.get("DOCKWRIGHT_CORPUS", STATE / "corpus")) / "dockerfiles"

BRACKETS_AND_QUOTES = b"[]{}()\"'"
HEREDOC_MARKERS = [b"<<EOF", b"<<-EOT", b'<<"X"', b"<<'END'", b"<<EOF <<EOT", b"<<", b"0<<A"]
DIRECTIVES = [
    b"# escape=`\n", b"# escape=\\\n", b"# escape=x\n", b"# syntax=docker/dockerfile:1\n",
    b"# check=skip=all\n", b"#escape=`\n# escape=\\\n", b"# hadolint shell=pwsh\n",
    b"# hadolint ignore=DL3008,SC2086\n", b"# hadolint global ignore=DL3006\n",
]  # fmt: skip
BROKEN_FORMS = [
    b'CMD ["a", "b"\n', b'RUN ["x\n', b'ENTRYPOINT ["\\u12"]\n', b"SHELL [\n", b"VOLUME [\n",
    b'HEALTHCHECK CMD ["a"\n', b'CMD ["a", 1]\n', b"RUN [NaN]\n", b'CMD ["\\ud800"]\n',
    b'COPY ["a", "b"\n', b"ONBUILD ONBUILD RUN x\n", b"FROM\n", b"ARG\n", b"ENV A\n",
    b"LABEL =\n", b"RUN <<EOF\n", b"COPY <<EOF /x\nbody\n", b"EXPOSE 99999999999999999999\n",
    b"USER :\n", b"WORKDIR \n", b"FROM a AS\n", b"COPY --from= a b\n", b"RUN --mount=type= x\n",
]  # fmt: skip
NOT_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf4\x90\x80\x80"]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One to four mutations of ``data``."""
    for _ in range(rng.randint(1, 4)):
        data = rng.choice(MUTATIONS)(data, rng, pool)
    return data


def _pos(data: bytes, rng: random.Random) -> int:
    return rng.randint(0, len(data))


def _line_starts(data: bytes) -> list[int]:
    return [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]


def truncate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    return data[: _pos(data, rng)]


def delete_bracket_or_quote(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    spots = [i for i, b in enumerate(data) if b in BRACKETS_AND_QUOTES]
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 3))), reverse=True):
        data = data[:i] + data[i + 1 :]
    return data


def insert_bracket_or_quote(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    i = _pos(data, rng)
    return data[:i] + bytes([rng.choice(BRACKETS_AND_QUOTES)]) + data[i:]


def duplicate_lines(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    lines = data.split(b"\n")
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 5))
    return b"\n".join(lines[:b] + lines[a:b] * rng.randint(1, 3) + lines[b:])


def delete_lines(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    lines = data.split(b"\n")
    a = rng.randrange(len(lines))
    return b"\n".join(lines[:a] + lines[a + rng.randint(1, 4) :])


def heredoc(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    starts = _line_starts(data)
    i = rng.choice(starts)
    end = data.find(b"\n", i)
    end = len(data) if end < 0 else end
    marker = rng.choice(HEREDOC_MARKERS)
    body = b""
    if rng.random() < 0.5:  # with a body and, mostly, its end
        name = marker.lstrip(b"0<-").strip(b"\"'").split(b" ")[0] or b"EOF"
        body = b"\necho body $X\n" + (name if rng.random() < 0.8 else b"")
    keyword = rng.choice([b"RUN cat ", b"RUN ", b"COPY ", b"ONBUILD RUN ", b""])
    return data[:end] + b"\n" + keyword + marker + body + data[end:]


def directive(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if rng.random() < 0.7:
        return rng.choice(DIRECTIVES) + data
    i = rng.choice(_line_starts(data))
    return data[:i] + rng.choice(DIRECTIVES) + data[i:]


def crlf(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if rng.random() < 0.5:
        return data.replace(b"\n", b"\r\n")
    i = _pos(data, rng)
    return data[:i] + rng.choice([b"\r", b"\r\n", b"\n\r"]) + data[i:]


def nul(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    i = _pos(data, rng)
    return data[:i] + b"\x00" * rng.randint(1, 3) + data[i:]


def not_utf8(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        try:
            return data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
        except UnicodeDecodeError:
            return data
    if roll < 0.25:
        return b"\xef\xbb\xbf" + data  # a BOM
    i = _pos(data, rng)
    return data[:i] + rng.choice(NOT_UTF8) + data[i:]


def huge_line(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    size = rng.choice([2_000, 20_000, 100_000])
    piece = rng.choice([b"a", b"x ", b"&& true ", b"$A", b"\\\n", b"[", b'"', b"'", b"`"])
    line = rng.choice([b"LABEL a=", b"ENV A=", b"CMD ", b"# ", b"COPY ", b"ARG A=", b"FROM "])
    if rng.random() < 0.15:  # a RUN, for ShellCheck: of a size and shape it copes with
        line = b"RUN "
        size = 20_000 if piece in (b"a", b"&& true ", b'"', b"'") else 200
    filler = (piece * (size // len(piece)))[:size]
    i = rng.choice(_line_starts(data))
    return data[:i] + line + filler + b"\n" + data[i:]


def deep_json(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    depth = rng.choice([50, 1000, 20_000])
    i = rng.choice(_line_starts(data))
    close = b"]" * depth if rng.random() < 0.5 else b""
    return (
        data[:i]
        + rng.choice([b"CMD ", b"RUN ", b"SHELL "])
        + b"[" * depth
        + close
        + b"\n"
        + data[i:]
    )


def broken_form(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    i = rng.choice(_line_starts(data))
    return data[:i] + rng.choice(BROKEN_FORMS) + data[i:]


def json_bracket(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """Drop the closing bracket or a quote of an existing exec form."""
    spots = [i for i in range(len(data) - 1) if data[i : i + 2] in (b'"]', b'",', b'["')]
    if not spots:
        return data
    i = rng.choice(spots)
    j = i + rng.randint(0, 1)
    return data[:j] + data[j + 1 :]


def continuation(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if rng.random() < 0.3:
        return data.rstrip(b"\n") + rng.choice([b" \\", b"\\", b" `", b"\\\n", b"\\\n\n"])
    i = _pos(data, rng)
    return data[:i] + rng.choice([b"\\\n", b" \\\n  ", b"\\ \n", b"\\\n#c\n", b"\\\r\n"]) + data[i:]


def splice(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """Lines of another file in the middle of this one."""
    other = rng.choice(pool).split(b"\n")
    a = rng.randrange(len(other))
    i = rng.choice(_line_starts(data))
    return data[:i] + b"\n".join(other[a : a + rng.randint(1, 10)]) + b"\n" + data[i:]


def flip_bytes(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def token(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """A token that means something to the parser or the rules, somewhere."""
    i = _pos(data, rng)
    words = [b"$", b"${", b"}", b"=", b"--", b"--from=", b"--mount=type=cache,target=/x ",
             b"|", b"&&", b";", b"#", b"ONBUILD ", b"\t", b"\x0b", b"\x0c", b"\xc2\xa0",
             b"\xe2\x80\xa8", b"\xe3\x80\x80"]  # fmt: skip
    return data[:i] + rng.choice(words) + data[i:]


MUTATIONS = [
    truncate, delete_bracket_or_quote, insert_bracket_or_quote, duplicate_lines, delete_lines,
    heredoc, directive, crlf, nul, not_utf8, huge_line, deep_json, broken_form, json_bracket,
    continuation, splice, flip_bytes, token,
]  # fmt: skip


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the CLI's ``main``; text a real process could not
    write as UTF-8 (a lone surrogate) makes the exit code -1."""
    from dockwright.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    try:
        out.getvalue().encode("utf-8")
        err.getvalue().encode("utf-8")
    except UnicodeEncodeError as exc:
        return -1, out.getvalue(), f"not writable as UTF-8: {exc}\n{err.getvalue()}"
    return code, out.getvalue(), err.getvalue()


def run_as_process(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    res = subprocess.run(
        [sys.executable, "-m", "dockwright", *argv], cwd=cwd, capture_output=True, timeout=600
    )
    return res.returncode, res.stdout.decode(errors="replace"), res.stderr.decode(errors="replace")


# Answers as ShellCheck does (-f json1), one comment per script, reading standard input.
STUB_SHELLCHECK = """#!/bin/sh
out='{"comments":['
sep=''
seen=''
for a in "$@"; do
  if [ -n "$seen" ]; then
    out="$out$sep{\\"file\\":\\"$a\\",\\"line\\":1,\\"column\\":1,\\"level\\":\\"info\\",\\"code\\":9999,\\"message\\":\\"stub\\"}"
    sep=','
  elif [ "$a" = "--" ]; then
    seen=1
  fi
done
[ "$a" = "-" ] && cat > /dev/null
printf '%s]}' "$out"
exit 1
"""


class Hang(BaseException):
    """The batch ran out of time (a BaseException: dockwright's per-file isolation must not
    take it for a bug of the file at hand)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


SC_OUT_OF_TIME = "timed out after"


def _sc_trouble(err: str) -> set[str]:
    """Files whose ShellCheck ran out of time (or gave up), from the stderr lines."""
    out = set()
    for line in err.splitlines():
        if line.startswith("dockwright: error: ") and ": ShellCheck on the RUN at line " in line:
            out.add(line[len("dockwright: error: ") :].split(": ShellCheck on the RUN", 1)[0])
    return out


def _unexpected_stderr(err: str) -> list[str]:
    """stderr lines other than ShellCheck running out of time and the summary line."""
    return [
        line
        for line in err.splitlines()
        if not (
            ": ShellCheck on the RUN at line " in line and line.startswith("dockwright: error:")
        )
        and not (line.startswith("dockwright: ") and "could not be linted completely" in line)
    ]


def _without_sc(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    return [f for f in findings if not str(f["code"]).startswith("SC")]


def check_batch(
    names: list[str], cwd: Path, as_process: bool, stats: dict[str, int]
) -> list[tuple[str, str]]:
    """(kind, detail) for everything wrong with this batch."""
    problems: list[tuple[str, str]] = []
    argv = ["lint", "-f", "json", "--no-color"]
    code, out, err = run_in_process([*argv, *names])
    trouble = _sc_trouble(err)
    stats["ShellCheck out of time (batch)"] = stats.get("ShellCheck out of time (batch)", 0) + len(
        trouble
    )
    if code not in (0, 1):
        problems.append(("exit code", f"batch exited {code}: {err[-3000:]}"))
    if _unexpected_stderr(err):
        problems.append(("stderr", f"batch wrote to stderr: {err[-3000:]}"))
    try:
        batch = json.loads(out)
        assert isinstance(batch, list)
    except (ValueError, AssertionError):
        problems.append(("invalid json", f"batch printed: {out[:2000]!r}"))
        return problems
    if {f["file"] for f in batch} - set(names):
        problems.append(("files", "findings name files that were not linted"))
    if as_process:
        p_code, p_out, p_err = run_as_process([*argv, *names], cwd)
        if trouble or _sc_trouble(p_err):
            if _without_sc(json.loads(p_out)) != _without_sc(batch) or p_code not in (0, 1):
                problems.append(("process", f"a real process gave {p_code}: {p_err[-3000:]}"))
        elif (p_code, p_out) != (code, out):
            problems.append(("process", f"a real process gave {p_code}: {p_err[-3000:]}"))
    for name in names:
        one_code, one_out, one_err = run_in_process([*argv, name])
        if one_code not in (0, 1) or _unexpected_stderr(one_err):
            problems.append(("exit code", f"{name} alone exited {one_code}: {one_err[-3000:]}"))
            continue
        try:
            alone = json.loads(one_out)
        except ValueError:
            problems.append(("invalid json", f"{name} alone printed {one_out[:2000]!r}"))
            continue
        mine = [f for f in batch if f["file"] == name]
        if name in trouble or _sc_trouble(one_err):
            alone, mine = _without_sc(alone), _without_sc(mine)
        if alone != mine:
            problems.append(("batch differs", f"{name}: alone {alone!r}\nin the batch {mine!r}"))
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000, help="mutated files to check")
    ap.add_argument("--batch", type=int, default=200, help="files per `dockwright lint` call")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--process-every", type=int, default=25, help="every n-th batch as a process")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds a batch may take")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--shellcheck-timeout", type=float, default=10.0)
    ap.add_argument("--stub-shellcheck", action="store_true", help="a fast stand-in for it")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "lint-fuzz")
    opts = ap.parse_args()

    sources = sorted(opts.corpus.glob("*/*"))
    if not sources:
        print(f"no Dockerfiles under {opts.corpus}: gather them with bench/corpus.py")
        return 2
    pool = [p.read_bytes() for p in sources]
    rng = random.Random(opts.seed)
    cache = Path(tempfile.mkdtemp(prefix="dockwright-fuzz-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache)  # the cache on, in a private place
    os.environ.pop("DOCKWRIGHT_CACHE", None)
    os.environ["NO_COLOR"] = "1"
    os.environ["DOCKWRIGHT_SHELLCHECK_TIMEOUT"] = str(opts.shellcheck_timeout)
    if opts.stub_shellcheck:
        stub = cache / "shellcheck"
        stub.write_text(STUB_SHELLCHECK)
        stub.chmod(0o755)
        os.environ["DOCKWRIGHT_SHELLCHECK"] = str(stub)
    stats: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)
    counts: dict[str, int] = {}
    failed_batches = 0
    done = 0
    started = time.monotonic()
    batch_no = 0
    try:
        while done < opts.files:
            n = min(opts.batch, opts.files - done)
            with tempfile.TemporaryDirectory(prefix="dockwright-fuzz-") as tmp:
                cwd = Path(tmp)
                names = []
                for i in range(n):
                    name = f"f{done + i}.Dockerfile"
                    (cwd / name).write_bytes(mutate(rng.choice(pool), rng, pool))
                    names.append(name)
                here = os.getcwd()
                os.chdir(cwd)
                signal.alarm(opts.timeout)
                try:
                    problems = check_batch(names, cwd, batch_no % opts.process_every == 0, stats)
                except Hang:
                    problems = [("hang", f"the batch took over {opts.timeout} s")]
                finally:
                    signal.alarm(0)
                    os.chdir(here)
                if problems:
                    failed_batches += 1
                    keep = opts.out / f"seed{opts.seed}-batch{batch_no}"
                    shutil.copytree(cwd, keep, dirs_exist_ok=True)
                    (keep / "PROBLEMS.txt").write_text(
                        "\n\n".join(f"[{k}] {d}" for k, d in problems), errors="replace"
                    )
                    for kind, _ in problems:
                        counts[kind] = counts.get(kind, 0) + 1
                    print(f"batch {batch_no}: {len(problems)} problem(s), kept in {keep}")
            done += n
            batch_no += 1
            if batch_no % 10 == 0:
                rate = done / (time.monotonic() - started)
                print(
                    f"{done} files, {failed_batches} failed batches, {rate:.0f} files/s", flush=True
                )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(
        f"checked {done} mutated files of {len(sources)} real Dockerfiles in {batch_no} batches "
        f"({'a stand-in for ShellCheck' if opts.stub_shellcheck else 'ShellCheck'}) "
        f"(seed {opts.seed}, {elapsed:.0f} s): {failed_batches} failed batches"
        + (f": {counts}" if counts else "")
        + f"; {stats}"
    )
    return 1 if failed_batches else 0


if __name__ == "__main__":
    raise SystemExit(main())
