"""Reads of the scorecard: the scheme in force, an organization's card and a committee's ranked table, computed from
the records with a fixed number of queries (scorecards.counting), whatever the number of organizations."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from organizations.models import Organization
from reports.dashboard_cache import cached, cached_many

from .counting import STEP, count_groups
from .indicators import INDICATORS, default_items
from .models import Scheme
from .scoring import Card, score_card


@dataclass
class SchemeInForce:
    items: dict[str, dict]
    year: int
    organization: Organization | None = None  # who set it; None: the default shipped with 168
    scheme: Scheme | None = None

    @property
    def source(self) -> str:
        if self.organization is None:
            return _("默认方案（依据泉委教组〔2012〕6号的工作重点）")
        return _("%(org)s %(year)s年方案") % {"org": self.organization.name, "year": self.scheme.year}


def _chain(org: Organization) -> list[str]:
    return [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]


def scheme_for(org: Organization, year: int) -> SchemeInForce:
    """The scheme in force for `org`'s subtree in `year`: from the organization up, each committee's latest scheme of
    that year or before; one marked 采用上级方案 passes on to the next above; none at all: the default. One query."""
    rows = Scheme.objects.filter(organization__path__in=_chain(org), year__lte=year).select_related("organization")
    latest: dict[str, Scheme] = {}
    for row in rows.order_by("year"):
        latest[row.organization.path] = row
    for path in reversed(_chain(org)):
        row = latest.get(path)
        if row is not None and not row.inherit:
            return SchemeInForce(row.items, year, row.organization, row)
    return SchemeInForce(default_items(year), year)


def own_scheme(org: Organization, year: int) -> Scheme | None:
    return Scheme.objects.filter(organization=org, year=year).first()


def day_for(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a year is scored at: today within the year, its last day once it is over."""
    today = today or timezone.localdate()
    return min(today, datetime.date(year, 12, 31)) if year <= today.year else datetime.date(year, 1, 1)


def cutoffs(year: int, day: datetime.date) -> list[tuple[str, datetime.date]]:
    """The quarter ends up to `day` (the trend), then `day` itself (to date) when it is not one of them."""
    out = []
    for q in range(1, 5):
        end = datetime.date(year, q * 3, 31 if q in (1, 4) else 30)
        if end <= day:
            out.append((_("第%(q)s季度末") % {"q": q}, end))
    if not out or out[-1][1] != day:
        out.append((_("截至%(d)s") % {"d": f"{day.month}月{day.day}日"}, day))
    return out


@dataclass
class OrgRow:
    """An organization as a ranked row shows it (its page links by pk)."""

    pk: int
    path: str
    name: str
    numchild: int

    @property
    def id(self) -> int:
        return self.pk


@dataclass
class Scored:
    org: Organization | OrgRow
    card: Card  # at the day scored
    trend: list  # the score at each cutoff
    has_children: bool = False
    rank: int = 0


class RankedRows(Sequence):
    """The rows of a ranking kept as light tuples (pk, path, name, numchild, score, rank): a row object is made only
    for the rows asked for (a page of them), not for each of a province's thousands."""

    def __init__(self, ranked: list[tuple]):
        self._ranked = ranked

    def __len__(self) -> int:
        return len(self._ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(t) for t in self._ranked[index]]
        return self._row(self._ranked[index])

    @staticmethod
    def _row(t: tuple) -> Scored:
        pk, path, name, numchild, score, rank = t
        return Scored(OrgRow(pk, path, name, numchild), Card([], score), [], has_children=numchild > 0, rank=rank)


@dataclass
class Ranking:
    root: Scored
    rows: list[Scored]
    scheme: SchemeInForce
    year: int
    day: datetime.date
    cutoff_labels: list[str] = field(default_factory=list)
    indicators: list = field(default_factory=lambda: INDICATORS)
    days: list = field(default_factory=list, repr=False)  # (label, date) of each cutoff
    details_for: Callable | None = field(default=None, repr=False)  # rows → explained cards, for detail_rows()


def counts_of(prefix: str, length: int, year: int, days: list[datetime.date]):
    """count_groups, cached with the dashboard's figures until any counted row changes (reports.dashboard_cache; the
    scorecard's own extra models bump the same generation, see ScorecardsConfig.ready)."""
    key = ("scorecard", prefix, length, year, *(d.isoformat() for d in days))
    return cached(key, lambda: count_groups(prefix, length, year, days))


def _sum(groups: list[list[dict]], n: int) -> list[dict]:
    total = [{} for _ in range(n)]
    for per in groups:
        for i, counts in enumerate(per):
            for k, v in counts.items():
                total[i][k] = total[i].get(k, 0) + v
    return total


