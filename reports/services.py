"""Writes for reports: the Annex 5 workflow (open → refresh/save → submit → accept or return → resubmit)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from organizations.enums import STAFF_ROLES, Role
from organizations.models import Organization
from years.selectors import ensure_year_writable

from .figures import count_figures
from .jobs import CONSOLIDATION, export_job_create, export_job_run  # noqa: F401  (background exports)
from .models import FIGURE_FIELDS, NARRATIVE, ExportJob, QuarterlyReport, QuarterlyReportEvent
from .selectors import can_review, unit_due_date

State = QuarterlyReport.State
Action = QuarterlyReportEvent.Action
NARRATIVE_FIELDS = [name for name, _label in NARRATIVE] + ["filled_by", "contact_phone"]


def _record(report: QuarterlyReport, *, action: str, by, from_state: str, reason: str = "") -> QuarterlyReportEvent:
    return QuarterlyReportEvent.objects.create(
        report=report, action=action, by=by, from_state=from_state, to_state=report.state, reason=reason
    )


def _notify(report: QuarterlyReport, event: QuarterlyReportEvent) -> None:
    """Tell the other side: a submission goes to the city committee's staff, a return or acceptance to the unit's
    staff. Once per event and person (notifications keys), email after commit."""
    from notifications.services import notice_send

    if event.action == Action.SUBMITTED:
        roles, where = [Role.CITY_STAFF], {}
        subject = _("%(unit)s报送了%(year)s年第%(q)s季度季报表") % {
            "unit": report.organization.name,
            "year": report.year,
            "q": report.quarter,
        }
    else:
        roles, where = list(STAFF_ROLES), {"organization": report.organization}
        verb = _("已退回") if event.action == Action.RETURNED else _("已接收")
        subject = _("%(year)s年第%(q)s季度季报表%(verb)s") % {"year": report.year, "q": report.quarter, "verb": verb}
    recipients = (
        get_user_model()
        .objects.filter(role_assignments__role__in=roles, **{f"role_assignments__{k}": v for k, v in where.items()})
        .distinct()
    )
    body = event.reason or subject
    for user in recipients:
        notice_send(
            recipient=user,
            subject=subject,
            body=body,
            url=report.get_absolute_url(),
            key=f"quarterly|{event.pk}|{user.pk}",
        )


def _fill_figures(report: QuarterlyReport) -> None:
    values, notes = count_figures(report.organization, report.year, report.quarter)
    for name in FIGURE_FIELDS:
        setattr(report, name, values[name])
    report.figures_notes = notes
    report.figures_counted_at = timezone.now()


@transaction.atomic
def quarterly_report_open(*, organization: Organization, year: int, quarter: int, by) -> QuarterlyReport:
    """The unit's report for the quarter: the existing one, or a new draft with figures counted now.

    Guarantees one report per unit and quarter; refuses organizations that do not report quarterly.
    """
    ensure_year_writable(year)
    if not organization.reports_quarterly:
        raise ValidationError(_("该组织不报送季报表"))
    if quarter not in (1, 2, 3, 4) or not (2000 <= year <= 2100):
        raise ValidationError(_("请选择正确的年度和季度"))
    existing = QuarterlyReport.objects.filter(organization=organization, year=year, quarter=quarter).first()
    if existing is not None:
        return existing
    report = QuarterlyReport(
        organization=organization,
        year=year,
        quarter=quarter,
        due_on=unit_due_date(organization, year, quarter),
        filled_by=((by.get_full_name() or by.username)[:50] if by is not None else ""),
    )
    _fill_figures(report)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # opened by a colleague at the same moment
        return QuarterlyReport.objects.get(organization=organization, year=year, quarter=quarter)
    _record(report, action=Action.OPENED, by=by, from_state="")
    return report


@transaction.atomic
def quarterly_report_refresh(*, report: QuarterlyReport, by, expected_version: int) -> QuarterlyReport:
    """Count the figures again from today's data. Only a draft or returned report; submitted figures stay frozen."""
    ensure_year_writable(report.year)
    if not report.is_editable:
        raise ValidationError(_("已报送的季报表数据已锁定，不能更新"))
    _fill_figures(report)
    report.full_clean()
    save_versioned(
        report, fields=FIGURE_FIELDS + ["figures_notes", "figures_counted_at"], expected_version=expected_version
    )
    _record(report, action=Action.REFRESHED, by=by, from_state=report.state)
    return report


