from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext
from dockwright.lint.values import unquote

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar

# Names hadolint knows to hold credentials (compared upper-cased).
_KNOWN = frozenset(
    """
    ACCESS_TOKEN APPLICATION_KEY APP_SECRET AUTH_TOKEN AWS_ACCESS_KEY_ID
    AWS_SECRET_ACCESS_KEY BITTREX_API_KEY BITTREX_API_SECRET CF_PASSWORD CF_USERNAME
    CIRCLE_TOKEN CI_DEPLOY_PASSWORD CI_DEPLOY_USER DOCKERHUB_PASSWORD DOCKER_EMAIL
    DOCKER_PASSWORD DOCKER_USERNAME FACEBOOK_ACCESS_TOKEN FACEBOOK_APP_ID FACEBOOK_APP_SECRET
    FIREBASE_API_TOKEN FIREBASE_TOKEN FOSSA_API_KEY GH_ENTERPRISE_TOKEN GH_TOKEN
    GITHUB_ENTERPRISE_TOKEN GITHUB_TOKEN HEROKU_API_KEY HEROKU_API_USER NPM_AUTH_TOKEN
    NPM_TOKEN OKTA_AUTHN_GROUPID OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN OKTA_OAUTH2_CLIENTID
    OKTA_OAUTH2_CLIENTSECRET OPENAI_API_KEY OS_PASSWORD OS_USERNAME POSTGRES_PASSWORD
    SLACK_TOKEN STRIPE_API_KEY STRIPE_DEVICE_NAME TRAVIS_OS_NAME TRAVIS_SECURE_ENV_VARS
    TRAVIS_SUDO VAULT_CLIENT_KEY VAULT_TOKEN
    """.split()  # noqa: SIM905 (a word list reads better than quoted strings)
)
_SUSPICIOUS = ("api_key", "client_key", "password", "private", "secret", "token", "username")


def sensitive(name: str) -> bool:
    return name.upper() in _KNOWN or any(s in name.lower() for s in _SUSPICIOUS)


class SensitiveArgEnv(InstructionRule):
    """Potentially sensitive data should not be used in the `ARG` or `ENV` commands

    What: an ARG or ENV whose name looks like a credential: a well-known name
    (``GITHUB_TOKEN``, ``AWS_SECRET_ACCESS_KEY``, ...) or one containing ``password``,
    ``secret``, ``token``, ``api_key``, ``client_key``, ``private`` or ``username``.

    Why: ARG and ENV values end up in the image history and metadata for anyone who pulls
    it; use a secret mount instead.

    Bad::

        ARG NPM_TOKEN
        RUN npm ci

    Good::

        RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
    """

    code = "DL3064"
    severity = Severity.WARNING
    message = "Potentially sensitive data should not be used in the `ARG` or `ENV` commands"
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword == "ARG":
            return any(sensitive(unquote(a, ins.escape).partition("=")[0]) for a in ins.args)
        if ins.keyword == "ENV":
            return any(sensitive(unquote(k, ins.escape)) for k, _ in ins.pairs)
        return False
