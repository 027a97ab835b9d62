"""DL3020: ``ADD`` of local files and folders becomes ``COPY``.

Only when no source is a URL or an archive (ADD would download or unpack those) and no
ADD-only flag (``--checksum``, ``--keep-git-dir``, ``--unpack``) is set.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Edit, Fix, FixAvailability
from dockwright.lint.fixes.source import leading_words
from dockwright.lint.rule import LintContext

TITLE = "Replace `ADD` with `COPY`"
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES

_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})
_ARCHIVES = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
    ".tlz", ".tpz", ".txz", ".xz",
)  # fmt: skip


def _remote_or_archive(source: str) -> bool:
    s = source.strip("'\"")
    return "://" in s or s.startswith("git@") or s.endswith(_ARCHIVES)


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    if ins.keyword != "ADD" or len(ins.args) < 2:
        return None
    if any(f.name in _ADD_ONLY_FLAGS for f in ins.flags):
        return None
    if any(_remote_or_archive(s) for s in ins.args[:-1]):
        return None
    words = [w for w in leading_words(ins).items if not isinstance(w, str)]
    if not words or words[0].raw.upper() != "ADD":
        return None
    kw = words[0]
    copy = "copy" if kw.raw.islower() else "Copy" if kw.raw.istitle() else "COPY"
    return Fix(TITLE, APPLICABILITY, (Edit(kw.start, kw.end, copy),))
