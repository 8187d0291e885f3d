"""Who may make a member's 党组织综合评定, and mark a part of a member's rating 未参加. Nobody judges their own work: nobody assesses themselves, and a secretary
(党委/总支/支部书记) is assessed one level up — a branch secretary by the school Party organization above the branch,
a school secretary by the committee above the school — never by the organization she leads.

One rule, read by the assessment service (which refuses) and by the assessment pages (which hide what would be
refused), so the page never offers what the server would refuse.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import MANAGING_ROLES, SECRETARY_ROLES
from organizations.models import Member, RoleAssignment

from .models import EvaluationPeriod
from .participants import period_members

SELF_REFUSAL = "不能评定本人，请由上级党组织评定"
SELF_ABSENCE_REFUSAL = "不能将本人的考评项目标记为未参加，请由上级党组织标记"


def _led(period: EvaluationPeriod, members: list[Member]) -> dict[int, list[tuple[str, str]]]:
    """For each member with a login: the organizations (path, name) they lead as secretary that lie on their own
    line of organizations or inside the period's subtree (one query)."""
    by_pk = {m.pk: m for m in members}
    if not by_pk:
        return {}
    # by member, not by login: one query however many of the members have a login (a flat page)
    rows = RoleAssignment.objects.filter(user__member__in=list(by_pk), role__in=SECRETARY_ROLES).values_list(
        "user__member", "organization__path", "organization__name"
    )
    led: dict[int, list[tuple[str, str]]] = {}
    top = period.organization.path
    for member_pk, path, name in rows:
        member = by_pk[member_pk]
        if member.organization.path.startswith(path) or path.startswith(top):
            led.setdefault(member.pk, []).append((path, name))
    return led


def _above(user, path: str) -> bool:
    """The user holds a secretary or staff role in an organization strictly above `path`."""
    return any(
        path.startswith(g.path) and len(g.path) < len(path) for g in access.grants(user) if g.role in MANAGING_ROLES
    )


def _refusals(period: EvaluationPeriod, members, user, *, own: str, led_by: str, outside: str) -> dict[int, str]:
    """The one rule, worded for the act at hand: `own` when the member is the user, `led_by` (with %(name)s and
    %(org)s) when the member leads an organization the user does not sit above, `outside` when the user runs
    nothing here."""
    members = list(members)
    led = _led(period, members)
    superuser = access.is_superuser(user)
    manages = access.is_secretary_of(user, period.organization)
    out: dict[int, str] = {}
    for member in members:
        if member.user_id and member.user_id == getattr(user, "pk", None):
            out[member.pk] = own
        elif member.pk in led:
            below = [(path, name) for path, name in led[member.pk] if not (superuser or _above(user, path))]
            out[member.pk] = led_by % {"name": member.name, "org": below[0][1]} if below else ""
        elif not manages:
            out[member.pk] = outside
        else:
            out[member.pk] = ""
    return out


def assessment_refusals(*, period: EvaluationPeriod, members, user) -> dict[int, str]:
    """Why `user` may not make each member's assessment in the period ('' = may). Members need their organization
    loaded; two queries whatever their number (the user's roles are read once per request)."""
    return _refusals(
        period, members, user, own=_(SELF_REFUSAL), led_by=_("%(name)s是%(org)s书记，其综合评定须由上级党组织评定"),
        outside=_("只有本组织或上级党组织的书记可以进行综合评定"),
    )


def absence_refusals(*, period: EvaluationPeriod, members, user) -> dict[int, str]:
    """Why `user` may not mark (or withdraw) 未参加 on a part of each member's rating ('' = may). The assessment's
    rule, for every part: marking a part away decides the grade as much as scoring it, so nobody marks a part of
    their own rating (not even her own self-evaluation), and a secretary's parts are marked from above."""
    return _refusals(
        period, members, user, own=_(SELF_ABSENCE_REFUSAL),
        led_by=_("%(name)s是%(org)s书记，其考评项目须由上级党组织标记未参加"),
        outside=_("只有本组织或上级党组织的书记可以标记未参加"),
    )


def absence_refusal(*, period: EvaluationPeriod, member: Member, user) -> str:
    """Why `user` may not mark (or withdraw) 未参加 on a part of this member's rating, or '' when they may."""
    return absence_refusals(period=period, members=[member], user=user)[member.pk]


def assessment_refusal(*, period: EvaluationPeriod, member: Member, user) -> str:
    """Why `user` may not make this member's assessment in the period, or '' when they may."""
    return assessment_refusals(period=period, members=[member], user=user)[member.pk]


def assessable_members(*, period: EvaluationPeriod, members, user) -> set[int]:
    """The members of `members` whose assessment `user` may make."""
    return {pk for pk, reason in assessment_refusals(period=period, members=members, user=user).items() if not reason}


def assessable_secretaries(*, period: EvaluationPeriod, user) -> list[Member]:
    """The secretaries rated in the period whose assessment `user` makes from an organization above theirs (for
    committee staff, who do not run the period but assess the school secretary in it). Three queries."""

    candidates = list(
        period_members(period)
        .filter(user__role_assignments__role__in=SECRETARY_ROLES)
        .select_related("organization")
        .distinct()
    )
    ok = assessable_members(period=period, members=candidates, user=user)
    return [m for m in candidates if m.pk in ok]


def appraisal_refusals(*, period: EvaluationPeriod, members, user) -> dict[int, str]:
    """Why `user` may not record each member's 民主评议党员 conclusion ('' = may): the assessment's rule — nobody
    records their own, a secretary's is recorded from above. `period` is the year-end period of the organization
    whose page it is (it may be unsaved: only its organization is read)."""
    return _refusals(
        period, members, user, own=_("不能记录本人的民主评议结论，请由上级党组织记录"),
        led_by=_("%(name)s是%(org)s书记，其民主评议结论须由上级党组织记录"),
        outside=_("只有本组织或上级党组织的书记可以记录民主评议结论"),
    )
