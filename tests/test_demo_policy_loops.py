"""The demo city (`manage.py load_demo`) shows every working system of the policy filled in, so a newcomer finds each
part with something in it: public opinions answered under the public page, 晋江's inspections with items closed and
open, contact-point visits this quarter, members' 四争 aims and contacts with the masses, the 责任制 list with its
principal and members named 责任人 in Annex 1, a committee's 情况通报 with receipts and a published 简报. The demo logins
find the matching work on their home pages."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from bulletins.enums import BriefState
from bulletins.models import Brief
from inspections.models import FixItem, Inspection, YearReview
from organizations.enums import COMMITTEE_KINDS, Role
from organizations.models import ContactVisit, Organization, RoleAssignment
from organizations.selectors import quarter_bounds
from posts.models import AnnualAim, MassContact, Notice, NoticeReceipt
from reports.views.home import todo_items
from targets.models import Opinion, TargetItem
from targets.responsibility import responsibility_list

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module, inside a transaction rolled back at the end."""
    from django.db import transaction

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST, MEDIA_ROOT=media, DEBUG=True):
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def on_demo(demo, db):
    return demo


def _user(username):
    return get_user_model().objects.get(username=username)


def test_every_part_of_the_policy_has_something_in_the_demo(on_demo):
    today = timezone.localdate()
    year = today.year
    # 1 接受群众监督: an opinion on a published item, answered and the answer published; another waiting
    answered = Opinion.objects.filter(source="public").exclude(reply="")
    assert answered.filter(reply_published=True).exclude(subject="").exists()
    assert Opinion.objects.filter(source="public", reply="").exists()
    # 2 年中巡查: this year's inspections, items closed and open with follow-up; last year's year-end review
    assert Inspection.objects.filter(year=year).exists() and YearReview.objects.filter(year=year - 1).exists()
    assert FixItem.objects.filter(closed_on__isnull=False).exists()
    assert FixItem.objects.filter(closed_on__isnull=True, follow_ups__isnull=False).exists()
    # 3 联系点: full visit records this quarter
    start, _end = quarter_bounds(today)
    visits = ContactVisit.objects.filter(visited_on__gte=start, visited_on__lte=today)
    assert visits.exclude(difficulties="").exclude(problems_solved="").exclude(follow_up="").exists()
    # 4 四争 and 5 联系群众
    assert AnnualAim.objects.filter(year=year).values("aim").distinct().count() >= 2
    assert MassContact.objects.values("whom").distinct().count() >= 2
    # 6 责任制: the school's principal on the list, members named 责任人 in Annex 1
    school = Organization.objects.get(code="QZ-JJ-S01")
    duties = responsibility_list(school, year)
    assert duties.principal and duties.first and duties.direct
    assert TargetItem.objects.filter(plan__organization__path__startswith=school.path,
                                     responsible_member__isnull=False).exists()  # fmt: skip
    assert RoleAssignment.objects.filter(organization=school, role=Role.PRINCIPAL).exists()
    # 7 情况通报 (a committee's, with receipts, some read and some not) and 简报
    circular = Notice.objects.filter(organization__kind__in=COMMITTEE_KINDS).first()
    assert circular is not None
    assert NoticeReceipt.objects.filter(notice=circular).count() > 10
    assert Brief.objects.filter(state=BriefState.PUBLISHED, public=True).exists()


def test_the_demo_logins_find_the_work_on_their_home_pages(on_demo):
    today = timezone.localdate()
    county = {i.kind for i in todo_items(_user("county"), today=today)}
    assert {"inspections.fix", "bulletins.decide"} & county, county
    school = {i.kind for i in todo_items(_user("school"), today=today)}
    assert {"inspections.fix", "targets.public_opinions"} <= school, school
