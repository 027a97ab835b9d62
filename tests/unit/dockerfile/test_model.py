from __future__ import annotations

from dockwright.dockerfile import Comment, Directive, parse


def test_instruction_fields() -> None:
    df = parse(
        "# syntax=docker/dockerfile:1\n"
        "FROM a\n"
        "  run --mount=type=cache,target=/root/.cache \\\n"
        "   # inside\n"
        "    --network=none pip install x\n"
    )
    run = df.instructions[1]
    assert (run.keyword, run.raw_keyword, run.start_line, run.end_line, run.column) == (
        "RUN",
        "run",
        3,
        5,
        3,
    )
    assert [(f.name, f.value, f.line, f.column) for f in run.flags] == [
        ("mount", "type=cache,target=/root/.cache", 3, 7),
        ("network", "none", 5, 5),
    ]
    assert run.flag("network") is not None and run.flag("link") is None
    assert run.args == ("pip install x",)
    assert [c.text for c in run.comments] == [" inside"]
    assert isinstance(df.nodes[0], Directive) and df.nodes[0].value == "docker/dockerfile:1"


def test_heredocs() -> None:
    df = parse('FROM a\nRUN <<-"EOT" bash\n\techo $HOME\n\tEOT\nCOPY 2<<X /x\nbody\nX\n')
    run, copy = df.instructions[1:]
    (h,) = run.heredocs
    assert (h.delimiter, h.strip_tabs, h.quoted, h.fd, h.start_line, h.end_line) == (
        "EOT",
        True,
        True,
        0,
        3,
        4,
    )
    assert h.body == "\techo $HOME\n" and h.content == "echo $HOME\n"
    assert copy.heredocs[0].fd == 2 and not copy.heredocs[0].quoted


def test_escape_directive_backtick() -> None:
    df = parse("# escape=`\nFROM a\nRUN dir C:\\ `\n  /s\n")
    assert df.escape == "`"
    assert df.instructions[1].args == ("dir C:\\   /s",)


def test_escape_directive_only_in_leading_block() -> None:
    df = parse("# hello\n# escape=`\nFROM a\nRUN a `\nRUN b\n")
    assert df.escape == "\\"
    assert isinstance(df.nodes[1], Comment)
    assert [i.start_line for i in df.instructions] == [3, 4, 5]


def test_onbuild_wraps_inner_instruction() -> None:
    df = parse("FROM a\nONBUILD COPY --from=b x y\n")
    ob = df.instructions[1]
    assert ob.inner is not None and ob.inner.keyword == "COPY"
    assert ob.effective.flag("from") is not None and ob.inner.column == 9
    assert ob.args == ("x", "y")


def test_env_pairs_both_forms() -> None:
    df = parse('FROM a\nENV a=1 b="2 3"\nENV legacy the rest\n')
    assert df.instructions[1].pairs == (("a", "1"), ("b", '"2 3"'))
    assert df.instructions[2].pairs == (("legacy", "the rest"),)


def test_replace_node_keeps_other_bytes() -> None:
    from dockwright.dockerfile import replace_node

    text = "\ufeff# c\r\nFROM a:1 AS b\r\nRUN x \\\r\n  y\r\n"
    df = parse(text)
    new = replace_node(df, df.instructions[0], "FROM a:2 AS b\r\n")
    assert new.render() == text.replace("a:1", "a:2")
    assert new.stages[0].image == "a:2"
