"""The change trail of a record, shown: who changed it, when, and each field before → after (django-simple-history).

`history_rows(obj)` reads the trail; `history_page(...)` renders it. Neither checks access: the caller fetches the
object through organizations.access first (organizations.history wires ready-made views that do).
Fields listed in `hidden` (e.g. a phone number the viewer may not see) appear as “（不公开）”.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

HISTORY_LIMIT = 100
KIND_LABELS = {"+": "创建", "~": "修改", "-": "删除"}
IGNORED = {"version", "name_initials", "name_pinyin", "path", "depth", "numchild"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    when: datetime.datetime
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(model_field: models.Field | None, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y年n月j日 H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y年n月j日")
    return str(value)


display_value = _display


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("系统")
    return user.get_full_name() or user.get_username()


def history_rows(obj: models.Model, *, hidden: Iterable[str] = (), limit: int = HISTORY_LIMIT) -> list[HistoryRow]:
    """The newest `limit` history records of `obj`, each with its changes against the record before it."""
    hidden = set(hidden)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    fields = {f.name: f for f in model._meta.concrete_fields}
    related_labels: dict[tuple[type, object], str] = {}

    def shown(name: str, value) -> str:
        if name in hidden:
            return _("（不公开）")
        model_field = fields.get(name)
        if isinstance(model_field, models.ForeignKey) and value not in (None, ""):
            pk = getattr(value, "pk", value)
            key = (model_field.related_model, pk)
            if key not in related_labels:
                related = model_field.related_model._default_manager.filter(pk=pk).first()
                related_labels[key] = str(related) if related is not None else f"#{pk}"
            return related_labels[key]
        return _display(model_field, value)

    rows: list[HistoryRow] = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, excluded_fields=IGNORED)
            for change in delta.changes:
                model_field = fields.get(change.field)
                label = str(model_field.verbose_name) if model_field is not None else change.field
                changes.append(Change(label, shown(change.field, change.old), shown(change.field, change.new)))
        elif record.history_type == "+":
            for name, model_field in fields.items():
                if name in IGNORED or name == model._meta.pk.name or not model_field.editable:
                    continue
                value = getattr(record, model_field.attname, None)
                if value not in (None, "", False):
                    changes.append(Change(str(model_field.verbose_name), "—", shown(name, value)))
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=_who(record),
                kind=_(KIND_LABELS.get(record.history_type, record.history_type)),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return rows


def history_page(
    request: HttpRequest,
    obj: models.Model,
    *,
    title: str,
    back_url: str,
    org=None,
    breadcrumbs: Iterable = (),
    hidden: Iterable[str] = (),
    template: str = "history/history.html",
) -> HttpResponse:
    """Render the history of `obj`. The caller has already checked access (organizations.access)."""
    context = {
        "object": obj,
        "title": title,
        "back_url": back_url,
        "rows": history_rows(obj, hidden=hidden),
        "org": org,
        "breadcrumbs": list(breadcrumbs),
    }
    return render(request, template, context)
