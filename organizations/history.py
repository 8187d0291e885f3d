"""The audit trail, shown: who changed a record, when, and each field before → after (django-simple-history).

Any app wires a "修改记录" tab for a model that has `history = HistoricalRecords()` in three steps:

1. a view: ``history_view(AnnualPlan)`` (below) when the object reaches its organization through one field path,
   or by hand, fetching the object through organizations.access and refusing those who may not see its history::

       @login_required
       def plan_history(request, pk):
           plan = access.get_for_user(AnnualPlan.objects.all(), request.user, pk)
           access.require(access.can_see_history(request.user, plan.organization))
           return history_page(request, plan, title=_("年度计划修改记录"), back_url=plan.get_absolute_url(),
                               org=plan.organization)

2. a URL (``path("plans/<int:pk>/history/", views.plan_history, name="plan_history")``) and its access-matrix entry;
3. on the detail page, the tabs:
   ``{% include "organizations/_history_tabs.html" with active="detail" detail_url=... history_url=... %}``
   (guard it with ``{% if can_see_history %}``).

Fields listed in `hidden` (e.g. a phone number the viewer may not see) appear as “（不公开）”.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import access, selectors

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
    hidden: Iterable[str] = (),
    template: str = "organizations/history.html",
) -> HttpResponse:
    """Render the history of `obj`. The caller has already checked access (organizations.access)."""
    context = {
        "object": obj,
        "title": title,
        "back_url": back_url,
        "rows": history_rows(obj, hidden=hidden),
        "org": org,
        "breadcrumbs": selectors.breadcrumbs(request.user, org) if org is not None else [],
    }
    return render(request, template, context)


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录 of a member: for secretaries and staff of the member's organization (and above), not the member."""
    member = access.get_member_for_user(request.user, pk)
    access.require(access.can_see_history(request.user, member.organization))
    hidden = () if access.can_see_phone(request.user, member) else ("phone",)
    return history_page(
        request,
        member,
        title=_("%(name)s 的修改记录") % {"name": member.name},
        back_url=member.get_absolute_url(),
        org=member.organization,
        hidden=hidden,
    )


def history_view(model: type[models.Model], *, org_field: str = "organization", hidden: Iterable[str] = ()):
    """A ready 修改记录 view for any model with history whose organization is reached through `org_field`
    (e.g. "plan__organization"): 404 outside the user's subtree, 403 for those who may not see the trail.

        path("plans/<int:pk>/history/", history_view(AnnualPlan), name="plan_history")
    """

    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        obj = access.get_for_user(model._default_manager.all(), request.user, pk, field=org_field)
        org = obj
        for part in org_field.split("__"):
            org = getattr(org, part)
        access.require(access.can_see_history(request.user, org))
        back_url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else org.get_absolute_url()
        return history_page(
            request,
            obj,
            title=_("%(name)s 的修改记录") % {"name": obj},
            back_url=back_url,
            org=org,
            hidden=hidden,
        )

    view.__name__ = f"{model._meta.model_name}_history"
    return view
