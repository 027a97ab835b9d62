"""``dockwright update``: bring FROM images, their digests and annotated version ARGs up to
date (Renovate's Dockerfile manager and ``dockerfileVersions`` preset), changing only the
version and digest characters.

Exit codes: 0 done (whether or not files changed), so ``dockwright update && dockwright run``
builds, tests and publishes what was updated; with ``--dry-run`` 1 when updates are
available (as ``black --check`` or ``git diff --exit-code``); with ``--exit-code`` 1 also
when files were changed. A lookup that failed (a registry down, a package gone) makes it 1
after the other updates were made; a bad config, flag or Dockerfile 2.
"""

from __future__ import annotations

import argparse

HELP = "bump FROM tags and digests and annotated version ARGs (Renovate-style)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="Dockerfiles to update; default: the images of dockwright.yaml, else ./Dockerfile",
    )
    parser.add_argument("-c", "--config", metavar="FILE", help="default: ./dockwright.yaml")
    parser.add_argument(
        "--dry-run", action="store_true", help="print a unified diff, change nothing"
    )
    parser.add_argument(
        "--commit",
        action="store_true",
        help="a git commit per update (or per group of `update.rules`), listing old -> new",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--policy",
        choices=("patch", "minor", "major", "digest"),
        help="the largest update allowed (default: update.policy, else minor)",
    )
    parser.add_argument(
        "--pin-digests",
        action="store_true",
        default=None,
        help="write image:tag@sha256:... and keep the digests current",
    )
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when files were changed")


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import json
    import os
    import sys
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.pipeline.config import find_config, load_config
    from dockwright.update.commit import commit_updates
    from dockwright.update.datasources import datasources
    from dockwright.update.plan import plan
    from dockwright.update.report import describe, diff, to_json
    from dockwright.update.session import (
        Clients,
        config_source,
        find,
        rewritten,
        targets,
        write,
    )
    from dockwright.update.settings import UpdateSettings

    if args.dry_run and args.commit:
        raise UsageError("--dry-run and --commit exclude each other")
    config_path = Path(args.config) if args.config else find_config(Path("."))
    config = load_config(config_path) if config_path is not None else None
    yaml_source = config_source(config.path, config.images.values()) if config else None
    settings = config.update if config else UpdateSettings()
    overrides: dict[str, object] = {}
    if args.policy:
        overrides["policy"] = args.policy
    if args.pin_digests:
        overrides["pin_digests"] = True
    registries = {**(yaml_source.registries if yaml_source else {}), **settings.registries}
    settings = dataclasses.replace(settings, registries=registries, **overrides)  # type: ignore[arg-type]

    found = find(targets(args.files, yaml_source), yaml_source)
    clients = Clients(settings.registries)
    sources = datasources(clients, urls=settings.datasources, env=os.environ)
    try:
        result = plan(found.deps, settings, sources)
    finally:
        for source in sources.values():
            source.close()
        clients.close()
    new_texts = rewritten(found, result)
    if args.commit and result.updates:
        commit_updates(
            Path.cwd(),
            found.texts,
            result.updates,
            by_group=True,
            write=lambda file, text: write(found, file, text),
        )
    elif not args.dry_run:
        for file, text in new_texts.items():
            write(found, file, text)

    if args.format == "json":
        doc = to_json(result, written=not args.dry_run)
        if args.dry_run:
            doc["diff"] = diff(found.texts, new_texts)
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    elif args.dry_run:
        sys.stdout.write(diff(found.texts, new_texts))
    else:
        verb = "committed" if args.commit else "updated"
        for u in result.updates:
            print(f"{verb} {describe(u)}")
        if not result.updates:
            print("everything is up to date")
    for outcome in result.failed:
        print(
            f"dockwright: warning: {outcome.dependency.where}: {outcome.dependency.name}: "
            f"{outcome.reason}",
            file=sys.stderr,
        )
    if result.failed:
        return 1
    if result.changed and (args.dry_run or args.exit_code):
        return 1
    return 0
