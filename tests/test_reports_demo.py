import io
import random

import pytest

from reports import demo
from reports.models import QuarterlyReport


@pytest.mark.django_db
def test_it_loads_quarterly_reports_once(world):
    demo.load(stdout=io.StringIO(), rng=random.Random(1))
    made = QuarterlyReport.objects.count()
    assert made >= 1
    assert QuarterlyReport.objects.filter(organization=world.unit, state=QuarterlyReport.State.DRAFT).exists()
    demo.load(stdout=io.StringIO(), rng=random.Random(1))
    assert QuarterlyReport.objects.count() == made