@transaction.atomic
def quarterly_report_update(*, report: QuarterlyReport, by, expected_version: int, **fields) -> QuarterlyReport:
    """Save the hand-written parts (主要做法和成效, 存在问题, 下一步打算, 填报人, 联系电话) of a draft or returned report."""
    ensure_year_writable(report.year)
    if not report.is_editable:
        raise ValidationError(_("已报送的季报表不能修改"))
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些内容：%(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    save_versioned(report, fields=list(fields), expected_version=expected_version)
    _record(report, action=Action.SAVED, by=by, from_state=report.state)
    return report


@transaction.atomic
def quarterly_report_submit(*, report: QuarterlyReport, by, expected_version: int) -> QuarterlyReport:
    """Submit to the city committee: figures are counted once more and frozen; after the due date it is marked late."""
    ensure_year_writable(report.year)
    if not report.is_editable:
        raise ValidationError(_("该季报表已报送，不能重复报送"))
    required = [*NARRATIVE, ("filled_by", _("填报人")), ("contact_phone", _("联系电话"))]
    missing = {name: _("报送前请填写“%(label)s”") % {"label": label}
               for name, label in required if not getattr(report, name).strip()}
    if missing:
        raise ValidationError(missing)  # each beside its field on the form
    from_state = report.state
    _fill_figures(report)
    now = timezone.now()
    report.state = State.SUBMITTED
    report.submitted_at = now
    report.due_on = unit_due_date(report.organization, report.year, report.quarter)  # the calendar may have moved
    report.is_late = timezone.localdate(now) > report.due_on
    report.full_clean()
    save_versioned(
        report,
        fields=FIGURE_FIELDS + ["figures_notes", "figures_counted_at", "state", "submitted_at", "due_on", "is_late"],
        expected_version=expected_version,
    )
    _notify(report, _record(report, action=Action.SUBMITTED, by=by, from_state=from_state))
    return report


@transaction.atomic
def quarterly_report_save_and_submit(*, report: QuarterlyReport, by, expected_version: int, **fields) -> QuarterlyReport:
    """报送 from the form: save the hand-written parts as the user has them and submit them, in one transaction. A
    stale version, a blank required part or a report no longer editable refuses the whole: nothing saved, nothing
    submitted."""
    report = quarterly_report_update(report=report, by=by, expected_version=expected_version, **fields)
    return quarterly_report_submit(report=report, by=by, expected_version=report.version)


@transaction.atomic
def quarterly_report_return(*, report: QuarterlyReport, by, reason: str, expected_version: int) -> QuarterlyReport:
    """The city committee sends a submitted report back for revision, always with a reason."""
    ensure_year_writable(report.year)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    if report.state != State.SUBMITTED:
        raise ValidationError(_("只有已报送的季报表可以退回"))
    report.state = State.RETURNED
    report.full_clean()
    save_versioned(report, fields=["state"], expected_version=expected_version)
    _notify(report, _record(report, action=Action.RETURNED, by=by, from_state=State.SUBMITTED, reason=reason.strip()))
    return report


@transaction.atomic
def quarterly_report_accept(*, report: QuarterlyReport, by, expected_version: int) -> QuarterlyReport:
    """The city committee accepts a submitted report; its figures stay as submitted."""
    ensure_year_writable(report.year)
    if report.state != State.SUBMITTED:
        raise ValidationError(_("只有已报送的季报表可以接收"))
    report.state = State.ACCEPTED
    report.full_clean()
    save_versioned(report, fields=["state"], expected_version=expected_version)
    _notify(report, _record(report, action=Action.ACCEPTED, by=by, from_state=State.SUBMITTED))
    return report


def consolidation_export_create(*, requested_by, year: int, quarter: int, fmt: str) -> ExportJob:
    """A background export of the city's consolidation for the quarter, as xlsx or PDF. It belongs to the requester's
    city committee, so the job and its file are seen only by the requester while they still see that committee."""
    from . import consolidation_data

    if not can_review(requested_by):
        raise ValidationError(_("只有市委教育工委可以下载全市汇总"))
    if fmt not in {"xlsx", "pdf"}:
        raise ValidationError(_("不支持的文件格式"))
    params = {"year": year, "quarter": quarter, "format": fmt}
    # asked again (a second click, a reload) while the same file is still being made: the same job, not another
    waiting = ExportJob.objects.filter(
        requested_by=requested_by,
        kind=CONSOLIDATION,
        state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING],
        params=params,
    ).first()
    if waiting is not None:
        return waiting
    return export_job_create(
        requested_by=requested_by,
        organization=consolidation_data.owner_organization(requested_by),
        kind=CONSOLIDATION,
        params=params,
    )
