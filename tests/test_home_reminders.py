"""Reminders never name work the home page does not show: on a busy day, every reminder the daily sweep would send
reaches only people whose work list holds the same item (same rule, same link), and the items due at a reminder
offset that day are the ones reminded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bulletins.services import circular_issue
from evaluations import services as ev
from evaluations.enums import PeriodKind
from inspections.services import fix_item_add, inspection_record
from notifications.sweep import deadline_offset, reminders_due
from organizations.models import RoleAssignment
from organizations.services import contact_point_create, leader_create
from posts.services import commitment_submit
from reports.views.home import todo_items
from targets.models import AnnualPlan, Opinion, TargetItem
from targets.services import opinion_submit_public
from tests.evaluations_fixtures import FROZEN_TODAY, approved_commitment, excuse_missing, on_day, open_period

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 25)  # Q1 closes on 31 March (D-7), Annex 5 was due 20 March (D+1 … D+8)
# the home page's kind for each reminder kind
KINDS = {
    "posts.approval": "posts.approval",
    "posts.due": "posts.due",
    "evaluations.self": "evaluations.self",
    "evaluations.assessment": "evaluations.assessment",
    "evaluations.rectification": "evaluations.rectification",
    "evaluations.rectification_org": "evaluations.rectification_org",
    "targets.item": "targets.item",
    "targets.public_opinion": "targets.public_opinions",
    "targets.item_responsible": "targets.my_item",
    "reports.quarterly": "reports.quarterly",
    "reports.quarterly_digest": "reports.late",
    "inspections.fix": "inspections.fix",
    "inspections.contact_visit": "inspections.contact_visit",
    "posts.notice_unread": "posts.notice",
}


@pytest.fixture
def busy(world):
    with on_day(FROZEN_TODAY):
        world.user("branch_a_secretary")
        period = open_period(world.branch_a, kind=PeriodKind.Q1)
        closed = open_period(world.branch_b, kind=PeriodKind.H1)
        sec_b = world.user("branch_b_secretary")
        ev.assessment_save(period=closed, member=world.member_b, score=Decimal("30"), comment="较差", by=sec_b)
        excuse_missing(closed, sec_b)
        ev.period_close(period=closed, by=sec_b)
        ev.rectification_open(rating=closed.ratings.get(member=world.member_b), meeting_on=FROZEN_TODAY,
                              meeting_text="在党员大会上说明", deadline=datetime.date(2026, 3, 30), by=sec_b)
        waiting = approved_commitment(world.member_a, content="每周开展一次学困生辅导")
        waiting.state = "draft"
        waiting.save()
        commitment_submit(commitment=waiting, by=world.member_a.user)
        due = approved_commitment(world.member_b, content="带好一个班")
        due.due_on = datetime.date(2026, 3, 27)
        due.save()
        plan = AnnualPlan.objects.create(organization=world.school_a, year=2026, theme="organization_building")
        TargetItem.objects.create(plan=plan, category="party", content="建成党员活动室", indicator="1间", role="party_core",
                                  responsible="王书记", deadline=datetime.date(2026, 3, 28), position=1)
        TargetItem.objects.create(plan=plan, category="party", content="结对帮扶两名学困生", indicator="2名",
                                  role="party_member", responsible=world.member_a.name, deadline=datetime.date(2026, 3, 28),
                                  position=2)
        left = opinion_submit_public(organization=world.school_a, content="操场晚上能否开放")
        Opinion.objects.filter(pk=left.pk).update(created_at=left.created_at - datetime.timedelta(days=1))  # DAY-10
        staff = world.user("county_a_staff")
        inspection = inspection_record(committee=world.county_a, organization=world.school_a, by=staff,
                                       inspected_on=FROZEN_TODAY, inspectors="甲县巡查组", checked=["posts"],
                                       findings="承诺笼统")  # fmt: skip
        fix_item_add(inspection=inspection, by=staff, content="修改笼统的承诺", responsible="组织委员",
                     due_on=datetime.date(2026, 3, 24))  # D+1 on DAY: the unit and the committee  # fmt: skip
        leader = leader_create(organization=world.county_a, name="甲领导", title="副书记")
        contact_point_create(leader=leader, organization=world.school_a, since=datetime.date(2025, 9, 1))
        circular_issue(committee=world.county_a, by=staff, title="一季度情况通报", body="各校按时完成")  # DAY-9, unread
    return period


def _recipients(reminder):
    if reminder.recipient_id is not None:
        return [reminder.recipient_id]
    return list(RoleAssignment.objects.filter(organization_id=reminder.organization_id, role__in=reminder.roles)
                .values_list("user_id", flat=True))


def test_every_reminder_names_an_item_of_its_recipients_home_page(world, busy):
    from django.contrib.auth import get_user_model

    with on_day(DAY):
        reminders = reminders_due(today=DAY)
        assert {r.kind for r in reminders} == set(KINDS)  # the fixture makes every kind due on DAY
        users = get_user_model().objects.in_bulk()
        checked = 0
        for reminder in reminders:
            for user_id in _recipients(reminder):
                items = todo_items(users[user_id], today=DAY)
                match = [i for i in items if i.kind == KINDS[reminder.kind] and i.url.startswith(reminder.url)]
                assert match, f"{reminder.kind} to {users[user_id]} ({reminder.url}) not on the home page: {items}"
                checked += 1
    assert checked >= len(KINDS)


def test_items_at_a_reminder_offset_are_the_ones_reminded(world, busy):
    """The other way round, for the deadline-driven kinds: each item whose deadline is at a reminder offset today is
    in the sweep (same selector, same day)."""
    from django.contrib.auth import get_user_model

    with on_day(DAY):
        reminded = {(r.kind, r.url) for r in reminders_due(today=DAY)}
        reminded_kinds = {KINDS[k]: k for k in KINDS}
        for user in get_user_model().objects.all():
            for item in todo_items(user, today=DAY):
                kind = reminded_kinds.get(item.kind)
                if kind in (None, "posts.approval", "evaluations.assessment", "reports.quarterly_digest"):
                    continue  # reminded after a wait (approval) or by organization: checked above
                if item.deadline is None or deadline_offset(DAY, item.deadline) is None:
                    continue
                assert any(k == kind and item.url.startswith(u) for k, u in reminded), f"{item} not reminded"


def test_the_self_evaluation_list_and_the_reminders_agree_for_a_period(world, busy):
    from evaluations.selectors.todo import without_self_evaluation

    with on_day(DAY):
        members = list(ev.period_members(busy))
        expected = {m.user_id for m in without_self_evaluation([busy], members)[busy.pk]}
        sent = {r.recipient_id for r in reminders_due(today=DAY) if r.kind == "evaluations.self"}
        assert sent == expected == {world.member_a.user_id}
        ev.self_evaluation_save(period=busy, member=world.member_a, summary="认真履职", score=Decimal("90"))
        assert not [r for r in reminders_due(today=DAY) if r.kind == "evaluations.self"]
        assert "evaluations.self" not in [i.kind for i in todo_items(world.member_a.user, today=DAY)]
