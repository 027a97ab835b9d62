from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext
from dockwright.lint.values import unquote

_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_END = _LOWER | frozenset("0123456789")
_INNER = _END | frozenset("._/-")


def _key_shape(key: str) -> bool:
    """``[a-z](?:[a-z0-9._/-]*[a-z0-9])?\\Z``, without ``re`` (LABEL is common)."""
    return (
        key != ""
        and key[0] in _LOWER
        and (len(key) == 1 or key[-1] in _END)
        and all(c in _INNER for c in key)
    )


def valid_label_key(key: str) -> bool:
    return _key_shape(key) and not key.startswith(_RESERVED) and ".." not in key and "--" not in key


class LabelKey(InstructionRule):
    """Invalid label key.

    What: a LABEL key that is not lower-case letters, digits, ``.``, ``-``, ``_`` and ``/``
    starting with a letter and ending with a letter or digit, that has ``..`` or ``--``, or
    uses a namespace Docker reserves (``com.docker.``, ``io.docker.``,
    ``org.dockerproject.``).

    Why: Docker's label guidelines; tools that read labels expect reverse-DNS keys.

    Bad::

        LABEL Maintainer=ops

    Good::

        LABEL org.opencontainers.image.authors=ops
    """

    code = "DL3048"
    severity = Severity.STYLE
    message = "Invalid label key."

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "LABEL":
            return False
        return any(not valid_label_key(unquote(k, ins.escape)) for k, _ in ins.pairs)
