from __future__ import annotations

from dockwright.lint.labelrule import LabelValueRule
from dockwright.lint.labels import is_url
from dockwright.lint.model import Severity


class UrlLabel(LabelValueRule):
    """Label `{label}` is not a valid URL.

    What: a LABEL that sets a label declared as ``url`` in ``label-schema`` to a value
    that is not one. Only active with a label schema.

    Why: tools read these labels by type; a malformed value breaks them silently.

    Bad::

        LABEL org.opencontainers.image.source=github.com/acme/app

    Good::

        LABEL org.opencontainers.image.source=https://github.com/acme/app
    """

    code = "DL3052"
    severity = Severity.WARNING
    message = "Label `{label}` is not a valid URL."
    label_type = "url"

    def valid(self, value: str) -> bool:
        return is_url(value)
