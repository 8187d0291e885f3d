"""Rating progress along the year's calendar (五.三 “一季一评、半年初评、年终总评”): per window and per child subtree,
how many grassroots organizations opened the period, how far self-evaluations, polls and assessments went, and
who is late. A fixed number of queries, whatever the number of organizations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from evaluations.enums import PeriodState
from evaluations.models import Assessment, EvaluationPeriod, PollCode, SelfEvaluation
from organizations.models import Member, Organization
from organizations.selectors import children, grassroots
from years.enums import RATING_WINDOWS, WindowKind
from years.selectors import Window, windows_table

LATE_SHOWN = 100


@dataclass
class Tally:
    org: Organization | None  # the child subtree (None: the organization's own row)
    grassroots: int = 0
    opened: int = 0
    closed: int = 0
    members: int = 0
    self_done: int = 0
    polled: int = 0  # periods whose poll holds at least one ballot
    assessed: int = 0
    late: int = 0

    def add(self, other: Tally) -> None:
        for name in ("grassroots", "opened", "closed", "members", "self_done", "polled", "assessed", "late"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Late:
    org: Organization
    window: Window
    period_id: int | None
    reason: str
    members: int = 0
    self_done: int = 0
    assessed: int = 0
    ballots: int = 0


@dataclass
class WindowProgress:
    kind: str
    label: str
    window: Window  # the window in force for the page's organization
    state: str
    rows: list[Tally] = field(default_factory=list)
    total: Tally = field(default_factory=lambda: Tally(None))
    late: list[Late] = field(default_factory=list)
    late_count: int = 0


def _subtree_members(org: Organization) -> dict[str, int]:
    """Active members in the subtree of every organization under `org`, keyed by path (one query)."""
    step = Organization.steplen
    per_path = (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .values_list("organization__path")
        .annotate(n=Count("pk"))
    )
    out: dict[str, int] = defaultdict(int)
    for path, n in per_path:
        for i in range(len(org.path), len(path) + 1, step):
            out[path[:i]] += n
    return out


def _per_period(qs, key: str) -> dict[int, int]:
    return dict(qs.values_list(key).annotate(n=Count("pk")))


def calendar_progress(org: Organization, year: int, *, today: datetime.date | None = None) -> list[WindowProgress]:
    """One WindowProgress per rating window. Late: the window in force for the organization has closed and its period
    was never opened or is not closed yet (parts still missing)."""
    today = today or timezone.localdate()
    kids = list(children(org))
    units = list(grassroots(org).order_by("path").only("pk", "path", "name", "kind", "depth"))
    members = _subtree_members(org)
    of_year = {"period__year": year, "period__organization__path__startswith": org.path}
    periods = {
        (p["organization_id"], p["kind"]): p
        for p in EvaluationPeriod.objects.filter(year=year, organization__path__startswith=org.path).values(
            "pk", "organization_id", "kind", "state"
        )
    }
    selfs = _per_period(SelfEvaluation.objects.filter(**of_year), "period_id")
    assessed = _per_period(Assessment.objects.filter(**of_year), "period_id")
    ballots = _per_period(
        # one ballot per used code (ballots are kept as tallies only)
        PollCode.objects.filter(
            used=True, poll__period__year=year, poll__period__organization__path__startswith=org.path
        ),
        "poll__period_id",
    )
    own = [org.path] if org.is_grassroots else []
    buckets = own + [k.path for k in kids]
    table = windows_table([org, *units], [year], RATING_WINDOWS)
    out = []
    for kind in RATING_WINDOWS:
        windows = table[(year, kind)]
        mine = windows[org.pk]
        progress = WindowProgress(kind.value, WindowKind(kind).label, mine, mine.state(today))
        tallies = {path: Tally(None) for path in buckets}
        for k in kids:
            tallies[k.path].org = k
        for unit in units:
            bucket = unit.path if unit.path == org.path else unit.path[: len(org.path) + Organization.steplen]
            tally = tallies.get(bucket)
            if tally is None:
                continue
            tally.grassroots += 1
            period = periods.get((unit.pk, kind.value))
            window = windows[unit.pk]
            n_members = members.get(unit.path, 0)
            if period is not None:
                pk = period["pk"]
                tally.opened += 1
                tally.closed += period["state"] == PeriodState.CLOSED
                tally.members += n_members
                tally.self_done += selfs.get(pk, 0)
                tally.assessed += assessed.get(pk, 0)
                tally.polled += ballots.get(pk, 0) > 0
            closed_window = today > window.closes_on
            if closed_window and (period is None or period["state"] != PeriodState.CLOSED):
                tally.late += 1
                progress.late_count += 1
                if len(progress.late) < LATE_SHOWN:
                    pk = period["pk"] if period else None
                    progress.late.append(
                        Late(
                            org=unit,
                            window=window,
                            period_id=pk,
                            reason="未开展" if period is None else "未结束",
                            members=n_members,
                            self_done=selfs.get(pk, 0) if pk else 0,
                            assessed=assessed.get(pk, 0) if pk else 0,
                            ballots=ballots.get(pk, 0) if pk else 0,
                        )
                    )
        progress.rows = [tallies[p] for p in buckets if tallies[p].grassroots]
        for tally in progress.rows:
            progress.total.add(tally)
        out.append(progress)
    return out
