from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.model import Severity


def _not_empty(value: str) -> bool:
    return value != ""


class EmptyLabel(LabelValueRule):
    """label `{label}` is empty.

    What: a LABEL that sets a label named in ``label-schema`` (of any type) to an empty
    value. Only active with a label schema.

    Why: a required label that is present but empty says nothing.

    Bad::

        LABEL org.opencontainers.image.version=""

    Good::

        LABEL org.opencontainers.image.version=1.4.2
    """

    code = "DL3051"
    severity = Severity.WARNING
    message = "label `{label}` is empty."
    label_type = "*"

    def valid(self, value: str) -> bool:
        return _not_empty(value)
