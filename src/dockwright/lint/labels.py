"""Label value checks for the ``label-schema`` rules (DL3051-DL3058).

Each check accepts what the Haskell library hadolint uses accepts: ``url`` an absolute
RFC 3986 URI (``Network.URI.parseURI``), ``rfc3339`` a date-time with zone
(``Data.Time.RFC3339``), ``semver`` hadolint's lenient semantic version, ``hash`` a short
or full git hash, ``email`` an RFC 5322 addr-spec (``Text.Email.Validate``), ``spdx`` one
SPDX license identifier.
"""

from __future__ import annotations

from dockwright.dockerfile.pattern import LazyPattern
from dockwright.lint.spdx import SPDX_LICENSE_IDS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable

# --- url (RFC 3986 absolute URI with optional fragment) ---
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = rf"{_PCHAR}*"
_SEGMENT_NZ = rf"{_PCHAR}+"
_QUERY = rf"(?:{_PCHAR}|[/?])*"
_USERINFO = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_REG_NAME = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_URI = LazyPattern(
    rf"(?P<scheme>[A-Za-z][A-Za-z0-9+\-.]*):"
    rf"(?:(?://(?:(?P<userinfo>{_USERINFO})@)?(?P<host>\[[^\]/?#@]*\]|{_REG_NAME})(?::[0-9]*)?"
    rf"(?:/{_SEGMENT})*)"
    rf"|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
    rf"|{_SEGMENT_NZ}(?:/{_SEGMENT})*"
    rf"|)"
    rf"(?:\?{_QUERY})?(?:#{_QUERY})?\Z"
)
_ZONE = LazyPattern(rf"(?:[{_UNRESERVED}]|{_PCT})+\Z")
_IPVFUTURE = LazyPattern(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+\Z")


def _ipv6(text: str) -> bool:
    if not text or not all(c in "0123456789abcdefABCDEF:." for c in text):
        return False
    try:
        import ipaddress  # rarely needed: an IPv6 host in a URL label

        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def is_url(value: str) -> bool:
    m = _URI.match(value)
    if m is None:
        return False
    host = m.group("host")
    if host and host.startswith("["):
        inner = host[1:-1]
        address, zoned, zone = inner.partition("%25")  # RFC 6874 zone identifier
        if zoned:
            return _ipv6(address) and _ZONE.match(zone) is not None
        return _ipv6(inner) or _IPVFUTURE.match(inner) is not None
    return True


# --- rfc3339 ---
_RFC3339 = LazyPattern(
    r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]*)?"
    r"(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})\Z"
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_rfc3339(value: str) -> bool:
    m = _RFC3339.match(value.strip())
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 60:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS[month - 1]
    return 1 <= day <= days


# --- semver ---
_IDENTS = r"(?:[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*\.?)?"
_SEMVER = LazyPattern(rf"[0-9]+\.[0-9]+\.[0-9]+(?:-{_IDENTS})?(?:\+{_IDENTS})?\Z")


def is_semver(value: str) -> bool:
    return _SEMVER.match(value) is not None


# --- hash ---
_HASH = LazyPattern(r"(?:[0-9a-f]{7}|[0-9a-f]{40})\Z")


def is_git_hash(value: str) -> bool:
    return _HASH.match(value) is not None


def is_spdx(value: str) -> bool:
    return value in SPDX_LICENSE_IDS


# --- email ---
def is_email(value: str) -> bool:
    return _Email(value).valid()


_ATEXT = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
)
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _obs_no_ws_ctl(c: str) -> bool:
    o = ord(c)
    return 1 <= o <= 8 or o in (11, 12) or 14 <= o <= 31 or o == 127


def _ctext(c: str) -> bool:
    o = ord(c)
    return 33 <= o <= 39 or 42 <= o <= 91 or 93 <= o <= 126 or _obs_no_ws_ctl(c)


def _qtext(c: str) -> bool:
    o = ord(c)
    return o == 33 or 35 <= o <= 91 or 93 <= o <= 126 or _obs_no_ws_ctl(c)


def _dtext(c: str) -> bool:
    o = ord(c)
    return 33 <= o <= 90 or 94 <= o <= 126 or _obs_no_ws_ctl(c)


