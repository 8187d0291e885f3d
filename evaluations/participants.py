"""Who takes part in a period and under which settings: reads every evaluations module builds on (services,
selectors, the assessor rule and the reminders), kept below all of them so none imports another in a circle."""

from __future__ import annotations

from organizations.models import Member, Organization

from .models import EvaluationPeriod, EvaluationSettings


def settings_for(organization: Organization) -> EvaluationSettings:
    """The organization's own settings, else the nearest ancestor's, else the defaults (unsaved)."""
    steplen = Organization.steplen
    prefixes = [organization.path[:i] for i in range(steplen, len(organization.path) + 1, steplen)]
    found = (
        EvaluationSettings.objects.filter(organization__path__in=prefixes)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )
    return found or EvaluationSettings(organization=organization)


def period_members(period: EvaluationPeriod):
    """The members rated in a period: the active members of the organization's subtree."""
    return Member.objects.filter(organization__path__startswith=period.organization.path, is_active=True).order_by(
        "organization__path", "name", "pk"
    )
