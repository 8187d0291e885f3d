"""Long-term targets: proposed one level above the highest honour, adjusted by the secretary, outcome recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Honour, HonourTitle
from targets import selectors, services
from targets.models import LongTermTarget
from tests.page_tokens import hidden_value

pytestmark = pytest.mark.django_db


def honour(org, title, level, year=2024):
    return Honour.objects.create(
        organization=org, title=HonourTitle.objects.get(name=title), level=level, year=year, conferred_by="某党委"
    )


def test_it_proposes_one_level_above_the_highest_honour(world):
    honour(world.school_a, "先进基层党组织", "county", 2020)
    honour(world.school_a, "先进基层党组织", "city", 2023)
    honour(world.school_a, "平安校园", "national")
    rows = {r["title"]: r for r in selectors.long_term_proposals(world.school_a)}
    assert rows["先进基层党组织"]["held"] == "city" and rows["先进基层党组织"]["proposed"] == "province"
    assert rows["文明学校"]["held"] == "" and rows["文明学校"]["proposed"] == "county"
    assert rows["平安校园"]["proposed"] == "national"
    assert list(rows) == ["先进基层党组织", "文明学校", "示范性学校", "绿色学校", "平安校园"]


def test_it_keeps_the_due_year_three_to_five_years_ahead(world):
    by = world.user("school_a_secretary")
    with pytest.raises(ValidationError) as e:
        services.long_term_target_set(
            organization=world.school_a, track="party", title="先进基层党组织", level="city", due_year=2027, by=by,
            start_year=2026,
        )  # fmt: skip
    assert "3 至 5 年" in str(e.value)


def test_the_secretary_adjusts_and_records_the_outcome(world, login):
    honour(world.school_a, "先进基层党组织", "county")
    client = login(world.user("school_a_secretary"))
    url = reverse("targets:longterm", args=[world.school_a.pk])
    assert "市级先进基层党组织" in client.get(url).content.decode()
    prefix = "party-先进基层党组织"
    r = client.post(
        reverse("targets:longterm_set", args=[world.school_a.pk]),
        {"track": "party", "title": "先进基层党组织", f"{prefix}-level": "province", f"{prefix}-due_year": 2030},
    )
    assert r.status_code == 302
    target = LongTermTarget.objects.get(organization=world.school_a)
    assert (target.level, target.held_level, target.due_year) == ("province", "county", 2030)
    token = {f"t{target.pk}-fingerprint": hidden_value(client, url, f"t{target.pk}-fingerprint")}
    r = client.post(reverse("targets:longterm_outcome", args=[target.pk]), {f"t{target.pk}-outcome": "missed", **token})
    assert r.status_code == 400 and "请说明原因" in r.content.decode()
    client.post(
        reverse("targets:longterm_outcome", args=[target.pk]),
        {f"t{target.pk}-outcome": "achieved", f"t{target.pk}-outcome_note": "2029年获评", **token},
    )
    target.refresh_from_db()
    assert target.outcome == "achieved" and target.outcome_recorded_at is not None


def test_it_refuses_an_unknown_title(world, login):
    client = login(world.user("school_a_secretary"))
    r = client.post(reverse("targets:longterm_set", args=[world.school_a.pk]), {"track": "party", "title": "随便"})
    assert r.status_code == 404


def test_it_refuses_a_level_not_above_the_highest_held(world):
    honour(world.school_a, "文明学校", "province")
    with pytest.raises(ValidationError) as e:
        services.long_term_target_set(
            organization=world.school_a, track="school", title="文明学校", level="city", due_year=2030, by=None,
            start_year=2026,
        )  # fmt: skip
    assert "应高于现有最高荣誉（省级）" in str(e.value)
