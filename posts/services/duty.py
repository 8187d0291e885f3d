"""组织履岗 records of the member: dated duty-log entries with evidence files, and duty reports (述职报告)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.uploads import validate_upload
from organizations.models import Member
from years.selectors import ensure_year_writable

from ..enums import CommitmentState
from ..models import Commitment, DutyEvidence, DutyLogEntry, DutyReport


@transaction.atomic
def duty_log_add(*, commitment: Commitment, by, happened_on: datetime.date, content: str, files=()) -> DutyLogEntry:
    """A dated duty-log entry on an approved commitment, with evidence files checked by type and size."""
    ensure_year_writable(commitment.claim.post.year)
    if commitment.state != CommitmentState.APPROVED:
        raise ValidationError(_("承诺审核通过后才能登记履岗情况"))
    if happened_on and happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("日期不能晚于今天")})
    for f in files:
        validate_upload(f)
    entry = DutyLogEntry(commitment=commitment, by=by, happened_on=happened_on, content=(content or "").strip())
    entry.full_clean()
    entry.save()
    for f in files:
        evidence = DutyEvidence(entry=entry, name=f.name[:200])
        evidence.file.save(f.name, f, save=False)
        evidence.save()
    return entry


@transaction.atomic
def duty_log_delete(*, entry: DutyLogEntry) -> None:
    """Remove one's own duty-log entry with its files."""
    ensure_year_writable(entry.commitment.claim.post.year)
    for evidence in entry.evidence.all():
        evidence.file.delete(save=False)
    entry.delete()


@transaction.atomic
def duty_report_save(*, member: Member, year: int, period: str, text: str, file=None) -> DutyReport:
    """Write or rewrite the member's duty report (述职报告) for the period; the file is optional."""
    ensure_year_writable(year)
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写述职内容")})
    if file:
        validate_upload(file)
    report = DutyReport.objects.filter(member=member, year=year, period=period).first() or DutyReport(
        member=member, year=year, period=period)
    report.text = text.strip()
    report.full_clean(exclude=["file"])
    if file:
        report.file_name = file.name[:200]
        report.file.save(file.name, file, save=False)
    report.save()
    return report