def _scored(org, per: list[dict], days: list, scheme: dict, year: int, *, detail: bool = True) -> Scored:
    """The organization's card at the last cutoff and its trend; without `detail`, the card's score and figures only
    (no words, no trend): enough to rank, and a fifth of the work (detail_rows() adds the rest to the rows shown)."""
    if not detail:
        card = score_card(per[-1], scheme, year=year, day=days[-1][1], explain=False)
        return Scored(org, card, [])
    last = len(days) - 1
    cards = [
        score_card(c, scheme, year=year, day=d, explain=i == last)
        for i, (c, (_label, d)) in enumerate(zip(per, days, strict=True))
    ]
    return Scored(org, cards[-1], [c.score for c in cards])


def ranking(root: Organization, year: int, *, today: datetime.date | None = None, detail: bool = True) -> Ranking:
    """The root's own card and its children's, ranked by score (then by path), each with its quarterly trend (without
    `detail`, the children's rows carry their scores only: detail_rows() completes the rows a page shows)."""
    day = day_for(year, today)
    days = cutoffs(year, day)
    scheme = scheme_for(root, year)
    of_root = (
        Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .exclude(closed_on__lt=datetime.date(year, 1, 1))
        .order_by("path")
    )
    length, cut = len(root.path) + STEP, [d for _label, d in days]
    empty = [{} for _ in days]
    details_for = None
    if detail:
        children = list(of_root)
        counts = counts_of(root.path, length, year, cut)
        rows = [_scored(child, counts.get(child.path, empty), days, scheme.items, year) for child in children]
        own_counts = _sum(list(counts.values()), len(days))
        for s in rows:
            s.has_children = s.org.numchild > 0  # the tree keeps each node's number of children
        rows.sort(key=lambda s: (-s.card.score, s.org.path))
        for i, s in enumerate(rows):
            s.rank = i + 1 if i == 0 or s.card.score != rows[i - 1].card.score else rows[i - 1].rank
    else:
        # the ranked rows (light tuples) and the root's own counts, kept with the counts they come from (same
        # generation) for everyone who ranks this root; a page makes row objects only for the rows it shows, and
        # reads the counts of those rows per row (cached_many) to explain them
        version = (root.path, year, *(d.isoformat() for d in cut),
                   hashlib.sha1(json.dumps(scheme.items, sort_keys=True, default=str).encode()).hexdigest())  # fmt: skip

        def summary() -> dict:
            # what a row shows, without a model instance for each of a province's thousands of rows
            children = [OrgRow(*row) for row in of_root.values_list("pk", "path", "name", "numchild")]
            counts = counts_of(root.path, length, year, cut)
            scored = sorted(
                ((_scored(child, counts.get(child.path, empty), days, scheme.items, year, detail=False).card.score,
                  child) for child in children),
                key=lambda pair: (-pair[0], pair[1].path),
            )  # fmt: skip
            ranked, rank = [], 0
            for i, (score, child) in enumerate(scored):
                rank = i + 1 if i == 0 or score != scored[i - 1][0] else rank
                ranked.append((child.pk, child.path, child.name, child.numchild, score, rank))
            return {"ranked": ranked, "own": _sum(list(counts.values()), len(days))}

        found = cached(("scorecard-ranked", *version), summary)
        own_counts = found["own"]
        rows = RankedRows(found["ranked"])
        children = rows

        def details_for(rows: list[Scored]) -> dict[str, tuple]:
            """(explained card, trend) of each row, kept per row (the words are in the language of the request)."""
            every = functools.cache(lambda: counts_of(root.path, length, year, cut))  # read once, on a miss

            def one(org):
                def compute():
                    full = _scored(org, every().get(org.path, empty), days, scheme.items, year)
                    return full.card, full.trend

                return compute

            language = get_language()
            got = cached_many({("scorecard-row", s.org.path, language, *version): one(s.org) for s in rows})
            return {parts[1]: value for parts, value in got.items()}

    own = _scored(root, own_counts, days, scheme.items, year)
    own.has_children = bool(children)
    return Ranking(own, rows, scheme, year, day, [label for label, _d in days], days=days, details_for=details_for)


def detail_rows(ranking: Ranking, rows: list[Scored]) -> list[Scored]:
    """The explained card and the trend of these rows of a ranking made without detail (the page's rows)."""
    todo = [s for s in rows if not s.trend]
    details = ranking.details_for(todo) if todo and ranking.details_for else {}
    for s in todo:
        s.card, s.trend = details[s.org.path]
    return rows


def card_for(org: Organization, year: int, *, today: datetime.date | None = None) -> tuple[Scored, SchemeInForce, list]:
    """One organization's own scorecard (its whole subtree), with its trend and the scheme in force for it."""
    day = day_for(year, today)
    days = cutoffs(year, day)
    scheme = scheme_for(org, year)
    counts = counts_of(org.path, len(org.path), year, [d for _label, d in days])
    scored = _scored(org, counts.get(org.path, [{} for _ in days]), days, scheme.items, year)
    scored.has_children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).exists()
    return scored, scheme, [label for label, _d in days]
