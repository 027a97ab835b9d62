"""``dockwright config``: check dockwright.yaml, or print its JSON Schema for editors.

``validate [FILE]`` reports every problem of the file at once (file, line, key path), as
``run`` would before doing anything, and exits 2 when there is one. ``schema`` prints the
JSON Schema (draft 2020-12) made from the same schema the loader checks with; point an editor
at it, e.g. ``# yaml-language-server: $schema=dockwright.schema.json``.
"""

from __future__ import annotations

import argparse

HELP = "validate dockwright.yaml, or print its JSON Schema"
SCHEMA_ID = "https://dockwright.dev/schema/dockwright.schema.json"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate", help="check a dockwright.yaml: every problem at once, exit 2 if any"
    )
    validate.add_argument("file", nargs="?", metavar="FILE", help="default: ./dockwright.yaml")
    actions.add_parser("schema", help="print the JSON Schema of dockwright.yaml")


def schema_text() -> str:
    import json

    from dockwright.config.jsonschema import json_schema_document
    from dockwright.pipeline.config import CONFIG

    document = json_schema_document(CONFIG, title="dockwright.yaml", id_=SCHEMA_ID)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.pipeline.config import CONFIG_NAME, load_config

    if args.action == "schema":
        sys.stdout.write(schema_text())
        return 0
    path = Path(args.file or CONFIG_NAME)
    if not args.file and not path.is_file():
        raise UsageError(f"no {CONFIG_NAME} here; pass FILE")
    config = load_config(path)
    jobs = sum(len(w.jobs) for w in config.workflows.values())
    workflows = (
        f"{len(config.workflows)} workflows, {jobs} jobs"
        if config.workflows
        else "the default workflow"
    )
    print(f"{path}: valid ({len(config.images)} images, {workflows})")
    return 0
