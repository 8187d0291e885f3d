"""The demo shows every working system filled in: inspections with items closed, open and overdue, visits this
quarter, 四争 aims and contacts with the masses; loading it again adds nothing."""

import datetime
import io
import random

from inspections import demo
from inspections.models import FixItem, Inspection, YearReview
from organizations import services
from organizations.models import ContactVisit, Organization
from posts.models import AnnualAim, MassContact, Post, PostClaim


def test_the_demo_has_inspections_visits_aims_and_contacts_with_the_masses(world):
    # the world dressed as the demo city's 晋江: its county, first school and demo branch
    Organization.objects.filter(pk=world.county_a.pk).update(code="QZ-JJ")
    Organization.objects.filter(pk=world.school_a.pk).update(code="QZ-JJ-S01")
    Organization.objects.filter(pk=world.branch_a.pk).update(code="QZ-JJ-S01-B1")
    year = datetime.date.today().year
    post = Post.objects.create(organization=world.branch_a, year=year, name="示范岗", duties="职责")
    PostClaim.objects.create(post=post, member=world.member_a)
    leader = services.leader_create(organization=world.county_a, name="甲领导", title="副书记")
    services.contact_point_create(leader=leader, organization=world.school_a, since=datetime.date(year - 1, 1, 1))
    leader2 = services.leader_create(organization=world.county_a, name="甲领导二", title="委员")
    services.contact_point_create(leader=leader2, organization=world.branch_a, since=datetime.date(year - 1, 1, 1))

    demo.load(stdout=io.StringIO(), rng=random.Random(168))
    assert Inspection.objects.filter(committee=world.county_a).count() == 1 and YearReview.objects.exists()
    assert FixItem.objects.filter(closed_on__isnull=False).exists()
    assert FixItem.objects.filter(closed_on__isnull=True, inspection__organization=world.school_a).exists()
    assert ContactVisit.objects.filter(contact_point__leader=leader2).exclude(follow_up="", difficulties="").exists()
    assert not ContactVisit.objects.filter(contact_point__leader=leader).exists()  # one waits: the reminder names it
    assert AnnualAim.objects.filter(member=world.member_a, year=year).exists()
    assert MassContact.objects.filter(member=world.member_a).exists()
    counts = (Inspection.objects.count(), MassContact.objects.count(), ContactVisit.objects.count())
    demo.load(stdout=io.StringIO(), rng=random.Random(168))
    assert (Inspection.objects.count(), MassContact.objects.count(), ContactVisit.objects.count()) == counts
