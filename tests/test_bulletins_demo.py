"""The demo shows a 情况通报 drafted from 晋江's records with read receipts, a 简报 published to the public and a
write-up waiting for the county; loading it again adds nothing."""

import datetime
import io
import random

from bulletins import demo
from bulletins.enums import BriefState
from bulletins.models import Brief
from inspections.enums import CheckArea
from inspections.services import inspection_record
from organizations.enums import DemoKind
from organizations.models import Organization
from organizations.services import demonstration_create
from posts.models import Notice, NoticeReceipt


def test_the_demo_has_a_circular_and_a_brief(world):
    Organization.objects.filter(pk=world.county_a.pk).update(code="QZ-JJ")
    world.county_a.refresh_from_db()
    year = datetime.date.today().year
    for unit in (world.school_a, world.branch_a):
        demonstration_create(designated_by=world.county_a, organization=unit, kind=DemoKind.COMPREHENSIVE, year=year)
    inspection_record(committee=world.county_a, organization=world.school_a, by=world.user("county_a_staff"),
                      inspected_on=datetime.date.today(), inspectors="组", checked=[CheckArea.POSTS],
                      findings="甲校承诺不够具体")  # fmt: skip

    demo.load(stdout=io.StringIO(), rng=random.Random(168))
    notice = Notice.objects.get(organization=world.county_a)
    assert "甲校承诺不够具体" in notice.body and notice.by == world.user("county_a_staff")
    assert NoticeReceipt.objects.filter(notice=notice, member=world.member_a).exists()
    published = Brief.objects.get(state=BriefState.PUBLISHED)
    assert published.public and published.issue_no == 1 and published.submitted_by == world.user("school_a_secretary")
    assert Brief.objects.filter(state=BriefState.SUBMITTED).count() == 1
    counts = (Notice.objects.count(), Brief.objects.count())
    demo.load(stdout=io.StringIO(), rng=random.Random(168))
    assert (Notice.objects.count(), Brief.objects.count()) == counts
