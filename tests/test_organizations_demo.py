import io
import random
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations import demo, roster, selectors
from organizations.models import DemonstrationUnit, Leader, Member, Organization

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_honours_ten_typical_units_contact_points_and_a_coverage_gap(client):
    started = time.monotonic()
    demo.load(stdout=io.StringIO(), rng=random.Random(168), with_logins=True)
    elapsed = time.monotonic() - started
    city = Organization.objects.get(code="QZ")
    assert DemonstrationUnit.objects.filter(designated_by=city).count() == 10
    assert 0 < selectors.coverage(city)["percent"] < 100
    school = Organization.objects.get(code="QZ-JJ-S01")
    assert selectors.highest_per_track(school)["party"].level == "province"
    assert Leader.objects.filter(contact_points__isnull=False).exists()
    city_staff = city.role_assignments.get().user
    assert selectors.leaders_without_contact_point(city_staff, city).exists()
    # idempotent
    counts = (DemonstrationUnit.objects.count(), Leader.objects.count(), Member.objects.count())
    demo.load(stdout=io.StringIO(), rng=random.Random(168), with_logins=True)
    assert (DemonstrationUnit.objects.count(), Leader.objects.count(), Member.objects.count()) == counts
    print(f"\norganizations demo load: {elapsed:.1f}s")

    # the branch user imports the demo roster; importing it again changes nothing
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="branch"))
    branch = Organization.objects.get(code="QZ-JJ-S01-B1")
    data = client.get(reverse("organizations:roster_demo", args=[branch.pk])).content
    before = Member.objects.filter(organization=branch).count()
    for expected_new in (5, 0):
        upload = SimpleUploadedFile("roster-demo.xlsx", data)
        r = client.post(reverse("organizations:roster_import", args=[branch.pk]), {"file": upload})
        assert r.status_code == 302, r.content.decode()[:2000]
        record = branch.roster_imports.first()
        assert record.summary["new"] == expected_new and record.summary["updated"] == 0
        client.post(r["Location"])
    assert Member.objects.filter(organization=branch).count() == before + 5
    assert roster.MAX_ROWS == 10_000
