"""The JSON Schema of a round's files (docs/schema/results.schema.json), for unit and lab tests."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "schema" / "results.schema.json"


def _schema():
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def results_problems(document):
    """Every way ``document`` (results.json) breaks the schema, as text (empty when it conforms)."""
    validator = jsonschema.Draft202012Validator(_schema())
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message) for e in validator.iter_errors(document)]


def round_status_problems(document):
    """Every way ``document`` (round.json) breaks the schema's ``$defs/round_status``."""
    schema = _schema()
    validator = jsonschema.Draft202012Validator({"$ref": "#/$defs/round_status", "$defs": schema["$defs"]})
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message) for e in validator.iter_errors(document)]
