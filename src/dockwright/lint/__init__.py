"""hadolint-compatible Dockerfile linter.

    config = LintConfig.from_mapping({"ignored": ["DL3008"], "failure-threshold": "warning"})
    findings = lint_path("Dockerfile", config)      # list[Finding], sorted by line
    failed(findings, config)                        # hadolint's exit status as a bool
    results = lint_files(["a/Dockerfile", "b/Dockerfile"], config)  # a FileResult each

Rules live one per module under ``dockwright.lint.rules``; ``dockwright.lint.codes.ENTRIES``
lists them, one entry per rule. ``engine.lint_files`` lints many files at once and gives
each one's findings and problems (a file it could not lint completely).
"""

from dockwright.lint.config import LintConfig, find_config, load_config
from dockwright.lint.engine import failed, lint_bytes, lint_dockerfile, lint_files, lint_path
from dockwright.lint.model import FileResult, Finding, Problem, Severity

__all__ = [
    "FileResult",
    "Finding",
    "LintConfig",
    "Problem",
    "Severity",
    "failed",
    "find_config",
    "lint_bytes",
    "lint_dockerfile",
    "lint_files",
    "lint_path",
    "load_config",
]
