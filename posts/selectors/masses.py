"""Reads of 推行“四争” and 党员联系群众: a member's aim and contacts, counts per member and per school."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from organizations import access
from organizations.models import Member, Organization

from ..enums import FourStrive, MassGroup
from ..models import AnnualAim, MassContact


def member_aim(member: Member, year: int) -> AnnualAim | None:
    return AnnualAim.objects.filter(member=member, year=year).first()


def member_contacts(member: Member) -> QuerySet[MassContact]:
    return MassContact.objects.filter(member=member).order_by("-contacted_on", "-pk")


def get_contact_for_user(user, pk: int) -> MassContact:
    """One's own contact entry (else 404)."""
    member = access.own_member(user)
    return get_object_or_404(MassContact.objects.select_related("member"), pk=pk, member=member)


def _by_group(prefix: str, **period) -> dict:
    counts = {"total": Count(prefix, filter=Q(**{f"{prefix}__{k}": v for k, v in period.items()}))}
    for group in MassGroup:
        flt = {f"{prefix}__whom": group.value, **{f"{prefix}__{k}": v for k, v in period.items()}}
        counts[f"n_{group.value}"] = Count(prefix, filter=Q(**flt))
    return counts


def contact_counts(user, org: Organization, year: int) -> QuerySet[Member]:
    """The active members of the subtree with their number of contacts in the year, per group (one query)."""
    qs = Member.objects.filter(organization__path__startswith=org.path, is_active=True)
    return (
        access.scope(qs, user)
        .select_related("organization")
        .annotate(**_by_group("mass_contacts", contacted_on__year=year))
        .order_by("organization__path", "name", "pk")
    )


def member_contact_summary(member: Member, start: datetime.date, end: datetime.date) -> dict:
    """For the self-evaluation: the member's contacts between two dates, counted per group, with the latest ones."""
    qs = MassContact.objects.filter(member=member, contacted_on__gte=start, contacted_on__lte=end)
    counts = qs.aggregate(**{g.value: Count("pk", filter=Q(whom=g.value)) for g in MassGroup})
    return {
        "total": sum(counts.values()),
        "groups": [(g.label, counts[g.value]) for g in MassGroup],
        "latest": list(qs.order_by("-contacted_on", "-pk")[:5]),
    }


def aims_by_school(root: Organization, year: int) -> list[dict]:
    """四争 choices of the year counted per school in the subtree (one query)."""
    rows = (
        AnnualAim.objects.filter(member__organization__path__startswith=root.path, year=year)
        .values("member__organization__school_name", "aim")
        .annotate(n=Count("pk"))
        .order_by("member__organization__school_name")
    )
    schools: dict[str, dict] = {}
    for row in rows:
        name = row["member__organization__school_name"] or "—"
        entry = schools.setdefault(name, {"school": name, **{a.value: 0 for a in FourStrive}, "total": 0})
        entry[row["aim"]] = row["n"]
        entry["total"] += row["n"]
    return [{**e, "counts": [e[a.value] for a in FourStrive]} for e in schools.values()]
