"""``dockwright login [SERVER] -u USER [--password-stdin]``: check and store credentials the way
``docker login`` does (in ``config.json``, or through ``credsStore``/``credHelpers``)."""

from __future__ import annotations

import argparse

HELP = "log in to a registry and store the credentials like `docker login`"


def configure(parser: argparse.ArgumentParser) -> None:
    from dockwright.image.ref import DEFAULT_DOMAIN

    parser.add_argument("server", nargs="?", default=DEFAULT_DOMAIN, metavar="SERVER")
    parser.add_argument("-u", "--username", metavar="USER")
    parser.add_argument("-p", "--password", metavar="PASSWORD", help="insecure: prefer stdin")
    parser.add_argument("--password-stdin", action="store_true", help="read the password on stdin")
    parser.add_argument("--insecure", action="store_true", help="plain HTTP (a loopback registry)")
    parser.add_argument("--ca", metavar="FILE", help="an extra CA certificate for this registry")
    parser.add_argument("--config", metavar="DIR", help="Docker config directory (DOCKER_CONFIG)")


def run(args: argparse.Namespace) -> int:
    import sys

    from dockwright.errors import UsageError
    from dockwright.registry.client import RegistryClient
    from dockwright.registry.credentials import BasicCredentials, DockerConfig

    server = _host(args.server)
    if args.password and args.password_stdin:
        raise UsageError("--password and --password-stdin are mutually exclusive")
    username = args.username
    if not username:
        if args.password_stdin or not sys.stdin.isatty():
            raise UsageError("give the user name with -u USER")
        username = input("Username: ").strip()
    if args.password_stdin:
        password = sys.stdin.read().rstrip("\r\n")
    elif args.password is not None:
        print(
            "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
            file=sys.stderr,
        )
        password = args.password
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Password: ")
    else:
        raise UsageError("no password: pass --password-stdin and write it on stdin")
    if not password:
        raise UsageError("the password is empty")
    creds = BasicCredentials(username, password)
    with RegistryClient(server, insecure=args.insecure, ca=args.ca, credentials=creds) as client:
        client.ping()
    where = DockerConfig.load(args.config).store(server, creds)
    print(f"Login Succeeded (credentials stored in {where})")
    return 0


def _host(server: str) -> str:
    """``https://host:port/v1/`` or ``host:port`` -> ``host:port``."""
    from dockwright.registry.credentials import hostname

    return hostname(server)
