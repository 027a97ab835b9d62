"""The one exception tree of dockwright.

Every failure the library reports derives from :class:`DockwrightError`; the CLI maps
each branch to an exit code and never shows a traceback for them::

    DockwrightError
    ├── UsageError                  exit 2: bad input from the user
    │   ├── ConfigError             a config file (dockwright.yaml, structure test, .hadolint.yaml)
    │   ├── DockerfileParseError    a Dockerfile that does not parse (file, line, column)
    │   └── LintPluginError         a lint rule plugin cannot be loaded or reuses a code
    ├── CommandError                a subprocess failed (argv, exit code, stderr)
    │   └── CommandTimeout          it ran past its deadline and was killed
    ├── LintIncomplete              exit 3: some rules or ShellCheck scripts could not check a file
    ├── EngineError                 exit 1: the container engine
    │   ├── ApiError                the Engine API answered with an error status
    │   ├── DaemonUnavailable       no daemon answers on the socket
    │   ├── BuildFailed             the build failed (carries the build log)
    │   ├── PathNotFound            a path is missing from a container's filesystem
    │   ├── RuntimeUnsupported      the OCI runtime path cannot reproduce a run (use the API)
    │   └── ImageNotFound
    ├── RegistryError               exit 1: a registry
    │   ├── AuthError               credentials refused or missing
    │   │   └── CredentialHelperError   a docker-credential-* helper failed
    │   ├── RegistryUnavailable     no answer (connection refused/reset, timeout), after retries
    │   ├── TLSVerifyError          the registry's certificate is not trusted
    │   ├── RateLimited             429 Too Many Requests, after retries
    │   ├── BlobUploadError         a blob upload or mount was refused
    │   ├── ManifestRejected        a manifest PUT was refused (e.g. a blob is missing)
    │   └── VerificationError       a published tag does not resolve to what was pushed
    ├── DatasourceError             exit 1: a package API `dockwright update` asks (GitHub, PyPI,
    │                               npm) failed or does not know the package
    └── PipelineError               exit 1: a step of `dockwright run` failed

Anything else that escapes is a bug: exit 3 with a trace.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence


class DockwrightError(Exception):
    """Root of every error dockwright raises on purpose."""

    exit_code = 3


class UsageError(DockwrightError):
    """The user gave input we cannot use."""

    exit_code = 2


class Problem:
    """One thing wrong in a config file: where (file, line, key path) and what was expected and
    found."""

    __slots__ = ("file", "key_path", "line", "message")

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key_path: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.key_path = key_path

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        at = f"at {self.key_path}: " if self.key_path else ""
        return f"{where}{at}{self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file or "", self.line or 0, self.key_path or "")


class ConfigError(UsageError):
    """A config file is invalid: every problem found, each naming the file, line and key path.

    ``ConfigError(message, file=..., line=..., key_path=...)`` is one problem;
    :meth:`of` gathers several. The message lists them one per line, sorted by file and line;
    ``message``, ``file``, ``line`` and ``key_path`` are those of the first.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key_path: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        if not problems:
            problems = (Problem(message, file=file, line=line, key_path=key_path),)
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        first = self.problems[0]
        self.message = first.message
        self.file = first.file
        self.line = first.line
        self.key_path = first.key_path
        super().__init__(self._render())

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> ConfigError:
        """One error for ``problems`` (at least one), duplicates dropped."""
        unique = list(dict.fromkeys(problems))
        return cls(unique[0].message, problems=unique)

    def _render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        files = {p.file for p in self.problems}
        where = f" in {self.problems[0].file}" if len(files) == 1 and None not in files else ""
        lines = [f"{len(self.problems)} problems{where}:"]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)


class DockerfileParseError(UsageError):
    """A Dockerfile does not parse."""

    def __init__(self, message: str, *, file: str, line: int, column: int) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(f"{file}:{line}:{column}: {message}")


class LintPluginError(UsageError):
    """A lint rule plugin (entry point group ``dockwright.lint_rules``) is unusable."""


class CommandError(DockwrightError):
    """A subprocess exited non-zero."""

    def __init__(self, argv: Sequence[str], returncode: int, stdout: str, stderr: str) -> None:
        self.argv = tuple(argv)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        tail = stderr.strip() or stdout.strip()
        super().__init__(
            f"command {self.argv[0]!r} exited with {returncode}"
            + (f": {tail[-2000:]}" if tail else "")
        )


class CommandTimeout(CommandError):
    """A subprocess ran past its deadline; it has been killed and reaped."""

    def __init__(
        self, argv: Sequence[str], timeout: float, stdout: str = "", stderr: str = ""
    ) -> None:
        super().__init__(argv, -1, stdout, stderr)
        self.timeout = timeout
        self.args = (f"command {self.argv[0]!r} timed out after {timeout:g} s and was killed",)


class LintIncomplete(DockwrightError):
    """Linting a file could not run every rule or ShellCheck script on it: a bug (in
    dockwright or a plugin rule), or ShellCheck failing or timing out. ``problems`` holds one
    line per problem, each naming the file."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{self.problems[0]}{more}")


class EngineError(DockwrightError):
    """The container engine failed."""

    exit_code = 1


class ApiError(EngineError):
    """The Engine API refused a request: ``status`` is the HTTP status, ``detail`` its message."""

    def __init__(self, what: str, status: int, detail: str) -> None:
        self.what = what
        self.status = status
        self.detail = detail
        super().__init__(f"{what}: API error ({status}): {detail}")


class DaemonUnavailable(EngineError):
    """No Docker daemon answers."""


class BuildFailed(EngineError):
    """A build failed; `log` holds the builder's output; `step`, `file`, `line` and `output`
    name the failing instruction and its last output lines when the log tells them."""

    def __init__(
        self,
        message: str,
        log: str = "",
        *,
        step: str = "",
        file: str = "",
        line: int | None = None,
        output: tuple[str, ...] = (),
    ) -> None:
        self.log = log
        self.step = step
        self.file = file
        self.line = line
        self.output = output
        super().__init__(message)


class PathNotFound(EngineError):
    """A path does not exist in a container's filesystem (the archive API's 404)."""


class RuntimeUnsupported(EngineError):
    """Running directly with the OCI runtime cannot reproduce what the engine would do (an
    option it does not implement, a user it cannot resolve, a start failure): use the engine."""


class ImageNotFound(EngineError):
    """The engine does not have the image."""


class RegistryError(DockwrightError):
    """A registry refused or failed a request."""

    exit_code = 1


class AuthError(RegistryError):
    """Credentials are missing or were refused."""


class CredentialHelperError(AuthError):
    """A ``docker-credential-*`` helper failed; never carries the helper's output."""


class RegistryUnavailable(RegistryError):
    """The registry did not answer (connection refused or reset, timeout), even after retries."""


class TLSVerifyError(RegistryError):
    """The registry's certificate could not be verified."""


class RateLimited(RegistryError):
    """The registry kept answering 429 Too Many Requests."""


class BlobUploadError(RegistryError):
    """A blob upload or cross-repository mount was refused."""


class ManifestRejected(RegistryError):
    """The registry refused a manifest (e.g. it names a blob the repository lacks)."""


class VerificationError(RegistryError):
    """After publishing, a tag does not resolve to the digest and image that were pushed."""


class DatasourceError(DockwrightError):
    """A package API (GitHub releases and tags, PyPI, npm) did not answer, answered with an
    error, or does not know the package. Image lookups go through a registry and raise
    :class:`RegistryError`."""

    exit_code = 1


class PipelineError(DockwrightError):
    """A step of the pipeline failed."""

    exit_code = 1
