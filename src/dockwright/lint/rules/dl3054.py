from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_spdx
from dockwright.lint.model import Severity


class SpdxLabel(LabelValueRule):
    """Label `{label}` is not a valid SPDX identifier.

    What: a LABEL that sets a label declared as ``spdx`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.licenses="MIT or Apache"

    Good::

        LABEL org.opencontainers.image.licenses=MIT
    """

    code = "DL3054"
    severity = Severity.WARNING
    message = "Label `{label}` is not a valid SPDX identifier."
    label_type = "spdx"

    def valid(self, value: str) -> bool:
        return is_spdx(value)
