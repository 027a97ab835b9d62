"""Registry credentials and where they come from: the environment variables a config names, or
Docker's ``config.json`` (``auths``, ``credsStore``, ``credHelpers``), read and written the way
``docker login`` does, with ``docker-credential-*`` helpers run through :mod:`dockwright.proc`.

Lookup order for a registry host (as the docker CLI): ``credHelpers[host]``, then ``credsStore``,
then ``auths`` (an entry whose key, stripped of scheme and path, is the host).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockwright.errors import AuthError, ConfigError, CredentialHelperError
from dockwright.image.ref import HUB_INDEX_SERVER, is_docker_hub, registry_host

# A helper answers this (or an exit code with it on stdout) when it has nothing for a server.
_NOT_FOUND = "credentials not found"
# The user name a helper stores for an identity (refresh) token.
_TOKEN_USER = "<token>"


@dataclass(frozen=True)
class BasicCredentials:
    """A user name and a password (or, from ``docker login`` to an OAuth registry, an identity
    token used as the refresh token of the Bearer flow). Secrets never show in ``repr``."""

    username: str
    password: str = field(repr=False)
    identity_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show the secret, even in tracebacks
        return f"BasicCredentials(username={self.username!r}, password=<hidden>)"

    def header(self) -> str:
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password, self.identity_token) if s)


def credentials_from_env(username_env: str, password_env: str, *, where: str) -> BasicCredentials:
    """Read credentials from the environment variables a config names; say which is missing."""
    missing = [name for name in (username_env, password_env) if not os.environ.get(name)]
    if missing:
        raise AuthError(
            f"{where}: credentials come from the environment variable"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which "
            f"{'are' if len(missing) > 1 else 'is'} not set"
        )
    return BasicCredentials(os.environ[username_env], os.environ[password_env])


def credentials_from_docker_config(
    host: str, config_dir: str | None = None
) -> BasicCredentials | None:
    """Credentials Docker's ``config.json`` holds for ``host`` (inline or through a helper)."""
    return DockerConfig.load(config_dir).credentials(host)


