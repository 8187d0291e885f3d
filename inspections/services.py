"""Writes of 年中巡查 and 年终讲评. Every rule is held here: the view's checks only decide what the page offers."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import COMMITTEE_KINDS
from organizations.models import Organization
from years.selectors import ensure_year_writable

from .enums import CheckArea
from .models import FixItem, FollowUp, Inspection, YearReview


def _require_committee_staff(by, committee: Organization) -> None:
    if committee.kind not in COMMITTEE_KINDS or not access.is_staff_of(by, committee):
        raise PermissionDenied(_("只有教育工委、高校党委和机关党委的工作人员可以巡查"))


def _not_future(field: str, day: datetime.date | None) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天")})


@transaction.atomic
def inspection_record(
    *,
    committee: Organization,
    organization: Organization,
    by,
    inspected_on: datetime.date,
    inspectors: str,
    checked: list[str],
    findings: str,
) -> Inspection:
    """Record the committee's inspection of a unit in its subtree (not itself). The checked areas are some of the
    six steps, coverage, posts and ratings; a date in the future or in an archived year is refused."""
    _require_committee_staff(by, committee)
    if organization.pk == committee.pk or not organization.path.startswith(committee.path):
        raise ValidationError({"organization": _("只能巡查本单位所辖的党组织")})
    _not_future("inspected_on", inspected_on)
    checked = [c for c in dict.fromkeys(checked or []) if c in CheckArea.values]
    if not checked:
        raise ValidationError({"checked": _("请至少选择一项巡查内容")})
    if inspected_on:
        ensure_year_writable(inspected_on.year)
    inspection = Inspection(
        committee=committee,
        organization=organization,
        year=inspected_on.year if inspected_on else 0,
        inspected_on=inspected_on,
        inspectors=(inspectors or "").strip(),
        checked=checked,
        findings=(findings or "").strip(),
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def fix_item_add(*, inspection: Inspection, by, content: str, responsible: str, due_on: datetime.date) -> FixItem:
    """An item the inspected unit must fix, with the person who answers for it and a deadline after the inspection."""
    _require_committee_staff(by, inspection.committee)
    ensure_year_writable(inspection.year)
    if due_on and due_on < inspection.inspected_on:
        raise ValidationError({"due_on": _("整改期限不能早于巡查日期")})
    item = FixItem(
        inspection=inspection, content=(content or "").strip(), responsible=(responsible or "").strip(), due_on=due_on
    )
    item.full_clean()
    item.save()
    return item


def may_follow_up(user, item: FixItem) -> bool:
    """The inspected unit's secretaries report progress; the committee's staff may note it too."""
    inspection = item.inspection
    return access.is_secretary_of(user, inspection.organization) or access.is_staff_of(user, inspection.committee)


@transaction.atomic
def follow_up_add(*, item: FixItem, by, happened_on: datetime.date, note: str) -> FollowUp:
    """A dated progress note on an open item, by the unit's secretary or the committee's staff."""
    if not may_follow_up(by, item):
        raise PermissionDenied(_("只有被巡查单位的书记或巡查单位的工作人员可以登记整改进展"))
    if item.is_closed:
        raise ValidationError(_("该整改事项已销号"))
    _not_future("happened_on", happened_on)
    entry = FollowUp(item=item, by=by, happened_on=happened_on, note=(note or "").strip())
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def fix_item_close(*, item: FixItem, by, closing_note: str, closed_on: datetime.date | None = None) -> FixItem:
    """销号: the committee's staff (not the unit) close an item, saying what they verified."""
    _require_committee_staff(by, item.inspection.committee)
    item = FixItem.objects.select_for_update().get(pk=item.pk)
    if item.is_closed:
        raise ValidationError(_("该整改事项已销号"))
    if not (closing_note or "").strip():
        raise ValidationError({"closing_note": _("请填写销号意见（核实了哪些整改结果）")})
    item.closed_on = closed_on or timezone.localdate()
    item.closing_note = closing_note.strip()
    item.full_clean()
    item.save(update_fields=["closed_on", "closing_note"])
    return item


@transaction.atomic
def year_review_save(*, organization: Organization, year: int, by, text: str) -> YearReview:
    """Write or rewrite the committee's year-end review (年终讲评) of its subtree."""
    _require_committee_staff(by, organization)
    ensure_year_writable(year)
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写讲评内容")})
    review = YearReview.objects.filter(organization=organization, year=year).first() or YearReview(
        organization=organization, year=year
    )
    review.text, review.updated_by = text.strip(), by
    review.full_clean()
    review.save()
    return review
