from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_semver
from dockwright.lint.model import Severity


class SemverLabel(LabelValueRule):
    """Label `{label}` does not conform to semantic versioning.

    What: a LABEL that sets a label declared as ``semver`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.version=v1.2

    Good::

        LABEL org.opencontainers.image.version=1.2.0
    """

    code = "DL3056"
    severity = Severity.WARNING
    message = "Label `{label}` does not conform to semantic versioning."
    label_type = "semver"

    def valid(self, value: str) -> bool:
        return is_semver(value)
