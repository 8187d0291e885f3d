"""The arithmetic of a rating: weights × parts → weighted score → grade. Pure functions, no database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..enums import Grade

PARTS = ("self", "poll", "org")
CENT = Decimal("0.01")


def weighted_score(parts: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal:
    """Σ part × weight / Σ weight over the parts that exist (a poll below its minimum counts as absent, and the
    remaining weights are scaled up to 100). Rounded half up to two decimals."""
    present = {k: Decimal(str(v)) for k, v in parts.items() if v is not None and k in weights}
    total_weight = sum(int(weights[k]) for k in present)
    if not total_weight:
        return Decimal("0.00")
    total = sum(present[k] * int(weights[k]) for k in present)
    return (total / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal, thresholds: dict[str, Decimal | str]) -> Grade:
    """优秀 at or above the excellent line, 良好 at or above good, 一般 at or above fair, else 较差."""
    score = Decimal(str(score))
    if score >= Decimal(str(thresholds["excellent"])):
        return Grade.EXCELLENT
    if score >= Decimal(str(thresholds["good"])):
        return Grade.GOOD
    if score >= Decimal(str(thresholds["fair"])):
        return Grade.FAIR
    return Grade.POOR
