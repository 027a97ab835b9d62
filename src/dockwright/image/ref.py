"""Image references and digests, parsed with Docker's reference grammar, and Docker Hub's names.

``ImageRef.parse("busybox")`` normalises like ``docker`` does (``docker.io/library/busybox``);
``str()`` gives back the familiar short form and ``.canonical`` the fully qualified one.

Docker Hub goes by several names; this module is the one place that knows them: images say
``docker.io`` (or the legacy ``index.docker.io``) and official images live under ``library/``,
its API answers at ``registry-1.docker.io``, and ``docker login`` keeps its credentials under
``https://index.docker.io/v1/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockwright.errors import UsageError

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
# Where Docker Hub's distribution API (/v2/) answers, whichever of its names an image uses.
HUB_API_HOST = "registry-1.docker.io"
# The server key under which `docker login` stores Docker Hub's credentials in config.json.
HUB_INDEX_SERVER = "https://index.docker.io/v1/"
_HUB_HOSTS = frozenset({DEFAULT_DOMAIN, LEGACY_DOMAIN, HUB_API_HOST})
NAME_TOTAL_MAX = 255

# Grammar from distribution/reference (regexp.go), written once here.
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|{_IPV6})"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

_PATH_RE = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_DOMAIN_RE = re.compile(_DOMAIN)
_TAG_RE = re.compile(_TAG)
_ALGORITHM_RE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*")
_HEX_RE = re.compile(r"[a-f0-9]+")
_IMAGE_ID_RE = re.compile(r"[a-f0-9]{64}")
_DIGEST_RE = re.compile(_DIGEST)

# Registered algorithms have a fixed encoded length (opencontainers/go-digest).
_ALGORITHM_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128}


def is_docker_hub(host: str) -> bool:
    """Whether ``host`` is one of Docker Hub's names (``docker.io``, ``index.docker.io``, its
    API host)."""
    return host in _HUB_HOSTS


def registry_host(host: str) -> str:
    """The name of the registry ``host`` stands for: ``docker.io`` for any of Docker Hub's."""
    return DEFAULT_DOMAIN if host in _HUB_HOSTS else host


def api_host(domain: str) -> str:
    """The host that serves a registry's ``/v2/`` API: Docker Hub's lives elsewhere."""
    return HUB_API_HOST if domain in _HUB_HOSTS else domain


def _bad(text: str, why: str) -> UsageError:
    return UsageError(f"invalid image reference {text!r}: {why}")


@dataclass(frozen=True, order=True)
class Digest:
    """A content digest ``algorithm:hex`` (e.g. ``sha256:`` + 64 lower-case hex digits)."""

    algorithm: str
    hex: str

    @classmethod
    def parse(cls, text: str) -> Digest:
        algorithm, sep, encoded = text.partition(":")
        if not sep:
            raise UsageError(f"invalid digest {text!r}: expected ALGORITHM:HEX, found no ':'")
        if not _ALGORITHM_RE.fullmatch(algorithm):
            raise UsageError(
                f"invalid digest {text!r}: expected a lower-case algorithm such as sha256, "
                f"found {algorithm!r}"
            )
        if not _HEX_RE.fullmatch(encoded):
            raise UsageError(
                f"invalid digest {text!r}: expected lower-case hex digits after ':', "
                f"found {encoded!r}"
            )
        want = _ALGORITHM_HEX_LENGTH.get(algorithm)
        if want is not None and len(encoded) != want:
            raise UsageError(
                f"invalid digest {text!r}: {algorithm} needs {want} hex digits, "
                f"found {len(encoded)}"
            )
        if want is None and len(encoded) < 32:
            raise UsageError(
                f"invalid digest {text!r}: expected at least 32 hex digits, found {len(encoded)}"
            )
        return cls(algorithm, encoded)

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.hex}"


