"""Fast inserts for generated data: COPY on PostgreSQL, bulk_create elsewhere.

Rows get their primary keys before they are written (reserved from the table's sequence), so generated rows can point
at each other without reading anything back. Fields a builder does not set and that have no default are filled with
a plain value of the right type, so that a model gaining a required field does not break the generator.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import io
import json
import uuid

from django.db import connection, models
from django.utils import timezone

BATCH = 50_000


@functools.cache
def field_names(model) -> frozenset[str]:
    return frozenset({f.name for f in model._meta.get_fields()} | {f.attname for f in model._meta.concrete_fields})


@functools.cache
def _required(model) -> tuple:
    """Fields that need a value when a builder gives none: (attname, field)."""
    return tuple(
        (f.attname, f)
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.ForeignKey) and (not f.null or not f.blank)
    )


def make(model, **values):
    """An unsaved instance with the values the model knows (unknown names are dropped) and the rest completed."""
    known = field_names(model)
    obj = model(**{k: v for k, v in values.items() if k in known})
    complete(obj)
    return obj


def _plain_value(field):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(0)
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 0
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, (models.CharField, models.TextField)):
        return "压测数据"[: getattr(field, "max_length", None) or 4]
    return None


def complete(obj) -> None:
    """Fill required fields left empty (no default, not nullable) with a plain value of their type."""
    for attname, field in _required(type(obj)):
        value = getattr(obj, attname)
        if (value is None and not field.null) or (value == "" and not field.blank):
            setattr(obj, attname, _plain_value(field))


def _reserve_ids(model, n: int) -> int:
    """Reserve n primary keys; return the first."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cur:
        cur.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')
        start = cur.fetchone()[0] + 1
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, start + n - 1])
    return start


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert(model, objs: list) -> list:
    """Write the instances (pks assigned in place) and return them."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=2000)
        return objs
    start = _reserve_ids(model, len(objs))
    pk_attname = model._meta.pk.attname
    for i, obj in enumerate(objs):
        setattr(obj, pk_attname, start + i)
    fields = list(model._meta.local_concrete_fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    with connection.cursor() as cur:
        raw = cur.cursor  # psycopg cursor under Django's wrapper
        for offset in range(0, len(objs), BATCH):
            buf = io.StringIO()
            for obj in objs[offset : offset + BATCH]:
                row = []
                for f in fields:
                    value = f.pre_save(obj, add=True)
                    if not isinstance(f, models.JSONField):
                        value = f.get_prep_value(value)
                    row.append(_copy_text(value))
                buf.write("\t".join(row))
                buf.write("\n")
            buf.seek(0)
            if hasattr(raw, "copy_expert"):
                raw.copy_expert(sql, buf)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(buf.getvalue())
    return objs


def link(through, pairs: list[tuple[int, int]], left: str, right: str) -> int:
    """Fill an M2M through table from (left_id, right_id) pairs."""
    rows = [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in pairs]
    insert(through, rows)
    return len(rows)