def config_dir(explicit: str | None = None) -> Path:
    return Path(explicit or os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")


def server_key(host: str) -> str:
    """The key ``docker login HOST`` stores credentials under (Docker Hub's, whatever name the
    image uses, is its v1 index URL)."""
    return HUB_INDEX_SERVER if is_docker_hub(host) else host


def hostname(key: str) -> str:
    """``https://host:port/v1/`` -> ``host:port`` (docker's convertToHostname)."""
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            key = key[len(scheme) :]
            break
    return registry_host(key.split("/", 1)[0])


@dataclass
class DockerConfig:
    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: str | None = None) -> DockerConfig:
        path = config_dir(directory) / "config.json"
        try:
            text = path.read_text()
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise ConfigError(
                f"cannot read Docker's config: {exc.strerror}", file=str(path)
            ) from exc
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise ConfigError(f"not valid JSON: {exc}", file=str(path)) from exc
        if not isinstance(data, dict):
            raise ConfigError(
                f"expected a JSON object, found {type(data).__name__}", file=str(path)
            )
        return cls(path, data)

    def _section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ConfigError(
                f"expected an object, found {type(value).__name__}",
                file=str(self.path),
                key_path=name,
            )
        return value

    def _auths(self) -> dict[str, Any]:
        auths = self._section("auths")
        self.data["auths"] = auths
        return auths

    def helper_for(self, host: str) -> str | None:
        """The credential helper (the part after ``docker-credential-``) for ``host``, if any."""
        helpers = self._section("credHelpers")
        for key, name in helpers.items():
            if hostname(key) == hostname(host) and isinstance(name, str) and name:
                return name
        store = self.data.get("credsStore")
        return store if isinstance(store, str) and store else None

    def credentials(self, host: str) -> BasicCredentials | None:
        helper = self.helper_for(host)
        if helper:
            found = helper_get(helper, server_key(host))
            if found is not None:
                return found
        for key, entry in self._section("auths").items():
            if hostname(key) != hostname(host) or not isinstance(entry, dict):
                continue
            creds = self._inline(key, entry)
            if creds is not None:
                return creds
        return None

    def _inline(self, key: str, entry: dict[str, Any]) -> BasicCredentials | None:
        raw_token = entry.get("identitytoken")
        token = raw_token if isinstance(raw_token, str) and raw_token else None
        auth = entry.get("auth")
        if isinstance(auth, str) and auth:
            try:
                user, sep, password = base64.b64decode(auth, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise ConfigError(
                    "expected base64 of USER:PASSWORD",
                    file=str(self.path),
                    key_path=f"auths.{key}.auth",
                ) from exc
            if not sep:
                raise ConfigError(
                    "expected base64 of USER:PASSWORD, found no ':' after decoding",
                    file=str(self.path),
                    key_path=f"auths.{key}.auth",
                )
            return BasicCredentials(user, password, identity_token=token)
        name, secret = entry.get("username"), entry.get("password")
        if isinstance(name, str) and isinstance(secret, str) and name:
            return BasicCredentials(name, secret, identity_token=token)
        if token:
            return BasicCredentials("", "", identity_token=token)
        return None

    def store(self, host: str, creds: BasicCredentials) -> str:
        """Save ``creds`` like ``docker login`` and say where (a helper's name or the file)."""
        key = server_key(host)
        helper = self.helper_for(host)
        if helper:
            helper_store(helper, key, creds)
            # docker keeps an empty entry so that `docker login` listings still show the server.
            self._auths()[key] = {}
            self.save()
            return f"the credential helper docker-credential-{helper}"
        auth = base64.b64encode(f"{creds.username}:{creds.password}".encode()).decode()
        self._auths()[key] = {"auth": auth}
        self.save()
        return str(self.path)

    def save(self) -> None:
        """Write atomically, readable by the owner only (it may hold passwords)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".config.json.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(self.data, out, indent="\t")
                out.write("\n")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def helper_get(helper: str, server: str) -> BasicCredentials | None:
    """``docker-credential-HELPER get`` with the server on stdin; None when it has nothing."""
    from dockwright import proc

    argv = [f"docker-credential-{helper}", "get"]
    try:
        result = proc.run(argv, input=server, check=False, timeout=60)
    except Exception as exc:  # CommandError for a missing helper; its text holds no secret
        raise CredentialHelperError(
            f"cannot run the credential helper docker-credential-{helper} for {server}: {exc}"
        ) from None
    if result.returncode != 0:
        if _NOT_FOUND in result.stdout.lower() or _NOT_FOUND in result.stderr.lower():
            return None
        # The helper's output is never shown: it may echo what it read.
        raise CredentialHelperError(
            f"the credential helper docker-credential-{helper} failed for {server} "
            f"(exit code {result.returncode})"
        )
    try:
        data = json.loads(result.stdout)
        user, secret = str(data["Username"]), str(data["Secret"])
    except (ValueError, KeyError, TypeError):
        raise CredentialHelperError(
            f"the credential helper docker-credential-{helper} answered for {server} with "
            "something other than JSON with Username and Secret"
        ) from None
    if not secret:
        return None
    if user == _TOKEN_USER:
        return BasicCredentials("", "", identity_token=secret)
    return BasicCredentials(user, secret)


def helper_store(helper: str, server: str, creds: BasicCredentials) -> None:
    from dockwright import proc

    payload = json.dumps(
        {"ServerURL": server, "Username": creds.username, "Secret": creds.password}
    )
    try:
        result = proc.run([f"docker-credential-{helper}", "store"], input=payload, check=False)
    except Exception as exc:
        raise CredentialHelperError(
            f"cannot run the credential helper docker-credential-{helper}: {exc}"
        ) from None
    if result.returncode != 0:
        raise CredentialHelperError(
            f"the credential helper docker-credential-{helper} could not store the credentials "
            f"for {server} (exit code {result.returncode})"
        )
