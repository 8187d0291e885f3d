"""The staff audit page's rows (审计日志): changes across the records of a committee's subtree, read from the
simple-history tables, beside logins, failed logins and exports of personal data (organizations.models.AuditEvent).

Every history source costs two queries whatever the number of rows (the page's rows' keys, then those rows with the
versions before them), so the page stays flat. Apps above add their recorded models through AppConfig.audit_trails() (posts: commitments).
`records_download` is the view decorator that records a download of personal data."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from machinery.history import IGNORED, display_value
from machinery.pages import app_offers

from .enums import Role
from .models import AuditEvent, AuditKind, Member, Organization, RoleAssignment

PER_PAGE = 50
EXPORT_ROWS = 5_000


@dataclass(frozen=True)
class Trail:
    """A model with history whose records belong to an organization reached through `org_path` (a lookup of the
    historical row ending in the organization's path)."""

    model: type[models.Model]
    org_path: str
    label: str
    related: tuple[str, ...] = ()
    describe: object = str  # the historical row → the record's name on the page
    hidden: tuple[str, ...] = ()


@dataclass
class AuditRow:
    at: datetime.datetime
    who: str
    kind: str
    kind_label: str
    record: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""
    # (trail, record, older): the changes, worked out only for the rows a page shows (see audit_rows)
    pending: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def when(self) -> str:
        """The time as the page shows it: the template's `at|date:"Y-m-d H:i"` in local time, at a tenth of its cost."""
        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")

    def for_page(self) -> dict:
        """What the page shows of the row, as a dict (the template reads a dict's keys faster than attributes) with
        the changes written out as their list items (`<li>label：before → after</li>`, escaped as the template would)."""
        esc = conditional_escape
        changes = "".join(
            f"<li>{esc(label)}：{esc(before) + ' → ' if before else ''}{esc(after)}</li>"
            for label, before, after in self.changes
        )
        return {"when": self.when, "who": self.who, "kind_label": self.kind_label, "record": self.record,
                "changes": mark_safe(changes)}  # noqa: S308 - every part escaped above


def _role_label(h) -> str:
    person = (h.user.get_full_name() or h.user.get_username()) if h.user_id and h.user else "—"
    return f"{person} · {dict(Role.choices).get(h.role, h.role)}"


def own_trails() -> list[Trail]:
    return [
        Trail(Organization, "path", _("党组织"), describe=lambda h: h.name),
        Trail(RoleAssignment, "organization__path", _("角色"), related=("user",), describe=_role_label),
        Trail(Member, "organization__path", _("党员/教师"), describe=lambda h: h.name, hidden=("phone",)),
    ]


def trails() -> list[Trail]:
    return own_trails() + app_offers("audit_trails")


def _who(user) -> str:
    if user is None:
        return _("系统")
    return user.get_full_name() or user.get_username()


def _changes(trail: Trail, record, older) -> list[tuple[str, str, str]]:
    fields = {f.name: f for f in trail.model._meta.concrete_fields}
    out = []
    for name, model_field in fields.items():
        if name in IGNORED or name == trail.model._meta.pk.name or not model_field.editable:
            continue
        if name == "search_key" or not hasattr(record, model_field.attname):
            continue
        new = getattr(record, model_field.attname)
        old = getattr(older, model_field.attname) if older is not None else None
        if older is not None and old == new:
            continue
        if older is None and record.history_type == "+" and new in (None, "", False):
            continue
        if record.history_type == "-":
            continue
        if name in trail.hidden:
            before, after = _("（不公开）"), _("（不公开）")
        elif isinstance(model_field, models.ForeignKey):
            before, after = (f"#{old}" if old else "—"), (f"#{new}" if new else "—")
        else:
            before, after = display_value(model_field, old), display_value(model_field, new)
        out.append((str(model_field.verbose_name), before if older is not None else "—", after))
    return out


def _person_q(person: str, user_field: str) -> Q:
    return (
        Q(**{f"{user_field}__username__icontains": person})
        | Q(**{f"{user_field}__first_name__icontains": person})
        | Q(**{f"{user_field}__last_name__icontains": person})
    )


@functools.cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    """The simple-history model of `model` (`model.history` builds a new manager class at every access)."""
    return model.history.model


def _history_rows(trail: Trail, org: Organization, filters: dict, limit: int) -> list[AuditRow]:
    history = _history_model(trail.model)
    qs = history.objects.filter(**{f"{trail.org_path}__startswith": org.path})
    if filters.get("start"):
        qs = qs.filter(history_date__date__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(history_date__date__lte=filters["end"])
    if filters.get("person"):
        qs = qs.filter(_person_q(filters["person"], "history_user"))
    top = qs.order_by("-history_date", "-history_id")[:limit]
    pk_name = trail.model._meta.pk.attname
    # the rows' keys first (a light query), then the rows with every version of their records up to the newest row,
    # whence the version just before each (folding both into one query with subqueries measured slower)
    top_ids = list(top.values_list(pk_name, "history_id", "history_date"))
    if not top_ids:
        return []
    shown = {hid for _pk, hid, _at in top_ids}
    versions_qs = (
        history.objects.filter(**{f"{pk_name}__in": {pk for pk, _hid, _at in top_ids}})
        .filter(history_date__lte=max(at for _pk, _hid, at in top_ids))
        .select_related("history_user", *trail.related)
        .order_by()  # sorted below: ORDER BY over this wide a select costs more to compile than sorting a few rows
    )
    versions: dict[object, list] = {}
    records = []
    for v in sorted(versions_qs, key=lambda v: (v.history_date, v.history_id)):
        versions.setdefault(getattr(v, pk_name), []).append(v)
        if v.history_id in shown:
            records.append(v)
    if not records:
        return []
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    kinds = {"+": _("创建"), "~": _("修改"), "-": _("删除")}
    rows = []
    for r in records:
        chain = versions[getattr(r, pk_name)]
        index = next((i for i, v in enumerate(chain) if v.history_id == r.history_id), None)
        older = chain[index - 1] if index else None
        kind = kinds.get(r.history_type, r.history_type)
        reason = f"（{r.history_change_reason}）" if r.history_change_reason else ""
        rows.append(
            AuditRow(
                at=r.history_date,
                who=_who(r.history_user),
                kind=AuditKind.CHANGE,
                kind_label=f"{trail.label}{kind}{reason}",
                record=trail.describe(r),
                pending=(trail, r, older),
            )
        )
    return rows


def _event_rows(org: Organization, filters: dict, limit: int, *, everything: bool) -> list[AuditRow]:
    qs = AuditEvent.objects.all()
    scope = Q(organization__path__startswith=org.path)
    if everything:  # the city's page also lists failed logins of unknown names
        scope |= Q(organization__isnull=True)
    qs = qs.filter(scope)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("start"):
        qs = qs.filter(at__date__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(at__date__lte=filters["end"])
    if filters.get("person"):
        qs = qs.filter(_person_q(filters["person"], "user") | Q(username__icontains=filters["person"]))
    url_label, ip_label = _("网址"), _("IP 地址")
    kind_labels = {value: str(label) for value, label in AuditKind.choices}
    rows = []
    # the fields a row shows, not whole events, users and organizations; the newest events are picked first and only
    # they are joined to their users (not every event of the subtree before the sort)
    newest = qs.order_by("-at", "-pk").values("pk")[:limit]
    events = AuditEvent.objects.filter(pk__in=newest).order_by("-at", "-pk").values_list(
        "kind", "user_id", "username", "what", "path", "ip", "at",
        "user__username", "user__first_name", "user__last_name", "organization__name",
    )
    for kind, user_id, username, what, path, ip, at, login, first_name, last_name, org_name in events:
        # _who(user): User.get_full_name() or User.get_username()
        who = (f"{first_name} {last_name}".strip() or login) if user_id else (username or "—")
        record = what or (org_name or "")
        detail = [(url_label, "", path)] if path else []
        if ip:
            detail.append((ip_label, "", ip))
        label = kind_labels.get(kind, kind)
        rows.append(AuditRow(at=at, who=who, kind=kind, kind_label=label, record=record, changes=detail))
    return rows


def audit_rows(org: Organization, filters: dict, *, offset: int = 0, limit: int = PER_PAGE) -> tuple[list, bool]:
    """The newest rows from `offset` (at most `limit`), and whether older ones follow."""
    want = offset + limit + 1
    rows: list[AuditRow] = []
    kind = filters.get("kind") or ""
    if kind in ("", AuditKind.CHANGE):
        for trail in trails():
            rows += _history_rows(trail, org, filters, want)
    if kind != AuditKind.CHANGE:
        rows += _event_rows(org, filters, want, everything=org.is_root())
    rows.sort(key=lambda r: r.at, reverse=True)
    shown = rows[offset : offset + limit]
    for row in shown:
        if row.pending is not None:
            row.changes, row.pending = _changes(*row.pending), None
    return shown, len(rows) > offset + limit


def record_export(request, *, organization, what: str) -> None:
    """Record that the signed-in user was served personal data of `organization` (an object or id)."""
    from .services.audit import audit_record

    audit_record(kind=AuditKind.EXPORT, request=request, organization=organization, what=str(what))


def records_download(what, organization_of=None):
    """Decorate a view that serves personal data: a served file (a response with Content-Disposition) is recorded as
    an export by the signed-in user. `what` is a label or a function of the request and view kwargs; the organization
    is the view's `pk` unless `organization_of(request, response, **kwargs)` names it."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and response.has_header("Content-Disposition"):
                org_id = organization_of(request, **kwargs) if organization_of else kwargs.get("pk")
                record_export(request, organization=org_id, what=what)
            return response

        return wrapped

    return decorate
