"""``dockwright test``: container-structure-test configs against an image, with CST's flags."""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from dockwright.structure.config import StructureConfig

HELP = "run container-structure-test configs (schema 2.0.0) against an image"
OUTPUTS = ("text", "json", "junit")


def configure(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("-i", "--image", help="image to test: a daemon image (name or id), or for --driver tar "
        "a `docker save` archive or an OCI layout (directory or tar)")  # fmt: skip
    add("-c", "--config", action="append", required=True, metavar="FILE",
        help="structure test config (.yaml, .yml or .json); repeatable")  # fmt: skip
    add("-d", "--driver", default="docker", choices=("docker", "tar", "host"),
        help="where tests run (default docker)")  # fmt: skip
    add("--metadata", metavar="FILE", help="image config JSON (host driver only)")
    add("-f", "--force", action="store_true", help="run the host driver without asking")
    add("--platform", metavar="OS/ARCH", help="the platform the image must have (and pull)")
    add("--pull", action="store_true", help="pull the image before testing (docker driver)")
    add("--save", action="store_true", help="keep the containers and images tests create")
    add("--runtime", metavar="NAME", help="container runtime for command tests (e.g. runsc)")
    add("-o", "--output", default="text", metavar="FORMAT", help="text, json or junit")
    add("-j", "--json", action="store_true", help=argparse.SUPPRESS)  # CST's deprecated alias
    add("--test-report", metavar="FILE", help="write the report to FILE (json or junit)")
    add("--junit-suite-name", default="container-structure-test.test", metavar="NAME")
    add("-q", "--quiet", action="store_true", help="do not print the report")
    add("--no-color", action="store_true", help="plain text output")
    add("-v", "--verbosity", metavar="LEVEL", help=argparse.SUPPRESS)  # accepted for CST
    add("--timeout", type=float, default=600.0, metavar="SECONDS",
        help="per command test; a test still running is killed and fails (default 600; a "
        "test's own `timeout:` key wins)")  # fmt: skip
    add("--jobs", type=int, default=4, metavar="N", help="tests run at once (default 4)")
    add("--exec-path", choices=("auto", "runc", "engine"), default=None,
        help="docker driver: run command tests with runc on the image's layers, or through the "
        "engine (default auto: runc when it can do what the engine does; env "
        "DOCKWRIGHT_EXEC_PATH)")  # fmt: skip


def _validate(args: argparse.Namespace) -> str:
    from dockwright.errors import UsageError

    output = "json" if args.json else args.output
    if output not in OUTPUTS:
        raise UsageError(
            f"unsupported format {output}: please select from `text`, `json`, or `junit`"
        )
    if args.driver == "host":
        if not args.metadata:
            raise UsageError("--metadata is required for the host driver")
        if args.image:
            raise UsageError("--image cannot be used with the host driver")
    else:
        if not args.image:
            raise UsageError("--image is required")
        if args.metadata:
            raise UsageError("--metadata can only be used with the host driver")
    if args.pull and args.driver != "docker":
        raise UsageError("--pull only works with the docker driver")
    if args.timeout <= 0:
        raise UsageError(f"--timeout: expected a positive number of seconds, found {args.timeout}")
    if args.jobs < 1:
        raise UsageError(f"--jobs: expected at least 1, found {args.jobs}")
    return output


def _load_all(args: argparse.Namespace, output: str) -> list[StructureConfig]:
    """Every config, or one ConfigError with the problems of every bad file; asked for a JSON or
    JUnit report, that report names them too (the message still goes to stderr)."""
    from dockwright.errors import ConfigError, Problem
    from dockwright.structure.config import load_config
    from dockwright.structure.report import render_config_error

    configs, problems = [], list[Problem]()
    for path in args.config:
        try:
            configs.append(load_config(path))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if not problems:
        return configs
    error = ConfigError.of(problems)
    if output in ("json", "junit"):
        text = render_config_error(error, output, args.junit_suite_name)
        if args.test_report:
            with open(args.test_report, "w", encoding="utf-8") as handle:
                handle.write(text)
        elif not args.quiet:
            sys.stdout.write(text)
    raise error


def _confirm_host() -> bool:
    sys.stderr.write("The host driver runs the command tests on this machine. Continue? (y/N) ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    import tempfile

    from dockwright.structure.drivers import (
        ArchiveDriver,
        DockerDriver,
        Driver,
        HostDriver,
        exec_path_setting,
    )
    from dockwright.structure.report import render
    from dockwright.structure.runner import RunSettings, run_configs

    output = _validate(args)
    if args.test_report and output == "text":
        print("dockwright: warning: --test-report cannot be text; writing json", file=sys.stderr)
        output = "json"
    configs = _load_all(args, output)  # bad files fail before anything runs
    settings = RunSettings(
        timeout=args.timeout,
        workers=args.jobs,
        platform=args.platform,
        runtime=args.runtime,
        save=args.save,
        exec_path=exec_path_setting(args.exec_path) if args.driver == "docker" else "engine",
    )
    driver: Driver
    with tempfile.TemporaryDirectory(prefix="dockwright-test-") as scratch:
        if args.driver == "host":
            if not args.force and not _confirm_host():
                print("dockwright: aborted by user", file=sys.stderr)
                return 1
            driver = HostDriver(args.metadata, settings)
            report = run_configs(driver, configs, settings)
        elif args.driver == "tar" and os.path.exists(args.image):
            report = run_configs(ArchiveDriver(args.image, settings), configs, settings)
        else:
            from dockwright.engine.select import open_engine

            with open_engine() as engine:
                if args.driver == "tar":  # a daemon image: stream `docker save` to scratch
                    saved = os.path.join(scratch, "image.tar")
                    with open(saved, "wb") as handle:
                        engine.save(args.image, handle)
                    driver = ArchiveDriver(saved, settings)
                else:
                    if args.pull:
                        engine.pull(args.image, platform=args.platform)
                    driver = DockerDriver(engine, args.image, settings)
                report = run_configs(driver, configs, settings)
    color = output == "text" and not args.no_color and sys.stdout.isatty()
    color = color and "NO_COLOR" not in os.environ
    verbose = (args.verbosity or "").lower() in ("info", "debug", "trace")
    if verbose and report.exec_path:
        print(f"dockwright: command tests ran through {report.exec_path}", file=sys.stderr)
    text = render(report, output, color=color, suite=args.junit_suite_name, verbose=verbose)
    if args.test_report:
        with open(args.test_report, "w", encoding="utf-8") as handle:
            handle.write(text)
    elif not args.quiet:
        sys.stdout.write(text)
    return 0 if report.ok else 1
