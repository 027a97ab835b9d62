"""A JSON Schema document from a schema of :mod:`dockwright.config.schema`, for editors."""

from __future__ import annotations

from dockwright.config.walk import JSONSchema, Schema


def json_schema_document(schema: Schema, *, title: str, id_: str = "") -> JSONSchema:
    """A JSON Schema (draft 2020-12) document for ``schema``, for editors and validators.

    It says what the checks say about types, keys and allowed values; what only the loader
    checks (paths that must exist, cross-references) is left out."""
    out: JSONSchema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if id_:
        out["$id"] = id_
    out["title"] = title
    out.update(schema.json_schema())
    return out
