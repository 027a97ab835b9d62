from __future__ import annotations

from pathlib import Path

from dockwright.dockerfile import Blank, Comment, Directive, Instruction, parse, parse_bytes


def test_corpus_round_trips_byte_for_byte(corpus_file: Path) -> None:
    data = corpus_file.read_bytes()
    df = parse_bytes(data, path=str(corpus_file))
    assert df.render().encode("utf-8") == data


def test_nodes_cover_every_line_in_order(corpus_file: Path) -> None:
    text = corpus_file.read_bytes().decode("utf-8").lstrip("\ufeff")
    df = parse(text)
    expected = 1
    for node in df.nodes:
        if isinstance(node, Instruction):
            assert node.start_line == expected
            expected = node.end_line + 1
        else:
            assert isinstance(node, Comment | Directive | Blank)
            assert node.line == expected
            expected += 1
    assert expected - 1 == len(text.splitlines()) or text == ""


def test_empty_and_comment_only_files_parse() -> None:
    assert parse("").render() == ""
    df = parse("# only a comment\n\n")
    assert df.instructions == ()
    assert [c.text for c in df.comments] == [" only a comment"]


def test_bom_is_kept_and_not_part_of_first_instruction() -> None:
    df = parse("\ufeffFROM a\n")
    assert df.bom
    assert df.instructions[0].keyword == "FROM"
    assert df.instructions[0].column == 1
    assert df.render() == "\ufeffFROM a\n"
