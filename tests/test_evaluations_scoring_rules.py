"""The arithmetic of a rating, at its edges: which parts count, how an absent part renormalizes, how a score rounds,
and which grade a score gets exactly at and just below each line (五.三 优秀/良好/一般/较差)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.enums import Grade
from evaluations.services.scoring import grade_for, weighted_score

D = Decimal
WEIGHTS = {"self": 20, "poll": 30, "org": 50}
THRESHOLDS = {"excellent": D("90"), "good": D("80"), "fair": D("60")}


def test_a_member_with_every_part_absent_scores_zero_not_an_error():
    score = weighted_score({"self": None, "poll": None, "org": None}, WEIGHTS)
    assert score == D("0") and str(score) == "0.00"


def test_a_part_whose_weight_is_zero_does_not_count():
    assert weighted_score({"self": D("100")}, {"self": 0}) == D("0")
    # a zero-weight part next to a weighted one changes nothing
    assert weighted_score({"self": D("100"), "org": D("70")}, {"self": 0, "org": 100}) == D("70.00")


def test_a_part_without_a_weight_is_ignored():
    # a stray "bonus" entry (no weight in the settings) neither adds to the score nor to the divisor
    assert weighted_score({"self": D("80"), "bonus": D("100")}, {"self": 20}) == D("80.00")


def test_only_the_present_parts_share_the_weight():
    # the poll fell below its minimum: (70×20 + 85×50) / 70 = 80.714… → 80.71, not (1400+4250)/100 = 56.50
    assert weighted_score({"self": D("70"), "poll": None, "org": D("85")}, WEIGHTS) == D("80.71")
    # only the assessment left: it is the score
    assert weighted_score({"self": None, "poll": None, "org": D("77.5")}, WEIGHTS) == D("77.50")


def test_the_score_rounds_half_up_to_two_decimals():
    # (80.01 + 80.00) / 2 = 80.005 → 80.01 (half up), not 80.00 (banker's rounding)
    assert weighted_score({"self": D("80.01"), "org": D("80.00")}, {"self": 50, "org": 50}) == D("80.01")
    # (80.004×1 + 80×1) / 2 = 80.002 → 80.00
    assert weighted_score({"self": D("80.004"), "org": D("80")}, {"self": 1, "org": 1}) == D("80.00")
    assert str(weighted_score({"self": D("85")}, WEIGHTS)) == "85.00"


def test_weights_and_parts_stored_as_text_or_numbers_give_the_same_score():
    # a settings snapshot holds weights as JSON (ints or strings) and scores as strings, ints or floats
    expected = weighted_score({"self": D("80"), "poll": D("90"), "org": D("95")}, WEIGHTS)
    assert expected == D("90.50")
    assert weighted_score({"self": "80", "poll": 90, "org": 95.0}, {"self": "20", "poll": "30", "org": "50"}) == expected
    # a float is read by its decimal text (0.1 + 0.2 stays 0.15 on average, no binary noise)
    assert weighted_score({"self": 0.1, "org": 0.2}, {"self": 1, "org": 1}) == D("0.15")


def test_unequal_weights_pull_the_score_towards_the_heavier_part():
    # 60×10 + 100×90 = 9600 / 100 = 96.00
    assert weighted_score({"self": D("60"), "org": D("100")}, {"self": 10, "org": 90}) == D("96.00")
    assert weighted_score({"self": D("100"), "org": D("60")}, {"self": 10, "org": 90}) == D("64.00")


@pytest.mark.parametrize(
    "score, grade",
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("90.00", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.FAIR),
        ("60", Grade.FAIR),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_each_grade_starts_exactly_at_its_line(score, grade):
    assert grade_for(D(score), THRESHOLDS) == grade


def test_the_lines_come_from_the_settings_not_from_the_policy_defaults():
    # a year whose settings moved the lines to 95 / 85 / 70 (stored as text in the snapshot)
    lines = {"excellent": "95", "good": "85", "fair": "70"}
    assert grade_for(D("94.99"), lines) == Grade.GOOD
    assert grade_for(D("95"), lines) == Grade.EXCELLENT
    assert grade_for(D("84.99"), lines) == Grade.FAIR
    assert grade_for(D("85"), lines) == Grade.GOOD
    assert grade_for(D("69.99"), lines) == Grade.POOR
    assert grade_for(D("70"), lines) == Grade.FAIR


def test_a_score_given_as_text_or_a_float_is_graded_the_same():
    assert grade_for("80", THRESHOLDS) == Grade.GOOD
    assert grade_for(79.99, THRESHOLDS) == Grade.FAIR
    assert grade_for(90.0, {"excellent": 90.0, "good": 80.0, "fair": 60.0}) == Grade.EXCELLENT
