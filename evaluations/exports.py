"""Evaluation tables as workbooks (导出Excel): a period's published results and the year-end roll-up, with the
pages' scope, written through machinery.xlsx. Callers have checked access."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from machinery.xlsx import Sheet, sheets_xlsx
from organizations import selectors as org_selectors
from organizations.models import Organization

from . import selectors
from .enums import PERIOD_ORDER, PeriodKind
from .models import DemocraticAppraisal, EvaluationPeriod, PeriodPublication, Rating


def period_results_xlsx(period: EvaluationPeriod, publication: PeriodPublication | None) -> bytes:
    """The published list as on its page: name, branch, grade and its flags (缺自评 …, never the reason); the score
    only when the secretary chose to show it. Nothing while the period is open (the page shows nothing either)."""
    show_scores = bool(publication and publication.show_scores)
    columns = [_("姓名"), _("所在支部"), _("等次"), _("缺项")] + ([_("综合得分")] if show_scores else [])
    rows = []
    if not period.is_open:
        for r in selectors.published_results_rows(period, show_scores=show_scores):
            row = [
                r["name"],
                r["organization"],
                r["grade_label"],
                "、".join(str(p["label"]) for p in r["missing_parts"]),
            ]
            rows.append(row + [r["score"]] if show_scores else row)
    widths = [12, 28, 10, 16] + ([10] if show_scores else [])
    return sheets_xlsx([Sheet(_("考评结果"), columns, rows, widths)])


def period_results_filename(period: EvaluationPeriod) -> str:
    return _("考评结果_%(org)s_%(year)s年%(kind)s.xlsx") % {
        "org": period.organization.name,
        "year": period.year,
        "kind": period.get_kind_display(),
    }


def _year_cells(org: Organization, year: int) -> dict[int, dict[str, Rating]]:
    """Published ratings of the year in the subtree, per member and period kind; a member's periods may be run by the
    branch or by an organization above it (within the subtree): the deepest wins, as on the page (one query)."""
    ratings = (
        Rating.objects.filter(period__year=year, published=True, member__organization__path__startswith=org.path)
        .select_related("period")
        .only("member_id", "grade", "weighted_score", "snapshot", "period__kind")
        .order_by("period__organization__depth")
    )
    by_member: dict[int, dict[str, Rating]] = {}
    for r in ratings:
        by_member.setdefault(r.member_id, {})[r.period.kind] = r
    return by_member


def year_end_rows(user, org: Organization, year: int) -> Iterator[list]:
    """One row per member of the year-end page (every page at once): each period's grade (with its flags) and score,
    the average of the periods' scores, the 民主评议党员 conclusion and its notes."""
    cells = _year_cells(org, year)
    appraisals = {
        a.member_id: a
        for a in DemocraticAppraisal.objects.filter(year=year, member__organization__path__startswith=org.path)
    }
    for m in org_selectors.members_of(user, org).iterator(chunk_size=2000):
        found = cells.get(m.pk, {})
        row: list = [m.name, m.organization.name]
        scores = []
        for kind in PERIOD_ORDER:
            r = found.get(kind)
            if r is None:
                row += ["", None]
                continue
            flags = "、".join(r.missing_labels)
            row += [f"{r.get_grade_display()}（{flags}）" if flags else r.get_grade_display(), r.weighted_score]
            scores.append(r.weighted_score)
        row.append((sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None)
        a = appraisals.get(m.pk)
        row += [a.get_conclusion_display(), a.notes] if a else ["", ""]
        yield row


def year_end_xlsx(user, org: Organization, year: int) -> bytes:
    columns = [_("姓名"), _("所在支部")]
    for kind in PERIOD_ORDER:
        label = PeriodKind(kind).label
        columns += [_("%(kind)s等次") % {"kind": label}, _("%(kind)s得分") % {"kind": label}]
    columns += [_("各期平均分"), _("民主评议党员"), _("评议意见")]
    widths = [12, 28] + [14, 10] * len(PERIOD_ORDER) + [12, 14, 40]
    return sheets_xlsx(
        [Sheet(_("%(year)s年年终总评") % {"year": year}, columns, year_end_rows(user, org, year), widths)]
    )


def year_end_filename(org: Organization, year: int) -> str:
    return _("年终总评_%(org)s_%(year)s年.xlsx") % {"org": org.name, "year": year}
