"""What evaluations adds to the 附件2 page (posts:annex2): each member's published grades of the year's four periods,
offered through EvaluationsConfig.annex2_results (posts never imports this module). A grade computed without a part
carries its flag, as everywhere a grade appears: 良好（缺自评）."""

from __future__ import annotations

from .enums import PART_MISSING_LABELS, PERIOD_ORDER, Grade, Part, PeriodKind
from .models import Rating


def grade_text(grade: str, absent: dict | None) -> str:
    """The grade's label, with the flags of the parts it was computed without."""
    flags = "、".join(str(PART_MISSING_LABELS[p]) for p in Part if p.value in (absent or {}))
    label = str(Grade(grade).label)
    return f"{label}（{flags}）" if flags else label


def annex2_results(org, year: int, member_ids: list[int]) -> dict:
    """{"columns": the four period names, "values": {member_id: [grade text per period]}} (one query). When periods
    of several levels rate a member, the deepest organization's wins (as in the year-end grid)."""
    grades: dict[tuple[int, str], str] = {}
    for r in (
        Rating.objects.filter(member_id__in=member_ids, period__year=year, published=True)
        .order_by("period__organization__depth")
        .values("member_id", "period__kind", "grade", "snapshot__absent")
    ):
        grades[(r["member_id"], r["period__kind"])] = grade_text(r["grade"], r["snapshot__absent"])
    return {
        "columns": [str(PeriodKind(k).label) for k in PERIOD_ORDER],
        "values": {pk: [grades.get((pk, k), "") for k in PERIOD_ORDER] for pk in member_ids},
    }
