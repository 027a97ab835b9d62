"""The handlebars subset metadata-action users write in ``value``, ``pattern``, ``prefix`` etc.

``{{name}}`` looks ``name`` up in the given variables (unknown names render empty, as in
handlebars); ``{{date 'FORMAT' tz='Zone'}}`` and ``{{commit_date ...}}`` format a time with the
common moment.js tokens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dockwright.errors import UsageError

_EXPR = re.compile(r"{{\s*(.*?)\s*}}")
_DATE = re.compile(r"(date|commit_date)(?:\s+'([^']*)')?(?:\s+tz='([^']*)')?")
_MOMENT = re.compile(r"\[[^\]]*\]|YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x")


def render(text: str, variables: Mapping[str, str], times: Mapping[str, datetime]) -> str:
    """Render ``text``; ``times`` holds ``date`` (now) and ``commit_date``."""

    def one(m: re.Match[str]) -> str:
        expr = m.group(1)
        d = _DATE.fullmatch(expr)
        if d is not None and d.group(1) in times:
            return format_time(times[d.group(1)], d.group(2) or "", d.group(3) or "UTC")
        return variables.get(expr, "")

    return _EXPR.sub(one, text)


def format_time(when: datetime, fmt: str, tz: str) -> str:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {tz!r} in a tag expression") from None
    local = when.astimezone(zone)
    if not fmt:
        return local.isoformat()

    def token(m: re.Match[str]) -> str:
        t = m.group(0)
        if t.startswith("["):
            return t[1:-1]
        hour12 = local.hour % 12 or 12
        offset = local.strftime("%z")
        table = {
            "YYYY": f"{local.year:04d}",
            "YY": f"{local.year % 100:02d}",
            "MM": f"{local.month:02d}",
            "M": str(local.month),
            "DD": f"{local.day:02d}",
            "D": str(local.day),
            "HH": f"{local.hour:02d}",
            "H": str(local.hour),
            "hh": f"{hour12:02d}",
            "h": str(hour12),
            "mm": f"{local.minute:02d}",
            "m": str(local.minute),
            "ss": f"{local.second:02d}",
            "s": str(local.second),
            "SSS": f"{local.microsecond // 1000:03d}",
            "A": "AM" if local.hour < 12 else "PM",
            "a": "am" if local.hour < 12 else "pm",
            "ZZ": offset,
            "Z": f"{offset[:3]}:{offset[3:]}",
            "X": str(int(local.timestamp())),
            "x": str(int(local.timestamp() * 1000)),
        }
        return table[t]

    return _MOMENT.sub(token, fmt)


def iso_utc(when: datetime) -> str:
    """``Date.toISOString()``: UTC with milliseconds and ``Z``."""
    utc = when.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