class _Email:
    """A backtracking recogniser of RFC 5322 ``addr-spec`` with comments and folding
    white space, the grammar ``Text.Email.Validate`` implements."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def valid(self) -> bool:
        try:
            return self._addr_spec() and self.i == len(self.s)
        except RecursionError:
            return False

    def _fws(self) -> bool:
        start = self.i
        while True:
            j = self.i
            while self.peek() in (" ", "\t") and self.peek():
                self.i += 1
            if self.i > j:
                if self.s.startswith("\r\n", self.i) and self.s[self.i + 2 : self.i + 3] in (
                    " ",
                    "\t",
                ):
                    self.i += 2
                    continue
                break
            if self.s.startswith("\r\n", self.i) and self.s[self.i + 2 : self.i + 3] in (
                " ",
                "\t",
            ):
                self.i += 2
                continue
            break
        return self.i > start

    def _comment(self) -> bool:
        if self.peek() != "(":
            return False
        start = self.i
        self.i += 1
        while True:
            c = self.peek()
            if c == ")":
                self.i += 1
                return True
            if c and _ctext(c):
                self.i += 1
            elif c == "\\" and self._quoted_pair():
                pass
            elif c == "(":
                if not self._comment():
                    self.i = start
                    return False
            elif not self._fws():
                self.i = start
                return False

    def _cfws(self) -> None:
        while self._comment() or self._fws():
            pass

    def _quoted_pair(self) -> bool:
        if self.peek() == "\\" and self.i + 1 < len(self.s):
            c = self.s[self.i + 1]
            o = ord(c)
            if 32 <= o <= 126 or c in "\t\n\r\0" or _obs_no_ws_ctl(c):
                self.i += 2
                return True
        return False

    def _quoted_string(self) -> bool:
        if self.peek() != '"':
            return False
        start = self.i
        self.i += 1
        while True:
            self._fws()
            c = self.peek()
            if c and _qtext(c):
                while self.peek() and _qtext(self.peek()):
                    self.i += 1
            elif c == "\\" and self._quoted_pair():
                pass
            else:
                break
        if self.peek() == '"':
            self.i += 1
            return True
        self.i = start
        return False

    def _word(self) -> bool:
        start = self.i
        self._cfws()
        if self.peek() in _ATEXT and self.peek():
            while self.peek() and self.peek() in _ATEXT:
                self.i += 1
        elif not self._quoted_string():
            self.i = start
            return False
        self._cfws()
        return True

    def _more_after_dots(self, part: Callable[[], bool]) -> None:
        """Read ``.part`` as long as one follows; a ``.`` without a part is left unread."""
        while self.peek() == ".":
            save = self.i
            self.i += 1
            if not part():
                self.i = save
                break

    def _addr_spec(self) -> bool:
        if not self._word():
            return False
        self._more_after_dots(self._word)
        if self.peek() != "@":
            return False
        self.i += 1
        save = self.i
        if self._domain_name() and self.i == len(self.s):
            return True
        self.i = save
        return self._domain_literal()

    def _label(self) -> bool:
        start = self.i
        self._cfws()
        j = self.i
        if not (self.peek() and self.peek() in _ALNUM):
            self.i = start
            return False
        while self.peek() and (self.peek() in _ALNUM or self.peek() == "-"):
            self.i += 1
        content = self.s[j : self.i]
        if len(content) > 63 or content.endswith("-"):
            self.i = start
            return False
        self._cfws()
        return True

    def _domain_name(self) -> bool:
        start = self.i
        if not self._label():
            return False
        self._more_after_dots(self._label)
        if self.peek() == ".":
            self.i += 1
        return len(self.s[start : self.i].strip()) <= 253

    def _domain_literal(self) -> bool:
        self._cfws()
        if self.peek() != "[":
            return False
        self.i += 1
        while True:
            self._fws()
            if self.peek() and _dtext(self.peek()):
                while self.peek() and _dtext(self.peek()):
                    self.i += 1
            else:
                break
        self._fws()
        if self.peek() != "]":
            return False
        self.i += 1
        self._cfws()
        return self.i == len(self.s)
