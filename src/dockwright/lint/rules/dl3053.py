from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_rfc3339
from dockwright.lint.model import Severity


class Rfc3339Label(LabelValueRule):
    """Label `{label}` is not a valid time format - must conform to RFC3339.

    What: a LABEL that sets a label declared as ``rfc3339`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.created="2024-05-01 10:00"

    Good::

        LABEL org.opencontainers.image.created=2024-05-01T10:00:00Z
    """

    code = "DL3053"
    severity = Severity.WARNING
    message = "Label `{label}` is not a valid time format - must conform to RFC3339."
    label_type = "rfc3339"

    def valid(self, value: str) -> bool:
        return is_rfc3339(value)
