"""民主评议党员 recorded for many members at once: one form, one save, each row checked where it stands."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machinery.locking import STALE_MESSAGE, loaded_fingerprint
from organizations.models import Member, Organization
from years.selectors import ensure_year_writable

from ..assessors import appraisal_refusals
from ..enums import AppraisalConclusion, PeriodKind
from ..models import DemocraticAppraisal, EvaluationPeriod, Rating
from .windows import Action, window_refusal

DEFAULT_CONCLUSION = AppraisalConclusion.QUALIFIED  # the good grade of the scale, what 全部设为合格 fills in
APPRAISAL_FIELDS = ["conclusion", "notes"]
NOTES_MAX = 2000


@dataclass
class AppraisalRow:
    """One member's row as submitted: `fingerprint` is '' when the page showed no conclusion yet."""

    member: Member
    conclusion: str = ""
    notes: str = ""
    fingerprint: str = ""


class AppraisalErrors(ValidationError):
    """The refusal of a 民主评议 save: `rows` maps each member's id at fault to its message."""

    def __init__(self, rows: dict[int, str]):
        self.rows = rows
        super().__init__(_("有 %(n)s 名党员的评议结论需要修改，本页未保存") % {"n": len(rows)})


def year_end_period(organization: Organization, year: int) -> EvaluationPeriod:
    """The organization's 年终总评 period of the year (unsaved when it runs none: only its window is read)."""
    return EvaluationPeriod.objects.filter(organization=organization, year=year, kind=PeriodKind.YEAR).first() or (
        EvaluationPeriod(organization=organization, year=year, kind=PeriodKind.YEAR)
    )


def appraisal_window_refusal(
    organization: Organization, year: int, *, today: datetime.date | None = None, period: EvaluationPeriod | None = None
) -> str | None:
    """Why no 民主评议 conclusion of the year may be recorded today (outside the year-end rating window), or None.
    `period`: the organization's year-end period when the caller has it already."""
    return window_refusal(period or year_end_period(organization, year), action=Action.APPRAISAL, today=today)


def appraisal_fingerprint(appraisal: DemocraticAppraisal | None) -> str:
    """What a row carries of the conclusion it was read at ('' for none)."""
    return "" if appraisal is None else loaded_fingerprint(appraisal, APPRAISAL_FIELDS)


def year_grades(members, year: int) -> dict[int, str]:
    """Each member's published 年终总评 grade of the year (one query; the branch's own period wins)."""
    rows = (
        Rating.objects.filter(member__in=[m.pk for m in members], period__year=year, period__kind=PeriodKind.YEAR,
                              published=True)
        .order_by("period__organization__depth")  # the deepest last: it wins in the dict
        .values_list("member_id", "grade")
    )  # fmt: skip
    return dict(rows)


@transaction.atomic
def appraisal_record(
    *, organization: Organization, member: Member, year: int, conclusion: str, notes: str, by
) -> DemocraticAppraisal:
    """Record (or correct) one member's 民主评议党员 conclusion of the year, next to the year-end grade: the rules of
    appraisals_record (window, who may judge), without the check of what the page showed."""
    if not member.organization.path.startswith(organization.path):
        raise ValidationError(_("该党员不属于本组织"))
    if not conclusion:
        raise ValidationError({"conclusion": _("请选择评议结论")})
    existing = DemocraticAppraisal.objects.filter(member=member, year=year).first()
    row = AppraisalRow(member=member, conclusion=conclusion, notes=notes, fingerprint=appraisal_fingerprint(existing))
    try:
        appraisals_record(organization=organization, year=year, rows=[row], by=by)
    except AppraisalErrors as exc:
        raise ValidationError(exc.rows[member.pk]) from None
    return DemocraticAppraisal.objects.get(member=member, year=year)


@transaction.atomic
def appraisals_record(
    *, organization: Organization, year: int, rows: list[AppraisalRow], by, fill_default: bool = False,
    today: datetime.date | None = None,
) -> int:
    """Record the 民主评议党员 conclusions of the rows, in one transaction; returns how many were written. Guarantees:
    - refuses, writing nothing, when the year is archived or today is outside the year-end rating window;
    - a member outside the organization's subtree refuses the whole save (Member.DoesNotExist: 404 for the caller);
    - each row is checked first — a valid conclusion, notes within 2,000 characters, the user may judge the member
      (assessors.appraisal_refusals: not their own, a secretary's from above), the conclusion as stored is the one
      the page showed (else STALE_MESSAGE) — and when any row is at fault AppraisalErrors names each one and
      nothing is written;
    - with `fill_default`, a row left without a conclusion whose member has none recorded gets 合格 (the default
      good grade); other rows left blank are not written;
    - a row whose conclusion and notes are as stored is not written again."""
    ensure_year_writable(year)
    period = year_end_period(organization, year)
    refusal = appraisal_window_refusal(organization, year, today=today, period=period)
    if refusal:
        raise ValidationError(refusal)
    members = [row.member for row in rows]
    if any(not m.organization.path.startswith(organization.path) for m in members):
        raise Member.DoesNotExist(_("该党员不属于本组织"))
    refusals = appraisal_refusals(period=period, members=members, user=by)
    stored = {
        a.member_id: a
        for a in DemocraticAppraisal.objects.select_for_update().filter(member__in=[m.pk for m in members], year=year)
    }
    valid = set(AppraisalConclusion.values)
    errors: dict[int, str] = {}
    writes: list[tuple[AppraisalRow, str]] = []
    for row in rows:
        member, existing = row.member, stored.get(row.member.pk)
        refused = refusals.get(member.pk, "")
        fills = fill_default and existing is None and not refused  # 全部设为合格 passes over whom one may not judge
        conclusion = row.conclusion or (DEFAULT_CONCLUSION if fills else "")
        if not conclusion:
            continue
        if existing is not None and (existing.conclusion, existing.notes) == (conclusion, row.notes):
            continue
        if refused:
            errors[member.pk] = refused
        elif conclusion not in valid:
            errors[member.pk] = _("请选择评议结论")
        elif len(row.notes) > NOTES_MAX:
            errors[member.pk] = _("评议意见不能超过 %(n)s 字") % {"n": NOTES_MAX}
        elif row.fingerprint != appraisal_fingerprint(existing):  # `stored` was read under the lock just now
            errors[member.pk] = str(STALE_MESSAGE)
        else:
            writes.append((row, conclusion))
    if errors:
        raise AppraisalErrors(errors)
    grades = year_grades([row.member for row, _c in writes], year)
    for row, conclusion in writes:
        obj = stored.get(row.member.pk) or DemocraticAppraisal(member=row.member, year=year)
        obj.organization, obj.conclusion, obj.notes, obj.by = organization, conclusion, row.notes, by
        obj.year_grade = grades.get(row.member.pk, "")
        obj.full_clean(exclude=["organization", "member", "by"], validate_unique=False)
        obj.save()
    return len(writes)
