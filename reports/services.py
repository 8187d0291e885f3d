"""Writes for reports: the Annex 5 workflow (open → refresh/save → submit → accept or return → resubmit)."""

from __future__ import annotations

from celery import current_app
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
from .models import FIGURE_FIELDS, NARRATIVE, ExportJob, QuarterlyReport, QuarterlyReportEvent
from .selectors import can_review, unit_due_date

State = QuarterlyReport.State
Action = QuarterlyReportEvent.Action
NARRATIVE_FIELDS = [name for name, _label in NARRATIVE] + ["filled_by", "contact_phone"]
CONSOLIDATION = "consolidation"  # ExportJob.kind of the city's Annex 5 consolidation
MAKE_EXPORT = "reports.tasks.make_export"  # the Celery task that runs export_job_run


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
    missing = [str(label) for name, label in NARRATIVE if not getattr(report, name).strip()]
    if not report.filled_by.strip():
        missing.append(_("填报人"))
    if not report.contact_phone.strip():
        missing.append(_("联系电话"))
    if missing:
        raise ValidationError(_("请先填写：%(names)s") % {"names": "、".join(missing)})
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


@transaction.atomic
def export_job_create(*, requested_by, organization: Organization, kind: str, params: dict) -> ExportJob:
    """A pending background export; the task that makes the file (reports.tasks.make_export, which calls
    export_job_run) is queued after commit. It is looked up by name so that the tasks module, which calls this
    module, is not imported back."""
    job = ExportJob(requested_by=requested_by, organization=organization, kind=kind, params=params)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: current_app.tasks[MAKE_EXPORT].delay(job.pk))
    return job


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


def _export_file(job: ExportJob) -> tuple[bytes, str]:
    """The file of an export job and the name it is downloaded under."""
    from . import consolidation_data
    from .exports import tables
    from .exports.pdf import pdf_bytes
    from .exports.xlsx import xlsx_bytes

    writers = {"pdf": pdf_bytes, "xlsx": xlsx_bytes}
    ext = job.params.get("format", "pdf")
    if job.kind == CONSOLIDATION:
        year, quarter = int(job.params["year"]), int(job.params["quarter"])
        # read as the person who asked, with their access as it is now
        if not can_review(job.requested_by):
            raise PermissionError("the requester no longer reviews quarterly reports")
        data = writers[ext](consolidation_data.consolidation_tables(job.requested_by, year, quarter))
        return data, consolidation_data.filename(year, quarter, ext)
    builders = {"annex1": tables.annex1, "annex2": tables.annex2}
    names = {"annex1": "附件1_年度工作目标分解表", "annex2": "附件2_年度党员亮岗履职一览表"}
    year = int(job.params["year"])
    data = writers[ext]([builders[job.kind](job.organization, year)])
    return data, f"{names[job.kind]}_{job.organization.name}_{year}年.{ext}"


def export_job_run(*, job_id: int) -> ExportJob:
    """Make the file of a background export. Guarantees the job ends done (with its file) or failed (with the error);
    a job already finished is left as it is."""
    from django.core.files.base import ContentFile

    job = ExportJob.objects.select_related("organization", "requested_by").get(pk=job_id)
    if job.state in {ExportJob.State.DONE, ExportJob.State.FAILED}:
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING)
    try:
        data, filename = _export_file(job)
    except Exception as exc:  # recorded on the job for the person waiting for it
        job.state = ExportJob.State.FAILED
        job.error = str(exc)[:1000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        return job
    ext = filename.rsplit(".", 1)[-1]
    job.filename = filename
    job.file.save(f"export-{job.pk}.{ext}", ContentFile(data), save=False)
    job.state = ExportJob.State.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["filename", "file", "state", "finished_at"])
    return job
