from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_git_hash
from dockwright.lint.model import Severity


class GitHashLabel(LabelValueRule):
    """Label `{label}` is not a valid git hash.

    What: a LABEL that sets a label declared as ``hash`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.revision=main

    Good::

        LABEL org.opencontainers.image.revision=4f2c1a9
    """

    code = "DL3055"
    severity = Severity.WARNING
    message = "Label `{label}` is not a valid git hash."
    label_type = "hash"

    def valid(self, value: str) -> bool:
        return is_git_hash(value)
