"""Minimal-diff edits: replace one node's source text, keep every other byte."""

from __future__ import annotations

from dockwright.dockerfile.model import Dockerfile, Node
from dockwright.dockerfile.parser import parse


def replace_node(df: Dockerfile, node: Node, new_source: str) -> Dockerfile:
    """A new Dockerfile where ``node``'s lines read ``new_source`` (its line ending included).

    The result is parsed again, so an edit that breaks the file raises DockerfileParseError.
    """
    index = next((i for i, n in enumerate(df.nodes) if n is node), None)
    if index is None:
        raise ValueError("the node is not part of this Dockerfile")
    before = "".join(n.source for n in df.nodes[:index])
    after = "".join(n.source for n in df.nodes[index + 1 :])
    prefix = "\ufeff" if df.bom else ""
    return parse(prefix + before + new_source + after, df.path)
