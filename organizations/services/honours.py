"""Writes to honours (荣誉) and their titles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import BUILTIN_HONOUR_TITLES
from ..models import (
    Honour,
    HonourTitle,
    Organization,
)


@transaction.atomic
def honour_titles_ensure() -> None:
    """Make sure the policy's built-in titles exist (the migration adds them; a flushed test database may not)."""
    for name, track in BUILTIN_HONOUR_TITLES:
        HonourTitle.objects.update_or_create(name=name, defaults={"track": track, "is_builtin": True})


@transaction.atomic
def honour_title_create(*, name: str, track: str) -> HonourTitle:
    """Add a title committee staff award beyond the built-in ones. Guarantees a unique, non-empty name."""
    name = (name or "").strip()
    if HonourTitle.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的荣誉称号")})
    title = HonourTitle(name=name, track=track, is_builtin=False)
    title.full_clean()
    title.save()
    return title


@transaction.atomic
def honour_create(
    *, organization: Organization, title: HonourTitle, level: str, year: int, conferred_by: str
) -> Honour:
    """Record an honour of the organization (or its school). Refuses a duplicate and a year in the future."""
    if year and year > timezone.localdate().year:
        raise ValidationError({"year": _("年度不能晚于今年")})
    if Honour.objects.filter(organization=organization, title=title, level=level, year=year).exists():
        raise ValidationError(_("该组织已登记同一年度、同一级别的这项荣誉"))
    honour = Honour(organization=organization, title=title, level=level, year=year, conferred_by=conferred_by.strip())
    honour.full_clean()
    honour.save()
    return honour


@transaction.atomic
def honour_delete(*, honour: Honour) -> None:
    """Remove a wrongly entered honour (its history stays)."""
    honour.delete()
