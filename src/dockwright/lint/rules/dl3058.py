from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_email
from dockwright.lint.model import Severity


class EmailLabel(LabelValueRule):
    """Label `{label}` is not a valid email format - must conform to RFC5322.

    What: a LABEL that sets a label declared as ``email`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.authors="ops at example"

    Good::

        LABEL org.opencontainers.image.authors=ops@example.com
    """

    code = "DL3058"
    severity = Severity.WARNING
    message = "Label `{label}` is not a valid email format - must conform to RFC5322."
    label_type = "email"

    def valid(self, value: str) -> bool:
        return is_email(value)
