"""Reads of award rounds and nominations: who sees a round, who reviews, and who may be nominated."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import Role
from organizations.models import Organization

from ..enums import AppraisalConclusion, Grade, PeriodKind, RectificationState
from ..models import AwardRound, DemocraticAppraisal, Nomination, Rating, Rectification


def award_rounds_for(user, org: Organization) -> QuerySet[AwardRound]:
    """Rounds run by this organization or one above it (where its branches nominate)."""
    steplen = Organization.steplen
    prefixes = [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]
    return AwardRound.objects.filter(organization__path__in=prefixes).select_related("organization")


def get_round_for_user(user, pk: int) -> AwardRound:
    """A round is visible to whoever sees its organization, or an organization below it that nominates."""
    rnd = get_object_or_404(AwardRound.objects.select_related("organization"), pk=pk)
    below = access.visible_organizations(user).filter(path__startswith=rnd.organization.path).exists()
    if not (access.is_visible(user, rnd.organization) or below):
        raise Http404
    return rnd


def nominations_visible(user, rnd: AwardRound) -> QuerySet[Nomination]:
    qs = Nomination.objects.filter(round=rnd).select_related("member", "nominating_org")
    if access.is_visible(user, rnd.organization):
        return qs
    return access.scope(qs, user, "nominating_org")


def get_nomination_for_user(user, pk: int) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__organization", "member", "nominating_org"), pk=pk
    )
    if not (access.is_visible(user, nomination.round.organization) or access.is_visible(user, nomination.nominating_org)):
        raise Http404
    return nomination


def nomination_eligibility(round: AwardRound, members) -> dict[int, list[str]]:
    """Why each member may not be nominated in the round ([] = eligible), read the same way by the nomination page
    (which greys them out) and the service (which refuses): in the round's year a 较差 grade in any period or a
    不合格 民主评议 conclusion; a 限期整改 not yet finished (of any year, overdue or not); already nominated in this
    round. Four queries whatever the number of members."""
    ids = [m.pk for m in members]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return reasons
    poor = (
        Rating.objects.filter(member_id__in=ids, period__year=round.year, grade=Grade.POOR, published=True)
        .order_by("period__closes_on", "period_id")
        .values_list("member_id", "period__kind")
    )
    for member_id, kind in poor:
        text = _("%(year)s年%(period)s等次为较差") % {"year": round.year, "period": PeriodKind(kind).label}
        if text not in reasons[member_id]:
            reasons[member_id].append(text)
    unqualified = DemocraticAppraisal.objects.filter(
        member_id__in=ids, year=round.year, conclusion=AppraisalConclusion.UNQUALIFIED
    ).values_list("member_id", flat=True)
    for member_id in unqualified:
        reasons[member_id].append(_("%(year)s年民主评议结论为不合格") % {"year": round.year})
    today = timezone.localdate()
    open_rectifications: dict[int, bool] = {}
    for member_id, deadline in Rectification.objects.filter(
        member_id__in=ids, state=RectificationState.OPEN
    ).values_list("member_id", "deadline"):
        open_rectifications[member_id] = open_rectifications.get(member_id, False) or deadline < today
    for member_id, overdue in open_rectifications.items():
        reasons[member_id].append(_("有未完成的限期整改（已逾期）") if overdue else _("有未完成的限期整改"))
    for member_id in Nomination.objects.filter(round=round, member_id__in=ids).values_list("member_id", flat=True):
        reasons[member_id].append(_("已在本轮推荐"))
    return reasons


def can_review(user, nomination: Nomination) -> bool:
    """The school organization reviews: a secretary (not a branch secretary) above the nominating branch."""
    if access.is_superuser(user):
        return True
    path = nomination.nominating_org.path
    return any(g.role == Role.SECRETARY and path.startswith(g.path) for g in access.grants(user))
