"""Demo data: plans at different steps, loaded twice without duplicates."""

from __future__ import annotations

import io
import random

import pytest

from targets import demo
from targets.models import AnnualPlan, StepCompletion

pytestmark = pytest.mark.django_db


def test_it_loads_plans_at_different_steps_once(world, monkeypatch):
    monkeypatch.setattr(demo, "_secretary", lambda: world.user("school_a_secretary"))
    out = io.StringIO()
    demo.load(stdout=out, rng=random.Random(1), with_logins=True)
    plans = AnnualPlan.objects.count()
    assert plans >= 2 and StepCompletion.objects.exists()
    demo.load(stdout=out, rng=random.Random(1), with_logins=True)
    assert AnnualPlan.objects.count() == plans
