"""One base image under many tags, and what Renovate picks from them under each policy.

Used by the unit tests (releases as data) and the integration tests (the same tags pushed
to the local registry). Expected choices follow docs/reference/renovate.md: compatible means
the same suffix and the same number of release parts; pre-releases (a letter tail glued to
the number, ``3.20.0b1``) only when opted in or when already on one of the same
major.minor.patch; ``-rc1`` is a suffix; ``minor`` stays within the major, ``patch`` within
the major.minor; ``major`` takes the highest.
"""

from __future__ import annotations

TAGS = [
    "3.18", "3.18.4", "3.18.5", "3.19", "3.19.0", "3.19.1",
    "3.20.0b1", "3.20.0-rc1",
    "3.18-alpine", "3.19-alpine", "3.18.4-alpine", "3.19.1-alpine", "4.0.1-alpine",
    "3.18-slim-bookworm", "3.19-slim-bookworm", "3.19-slim-bullseye",
    "4.0", "4.0.0", "4.0.1", "4.1.0b2",
    "20-alpine", "22-alpine",
    "latest", "0a1b2c3d",
]  # fmt: skip

# current value -> (patch, minor, major); None: no version change
EXPECTED: dict[str, tuple[str | None, str | None, str | None]] = {
    "3.18.4": ("3.18.5", "3.19.1", "4.0.1"),
    "3.18.5": (None, "3.19.1", "4.0.1"),
    "3.18": (None, "3.19", "4.0"),
    "3.18-alpine": (None, "3.19-alpine", "3.19-alpine"),
    "3.18.4-alpine": (None, "3.19.1-alpine", "4.0.1-alpine"),
    "3.18-slim-bookworm": (None, "3.19-slim-bookworm", "3.19-slim-bookworm"),
    "3.20.0b1": (None, None, "4.0.1"),
    "3.20.0-rc1": (None, None, None),
    "20-alpine": (None, None, "22-alpine"),
    "4.0.1": (None, None, None),
    "latest": (None, None, None),
}

# with `prereleases: true`
EXPECTED_WITH_PRERELEASES: dict[str, tuple[str | None, str | None, str | None]] = {
    "3.18.4": ("3.18.5", "3.20.0b1", "4.1.0b2"),
    "3.18": (None, "3.19", "4.0"),
    "3.20.0b1": (None, None, "4.1.0b2"),
}