@dataclass(frozen=True)
class ImageRef:
    """A normalised image reference: ``domain/path[:tag][@digest]``.

    ``domain`` is always set (``docker.io`` when the reference names none) and ``path`` carries
    the ``library/`` prefix for official Docker Hub images, as in Docker's normalised names.
    """

    domain: str
    path: str
    tag: str | None = None
    digest: Digest | None = None

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        """Parse ``text`` like ``docker`` does (ParseNormalizedNamed); UsageError if invalid."""
        if not text:
            raise _bad(text, "expected NAME[:TAG][@DIGEST], found an empty string")
        if _IMAGE_ID_RE.fullmatch(text):
            raise _bad(
                text, "expected a repository name, found a 64-digit image id (use it directly)"
            )
        rest, at, digest_text = text.partition("@")
        digest: Digest | None = None
        if at:
            if not _DIGEST_RE.fullmatch(digest_text):
                raise _bad(text, f"expected ALGORITHM:HEX after '@', found {digest_text!r}")
            try:
                digest = Digest.parse(digest_text)
            except UsageError as exc:
                raise _bad(text, str(exc)) from None
        # A tag is after the last ':' that follows the last '/' (a ':' before it is a port).
        tag: str | None = None
        colon = rest.rfind(":")
        if colon > rest.rfind("/"):
            rest, tag = rest[:colon], rest[colon + 1 :]
            if not _TAG_RE.fullmatch(tag):
                raise _bad(
                    text,
                    "expected a tag of letters, digits, '_', '.' and '-' (at most 128, not "
                    f"starting with '.' or '-'), found {tag!r}",
                )
        domain, path = _split_domain(rest)
        if not _DOMAIN_RE.fullmatch(domain):
            raise _bad(text, f"expected a registry host[:port], found {domain!r}")
        if not path:
            raise _bad(text, "expected a repository name, found none")
        if not _PATH_RE.fullmatch(path):
            if _PATH_RE.fullmatch(path.lower()):
                raise _bad(text, f"repository name must be lower-case, found {path!r}")
            raise _bad(
                text,
                "expected path components of lower-case letters and digits separated by "
                f"'.', '_', '__' or '-', found {path!r}",
            )
        if len(domain) + 1 + len(path) > NAME_TOTAL_MAX:
            raise _bad(text, f"repository name longer than {NAME_TOTAL_MAX} characters")
        return cls(domain, path, tag, digest)

    @property
    def repository(self) -> str:
        """The fully qualified repository name, ``domain/path``."""
        return f"{self.domain}/{self.path}"

    @property
    def familiar_repository(self) -> str:
        """The repository as users write it (``busybox``, ``acme/app``, ``ghcr.io/x/y``)."""
        if self.domain == DEFAULT_DOMAIN:
            path = self.path
            if path.startswith(OFFICIAL_PREFIX) and path.count("/") == 1:
                path = path[len(OFFICIAL_PREFIX) :]
            return path
        return self.repository

    @property
    def canonical(self) -> str:
        """The fully qualified form, ``docker.io/library/busybox:1.35``."""
        return self.repository + self._suffix()

    def with_tag(self, tag: str) -> ImageRef:
        if not _TAG_RE.fullmatch(tag):
            raise UsageError(f"invalid tag {tag!r}: expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}")
        return ImageRef(self.domain, self.path, tag, None)

    def with_default_tag(self) -> ImageRef:
        """Add ``latest`` when there is neither tag nor digest, as ``docker pull`` does."""
        if self.tag is None and self.digest is None:
            return ImageRef(self.domain, self.path, "latest", None)
        return self

    def _suffix(self) -> str:
        out = f":{self.tag}" if self.tag is not None else ""
        if self.digest is not None:
            out += f"@{self.digest}"
        return out

    def __str__(self) -> str:
        return self.familiar_repository + self._suffix()


def _split_domain(name: str) -> tuple[str, str]:
    first, slash, remainder = name.partition("/")
    if not slash or (
        not any(c in first for c in ".:") and first != "localhost" and first.lower() == first
    ):
        domain, path = DEFAULT_DOMAIN, name
    else:
        domain, path = first, remainder
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = OFFICIAL_PREFIX + path
    return domain, path
