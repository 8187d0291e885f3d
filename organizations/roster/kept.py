"""The checked rows of a roster import, kept on its record (RosterImport.rows).

The check stores the rows it converted; the preview and the apply step work from them, so the file is read once.
Stored rows are data like any other input: they are checked again against the model's rules before they are used.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import DateField
from django.utils.translation import gettext as _

from ..models import Member, RosterImport
from .rules import COLUMNS, Parsed, check_duplicates

STORED_VERSION = 1
IMPORTED_FIELDS = [fname for _h, fname, _c, _r in COLUMNS]
_REQUIRED_COLUMNS = {fname for _h, fname, required, _r in COLUMNS if required}
_STORED_TYPES = {"joined_party_on": (str, type(None)), "birth_year": (int, type(None)), "is_reserve_cadre": (bool,)}


def checked_rows(parsed: Parsed) -> dict:
    """The rows of a clean file as JSON (for RosterImport.rows): [row number, value per column]."""
    columns = parsed.columns
    dated = "joined_party_on" in columns
    rows = []
    for number, data in parsed.rows:
        if dated and data["joined_party_on"] is not None:
            data = {**data, "joined_party_on": data["joined_party_on"].isoformat()}
        rows.append([number, *(data[c] for c in columns)])
    return {"version": STORED_VERSION, "columns": columns, "rows": rows}


def parse_checked(record: RosterImport) -> Parsed:
    """The rows stored by the check, as read_file gave them. Every value passes the model field's own validation
    again (each distinct value once); a record without stored rows, of an older format, or whose rows do not hold
    valid, distinct members raises ValidationError and nothing of it is used."""
    try:
        return _parse_checked(record.rows)
    except (ValidationError, ValueError, TypeError, KeyError) as exc:
        raise ValidationError(_("这次检查的结果已失效，请重新上传文件"), code="stale_rows") from exc


def _parse_checked(payload) -> Parsed:
    if type(payload) is not dict or payload.get("version") != STORED_VERSION:
        raise ValueError("no stored rows of this version")
    columns, rows = payload["columns"], payload["rows"]
    if (
        type(columns) is not list
        or len(set(columns)) != len(columns)
        or not set(columns) <= set(IMPORTED_FIELDS)
        or not _REQUIRED_COLUMNS <= set(columns)
        or type(rows) is not list
        or not rows
    ):
        raise ValueError("stored columns")
    width = len(columns) + 1
    if any(type(row) is not list or len(row) != width for row in rows):
        raise ValueError("stored row")
    numbers, *by_column = zip(*rows, strict=True)
    if set(map(type, numbers)) != {int}:
        raise ValueError("stored row numbers")
    for i, name in enumerate(columns):
        values = by_column[i]
        if not set(map(type, values)) <= set(_STORED_TYPES.get(name, (str,))):
            raise ValueError(f"stored {name}")
        field = Member._meta.get_field(name)
        as_date = isinstance(field, DateField)
        model_values = {}
        for value in set(values):  # each distinct value through the model field's validation once
            python = datetime.date.fromisoformat(value) if as_date and value is not None else value
            if not (python is None and field.null):
                python = field.clean(python, None)
            if not as_date and python != value:
                raise ValueError(f"stored {name}")
            model_values[value] = python
        if as_date:
            by_column[i] = [model_values[v] for v in values]
    parsed = Parsed(columns=list(columns))
    parsed.rows = [(n, dict(zip(columns, values, strict=True))) for n, *values in zip(numbers, *by_column, strict=True)]
    for _number, data in parsed.rows:
        if data.get("is_reserve_cadre") and not data.get("reserve_reason"):
            raise ValueError("reserve cadre without a reason")
        if not data.get("staff_no") and not data.get("phone"):
            raise ValueError("row without a key")
    check_duplicates(parsed)
    if parsed.errors:
        raise ValueError("duplicate rows")
    return parsed
