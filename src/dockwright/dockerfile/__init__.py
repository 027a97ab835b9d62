"""Lossless Dockerfile parser and model.

    df = parse(text, path="Dockerfile")     # or parse_bytes(data, path=...)
    df.render() == text                     # always
    df.instructions, df.stages, df.comments, df.directives
    expand("${A:-x}", env)                  # BuildKit's variable expansion
    shell.parse_shell(text)                 # shell-command view of RUN text
    replace_node(df, node, "FROM x:2\n")    # minimal-diff edit, re-parsed

Every parse failure is a ``dockwright.errors.DockerfileParseError`` (file, line, column).
"""

from dockwright.dockerfile.edit import replace_node
from dockwright.dockerfile.expand import expand, expand_words
from dockwright.dockerfile.model import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    Node,
    Stage,
    build_stages,
)
from dockwright.dockerfile.parser import KEYWORDS, parse, parse_bytes
from dockwright.dockerfile.stages import environment_at

__all__ = [
    "KEYWORDS",
    "Blank",
    "Comment",
    "Directive",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "Instruction",
    "Node",
    "Stage",
    "build_stages",
    "environment_at",
    "expand",
    "expand_words",
    "parse",
    "parse_bytes",
    "replace_node",
]
