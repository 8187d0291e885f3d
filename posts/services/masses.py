"""推行“四争” and 党员联系群众: a member's annual aim and the log of contacts with the masses. Both are the member's own:
nobody else chooses an aim or writes a contact for them."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member
from years.selectors import ensure_year_writable

from ..enums import FourStrive
from ..models import AnnualAim, MassContact


def _own(member: Member, by) -> None:
    if by is None or member.user_id is None or member.user_id != by.pk:
        raise PermissionDenied(_("只能登记本人的记录"))


@transaction.atomic
def aim_choose(*, member: Member, year: int, aim: str, by) -> AnnualAim:
    """The member chooses (or changes) one of the four 争 as the year's aim."""
    _own(member, by)
    ensure_year_writable(year)
    if aim not in FourStrive.values:
        raise ValidationError({"aim": _("请从“四争”中选择一项")})
    row = AnnualAim.objects.select_for_update().filter(member=member, year=year).first() or AnnualAim(
        member=member, year=year
    )
    row.aim = aim
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def mass_contact_add(
    *, member: Member, by, contacted_on: datetime.date, whom: str, subject: str, person: str = "", outcome: str = ""
) -> MassContact:
    """A contact of the member with students, parents, colleagues or residents: when, about what, with what outcome.
    Refuses a date in the future and a year already archived."""
    _own(member, by)
    if contacted_on and contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("日期不能晚于今天")})
    if contacted_on:
        ensure_year_writable(contacted_on.year)
    contact = MassContact(
        member=member, by=by, contacted_on=contacted_on, whom=whom, person=(person or "").strip(),
        subject=(subject or "").strip(), outcome=(outcome or "").strip(),
    )  # fmt: skip
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def mass_contact_delete(*, contact: MassContact, by) -> None:
    """The member removes one of their own entries (of a year still open)."""
    _own(contact.member, by)
    ensure_year_writable(contact.contacted_on.year)
    contact.delete()
