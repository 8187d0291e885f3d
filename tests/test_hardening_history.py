"""The 修改记录 tab: who changed a member's record, when, and each field before → after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.enums import EightRole


def _edit(member, user, **fields):
    for name, value in fields.items():
        setattr(member, name, value)
    member._history_user = user
    member.save()


@pytest.mark.django_db
def test_it_shows_who_changed_what_before_and_after(world, login):
    secretary = world.user("branch_b_secretary")
    secretary.first_name = "王书记"
    secretary.save()
    _edit(world.member_b, secretary, job="数学教师", role_group=EightRole.COUNSELLOR)
    r = login(world.user("school_b_secretary")).get(reverse("organizations:member_history", args=[world.member_b.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "修改记录" in body and "王书记" in body
    assert "现任职务" in body and "语文教师" in body and "数学教师" in body
    assert str(EightRole.COUNSELLOR.label) in body
    assert "创建" in body  # the first record


@pytest.mark.django_db
def test_it_offers_the_tab_on_the_member_page_to_secretaries_only(world, login):
    url = reverse("organizations:member_detail", args=[world.member_b.pk])
    history_url = reverse("organizations:member_history", args=[world.member_b.pk])
    assert history_url in login(world.user("branch_b_secretary")).get(url).content.decode()
    assert history_url not in login(world.user("member_b")).get(url).content.decode()


@pytest.mark.django_db
def test_it_refuses_the_member_and_hides_from_a_sibling_subtree(world, login):
    url = reverse("organizations:member_history", args=[world.member_b.pk])
    assert login(world.user("member_b")).get(url).status_code == 403
    assert login(world.user("school_a_secretary")).get(url).status_code == 404


@pytest.mark.django_db
def test_it_keeps_phone_changes_private_from_staff_who_may_not_see_phones(world, login):
    _edit(world.member_b, world.user("branch_b_secretary"), phone="13911112222")
    r = login(world.user("county_b_staff")).get(reverse("organizations:member_history", args=[world.member_b.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "13911112222" not in body and "13900000002" not in body and "不公开" in body


# models edited by several people keep who changed what and when (targets, commitments, ratings, reports,
# memberships); each entry is checked once its app has the model
AUDITED = [
    "organizations.Member",
    "organizations.RoleAssignment",
    "targets.AnnualPlan",
    "targets.TargetItem",
    "posts.Commitment",
    "evaluations.Rating",
    "evaluations.Assessment",
    "reports.QuarterlyReport",
]


@pytest.mark.parametrize("label", AUDITED)
def test_it_keeps_an_audit_trail_of(label):
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except LookupError:
        pytest.skip(f"{label} is not built yet")
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    assert manager, f"{label} has no HistoricalRecords()"
    history_model = getattr(model, manager).model
    assert {"history_user", "history_date", "history_type"} <= {f.name for f in history_model._meta.fields}


@pytest.mark.django_db
def test_it_gives_any_app_a_ready_history_view(world, rf):
    from django.http import Http404

    from organizations.history import history_view
    from organizations.models import RoleAssignment

    view = history_view(RoleAssignment)
    assignment = RoleAssignment.objects.get(user=world.user("branch_b_secretary"))

    def get(role):
        request = rf.get("/")
        request.user = world.user(role)
        return view(request, pk=assignment.pk)

    r = get("school_b_secretary")
    assert r.status_code == 200 and "修改记录" in r.content.decode()
    with pytest.raises(Http404):
        get("school_a_secretary")
    with pytest.raises(Http404):
        get("member_a")


@pytest.mark.django_db
def test_it_shows_every_history_page_to_its_owner_and_never_to_members(world):
    from django.test import Client

    from tests.fuzz.cases import all_cases

    client, pages, problems = Client(), set(), []
    for name, case in all_cases(world):
        if not name.endswith("_history") or not case.owner:
            continue
        url = reverse(name, kwargs=case.kwargs)
        client.force_login(world.user(case.owner))
        r = client.get(url)
        body = r.content.decode()
        if r.status_code != 200 or not ("修改内容" in body or "暂无修改记录" in body):
            problems.append(f"{name} as {case.owner}: {r.status_code}")
        for member in ("member_a", "member_b"):
            client.force_login(world.user(member))
            if client.get(url).status_code == 200:
                problems.append(f"{name}: the audit trail is shown to {member}")
        pages.add(name)
    print(f"\nhistory pages: {sorted(pages)}")
    assert "organizations:member_history" in pages
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_it_shows_who_changed_a_quarterly_report(world, login):
    from reports.models import QuarterlyReport
    from tests.matrix.reports import _report_b

    report = _report_b(world)
    staff = world.user("county_b_staff")
    staff.first_name = "乙县填报员"
    staff.save()
    stored = QuarterlyReport.objects.get(pk=report.pk)
    field = next(f for f in ("practices", "problems", "next_steps") if hasattr(stored, f))
    setattr(stored, field, "开展了主题党日活动")
    stored._history_user = staff
    stored.save()
    detail = login(staff).get(reverse("reports:quarterly_detail", args=[report.pk])).content.decode()
    url = reverse("reports:quarterly_history", args=[report.pk])
    assert url in detail
    body = login(world.user("city_staff")).get(url).content.decode()
    assert "乙县填报员" in body and "开展了主题党日活动" in body
    assert login(world.user("county_a_staff")).get(url).status_code == 404


@pytest.mark.django_db
def test_it_shows_who_changed_a_members_assessment(world, login):
    from decimal import Decimal

    from evaluations import services
    from evaluations.models import Assessment
    from tests.evaluations_fixtures import FROZEN_TODAY, b_objects, on_day

    period = b_objects(world)["period"]
    secretary = world.user("branch_b_secretary")
    secretary.first_name = "乙支部书记"
    secretary.save()
    with on_day(FROZEN_TODAY):  # inside the period's window (assessments are refused outside it)
        services.assessment_save(period=period, member=world.member_b, score=Decimal("88"), comment="认真履职", by=secretary)
        assessment = Assessment.objects.get(period=period, member=world.member_b)
        services.assessment_save(period=period, member=world.member_b, score=Decimal("92"), comment="表现突出",
                                 by=secretary, version=assessment.version)
    client = login(world.user("school_b_secretary"))
    page = client.get(reverse("evaluations:assessment", args=[period.pk, world.member_b.pk])).content.decode()
    url = reverse("evaluations:assessment_history", args=[assessment.pk])
    assert url in page
    body = client.get(url).content.decode()
    assert "认真履职" in body and "表现突出" in body and "88" in body and "92" in body
    assert login(world.user("member_b")).get(url).status_code in (403, 404)
