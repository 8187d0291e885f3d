"""Members written in bulk, each with its 修改记录 (history) row, for the roster import (services.roster_import_apply)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from machinery.search import search_key

from ..models import SEARCH_FIELDS, Member, Organization, fill_search_keys, search_keys


class MemberWriter:
    """Bulk writes of members, each with its 修改记录 row, as django-simple-history's bulk helpers write them.

    The values were validated against the model's rules before they get here (roster.kept.parse_checked); what is
    derived here (pinyin and search keys) is cut to the model's field lengths. On PostgreSQL, members and their history rows
    are written by one statement per kind of change, the values passed as one JSON array; elsewhere through
    simple_history's bulk helpers."""

    BATCH = 500

    def __init__(self, *, user, organization: Organization):
        self.user = user
        self.organization = organization
        self.now = timezone.now()
        self.history = Member.history.model
        self.fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
        self.fast = (
            connection.vendor == "postgresql"
            and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
            and self._history_is_plain()
        )

    def _history_is_plain(self) -> bool:
        """Whether the history table holds the tracked fields plus simple_history's own columns, nothing else."""
        own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
        tracked = {f.attname for f in self.history.tracked_fields}
        return {f.attname for f in self.history._meta.concrete_fields} == tracked | own

    def create(self, rows: list[dict]) -> None:
        if not rows:
            return
        defaults = {f.attname: f.get_default() for f in self.fields}
        defaults["organization_id"] = self.organization.pk
        values = []
        for data in rows:
            row = {**defaults, **data}
            row["name_initials"], row["name_pinyin"] = search_keys(Member, row["name"])
            row["search_key"] = search_key(row["name"])
            values.append(row)
        if not self.fast:
            members = [Member(**row) for row in values]
            bulk_create_with_history(members, Member, batch_size=self.BATCH, default_user=self.user)
            return
        columns, elements = ", ".join(_qn(f.column) for f in self.fields), ", ".join(self._elements(self.fields))
        self._write(
            f"INSERT INTO {_qn(Member._meta.db_table)} ({columns}) SELECT {elements} FROM e",
            [[row[f.attname] for f in self.fields] for row in values],
            "+",
        )

    def update(self, members: list[Member], fields: set[str]) -> None:
        if not members:
            return
        fields = set(fields)
        if "name" in fields:
            fields |= set(SEARCH_FIELDS)
            for member in members:
                fill_search_keys(member)
        fields = sorted(fields)
        if not self.fast:
            bulk_update_with_history(members, Member, fields, batch_size=self.BATCH, default_user=self.user)
            return
        pk = Member._meta.pk
        written = [pk, *(Member._meta.get_field(f) for f in fields)]
        key, *values = self._elements(written)
        assignments = ", ".join(f"{_qn(f.column)} = {v}" for f, v in zip(written[1:], values, strict=True))
        self._write(
            f"UPDATE {_qn(Member._meta.db_table)} AS m SET {assignments} FROM e WHERE m.{_qn(pk.column)} = {key}",
            [[getattr(m, f.attname) for f in written] for m in members],
            "~",
            alias="m.",
        )

    @staticmethod
    def _elements(fields: list) -> list[str]:
        """SQL for each field's value in a row of `e` (text as text: the column's own length check applies)."""
        values = []
        for i, f in enumerate(fields):
            text = f"(e.value ->> {i})"
            is_text = f.get_internal_type() in ("CharField", "TextField")
            values.append(text if is_text else f"{text}::{f.db_type(connection)}")
        return values

    def _write(self, statement: str, rows: list[list], history_type: str, *, alias: str = "") -> None:
        """Run the member statement over the rows (a JSON array of arrays, `e`); in the same statement, a history row
        for every member it wrote, with its values as written."""
        tracked = [_qn(f.column) for f in self.history.tracked_fields]
        sql = (
            f"WITH e AS (SELECT value FROM jsonb_array_elements(%s::jsonb)), "
            f"written AS ({statement} RETURNING {', '.join(alias + c for c in tracked)}) "
            f"INSERT INTO {_qn(self.history._meta.db_table)} ({', '.join(tracked)}, history_date, "
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM written"
        )
        payload = json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, [payload, self.now, None, history_type, getattr(self.user, "pk", None)])


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)
