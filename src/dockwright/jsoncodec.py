"""JSON through CPython's C accelerator (``_json``) without importing the ``json`` package.

``import json`` imports ``re`` and with it ``enum``: about 5 ms, a sixth of a one-file lint
run, spent before a byte is decoded. The ``json`` package is itself a thin layer over
``_json``'s scanner and encoder, so this module builds the same two objects directly and
gives the same results as ``json.loads`` and ``json.dumps`` for the arguments it takes.
Where ``_json`` is missing or differs (another Python implementation), it uses ``json``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Scan = Callable[[str, int], tuple[Any, int]]

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE


class _ScanContext:
    """The attributes ``_json.make_scanner`` reads from a ``json.JSONDecoder``."""

    __slots__ = (
        "object_hook",
        "object_pairs_hook",
        "parse_constant",
        "parse_float",
        "parse_int",
        "strict",
    )

    def __init__(self, parse_constant: Callable[[str], object]) -> None:
        self.strict = True
        self.object_hook = None
        self.object_pairs_hook = None
        self.parse_float = float
        self.parse_int = int
        self.parse_constant = parse_constant


_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


def _not_serializable(o: object) -> object:
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


try:
    import _json

    def _scanner(parse_constant: Callable[[str], object]) -> Scan:
        # Raises StopIteration(index) where no value starts, as json.scanner does.
        scan: Scan = _json.make_scanner(_ScanContext(parse_constant))  # type: ignore[arg-type]
        return scan

    def _encoder(
        ensure_ascii: bool, separators: tuple[str, str], sort_keys: bool
    ) -> Callable[[object], str]:
        strings = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
        encode = _json.make_encoder(
            {}, _not_serializable, strings, None, separators[1], separators[0], sort_keys,
            False, True,
        )  # fmt: skip
        return lambda value: "".join(encode(value, 0))

    _DEFAULT_SCANNER = _scanner(_CONSTANTS.__getitem__)
    if _DEFAULT_SCANNER('[1, "a", {"b": null}]', 0) != ([1, "a", {"b": None}], 21) or (
        _encoder(False, (",", ":"), True)({"b": [1.5, "é"], "a": None})
        != '{"a":null,"b":[1.5,"é"]}'
    ):
        raise ImportError("_json differs from CPython 3.11's")
except (ImportError, AttributeError, TypeError):  # pragma: no cover - not CPython
    import json as _json_module

    def _scanner(parse_constant: Callable[[str], object]) -> Scan:
        return _json_module.JSONDecoder(parse_constant=parse_constant).raw_decode

    def _encoder(
        ensure_ascii: bool, separators: tuple[str, str], sort_keys: bool
    ) -> Callable[[object], str]:
        return _json_module.JSONEncoder(
            ensure_ascii=ensure_ascii, separators=separators, sort_keys=sort_keys
        ).encode

    _DEFAULT_SCANNER = _scanner(_CONSTANTS.__getitem__)


def scanner(parse_constant: Callable[[str], object]) -> Scan:
    """``JSONDecoder(parse_constant=...).raw_decode`` without its whitespace skipping:
    ``scan(text, index)`` gives the value starting at ``index`` and where it ends, or
    raises ValueError."""
    scan = _scanner(parse_constant)

    def raw_decode(text: str, index: int) -> tuple[Any, int]:
        try:
            return scan(text, index)
        except StopIteration as stop:
            raise ValueError(f"Expecting value: char {stop.value}") from None

    return raw_decode


def loads(data: str | bytes) -> Any:
    """``json.loads`` for a document (bytes are UTF-8). Raises ValueError."""
    text = data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = _DEFAULT_SCANNER(text, start)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None
    if text[end:].lstrip(_WHITESPACE):
        raise ValueError(f"Extra data: char {end}")
    return value


def dumps(
    value: object,
    *,
    ensure_ascii: bool = True,
    separators: tuple[str, str] = (", ", ": "),
    sort_keys: bool = False,
) -> str:
    """``json.dumps`` with these arguments. Raises TypeError for what JSON cannot hold."""
    # A new encoder each time, as json.dumps makes one: it keeps state while it runs.
    return _encoder(ensure_ascii, separators, sort_keys)(value)
